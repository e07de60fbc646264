/** `shikiri run`: build a board, load images, connect consoles, run to an end reason, report. */

import { readFileSync, writeFileSync } from 'node:fs';
import { DEFAULT_BOARD } from '../../boards/index.js';
import { Machine } from '../machine/machine.js';
import { DEFAULT_JIT_THRESHOLD, ENGINES, type Engine } from '../cpu/x86/cpu.js';
import type { BoardDescription } from '../machine/board-description.js';
import { EXIT_CODES, exitCodeFor, type RunReport } from '../machine/run-report.js';
import { FdSink } from '../host/stream-sink.js';
import { ConsoleInput } from '../host/console-input.js';
import type { CharSink } from '../core/char-device.js';
import { optList, optString, parseNumber, parseOptions, UsageError, type OptionSpec } from './args.js';
import { resolveBoard } from './boards-command.js';
import { CliError } from './cli-error.js';
import { loadImages, type ImageRequest } from './load-images.js';
import { TraceWriter } from './trace-writer.js';

const RUN_OPTIONS: Record<string, OptionSpec> = {
  help: { value: false },
  kernel: { value: true },
  multiboot: { value: true },
  rom: { value: true },
  load: { value: true, repeat: true },
  entry: { value: true },
  append: { value: true },
  initrd: { value: true },
  module: { value: true, repeat: true },
  board: { value: true },
  'post-port': { value: true },
  serial: { value: true },
  serial2: { value: true },
  debugcon: { value: true },
  'max-time': { value: true },
  'max-instructions': { value: true },
  report: { value: true },
  cycles: { value: true },
  engine: { value: true },
  'jit-threshold': { value: true },
  trace: { value: true },
  'on-reset': { value: true },
  quiet: { value: false },
};

/** Engine of `shikiri run` and `shikiri start` when --engine is not given. */
export const DEFAULT_ENGINE: Engine = 'wasm';

export const RUN_HELP = `usage: shikiri run [options]

images:
  --kernel FILE          Linux bzImage or vmlinux, Multiboot ELF, or plain ELF (detected)
  --multiboot FILE       Multiboot v1 image
  --rom FILE             firmware image at the reset vector (CPU starts at F000:FFF0)
  --load FILE@ADDR       raw image at a physical address (repeatable); needs --entry
  --entry ADDR           entry point for --load (flat 32-bit protected mode)
  --append CMDLINE       extra kernel command line (Linux) / Multiboot command line
  --initrd FILE          Linux initial RAM disk
  --module FILE          Multiboot module (repeatable)
machine:
  --board NAME           board (default ${DEFAULT_BOARD}; see shikiri boards)
  --post-port N          port of the POST-code latch (default the board's, 0x80)
  --on-reset end|restart what a reset request does (default the board's)
I/O:
  --serial stdio|file:PATH|none    first UART (default stdio)
  --serial2 stdio|file:PATH|none   second UART (default none)
  --debugcon stdio|file:PATH|none  byte console on port 0xE9 (default none)
limits and output:
  --max-time SECONDS     stop after this much virtual time
  --max-instructions N   stop after N instructions
  --report FILE.json     write the run report
  --cycles model|uniform cycle costs from the CPU model, or one per instruction
  --engine interp|jit|wasm
                         CPU engine: the interpreter, compiled blocks of hot 32-bit
                         code on top of it, or the interpreter with its decoded-
                         instruction loop in WebAssembly (default ${DEFAULT_ENGINE}; same results)
  --jit-threshold N      arrivals at a code address before it is compiled (default
                         ${DEFAULT_JIT_THRESHOLD}; a block that loops on itself: 300, or N if lower)
  --trace FILE           one line per instruction (EIP, EAX..EDI, EFLAGS, CR0, CR3)
  --quiet                no summary line on stderr
Numbers are decimal or 0x-hex. On a terminal, Ctrl-A x quits and Ctrl-A h lists keys.
`;

/** Instructions per slice between host event-loop turns when running interactively. */
const SLICE = 2_000_000;

/** How far virtual time may lead the wall clock in an interactive run, ns. */
const PACE_LEAD_NS = 20e6;

function sinkFor(spec: string, what: string, stdout: FdSink): { sink: CharSink | null; file: FdSink | null } {
  if (spec === 'none') return { sink: null, file: null };
  if (spec === 'stdio') return { sink: stdout, file: null };
  if (spec.startsWith('file:') && spec.length > 5) {
    try {
      const f = FdSink.file(spec.slice(5));
      return { sink: f, file: f };
    } catch (e) {
      throw new CliError(`${what}: cannot open '${spec.slice(5)}': ${(e as Error).message}`, EXIT_CODES.image);
    }
  }
  throw new UsageError(`${what}: '${spec}' is not stdio, file:PATH or none`);
}

/** Everything `shikiri run` needs, after parsing. */
export interface RunRequest {
  board: BoardDescription;
  images: ImageRequest;
  serial: string;
  serial2: string;
  debugcon: string;
  maxTimeNs?: number;
  maxInstructions?: number;
  reportFile?: string;
  cycles: 'model' | 'uniform';
  engine: Engine;
  jitThreshold?: number;
  traceFile?: string;
  postPort?: number;
  onReset?: 'end' | 'restart';
  quiet: boolean;
}

export function parseRunArgs(argv: string[]): RunRequest | null {
  const { options: o, positional } = parseOptions(argv, RUN_OPTIONS);
  if (o.help) return null;
  if (positional.length) throw new UsageError(`unexpected argument '${positional[0]}' (images are given with --kernel, --multiboot, --rom or --load)`);
  const cycles = optString(o, 'cycles') ?? 'model';
  if (cycles !== 'model' && cycles !== 'uniform') throw new UsageError(`--cycles: '${cycles}' is not model or uniform`);
  const engine = optString(o, 'engine') ?? DEFAULT_ENGINE;
  if (!(ENGINES as readonly string[]).includes(engine)) throw new UsageError(`--engine: '${engine}' is not ${ENGINES.join(', ')}`);
  const threshold = optString(o, 'jit-threshold');
  const onReset = optString(o, 'on-reset');
  if (onReset !== undefined && onReset !== 'end' && onReset !== 'restart') throw new UsageError(`--on-reset: '${onReset}' is not end or restart`);
  const maxTime = optString(o, 'max-time');
  const maxInstr = optString(o, 'max-instructions');
  const post = optString(o, 'post-port');
  const entry = optString(o, 'entry');
  const loads = optList(o, 'load').map((spec) => {
    const at = spec.lastIndexOf('@');
    if (at <= 0) throw new UsageError(`--load: '${spec}' is not FILE@ADDR`);
    return { file: spec.slice(0, at), address: parseNumber(spec.slice(at + 1), '--load address', 0, 0xffffffff) };
  });
  const images: ImageRequest = {
    kernel: optString(o, 'kernel'),
    multiboot: optString(o, 'multiboot'),
    rom: optString(o, 'rom'),
    loads,
    entry: entry === undefined ? undefined : parseNumber(entry, '--entry', 0, 0xffffffff),
    append: optString(o, 'append'),
    initrd: optString(o, 'initrd'),
    modules: optList(o, 'module'),
  };
  const given = [images.kernel, images.multiboot, images.rom, loads.length ? 'load' : undefined].filter((x) => x !== undefined);
  if (given.length === 0) throw new UsageError('no image given (use --kernel, --multiboot, --rom or --load; see shikiri run --help)');
  if (given.length > 1) throw new UsageError('give one of --kernel, --multiboot, --rom, --load');
  if (loads.length && images.entry === undefined) throw new UsageError('--load needs --entry ADDR');
  return {
    board: resolveBoard(optString(o, 'board') ?? DEFAULT_BOARD),
    images,
    serial: optString(o, 'serial') ?? 'stdio',
    serial2: optString(o, 'serial2') ?? 'none',
    debugcon: optString(o, 'debugcon') ?? 'none',
    maxTimeNs: maxTime === undefined ? undefined : parseNumber(maxTime, '--max-time', 0, 1e9) * 1e9,
    maxInstructions: maxInstr === undefined ? undefined : parseNumber(maxInstr, '--max-instructions', 0),
    reportFile: optString(o, 'report'),
    cycles,
    engine: engine as Engine,
    jitThreshold: threshold === undefined ? undefined : parseNumber(threshold, '--jit-threshold', 1, 0xffff),
    traceFile: optString(o, 'trace'),
    postPort: post === undefined ? undefined : parseNumber(post, '--post-port', 0, 0xffff),
    onReset: onReset as 'end' | 'restart' | undefined,
    quiet: Boolean(o.quiet),
  };
}

export async function runCommand(argv: string[]): Promise<number> {
  const req = parseRunArgs(argv);
  if (req === null) {
    process.stdout.write(RUN_HELP);
    return 0;
  }
  return runRequest(req);
}

/** Run a parsed request to its end; returns the process exit code. */
export async function runRequest(req: RunRequest): Promise<number> {
  const stdout = new FdSink(1);
  const serial = sinkFor(req.serial, '--serial', stdout);
  const serial2 = sinkFor(req.serial2, '--serial2', stdout);
  const debugcon = sinkFor(req.debugcon, '--debugcon', stdout);
  const image = loadImages(req.images, req.board, readImageFile);
  const machine = Machine.create(req.board, {
    cycles: req.cycles,
    engine: req.engine,
    jitThreshold: req.jitThreshold,
    postPort: req.postPort,
    serial: serial.sink,
    serial2: serial2.sink,
    debugcon: debugcon.sink,
    onReset: req.onReset,
  });
  machine.load(image);
  const trace = req.traceFile ? new TraceWriter(req.traceFile) : null;
  if (trace) machine.cpu.trace = trace.line;

  const uart0 = machine.uarts[0];
  const consoleUsed = req.serial === 'stdio' && uart0 !== undefined;
  const input = new ConsoleInput(
    process.stdin,
    (bytes) => uart0?.pushInput(bytes),
    () => machine.stop('user-quit'),
    (text) => process.stderr.write(text),
  );
  if (consoleUsed) input.start();
  else input.closed = true;

  // On a terminal, virtual time may not run ahead of the wall clock (by more than PACE_LEAD_NS):
  // an idle guest would otherwise race through its timer ticks, and `sleep 5` would return at
  // once. Piped and scripted runs are not paced, so they stay deterministic and fast.
  const paced = consoleUsed && input.interactive;
  // Every slice runs in a promise job, the first one too: the code that called this (the
  // launcher's vm.Script, a CommonJS entry) may be one where V8 builds a message object with the
  // source location at each JavaScript throw, and each guest fault is a throw (about 0.7 µs more
  // per fault there; docs/performance.md).
  await Promise.resolve();
  const wallStart = performance.now();
  const virtualStart = machine.clock.nowNs;
  let reason;
  try {
    for (;;) {
      const wallNs = (performance.now() - wallStart) * 1e6;
      reason = machine.run({
        maxTimeNs: req.maxTimeNs,
        maxInstructions: req.maxInstructions,
        sliceInstructions: SLICE,
        sliceUntilNs: paced ? virtualStart + wallNs + PACE_LEAD_NS : undefined,
        inputClosed: () => input.closed,
      });
      stdout.flush();
      if (reason !== null) break;
      // Let the host deliver terminal input and write output between slices; wait a little when
      // the guest is ahead of the wall clock or halted with nothing scheduled.
      const ahead = machine.clock.nowNs - virtualStart - (performance.now() - wallStart) * 1e6;
      const idle = machine.cpu.halted && machine.clock.nextEventAt === Infinity && !input.closed;
      if ((paced && ahead > 0) || idle) await new Promise<void>((r) => setTimeout(r, Math.min(10, Math.max(1, ahead / 1e6))));
      else await new Promise<void>((r) => setImmediate(r));
    }
  } finally {
    input.stop();
    stdout.flush();
    serial.file?.end();
    serial2.file?.end();
    debugcon.file?.end();
    trace?.end();
  }
  const report: RunReport & { host?: { peakRssMiB: number } } = machine.report();
  report.host = { peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024) };
  if (req.reportFile) writeFileSync(req.reportFile, JSON.stringify(report, null, 2) + '\n');
  if (!req.quiet) {
    const exit = report.endReason === 'exit' ? ` value 0x${(report.guestExitValue ?? 0).toString(16)}` : '';
    process.stderr.write(
      `\n[shikiri] ${report.endReason}${exit} on ${report.board}: ${(report.instructions / 1e6).toFixed(2)} M instructions, ` +
        `${(report.virtualTimeNs / 1e9).toFixed(3)} s virtual, ${(report.wallMs / 1000).toFixed(2)} s wall, ${report.mips} MIPS\n`,
    );
  }
  return exitCodeFor(report.endReason, report.guestExitValue);
}

function readImageFile(file: string): Uint8Array {
  try {
    return new Uint8Array(readFileSync(file));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new CliError(`cannot read image '${file}': ${code === 'ENOENT' ? 'no such file' : (e as Error).message}`, EXIT_CODES.image);
  }
}
