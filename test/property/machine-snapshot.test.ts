// Property: run(N) → save → JSON → restore into a fresh machine → run to the end equals one straight run.
import { describe, expect, inject, it } from 'vitest';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { BOARDS } from '../../boards/index.js';
import { Machine } from '../../src/machine/machine.js';
import { validateBoard } from '../../src/machine/validate-board.js';
import { ByteBuffer } from '../../src/host/byte-buffer.js';
import { loadImages } from '../../src/cli/load-images.js';
import { propertyParams } from '../helpers/property.js';

function fresh(kernel: string) {
  const v = validateBoard(BOARDS['pc-i486']);
  if (!v.ok) throw new Error('board invalid');
  const serial = new ByteBuffer();
  const debugcon = new ByteBuffer();
  const m = Machine.create(v.board, { serial, debugcon });
  const image = loadImages({ kernel, loads: [], modules: [] }, v.board, (f) => new Uint8Array(readFileSync(f)));
  return { m, serial, debugcon, image };
}

function observable(m: Machine) {
  const { wallMs: _w, mips: _m, ...rest } = m.report();
  return { report: rest, cpu: JSON.stringify(m.cpu.saveState()), ram: Buffer.from(m.bus.ram).toString('base64') };
}

describe('machine snapshots', () => {
  const demo = inject('guests').tests?.demo;

  it('continue a run exactly: run(N), save, restore into a fresh machine, run on = one straight run', () => {
    expect(demo, 'the demo guest image is built by the test setup').toBeTruthy();
    const straight = fresh(demo!);
    straight.m.load(straight.image);
    expect(straight.m.run({ maxTimeNs: 5e9 })).toBe('exit');
    const total = straight.m.report().instructions;
    const want = observable(straight.m);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: total - 1 }), (n) => {
        const a = fresh(demo!);
        a.m.load(a.image);
        expect(a.m.run({ maxTimeNs: 5e9, sliceInstructions: n })).toBeNull();
        const saved = JSON.parse(JSON.stringify(a.m.saveState()));
        const b = fresh(demo!);
        b.m.loadState(saved);
        expect(b.m.run({ maxTimeNs: 5e9 })).toBe('exit');
        expect(a.serial.text() + b.serial.text()).toBe(straight.serial.text());
        expect(a.debugcon.text() + b.debugcon.text()).toBe(straight.debugcon.text());
        const got = observable(b.m);
        expect(got.report).toEqual(want.report);
        expect(got.cpu).toBe(want.cpu);
        expect(got.ram === want.ram).toBe(true);
      }),
      propertyParams('machine snapshot continuation', 12),
    );
  });
});
