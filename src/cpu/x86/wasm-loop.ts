/** The 'wasm' engine's WebAssembly instance: one linear memory holding a core's RAM, page flags, TLB, registers and decoded-instruction cache, and the loop that runs decoded forms over it. */

import { DECODED_LOOP_WASM } from './wasm/decoded-loop.binary.js';
import type { Cpu } from './cpu.js';
import { CS } from './state.js';

/** The compiled module, shared by every core (compiled at the first use). */
let compiled: WebAssembly.Module | null = null;

/** The module's bytes, from the base64 the build stored them as. */
function binary(): Uint8Array<ArrayBuffer> {
  const text = atob(DECODED_LOOP_WASM);
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}

function module(): WebAssembly.Module {
  if (compiled === null) compiled = new WebAssembly.Module(binary());
  return compiled;
}

/**
 * Compile the loop's module ahead of the first machine, off the caller's thread where the host
 * allows it. Optional: a 'wasm' machine compiles it synchronously when this has not run, which
 * browsers refuse on their main thread for a module of this size.
 */
export async function compileWasmLoop(): Promise<void> {
  if (compiled !== null) return;
  compiled = await WebAssembly.compile(binary());
}

/**
 * Largest RAM store the engine takes (1.5 GiB): its memory then stays below 2 GiB, where
 * physical addresses are int32s, and the cache's per-page arrays cover every page.
 */
export const WASM_MAX_RAM = 0x6000_0000;

/** What the loop's exports hold (see decoded-loop.ts). */
interface LoopExports {
  memory: WebAssembly.Memory;
  run(): number;
  decodeInto(p: number, s: number): number;
  [name: string]: unknown;
}

/**
 * One core's WebAssembly instance. The memory is laid out by the module (its exported offsets);
 * this object hands out the typed-array views the bus, the core and its decoded-instruction cache
 * use instead of allocating their own, so the JavaScript interpreter and the WebAssembly loop
 * work on the same bytes.
 */
export class WasmLoop {
  readonly memory: WebAssembly.Memory;
  /** RAM store and page flags, for the bus ({@link AddressSpace}'s backing). */
  readonly ram: Uint8Array;
  readonly pageFlags: Uint8Array;
  /** The 32 bytes of the general registers and where they start in {@link memory}. */
  readonly regsOffset: number;
  readonly tlb: Int32Array;
  /** The decoded-instruction cache's arrays (see DecodedCache). */
  readonly tag: Int32Array;
  readonly info: Int32Array;
  readonly imm: Int32Array;
  readonly disp: Int32Array;
  readonly op: Uint8Array;
  readonly a: Uint8Array;
  readonly b: Uint8Array;
  readonly seg: Uint8Array;
  readonly base: Uint8Array;
  readonly index: Uint8Array;
  readonly scale: Uint8Array;
  /** The cache's per-page arrays, one entry per RAM page and one more (see DecodedCache). */
  readonly watched: Uint8Array;
  readonly invalidations: Uint8Array;
  readonly givenUp: Uint8Array;
  readonly lowest: Uint16Array;
  readonly highest: Uint16Array;
  /** Pages the loop's decoder began to watch during a run (C_QUEUED of them), for the bus. */
  readonly queue: Int32Array;
  /** The control block (the module's C_* slots). */
  readonly ctrl: Int32Array;
  /** Runs the loop; returns a STOP_* value. */
  readonly run: () => number;
  /** The loop's decoder on its own: decodes physical `p` into slot `s`, returns the pages it queued (for tests). */
  readonly decodeInto: (p: number, s: number) => number;
  /** Instructions the loop retired (for tests and measurements). */
  retired = 0;

  /**
   * @param ramTop bytes of RAM store (a multiple of 4 KiB, at most {@link WASM_MAX_RAM}).
   */
  constructor(ramTop: number) {
    if (ramTop > WASM_MAX_RAM) throw new RangeError(`engine 'wasm': RAM store of ${ramTop} bytes is above its limit of ${WASM_MAX_RAM} bytes`);
    const x = new WebAssembly.Instance(module(), {}).exports as unknown as LoopExports;
    const at = (name: string) => (x[name] as WebAssembly.Global).value as number;
    this.memory = x.memory;
    const ramAt = at('RAM');
    const bytes = ramAt + ramTop;
    const more = Math.ceil(bytes / 65536) - this.memory.buffer.byteLength / 65536; // 64 KiB wasm pages
    if (more > 0) this.memory.grow(more);
    const buf = this.memory.buffer;
    this.ram = new Uint8Array(buf, ramAt, ramTop);
    this.pageFlags = new Uint8Array(buf, at('PAGE_FLAGS'), 1 << 20);
    this.regsOffset = at('REGS');
    this.tlb = new Int32Array(buf, at('TLB'), 1 << 20);
    const slots = 1 << 16;
    this.tag = new Int32Array(buf, at('TAG'), slots);
    this.info = new Int32Array(buf, at('INFO'), slots);
    this.imm = new Int32Array(buf, at('IMM'), slots);
    this.disp = new Int32Array(buf, at('DISP'), slots);
    this.op = new Uint8Array(buf, at('OP'), slots);
    this.a = new Uint8Array(buf, at('A'), slots);
    this.b = new Uint8Array(buf, at('B'), slots);
    this.seg = new Uint8Array(buf, at('SEG'), slots);
    this.base = new Uint8Array(buf, at('BASE'), slots);
    this.index = new Uint8Array(buf, at('INDEX'), slots);
    this.scale = new Uint8Array(buf, at('SCALE'), slots);
    const pages = (ramTop >>> 12) + 1;
    this.watched = new Uint8Array(buf, at('WATCHED'), pages);
    this.invalidations = new Uint8Array(buf, at('INVALIDATIONS'), pages);
    this.givenUp = new Uint8Array(buf, at('GIVEN_UP'), pages);
    this.lowest = new Uint16Array(buf, at('LOWEST'), pages);
    this.highest = new Uint16Array(buf, at('HIGHEST'), pages);
    this.queue = new Int32Array(buf, at('QUEUE'), 0x1000);
    this.ctrl = new Int32Array(buf, at('CTRL'), 64);
    this.ctrl[C_PAGES] = pages;
    this.ctrl[C_RAM_SIZE] = ramTop;
    this.run = x.run;
    this.decodeInto = x.decodeInto;
  }
}

// Control slots and stops (decoded-loop.ts).
const C_P = 0, C_DELTA = 1, C_PLO = 2, C_PHI = 3, C_ROOM = 4, C_LEFT = 5, C_SPENT = 6, C_N = 7;
const C_FLAGS = 8, C_LAZY_MASK = 9, C_LAZY_KIND = 10, C_LAZY_BITS = 11, C_LAZY_DST = 12, C_LAZY_SRC = 13, C_LAZY_RES = 14;
const C_PAGING = 15, C_NEED_READ = 16, C_NEED_WRITE = 17, C_CS_LIMIT = 18, C_CS_BASE = 19, C_SS32 = 20;
const C_WHOLE_READ = 21, C_WHOLE_WRITE = 22, C_MOVED = 23, C_SEG_BASE = 24;
const C_PAGES = 40, C_RAM_SIZE = 41, C_QUEUED = 42, C_DECODED = 43, C_CYC_STRING = 44, C_STRING_DONE = 45, C_CPL = 46;
const C_CYC_ALU = 32, C_CYC_ALU_MEM = 33, C_CYC_MOV = 34, C_CYC_STACK = 35, C_CYC_SHIFT = 36, C_CYC_BRANCH = 37, C_CYC_CALL = 38, C_CYC_MUL = 39;
/** The loop stopped at the clock event or the budget. */
export const STOP_BUDGET = 0;
/** The loop stopped at an instruction in the fetch window that it leaves to JavaScript. */
export const STOP_HOST = 1;
/** The loop stopped at an instruction that is not in the decoded-instruction cache. */
export const STOP_MISS = 3;

/** Give the loop the core's cycle table (once: it does not change). Throws for cycles that are not whole. */
export function setLoopCycles(w: WasmLoop, c: Cpu): void {
  const y = c.cyc, k = w.ctrl;
  const list = [y.alu, y.aluMem, y.mov, y.stack, y.shift, y.branch, y.call, y.mul, y.string];
  if (!list.every((v) => Number.isInteger(v) && v >= 0 && v < 0x10000)) throw new RangeError("engine 'wasm': the cycle table's entries must be whole numbers of cycles");
  k[C_CYC_ALU] = y.alu; k[C_CYC_ALU_MEM] = y.aluMem; k[C_CYC_MOV] = y.mov; k[C_CYC_STACK] = y.stack;
  k[C_CYC_SHIFT] = y.shift; k[C_CYC_BRANCH] = y.branch; k[C_CYC_CALL] = y.call; k[C_CYC_MUL] = y.mul; k[C_CYC_STRING] = y.string;
}

/**
 * Run the WebAssembly loop from c.eip (32-bit code in the fetch window, before the next clock
 * event and within the budget `end`): the core's state goes into the control block, the loop runs,
 * and the state comes back, EIP, clock and count included. Returns the loop's STOP_* value; any
 * other than STOP_BUDGET leaves the next instruction to the caller's JavaScript path.
 */
export function runWasm(c: Cpu, w: WasmLoop, end: number): number {
  const k = w.ctrl, clock = c.clock;
  const now0 = clock.now, count0 = c.instructions, delta = c.fetchDelta;
  k[C_P] = (delta + c.eip) | 0; k[C_DELTA] = delta; k[C_PLO] = (delta + c.fetchLo) | 0; k[C_PHI] = (delta + c.fetchHi) | 0;
  // Both bounds as in runDecoded: whole cycles, at most 2^30 (the caller comes back).
  k[C_ROOM] = Math.ceil(Math.min(clock.nextEventAt - now0, 0x40000000));
  k[C_LEFT] = Math.ceil(Math.min(end - count0, 0x40000000));
  k[C_FLAGS] = c.flags; k[C_LAZY_MASK] = c.lazyMask; k[C_LAZY_KIND] = c.lazyKind; k[C_LAZY_BITS] = c.lazyBits;
  k[C_LAZY_DST] = c.lazyDst; k[C_LAZY_SRC] = c.lazySrc; k[C_LAZY_RES] = c.lazyRes;
  k[C_CPL] = c.cpl; k[C_PAGING] = c.paging ? 1 : 0; k[C_NEED_READ] = c.needRead; k[C_NEED_WRITE] = c.needWrite;
  k[C_CS_LIMIT] = c.segLimit[CS]; k[C_CS_BASE] = c.segBase[CS]; k[C_SS32] = c.ss32 ? 1 : 0;
  k[C_WHOLE_READ] = c.wholeRead; k[C_WHOLE_WRITE] = c.wholeWrite;
  const bases = c.segBase;
  for (let s = 0; s < 6; s++) k[C_SEG_BASE + s] = bases[s];
  const stop = w.run();
  // Pages the loop's decoder began to watch: the bus's own records (the loop already sends
  // their writes to the host's path).
  const queued = k[C_QUEUED];
  if (queued !== 0) {
    const bus = c.bus, queue = w.queue;
    for (let i = 0; i < queued; i++) bus.watchPage(queue[i]);
  }
  if (k[C_DECODED] !== 0) c.decoded!.decoded += k[C_DECODED];
  c.stringCarry = k[C_STRING_DONE];
  const p = k[C_P], d = k[C_DELTA];
  c.eip = (p - d) >>> 0;
  if (k[C_MOVED] !== 0) {
    const lo = (k[C_PLO] - d) >>> 0;
    c.fetchLo = lo;
    c.fetchHi = ((k[C_PHI] - 1 - d) >>> 0) + 1;
    c.fetchDelta = k[C_PLO] - lo;
    c.fetchPage = k[C_PLO] >>> 12;
  }
  const n = k[C_N];
  clock.now = now0 + k[C_SPENT]; c.instructions = count0 + n; w.retired += n;
  c.flags = k[C_FLAGS]; c.lazyMask = k[C_LAZY_MASK]; c.lazyKind = k[C_LAZY_KIND]; c.lazyBits = k[C_LAZY_BITS];
  c.lazyDst = k[C_LAZY_DST]; c.lazySrc = k[C_LAZY_SRC]; c.lazyRes = k[C_LAZY_RES];
  return stop;
}
