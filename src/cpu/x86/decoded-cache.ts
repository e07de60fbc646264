/** Decoded-instruction cache of the interpreter: common 32-bit forms decoded once per physical address, then run from typed arrays. */

import type { Cpu } from './cpu.js';
import { alu, inc, dec, neg, imul2 } from './execute/alu.js';
import { bitOp } from './execute/bit.js';
import { S_MOVS, S_CMPS, S_STOS, S_LODS, S_SCAS } from './execute/string.js';
import { shift } from './execute/shift-rotate.js';
import { testCondition, LZ_ADD, LZ_SUB, LZ_LOGIC } from './lazy-flags.js';
import { CS, SS, DS, CR0_PE, ZF, ARITH_FLAGS, R8_INDEX } from './state.js';
import { GP } from './exceptions.js';
import { step } from './decode.js';

/** Slots of the direct-mapped table (a power of two): slot = physical address mod size. */
const SIZE = 1 << 16;
const MASK = SIZE - 1;
/**
 * After this many quick invalidations of one physical page (code sharing a page with data that is
 * written often), nothing on it is cached again: each write would cost a decode of everything
 * after it. An invalidation is quick when fewer than QUICK_RUN instructions retired since the
 * page's previous one; a page written more rarely (a counter an interrupt handler bumps, say)
 * stays cached, since decoding its few instructions again costs less than the cache saves.
 */
const MAX_INVALIDATIONS = 8;
const QUICK_RUN = 256;
/** The string operation (S_*) of opcodes A4/A5, A6/A7, (A8/A9: TEST), AA/AB, AC/AD, AE/AF. */
const STRING_OPS = [S_MOVS, S_CMPS, -1, S_STOS, S_LODS, S_SCAS];
/** Instructions {@link DecodedCache.fillRun} decodes at most. */
const FILL_RUN = 64;
/** Memory operand without a base or an index register. */
const NO_REG = 8;
/** No EIP set by an instruction that ends a run of {@link runDecoded} (EIP is never negative). */
const NO_EXIT = -1;

/**
 * Decoded forms. Every form is an instruction in code whose default operand and address size is
 * 32 bits, with no prefix but for the 0x66 of the 16-bit moves; anything else is `NONE`, which
 * the interpreter decodes at each execution as before. Operand fields: `op` (ALU or shift
 * operation, or condition code), `a` and `b` (register numbers; byte-register forms hold the
 * byte index into the register file, R8_INDEX), `imm`, and the memory operand.
 */
export const NONE = 0;
// Register forms. The run loop's own switch takes ADD_RR … LOGIC_RI, INC, DEC, JCC, JMP and LOOP;
// every other form runs as a small function of FORMS.
/**
 * ADC/SBB r32, r32 (11/13, 19/1B mod 3: a = destination, b = source) and r32, imm (15, 1D,
 * 81/83 /2 /3 mod 3): the ALU operations that read CF.
 */
const ALU_RR = 1;
const ALU_RI = 2;
/**
 * The other ALU r32, r32 / r32, imm forms (01/03 … 39/3B mod 3, 05 … 3D, 81/83 mod 3), split by
 * operation: ADD, SUB, CMP, then OR/AND/XOR, in this order, each register form (odd) followed by
 * its immediate form (even); the loop relies on the order.
 */
const ADD_RR = 3;
const ADD_RI = 4;
const SUB_RR = 5;
const SUB_RI = 6;
const CMP_RR = 7;
const CMP_RI = 8;
const LOGIC_RR = 9;
const LOGIC_RI = 10;

/** The kind of a 32-bit ALU form by operation (ADD OR ADC SBB AND SUB XOR CMP), register and immediate source. */
const ALU_KIND_RR = [ADD_RR, LOGIC_RR, ALU_RR, ALU_RR, LOGIC_RR, SUB_RR, LOGIC_RR, CMP_RR];
const ALU_KIND_RI = [ADD_RI, LOGIC_RI, ALU_RI, ALU_RI, LOGIC_RI, SUB_RI, LOGIC_RI, CMP_RI];
/** TEST r32, r32 (85 mod 3: a = r/m, b = reg); TEST r32, imm32 (A9, F7 /0 mod 3). */
const TEST_RR = 11;
const TEST_RI = 12;
/** INC/DEC r32 (40+r, 48+r, FF /0 /1 mod 3). */
const INC = 13;
const DEC = 14;
/** MOV r32, r32 (89/8B mod 3); MOV r32, imm32 (B8+r, C7 /0 mod 3). */
const MOV_RR = 15;
const MOV_RI = 16;
/** LEA r32, m (8D). */
const LEA = 17;
/** Jcc rel8/rel32 (70+cc, 0F 80+cc): op = cc, imm = displacement; JMP rel8/rel32 (EB, E9). */
const JCC = 18;
const JMP = 19;
/** LOOP rel8 (E2): ECX decremented, jump while not zero; imm = displacement. */
const LOOP = 20;
/** ALU r8, r8 (00/02 … 38/3A mod 3); ALU r8, imm8 (04 … 3C, 80 mod 3). */
const ALU8_RR = 21;
const ALU8_RI = 22;
/** TEST r8, r8 (84 mod 3); TEST r8, imm8 (A8, F6 /0 mod 3). */
const TEST8_RR = 23;
const TEST8_RI = 24;
/** MOV r8, r8 (88/8A mod 3); MOV r8, imm8 (B0+r, C6 /0 mod 3). */
const MOV8_RR = 25;
const MOV8_RI = 26;
/** MOVZX/MOVSX r32, r8/r16 (0F B6/B7/BE/BF mod 3): b = byte index or 16-bit register number. */
const MOVZX8_R = 27;
const MOVZX16_R = 28;
const MOVSX8_R = 29;
const MOVSX16_R = 30;
/** Shift/rotate r32 by imm8 or 1 (C1, D1 mod 3: imm = count) or by CL (D3 mod 3). */
const SHIFT_RI = 31;
const SHIFT_RC = 32;
/** SETcc r8 (0F 90+cc mod 3). */
const SETCC_R = 33;
/** NOP (90, 66 90). */
const NOP = 34;
/** NOT r32, NEG r32 (F7 /2 /3 mod 3). */
const NOT_R = 35;
const NEG_R = 36;
/** IMUL r32, r32, imm (69, 6B mod 3: a = destination, b = source); IMUL r32, r32 (0F AF mod 3). */
const IMUL_RRI = 37;
const IMUL_RR = 38;
/** BT/BTS/BTR/BTC r32, imm8 (0F BA /4-/7 mod 3): op = 0-3 in that order, imm = bit (0-31). */
const BT_RI = 39;
// Forms that touch memory.
/** ALU r32, m32 (03 … 3B); ALU m32, r32 (01 … 39): a = the register; ALU m32, imm (81/83). */
const ALU_RM = 40;
const ALU_MR = 41;
const ALU_MI = 42;
/** TEST m32, r32 (85). */
const TEST_MR = 43;
/** MOV r32, m32 (8B, A1); MOV m32, r32 (89, A3); MOV m32, imm32 (C7 /0). */
const LOAD = 44;
const STORE = 45;
const STORE_I = 46;
/** The same with bytes (8A/A0, 88/A2, C6 /0) and, after 0x66, with words (8B, 89, C7 /0). */
const LOAD8 = 47;
const STORE8 = 48;
const STORE8_I = 49;
const LOAD16 = 50;
const STORE16 = 51;
const STORE16_I = 52;
/** MOVZX/MOVSX r32, m8/m16 (0F B6/B7/BE/BF). */
const MOVZX8_M = 53;
const MOVZX16_M = 54;
const MOVSX8_M = 55;
const MOVSX16_M = 56;
/** ALU m8, imm8 (80); ALU r8, m8 (02 … 3A); ALU m8, r8 (00 … 38); TEST m8, imm8 (F6 /0). */
const ALU8_MI = 57;
const ALU8_RM = 58;
const ALU8_MR = 59;
const TEST8_MI = 60;
/** INC/DEC m32 (FF /0 /1). */
const INC_M = 61;
const DEC_M = 62;
/** PUSH r32 (50+r, FF /6 mod 3), POP r32 (58+r), PUSH imm (68, 6A), PUSH m32 (FF /6). */
const PUSH = 63;
const POP = 64;
const PUSH_I = 65;
const PUSH_M = 66;
/** LEAVE (C9): ESP = EBP, then POP EBP. */
const LEAVE = 67;
/** IMUL r32, m32, imm (69, 6B); IMUL r32, m32 (0F AF); BT/BTS/BTR/BTC m32, imm8 (0F BA /4-/7). */
const IMUL_RMI = 68;
const IMUL_RM = 69;
const BT_MI = 70;
// Transfers that set EIP themselves (all kinds from here on).
/** CALL rel32 (E8); RET (C3); CALL/JMP r32 or m32 (FF /2, FF /4). */
const CALL = 71;
const RET = 72;
const CALL_R = 73;
const CALL_M = 74;
const JMP_R = 75;
const JMP_M = 76;
/**
 * MOVS, CMPS, STOS, LODS, SCAS of bytes or dwords (A4-AF but A8/A9), with REP/REPE (F3) or
 * REPNE (F2) or neither: op = the string operation (execute/string.ts S_*), a = element size
 * (1, 4), b = 0, 1 (F3) or 2 (F2). Only the 'wasm' engine's loop runs it; decoded for that
 * engine only (the others' loops take it through the decoder).
 */
const STR = 77;
/**
 * Also for the 'wasm' engine's loop only: CLI (FA), PUSHF (9C), BT/BTS/BTR/BTC r/m32, r32
 * (0F A3/AB/B3/BB: op = 0-3, a = the offset register, b = the r/m register), CMPXCHG r/m32, r32
 * (0F B1) and XADD r/m32, r32 (0F C1) (a = the source register, b = the r/m register).
 */
const CLI = 78;
const PUSHF = 79;
const BT_RR = 80;
const BT_MR = 81;
const CMPXCHG_R = 82;
const CMPXCHG_M = 83;
const XADD_R = 84;
const XADD_M = 85;

/**
 * The cache. An entry is keyed by the physical address of the instruction's first byte, so it
 * serves every linear mapping of the code; an instruction is cached only when all of it lies in
 * that page. Every page with cached instructions is watched on the bus: the first write to it
 * drops all of its entries (and the watch), so a cached form always matches the bytes in RAM.
 * Entries that say `NONE` need no watch: they only send the interpreter to its own decoder.
 */
export class DecodedCache {
  /** Physical address of the instruction in each slot; -1 for an empty slot. */
  readonly tag: Int32Array;
  /**
   * kind | length << 8 | op << 12 | a << 16 | b << 20: the form (NONE in an entry that has none)
   * and what the run loop reads of an entry, in one load (register fields of the loop's own
   * forms are below 16; an instruction is at most 15 bytes).
   */
  readonly info: Int32Array;
  /** ALU operation (ModRM.reg or opcode bits 3-5), or condition code. */
  readonly op: Uint8Array;
  readonly a: Uint8Array;
  readonly b: Uint8Array;
  readonly imm: Int32Array;
  /** Memory operand: segment, base and index registers (NO_REG for none), scale shift, displacement. */
  readonly seg: Uint8Array;
  readonly base: Uint8Array;
  readonly index: Uint8Array;
  readonly scale: Uint8Array;
  readonly disp: Int32Array;
  private readonly watched: Uint8Array;
  /** Quick invalidations per page (see MAX_INVALIDATIONS). */
  private readonly invalidations: Uint8Array;
  /** Instruction count at each page's last invalidation. */
  private readonly lastInvalidation: Float64Array;
  /** Page offsets of the first and last decoded instruction since the last invalidation (a write scans only these slots). */
  private readonly lowest: Uint16Array;
  private readonly highest: Uint16Array;
  /**
   * Pages given up (MAX_INVALIDATIONS quick invalidations): the interpreter runs their code through
   * the decoder directly, without looking here first.
   */
  readonly givenUp: Uint8Array;
  private readonly ram: Uint8Array;
  /** Length in bytes of the instruction decode() last took. */
  private length = 0;
  /** Decode the forms only the 'wasm' engine's loop runs (STR, CLI, PUSHF, BT_RR ...). */
  private readonly wasmForms: boolean;
  /** Instructions decoded into a form since construction (for tests and measurements). */
  decoded = 0;
  /** Pages whose entries were dropped by a write. */
  invalidated = 0;

  constructor(private readonly cpu: Cpu) {
    // Under the 'wasm' engine the arrays are the WebAssembly loop's, which reads them too.
    const w = cpu.wasm;
    this.tag = w !== null ? w.tag : new Int32Array(SIZE);
    this.tag.fill(-1);
    this.info = w !== null ? w.info : new Int32Array(SIZE);
    this.op = w !== null ? w.op : new Uint8Array(SIZE);
    this.a = w !== null ? w.a : new Uint8Array(SIZE);
    this.b = w !== null ? w.b : new Uint8Array(SIZE);
    this.imm = w !== null ? w.imm : new Int32Array(SIZE);
    this.seg = w !== null ? w.seg : new Uint8Array(SIZE);
    this.base = w !== null ? w.base : new Uint8Array(SIZE);
    this.index = w !== null ? w.index : new Uint8Array(SIZE);
    this.scale = w !== null ? w.scale : new Uint8Array(SIZE);
    this.disp = w !== null ? w.disp : new Int32Array(SIZE);
    this.ram = cpu.bus.ram;
    this.wasmForms = w !== null;
    const pages = (this.ram.length >>> 12) + 1;
    this.watched = w !== null ? w.watched : new Uint8Array(pages);
    this.invalidations = w !== null ? w.invalidations : new Uint8Array(pages);
    this.givenUp = w !== null ? w.givenUp : new Uint8Array(pages);
    this.lastInvalidation = new Float64Array(pages).fill(-Infinity);
    this.lowest = w !== null ? w.lowest : new Uint16Array(pages);
    this.highest = w !== null ? w.highest : new Uint16Array(pages);
  }

  /** Decode the instruction at physical address `p` into slot `s` (its kind may be NONE). */
  fill(p: number, s: number): void {
    this.tag[s] = p;
    this.info[s] = NONE;
    const page = p >>> 12;
    if (page >= this.watched.length || this.invalidations[page] >= MAX_INVALIDATIONS) return;
    const k = this.decode(p, s, Math.min((page + 1) << 12, this.ram.length));
    if (k === NONE) return;
    this.info[s] = k | this.length << 8 | this.op[s] << 12 | (this.a[s] & 15) << 16 | (this.b[s] & 15) << 20;
    this.decoded++;
    const offset = p & 0xfff;
    if (this.watched[page] === 0) {
      this.watched[page] = 1;
      this.lowest[page] = offset;
      this.highest[page] = offset;
      this.cpu.bus.watchPage(page);
    } else if (offset < this.lowest[page]) {
      this.lowest[page] = offset;
    } else if (offset > this.highest[page]) {
      this.highest[page] = offset;
    }
  }

  /**
   * Decode the straight run of code from physical `p` (for the 'wasm' engine, when its loop met
   * a miss it could not decode itself: its queue of newly watched pages was full): up to FILL_RUN
   * instructions, stopping after an unconditional transfer, at an instruction without a form, or
   * at the page end. True if the instruction at `p` has a form.
   */
  fillRun(p: number): boolean {
    const end = ((p >>> 12) + 1) << 12;
    const first = p & MASK;
    for (let i = 0; i < FILL_RUN && p < end; i++) {
      const s = p & MASK;
      if (this.tag[s] !== p) this.fill(p, s);
      const w = this.info[s], k = w & 255;
      if (k === NONE || k === JMP || k >= CALL) break;
      p += (w >> 8) & 15;
    }
    return (this.info[first] & 255) !== NONE;
  }

  /** A watched page was written: forget what was decoded on it. */
  invalidatePage(page: number): void {
    if (page >= this.watched.length || this.watched[page] === 0) return;
    // NONE entries outside [lowest, highest] may stay: they only send an instruction to the decoder.
    const first = (page << 12) & MASK;
    const tag = this.tag;
    for (let s = first + this.lowest[page]; s <= first + this.highest[page]; s++) if (tag[s] >>> 12 === page) tag[s] = -1;
    this.watched[page] = 0;
    this.cpu.bus.unwatchPage(page);
    const now = this.cpu.instructions;
    if (now - this.lastInvalidation[page] < QUICK_RUN && this.invalidations[page] < 255) this.invalidations[page]++;
    this.lastInvalidation[page] = now;
    if (this.invalidations[page] >= MAX_INVALIDATIONS) this.givenUp[page] = 1;
    this.invalidated++;
  }

  /** Forget everything (RAM replaced behind the bus: image load, snapshot restore). */
  flush(): void {
    this.tag.fill(-1);
    // Watched pages found with indexOf: a flush runs at every image load, before the code is hot.
    for (let page = this.watched.indexOf(1); page >= 0; page = this.watched.indexOf(1, page + 1)) this.cpu.bus.unwatchPage(page);
    this.watched.fill(0);
    this.invalidations.fill(0);
    this.givenUp.fill(0);
    this.lastInvalidation.fill(-Infinity);
  }

  /**
   * Decode the bytes at `p` (reading none at or past `end`) into slot `s`; returns the kind.
   * Opcode map: SDM vol. 2 appendix A, tables.
   */
  private decode(p: number, s: number, end: number): number {
    const ram = this.ram;
    const b0 = ram[p];
    if (b0 === 0x0f) return this.decode0f(p, s, end);
    if (b0 === 0x66) return this.decode66(p, s, end);
    if (b0 < 0x40) {
      const low = b0 & 7;
      this.op[s] = b0 >> 3;
      if (low === 4 || low === 5) { // ALU AL, imm8 / EAX, imm32
        const n = low === 4 ? 1 : 4;
        if (p + 1 + n > end) return NONE;
        this.a[s] = 0; this.imm[s] = n === 4 ? this.s32(p + 1) : ram[p + 1]; this.length = 1 + n;
        return low === 4 ? ALU8_RI : ALU_KIND_RI[b0 >> 3];
      }
      if (low > 3) return NONE; // segment pushes/pops, prefixes, BCD adjustments
      const n = this.modrm(p + 1, end, s);
      if (n < 0) return NONE;
      const m = ram[p + 1], rm = m & 7, reg = (m >> 3) & 7;
      this.length = 1 + n;
      const toRm = (low & 2) === 0, byte = (low & 1) === 0;
      if (m >= 0xc0) {
        const dst = toRm ? rm : reg, src = toRm ? reg : rm;
        this.a[s] = byte ? R8_INDEX[dst] : dst; this.b[s] = byte ? R8_INDEX[src] : src;
        return byte ? ALU8_RR : ALU_KIND_RR[b0 >> 3];
      }
      this.a[s] = byte ? R8_INDEX[reg] : reg;
      return byte ? (toRm ? ALU8_MR : ALU8_RM) : (toRm ? ALU_MR : ALU_RM);
    }
    if (b0 < 0x60) { // INC, DEC, PUSH, POP r32
      this.a[s] = b0 & 7; this.length = 1;
      return b0 < 0x48 ? INC : b0 < 0x50 ? DEC : b0 < 0x58 ? PUSH : POP;
    }
    if (b0 >= 0x70 && b0 < 0x80) {
      if (p + 2 > end) return NONE;
      this.op[s] = b0 & 15; this.imm[s] = (ram[p + 1] << 24) >> 24; this.length = 2;
      return JCC;
    }
    if (b0 >= 0xb0 && b0 < 0xc0) { // MOV r8, imm8 / MOV r32, imm32
      const n = b0 < 0xb8 ? 1 : 4;
      if (p + 1 + n > end) return NONE;
      this.a[s] = n === 1 ? R8_INDEX[b0 & 7] : b0 & 7; this.imm[s] = n === 4 ? this.s32(p + 1) : ram[p + 1];
      this.length = 1 + n;
      return n === 1 ? MOV8_RI : MOV_RI;
    }
    if (this.wasmForms && (b0 === 0xf2 || b0 === 0xf3 || (b0 >= 0xa4 && b0 < 0xb0 && b0 !== 0xa8 && b0 !== 0xa9))) {
      const prefix = b0 === 0xf3 ? 1 : b0 === 0xf2 ? 2 : 0, q = prefix === 0 ? p : p + 1;
      if (q + 1 > end) return NONE;
      const op = ram[q];
      if (op < 0xa4 || op >= 0xb0 || op === 0xa8 || op === 0xa9) return NONE;
      this.op[s] = STRING_OPS[(op - 0xa4) >> 1]; this.a[s] = (op & 1) === 0 ? 1 : 4; this.b[s] = prefix;
      this.length = q + 1 - p;
      return STR;
    }
    if (b0 >= 0xa0 && b0 < 0xa4) { // MOV AL/EAX <-> moffs32
      if (p + 5 > end) return NONE;
      this.a[s] = 0; this.seg[s] = DS; this.base[s] = NO_REG; this.index[s] = NO_REG; this.scale[s] = 0;
      this.disp[s] = this.s32(p + 1); this.length = 5;
      return b0 === 0xa0 ? LOAD8 : b0 === 0xa1 ? LOAD : b0 === 0xa2 ? STORE8 : STORE;
    }
    if (this.wasmForms && (b0 === 0xfa || b0 === 0x9c)) {
      this.length = 1;
      return b0 === 0xfa ? CLI : PUSHF;
    }
    switch (b0) {
      case 0x68: case 0x6a: {
        const n = b0 === 0x68 ? 4 : 1;
        if (p + 1 + n > end) return NONE;
        this.imm[s] = n === 4 ? this.s32(p + 1) : (ram[p + 1] << 24) >> 24; this.length = 1 + n;
        return PUSH_I;
      }
      case 0x80: case 0x81: case 0x83: {
        const n = this.modrm(p + 1, end, s);
        const ni = b0 === 0x81 ? 4 : 1;
        if (n < 0 || p + 1 + n + ni > end) return NONE;
        const m = ram[p + 1], q = p + 1 + n, reg = m >= 0xc0;
        this.op[s] = (m >> 3) & 7;
        this.length = 1 + n + ni;
        if (b0 === 0x80) {
          this.a[s] = R8_INDEX[m & 7]; this.imm[s] = ram[q];
          return reg ? ALU8_RI : ALU8_MI;
        }
        this.a[s] = m & 7; this.imm[s] = ni === 4 ? this.s32(q) : (ram[q] << 24) >> 24;
        return reg ? ALU_KIND_RI[(m >> 3) & 7] : ALU_MI;
      }
      case 0x84: case 0x85: case 0x88: case 0x89: case 0x8a: case 0x8b: case 0x8d: {
        const n = this.modrm(p + 1, end, s);
        if (n < 0) return NONE;
        const m = ram[p + 1], rm = m & 7, reg = (m >> 3) & 7;
        const byte = b0 === 0x84 || b0 === 0x88 || b0 === 0x8a;
        this.length = 1 + n;
        if (m >= 0xc0) {
          if (b0 === 0x8d) return NONE; // LEA with a register operand: #UD, from the interpreter
          const load = b0 === 0x8a || b0 === 0x8b;
          const dst = load ? reg : rm, src = load ? rm : reg;
          this.a[s] = byte ? R8_INDEX[dst] : dst; this.b[s] = byte ? R8_INDEX[src] : src;
          return b0 === 0x84 ? TEST8_RR : b0 === 0x85 ? TEST_RR : byte ? MOV8_RR : MOV_RR;
        }
        this.a[s] = byte ? R8_INDEX[reg] : reg;
        switch (b0) {
          case 0x85: return TEST_MR;
          case 0x88: return STORE8;
          case 0x89: return STORE;
          case 0x8a: return LOAD8;
          case 0x8b: return LOAD;
          case 0x8d: return LEA;
          default: return NONE; // TEST m8, r8: from the interpreter
        }
      }
      case 0x90:
        this.length = 1;
        return NOP;
      case 0xa8: case 0xa9: {
        const n = b0 === 0xa8 ? 1 : 4;
        if (p + 1 + n > end) return NONE;
        this.a[s] = 0; this.imm[s] = n === 4 ? this.s32(p + 1) : ram[p + 1]; this.length = 1 + n;
        return n === 1 ? TEST8_RI : TEST_RI;
      }
      case 0xc1: case 0xd1: case 0xd3: {
        if (p + 2 > end || ram[p + 1] < 0xc0) return NONE;
        const m = ram[p + 1];
        this.op[s] = (m >> 3) & 7; this.a[s] = m & 7;
        if (b0 === 0xd3) { this.length = 2; return SHIFT_RC; }
        if (b0 === 0xd1) { this.imm[s] = 1; this.length = 2; return SHIFT_RI; }
        if (p + 3 > end) return NONE;
        this.imm[s] = ram[p + 2]; this.length = 3;
        return SHIFT_RI;
      }
      case 0x69: case 0x6b: { // IMUL r32, r/m32, imm32 / imm8
        const n = this.modrm(p + 1, end, s);
        const ni = b0 === 0x69 ? 4 : 1;
        if (n < 0 || p + 1 + n + ni > end) return NONE;
        const m = ram[p + 1], q = p + 1 + n;
        this.a[s] = (m >> 3) & 7; this.b[s] = m & 7;
        this.imm[s] = ni === 4 ? this.s32(q) : (ram[q] << 24) >> 24;
        this.length = 1 + n + ni;
        return m >= 0xc0 ? IMUL_RRI : IMUL_RMI;
      }
      case 0xc6: case 0xc7: case 0xf6: case 0xf7: {
        // C6/C7 /0: MOV r/m, imm; F6/F7 /0 and /1: TEST r/m, imm; F7 /2 /3 mod 3: NOT, NEG r32.
        if (b0 === 0xf7 && p + 2 <= end && (ram[p + 1] & 0x30) === 0x10) {
          const m = ram[p + 1];
          if (m < 0xc0) return NONE;
          this.a[s] = m & 7; this.length = 2;
          return (m & 0x08) === 0 ? NOT_R : NEG_R;
        }
        const n = this.modrm(p + 1, end, s);
        const ni = b0 === 0xc6 || b0 === 0xf6 ? 1 : 4;
        if (n < 0 || p + 1 + n + ni > end) return NONE;
        const m = ram[p + 1], reg = (m >> 3) & 7, q = p + 1 + n;
        if (b0 <= 0xc7 ? reg !== 0 : reg > 1) return NONE;
        this.a[s] = ni === 1 ? R8_INDEX[m & 7] : m & 7; this.imm[s] = ni === 4 ? this.s32(q) : ram[q];
        this.length = 1 + n + ni;
        if (m >= 0xc0) return b0 === 0xc6 ? MOV8_RI : b0 === 0xc7 ? MOV_RI : b0 === 0xf6 ? TEST8_RI : TEST_RI;
        return b0 === 0xc6 ? STORE8_I : b0 === 0xc7 ? STORE_I : b0 === 0xf6 ? TEST8_MI : NONE;
      }
      case 0xc3: case 0xc9:
        this.length = 1;
        return b0 === 0xc3 ? RET : LEAVE;
      case 0xe8: case 0xe9:
        if (p + 5 > end) return NONE;
        this.imm[s] = this.s32(p + 1); this.length = 5;
        return b0 === 0xe8 ? CALL : JMP;
      case 0xe2: case 0xeb:
        if (p + 2 > end) return NONE;
        this.imm[s] = (ram[p + 1] << 24) >> 24; this.length = 2;
        return b0 === 0xe2 ? LOOP : JMP;
      case 0xff: {
        const n = this.modrm(p + 1, end, s);
        if (n < 0) return NONE;
        const m = ram[p + 1], reg = (m >> 3) & 7, mem = m < 0xc0;
        this.a[s] = m & 7; this.length = 1 + n;
        switch (reg) {
          case 0: return mem ? INC_M : INC;
          case 1: return mem ? DEC_M : DEC;
          case 2: return mem ? CALL_M : CALL_R;
          case 4: return mem ? JMP_M : JMP_R;
          case 6: return mem ? PUSH_M : PUSH;
          default: return NONE; // far transfers and #UD: from the interpreter
        }
      }
      default:
        return NONE;
    }
  }

  /** Two-byte opcodes (0F xx): Jcc rel32, SETcc r8, IMUL, BT* with an immediate, MOVZX, MOVSX. SDM vol. 2 table A-3. */
  private decode0f(p: number, s: number, end: number): number {
    if (p + 2 > end) return NONE;
    const ram = this.ram;
    const b1 = ram[p + 1];
    if (b1 >= 0x80 && b1 < 0x90) {
      if (p + 6 > end) return NONE;
      this.op[s] = b1 & 15; this.imm[s] = this.s32(p + 2); this.length = 6;
      return JCC;
    }
    if (b1 >= 0x90 && b1 < 0xa0) {
      if (p + 3 > end || ram[p + 2] < 0xc0) return NONE;
      this.op[s] = b1 & 15; this.a[s] = R8_INDEX[ram[p + 2] & 7]; this.length = 3;
      return SETCC_R;
    }
    if (b1 === 0xaf) { // IMUL r32, r/m32
      const n = this.modrm(p + 2, end, s);
      if (n < 0) return NONE;
      const m = ram[p + 2];
      this.a[s] = (m >> 3) & 7; this.b[s] = m & 7; this.length = 2 + n;
      return m >= 0xc0 ? IMUL_RR : IMUL_RM;
    }
    if (b1 === 0xba) { // BT/BTS/BTR/BTC r/m32, imm8 (/4-/7; /0-/3 are #UD, from the interpreter)
      const n = this.modrm(p + 2, end, s);
      if (n < 0 || p + 3 + n > end) return NONE;
      const m = ram[p + 2], reg = (m >> 3) & 7;
      if (reg < 4) return NONE;
      this.op[s] = reg - 4; this.a[s] = m & 7; this.imm[s] = ram[p + 2 + n] & 31; this.length = 3 + n;
      return m >= 0xc0 ? BT_RI : BT_MI;
    }
    if (this.wasmForms && (b1 === 0xa3 || b1 === 0xab || b1 === 0xb3 || b1 === 0xbb || b1 === 0xb1 || b1 === 0xc1)) {
      const n = this.modrm(p + 2, end, s);
      if (n < 0) return NONE;
      const m = ram[p + 2], mem = m < 0xc0;
      this.op[s] = (b1 >> 3) & 3; this.a[s] = (m >> 3) & 7; this.b[s] = m & 7; this.length = 2 + n;
      if (b1 === 0xb1) return mem ? CMPXCHG_M : CMPXCHG_R;
      if (b1 === 0xc1) return mem ? XADD_M : XADD_R;
      return mem ? BT_MR : BT_RR;
    }
    if (b1 !== 0xb6 && b1 !== 0xb7 && b1 !== 0xbe && b1 !== 0xbf) return NONE;
    const n = this.modrm(p + 2, end, s);
    if (n < 0) return NONE;
    const m = ram[p + 2], word = (b1 & 1) !== 0, signed = b1 >= 0xbe;
    this.a[s] = (m >> 3) & 7; this.length = 2 + n;
    if (m >= 0xc0) {
      this.b[s] = word ? (m & 7) << 1 : R8_INDEX[m & 7];
      return signed ? (word ? MOVSX16_R : MOVSX8_R) : (word ? MOVZX16_R : MOVZX8_R);
    }
    return signed ? (word ? MOVSX16_M : MOVSX8_M) : (word ? MOVZX16_M : MOVZX8_M);
  }

  /** After an operand-size prefix: the 16-bit moves to and from memory (89, 8B, C7 /0), and 66 90 (a two-byte NOP). */
  private decode66(p: number, s: number, end: number): number {
    if (p + 2 > end) return NONE;
    const b1 = this.ram[p + 1];
    if (b1 === 0x90) { this.length = 2; return NOP; }
    if (b1 !== 0x89 && b1 !== 0x8b && b1 !== 0xc7) return NONE;
    const n = this.modrm(p + 2, end, s);
    if (n < 0) return NONE;
    const m = this.ram[p + 2];
    if (m >= 0xc0) return NONE;
    this.a[s] = (m >> 3) & 7; this.length = 2 + n;
    if (b1 === 0x89) return STORE16;
    if (b1 === 0x8b) return LOAD16;
    if ((m & 0x38) !== 0 || p + 2 + n + 2 > end) return NONE;
    this.imm[s] = this.ram[p + 2 + n] | (this.ram[p + 3 + n] << 8); this.length = 4 + n;
    return STORE16_I;
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

/**
 * The interpreter's loop over 32-bit code in the fetch window: from c.eip, for as long as the
 * next instruction lies in the window, comes before the next clock event and within the budget
 * `end`, and nothing asked for the slow path. A decoded instruction does what the interpreter's
 * handler for its opcode does (same helpers, same order of memory accesses, same cycles); any
 * other goes to the interpreter's decoder ({@link step}). EIP, the clock and the instruction
 * count live in locals between decoded instructions and are stored before anything that may
 * fault or reach a device, so a fault or a device sees exactly the state of the plain loop.
 * With `toBlocks` (the 'jit' engine) the run also ends after a taken jump, call or return, so
 * that the engine can look for a compiled block at its target.
 */
export function runDecoded(c: Cpu, d: DecodedCache, end: number, toBlocks: boolean): void {
  const clock = c.clock, r = c.r32, y = c.cyc;
  const tag = d.tag, info = d.info, imms = d.imm;
  // The loop walks physical addresses (small integers: a short dependency chain from one
  // instruction to the next); EIP = p - delta. Time and count are kept as what was spent since
  // entry, against what is left.
  // A taken jump to a target in [pLo, pHi) stays in the loop; toBlocks leaves that range empty.
  let delta = c.fetchDelta, pHi = (delta + c.fetchHi) | 0, pLo = toBlocks ? pHi : (delta + c.fetchLo) | 0;
  const now0 = clock.now, count0 = c.instructions;
  // Both bounds as small integers (a run stops early at 2^30 and the caller comes back); the
  // cycles spent are whole, so stopping at spent >= ceil(room) is stopping at spent >= room.
  const room = Math.ceil(Math.min(clock.nextEventAt - now0, 0x40000000)) | 0;
  let left = Math.ceil(Math.min(end - count0, 0x40000000)) | 0;
  let p = (delta + c.eip) | 0, spent = 0, n = 0;
  // EIP when the decoder or a memory form ends the run (they set it themselves), else NO_EXIT.
  let exitEip = NO_EXIT;
  for (;;) {
    const s = p & MASK;
    if (tag[s] !== p) d.fill(p, s);
    const w = info[s];
    let np = p + ((w >> 8) & 15), cycles: number;
    const k = np > pHi ? NONE : w & 255;
    switch (k) {
      case ADD_RR: case ADD_RI: case SUB_RR: case SUB_RI: case CMP_RR: case CMP_RI: case LOGIC_RR: case LOGIC_RI: {
        // One case, so that the stores of the lazy record are one site each, and the three
        // logical results computed each time, then selected: V8 has seen every operation here
        // after the first ADD, SUB or CMP and logical instruction. An operation first met after
        // V8 optimised the loop throws the loop's code away, and while an on-stack replacement of
        // the loop was being compiled that left the loop unoptimised for the rest of the run
        // (rtos-irq, at its first OR: 0.8 s instead of 0.5 in a third of the runs).
        const a = (w >> 16) & 15, x = r[a], z = (k & 1) !== 0 ? r[(w >> 20) & 15] : imms[s];
        let v: number, lk: number;
        if (k <= ADD_RI) { v = (x + z) | 0; lk = LZ_ADD; }
        else if (k <= CMP_RI) { v = (x - z) | 0; lk = LZ_SUB; }
        else {
          const op = (w >> 12) & 15, xor = x ^ z, and = x & z, or = x | z;
          v = op === 6 ? xor : op === 4 ? and : or;
          lk = LZ_LOGIC;
        }
        c.lazyKind = lk; c.lazyBits = 32; c.lazyDst = x; c.lazySrc = z; c.lazyRes = v; c.lazyMask = ARITH_FLAGS;
        if (k < CMP_RR || k > CMP_RI) r[a] = v;
        cycles = y.alu;
        break;
      }
      case INC: {
        const a = (w >> 16) & 15;
        r[a] = inc(c, 32, r[a]);
        cycles = y.alu;
        break;
      }
      case DEC: {
        const a = (w >> 16) & 15;
        r[a] = dec(c, 32, r[a]);
        cycles = y.alu;
        break;
      }
      case JCC: case JMP:
        cycles = y.alu;
        if (k === JMP || takes(c, (w >> 12) & 15)) {
          cycles = y.branch;
          np += imms[s];
          // A target inside the fetch window is within the CS limit and needs no 32-bit wrap.
          if (np < pLo || np >= pHi) {
            jumpOut(c, p, np, imms[s], delta, now0, spent, count0, n, cycles);
            return;
          }
        }
        break;
      case LOOP: {
        const count = (r[1] - 1) | 0;
        r[1] = count;
        cycles = y.branch;
        if (count !== 0) {
          np += imms[s];
          if (np < pLo || np >= pHi) {
            jumpOut(c, p, np, imms[s], delta, now0, spent, count0, n, cycles);
            return;
          }
        }
        break;
      }
      case NONE: {
        // The interpreter's decoder, with the state stored: it may do anything.
        c.eip = p - delta; c.startEip = p - delta; clock.now = now0 + spent; c.instructions = count0 + n;
        cycles = step(c);
        const e = c.eip;
        if (c.slow || !c.cs32 || e < c.fetchLo || e >= c.fetchHi) {
          // Leave through the loop's own end (left = 0 stops it after the count), with EIP as
          // the decoder left it: the arithmetic there has run since the first window end, so
          // leaving here for the first time deoptimises nothing.
          exitEip = e; left = 0;
          break;
        }
        delta = c.fetchDelta; pHi = (delta + c.fetchHi) | 0; pLo = toBlocks ? pHi : (delta + c.fetchLo) | 0;
        np = (delta + e) | 0;
        break;
      }
      default: {
        if (k < ALU_RM) { // the other register forms: nothing to store first
          cycles = FORMS[k](c, d, s);
          break;
        }
        // The forms that touch memory: the state is stored first (a memory access may fault or reach a
        // device, which then sees this instruction's time and count).
        c.eip = np - delta; c.startEip = p - delta; clock.now = now0 + spent; c.instructions = count0 + n;
        cycles = FORMS[k](c, d, s);
        const e = c.eip;
        if (c.slow || e < c.fetchLo || e >= c.fetchHi || (toBlocks && k >= CALL)) {
          exitEip = e; left = 0;
          break;
        }
        np = (delta + e) | 0;
        break;
      }
    }
    n++; spent += cycles; p = np;
    if (p >= pHi || spent >= room || n >= left) break;
  }
  c.eip = exitEip !== NO_EXIT ? exitEip : p - delta; clock.now = now0 + spent; c.instructions = count0 + n;
}

/**
 * Run the one cached instruction at physical `p` (EIP = c.eip, in the fetch window) if its form
 * runs as a function of FORMS, as runDecoded would: for the 'wasm' engine, at a form its loop
 * could not complete (a TLB miss, a device, a fault to come). False, with nothing done, for any
 * other entry; the caller then runs the instruction through the decoder.
 */
export function runForm(c: Cpu, d: DecodedCache, p: number): boolean {
  const s = p & MASK;
  if (d.tag[s] !== p) return false;
  const w = d.info[s], k = w & 255, form = FORMS[k];
  if (form === undefined) return false;
  const eip = c.eip;
  c.startEip = eip; c.eip = eip + ((w >> 8) & 15);
  const cycles = form(c, d, s);
  c.clock.now += cycles; c.instructions++;
  return true;
}

/**
 * A taken near jump whose target lies outside the fetch window (the jump at physical `p`, its
 * target at `np`; EIP = physical - `delta`): with the state of the jump's start stored (the
 * clock and count before it), #GP beyond the CS limit, else the jump retires: EIP = the next
 * instruction's + `disp` (32-bit), and its cycles. The loop passes its locals as they are: the
 * arithmetic is here, where it is first run, so that it does not throw away the loop's code.
 */
function jumpOut(c: Cpu, p: number, np: number, disp: number, delta: number, now0: number, spent: number, count0: number, n: number, cycles: number): void {
  const next = np - disp - delta;
  c.startEip = p - delta; c.clock.now = now0 + spent; c.instructions = count0 + n;
  c.eip = next;
  const to = (next + disp) >>> 0;
  if (to > c.segLimit[CS] && (c.cr0 & CR0_PE) !== 0) throw c.fault(GP, 0);
  c.eip = to; c.clock.now += cycles; c.instructions++;
}

/** Jcc condition `cc`: JZ/JNZ read ZF inline (the commonest), the others through testCondition. */
function takes(c: Cpu, cc: number): boolean {
  if ((cc & 14) !== 4) return testCondition(c, cc);
  // Both sources are read every time: ZF held in EFLAGS (after POPF, IRET, an interrupt) is
  // first met long after V8 optimised the loop this is inlined into, and a first read there
  // would deoptimise the loop.
  const lazyZf = c.lazyRes === 0 ? ZF : 0, flags = c.flags;
  const zf = ((c.lazyMask & ZF) !== 0 ? lazyZf : flags) & ZF;
  return (zf !== 0) !== (cc === 5);
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
  if (target > c.segLimit[CS] && (c.cr0 & CR0_PE) !== 0) throw c.fault(GP, 0);
  c.eip = target;
}

/** How a form outside the loop's own switch runs: with the state stored and c.eip past it; returns its cycles. */
type Form = (c: Cpu, d: DecodedCache, s: number) => number;

/** ALU r32 ← r32 op m32 (the loaded operand is the source). */
function aluRm(c: Cpu, d: DecodedCache, s: number): number {
  const op = d.op[s], a = d.a[s], r = c.r32;
  const v = alu(c, op, 32, r[a], c.rd32(d.seg[s], effectiveAddress(c, d, s)));
  if (op !== 7) r[a] = v;
  return c.cyc.aluMem;
}

/** ALU m32 ← m32 op source (read, then written back unless CMP). */
function aluM(c: Cpu, d: DecodedCache, s: number, src: number): number {
  const op = d.op[s], seg = d.seg[s], off = effectiveAddress(c, d, s);
  const v = alu(c, op, 32, c.rd32(seg, off), src);
  if (op !== 7) c.wr32(seg, off, v);
  return c.cyc.aluMem;
}

/** ALU m8 ← m8 op source. */
function alu8M(c: Cpu, d: DecodedCache, s: number, src: number): number {
  const op = d.op[s], seg = d.seg[s], off = effectiveAddress(c, d, s);
  const v = alu(c, op, 8, c.rd8(seg, off), src);
  if (op !== 7) c.wr8(seg, off, v);
  return c.cyc.aluMem;
}

/** ALU r8 ← r8 op source. */
function alu8R(c: Cpu, d: DecodedCache, s: number, src: number): number {
  const op = d.op[s], a = d.a[s];
  const v = alu(c, op, 8, c.r8[a], src);
  if (op !== 7) c.r8[a] = v;
  return c.cyc.alu;
}

/** Near CALL to `target` (already read): #GP beyond the CS limit, else push the return EIP. */
function callNear(c: Cpu, target: number): number {
  target >>>= 0;
  if (target > c.segLimit[CS] && (c.cr0 & CR0_PE) !== 0) throw c.fault(GP, 0);
  c.push32(c.eip | 0); // int32: no heap number for a kernel address
  c.eip = target;
  return c.cyc.call;
}

/**
 * The forms the loop does not run itself (those that touch memory, and the rarer register
 * forms), one small function each, as the interpreter's opcode handlers are: a form met for the
 * first time after V8 has optimised the loop deoptimises nothing else. EIP is read from c, not
 * passed: a double argument would be boxed at each call.
 */
const FORMS: Form[] = [];
FORMS[ALU_RR] = (c, d, s) => { const a = d.a[s]; c.r32[a] = alu(c, d.op[s], 32, c.r32[a], c.r32[d.b[s]]); return c.cyc.alu; };
FORMS[ALU_RI] = (c, d, s) => { const a = d.a[s]; c.r32[a] = alu(c, d.op[s], 32, c.r32[a], d.imm[s]); return c.cyc.alu; };
FORMS[TEST_RR] = (c, d, s) => { alu(c, 4, 32, c.r32[d.a[s]], c.r32[d.b[s]]); return c.cyc.alu; };
FORMS[TEST_RI] = (c, d, s) => { alu(c, 4, 32, c.r32[d.a[s]], d.imm[s]); return c.cyc.alu; };
FORMS[MOV_RR] = (c, d, s) => { c.r32[d.a[s]] = c.r32[d.b[s]]; return c.cyc.mov; };
FORMS[MOV_RI] = (c, d, s) => { c.r32[d.a[s]] = d.imm[s]; return c.cyc.mov; };
FORMS[LEA] = (c, d, s) => { c.r32[d.a[s]] = effectiveAddress(c, d, s); return c.cyc.alu; };
FORMS[ALU8_RR] = (c, d, s) => alu8R(c, d, s, c.r8[d.b[s]]);
FORMS[ALU8_RI] = (c, d, s) => alu8R(c, d, s, d.imm[s]);
FORMS[TEST8_RR] = (c, d, s) => { alu(c, 4, 8, c.r8[d.a[s]], c.r8[d.b[s]]); return c.cyc.alu; };
FORMS[TEST8_RI] = (c, d, s) => { alu(c, 4, 8, c.r8[d.a[s]], d.imm[s]); return c.cyc.alu; };
FORMS[MOV8_RR] = (c, d, s) => { c.r8[d.a[s]] = c.r8[d.b[s]]; return c.cyc.mov; };
FORMS[MOV8_RI] = (c, d, s) => { c.r8[d.a[s]] = d.imm[s]; return c.cyc.mov; };
FORMS[MOVZX8_R] = (c, d, s) => { c.r32[d.a[s]] = c.r8[d.b[s]]; return c.cyc.mov * 3; };
FORMS[MOVZX16_R] = (c, d, s) => { c.r32[d.a[s]] = c.r16[d.b[s]]; return c.cyc.mov * 3; };
FORMS[MOVSX8_R] = (c, d, s) => { c.r32[d.a[s]] = (c.r8[d.b[s]] << 24) >> 24; return c.cyc.mov * 3; };
FORMS[MOVSX16_R] = (c, d, s) => { c.r32[d.a[s]] = (c.r16[d.b[s]] << 16) >> 16; return c.cyc.mov * 3; };
FORMS[SHIFT_RI] = (c, d, s) => { const a = d.a[s]; c.r32[a] = shift(c, d.op[s], 32, c.r32[a], d.imm[s]); return c.cyc.shift; };
FORMS[SHIFT_RC] = (c, d, s) => { const a = d.a[s]; c.r32[a] = shift(c, d.op[s], 32, c.r32[a], c.r8[4]); return c.cyc.shift; };
FORMS[SETCC_R] = (c, d, s) => { c.r8[d.a[s]] = testCondition(c, d.op[s]) ? 1 : 0; return c.cyc.alu; };
FORMS[NOP] = (c) => c.cyc.alu;
FORMS[NOT_R] = (c, d, s) => { const a = d.a[s]; c.r32[a] = ~c.r32[a]; return c.cyc.alu; };
FORMS[NEG_R] = (c, d, s) => { const a = d.a[s]; c.r32[a] = neg(c, 32, c.r32[a]); return c.cyc.alu; };
FORMS[IMUL_RRI] = (c, d, s) => { c.r32[d.a[s]] = imul2(c, 32, c.r32[d.b[s]], d.imm[s]); return c.cyc.mul; };
FORMS[IMUL_RR] = (c, d, s) => { const a = d.a[s]; c.r32[a] = imul2(c, 32, c.r32[a], c.r32[d.b[s]]); return c.cyc.mul; };
FORMS[BT_RI] = (c, d, s) => {
  const a = d.a[s], op = d.op[s], v = bitOp(c, op, c.r32[a], d.imm[s]);
  if (op !== 0) c.r32[a] = v;
  return c.cyc.alu * 3;
};
FORMS[ALU_RM] = aluRm;
FORMS[ALU_MR] = (c, d, s) => aluM(c, d, s, c.r32[d.a[s]]);
FORMS[ALU_MI] = (c, d, s) => aluM(c, d, s, d.imm[s]);
FORMS[TEST_MR] = (c, d, s) => { alu(c, 4, 32, c.rd32(d.seg[s], effectiveAddress(c, d, s)), c.r32[d.a[s]]); return c.cyc.alu; };
FORMS[LOAD] = (c, d, s) => { c.r32[d.a[s]] = c.rd32(d.seg[s], effectiveAddress(c, d, s)); return c.cyc.mov; };
FORMS[STORE] = (c, d, s) => { c.wr32(d.seg[s], effectiveAddress(c, d, s), c.r32[d.a[s]]); return c.cyc.mov; };
FORMS[STORE_I] = (c, d, s) => { c.wr32(d.seg[s], effectiveAddress(c, d, s), d.imm[s]); return c.cyc.mov; };
FORMS[LOAD8] = (c, d, s) => { c.r8[d.a[s]] = c.rd8(d.seg[s], effectiveAddress(c, d, s)); return c.cyc.mov; };
FORMS[STORE8] = (c, d, s) => { c.wr8(d.seg[s], effectiveAddress(c, d, s), c.r8[d.a[s]]); return c.cyc.mov; };
FORMS[STORE8_I] = (c, d, s) => { c.wr8(d.seg[s], effectiveAddress(c, d, s), d.imm[s]); return c.cyc.mov; };
FORMS[LOAD16] = (c, d, s) => { c.r16[d.a[s] << 1] = c.rd16(d.seg[s], effectiveAddress(c, d, s)); return c.cyc.mov; };
FORMS[STORE16] = (c, d, s) => { c.wr16(d.seg[s], effectiveAddress(c, d, s), c.r16[d.a[s] << 1]); return c.cyc.mov; };
FORMS[STORE16_I] = (c, d, s) => { c.wr16(d.seg[s], effectiveAddress(c, d, s), d.imm[s]); return c.cyc.mov; };
FORMS[MOVZX8_M] = (c, d, s) => { c.r32[d.a[s]] = c.rd8(d.seg[s], effectiveAddress(c, d, s)); return c.cyc.mov * 3; };
FORMS[MOVZX16_M] = (c, d, s) => { c.r32[d.a[s]] = c.rd16(d.seg[s], effectiveAddress(c, d, s)); return c.cyc.mov * 3; };
FORMS[MOVSX8_M] = (c, d, s) => { c.r32[d.a[s]] = (c.rd8(d.seg[s], effectiveAddress(c, d, s)) << 24) >> 24; return c.cyc.mov * 3; };
FORMS[MOVSX16_M] = (c, d, s) => { c.r32[d.a[s]] = (c.rd16(d.seg[s], effectiveAddress(c, d, s)) << 16) >> 16; return c.cyc.mov * 3; };
FORMS[ALU8_MI] = (c, d, s) => alu8M(c, d, s, d.imm[s]);
FORMS[ALU8_MR] = (c, d, s) => alu8M(c, d, s, c.r8[d.a[s]]);
FORMS[ALU8_RM] = (c, d, s) => { alu8R(c, d, s, c.rd8(d.seg[s], effectiveAddress(c, d, s))); return c.cyc.aluMem; };
FORMS[TEST8_MI] = (c, d, s) => { alu(c, 4, 8, c.rd8(d.seg[s], effectiveAddress(c, d, s)), d.imm[s]); return c.cyc.alu; };
FORMS[INC_M] = (c, d, s) => {
  const seg = d.seg[s], off = effectiveAddress(c, d, s);
  c.wr32(seg, off, inc(c, 32, c.rd32(seg, off)));
  return c.cyc.alu;
};
FORMS[DEC_M] = (c, d, s) => {
  const seg = d.seg[s], off = effectiveAddress(c, d, s);
  c.wr32(seg, off, dec(c, 32, c.rd32(seg, off)));
  return c.cyc.alu;
};
FORMS[PUSH] = (c, d, s) => { c.push32(c.r32[d.a[s]]); return c.cyc.stack; };
FORMS[POP] = (c, d, s) => { const v = c.pop32(); c.r32[d.a[s]] = v; return c.cyc.stack; };
FORMS[PUSH_I] = (c, d, s) => { c.push32(d.imm[s]); return c.cyc.stack; };
FORMS[PUSH_M] = (c, d, s) => { const v = c.rd32(d.seg[s], effectiveAddress(c, d, s)); c.push32(v); return c.cyc.stack; };
FORMS[LEAVE] = (c) => {
  // As the decoder's LEAVE: the load first, so that a fault leaves ESP and EBP as they were.
  const r = c.r32, bp = c.ss32 ? r[5] : c.r16[10];
  const v = c.rd32(SS, bp);
  if (c.ss32) r[4] = bp + 4; else c.r16[8] = bp + 4;
  r[5] = v;
  return c.cyc.stack * 5;
};
FORMS[IMUL_RMI] = (c, d, s) => { c.r32[d.a[s]] = imul2(c, 32, c.rd32(d.seg[s], effectiveAddress(c, d, s)), d.imm[s]); return c.cyc.mul; };
FORMS[IMUL_RM] = (c, d, s) => { const a = d.a[s]; c.r32[a] = imul2(c, 32, c.r32[a], c.rd32(d.seg[s], effectiveAddress(c, d, s))); return c.cyc.mul; };
FORMS[BT_MI] = (c, d, s) => {
  // As the decoder's 0F BA: read, CF, then the write back (not for BT).
  const op = d.op[s], seg = d.seg[s], off = effectiveAddress(c, d, s);
  const v = bitOp(c, op, c.rd32(seg, off), d.imm[s]);
  if (op !== 0) c.wr32(seg, off, v);
  return c.cyc.alu * 3;
};
FORMS[CALL] = (c, d, s) => callNear(c, (c.eip + d.imm[s]) | 0);
FORMS[CALL_R] = (c, d, s) => callNear(c, c.r32[d.a[s]]);
FORMS[CALL_M] = (c, d, s) => callNear(c, c.rd32(d.seg[s], effectiveAddress(c, d, s)));
FORMS[RET] = (c) => {
  const t = c.peekStack(0, 4);
  near(c, t);
  c.setSp(c.ss32 ? (c.sp + 4) >>> 0 : (c.sp + 4) & 0xffff);
  return c.cyc.call;
};
FORMS[JMP_R] = (c, d, s) => { near(c, c.r32[d.a[s]]); return c.cyc.branch; };
FORMS[JMP_M] = (c, d, s) => { near(c, c.rd32(d.seg[s], effectiveAddress(c, d, s))); return c.cyc.branch; };
