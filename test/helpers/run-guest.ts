// Runs a guest image on a board inside the test process and collects its consoles and report.
import { readFileSync } from 'node:fs';
import { BOARDS } from '../../boards/index.js';
import { validateBoard } from '../../src/machine/validate-board.js';
import { Machine } from '../../src/machine/machine.js';
import type { Engine } from '../../src/cpu/x86/cpu.js';
import type { RunReport } from '../../src/machine/run-report.js';
import { ByteBuffer } from '../../src/host/byte-buffer.js';
import { loadImages } from '../../src/cli/load-images.js';

export interface RunGuestOptions {
  board?: string;
  /** Path of a kernel image (Multiboot ELF, ELF, Linux bzImage/vmlinux). */
  kernel: string;
  append?: string;
  maxInstructions?: number;
  /** Virtual seconds. */
  maxTimeSeconds?: number;
  /** Bytes for the first UART (all queued at the start; the input counts as closed). */
  serialInput?: string;
  cycles?: 'model' | 'uniform';
  /** CPU engine (default 'interp'). */
  engine?: Engine;
  /** 'jit' only: arrivals at a start address before it is compiled. */
  jitThreshold?: number;
}

export interface GuestRun {
  debugcon: string;
  serial: string;
  serial2: string;
  report: RunReport;
  machine: Machine;
}

/** Build the board, load the image, run to an end reason (default limit: 60 virtual seconds). */
export function runGuest(opts: RunGuestOptions): GuestRun {
  const v = validateBoard(BOARDS[opts.board ?? 'pc-i486']);
  if (!v.ok) throw new Error(`board ${opts.board}: ${v.errors.map((e) => `${e.path}: ${e.message}`).join('; ')}`);
  const debugcon = new ByteBuffer();
  const serial = new ByteBuffer();
  const serial2 = new ByteBuffer();
  const machine = Machine.create(v.board, {
    cycles: opts.cycles ?? 'model', debugcon, serial, serial2, engine: opts.engine, jitThreshold: opts.jitThreshold,
  });
  machine.load(loadImages({ kernel: opts.kernel, append: opts.append, loads: [], modules: [] }, v.board, (f) => new Uint8Array(readFileSync(f))));
  if (opts.serialInput !== undefined) machine.uarts[0].pushInput(Buffer.from(opts.serialInput, 'latin1'));
  machine.run({
    maxInstructions: opts.maxInstructions,
    maxTimeNs: (opts.maxTimeSeconds ?? 60) * 1e9,
    inputClosed: () => true,
  });
  return { debugcon: debugcon.text(), serial: serial.text(), serial2: serial2.text(), report: machine.report(), machine };
}
