/** The i486 integer core: public API, run loop, memory access through segmentation and paging. */

import { PAGE_DIRECT_READ, PAGE_DIRECT_WRITE, type Bus } from '../../core/bus.js';
import type { Clock } from '../../core/clock.js';
import type { InterruptController } from '../../core/interrupt-controller.js';
import type { CpuModel, CycleTable } from './models.js';
import {
  CpuState, CS, DS, ES, FS, GS, SS, IF, TF, VM, RF, IOPL, ATTR_DB, ATTR_G, ATTR_P, ATTR_S, SEG_R, SEG_W,
  CR0_PE, CR0_PG, R8_INDEX, SEG_NAMES, REG_NAMES, DOUBLE_FIELD, SIGN_FLIP,
} from './state.js';
import { materialize } from './lazy-flags.js';
import { FAULT, NO_ERROR, DB, NMI, GP, SSF, becomesDoubleFault, EV_EXCEPTION, EV_EXTERNAL, UD, hasErrorCode } from './exceptions.js';
import { walk, flushTlb } from './paging.js';
import { step } from './decode.js';
import { deliverInterrupt } from './interrupts.js';
import { setSegmentCache, computeSegmentRights } from './segmentation.js';
import type { InterceptHooks } from './intercept.js';
import { saveCpuState, loadCpuState, type CpuSnapshot } from './snapshot.js';
import { BlockCache } from './block-cache.js';
import type { Block } from './block-compiler.js';
import { DecodedCache, runDecoded, runForm } from './decoded-cache.js';
import { runWasm, setLoopCycles, STOP_BUDGET, STOP_HOST, STOP_MISS, type WasmLoop } from './wasm-loop.js';

export type { CpuSnapshot } from './snapshot.js';
export type { InterceptHooks } from './intercept.js';

/** Construction options; the machine wiring passes these. */
export interface CpuOptions {
  bus: Bus;
  clock: Clock;
  interrupts: InterruptController;
  model: CpuModel;
  /** 'model': per-class costs from the model's table; 'uniform': every instruction costs 1 cycle. */
  cycles?: 'model' | 'uniform';
  /**
   * 'interp' (default): decode and execute instruction by instruction (keeping decoded forms of
   * common 32-bit instructions, see {@link CpuOptions.decodedCache}). 'jit': also compile hot
   * runs of 32-bit protected-mode code into JavaScript functions (block-compiler.ts), running
   * the code not compiled (yet) as the interpreter does; the architectural results, instruction
   * counts and cycles are the interpreter's. 'wasm': the interpreter with its decoded-instruction
   * loop in WebAssembly (wasm/decoded-loop.ts), which needs the bus's RAM and the core's tables in
   * one WebAssembly memory: see {@link CpuOptions.wasm}.
   */
  engine?: Engine;
  /**
   * 'wasm' only: the instance whose memory holds the bus's RAM (the bus was built on its
   * `ram` and `pageFlags`); the core takes its registers, TLB and decoded-instruction cache there.
   */
  wasm?: WasmLoop;
  /** 'jit' only: arrivals at a start address before its block is compiled (default 10 000; 1 compiles everything at once). */
  jitThreshold?: number;
  /**
   * Keep decoded forms of common 32-bit instructions (decoded-cache.ts; default true; under
   * 'jit', for the code that is not compiled). False decodes every instruction at every
   * execution: the reference the cache is tested against, and a way to measure what it brings.
   */
  decodedCache?: boolean;
}

/** Execution engines: see {@link CpuOptions.engine}. */
export type Engine = 'interp' | 'jit' | 'wasm';
/** Engine names, for option parsing. */
export const ENGINES: readonly Engine[] = ['interp', 'jit', 'wasm'];
/** Default {@link CpuOptions.jitThreshold}. */
export const DEFAULT_JIT_THRESHOLD = 10_000;

/** Why {@link Cpu.run} returned. */
export type CpuStop = 'event' | 'budget' | 'halt' | 'shutdown';

/** Register state for a loader entering flat 32-bit protected mode. */
export interface FlatModeEntry {
  eip: number;
  eax?: number; ebx?: number; ecx?: number; edx?: number; esi?: number; edi?: number; ebp?: number; esp?: number;
  codeSelector: number;
  dataSelector: number;
  gdtBase: number;
  gdtLimit: number;
}

/** General registers for {@link Cpu.enterRealMode}. */
export interface RealModeRegs {
  eax?: number; ebx?: number; ecx?: number; edx?: number; esi?: number; edi?: number; ebp?: number; esp?: number;
  ds?: number; es?: number; ss?: number; fs?: number; gs?: number;
}

/** TLB entry bits (low 12 bits of an entry; the high 20 are the physical frame). */
export const TLB_VALID = 1, TLB_USER = 2, TLB_USER_WRITE = 4, TLB_SUP_WRITE = 8, TLB_DIRTY = 16;
const NEED_SUP_READ = TLB_VALID;
const NEED_USER_READ = TLB_VALID | TLB_USER;
const NEED_SUP_WRITE = TLB_VALID | TLB_SUP_WRITE | TLB_DIRTY;
const NEED_USER_WRITE = TLB_VALID | TLB_USER | TLB_USER_WRITE | TLB_DIRTY;

const UNIFORM_CYCLES: CycleTable = {
  alu: 1, aluMem: 1, mov: 1, stack: 1, shift: 1, mul: 1, div: 1, branch: 1, call: 1, far: 1,
  string: 1, io: 1, interrupt: 1, iret: 1, system: 1, bcd: 1, bitscan: 1,
};


/**
 * One IA-32 core of the i486 generation. State fields come from {@link CpuState}; the instruction
 * semantics live in decode.ts and execute/*.ts as functions over this object.
 */
export class Cpu extends CpuState {
  readonly bus: Bus;
  readonly clock: Clock;
  readonly intr: InterruptController;
  readonly model: CpuModel;
  /** Cycle costs by instruction class. */
  readonly cyc: CycleTable;

  /** Retired instruction count (an instruction that faults counts once, when its exception is delivered). */
  instructions = DOUBLE_FIELD;
  /** The engine this core runs with. */
  readonly engine: Engine;
  /** Compiled blocks ('jit' engine), null with the interpreter. */
  readonly blocks: BlockCache | null;
  /** Decoded instructions ('interp' and 'wasm' engines; under 'jit', for code not compiled), null without the cache. */
  readonly decoded: DecodedCache | null;
  /** The WebAssembly instance of the 'wasm' engine, null with the others. */
  readonly wasm: WasmLoop | null;
  /** Instruction count at which the current {@link run} ends (read by compiled blocks that loop). */
  blockEnd = DOUBLE_FIELD;
  /** The compiled block running now, for fault accounting; null between blocks. */
  private curBlock: Block | null = null;
  /** CS and SS are both 32-bit: compiled blocks may run. */
  blockMode = false;
  /** Called before each instruction when set (runs on the slow path). */
  trace: ((cpu: Cpu) => void) | null = null;
  /**
   * Intercept hooks for the next round's VMX non-root mode; null (the default) costs nothing on
   * the hot path. See intercept.ts.
   */
  intercept: InterceptHooks | null = null;

  // ---- per-instruction decode context ----
  /** EIP of the instruction being executed (faults roll back to it). */
  startEip = DOUBLE_FIELD;
  opSize32 = true;
  adSize32 = true;
  /** Segment override (segment number) or -1. */
  segOvr = -1;
  /** 0, 0xF2 (REPNE) or 0xF3 (REP/REPE). */
  rep = 0;
  lock = false;
  /** The decode context above differs from the defaults of the current CS (reset at the next step). */
  ctxDirty = true;
  /** ModRM fields of the current instruction. */
  mod = 0;
  reg = 0;
  rm = 0;
  /** Effective address: segment number and offset. */
  eaSeg = DS;
  eaOff = DOUBLE_FIELD;

  // ---- derived mode state ----
  /** CS default operand/address size is 32. */
  cs32 = false;
  /** SS B bit: 32-bit stack pointer. */
  ss32 = false;
  /** CR0.PG set. */
  paging = false;
  /** TLB permission masks for the current CPL. */
  needRead = NEED_SUP_READ;
  needWrite = NEED_SUP_WRITE;
  /** Linear page → (physical frame | TLB_* bits); 0 = empty. */
  readonly tlb: Int32Array;
  /** Pages with a TLB entry, for cheap flushes. */
  readonly tlbUsed = new Int32Array(8192);
  tlbUsedCount = 0;
  tlbOverflow = false;

  /** Instruction fetch window: EIPs in [fetchLo, fetchHi) are at ram[fetchDelta + eip]. */
  fetchLo = DOUBLE_FIELD;
  fetchHi = DOUBLE_FIELD;
  fetchDelta = DOUBLE_FIELD;
  /** Physical page of the fetch window. */
  fetchPage = 0;

  /**
   * Elements of the current string instruction's step done already (by the 'wasm' engine's loop,
   * which stops at an element it cannot do itself): the step counts them, and their cycles, as
   * if it had done them. 0 otherwise.
   */
  stringCarry = 0;
  /** Data breakpoints armed for the current instruction (slow path only) and the DR6 B0-B3 bits hit. */
  dataBp = false;
  dataBpHits = 0;
  /** INT n/INT3/INTO cleared TF on entering the handler: no single-step trap for that instruction (as QEMU and silicon). */
  noStepTrap = false;
  /** Check the interrupt inputs at the next boundary (IF set, I/O done, run() entered). */
  irqCheck = true;
  /** Take the slow path at the next boundary (halt, shadow, TF, trace, breakpoints, pending checks). */
  slow = true;

  // ---- last exception ----
  excVector = 0;
  excError = NO_ERROR;
  /** Vector of the last exception delivered (for traces/tests), -1 if none since reset. */
  lastException = -1;
  lastExceptionError = NO_ERROR;
  /** Count of internal errors (bugs) converted into #UD; should stay 0. */
  internalErrors = 0;
  lastInternalError: unknown = null;
  /** Scratch outputs of descriptor reads (segmentation.ts), to avoid allocation. */
  descLo = 0;
  descHi = 0;
  /** TR3-TR7 (486 cache/TLB test registers): stored, no test function modelled. */
  readonly testRegs = new Int32Array(8);

  private readonly ram: Uint8Array;
  private readonly ram32: Int32Array | null;
  private readonly pageFlags: Uint8Array;

  constructor(opts: CpuOptions) {
    const wasm = opts.engine === 'wasm' ? opts.wasm ?? null : null;
    if (opts.engine === 'wasm' && (wasm === null || wasm.ram !== opts.bus.ram)) {
      throw new Error("engine 'wasm': the bus's RAM must be the WasmLoop's (build the bus on wasm.ram and wasm.pageFlags and pass the WasmLoop as options.wasm)");
    }
    super(wasm?.memory.buffer, wasm?.regsOffset);
    this.wasm = wasm;
    this.tlb = wasm !== null ? wasm.tlb : new Int32Array(1 << 20);
    this.bus = opts.bus;
    this.clock = opts.clock;
    this.intr = opts.interrupts;
    this.model = opts.model;
    this.cyc = opts.cycles === 'uniform' ? UNIFORM_CYCLES : opts.model.cycles;
    if (wasm !== null) setLoopCycles(wasm, this);
    this.ram = opts.bus.ram;
    this.pageFlags = opts.bus.pageFlags;
    this.ram32 = this.ram.byteOffset % 4 === 0 ? new Int32Array(this.ram.buffer, this.ram.byteOffset, this.ram.length >>> 2) : null;
    this.engine = opts.engine ?? 'interp';
    if (this.engine === 'jit') {
      const blocks = new BlockCache(this, Math.max(1, Math.min(0xffff, opts.jitThreshold ?? DEFAULT_JIT_THRESHOLD)));
      this.blocks = blocks;
      // Code not (yet) compiled runs from the decoded-instruction cache, as the interpreter's.
      const decoded = opts.decodedCache ?? true ? new DecodedCache(this) : null;
      this.decoded = decoded;
      // A write to a page with compiled code or decoded instructions drops both (a page is
      // watched while either holds something of it, and both let go of it here); a block that
      // is running stops after the writing instruction (the slow path is taken at the next
      // boundary).
      opts.bus.onWatchedWrite = (page) => {
        blocks.invalidatePage(page);
        decoded?.invalidatePage(page);
        this.slow = true;
      };
    } else if (opts.decodedCache ?? true) {
      this.blocks = null;
      const decoded = new DecodedCache(this);
      this.decoded = decoded;
      // A write to a page with decoded instructions drops them (the writing instruction has
      // been read out of the cache already).
      opts.bus.onWatchedWrite = (page) => decoded.invalidatePage(page);
    } else {
      this.blocks = null;
      this.decoded = null;
    }
    this.reset();
  }

  // ======================= lifecycle =======================

  /** Power-on / RESET state (Intel486 datasheet §"Reset"; SDM vol. 3 table 9-1). */
  reset(): void {
    this.r32.fill(0);
    this.r32[2] = this.model.resetEdx;
    this.eip = 0xfff0;
    this.flags = 2;
    this.lazyMask = 0;
    this.cr0 = 0x60000010;
    this.cr2 = 0;
    this.cr3 = 0;
    this.cr4 = 0;
    this.dr.fill(0);
    this.dr[6] = 0xffff0ff0;
    this.dr[7] = 0x400;
    this.gdtBase = 0; this.gdtLimit = 0xffff;
    this.idtBase = 0; this.idtLimit = 0x3ff;
    this.ldtSel = 0; this.ldtBase = 0; this.ldtLimit = 0xffff; this.ldtAttr = 0x82;
    this.trSel = 0; this.trBase = 0; this.trLimit = 0xffff; this.trAttr = 0x8b;
    for (let s = 0; s < 6; s++) setSegmentCache(this, s, 0, 0, 0xffff, ATTR_P | ATTR_S | 0x3);
    setSegmentCache(this, CS, 0xf000, 0xffff0000, 0xffff, ATTR_P | ATTR_S | 0xb);
    this.cpl = 0;
    this.halted = false;
    this.shutdown = false;
    this.shadow = false;
    this.nmiBlocked = false;
    this.lastException = -1;
    this.lastExceptionError = NO_ERROR;
    this.modeChanged();
  }

  /** Loader entry: flat 32-bit protected mode, ring 0, paging and interrupts off. */
  enterFlatProtectedMode(e: FlatModeEntry): void {
    this.reset();
    this.cr0 = (this.cr0 | CR0_PE) >>> 0;
    this.gdtBase = e.gdtBase >>> 0;
    this.gdtLimit = e.gdtLimit & 0xffff;
    const r = this.r32;
    r[0] = e.eax ?? 0; r[1] = e.ecx ?? 0; r[2] = e.edx ?? 0; r[3] = e.ebx ?? 0;
    r[4] = e.esp ?? 0; r[5] = e.ebp ?? 0; r[6] = e.esi ?? 0; r[7] = e.edi ?? 0;
    const data = ATTR_P | ATTR_S | 0x3 | ATTR_DB | ATTR_G;
    for (const s of [ES, SS, DS, FS, GS]) setSegmentCache(this, s, e.dataSelector & 0xfffc, 0, 0xffffffff, data);
    setSegmentCache(this, CS, e.codeSelector & 0xfffc, 0, 0xffffffff, ATTR_P | ATTR_S | 0xb | ATTR_DB | ATTR_G);
    this.eip = e.eip >>> 0;
    this.flags = 2;
    this.modeChanged();
  }

  /** Loader entry: real mode at cs:ip with the given registers (others 0), IF=0. */
  enterRealMode(cs: number, ip: number, regs: RealModeRegs = {}): void {
    this.reset();
    const r = this.r32;
    r[0] = regs.eax ?? 0; r[1] = regs.ecx ?? 0; r[2] = regs.edx ?? 0; r[3] = regs.ebx ?? 0;
    r[4] = regs.esp ?? 0; r[5] = regs.ebp ?? 0; r[6] = regs.esi ?? 0; r[7] = regs.edi ?? 0;
    const sels = [regs.es ?? 0, cs, regs.ss ?? 0, regs.ds ?? 0, regs.fs ?? 0, regs.gs ?? 0];
    for (let s = 0; s < 6; s++) setSegmentCache(this, s, sels[s] & 0xffff, (sels[s] & 0xffff) << 4, 0xffff, ATTR_P | ATTR_S | (s === CS ? 0xb : 0x3));
    this.eip = ip & 0xffff;
    this.modeChanged();
  }

  /** Recompute everything derived from CR0/CS/SS/CPL/EFLAGS.VM and flush the TLB and fetch window. */
  modeChanged(): void {
    this.cs32 = (this.segAttr[CS] & ATTR_DB) !== 0 && !(this.flags & VM) && (this.cr0 & CR0_PE) !== 0;
    this.ss32 = (this.segAttr[SS] & ATTR_DB) !== 0 && !(this.flags & VM) && (this.cr0 & CR0_PE) !== 0;
    this.paging = (this.cr0 & CR0_PG) !== 0 && (this.cr0 & CR0_PE) !== 0;
    this.blockMode = this.cs32 && this.ss32;
    for (let s = 0; s < 6; s++) computeSegmentRights(this, s);
    this.cplChanged();
    flushTlb(this);
    this.irqCheck = true;
    this.updateSlow();
  }

  /** CS or SS cache changed: refresh the derived sizes and the fetch window. */
  codeOrStackChanged(): void {
    this.ctxDirty = true;
    const pm = (this.cr0 & CR0_PE) !== 0 && !(this.flags & VM);
    this.cs32 = pm && (this.segAttr[CS] & ATTR_DB) !== 0;
    this.ss32 = pm && (this.segAttr[SS] & ATTR_DB) !== 0;
    this.blockMode = this.cs32 && this.ss32;
    this.fetchHi = 0;
  }

  /** CPL changed: refresh TLB permission masks and the fetch window. */
  cplChanged(): void {
    const user = this.cpl === 3;
    this.needRead = user ? NEED_USER_READ : NEED_SUP_READ;
    this.needWrite = user ? NEED_USER_WRITE : NEED_SUP_WRITE;
    this.codeOrStackChanged();
  }

  /** After an event changed CS/SS/CPL/VM: refresh derived state without flushing the TLB. */
  modeChangedLight(): void {
    for (let s = 0; s < 6; s++) computeSegmentRights(this, s);
    this.cplChanged();
    this.irqCheck = true;
    this.updateSlow();
  }

  /** Decide whether the next boundary needs the slow path. */
  updateSlow(): void {
    this.slow = this.irqCheck || this.halted || this.shadow || this.shutdown || (this.flags & TF) !== 0 ||
      this.trace !== null || (this.dr[7] & 0xff) !== 0;
  }

  // ======================= run loop =======================

  /** Run until an event is due, the budget is spent, HLT with nothing to do, or shutdown. */
  run(maxInstructions: number): CpuStop {
    const end = this.instructions + maxInstructions;
    this.irqCheck = true;
    this.slow = true;
    // The instruction loop is a function of its own, outside the try: the catch block first runs
    // at the first fault, long after the loop has been optimised, and a never-run call there would
    // deoptimise the loop (and everything inlined into it) if they shared one function.
    for (;;) {
      try {
        return this.blocks !== null ? this.runBlocks(end) : this.runUntil(end);
      } catch (e) {
        this.caught(e);
        if (this.shutdown) return 'shutdown';
      }
    }
  }

  /** The instruction loop of {@link run}, up to instruction count `end`; faults throw out of it. */
  private runUntil(end: number): CpuStop {
    const clock = this.clock;
    const d = this.decoded, w = this.wasm;
    for (;;) {
      if (clock.now >= clock.nextEventAt) return 'event';
      if (this.instructions >= end) return 'budget';
      if (this.slow) {
        const r = this.slowStep();
        if (r !== null) return r;
        continue;
      }
      const eip = this.eip;
      if (d !== null && this.decodable(d, eip)) {
        if (w === null) {
          runDecoded(this, d, end, false);
          continue;
        }
        // The WebAssembly loop, then the instruction it stopped at (if it stopped before the
        // event and the budget) the JavaScript way: a form the loop could not complete (a TLB
        // miss, a device, a fault to come) as a function of the cache, else through the decoder,
        // which fetches, walks the page tables and faults as it must. The loop decodes what it
        // meets itself, but for a miss while its queue of newly watched pages is full: then the
        // cache decodes the straight run from there, and the loop takes it if it starts with a
        // form.
        const stop = runWasm(this, w, end);
        if (stop === STOP_BUDGET) continue;
        if (stop === STOP_MISS) {
          if (d.fillRun(this.fetchDelta + this.eip)) continue;
        } else if (stop === STOP_HOST && runForm(this, d, this.fetchDelta + this.eip)) {
          continue;
        }
        this.startEip = this.eip;
        clock.now += step(this);
        this.instructions++;
        continue;
      }
      this.startEip = eip;
      clock.now += step(this);
      this.instructions++;
    }
  }

  /**
   * The instruction loop of the 'jit' engine: like {@link runUntil}, but at each boundary in
   * 32-bit code it runs the compiled block starting there if every boundary inside the block lies
   * before the next clock event and within the budget (so interrupts and budget stops fall on the
   * same instruction as with the interpreter), and otherwise interprets up to the next taken
   * jump, call or return (from the decoded-instruction cache when it can). A loop of its own
   * rather than a test in runUntil: one loop for both costs the interpreter 2-4 % (alu-loop,
   * interleaved runs).
   */
  private runBlocks(end: number): CpuStop {
    const clock = this.clock;
    this.blockEnd = end;
    // Blocks are looked for only where control arrived by a jump (EIP not within 15 bytes after
    // the previous instruction's start) or after a block or a decoded run (which ends at a
    // taken jump): sequential code pays one compare. The block path is a call of its own so
    // that this loop stays small.
    let prev = -16;
    for (;;) {
      if (clock.now >= clock.nextEventAt) return 'event';
      if (this.instructions >= end) return 'budget';
      if (this.slow) {
        const r = this.slowStep();
        if (r !== null) return r;
        prev = -16;
        continue;
      }
      const eip = this.eip;
      const d = eip - prev;
      if ((d <= 0 || d > 15) && this.blockMode && this.runBlock(eip, end)) {
        prev = -16;
        continue;
      }
      prev = eip;
      // No block here: the decoded-instruction loop up to the next taken jump, call or return.
      const dc = this.decoded;
      if (dc !== null && this.decodable(dc, eip)) {
        runDecoded(this, dc, end, true);
        prev = -16;
        continue;
      }
      this.startEip = eip;
      clock.now += step(this);
      this.instructions++;
    }
  }

  /**
   * May the decoded-instruction loop run from `eip`: 32-bit code in the fetch window (opened
   * here when a look at the TLB is enough), on a page the cache has not given up (code sharing
   * it with data written often)?
   */
  private decodable(d: DecodedCache, eip: number): boolean {
    return this.cs32 && (eip >= this.fetchLo && eip < this.fetchHi || this.openFetchWindow()) && d.givenUp[this.fetchPage] === 0;
  }

  /** Run the compiled block at EIP if there is one and it fits before the next event and the budget. */
  private runBlock(eip: number, end: number): boolean {
    if ((eip < this.fetchLo || eip >= this.fetchHi) && !this.openFetchWindow()) return false;
    const b = this.blocks!.lookup(this.fetchDelta + eip, eip);
    if (b === null || this.instructions + b.n > end || this.clock.now + b.cycBeforeLast >= this.clock.nextEventAt ||
        eip + b.bytes > this.fetchHi) return false;
    this.curBlock = b;
    b.run(this);
    this.curBlock = null;
    return true;
  }

  /** Drop every compiled block (RAM was replaced without going through the bus). */
  flushBlocks(): void {
    this.blocks?.flush();
    this.decoded?.flush();
  }

  /** One boundary on the slow path: interrupts, halt, shadow, trace, TF and breakpoints. */
  private slowStep(): CpuStop | null {
    if (this.shutdown) return 'shutdown';
    if (this.shadow) {
      this.shadow = false;
    } else if (this.irqCheck) {
      if (!this.nmiBlocked && this.intr.hasNmi()) {
        this.intr.acknowledgeNmi();
        this.halted = false;
        this.nmiBlocked = true;
        this.deliverEvent(NMI, NO_ERROR, EV_EXTERNAL);
        return null;
      }
      if ((this.flags & IF) !== 0 && this.intr.hasInterrupt()) {
        const v = this.intr.acknowledge() & 0xff;
        this.halted = false;
        this.deliverEvent(v, NO_ERROR, EV_EXTERNAL);
        return null;
      }
      this.irqCheck = false;
    }
    if (this.halted) {
      this.updateSlow();
      return 'halt';
    }
    if (this.trace !== null) this.trace(this);
    const tf = this.flags & TF;
    this.startEip = this.eip;
    if ((this.dr[7] & 0xff) !== 0 && (this.flags & RF) === 0) this.checkCodeBreakpoints();
    // RF suppresses instruction breakpoints for one instruction; IRET may set it again.
    this.flags &= ~RF;
    this.dataBpHits = 0;
    this.noStepTrap = false;
    this.dataBp = this.dataBreakpointsEnabled();
    this.clock.now += step(this);
    this.instructions++;
    this.dataBp = false;
    if ((tf !== 0 && !this.noStepTrap) || this.dataBpHits !== 0) {
      // Single-step and data breakpoints are traps: reported after the instruction.
      this.dr[6] = ((this.dr[6] & ~0xf) | this.dataBpHits | (tf !== 0 ? 0x4000 : 0)) >>> 0;
      this.startEip = this.eip;
      this.deliverEvent(DB, NO_ERROR, EV_EXCEPTION);
    }
    this.updateSlow();
    return null;
  }

  /** Instruction breakpoints (DR7 R/W=00) on the linear address of the next instruction: a fault. */
  private checkCodeBreakpoints(): void {
    const lin = (this.segBase[CS] + this.eip) >>> 0;
    const dr7 = this.dr[7];
    let hit = 0;
    for (let i = 0; i < 4; i++) {
      if (((dr7 >>> (i * 2)) & 3) === 0) continue;
      if (((dr7 >>> (16 + i * 4)) & 3) !== 0) continue; // data breakpoint
      if (this.dr[i] === lin) hit |= 1 << i;
    }
    if (hit) {
      this.dr[6] = ((this.dr[6] & ~0xf) | hit) >>> 0;
      throw this.fault(DB, NO_ERROR);
    }
  }

  /** Any DR7-enabled data breakpoint (R/W = 01 write or 11 read/write)? */
  private dataBreakpointsEnabled(): boolean {
    const dr7 = this.dr[7];
    for (let i = 0; i < 4; i++) {
      if (((dr7 >>> (i * 2)) & 3) !== 0 && ((dr7 >>> (16 + i * 4)) & 1) !== 0) return true;
    }
    return false;
  }

  /** Record data-breakpoint matches of an access (linear address, size in bytes). */
  private checkDataBreakpoints(lin: number, size: number, write: boolean): void {
    const dr7 = this.dr[7];
    for (let i = 0; i < 4; i++) {
      if (((dr7 >>> (i * 2)) & 3) === 0) continue;
      const rw = (dr7 >>> (16 + i * 4)) & 3;
      if (rw === 0 || rw === 2 || (rw === 1 && !write)) continue;
      const len = [1, 2, 8, 4][(dr7 >>> (18 + i * 4)) & 3];
      const a = this.dr[i] - (this.dr[i] % len);
      if (lin < a + len && lin + size > a) this.dataBpHits |= 1 << i;
    }
  }

  /** Handle a throw out of an instruction: roll back and deliver the fault. */
  private caught(e: unknown): void {
    const b = this.curBlock;
    if (b !== null) {
      // The instructions of the block before the faulting one retired (a looping block has
      // already accounted for its earlier turns).
      this.curBlock = null;
      this.atBlockInstruction(b);
    }
    if (e !== FAULT) {
      // A bug in the interpreter: never let it out of run(); report it as #UD at this instruction.
      this.internalErrors++;
      this.lastInternalError = e;
      this.excVector = UD;
      this.excError = NO_ERROR;
    }
    this.eip = this.startEip;
    this.halted = false;
    this.fetchHi = 0;
    // A faulting instruction counts as executed and costs the delivery cycles: otherwise a
    // handler that faults at once (stack wrapping forever in real mode, say) would loop without
    // ever reaching the budget or the next event.
    this.instructions++;
    this.clock.now += this.cyc.interrupt;
    this.deliverEvent(this.excVector, this.excError, EV_EXCEPTION);
    this.updateSlow();
  }

  /** Deliver an event, turning faults during delivery into #DF or a shutdown (triple fault). */
  deliverEvent(vec: number, err: number, kind: number): void {
    for (;;) {
      try {
        this.lastException = vec;
        this.lastExceptionError = err;
        deliverInterrupt(this, vec, err, kind);
        this.updateSlow();
        return;
      } catch (e) {
        if (e !== FAULT) {
          this.internalErrors++;
          this.lastInternalError = e;
          this.shutdown = true;
          this.updateSlow();
          return;
        }
        const second = this.excVector;
        if (vec === 8) {
          this.shutdown = true;
          this.updateSlow();
          return;
        }
        if (becomesDoubleFault(vec, second)) {
          vec = 8;
          err = 0;
        } else {
          vec = second;
          err = this.excError;
        }
        kind = EV_EXCEPTION;
      }
    }
  }

  /**
   * Record a fault (vector, error code) and return what to throw: every fault is raised as
   * `throw c.fault(…)`, and the run loop catches it. The throw is the caller's own: V8 gathers
   * type feedback for a function, optimises and inlines it, only as it returns or loops, so a
   * raising function that always threw would run in V8's slowest tier for ever, and each fault
   * would unwind through its frame (page-faults: about 20 % of the run).
   */
  fault(vec: number, err: number): typeof FAULT {
    this.excVector = vec;
    this.excError = vec === 14 ? err : hasErrorCode(vec) ? (err === NO_ERROR ? 0 : err & 0xffff) : NO_ERROR;
    return FAULT;
  }

  // ======================= segmented access =======================

  /**
   * Do the `bytes` bytes at seg:off lie inside segment `seg`, without wrapping past 4 GiB, and
   * may they be read (or written)? Unsigned compares on sign-flipped int32s (see SIGN_FLIP):
   * kernel offsets >= 2 GiB stay small integers, so code V8 optimised on low addresses is not
   * thrown away at the first high one. `last < first` is a wrap past 4 GiB (or below 0). A
   * segment that allows every offset (wholeRead/wholeWrite: the flat segments) needs no more.
   */
  segmentAllows(seg: number, off: number, bytes: number, write: boolean): boolean {
    const first = off ^ SIGN_FLIP, last = ((off + bytes - 1) | 0) ^ SIGN_FLIP;
    if (last < first) return false;
    if ((((write ? this.wholeWrite : this.wholeRead) >> seg) & 1) !== 0) return true;
    return first >= this.segLo[seg] && last <= this.segHi[seg] && (this.segRights[seg] & (write ? SEG_W : SEG_R)) !== 0;
  }

  /** Check an access of `size` bytes at seg:off and return its linear address. */
  linear(seg: number, off: number, size: number, write: boolean): number {
    if (this.dataBp) this.checkDataBreakpoints((this.segBase[seg] + off) >>> 0, size, write);
    if (!this.segmentAllows(seg, off, size, write)) throw this.fault(seg === SS ? SSF : GP, 0);
    // Linear addresses travel as int32 (|0) so that kernel addresses >= 2 GiB stay small integers
    // (no heap numbers on the hot path); users take `>>> 12` / `& 0xfff` which work on either form.
    return (this.segBase[seg] + off) | 0;
  }

  rd8(seg: number, off: number): number {
    return this.readLin8(this.linear(seg, off, 1, false));
  }
  rd16(seg: number, off: number): number {
    return this.readLin16(this.linear(seg, off, 2, false));
  }
  rd32(seg: number, off: number): number {
    return this.readLin32(this.linear(seg, off, 4, false));
  }
  wr8(seg: number, off: number, v: number): void {
    this.writeLin8(this.linear(seg, off, 1, true), v);
  }
  wr16(seg: number, off: number, v: number): void {
    this.writeLin16(this.linear(seg, off, 2, true), v);
  }
  wr32(seg: number, off: number, v: number): void {
    this.writeLin32(this.linear(seg, off, 4, true), v);
  }

  // ======================= linear access (paging) =======================

  /** Translate a linear address for reading with the current CPL's rights. */
  translateRead(lin: number): number {
    if (!this.paging) return lin;
    const e = this.tlb[lin >>> 12];
    const need = this.needRead;
    if ((e & need) === need) return (e & ~0xfff) | (lin & 0xfff);
    return walk(this, lin, false, this.cpl === 3);
  }

  translateWrite(lin: number): number {
    if (!this.paging) return lin;
    const e = this.tlb[lin >>> 12];
    const need = this.needWrite;
    if ((e & need) === need) return (e & ~0xfff) | (lin & 0xfff);
    return walk(this, lin, true, this.cpl === 3);
  }

  readLin8(lin: number): number {
    const p = this.translateRead(lin);
    if (this.pageFlags[p >>> 12] & PAGE_DIRECT_READ) return this.ram[p];
    return this.deviceRead(p, 1);
  }

  readLin16(lin: number): number {
    if ((lin & 0xfff) === 0xfff) return this.readLin8(lin) | (this.readLin8((lin + 1) | 0) << 8);
    const p = this.translateRead(lin);
    if (this.pageFlags[p >>> 12] & PAGE_DIRECT_READ) return this.ram[p] | (this.ram[p + 1] << 8);
    return this.deviceRead(p, 2);
  }

  /** Returns a signed 32-bit value. */
  readLin32(lin: number): number {
    if ((lin & 0xfff) > 0xffc) return this.readLin16(lin) | (this.readLin16((lin + 2) | 0) << 16);
    const p = this.translateRead(lin);
    if (this.pageFlags[p >>> 12] & PAGE_DIRECT_READ) {
      if ((p & 3) === 0 && this.ram32 !== null) return this.ram32[p >>> 2];
      const r = this.ram;
      return r[p] | (r[p + 1] << 8) | (r[p + 2] << 16) | (r[p + 3] << 24);
    }
    return this.deviceRead(p, 4);
  }

  writeLin8(lin: number, v: number): void {
    const p = this.translateWrite(lin);
    if (this.pageFlags[p >>> 12] & PAGE_DIRECT_WRITE) { this.ram[p] = v; return; }
    this.deviceWrite(p, 1, v);
  }

  writeLin16(lin: number, v: number): void {
    if ((lin & 0xfff) === 0xfff) {
      // Check both pages before writing either (no partial write on #PF).
      this.translateWrite(lin); this.translateWrite((lin + 1) | 0);
      this.writeLin8(lin, v & 0xff); this.writeLin8((lin + 1) | 0, (v >>> 8) & 0xff);
      return;
    }
    const p = this.translateWrite(lin);
    if (this.pageFlags[p >>> 12] & PAGE_DIRECT_WRITE) { this.ram[p] = v; this.ram[p + 1] = v >>> 8; return; }
    this.deviceWrite(p, 2, v);
  }

  writeLin32(lin: number, v: number): void {
    if ((lin & 0xfff) > 0xffc) {
      this.translateWrite(lin); this.translateWrite((lin + 3) | 0);
      this.writeLin16(lin, v & 0xffff); this.writeLin16((lin + 2) | 0, (v >>> 16) & 0xffff);
      return;
    }
    const p = this.translateWrite(lin);
    if (this.pageFlags[p >>> 12] & PAGE_DIRECT_WRITE) {
      if ((p & 3) === 0 && this.ram32 !== null) { this.ram32[p >>> 2] = v; return; }
      const r = this.ram;
      r[p] = v; r[p + 1] = v >>> 8; r[p + 2] = v >>> 16; r[p + 3] = v >>> 24;
      return;
    }
    this.deviceWrite(p, 4, v);
  }

  /**
   * A data access that is not plain RAM (MMIO, ROM, a watched code page, nothing): through the
   * bus, and the interrupt lines are looked at after this instruction. Inside a compiled block
   * the clock and the instruction count are those of the block's start until it exits, so for
   * the duration of the access they are set to what the interpreter would show at this
   * instruction: a device sees the same time on both engines.
   */
  private deviceRead(p: number, size: 1 | 2 | 4): number {
    this.irqCheck = true; this.slow = true;
    const b = this.curBlock;
    if (b === null) return this.busRead(p, size);
    const now = this.clock.now, count = this.instructions;
    this.atBlockInstruction(b);
    try {
      return this.busRead(p, size);
    } finally {
      this.clock.now = now;
      this.instructions = count;
    }
  }

  private deviceWrite(p: number, size: 1 | 2 | 4, v: number): void {
    this.irqCheck = true; this.slow = true;
    const b = this.curBlock;
    if (b === null) {
      this.busWrite(p, size, v);
      return;
    }
    const now = this.clock.now, count = this.instructions;
    this.atBlockInstruction(b);
    try {
      this.busWrite(p, size, v);
    } finally {
      this.clock.now = now;
      this.instructions = count;
    }
  }

  /** A bus read of `size` bytes; 32-bit values come back signed, as the RAM path returns them. */
  private busRead(p: number, size: 1 | 2 | 4): number {
    return size === 1 ? this.bus.read8(p) & 0xff : size === 2 ? this.bus.read16(p) & 0xffff : this.bus.read32(p) | 0;
  }

  private busWrite(p: number, size: 1 | 2 | 4, v: number): void {
    if (size === 1) this.bus.write8(p, v & 0xff); else if (size === 2) this.bus.write16(p, v & 0xffff); else this.bus.write32(p, v >>> 0);
  }

  /** Advance the clock and the count from the block's start to the instruction at startEip. */
  private atBlockInstruction(b: Block): void {
    const k = b.eips.indexOf(this.startEip);
    if (k > 0) {
      this.clock.now += b.prefix[k];
      this.instructions += k;
    }
  }

  /** Supervisor-mode access to a linear address (descriptor tables, TSS), whatever the CPL. */
  readSys32(lin: number): number {
    const saveR = this.needRead, cpl = this.cpl;
    this.needRead = NEED_SUP_READ; this.cpl = 0;
    try { return this.readLin32(lin | 0); } finally { this.needRead = saveR; this.cpl = cpl; }
  }
  readSys16(lin: number): number {
    const saveR = this.needRead, cpl = this.cpl;
    this.needRead = NEED_SUP_READ; this.cpl = 0;
    try { return this.readLin16(lin | 0); } finally { this.needRead = saveR; this.cpl = cpl; }
  }
  readSys8(lin: number): number {
    const saveR = this.needRead, cpl = this.cpl;
    this.needRead = NEED_SUP_READ; this.cpl = 0;
    try { return this.readLin8(lin | 0); } finally { this.needRead = saveR; this.cpl = cpl; }
  }
  writeSys32(lin: number, v: number): void {
    const saveW = this.needWrite, cpl = this.cpl;
    this.needWrite = NEED_SUP_WRITE; this.cpl = 0;
    try { this.writeLin32(lin | 0, v); } finally { this.needWrite = saveW; this.cpl = cpl; }
  }
  writeSys16(lin: number, v: number): void {
    const saveW = this.needWrite, cpl = this.cpl;
    this.needWrite = NEED_SUP_WRITE; this.cpl = 0;
    try { this.writeLin16(lin | 0, v); } finally { this.needWrite = saveW; this.cpl = cpl; }
  }
  writeSys8(lin: number, v: number): void {
    const saveW = this.needWrite, cpl = this.cpl;
    this.needWrite = NEED_SUP_WRITE; this.cpl = 0;
    try { this.writeLin8(lin | 0, v); } finally { this.needWrite = saveW; this.cpl = cpl; }
  }

  // ======================= instruction fetch =======================

  fetch8(): number {
    const eip = this.eip;
    if (eip >= this.fetchLo && eip < this.fetchHi) {
      this.eip = eip + 1;
      return this.ram[this.fetchDelta + eip];
    }
    return this.fetchSlow();
  }

  fetch16(): number {
    const eip = this.eip;
    if (eip >= this.fetchLo && eip + 1 < this.fetchHi) {
      this.eip = eip + 2;
      const a = this.fetchDelta + eip;
      return this.ram[a] | (this.ram[a + 1] << 8);
    }
    return this.fetchSlow() | (this.fetchSlow() << 8);
  }

  /** Returns a signed 32-bit value. */
  fetch32(): number {
    const eip = this.eip;
    if (eip >= this.fetchLo && eip + 3 < this.fetchHi) {
      this.eip = eip + 4;
      const a = this.fetchDelta + eip, r = this.ram;
      return r[a] | (r[a + 1] << 8) | (r[a + 2] << 16) | (r[a + 3] << 24);
    }
    return this.fetchSlow() | (this.fetchSlow() << 8) | (this.fetchSlow() << 16) | (this.fetchSlow() << 24);
  }

  /** Fetch one byte outside the window: CS limit check, 15-byte limit, translation, refill. */
  private fetchSlow(): number {
    let eip = this.eip;
    if (!this.cs32) eip &= 0xffff;
    if (eip - this.startEip >= 15 && eip > this.startEip) throw this.fault(GP, 0); // instruction longer than 15 bytes
    if (eip > this.segLimit[CS] && (this.cr0 & CR0_PE) !== 0) throw this.fault(GP, 0);
    const lin = (this.segBase[CS] + eip) | 0;
    const p = this.translateRead(lin);
    this.eip = eip + 1;
    if (this.pageFlags[p >>> 12] & PAGE_DIRECT_READ) {
      this.openWindow(eip, lin, p);
      return this.ram[p];
    }
    this.irqCheck = true; this.slow = true;
    return this.bus.read8(p) & 0xff;
  }

  /**
   * Open the fetch window at EIP without fetching, when that needs no more than a look: 32-bit
   * code within the CS limit, a TLB hit (or paging off) and a RAM page. False when only a fetch
   * can tell (a TLB miss, a fault, a device page); the caller then fetches as usual.
   */
  openFetchWindow(): boolean {
    const eip = this.eip;
    if (eip > this.segLimit[CS] && (this.cr0 & CR0_PE) !== 0) return false;
    const lin = (this.segBase[CS] + eip) | 0;
    let p = lin;
    if (this.paging) {
      const e = this.tlb[lin >>> 12], need = this.needRead;
      if ((e & need) !== need) return false;
      p = (e & ~0xfff) | (lin & 0xfff);
    }
    if ((this.pageFlags[p >>> 12] & PAGE_DIRECT_READ) === 0) return false;
    this.openWindow(eip, lin, p);
    return true;
  }

  /**
   * The fetch window around `eip` (linear `lin`, physical `p`): from the page's first byte (or
   * offset 0, when the CS base puts the page start below it) to the page end, the CS limit, or
   * 64 KiB for 16-bit code. A jump back within the page then stays in the window.
   */
  private openWindow(eip: number, lin: number, p: number): void {
    const pageOffset = lin & 0xfff;
    const lo = eip - pageOffset;
    let hi = eip + 0x1000 - pageOffset;
    const limitEnd = (this.cr0 & CR0_PE) !== 0 ? this.segLimit[CS] + 1 : 0x10000;
    if (hi > limitEnd) hi = limitEnd;
    if (!this.cs32 && hi > 0x10000) hi = 0x10000;
    this.fetchLo = lo < 0 ? 0 : lo;
    this.fetchHi = hi;
    this.fetchDelta = p - eip;
    this.fetchPage = p >>> 12;
  }

  // ======================= stack =======================

  /** Current stack pointer as an offset (ESP or SP). */
  get sp(): number {
    return this.ss32 ? this.r32[4] >>> 0 : this.r16[8];
  }

  setSp(v: number): void {
    if (this.ss32) this.r32[4] = v;
    else this.r16[8] = v;
  }

  push32(v: number): void {
    const sp = this.ss32 ? (this.r32[4] - 4) | 0 : (this.r16[8] - 4) & 0xffff;
    this.wr32(SS, sp, v);
    if (this.ss32) this.r32[4] = sp; else this.r16[8] = sp;
  }

  push16(v: number): void {
    const sp = this.ss32 ? (this.r32[4] - 2) | 0 : (this.r16[8] - 2) & 0xffff;
    this.wr16(SS, sp, v);
    if (this.ss32) this.r32[4] = sp; else this.r16[8] = sp;
  }

  /** Push operand-size value. */
  push(v: number): void {
    if (this.opSize32) this.push32(v); else this.push16(v);
  }

  pop32(): number {
    const sp = this.ss32 ? this.r32[4] : this.r16[8];
    const v = this.rd32(SS, sp);
    if (this.ss32) this.r32[4] = sp + 4; else this.r16[8] = sp + 4;
    return v;
  }

  pop16(): number {
    const sp = this.ss32 ? this.r32[4] : this.r16[8];
    const v = this.rd16(SS, sp);
    if (this.ss32) this.r32[4] = sp + 2; else this.r16[8] = sp + 2;
    return v;
  }

  pop(): number {
    return this.opSize32 ? this.pop32() : this.pop16();
  }

  /** Read the stack at sp + delta without popping (for multi-pop instructions that commit last). */
  peekStack(delta: number, size: number): number {
    const sp = this.ss32 ? (this.r32[4] + delta) | 0 : (this.r16[8] + delta) & 0xffff;
    return size === 4 ? this.rd32(SS, sp) : this.rd16(SS, sp);
  }

  // ======================= EFLAGS =======================

  /** Full EFLAGS value (lazy flags folded in). */
  getEflags(): number {
    materialize(this);
    return this.flags >>> 0;
  }

  /** Set EFLAGS directly (no privilege checks; bit 1 forced, reserved bits cleared). */
  setEflags(v: number): void {
    const oldVm = this.flags & VM;
    let keep = 0x3f7fd5;
    if (!this.model.groups.cpuid) keep &= ~0x200000;
    this.flags = ((v & keep) | 2) >>> 0;
    this.lazyMask = 0;
    if ((this.flags & VM) !== oldVm) this.modeChanged();
    this.irqCheck = true;
    this.updateSlow();
  }

  // ======================= ports =======================

  /** I/O permission check (SDM vol. 1 §18.5): CPL > IOPL or V86 consults the TSS bitmap. */
  checkIo(port: number, size: number): void {
    const pe = (this.cr0 & CR0_PE) !== 0;
    if (!pe) return;
    const vm = (this.flags & VM) !== 0;
    if (!vm && this.cpl <= ((this.flags & IOPL) >>> 12)) return;
    // 32-bit TSS only (type 9/11); the bitmap base is at offset 0x66.
    if ((this.trAttr & 0xf) !== 0x9 && (this.trAttr & 0xf) !== 0xb) throw this.fault(GP, 0);
    if (this.trLimit < 0x67) throw this.fault(GP, 0);
    const base = this.readSys16(this.trBase + 0x66);
    const byte = base + (port >>> 3);
    if (byte + 1 > this.trLimit) throw this.fault(GP, 0);
    const bits = this.readSys16(this.trBase + byte);
    const mask = ((1 << size) - 1) << (port & 7);
    if (bits & mask) throw this.fault(GP, 0);
  }

  // ======================= register accessors =======================

  get eax(): number { return this.r32[0] >>> 0; }
  set eax(v: number) { this.r32[0] = v; }
  get ecx(): number { return this.r32[1] >>> 0; }
  set ecx(v: number) { this.r32[1] = v; }
  get edx(): number { return this.r32[2] >>> 0; }
  set edx(v: number) { this.r32[2] = v; }
  get ebx(): number { return this.r32[3] >>> 0; }
  set ebx(v: number) { this.r32[3] = v; }
  get esp(): number { return this.r32[4] >>> 0; }
  set esp(v: number) { this.r32[4] = v; }
  get ebp(): number { return this.r32[5] >>> 0; }
  set ebp(v: number) { this.r32[5] = v; }
  get esi(): number { return this.r32[6] >>> 0; }
  set esi(v: number) { this.r32[6] = v; }
  get edi(): number { return this.r32[7] >>> 0; }
  set edi(v: number) { this.r32[7] = v; }
  get eflags(): number { return this.getEflags(); }
  set eflags(v: number) { this.setEflags(v); }
  get cs(): number { return this.segSel[CS]; }
  get ds(): number { return this.segSel[DS]; }
  get es(): number { return this.segSel[ES]; }
  get fs(): number { return this.segSel[FS]; }
  get gs(): number { return this.segSel[GS]; }
  get ss(): number { return this.segSel[SS]; }
  /** EFLAGS.IF. */
  get interruptsEnabled(): boolean { return (this.flags & IF) !== 0; }
  /** 8-bit register by ModRM number (AL..BH). */
  getReg8(i: number): number { return this.r8[R8_INDEX[i]]; }
  setReg8(i: number, v: number): void { this.r8[R8_INDEX[i]] = v; }

  /** One-line register dump for traces. */
  describe(): string {
    const h = (n: number, w = 8) => (n >>> 0).toString(16).padStart(w, '0');
    let s = `${h(this.segSel[CS], 4)}:${h(this.eip)}`;
    for (let i = 0; i < 8; i++) s += ` ${REG_NAMES[i]}=${h(this.r32[i])}`;
    s += ` fl=${h(this.getEflags())}`;
    for (let i = 0; i < 6; i++) if (i !== CS) s += ` ${SEG_NAMES[i]}=${h(this.segSel[i], 4)}`;
    return s;
  }

  // ======================= snapshots =======================

  saveState(): CpuSnapshot {
    return saveCpuState(this);
  }

  loadState(s: CpuSnapshot): void {
    loadCpuState(this, s);
    this.flushBlocks();
  }
}

