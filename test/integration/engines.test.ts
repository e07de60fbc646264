// The interpreter's decoded-instruction cache, the 'jit' engine and the 'wasm' engine run the real guests exactly as the plain decoder does: compared in lockstep at random slice boundaries.
import { readFileSync } from 'node:fs';
import { describe, expect, inject, it } from 'vitest';
import { BOARDS } from '../../boards/index.js';
import { Machine } from '../../src/machine/machine.js';
import { validateBoard } from '../../src/machine/validate-board.js';
import { ByteBuffer } from '../../src/host/byte-buffer.js';
import { loadImages } from '../../src/cli/load-images.js';
import type { Engine } from '../../src/cpu/x86/cpu.js';

interface Side {
  machine: Machine;
  serial: ByteBuffer;
}

/** The four ways of running a guest: the plain decoder (the reference), the interpreter with its cache, the jit, the wasm engine. */
type Config = 'plain' | 'interp' | 'jit' | 'wasm';

function boot(board: string, kernel: string, config: Config, input: string): Side {
  const v = validateBoard(BOARDS[board]);
  if (!v.ok) throw new Error(`board ${board} is invalid`);
  const serial = new ByteBuffer();
  const engine: Engine = config === 'plain' ? 'interp' : config;
  // Threshold 1: every start address is compiled at first sight, so the compiler sees all the code.
  const machine = Machine.create(v.board, { serial, engine, jitThreshold: 1, decodedCache: config !== 'plain' });
  machine.load(loadImages({ kernel, loads: [], modules: [] }, v.board, (f) => new Uint8Array(readFileSync(f))));
  machine.uarts[0].pushInput(Buffer.from(input, 'latin1'));
  return { machine, serial };
}

/** Everything a slice boundary can show of the machine: CPU state, time, console output. */
function observe(s: Side): string {
  const c = s.machine.cpu;
  return JSON.stringify({
    eip: c.eip >>> 0, regs: Array.from(c.r32), eflags: c.getEflags(), cr: [c.cr0 >>> 0, c.cr2 >>> 0, c.cr3 >>> 0],
    sel: [c.es, c.cs, c.ss, c.ds, c.fs, c.gs], instructions: c.instructions, now: s.machine.clock.now,
    lastException: c.lastException, out: s.serial.bytes().length,
  });
}

/**
 * Run the four ways with the same sequence of slice sizes (deterministic, from a fixed LCG) and
 * compare each with the plain decoder after every slice; returns the number of slices and the
 * interpreter's, the jit's and the wasm engine's machines.
 */
function lockstep(board: string, kernel: string, input: string, maxTimeS: number): { slices: number; jit: Side; interp: Side; wasm: Side } {
  const plain = boot(board, kernel, 'plain', input);
  const interp = boot(board, kernel, 'interp', input);
  const jit = boot(board, kernel, 'jit', input);
  const wasm = boot(board, kernel, 'wasm', input);
  const others = [['interp', interp], ['jit', jit], ['wasm', wasm]] as const;
  let seed = 0x5eed;
  let slices = 0;
  const limits = { maxTimeNs: maxTimeS * 1e9, inputClosed: () => true };
  while (!plain.machine.ended || others.some(([, side]) => !side.machine.ended)) {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    const slice = 1 + (seed % 150_000);
    plain.machine.run({ ...limits, sliceInstructions: slice });
    for (const [, side] of others) side.machine.run({ ...limits, sliceInstructions: slice });
    slices++;
    for (const [name, side] of others) expect(observe(side), `${name} after slice ${slices}`).toBe(observe(plain));
  }
  for (const [, side] of others) {
    expect(side.serial.text()).toBe(plain.serial.text());
    expect(side.machine.report().endReason).toBe(plain.machine.report().endReason);
  }
  return { slices, jit, interp, wasm };
}

describe("the decoded-instruction cache, the 'jit' engine and the 'wasm' engine on the real guests", () => {
  const guests = inject('guests');

  it('boot Linux on pc-i486 to the prompt and power off exactly as the plain decoder does, slice by slice', { timeout: 600_000 }, () => {
    const { slices, jit, interp, wasm } = lockstep('pc-i486', guests.linux.bzImage, 'uname -a\npoweroff\n', 60);
    expect(slices).toBeGreaterThan(50);
    expect(jit.serial.text()).toContain('shikiri# ');
    expect(jit.machine.report().endReason).toBe('halt');
    // Not vacuous: the boot really ran compiled code, and Linux's writes to code pages
    // (the decompressor's output over earlier code, boot-time patching) dropped blocks.
    expect(jit.machine.cpu.blocks!.compiled).toBeGreaterThan(1000);
    expect(jit.machine.cpu.blocks!.invalidated).toBeGreaterThan(0);
    expect(interp.machine.cpu.decoded!.decoded).toBeGreaterThan(10_000);
    expect(interp.machine.cpu.decoded!.invalidated).toBeGreaterThan(0);
    // And the WebAssembly loop ran nearly all of it.
    expect(wasm.machine.cpu.wasm!.retired).toBeGreaterThan(0.9 * wasm.machine.cpu.instructions);
    expect(wasm.machine.cpu.decoded!.invalidated).toBeGreaterThan(0);
  });

  for (const board of ['pc-i486', 'elan-sc410']) {
    for (const t of ['test-task', 'test-int', 'test-time', 'test-mtx']) {
      it(`run the RTOS ${t} on ${board} exactly as the plain decoder does`, { timeout: 120_000 }, () => {
        const image = guests.rtos?.[`${t}-${board}`];
        expect(image, `artefact ${t}-${board}`).toBeTruthy();
        const { jit, interp, wasm } = lockstep(board, image, '', 120);
        expect(jit.serial.text()).toContain('All check points passed.');
        expect(jit.machine.cpu.blocks!.compiled).toBeGreaterThan(10);
        expect(interp.machine.cpu.decoded!.decoded).toBeGreaterThan(10);
        expect(wasm.machine.cpu.wasm!.retired).toBeGreaterThan(10);
      });
    }
  }
});
