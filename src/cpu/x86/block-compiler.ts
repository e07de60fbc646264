/** Block compiler of the `jit` engine: a straight run of 32-bit code becomes one JavaScript function. */

import type { Cpu } from './cpu.js';
import type { CycleTable } from './models.js';
import { alu, inc, dec, neg, mul, imul1, imul2, div, idiv } from './execute/alu.js';
import { shift } from './execute/shift-rotate.js';
import { testCondition } from './lazy-flags.js';
import { R8_INDEX, DF, CS, SS, DS } from './state.js';
import { GP } from './exceptions.js';

/**
 * A compiled block: instructions at consecutive EIPs within one physical page, entered at `eip`
 * whose code lies at physical `phys`. `run` executes the whole block as the interpreter would,
 * instruction by instruction, and itself advances EIP, the retired-instruction count and the
 * clock; the engine calls it only when every instruction boundary inside the block lies before
 * the next clock event and within the instruction budget, so interrupts and run ends land on the
 * same instruction as with the interpreter.
 */
export interface Block {
  readonly phys: number;
  readonly eip: number;
  /** Instructions in the block; 0 marks an address where no block can start. */
  readonly n: number;
  /** Code bytes (the block lies in [eip, eip + bytes)). */
  readonly bytes: number;
  /** Cycles of all instructions but the last (whose cost may depend on a branch). */
  readonly cycBeforeLast: number;
  /** EIP of each instruction, for faults: the faulting instruction's index is found by its EIP. */
  readonly eips: readonly number[];
  /** Cycles retired before instruction i (static costs; the last instruction is never included). */
  readonly prefix: readonly number[];
  readonly run: (c: Cpu) => void;
}

/** A block of nothing: marks a start address whose first instruction the compiler does not take. */
export const NO_BLOCK: Block = { phys: -1, eip: -1, n: 0, bytes: 0, cycBeforeLast: 0, eips: [], prefix: [], run: () => {} };

/** Longest block, in instructions (a bound on compile time and on the event-check granularity). */
const MAX_INSTRUCTIONS = 64;

/** The decoder ran off the end of the page: the block ends before this instruction. */
const PAGE_END = new Error('page end');

/** Functions the generated code calls; the interpreter's own, so results are identical by construction. */
const HELPERS = { alu, inc, dec, neg, mul, imul1, imul2, div, idiv, shift, testCondition };
const HELPER_NAMES = Object.keys(HELPERS);
const HELPER_VALUES = Object.values(HELPERS);

/** How one instruction ends the block, if it does. */
type Exit =
  | { kind: 'none' }
  /** A conditional branch: `cond` is a JS expression; taken goes to `target`. */
  | { kind: 'jcc'; cond: string; target: number }
  /** Unconditional transfer to a constant EIP (JMP rel, CALL rel after its push). */
  | { kind: 'jump'; target: number }
  /** The code has set c.eip itself (RET, indirect JMP/CALL). */
  | { kind: 'dynamic' };

interface Insn {
  eip: number;
  next: number;
  code: string;
  /** Static cycles (for a branch: when not taken / the only cost). */
  cycles: number;
  /** Cycles when a conditional branch is taken. */
  takenCycles: number;
  /** May raise an exception (c.startEip must point at it first). */
  faults: boolean;
  /** Touches memory: a device or a watched code page may have asked for the slow path. */
  memory: boolean;
  exit: Exit;
  /**
   * Effect on the six status flags: 'none' (neither reads nor writes them), 'full' (writes all
   * six, reads none), 'other' (reads some, or writes some: the conservative default).
   */
  flags: 'none' | 'full' | 'other';
  /** For a 'full' writer: the same effect without the flags, used when nothing can see them. */
  pure: string | null;
}

/** Opcodes (first byte, no prefix) that neither read nor write the status flags. */
const FLAG_NEUTRAL = new Set([
  0x50, 0x51, 0x52, 0x53, 0x54, 0x55, 0x56, 0x57, 0x58, 0x59, 0x5a, 0x5b, 0x5c, 0x5d, 0x5e, 0x5f,
  0x68, 0x6a, 0x86, 0x87, 0x88, 0x89, 0x8a, 0x8b, 0x8d, 0x90, 0x98, 0x99, 0xa0, 0xa1, 0xa2, 0xa3,
  0xb0, 0xb1, 0xb2, 0xb3, 0xb4, 0xb5, 0xb6, 0xb7, 0xb8, 0xb9, 0xba, 0xbb, 0xbc, 0xbd, 0xbe, 0xbf,
  0xc6, 0xc7, 0xfc, 0xfd,
]);

/** ALU operations whose result does not depend on the incoming flags, as JS on int32 (ADD OR - - AND SUB XOR CMP). */
const PURE_ALU: readonly (((d: string, s: string) => string) | null)[] = [
  (d, s) => `(${d} + ${s}) | 0`, (d, s) => `${d} | ${s}`, null, null,
  (d, s) => `${d} & ${s}`, (d, s) => `(${d} - ${s}) | 0`, (d, s) => `${d} ^ ${s}`, null,
];

/**
 * Flag effect of a 32-bit register-form ALU operation `op` writing register `dst` (null for
 * CMP/TEST, which write nothing else) from the source expression `src`.
 */
function aluFlags(insn: Insn, op: number, dst: number | null, src: string): void {
  if (op === 2 || op === 3) return; // ADC/SBB read CF
  insn.flags = 'full';
  if (dst === null || op === 7) insn.pure = '';
  else insn.pure = `r[${dst}] = ${PURE_ALU[op]!(`r[${dst}]`, src)};`;
}

/** Reads code bytes at a physical address, never past the end of the page. */
class CodeReader {
  pos: number;
  constructor(private readonly ram: Uint8Array, start: number, private readonly end: number) {
    this.pos = start;
  }
  u8(): number {
    if (this.pos >= this.end) throw PAGE_END;
    return this.ram[this.pos++];
  }
  s8(): number {
    return (this.u8() << 24) >> 24;
  }
  u16(): number {
    return this.u8() | (this.u8() << 8);
  }
  /** Signed 32-bit. */
  s32(): number {
    return this.u8() | (this.u8() << 8) | (this.u8() << 16) | (this.u8() << 24);
  }
}

/** ModRM operand of one instruction: register number or a memory operand (segment, offset expression). */
interface ModRm {
  mod: number;
  reg: number;
  rm: number;
  seg: number;
  /** JS int32 expression of the effective address (memory forms). */
  off: string;
}

function hex(n: number): string {
  return n < 0 ? `-0x${(-n).toString(16)}` : `0x${n.toString(16)}`;
}

/** Decode ModRM/SIB/displacement as ea32 does (32-bit addressing, no segment override). */
function modrm(rd: CodeReader): ModRm {
  const b = rd.u8();
  const mod = b >> 6, reg = (b >> 3) & 7, rm = b & 7;
  if (mod === 3) return { mod, reg, rm, seg: DS, off: '' };
  let off: string, seg = DS;
  if (rm === 4) {
    const sib = rd.u8();
    const base = sib & 7, idx = (sib >> 3) & 7, scale = sib >> 6;
    if (base === 5 && mod === 0) off = hex(rd.s32());
    else {
      off = `r[${base}]`;
      if (base === 4 || base === 5) seg = SS;
    }
    if (idx !== 4) off = `${off} + ${scale === 0 ? `r[${idx}]` : `(r[${idx}] << ${scale})`}`;
  } else if (rm === 5 && mod === 0) {
    off = hex(rd.s32());
  } else {
    off = `r[${rm}]`;
    if (rm === 5) seg = SS;
  }
  if (mod === 1) off = `${off} + ${hex(rd.s8())}`;
  else if (mod === 2) off = `${off} + ${hex(rd.s32())}`;
  return { mod, reg, rm, seg, off: `(${off}) | 0` };
}

/** Operand access code for a decoded ModRM: `pre` computes the address once, get/set use it. */
function operand(m: ModRm, bits: 8 | 16 | 32): { pre: string; get: string; set: (v: string) => string; mem: boolean } {
  if (m.mod === 3) {
    if (bits === 32) return { pre: '', get: `r[${m.rm}]`, set: (v) => `r[${m.rm}] = ${v};`, mem: false };
    if (bits === 16) return { pre: '', get: `r16[${m.rm << 1}]`, set: (v) => `r16[${m.rm << 1}] = ${v};`, mem: false };
    const i = R8_INDEX[m.rm];
    return { pre: '', get: `r8[${i}]`, set: (v) => `r8[${i}] = ${v};`, mem: false };
  }
  const pre = `o = ${m.off};`;
  return {
    pre,
    get: `c.rd${bits}(${m.seg}, o)`,
    set: (v) => `c.wr${bits}(${m.seg}, o, ${v});`,
    mem: true,
  };
}

/** Near-branch target check of jumpNear for a constant target (protected mode: CS limit). */
function limitCheck(target: number): string {
  return `if (${hex(target)} > c.segLimit[${CS}]) throw c.fault(${GP}, 0);`;
}

/**
 * Decode one instruction at the reader's position into code, or return null when the compiler
 * does not take it (the block ends before it and the interpreter runs it). The code mirrors the
 * interpreter's handler statement by statement (decode.ts), so flags, partial effects before a
 * fault and cycle costs are the same.
 */
function compileInsn(rd: CodeReader, eip: number, y: CycleTable): Insn | null {
  const start = rd.pos;
  const b = rd.u8();
  const insn: Insn = {
    eip, next: 0, code: '', cycles: 0, takenCycles: 0, faults: false, memory: false, exit: { kind: 'none' }, flags: FLAG_NEUTRAL.has(b) ? 'none' : 'other', pure: null,
  };
  const done = (code: string, cycles: number, faults = false, memory = false): Insn => {
    insn.next = eip + (rd.pos - start);
    insn.code = code;
    insn.cycles = cycles;
    insn.faults = faults || memory;
    insn.memory = memory;
    return insn;
  };
  const next = () => eip + (rd.pos - start);
  // ALU 00-3F (not the segment/BCD/prefix bytes).
  if (b < 0x40 && (b & 7) < 6) {
    const op = b >> 3;
    switch (b & 7) {
      case 0: { // Eb, Gb
        const m = modrm(rd), e = operand(m, 8), g = `r8[${R8_INDEX[m.reg]}]`;
        const code = `${e.pre} v = alu(c, ${op}, 8, ${e.get}, ${g}); ${op !== 7 ? e.set('v') : ''}`;
        return done(code, m.mod === 3 ? y.alu : y.aluMem, false, e.mem);
      }
      case 1: { // Ev, Gv
        const m = modrm(rd), e = operand(m, 32);
        if (!e.mem) aluFlags(insn, op, m.rm, `r[${m.reg}]`);
        const code = `${e.pre} v = alu(c, ${op}, 32, ${e.get}, r[${m.reg}]); ${op !== 7 ? e.set('v') : ''}`;
        return done(code, m.mod === 3 ? y.alu : y.aluMem, false, e.mem);
      }
      case 2: { // Gb, Eb
        const m = modrm(rd), e = operand(m, 8), g = `r8[${R8_INDEX[m.reg]}]`;
        const code = `${e.pre} v = alu(c, ${op}, 8, ${g}, ${e.get}); ${op !== 7 ? `${g} = v;` : ''}`;
        return done(code, m.mod === 3 ? y.alu : y.aluMem, false, e.mem);
      }
      case 3: { // Gv, Ev
        const m = modrm(rd), e = operand(m, 32);
        if (!e.mem) aluFlags(insn, op, m.reg, `r[${m.rm}]`);
        const code = `${e.pre} v = alu(c, ${op}, 32, r[${m.reg}], ${e.get}); ${op !== 7 ? `r[${m.reg}] = v;` : ''}`;
        return done(code, m.mod === 3 ? y.alu : y.aluMem, false, e.mem);
      }
      case 4: { // AL, Ib
        const i = rd.u8();
        return done(`v = alu(c, ${op}, 8, r8[0], ${i}); ${op !== 7 ? 'r8[0] = v;' : ''}`, y.alu);
      }
      default: { // EAX, Id
        const i = rd.s32();
        aluFlags(insn, op, 0, hex(i));
        return done(`v = alu(c, ${op}, 32, r[0], ${hex(i)}); ${op !== 7 ? 'r[0] = v;' : ''}`, y.alu);
      }
    }
  }
  if (b >= 0x40 && b < 0x48) return done(`r[${b & 7}] = inc(c, 32, r[${b & 7}]);`, y.alu);
  if (b >= 0x48 && b < 0x50) return done(`r[${b & 7}] = dec(c, 32, r[${b & 7}]);`, y.alu);
  if (b >= 0x50 && b < 0x58) return done(`c.push32(r[${b & 7}]);`, y.stack, true, true);
  if (b >= 0x58 && b < 0x60) return done(`v = c.pop32(); r[${b & 7}] = v;`, y.stack, true, true);
  if (b >= 0x70 && b < 0x80) {
    const d = rd.s8();
    const target = (next() + d) >>> 0;
    insn.exit = { kind: 'jcc', cond: `testCondition(c, ${b & 15})`, target };
    insn.takenCycles = y.branch;
    return done('', y.alu);
  }
  if (b >= 0xb0 && b < 0xb8) return done(`r8[${R8_INDEX[b & 7]}] = ${rd.u8()};`, y.mov);
  if (b >= 0xb8 && b < 0xc0) return done(`r[${b & 7}] = ${hex(rd.s32())};`, y.mov);
  switch (b) {
    case 0x0f: return compile0f(rd, eip, start, y, insn, done);
    case 0x66: return compileOperand16(rd, y, done);
    case 0x68: return done(`c.push32(${hex(rd.s32())});`, y.stack, true, true);
    case 0x6a: return done(`c.push32(${hex(rd.s8())});`, y.stack, true, true);
    case 0x69: case 0x6b: {
      const m = modrm(rd), e = operand(m, 32);
      const pre = `${e.pre} a = ${e.get};`;
      const imm = b === 0x69 ? rd.s32() : rd.s8();
      return done(`${pre} r[${m.reg}] = imul2(c, 32, a, ${hex(imm)});`, y.mul, false, e.mem);
    }
    case 0x80: case 0x82: {
      const m = modrm(rd), e = operand(m, 8);
      const code = `${e.pre} a = ${e.get}; v = alu(c, ${m.reg}, 8, a, ${rd.u8()}); ${m.reg !== 7 ? e.set('v') : ''}`;
      return done(code, m.mod === 3 ? y.alu : y.aluMem, false, e.mem);
    }
    case 0x81: case 0x83: {
      const m = modrm(rd), e = operand(m, 32);
      const pre = `${e.pre} a = ${e.get};`;
      const imm = b === 0x81 ? rd.s32() : rd.s8();
      if (!e.mem) aluFlags(insn, m.reg, m.rm, hex(imm));
      const code = `${pre} v = alu(c, ${m.reg}, 32, a, ${hex(imm)}); ${m.reg !== 7 ? e.set('v') : ''}`;
      return done(code, m.mod === 3 ? y.alu : y.aluMem, false, e.mem);
    }
    case 0x84: {
      const m = modrm(rd), e = operand(m, 8);
      return done(`${e.pre} alu(c, 4, 8, ${e.get}, r8[${R8_INDEX[m.reg]}]);`, y.alu, false, e.mem);
    }
    case 0x85: {
      const m = modrm(rd), e = operand(m, 32);
      if (!e.mem) aluFlags(insn, 4, null, '');
      return done(`${e.pre} alu(c, 4, 32, ${e.get}, r[${m.reg}]);`, y.alu, false, e.mem);
    }
    case 0x86: {
      const m = modrm(rd), e = operand(m, 8), g = `r8[${R8_INDEX[m.reg]}]`;
      return done(`${e.pre} a = ${e.get}; ${e.set(g)} ${g} = a;`, y.alu * 3, false, e.mem);
    }
    case 0x87: {
      const m = modrm(rd), e = operand(m, 32);
      return done(`${e.pre} a = ${e.get}; ${e.set(`r[${m.reg}]`)} r[${m.reg}] = a;`, y.alu * 3, false, e.mem);
    }
    case 0x88: {
      const m = modrm(rd), e = operand(m, 8);
      return done(`${e.pre} ${e.set(`r8[${R8_INDEX[m.reg]}]`)}`, y.mov, false, e.mem);
    }
    case 0x89: {
      const m = modrm(rd), e = operand(m, 32);
      return done(`${e.pre} ${e.set(`r[${m.reg}]`)}`, y.mov, false, e.mem);
    }
    case 0x8a: {
      const m = modrm(rd), e = operand(m, 8);
      return done(`${e.pre} r8[${R8_INDEX[m.reg]}] = ${e.get};`, y.mov, false, e.mem);
    }
    case 0x8b: {
      const m = modrm(rd), e = operand(m, 32);
      return done(`${e.pre} r[${m.reg}] = ${e.get};`, y.mov, false, e.mem);
    }
    case 0x8d: {
      const m = modrm(rd);
      insn.flags = 'none';
      if (m.mod === 3) return null; // #UD: the interpreter raises it
      return done(`r[${m.reg}] = ${m.off};`, y.alu);
    }
    case 0x90: return done('', y.alu);
    case 0x98: return done('r[0] = (r[0] << 16) >> 16;', y.alu * 3);
    case 0x99: return done('r[2] = r[0] >> 31;', y.alu * 3);
    case 0xa0: return done(`r8[0] = c.rd8(${DS}, ${rd.s32() >>> 0});`, y.mov, false, true);
    case 0xa1: return done(`r[0] = c.rd32(${DS}, ${rd.s32() >>> 0});`, y.mov, false, true);
    case 0xa2: return done(`c.wr8(${DS}, ${rd.s32() >>> 0}, r8[0]);`, y.mov, false, true);
    case 0xa3: return done(`c.wr32(${DS}, ${rd.s32() >>> 0}, r[0]);`, y.mov, false, true);
    case 0xa8: return done(`alu(c, 4, 8, r8[0], ${rd.u8()});`, y.alu);
    case 0xa9: aluFlags(insn, 4, null, ''); return done(`alu(c, 4, 32, r[0], ${hex(rd.s32())});`, y.alu);
    case 0xc0: case 0xc1: case 0xd0: case 0xd1: case 0xd2: case 0xd3: {
      const bits = (b & 1) === 0 ? 8 : 32;
      const m = modrm(rd), e = operand(m, bits);
      const count = b <= 0xc1 ? String(rd.u8()) : b <= 0xd1 ? '1' : 'r8[4]';
      // Same evaluation order as the handlers: operand read, then the count.
      return done(`${e.pre} a = ${e.get}; v = shift(c, ${m.reg}, ${bits}, a, ${count}); ${e.set('v')}`, y.shift, false, e.mem);
    }
    case 0xc2: case 0xc3: {
      const imm = b === 0xc2 ? rd.u16() : 0;
      insn.exit = { kind: 'dynamic' };
      // RET: target from the stack, CS limit check, then ESP (SS is 32-bit in every compiled block).
      return done(
        `t = c.peekStack(0, 4) >>> 0; if (t > c.segLimit[${CS}]) throw c.fault(${GP}, 0); c.eip = t; r[4] = r[4] + ${4 + imm};`,
        y.call, true, true);
    }
    case 0xc6: case 0xc7: {
      const m = modrm(rd);
      if (m.reg !== 0) return null;
      const bits = b === 0xc6 ? 8 : 32;
      const e = operand(m, bits);
      const imm = bits === 8 ? rd.u8() : rd.s32();
      return done(`${e.pre} ${e.set(hex(imm))}`, y.mov, false, e.mem);
    }
    case 0xc9: // LEAVE (32-bit stack, 32-bit operand)
      return done('a = r[5] >>> 0; v = c.rd32(2, a); r[4] = a + 4; r[5] = v;', y.stack * 5, true, true);
    case 0xe8: {
      const d = rd.s32();
      const ret = next();
      const target = (ret + d) >>> 0;
      insn.exit = { kind: 'jump', target };
      return done(`${limitCheck(target)} c.push32(${ret});`, y.call, true, true);
    }
    case 0xe9: case 0xeb: {
      const d = b === 0xe9 ? rd.s32() : rd.s8();
      const target = (next() + d) >>> 0;
      insn.exit = { kind: 'jump', target };
      return done(limitCheck(target), y.branch, true);
    }
    case 0xf6: case 0xf7: {
      const bits = b === 0xf6 ? 8 : 32;
      const m = modrm(rd), e = operand(m, bits);
      const get = `${e.pre} a = ${e.get};`;
      switch (m.reg) {
        case 0: case 1: {
          const imm = bits === 8 ? rd.u8() : rd.s32();
          return done(`${get} alu(c, 4, ${bits}, a, ${hex(imm)});`, y.alu, false, e.mem);
        }
        case 2: return done(`${get} ${e.set('~a')}`, y.alu, false, e.mem);
        case 3: return done(`${get} v = neg(c, ${bits}, a); ${e.set('v')}`, y.alu, false, e.mem);
        case 4: return done(`${get} mul(c, ${bits}, a);`, y.mul, false, e.mem);
        case 5: return done(`${get} imul1(c, ${bits}, a);`, y.mul, false, e.mem);
        case 6: return done(`${get} div(c, ${bits}, a);`, y.div, true, e.mem);
        default: return done(`${get} idiv(c, ${bits}, a);`, y.div, true, e.mem);
      }
    }
    case 0xfc: return done(`c.flags &= ${~DF};`, y.alu);
    case 0xfd: return done(`c.flags |= ${DF};`, y.alu);
    case 0xfe: {
      const m = modrm(rd);
      if (m.reg > 1) return null;
      const e = operand(m, 8);
      return done(`${e.pre} a = ${e.get}; v = ${m.reg === 0 ? 'inc' : 'dec'}(c, 8, a); ${e.set('v')}`, m.mod === 3 ? y.alu : y.aluMem, false, e.mem);
    }
    case 0xff: {
      const m = modrm(rd);
      const e = operand(m, 32);
      switch (m.reg) {
        case 0: case 1:
          return done(`${e.pre} a = ${e.get}; v = ${m.reg === 0 ? 'inc' : 'dec'}(c, 32, a); ${e.set('v')}`, y.alu, false, e.mem);
        case 2: {
          insn.exit = { kind: 'dynamic' };
          const ret = next();
          return done(`${e.pre} t = ${e.get} >>> 0; if (t > c.segLimit[${CS}]) throw c.fault(${GP}, 0); c.push32(${ret}); c.eip = t;`, y.call, true, true);
        }
        case 4:
          insn.exit = { kind: 'dynamic' };
          return done(`${e.pre} t = ${e.get} >>> 0; if (t > c.segLimit[${CS}]) throw c.fault(${GP}, 0); c.eip = t;`, y.branch, true, e.mem);
        case 6:
          return done(`${e.pre} a = ${e.get}; c.push32(a);`, y.stack, true, true);
        default:
          return null;
      }
    }
    default:
      return null;
  }
}

/** The 0x66-prefixed (16-bit operand) forms the compiler takes: moves, ALU, INC/DEC, TEST, NOP. */
function compileOperand16(rd: CodeReader, y: CycleTable, done: (code: string, cycles: number, faults?: boolean, memory?: boolean) => Insn): Insn | null {
  const b = rd.u8();
  if (b < 0x40 && (b & 7) < 6 && (b & 1) === 1) {
    const op = b >> 3;
    if ((b & 7) === 5) return done(`v = alu(c, ${op}, 16, r16[0], ${rd.u16()}); ${op !== 7 ? 'r16[0] = v;' : ''}`, y.alu);
    const m = modrm(rd), e = operand(m, 16), g = `r16[${m.reg << 1}]`;
    const code = (b & 2) === 0
      ? `${e.pre} v = alu(c, ${op}, 16, ${e.get}, ${g}); ${op !== 7 ? e.set('v') : ''}`
      : `${e.pre} v = alu(c, ${op}, 16, ${g}, ${e.get}); ${op !== 7 ? `${g} = v;` : ''}`;
    return done(code, m.mod === 3 ? y.alu : y.aluMem, false, e.mem);
  }
  if (b >= 0x40 && b < 0x50) {
    const g = `r16[${(b & 7) << 1}]`;
    return done(`${g} = ${b < 0x48 ? 'inc' : 'dec'}(c, 16, ${g});`, y.alu);
  }
  switch (b) {
    case 0x81: case 0x83: {
      const m = modrm(rd), e = operand(m, 16);
      const pre = `${e.pre} a = ${e.get};`;
      const imm = b === 0x81 ? rd.u16() : rd.s8();
      return done(`${pre} v = alu(c, ${m.reg}, 16, a, ${hex(imm)}); ${m.reg !== 7 ? e.set('v') : ''}`, m.mod === 3 ? y.alu : y.aluMem, false, e.mem);
    }
    case 0x85: {
      const m = modrm(rd), e = operand(m, 16);
      return done(`${e.pre} alu(c, 4, 16, ${e.get}, r16[${m.reg << 1}]);`, y.alu, false, e.mem);
    }
    case 0x89: {
      const m = modrm(rd), e = operand(m, 16);
      return done(`${e.pre} ${e.set(`r16[${m.reg << 1}]`)}`, y.mov, false, e.mem);
    }
    case 0x8b: {
      const m = modrm(rd), e = operand(m, 16);
      return done(`${e.pre} r16[${m.reg << 1}] = ${e.get};`, y.mov, false, e.mem);
    }
    case 0xc7: {
      const m = modrm(rd);
      if (m.reg !== 0) return null;
      const e = operand(m, 16);
      return done(`${e.pre} ${e.set(String(rd.u16()))}`, y.mov, false, e.mem);
    }
    case 0x90: return done('', y.alu);
    default: return null;
  }
}

function compile0f(
  rd: CodeReader, eip: number, start: number, y: CycleTable, insn: Insn,
  done: (code: string, cycles: number, faults?: boolean, memory?: boolean) => Insn,
): Insn | null {
  const b = rd.u8();
  if (b >= 0x80 && b < 0x90) {
    const d = rd.s32();
    const target = (eip + (rd.pos - start) + d) >>> 0;
    insn.exit = { kind: 'jcc', cond: `testCondition(c, ${b & 15})`, target };
    insn.takenCycles = y.branch;
    return done('', y.alu);
  }
  if (b >= 0x90 && b < 0xa0) {
    const m = modrm(rd), e = operand(m, 8);
    return done(`${e.pre} ${e.set(`testCondition(c, ${b & 15}) ? 1 : 0`)}`, y.alu, false, e.mem);
  }
  switch (b) {
    case 0xaf: {
      const m = modrm(rd), e = operand(m, 32);
      return done(`${e.pre} r[${m.reg}] = imul2(c, 32, r[${m.reg}], ${e.get});`, y.mul, false, e.mem);
    }
    case 0xb6: case 0xbe: {
      const m = modrm(rd), e = operand(m, 8);
      insn.flags = 'none';
      return done(`${e.pre} r[${m.reg}] = ${b === 0xb6 ? e.get : `(${e.get} << 24) >> 24`};`, y.mov * 3, false, e.mem);
    }
    case 0xb7: case 0xbf: {
      const m = modrm(rd), e = operand(m, 16);
      insn.flags = 'none';
      return done(`${e.pre} r[${m.reg}] = ${b === 0xb7 ? e.get : `(${e.get} << 16) >> 16`};`, y.mov * 3, false, e.mem);
    }
    default:
      return null;
  }
}

/**
 * Compile the block starting at `eip` (physical `phys`) for the current CPU, which must be in
 * 32-bit protected mode with a 32-bit stack (the engine checks it on every entry). Returns
 * {@link NO_BLOCK} when the first instruction is not one the compiler takes, and null when
 * `onlyLoops` is set and the block would not branch back to its start (nothing is built then).
 */
export function compileBlock(c: Cpu, phys: number, eip: number, onlyLoops = false): Block | null {
  const ram = c.bus.ram;
  const pageEnd = (phys & ~0xfff) + 0x1000;
  const rd = new CodeReader(ram, phys, Math.min(pageEnd, ram.length));
  const insns: Insn[] = [];
  let at = eip;
  while (insns.length < MAX_INSTRUCTIONS) {
    const save = rd.pos;
    let insn: Insn | null;
    try {
      insn = compileInsn(rd, at, c.cyc);
    } catch (e) {
      if (e !== PAGE_END) throw e;
      insn = null;
    }
    if (insn === null) {
      rd.pos = save;
      break;
    }
    insns.push(insn);
    at = insn.next;
    if (insn.exit.kind !== 'none' && insn.exit.kind !== 'jcc') break;
  }
  if (insns.length === 0) return NO_BLOCK;
  if (onlyLoops && !insns.some((i) => (i.exit.kind === 'jcc' || i.exit.kind === 'jump') && i.exit.target === eip)) return null;
  return assemble(phys, eip, insns);
}

/**
 * Nothing can observe the flags instruction k writes: a later instruction of the block writes
 * all six before anything reads them, and nothing in between can fault (a fault handler sees
 * EFLAGS), leave the block or touch them.
 */
function flagsDead(insns: Insn[], k: number): boolean {
  for (let j = k + 1; j < insns.length; j++) {
    const x = insns[j];
    if (x.exit.kind !== 'none') return false;
    if (x.flags === 'full') return !x.faults;
    if (x.faults || x.flags !== 'none') return false;
  }
  return false;
}

/** Put the instructions together into one function with its exits. */
function assemble(phys: number, eip: number, insns: Insn[]): Block {
  const n = insns.length;
  const prefix: number[] = [];
  let sum = 0;
  for (const i of insns) {
    prefix.push(sum);
    sum += i.cycles;
  }
  const last = insns[n - 1];
  const cycBeforeLast = prefix[n - 1];
  const exitAt = (k: number, nextEip: number, cycles: number) =>
    `c.eip = ${nextEip}; c.instructions += ${k}; clk.now += ${cycles}; return;`;
  // A branch back to the block's start loops inside the function: each turn retires what it
  // ran and checks, as the engine does on entry, that a whole next turn fits before the next
  // event and within the budget.
  const loopBack = (k: number, cycles: number) =>
    `c.instructions += ${k}; clk.now += ${cycles}; ` +
    `if (c.instructions + ${n} <= c.blockEnd && clk.now + ${cycBeforeLast} < clk.nextEventAt && !c.slow) continue; ` +
    `c.eip = ${eip}; return;`;
  let body = '';
  for (let k = 0; k < n; k++) {
    const i = insns[k];
    if (i.faults) body += `c.startEip = ${i.eip}; `;
    body += i.pure !== null && flagsDead(insns, k) ? i.pure : i.code;
    const x = i.exit;
    if (x.kind === 'jcc') {
      // A conditional branch is a side exit when taken; the block goes on with the fall-through.
      const cycles = prefix[k] + i.takenCycles;
      const taken = x.target === eip
        ? loopBack(k + 1, cycles)
        : `c.startEip = ${i.eip}; ${limitCheck(x.target)} ${exitAt(k + 1, x.target, cycles)}`;
      body += `if (${x.cond}) { ${taken} }`;
    } else if (i.memory && k < n - 1) {
      body += ` if (c.slow) { ${exitAt(k + 1, i.next, prefix[k] + i.cycles)} }`;
    }
    body += '\n';
  }
  const total = cycBeforeLast + last.cycles;
  const exit = last.exit;
  switch (exit.kind) {
    case 'none': case 'jcc':
      body += exitAt(n, last.next, total);
      break;
    case 'jump':
      body += exit.target === eip ? loopBack(n, total) : exitAt(n, exit.target, total);
      break;
    case 'dynamic':
      body += `c.instructions += ${n}; clk.now += ${total}; return;`;
      break;
  }
  const source =
    `return function block_${phys.toString(16)}(c) {\n` +
    'const r = c.r32, r16 = c.r16, r8 = c.r8, clk = c.clock; let a = 0, v = 0, t = 0, o = 0;\n' +
    `c.startEip = ${eip};\n` +
    `for (;;) {\n${body}\n}\n};`;
  // eslint-disable-next-line @typescript-eslint/no-implied-eval -- the point of a block compiler
  const run = new Function(...HELPER_NAMES, source)(...HELPER_VALUES) as (c: Cpu) => void;
  return { phys, eip, n, bytes: last.next - eip, cycBeforeLast, eips: insns.map((i) => i.eip), prefix, run };
}
