// Specification of a machine run: end reasons, exit codes, limits, idle time, the run report.
import { describe, expect, it } from 'vitest';
import { BOARDS } from '../../../boards/index.js';
import type { BoardDescription } from '../../../src/machine/board-description.js';
import { Machine } from '../../../src/machine/machine.js';
import { loadRaw } from '../../../src/machine/loaders/raw.js';
import { validateBoard } from '../../../src/machine/validate-board.js';
import { ByteBuffer } from '../../../src/host/byte-buffer.js';

const LOAD = 0x100000;

function board(mutate?: (b: BoardDescription) => void): BoardDescription {
  const b = structuredClone(BOARDS['pc-i486']);
  mutate?.(b);
  const v = validateBoard(b);
  if (!v.ok) throw new Error(JSON.stringify(v.errors));
  return v.board;
}

/** A machine running `code` (32-bit, flat, at 1 MiB, interrupts off). */
function machineWith(code: number[], b = board()) {
  const debugcon = new ByteBuffer();
  const m = Machine.create(b, { debugcon });
  m.load(loadRaw(Uint8Array.from(code), 'test.bin', b.memory, { address: LOAD }));
  return { m, debugcon };
}

const u32 = (v: number) => [v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff];
const HLT = 0xf4;

describe('Machine run', () => {
  it('ends with `halt` and exit code 0 on HLT with interrupts disabled (power-off without ACPI)', () => {
    const { m } = machineWith([0x90, HLT]);
    expect(m.run()).toBe('halt');
    const r = m.report();
    expect(r.exitCode).toBe(0);
    expect(r.instructions).toBe(2);
  });

  it('ends with `exit` and (v << 1) | 1 when the guest writes v to port 0xF4', () => {
    const { m } = machineWith([0xb0, 0x05, 0xe6, 0xf4, 0xeb, 0xfe]);
    expect(m.run()).toBe('exit');
    expect(m.report()).toMatchObject({ endReason: 'exit', guestExitValue: 5, exitCode: 11 });
  });

  it('passes debug-console bytes to its sink', () => {
    const { m, debugcon } = machineWith([0xb0, 0x48, 0xe6, 0xe9, 0xb0, 0x69, 0xe6, 0xe9, HLT]);
    m.run();
    expect(debugcon.text()).toBe('Hi');
  });

  it('stops at the instruction limit and at the virtual-time limit', () => {
    const spin = [0xeb, 0xfe];
    const a = machineWith(spin).m;
    expect(a.run({ maxInstructions: 1000 })).toBe('instruction-limit');
    expect(a.report().instructions).toBe(1000);
    expect(a.report().exitCode).toBe(8);
    const b = machineWith(spin).m;
    expect(b.run({ maxTimeNs: 1e6 })).toBe('time-limit');
    const ns = b.report().virtualTimeNs;
    expect(ns).toBeGreaterThanOrEqual(1e6);
    expect(ns).toBeLessThan(1e6 + 1000);
  });

  it('ends with `reset` (exit code 12) when the keyboard controller pulses reset on a board that ends on reset', () => {
    const { m } = machineWith([0xb0, 0xfe, 0xe6, 0x64, 0xeb, 0xfe]);
    expect(m.run({ maxInstructions: 100 })).toBe('reset');
    expect(m.report().exitCode).toBe(12);
  });

  it('restarts the loaded image on reset when the policy says restart', () => {
    // Every boot writes 'A' to the debug console, then pulses reset; the console sink outlives boots.
    const b = board((d) => (d.reset.onReset = 'restart'));
    const { m, debugcon } = machineWith([0xb0, 0x41, 0xe6, 0xe9, 0xb0, 0xfe, 0xe6, 0x64, 0xeb, 0xfe], b);
    expect(m.run({ maxInstructions: 50 })).toBe('instruction-limit');
    expect(debugcon.text().length).toBeGreaterThan(3);
    expect(debugcon.text()).toMatch(/^A+$/);
  });

  it('stops with `triple-fault` (exit code 6) on a CPU shutdown when the board stops on triple fault', () => {
    // lidt [idt0] with a zero limit, then int3: #GP on delivery, #DF, then shutdown.
    const idtAt = LOAD + 0x20;
    const code = [0x0f, 0x01, 0x1d, ...u32(idtAt), 0xcc, 0xeb, 0xfe];
    while (code.length < 0x20) code.push(0x90);
    code.push(0, 0, 0, 0, 0, 0);
    const { m } = machineWith(code, board((d) => (d.reset.onTripleFault = 'stop')));
    expect(m.run({ maxInstructions: 100 })).toBe('triple-fault');
    expect(m.report().exitCode).toBe(6);
  });

  it('reports unmapped port and memory accesses once per address with counts, and the POST code', () => {
    const code = [0xe4, 0x87, 0xe4, 0x87, 0xa1, ...u32(0xe0000000), 0xb0, 0x42, 0xe6, 0x80, HLT];
    const { m } = machineWith(code);
    m.run();
    const r = m.report();
    expect(r.unmapped).toContainEqual({ address: 0x87, kind: 'port-read', count: 2 });
    expect(r.unmapped).toContainEqual({ address: 0xe0000000, kind: 'mem-read', count: 1 });
    expect(r.postCode).toBe(0x42);
  });

  it('skips idle time: a HLT waiting for the PIT costs no instructions until the tick', () => {
    // Program the PIT (mode 2, reload 11932 = 100 Hz), the 8259 (vector 0x20), set an IDT with one
    // gate at vector 0x20 whose handler writes 'T' to 0xE9 and exits; sti; hlt.
    const idt = LOAD + 0x200;
    const handler = LOAD + 0x100;
    const gdtCode = 0x10;
    const c: number[] = [];
    const out = (port: number, v: number) => c.push(0xb0, v, 0xe6, port);
    c.push(0xbc, ...u32(LOAD + 0x2000)); // mov esp: a stack above the image
    // The counter first: setting mode 2 drives OUT high, an edge the 8259 must not see, since
    // ICW1 resets its edge-sense logic (8259A datasheet, "Initialization Command Words").
    out(0x43, 0x34); out(0x40, 11932 & 0xff); out(0x40, 11932 >> 8); // counter 0, mode 2
    out(0x20, 0x11); out(0x21, 0x20); out(0x21, 0x04); out(0x21, 0x01); // master ICW1-4
    out(0xa0, 0x11); out(0xa1, 0x28); out(0xa1, 0x02); out(0xa1, 0x01); // slave
    out(0x21, 0xfe); out(0xa1, 0xff); // unmask IRQ 0 only
    c.push(0x0f, 0x01, 0x1d, ...u32(idt + 0x100 * 8)); // lidt [idtr]
    c.push(0xfb, HLT, 0xeb, 0xfe); // sti; hlt; jmp $
    while (c.length < 0x100) c.push(0x90);
    c.push(0xb0, 0x54, 0xe6, 0xe9, 0xb0, 0x07, 0xe6, 0xf4); // handler: 'T', exit 7
    while (c.length < 0x200) c.push(0x90);
    for (let v = 0; v < 0x100; v++) {
      const h = v === 0x20 ? handler : LOAD + 0x1fe; // other vectors: a jmp $ never reached
      c.push(h & 0xff, (h >>> 8) & 0xff, gdtCode, 0, 0, 0x8e, (h >>> 16) & 0xff, h >>> 24);
    }
    c.push(0xff, 0x07, ...u32(idt)); // IDTR: limit 0x7ff, base
    const { m, debugcon } = machineWith(c);
    expect(m.run({ maxTimeNs: 1e9 })).toBe('exit');
    expect(debugcon.text()).toBe('T');
    const r = m.report();
    expect(r.guestExitValue).toBe(7);
    expect(r.instructions).toBeLessThan(80);
    // One PIT period at 1.193182 MHz with reload 11932 is 10 ms of virtual time.
    expect(r.virtualTimeNs).toBeGreaterThan(9.9e6);
    expect(r.virtualTimeNs).toBeLessThan(10.1e6);
  });
});
