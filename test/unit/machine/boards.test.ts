// Specification of the shipped boards: each validates, keeps the legacy PC set, and models its datasheet facts.
import { describe, expect, it } from 'vitest';
import { BOARDS, DEFAULT_BOARD } from '../../../boards/index.js';
import { validateBoard } from '../../../src/machine/validate-board.js';

const LEGACY: Array<[string, number, number | undefined]> = [
  ['pic8259', 0x20, undefined],
  ['pic8259', 0xa0, undefined],
  ['pit8254', 0x40, 0],
  ['cmos-rtc', 0x70, 8],
  ['uart16550', 0x3f8, 4],
  ['uart16550', 0x2f8, 3],
  ['kbc-reset', 0x60, undefined],
  ['fast-reset', 0x92, undefined],
  ['debug-console', 0xe9, undefined],
  ['debug-exit', 0xf4, undefined],
  ['post-code', 0x80, undefined],
];

describe('boards', () => {
  it('lists pc-i486 (the default), vortex86sx and elan-sc410 under their own names', () => {
    expect(Object.keys(BOARDS).sort()).toEqual(['elan-sc410', 'pc-i486', 'vortex86sx']);
    expect(BOARDS[DEFAULT_BOARD].name).toBe('pc-i486');
    for (const [key, b] of Object.entries(BOARDS)) expect(b.name).toBe(key);
  });

  for (const [name, board] of Object.entries(BOARDS)) {
    describe(name, () => {
      it('passes validation', () => {
        const r = validateBoard(board);
        expect(r.ok ? [] : r.errors).toEqual([]);
      });
      it('has no FPU and a CPU model of its own name', () => {
        expect(board.cpu.fpu).toBe(false);
        expect(board.cpu.model).toBe(name === 'pc-i486' ? 'i486sx' : name);
      });
      it('keeps the legacy PC devices at the standard ports and IRQs, slave on IRQ 2', () => {
        for (const [kind, port, irq] of LEGACY) {
          const d = board.devices.find((x) => x.kind === kind && x.port === port) as { irq?: number } | undefined;
          expect(d, `${kind} at 0x${port.toString(16)}`).toBeDefined();
          if (irq !== undefined) expect(d!.irq).toBe(irq);
        }
        const slave = board.devices.find((x) => x.kind === 'pic8259' && x.role === 'slave');
        expect(slave && slave.kind === 'pic8259' && slave.cascadeInput).toBe(2);
        const pit = board.devices.find((x) => x.kind === 'pit8254');
        expect(pit && pit.kind === 'pit8254' && pit.portB).toBe(0x61);
      });
      it('maps 640 KiB + extended RAM with the 0xA0000-0xFFFFF hole and the two ROM windows', () => {
        expect(board.memory.ram[0]).toEqual({ base: 0, size: 0xa0000 });
        expect(board.memory.ram[1].base).toBe(0x100000);
        expect(board.memory.rom).toEqual([
          { base: 0xf0000, size: 0x10000 },
          { base: 0xffff0000, size: 0x10000 },
        ]);
      });
      it('cites references', () => {
        expect(board.references.length).toBeGreaterThan(0);
      });
    });
  }

  it('pc-i486: 486SX at 33 MHz with 32 MiB', () => {
    const b = BOARDS['pc-i486'];
    expect(b.cpu.frequencyHz).toBe(33_000_000);
    expect(b.memory.ram.reduce((s, r) => s + r.size, 0) + 0x60000).toBe(32 * 1024 * 1024);
  });
  it('vortex86sx: 300 MHz with 128 MiB', () => {
    const b = BOARDS.vortex86sx;
    expect(b.cpu.frequencyHz).toBe(300_000_000);
    expect(b.memory.ram[1].base + b.memory.ram[1].size).toBe(128 * 1024 * 1024);
  });
  it('elan-sc410: 100 MHz, 16 MiB, the Élan PIT clock and the CSC-port watchdog', () => {
    const b = BOARDS['elan-sc410'];
    expect(b.cpu.frequencyHz).toBe(100_000_000);
    expect(b.memory.ram[1].base + b.memory.ram[1].size).toBe(16 * 1024 * 1024);
    expect(b.devices.find((d) => d.kind === 'pit8254')).toMatchObject({ inputHz: 1_189_200 });
    expect(b.devices.find((d) => d.kind === 'watchdog')).toMatchObject({ port: 0x22, model: 'elan-sc410' });
  });
});
