/** Decoded-instruction cache of the interpreter: common 32-bit forms decoded once per physical address, then run from typed arrays. */

import type { Cpu } from './cpu.js';
import { alu, inc, dec } from './execute/alu.js';
import { testCondition } from './lazy-flags.js';
import { CS, SS, DS, CR0_PE } from './state.js';
import { GP } from './exceptions.js';
import { step } from './decode.js';

/** Slots of the direct-mapped table (a power of two): slot = physical address mod size. */
const SIZE = 1 << 16;
const MASK = SIZE - 1;
/**
 * After this many invalidations of one physical page (code sharing a page with data that is
 * written), nothing on it is cached again: each write would cost a decode of everything after it.
 */
const MAX_INVALIDATIONS = 8;
/** Memory operand without a base or an index register. */
const NO_REG = 8;

/**
 * Decoded forms, one per row of what {@link execute} does. Every form is a 32-bit instruction
 * without prefixes in code whose default operand and address size is 32 bits; anything else is
 * `NONE`, which the interpreter decodes at each execution as before.
 */
export const NONE = 0;
/** ALU r32, r32 (ADD OR ADC SBB AND SUB XOR CMP, 01/03 … 39/3B mod 3): op, a = destination, b = source. */
const ALU_RR = 1;
/** ALU r32, imm (05 … 3D, 81/83 mod 3): op, a, imm. */
const ALU_RI = 2;
/** ALU r32, [mem] (03 … 3B): op, a. */
const ALU_RM = 3;
/** ALU [mem], r32 (01 … 39): op, a = source. */
const ALU_MR = 4;
/** ALU [mem], imm (81/83): op, imm. */
const ALU_MI = 5;
/** TEST r32, r32 (85 mod 3): a = r/m, b = reg. */
const TEST_RR = 6;
/** INC r32 (40+r), DEC r32 (48+r): a. */
const INC = 7;
const DEC = 8;
/** MOV r32, r32 (89/8B mod 3): a = destination, b = source. */
const MOV_RR = 9;
/** MOV r32, imm32 (B8+r, C7 /0 mod 3): a, imm. */
const MOV_RI = 10;
/** MOV r32, [mem] (8B): a. */
const LOAD = 11;
/** MOV [mem], r32 (89): a. */
const STORE = 12;
/** MOV [mem], imm32 (C7 /0): imm. */
const STORE_I = 13;
/** LEA r32, [mem] (8D): a. */
const LEA = 14;
/** PUSH r32 (50+r), POP r32 (58+r): a. PUSH imm (68, 6A): imm. */
const PUSH = 15;
const POP = 16;
const PUSH_I = 17;
/** Jcc rel8/rel32 (70+cc, 0F 80+cc): op = cc, imm = displacement. */
const JCC = 18;
/** JMP rel8/rel32 (EB, E9), CALL rel32 (E8): imm = displacement. RET (C3). */
const JMP = 19;
const CALL = 20;
const RET = 21;

/**
 * The cache. An entry is keyed by the physical address of the instruction's first byte, so it
 * serves every linear mapping of the code; an instruction is cached only when all of it lies in
 * that page. Every page with cached instructions is watched on the bus: the first write to it
 * drops all of its entries (and the watch), so a cached form always matches the bytes in RAM.
 * Entries that say `NONE` need no watch: they only send the interpreter to its own decoder.
 */
export class DecodedCache {
  /** Physical address of the instruction in each slot; -1 for an empty slot. */
  readonly tag = new Int32Array(SIZE).fill(-1);
  readonly kind = new Uint8Array(SIZE);
  /** Instruction length in bytes. */
  readonly len = new Uint8Array(SIZE);
  /** ALU operation (ModRM.reg or opcode bits 3-5), or condition code. */
  readonly op = new Uint8Array(SIZE);
  readonly a = new Uint8Array(SIZE);
  readonly b = new Uint8Array(SIZE);
  readonly imm = new Int32Array(SIZE);
  /** Memory operand: segment, base and index registers (NO_REG for none), scale shift, displacement. */
  readonly seg = new Uint8Array(SIZE);
  readonly base = new Uint8Array(SIZE);
  readonly index = new Uint8Array(SIZE);
  readonly scale = new Uint8Array(SIZE);
  readonly disp = new Int32Array(SIZE);
  private readonly watched: Uint8Array;
  private readonly invalidations: Uint8Array;
  private readonly ram: Uint8Array;

  constructor(private readonly cpu: Cpu) {
    this.ram = cpu.bus.ram;
    const pages = (this.ram.length >>> 12) + 1;
    this.watched = new Uint8Array(pages);
    this.invalidations = new Uint8Array(pages);
  }

  /** Decode the instruction at physical address `p` into slot `s` (its kind may be NONE). */
  fill(p: number, s: number): void {
    this.tag[s] = p;
    this.kind[s] = NONE;
    const page = p >>> 12;
    if (page >= this.watched.length || this.invalidations[page] >= MAX_INVALIDATIONS) return;
    const k = this.decode(p, s, Math.min((page + 1) << 12, this.ram.length));
    if (k === NONE) return;
    this.kind[s] = k;
    if (this.watched[page] === 0) {
      this.watched[page] = 1;
      this.cpu.bus.watchPage(page);
    }
  }

  /** A watched page was written: forget what was decoded on it. */
  invalidatePage(page: number): void {
    if (page >= this.watched.length || this.watched[page] === 0) return;
    const first = (page << 12) & MASK;
    const tag = this.tag;
    for (let s = first; s < first + 0x1000; s++) if (tag[s] >>> 12 === page) tag[s] = -1;
    this.watched[page] = 0;
    this.cpu.bus.unwatchPage(page);
    if (this.invalidations[page] < 255) this.invalidations[page]++;
  }

  /** Forget everything (RAM replaced behind the bus: image load, snapshot restore). */
  flush(): void {
    this.tag.fill(-1);
    for (let page = 0; page < this.watched.length; page++) {
      if (this.watched[page] !== 0) this.cpu.bus.unwatchPage(page);
    }
    this.watched.fill(0);
    this.invalidations.fill(0);
  }

  /**
   * Decode the bytes at `p` (reading none at or past `end`) into slot `s`; returns the kind.
   * Opcode map: SDM vol. 2 appendix A, tables.
   */
  private decode(p: number, s: number, end: number): number {
    const ram = this.ram;
    const b0 = ram[p];
    if (b0 < 0x40) {
      const low = b0 & 7;
      if (low === 5) { // ALU eAX, imm32
        if (p + 5 > end) return NONE;
        this.op[s] = b0 >> 3; this.a[s] = 0; this.imm[s] = this.s32(p + 1); this.len[s] = 5;
        return ALU_RI;
      }
      if (low !== 1 && low !== 3) return NONE;
      const n = this.modrm(p + 1, end, s);
      if (n < 0) return NONE;
      const m = ram[p + 1];
      this.op[s] = b0 >> 3;
      this.len[s] = 1 + n;
      if (m >= 0xc0) {
        const rm = m & 7, reg = (m >> 3) & 7;
        this.a[s] = low === 1 ? rm : reg; this.b[s] = low === 1 ? reg : rm;
        return ALU_RR;
      }
      this.a[s] = (m >> 3) & 7;
      return low === 1 ? ALU_MR : ALU_RM;
    }
    if (b0 < 0x60) { // INC, DEC, PUSH, POP r32
      this.a[s] = b0 & 7; this.len[s] = 1;
      return b0 < 0x48 ? INC : b0 < 0x50 ? DEC : b0 < 0x58 ? PUSH : POP;
    }
    if (b0 >= 0x70 && b0 < 0x80) {
      if (p + 2 > end) return NONE;
      this.op[s] = b0 & 15; this.imm[s] = (ram[p + 1] << 24) >> 24; this.len[s] = 2;
      return JCC;
    }
    if (b0 >= 0xb8 && b0 < 0xc0) {
      if (p + 5 > end) return NONE;
      this.a[s] = b0 & 7; this.imm[s] = this.s32(p + 1); this.len[s] = 5;
      return MOV_RI;
    }
    switch (b0) {
      case 0x68: case 0x6a: {
        const n = b0 === 0x68 ? 4 : 1;
        if (p + 1 + n > end) return NONE;
        this.imm[s] = n === 4 ? this.s32(p + 1) : (ram[p + 1] << 24) >> 24; this.len[s] = 1 + n;
        return PUSH_I;
      }
      case 0x81: case 0x83: {
        const n = this.modrm(p + 1, end, s);
        const ni = b0 === 0x81 ? 4 : 1;
        if (n < 0 || p + 1 + n + ni > end) return NONE;
        const m = ram[p + 1], q = p + 1 + n;
        this.op[s] = (m >> 3) & 7; this.a[s] = m & 7;
        this.imm[s] = ni === 4 ? this.s32(q) : (ram[q] << 24) >> 24;
        this.len[s] = 1 + n + ni;
        return m >= 0xc0 ? ALU_RI : ALU_MI;
      }
      case 0x85: {
        if (p + 2 > end || ram[p + 1] < 0xc0) return NONE;
        const m = ram[p + 1];
        this.a[s] = m & 7; this.b[s] = (m >> 3) & 7; this.len[s] = 2;
        return TEST_RR;
      }
      case 0x89: case 0x8b: case 0x8d: {
        const n = this.modrm(p + 1, end, s);
        if (n < 0) return NONE;
        const m = ram[p + 1], rm = m & 7, reg = (m >> 3) & 7;
        this.len[s] = 1 + n;
        if (m >= 0xc0) {
          if (b0 === 0x8d) return NONE; // LEA with a register operand: #UD, from the interpreter
          this.a[s] = b0 === 0x89 ? rm : reg; this.b[s] = b0 === 0x89 ? reg : rm;
          return MOV_RR;
        }
        this.a[s] = reg;
        return b0 === 0x89 ? STORE : b0 === 0x8b ? LOAD : LEA;
      }
      case 0xc7: {
        const n = this.modrm(p + 1, end, s);
        if (n < 0 || p + 1 + n + 4 > end || (ram[p + 1] & 0x38) !== 0) return NONE;
        this.a[s] = ram[p + 1] & 7; this.imm[s] = this.s32(p + 1 + n); this.len[s] = 1 + n + 4;
        return ram[p + 1] >= 0xc0 ? MOV_RI : STORE_I;
      }
      case 0xc3:
        this.len[s] = 1;
        return RET;
      case 0xe8: case 0xe9:
        if (p + 5 > end) return NONE;
        this.imm[s] = this.s32(p + 1); this.len[s] = 5;
        return b0 === 0xe8 ? CALL : JMP;
      case 0xeb:
        if (p + 2 > end) return NONE;
        this.imm[s] = (ram[p + 1] << 24) >> 24; this.len[s] = 2;
        return JMP;
      case 0x0f: {
        if (p + 6 > end) return NONE;
        const b1 = ram[p + 1];
        if (b1 < 0x80 || b1 >= 0x90) return NONE;
        this.op[s] = b1 & 15; this.imm[s] = this.s32(p + 2); this.len[s] = 6;
        return JCC;
      }
      default:
        return NONE;
    }
  }

  /**
   * Decode the ModRM byte at `q` (and its SIB and displacement) with 32-bit addressing; fills
   * the memory operand of slot `s` for memory forms. Returns the bytes used, from the ModRM byte
   * on, or -1 if they run past `end`. SDM vol. 2 §2.1.5, tables 2-2 and 2-3.
   */
  private modrm(q: number, end: number, s: number): number {
    if (q >= end) return -1;
    const ram = this.ram;
    const m = ram[q], mod = m >> 6, rm = m & 7;
    if (mod === 3) return 1;
    let n = 1, base = rm, index = NO_REG, scale = 0, seg = DS;
    if (rm === 4) {
      if (q + 2 > end) return -1;
      const sib = ram[q + 1];
      n = 2;
      base = sib & 7;
      index = (sib >> 3) & 7;
      if (index === 4) index = NO_REG;
      scale = sib >> 6;
      if (base === 5 && mod === 0) base = NO_REG;
    } else if (rm === 5 && mod === 0) {
      base = NO_REG;
    }
    if (base === 4 || base === 5) seg = SS;
    let disp = 0;
    if (mod === 1) {
      if (q + n + 1 > end) return -1;
      disp = (ram[q + n] << 24) >> 24; n += 1;
    } else if (mod === 2 || base === NO_REG) {
      if (q + n + 4 > end) return -1;
      disp = this.s32(q + n); n += 4;
    }
    this.seg[s] = seg; this.base[s] = base; this.index[s] = index; this.scale[s] = scale; this.disp[s] = disp;
    return n;
  }

  private s32(q: number): number {
    const r = this.ram;
    return r[q] | (r[q + 1] << 8) | (r[q + 2] << 16) | (r[q + 3] << 24);
  }
}

/** Slot of a physical address. */
export function slotOf(p: number): number {
  return p & MASK;
}

/**
 * The interpreter's loop over 32-bit code in the fetch window: from c.eip, for as long as the
 * next instruction lies in the window, comes before the next clock event and within the budget
 * `end`, and nothing asked for the slow path. A decoded instruction does what the interpreter's
 * handler for its opcode does (same helpers, same order of memory accesses, same cycles); any
 * other goes to the interpreter's decoder ({@link step}). EIP, the clock and the instruction
 * count live in locals between decoded instructions and are stored before anything that may
 * fault or reach a device, so a fault or a device sees exactly the state of the plain loop.
 */
export function runDecoded(c: Cpu, d: DecodedCache, end: number): void {
  const clock = c.clock, r = c.r32, y = c.cyc;
  const tag = d.tag, kind = d.kind, len = d.len, ops = d.op, as = d.a, bs = d.b, imms = d.imm;
  // The loop walks physical addresses (small integers: a short dependency chain from one
  // instruction to the next); EIP = p - delta. Time and count are kept as what was spent since
  // entry, against what is left.
  let delta = c.fetchDelta, pHi = (delta + c.fetchHi) | 0, pLo = (delta + c.fetchLo) | 0;
  const now0 = clock.now, count0 = c.instructions;
  const room = clock.nextEventAt - now0, left = end - count0;
  let p = (delta + c.eip) | 0, spent = 0, n = 0;
  for (;;) {
    const s = p & MASK;
    if (tag[s] !== p) d.fill(p, s);
    let np = p + len[s], cycles: number;
    switch (np > pHi ? NONE : kind[s]) {
      case ALU_RR: {
        const op = ops[s], a = as[s];
        const v = alu(c, op, 32, r[a], r[bs[s]]);
        if (op !== 7) r[a] = v;
        cycles = y.alu;
        break;
      }
      case ALU_RI: {
        const op = ops[s], a = as[s];
        const v = alu(c, op, 32, r[a], imms[s]);
        if (op !== 7) r[a] = v;
        cycles = y.alu;
        break;
      }
      case TEST_RR:
        alu(c, 4, 32, r[as[s]], r[bs[s]]);
        cycles = y.alu;
        break;
      case INC: {
        const a = as[s];
        r[a] = inc(c, 32, r[a]);
        cycles = y.alu;
        break;
      }
      case DEC: {
        const a = as[s];
        r[a] = dec(c, 32, r[a]);
        cycles = y.alu;
        break;
      }
      case MOV_RR:
        r[as[s]] = r[bs[s]];
        cycles = y.mov;
        break;
      case MOV_RI:
        r[as[s]] = imms[s];
        cycles = y.mov;
        break;
      case LEA:
        r[as[s]] = effectiveAddress(c, d, s);
        cycles = y.alu;
        break;
      case JCC: case JMP:
        cycles = y.alu;
        if (kind[s] === JMP || testCondition(c, ops[s])) {
          cycles = y.branch;
          np = p + len[s] + imms[s];
          // A target inside the fetch window is within the CS limit and needs no 32-bit wrap.
          if (np < pLo || np >= pHi) {
            const next = p + len[s] - delta;
            c.startEip = p - delta; clock.now = now0 + spent; c.instructions = count0 + n;
            c.eip = next;
            const to = (next + imms[s]) >>> 0;
            if (to > c.segLimit[CS] && (c.cr0 & CR0_PE) !== 0) c.raise(GP, 0);
            c.eip = to; clock.now += cycles; c.instructions++;
            return;
          }
        }
        break;
      case NONE: {
        // The interpreter's decoder, with the state stored: it may do anything.
        c.eip = p - delta; c.startEip = p - delta; clock.now = now0 + spent; c.instructions = count0 + n;
        cycles = step(c);
        const e = c.eip;
        if (c.slow || !c.cs32 || e < c.fetchLo || e >= c.fetchHi) {
          c.instructions = count0 + n + 1; clock.now = now0 + spent + cycles;
          return;
        }
        delta = c.fetchDelta; pHi = (delta + c.fetchHi) | 0; pLo = (delta + c.fetchLo) | 0;
        np = (delta + e) | 0;
        break;
      }
      default: {
        // Forms that touch memory: the state is stored first (the access may fault or reach a
        // device, which then sees this instruction's time and count).
        c.eip = np - delta; c.startEip = p - delta; clock.now = now0 + spent; c.instructions = count0 + n;
        cycles = memoryForm(c, d, s, np - delta);
        const e = c.eip;
        if (c.slow || e < c.fetchLo || e >= c.fetchHi) {
          c.instructions = count0 + n + 1; clock.now = now0 + spent + cycles;
          return;
        }
        np = (delta + e) | 0;
        break;
      }
    }
    n++; spent += cycles; p = np;
    if (p >= pHi || spent >= room || n >= left) break;
  }
  c.eip = p - delta; clock.now = now0 + spent; c.instructions = count0 + n;
}

/** Effective address (int32 offset) of the memory operand in slot `s`. */
function effectiveAddress(c: Cpu, d: DecodedCache, s: number): number {
  const r = c.r32;
  let off = d.disp[s];
  const base = d.base[s], index = d.index[s];
  if (base !== NO_REG) off = (off + r[base]) | 0;
  if (index !== NO_REG) off = (off + (r[index] << d.scale[s])) | 0;
  return off;
}

/** Near transfer to `target` (32-bit), #GP beyond the CS limit in protected mode. */
function near(c: Cpu, target: number): void {
  target >>>= 0;
  if (target > c.segLimit[CS] && (c.cr0 & CR0_PE) !== 0) c.raise(GP, 0);
  c.eip = target;
}

/** The forms that touch memory, with c.eip already past the instruction; returns the cycles. */
function memoryForm(c: Cpu, d: DecodedCache, s: number, next: number): number {
  const r = c.r32, y = c.cyc;
  switch (d.kind[s]) {
    case ALU_RM: {
      const op = d.op[s], a = d.a[s];
      const v = alu(c, op, 32, r[a], c.rd32(d.seg[s], effectiveAddress(c, d, s)));
      if (op !== 7) r[a] = v;
      return y.aluMem;
    }
    case ALU_MR: {
      const op = d.op[s], seg = d.seg[s], off = effectiveAddress(c, d, s);
      const v = alu(c, op, 32, c.rd32(seg, off), r[d.a[s]]);
      if (op !== 7) c.wr32(seg, off, v);
      return y.aluMem;
    }
    case ALU_MI: {
      const op = d.op[s], seg = d.seg[s], off = effectiveAddress(c, d, s);
      const v = alu(c, op, 32, c.rd32(seg, off), d.imm[s]);
      if (op !== 7) c.wr32(seg, off, v);
      return y.aluMem;
    }
    case LOAD:
      r[d.a[s]] = c.rd32(d.seg[s], effectiveAddress(c, d, s));
      return y.mov;
    case STORE:
      c.wr32(d.seg[s], effectiveAddress(c, d, s), r[d.a[s]]);
      return y.mov;
    case STORE_I:
      c.wr32(d.seg[s], effectiveAddress(c, d, s), d.imm[s]);
      return y.mov;
    case PUSH:
      c.push32(r[d.a[s]]);
      return y.stack;
    case POP: {
      const v = c.pop32();
      r[d.a[s]] = v;
      return y.stack;
    }
    case PUSH_I:
      c.push32(d.imm[s]);
      return y.stack;
    case CALL: {
      const target = (next + d.imm[s]) >>> 0;
      if (target > c.segLimit[CS] && (c.cr0 & CR0_PE) !== 0) c.raise(GP, 0);
      c.push32(next);
      c.eip = target;
      return y.call;
    }
    default: { // RET
      const t = c.peekStack(0, 4);
      near(c, t);
      c.setSp(c.ss32 ? (c.sp + 4) >>> 0 : (c.sp + 4) & 0xffff);
      return y.call;
    }
  }
}
