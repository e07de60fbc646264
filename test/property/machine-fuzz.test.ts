// Property: whatever a guest does to the whole board (random code, random port and memory I/O),
// the run ends with a defined reason, the host never throws, and the CPU reports no internal error.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { BOARDS } from '../../boards/index.js';
import { Machine } from '../../src/machine/machine.js';
import { loadRaw } from '../../src/machine/loaders/raw.js';
import { validateBoard } from '../../src/machine/validate-board.js';
import { ByteBuffer } from '../../src/host/byte-buffer.js';
import { propertyParams } from '../helpers/property.js';

/** Ports of the legacy PC set, where random I/O meets real device models. */
const DEVICE_PORTS = [0x20, 0x21, 0xa0, 0xa1, 0x40, 0x41, 0x42, 0x43, 0x61, 0x60, 0x64, 0x70, 0x71, 0x92, 0x80, 0xe9, 0x22, 0x23, ...Array.from({ length: 8 }, (_, i) => 0x3f8 + i), ...Array.from({ length: 8 }, (_, i) => 0x2f8 + i)];

/** One guest action: an OUT or IN on a device port, or raw random bytes as code. */
const action = fc.oneof(
  fc.record({ kind: fc.constant('out' as const), port: fc.constantFrom(...DEVICE_PORTS), value: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ kind: fc.constant('in' as const), port: fc.constantFrom(...DEVICE_PORTS) }),
  fc.record({ kind: fc.constant('sti-hlt' as const) }),
  fc.record({ kind: fc.constant('bytes' as const), bytes: fc.uint8Array({ minLength: 1, maxLength: 12 }) }),
);

function assemble(actions: ReadonlyArray<{ kind: string; port?: number; value?: number; bytes?: Uint8Array }>): Uint8Array {
  const code: number[] = [0xbc, 0x00, 0x00, 0x18, 0x00]; // mov esp, 0x180000
  for (const a of actions) {
    if (a.kind === 'out') code.push(0x66, 0xba, a.port! & 0xff, a.port! >> 8, 0xb0, a.value!, 0xee); // mov dx, port; mov al, v; out dx, al
    else if (a.kind === 'in') code.push(0x66, 0xba, a.port! & 0xff, a.port! >> 8, 0xec); // mov dx, port; in al, dx
    else if (a.kind === 'sti-hlt') code.push(0xfb, 0xf4);
    else code.push(...a.bytes!);
  }
  return Uint8Array.from(code);
}

describe('the whole board under random guest behaviour', () => {
  for (const name of Object.keys(BOARDS)) {
    it(`${name}: every run ends with a defined reason, no host exception, no CPU internal error`, { timeout: 300_000 }, () => {
      const v = validateBoard(BOARDS[name]);
      if (!v.ok) throw new Error('invalid board');
      const board = v.board;
      fc.assert(
        fc.property(fc.array(action, { minLength: 1, maxLength: 40 }), fc.boolean(), (actions, restart) => {
          const m = Machine.create(board, { serial: new ByteBuffer(), serial2: new ByteBuffer(), debugcon: new ByteBuffer(), onReset: restart ? 'restart' : 'end' });
          m.load(loadRaw(assemble(actions), 'fuzz.bin', board.memory, { address: 0x100000 }));
          m.uarts[0].pushInput(Uint8Array.of(0x41, 0x0d));
          const reason = m.run({ maxInstructions: 20_000, maxTimeNs: 50e6, inputClosed: () => true });
          expect(reason).toMatch(/^(exit|halt|power-off|input-end|reset|triple-fault|time-limit|instruction-limit)$/);
          const report = m.report();
          expect(report.endReason).toBe(reason);
          expect(m.cpu.internalErrors, String(m.cpu.lastInternalError)).toBe(0);
        }),
        propertyParams(`machine fuzz on ${name}`, 100),
      );
    });
  }
});
