/** The decoded-instruction loop in WebAssembly (AssemblyScript): the 'wasm' engine's runDecoded, over state kept in its own linear memory. */

// This file is AssemblyScript, compiled by scripts/build-wasm.mjs into decoded-loop.binary.ts;
// TypeScript does not check it (tsconfig.json excludes this file).
//
// The loop runs the forms of decoded-cache.ts exactly as runDecoded does (same helpers, same
// lazy-flags records, same cycles), and decodes them at a miss as DecodedCache does, with one
// rule that keeps it small: it runs an instruction only when it can complete it. Anything else
// (an instruction without a form, a TLB miss, a device page, a segment that is not flat, a
// target past the CS limit, RCL/RCR) stops the loop before the instruction, with the state as
// the interpreter would have it there, and the host runs that one instruction in JavaScript. So
// every fault, device access and page walk stays in one place. The one exception is a string
// instruction's step, which may stop after some elements (they are restartable) and hands their
// count to the host (C_STRING_DONE).

// ---- memory layout (bytes); the host reads these through the exported globals ----
/** General registers: the eight 32-bit registers, as CpuState.r32. */
export const REGS: i32 = 0x10000;
/** Control block: i32 slots (C_*) the host writes before a run and reads after it. */
export const CTRL: i32 = 0x10040;
/** One byte of PAGE_* flags per physical page (the bus's pageFlags). */
export const PAGE_FLAGS: i32 = 0x20000;
/** The TLB: linear page → frame | TLB_* bits (Cpu.tlb). */
export const TLB: i32 = 0x120000;
/** The decoded-instruction cache's arrays (DecodedCache), 2^16 slots each. */
export const TAG: i32 = 0x520000;
export const INFO: i32 = 0x560000;
export const IMM: i32 = 0x5a0000;
export const DISP: i32 = 0x5e0000;
export const OP: i32 = 0x620000;
export const A: i32 = 0x630000;
export const B: i32 = 0x640000;
export const SEG: i32 = 0x650000;
export const BASE: i32 = 0x660000;
export const INDEX: i32 = 0x670000;
export const SCALE: i32 = 0x680000;
/**
 * The cache's per-page arrays (DecodedCache: watched, quick invalidations, given up, lowest and
 * highest decoded offset), for at most MAX_PAGES physical pages.
 */
export const MAX_PAGES: i32 = 0x70000;
export const WATCHED: i32 = 0x690000;
export const INVALIDATIONS: i32 = 0x700000;
export const GIVEN_UP: i32 = 0x770000;
export const LOWEST: i32 = 0x7e0000;
export const HIGHEST: i32 = 0x8c0000;
/** Pages the loop's decoder began to watch, for the host to tell the bus (QUEUE_SIZE i32s). */
export const QUEUE: i32 = 0x9a0000;
const QUEUE_SIZE = 0x1000;
/** Physical address 0 of RAM. */
export const RAM: i32 = 0xa00000;

// ---- control slots (index of an i32 at CTRL) ----
/** In and out: physical address of the next instruction; EIP = P - DELTA (mod 2^32). */
export const C_P: i32 = 0;
export const C_DELTA: i32 = 1;
/** In and out: the fetch window as physical addresses [PLO, PHI). */
export const C_PLO: i32 = 2;
export const C_PHI: i32 = 3;
/** In: cycles before the next clock event and instructions left in the budget (both > 0). */
export const C_ROOM: i32 = 4;
export const C_LEFT: i32 = 5;
/** Out: cycles spent and instructions retired. */
export const C_SPENT: i32 = 6;
export const C_N: i32 = 7;
/** In and out: EFLAGS and the lazy-flags record (CpuState fields of the same names). */
export const C_FLAGS: i32 = 8;
export const C_LAZY_MASK: i32 = 9;
export const C_LAZY_KIND: i32 = 10;
export const C_LAZY_BITS: i32 = 11;
export const C_LAZY_DST: i32 = 12;
export const C_LAZY_SRC: i32 = 13;
export const C_LAZY_RES: i32 = 14;
/** In: paging on, the TLB rights needed for a read and a write at the current CPL. */
export const C_PAGING: i32 = 15;
export const C_NEED_READ: i32 = 16;
export const C_NEED_WRITE: i32 = 17;
/** In: CS limit (unsigned) and base. */
export const C_CS_LIMIT: i32 = 18;
export const C_CS_BASE: i32 = 19;
/** In: SS is a 32-bit stack; the flat-segment bits (CpuState.wholeRead/wholeWrite). */
export const C_SS32: i32 = 20;
export const C_WHOLE_READ: i32 = 21;
export const C_WHOLE_WRITE: i32 = 22;
/** Out: 1 if the loop moved the fetch window. */
export const C_MOVED: i32 = 23;
/** In: pages of the cache's per-page arrays, RAM bytes. Out: pages queued at QUEUE, instructions decoded. */
export const C_PAGES: i32 = 40;
export const C_RAM_SIZE: i32 = 41;
export const C_QUEUED: i32 = 42;
export const C_DECODED: i32 = 43;
/** In: the cycle table's string entry (per element). Out: elements of the string instruction at P done before a stop. */
export const C_CYC_STRING: i32 = 44;
export const C_STRING_DONE: i32 = 45;
/** In: the current privilege level. */
export const C_CPL: i32 = 46;
/** In: the six segment bases (ES CS SS DS FS GS). */
export const C_SEG_BASE: i32 = 24;
/** In: the cycle table entries the forms use. */
export const C_CYC_ALU: i32 = 32;
export const C_CYC_ALU_MEM: i32 = 33;
export const C_CYC_MOV: i32 = 34;
export const C_CYC_STACK: i32 = 35;
export const C_CYC_SHIFT: i32 = 36;
export const C_CYC_BRANCH: i32 = 37;
export const C_CYC_CALL: i32 = 38;
export const C_CYC_MUL: i32 = 39;

/** Why {@link run} returned. */
export const STOP_BUDGET: i32 = 0; // the clock event or the instruction budget is reached
export const STOP_HOST: i32 = 1; // the next instruction (in the window) is the host's to run
export const STOP_WINDOW: i32 = 2; // EIP left the window and a look at the TLB could not open another
export const STOP_MISS: i32 = 3; // the next instruction (in the window) is not in the cache

// ---- the forms: the kind numbers of decoded-cache.ts (test/unit/cpu/wasm-loop.test.ts checks they agree) ----
const NONE = 0;
const ALU_RR = 1, ALU_RI = 2, ADD_RR = 3, ADD_RI = 4, SUB_RR = 5, SUB_RI = 6, CMP_RR = 7, CMP_RI = 8;
const LOGIC_RR = 9, LOGIC_RI = 10, TEST_RR = 11, TEST_RI = 12, INC = 13, DEC = 14, MOV_RR = 15, MOV_RI = 16;
const LEA = 17, JCC = 18, JMP = 19, LOOP = 20, ALU8_RR = 21, ALU8_RI = 22, TEST8_RR = 23, TEST8_RI = 24;
const MOV8_RR = 25, MOV8_RI = 26, MOVZX8_R = 27, MOVZX16_R = 28, MOVSX8_R = 29, MOVSX16_R = 30, SHIFT_RI = 31, SHIFT_RC = 32;
const SETCC_R = 33, NOP = 34, NOT_R = 35, NEG_R = 36, IMUL_RRI = 37, IMUL_RR = 38, BT_RI = 39, ALU_RM = 40;
const ALU_MR = 41, ALU_MI = 42, TEST_MR = 43, LOAD = 44, STORE = 45, STORE_I = 46, LOAD8 = 47, STORE8 = 48;
const STORE8_I = 49, LOAD16 = 50, STORE16 = 51, STORE16_I = 52, MOVZX8_M = 53, MOVZX16_M = 54, MOVSX8_M = 55, MOVSX16_M = 56;
const ALU8_MI = 57, ALU8_RM = 58, ALU8_MR = 59, TEST8_MI = 60, INC_M = 61, DEC_M = 62, PUSH = 63, POP = 64;
const PUSH_I = 65, PUSH_M = 66, LEAVE = 67, IMUL_RMI = 68, IMUL_RM = 69, BT_MI = 70, CALL = 71, RET = 72;
const CALL_R = 73, CALL_M = 74, JMP_R = 75, JMP_M = 76, STR = 77;
const CLI = 78, PUSHF = 79, BT_RR = 80, BT_MR = 81, CMPXCHG_R = 82, CMPXCHG_M = 83, XADD_R = 84, XADD_M = 85;

// String operations (execute/string.ts) and the restart point of a REP (REP_CHUNK elements a step).
const S_MOVS = 0, S_CMPS = 1, S_STOS = 2, S_LODS = 3, S_SCAS = 4;
const REP_CHUNK = 4096;
const ES = 0;
const DF = 0x400;

const MASK = 0xffff;
const NO_REG = 8;
const SS = 2;
/** An instruction the loop cannot complete: it stops before it (STOP_HOST). */
const HOST = -1;

// EFLAGS bits and lazy-record kinds (state.ts, lazy-flags.ts).
const CF = 0x1, PF = 0x4, AF = 0x10, ZF = 0x40, SF = 0x80, OF = 0x800, IF = 0x200, IOPL = 0x3000;
const ARITH_FLAGS = CF | PF | AF | ZF | SF | OF;
const LZ_ADD = 0, LZ_SUB = 1, LZ_LOGIC = 2, LZ_SBB = 3;
// Page flags (core/bus.ts).
const DIRECT_READ = 1, DIRECT_WRITE = 2;
// Access kinds of xlate.
const READ = 1, WRITE = 2, MODIFY = 3;

// ---- state of one run, loaded from the control block ----
let flags = 0, lazyMask = 0, lazyKind = 0, lazyBits = 32, lazyDst = 0, lazySrc = 0, lazyRes = 0;
let cpl = 0, paging = 0, needRead = 0, needWrite = 0, csLimit = 0, csBase = 0, ss32 = 0, wholeRead = 0, wholeWrite = 0;
let delta = 0, pLo = 0, pHi = 0, moved = 0;
let cycAlu = 0, cycAluMem = 0, cycMov = 0, cycStack = 0, cycShift = 0, cycBranch = 0, cycCall = 0, cycMul = 0, cycString = 0;
/** Elements of the string instruction the loop stopped at, done before the stop (C_STRING_DONE). */
let stringDone = 0;

@inline function ctl(i: i32): i32 { return load<i32>(CTRL + (i << 2)); }
@inline function setCtl(i: i32, v: i32): void { store<i32>(CTRL + (i << 2), v); }
@inline function reg(i: i32): i32 { return load<i32>(REGS + (i << 2)); }
@inline function setReg(i: i32, v: i32): void { store<i32>(REGS + (i << 2), v); }
/** 8-bit register by byte index into the register file (R8_INDEX). */
@inline function reg8(b: i32): i32 { return load<u8>(REGS + b); }
@inline function setReg8(b: i32, v: i32): void { store<u8>(REGS + b, v); }

// ---- lazy flags (lazy-flags.ts, same records and results) ----
@inline function setLazy(kind: i32, bits: i32, dst: i32, src: i32, res: i32): void {
  lazyKind = kind; lazyBits = bits; lazyDst = dst; lazySrc = src; lazyRes = res; lazyMask = ARITH_FLAGS;
}

function setLazyZSP(bits: i32, res: i32, eager: i32): void {
  lazyKind = LZ_LOGIC; lazyBits = bits; lazyRes = res; lazyMask = ZF | SF | PF;
  flags = (flags & ~(CF | OF | AF)) | eager;
}

@inline function getCF(): i32 {
  if ((lazyMask & CF) == 0) return flags & CF;
  const d = lazyDst, s = lazySrc, r = lazyRes, sh = lazyBits - 1;
  if (lazyKind == LZ_ADD) return (((d & s) | ((d | s) & ~r)) >>> sh) & 1;
  if (lazyKind == LZ_SUB || lazyKind == LZ_SBB) return (((~d & s) | ((~d | s) & r)) >>> sh) & 1;
  return 0;
}

function getZF(): bool {
  return (lazyMask & ZF) != 0 ? lazyRes == 0 : (flags & ZF) != 0;
}

function getSF(): bool {
  return (lazyMask & SF) != 0 ? ((lazyRes >>> (lazyBits - 1)) & 1) != 0 : (flags & SF) != 0;
}

function getOF(): bool {
  if ((lazyMask & OF) == 0) return (flags & OF) != 0;
  const d = lazyDst, s = lazySrc, r = lazyRes, sh = lazyBits - 1;
  if (lazyKind == LZ_ADD) return ((((d ^ r) & (s ^ r)) >>> sh) & 1) != 0;
  if (lazyKind == LZ_SUB || lazyKind == LZ_SBB) return ((((d ^ s) & (d ^ r)) >>> sh) & 1) != 0;
  return false;
}

/** PF: the low byte of the result has an even number of ones. */
function getPF(): bool {
  return (lazyMask & PF) != 0 ? (popcnt<i32>(lazyRes & 0xff) & 1) == 0 : (flags & PF) != 0;
}

function getAF(): bool {
  if ((lazyMask & AF) == 0) return (flags & AF) != 0;
  if (lazyKind == LZ_LOGIC) return false;
  return ((lazyDst ^ lazySrc ^ lazyRes) & 0x10) != 0;
}

function materialize(): void {
  const m = lazyMask;
  if (m == 0) return;
  let f = flags & ~m;
  if ((m & CF) != 0) f |= getCF();
  if ((m & PF) != 0 && getPF()) f |= PF;
  if ((m & AF) != 0 && getAF()) f |= AF;
  if ((m & ZF) != 0 && getZF()) f |= ZF;
  if ((m & SF) != 0 && getSF()) f |= SF;
  if ((m & OF) != 0 && getOF()) f |= OF;
  flags = f;
  lazyMask = 0;
}

/** Condition code cc (Jcc/SETcc low nibble), as testCondition. */
@inline function condition(cc: i32): bool {
  if (lazyKind == LZ_SUB && lazyMask == ARITH_FLAGS) {
    const bits = lazyBits, d = lazyDst, s = lazySrc;
    switch (cc) {
      case 2: return <u32>d < <u32>s;
      case 3: return <u32>d >= <u32>s;
      case 4: return lazyRes == 0;
      case 5: return lazyRes != 0;
      case 6: return <u32>d <= <u32>s;
      case 7: return <u32>d > <u32>s;
      case 12: case 13: case 14: case 15: {
        const sd = bits == 32 ? d : (d << (32 - bits)) >> (32 - bits);
        const ss = bits == 32 ? s : (s << (32 - bits)) >> (32 - bits);
        if (cc == 12) return sd < ss;
        if (cc == 13) return sd >= ss;
        if (cc == 14) return sd <= ss;
        return sd > ss;
      }
      default: break;
    }
  }
  let r: bool;
  switch (cc >> 1) {
    case 0: r = getOF(); break;
    case 1: r = getCF() != 0; break;
    case 2: r = getZF(); break;
    case 3: r = getCF() != 0 || getZF(); break;
    case 4: r = getSF(); break;
    case 5: r = getPF(); break;
    case 6: r = getSF() != getOF(); break;
    default: r = getZF() || getSF() != getOF(); break;
  }
  return (cc & 1) == 0 ? r : !r;
}

// ---- arithmetic (execute/alu.ts, execute/shift-rotate.ts) ----
/** The eight ALU operations (0 ADD 1 OR 2 ADC 3 SBB 4 AND 5 SUB 6 XOR 7 CMP) on `bits`-wide operands. */
@inline function alu(op: i32, bits: i32, d: i32, s: i32): i32 {
  const m = bits == 32 ? -1 : (1 << bits) - 1;
  d &= m; s &= m;
  let r: i32;
  switch (op) {
    case 0: r = (d + s) & m; setLazy(LZ_ADD, bits, d, s, r); return r;
    case 1: r = d | s; setLazy(LZ_LOGIC, bits, d, s, r); return r;
    case 2: r = (d + s + getCF()) & m; setLazy(LZ_ADD, bits, d, s, r); return r;
    case 3: r = (d - s - getCF()) & m; setLazy(LZ_SBB, bits, d, s, r); return r;
    case 4: r = d & s; setLazy(LZ_LOGIC, bits, d, s, r); return r;
    case 6: r = d ^ s; setLazy(LZ_LOGIC, bits, d, s, r); return r;
    default: r = (d - s) & m; setLazy(LZ_SUB, bits, d, s, r); return r;
  }
}

/** INC/DEC of a 32-bit value: CF kept (concrete in flags), the other five lazy. */
@inline function incDec(d: i32, by: i32): i32 {
  const cf = getCF();
  const r = d + by;
  flags = (flags & ~CF) | cf;
  setLazy(by > 0 ? LZ_ADD : LZ_SUB, 32, d, 1, r);
  lazyMask = OF | AF | ZF | SF | PF;
  return r;
}

/** IMUL's truncated 32-bit product: CF = OF = the product does not fit; SF, ZF, PF from it; AF 0. */
function imul(x: i32, y: i32): i32 {
  const v = <i64>x * <i64>y;
  const lo = <i32>v;
  setLazyZSP(32, lo, <i32>(v >> 32) != lo >> 31 ? CF | OF : 0);
  return lo;
}

/** BT (op 0), BTS, BTR, BTC of bit n of v: CF = the bit, the other flags concrete and kept; returns the new value. */
function bitOp(op: i32, v: i32, n: i32): i32 {
  materialize();
  flags = (flags & ~CF) | ((v >>> n) & 1);
  const mask = 1 << n;
  if (op == 1) return v | mask;
  if (op == 2) return v & ~mask;
  if (op == 3) return v ^ mask;
  return v;
}

/** Rotates change only CF and OF. */
function rotFlags(cf: i32, ovf: i32): void {
  materialize();
  flags = (flags & ~(CF | OF)) | (cf != 0 ? CF : 0) | (ovf != 0 ? OF : 0);
}

/** Group-2 operation on a 32-bit value, but RCL and RCR (the caller sends those to the host). */
function shift32(op: i32, d: i32, count: i32): i32 {
  count &= 31;
  if (count == 0) return d;
  let r: i32, cf: i32, ovf: i32;
  switch (op) {
    case 0: // ROL
      r = (d << count) | (d >>> (32 - count));
      cf = r & 1;
      rotFlags(cf, ((r >>> 31) & 1) ^ cf);
      return r;
    case 1: // ROR
      r = (d >>> count) | (d << (32 - count));
      cf = (r >>> 31) & 1;
      rotFlags(cf, cf ^ ((r >>> 30) & 1));
      return r;
    case 4: case 6: // SHL
      r = d << count;
      cf = (d >>> (32 - count)) & 1;
      ovf = ((r >>> 31) & 1) ^ cf;
      setLazyZSP(32, r, (cf != 0 ? CF : 0) | (ovf != 0 ? OF : 0));
      return r;
    case 5: // SHR
      r = d >>> count;
      cf = (d >>> (count - 1)) & 1;
      ovf = count == 1 ? (d >>> 31) & 1 : (r >>> 31) & 1;
      setLazyZSP(32, r, (cf != 0 ? CF : 0) | (ovf != 0 ? OF : 0));
      return r;
    default: // SAR
      r = d >> count;
      cf = (d >> (count - 1)) & 1;
      setLazyZSP(32, r, cf != 0 ? CF : 0);
      return r;
  }
}

// ---- memory ----
/**
 * Physical address of a `size`-byte access at seg:off, or -1 when the loop may not do it itself:
 * a segment that is not flat for the access, a wrap past 4 GiB, a page crossing, a TLB entry
 * without the rights, or a page that is not plain RAM for the access (a device, a watched code
 * page for a write). The host then runs the instruction, with every check and fault of its own.
 */
@inline function xlate(seg: i32, off: i32, size: i32, kind: i32): i32 {
  if ((kind & READ) != 0 && ((wholeRead >> seg) & 1) == 0) return -1;
  if ((kind & WRITE) != 0 && ((wholeWrite >> seg) & 1) == 0) return -1;
  if (<u32>off > <u32>(0 - size)) return -1;
  const lin = load<i32>(CTRL + ((C_SEG_BASE + seg) << 2)) + off;
  if ((lin & 0xfff) > 0x1000 - size) return -1;
  let p = lin;
  if (paging != 0) {
    const e = load<i32>(TLB + ((lin >>> 12) << 2));
    const need = (kind & WRITE) != 0 ? needWrite : needRead;
    if ((e & need) != need) return -1;
    p = (e & ~0xfff) | (lin & 0xfff);
  }
  if ((load<u8>(PAGE_FLAGS + (p >>> 12)) & kind) != kind) return -1;
  return p;
}

/** Effective address of the memory operand in slot s. */
@inline function ea(s: i32): i32 {
  let off = load<i32>(DISP + (s << 2));
  const base = <i32>load<u8>(BASE + s), index = <i32>load<u8>(INDEX + s);
  if (base != NO_REG) off += reg(base);
  if (index != NO_REG) off += reg(index) << <i32>load<u8>(SCALE + s);
  return off;
}

@inline function segOf(s: i32): i32 { return <i32>load<u8>(SEG + s); }

/**
 * Open the fetch window at `eip` (openFetchWindow/openWindow of cpu.ts, for 32-bit protected-mode
 * code): within the CS limit, a TLB hit (or paging off) on a RAM page. Sets delta, pLo, pHi.
 */
function openWindow(eip: i32): bool {
  if (<u32>eip > <u32>csLimit) return false;
  const lin = csBase + eip;
  let p = lin;
  if (paging != 0) {
    const e = load<i32>(TLB + ((lin >>> 12) << 2));
    if ((e & needRead) != needRead) return false;
    p = (e & ~0xfff) | (lin & 0xfff);
  }
  if ((load<u8>(PAGE_FLAGS + (p >>> 12)) & DIRECT_READ) == 0) return false;
  const pageOffset = lin & 0xfff;
  const lo: i32 = <u32>eip < <u32>pageOffset ? 0 : eip - pageOffset;
  let hi: u64 = <u64><u32>eip + 0x1000 - <u64>pageOffset;
  const limitEnd: u64 = <u64><u32>csLimit + 1;
  if (hi > limitEnd) hi = limitEnd;
  delta = p - eip;
  pLo = lo + delta;
  pHi = <i32>hi + delta;
  moved = 1;
  return true;
}

// ---- the decoder (DecodedCache.fill and decode, the same entries byte for byte) ----
const MAX_INVALIDATIONS = 8;
const DS = 3;
/** Length in bytes of the instruction decode() last took. */
let length = 0;
/** Decoder outputs of one run: instructions decoded, pages queued. */
let decodedCount = 0, queued = 0, pages = 0, ramSize = 0;

@inline function r8index(r: i32): i32 { return ((r & 3) << 2) | (r >> 2); }
@inline function ram8(q: i32): i32 { return <i32>load<u8>(RAM + q); }
@inline function s8(q: i32): i32 { return <i32>load<i8>(RAM + q); }
@inline function s32(q: i32): i32 { return load<i32>(RAM + q); }
@inline function setOp(s: i32, v: i32): void { store<u8>(OP + s, v); }
@inline function setA(s: i32, v: i32): void { store<u8>(A + s, v); }
@inline function setB(s: i32, v: i32): void { store<u8>(B + s, v); }
@inline function setImm(s: i32, v: i32): void { store<i32>(IMM + (s << 2), v); }

/** The string operation of opcodes A4/A5, A6/A7, AA/AB, AC/AD, AE/AF (execute/string.ts S_*). */
function stringOp(pair: i32): i32 {
  return pair == 0 ? S_MOVS : pair == 1 ? S_CMPS : pair == 3 ? S_STOS : pair == 4 ? S_LODS : S_SCAS;
}

function aluKindRR(op: i32): i32 {
  return op == 0 ? ADD_RR : op == 5 ? SUB_RR : op == 7 ? CMP_RR : op == 2 || op == 3 ? ALU_RR : LOGIC_RR;
}
function aluKindRI(op: i32): i32 {
  return op == 0 ? ADD_RI : op == 5 ? SUB_RI : op == 7 ? CMP_RI : op == 2 || op == 3 ? ALU_RI : LOGIC_RI;
}

/**
 * Decode a ModRM byte at q (with its SIB and displacement), 32-bit addressing; fills the memory
 * operand of slot s for memory forms. The bytes used from the ModRM byte on, or -1 past `end`.
 */
function modrm(q: i32, end: i32, s: i32): i32 {
  if (q >= end) return -1;
  const m = ram8(q), mod = m >> 6, rm = m & 7;
  if (mod == 3) return 1;
  let n = 1, base = rm, index = NO_REG, scale = 0, seg = DS;
  if (rm == 4) {
    if (q + 2 > end) return -1;
    const sib = ram8(q + 1);
    n = 2;
    base = sib & 7;
    index = (sib >> 3) & 7;
    if (index == 4) index = NO_REG;
    scale = sib >> 6;
    if (base == 5 && mod == 0) base = NO_REG;
  } else if (rm == 5 && mod == 0) {
    base = NO_REG;
  }
  if (base == 4 || base == 5) seg = SS;
  let disp = 0;
  if (mod == 1) {
    if (q + n + 1 > end) return -1;
    disp = s8(q + n); n += 1;
  } else if (mod == 2 || base == NO_REG) {
    if (q + n + 4 > end) return -1;
    disp = s32(q + n); n += 4;
  }
  store<u8>(SEG + s, seg); store<u8>(BASE + s, base); store<u8>(INDEX + s, index); store<u8>(SCALE + s, scale);
  store<i32>(DISP + (s << 2), disp);
  return n;
}

/** Decode the bytes at p (none at or past `end`) into slot s; returns the kind. SDM vol. 2 appendix A. */
function decode(p: i32, s: i32, end: i32): i32 {
  const b0 = ram8(p);
  if (b0 == 0x0f) return decode0f(p, s, end);
  if (b0 == 0x66) return decode66(p, s, end);
  if (b0 < 0x40) {
    const low = b0 & 7;
    setOp(s, b0 >> 3);
    if (low == 4 || low == 5) {
      const n = low == 4 ? 1 : 4;
      if (p + 1 + n > end) return NONE;
      setA(s, 0); setImm(s, n == 4 ? s32(p + 1) : ram8(p + 1)); length = 1 + n;
      return low == 4 ? ALU8_RI : aluKindRI(b0 >> 3);
    }
    if (low > 3) return NONE;
    const n = modrm(p + 1, end, s);
    if (n < 0) return NONE;
    const m = ram8(p + 1), rm = m & 7, reg = (m >> 3) & 7;
    length = 1 + n;
    const toRm = (low & 2) == 0, byte = (low & 1) == 0;
    if (m >= 0xc0) {
      const dst = toRm ? rm : reg, src = toRm ? reg : rm;
      setA(s, byte ? r8index(dst) : dst); setB(s, byte ? r8index(src) : src);
      return byte ? ALU8_RR : aluKindRR(b0 >> 3);
    }
    setA(s, byte ? r8index(reg) : reg);
    return byte ? (toRm ? ALU8_MR : ALU8_RM) : (toRm ? ALU_MR : ALU_RM);
  }
  if (b0 < 0x60) {
    setA(s, b0 & 7); length = 1;
    return b0 < 0x48 ? INC : b0 < 0x50 ? DEC : b0 < 0x58 ? PUSH : POP;
  }
  if (b0 >= 0x70 && b0 < 0x80) {
    if (p + 2 > end) return NONE;
    setOp(s, b0 & 15); setImm(s, s8(p + 1)); length = 2;
    return JCC;
  }
  if (b0 >= 0xb0 && b0 < 0xc0) {
    const n = b0 < 0xb8 ? 1 : 4;
    if (p + 1 + n > end) return NONE;
    setA(s, n == 1 ? r8index(b0 & 7) : b0 & 7); setImm(s, n == 4 ? s32(p + 1) : ram8(p + 1));
    length = 1 + n;
    return n == 1 ? MOV8_RI : MOV_RI;
  }
  if (b0 == 0xf2 || b0 == 0xf3 || (b0 >= 0xa4 && b0 < 0xb0 && b0 != 0xa8 && b0 != 0xa9)) {
    const prefix = b0 == 0xf3 ? 1 : b0 == 0xf2 ? 2 : 0, q = prefix == 0 ? p : p + 1;
    if (q + 1 > end) return NONE;
    const sop = ram8(q);
    if (sop < 0xa4 || sop >= 0xb0 || sop == 0xa8 || sop == 0xa9) return NONE;
    setOp(s, stringOp((sop - 0xa4) >> 1)); setA(s, (sop & 1) == 0 ? 1 : 4); setB(s, prefix);
    length = q + 1 - p;
    return STR;
  }
  if (b0 >= 0xa0 && b0 < 0xa4) {
    if (p + 5 > end) return NONE;
    setA(s, 0); store<u8>(SEG + s, DS); store<u8>(BASE + s, NO_REG); store<u8>(INDEX + s, NO_REG); store<u8>(SCALE + s, 0);
    store<i32>(DISP + (s << 2), s32(p + 1)); length = 5;
    return b0 == 0xa0 ? LOAD8 : b0 == 0xa1 ? LOAD : b0 == 0xa2 ? STORE8 : STORE;
  }
  if (b0 == 0xfa || b0 == 0x9c) {
    length = 1;
    return b0 == 0xfa ? CLI : PUSHF;
  }
  switch (b0) {
    case 0x68: case 0x6a: {
      const n = b0 == 0x68 ? 4 : 1;
      if (p + 1 + n > end) return NONE;
      setImm(s, n == 4 ? s32(p + 1) : s8(p + 1)); length = 1 + n;
      return PUSH_I;
    }
    case 0x69: case 0x6b: {
      const n = modrm(p + 1, end, s);
      const ni = b0 == 0x69 ? 4 : 1;
      if (n < 0 || p + 1 + n + ni > end) return NONE;
      const m = ram8(p + 1), q = p + 1 + n;
      setA(s, (m >> 3) & 7); setB(s, m & 7);
      setImm(s, ni == 4 ? s32(q) : s8(q));
      length = 1 + n + ni;
      return m >= 0xc0 ? IMUL_RRI : IMUL_RMI;
    }
    case 0x80: case 0x81: case 0x83: {
      const n = modrm(p + 1, end, s);
      const ni = b0 == 0x81 ? 4 : 1;
      if (n < 0 || p + 1 + n + ni > end) return NONE;
      const m = ram8(p + 1), q = p + 1 + n, isReg = m >= 0xc0;
      setOp(s, (m >> 3) & 7);
      length = 1 + n + ni;
      if (b0 == 0x80) {
        setA(s, r8index(m & 7)); setImm(s, ram8(q));
        return isReg ? ALU8_RI : ALU8_MI;
      }
      setA(s, m & 7); setImm(s, ni == 4 ? s32(q) : s8(q));
      return isReg ? aluKindRI((m >> 3) & 7) : ALU_MI;
    }
    case 0x84: case 0x85: case 0x88: case 0x89: case 0x8a: case 0x8b: case 0x8d: {
      const n = modrm(p + 1, end, s);
      if (n < 0) return NONE;
      const m = ram8(p + 1), rm = m & 7, reg = (m >> 3) & 7;
      const byte = b0 == 0x84 || b0 == 0x88 || b0 == 0x8a;
      length = 1 + n;
      if (m >= 0xc0) {
        if (b0 == 0x8d) return NONE;
        const isLoad = b0 == 0x8a || b0 == 0x8b;
        const dst = isLoad ? reg : rm, src = isLoad ? rm : reg;
        setA(s, byte ? r8index(dst) : dst); setB(s, byte ? r8index(src) : src);
        return b0 == 0x84 ? TEST8_RR : b0 == 0x85 ? TEST_RR : byte ? MOV8_RR : MOV_RR;
      }
      setA(s, byte ? r8index(reg) : reg);
      switch (b0) {
        case 0x85: return TEST_MR;
        case 0x88: return STORE8;
        case 0x89: return STORE;
        case 0x8a: return LOAD8;
        case 0x8b: return LOAD;
        case 0x8d: return LEA;
        default: return NONE;
      }
    }
    case 0x90:
      length = 1;
      return NOP;
    case 0xa8: case 0xa9: {
      const n = b0 == 0xa8 ? 1 : 4;
      if (p + 1 + n > end) return NONE;
      setA(s, 0); setImm(s, n == 4 ? s32(p + 1) : ram8(p + 1)); length = 1 + n;
      return n == 1 ? TEST8_RI : TEST_RI;
    }
    case 0xc1: case 0xd1: case 0xd3: {
      if (p + 2 > end || ram8(p + 1) < 0xc0) return NONE;
      const m = ram8(p + 1);
      setOp(s, (m >> 3) & 7); setA(s, m & 7);
      if (b0 == 0xd3) { length = 2; return SHIFT_RC; }
      if (b0 == 0xd1) { setImm(s, 1); length = 2; return SHIFT_RI; }
      if (p + 3 > end) return NONE;
      setImm(s, ram8(p + 2)); length = 3;
      return SHIFT_RI;
    }
    case 0xc6: case 0xc7: case 0xf6: case 0xf7: {
      if (b0 == 0xf7 && p + 2 <= end && (ram8(p + 1) & 0x30) == 0x10) {
        const m = ram8(p + 1);
        if (m < 0xc0) return NONE;
        setA(s, m & 7); length = 2;
        return (m & 0x08) == 0 ? NOT_R : NEG_R;
      }
      const n = modrm(p + 1, end, s);
      const ni = b0 == 0xc6 || b0 == 0xf6 ? 1 : 4;
      if (n < 0 || p + 1 + n + ni > end) return NONE;
      const m = ram8(p + 1), reg = (m >> 3) & 7, q = p + 1 + n;
      if (b0 <= 0xc7 ? reg != 0 : reg > 1) return NONE;
      setA(s, ni == 1 ? r8index(m & 7) : m & 7); setImm(s, ni == 4 ? s32(q) : ram8(q));
      length = 1 + n + ni;
      if (m >= 0xc0) return b0 == 0xc6 ? MOV8_RI : b0 == 0xc7 ? MOV_RI : b0 == 0xf6 ? TEST8_RI : TEST_RI;
      return b0 == 0xc6 ? STORE8_I : b0 == 0xc7 ? STORE_I : b0 == 0xf6 ? TEST8_MI : NONE;
    }
    case 0xc3: case 0xc9:
      length = 1;
      return b0 == 0xc3 ? RET : LEAVE;
    case 0xe8: case 0xe9:
      if (p + 5 > end) return NONE;
      setImm(s, s32(p + 1)); length = 5;
      return b0 == 0xe8 ? CALL : JMP;
    case 0xe2: case 0xeb:
      if (p + 2 > end) return NONE;
      setImm(s, s8(p + 1)); length = 2;
      return b0 == 0xe2 ? LOOP : JMP;
    case 0xff: {
      const n = modrm(p + 1, end, s);
      if (n < 0) return NONE;
      const m = ram8(p + 1), reg = (m >> 3) & 7, mem = m < 0xc0;
      setA(s, m & 7); length = 1 + n;
      switch (reg) {
        case 0: return mem ? INC_M : INC;
        case 1: return mem ? DEC_M : DEC;
        case 2: return mem ? CALL_M : CALL_R;
        case 4: return mem ? JMP_M : JMP_R;
        case 6: return mem ? PUSH_M : PUSH;
        default: return NONE;
      }
    }
    default:
      return NONE;
  }
}

function decode0f(p: i32, s: i32, end: i32): i32 {
  if (p + 2 > end) return NONE;
  const b1 = ram8(p + 1);
  if (b1 >= 0x80 && b1 < 0x90) {
    if (p + 6 > end) return NONE;
    setOp(s, b1 & 15); setImm(s, s32(p + 2)); length = 6;
    return JCC;
  }
  if (b1 >= 0x90 && b1 < 0xa0) {
    if (p + 3 > end || ram8(p + 2) < 0xc0) return NONE;
    setOp(s, b1 & 15); setA(s, r8index(ram8(p + 2) & 7)); length = 3;
    return SETCC_R;
  }
  if (b1 == 0xaf) {
    const n = modrm(p + 2, end, s);
    if (n < 0) return NONE;
    const m = ram8(p + 2);
    setA(s, (m >> 3) & 7); setB(s, m & 7); length = 2 + n;
    return m >= 0xc0 ? IMUL_RR : IMUL_RM;
  }
  if (b1 == 0xba) {
    const n = modrm(p + 2, end, s);
    if (n < 0 || p + 3 + n > end) return NONE;
    const m = ram8(p + 2), reg = (m >> 3) & 7;
    if (reg < 4) return NONE;
    setOp(s, reg - 4); setA(s, m & 7); setImm(s, ram8(p + 2 + n) & 31); length = 3 + n;
    return m >= 0xc0 ? BT_RI : BT_MI;
  }
  if (b1 == 0xa3 || b1 == 0xab || b1 == 0xb3 || b1 == 0xbb || b1 == 0xb1 || b1 == 0xc1) {
    const n = modrm(p + 2, end, s);
    if (n < 0) return NONE;
    const m = ram8(p + 2), mem = m < 0xc0;
    setOp(s, (b1 >> 3) & 3); setA(s, (m >> 3) & 7); setB(s, m & 7); length = 2 + n;
    if (b1 == 0xb1) return mem ? CMPXCHG_M : CMPXCHG_R;
    if (b1 == 0xc1) return mem ? XADD_M : XADD_R;
    return mem ? BT_MR : BT_RR;
  }
  if (b1 != 0xb6 && b1 != 0xb7 && b1 != 0xbe && b1 != 0xbf) return NONE;
  const n = modrm(p + 2, end, s);
  if (n < 0) return NONE;
  const m = ram8(p + 2), word = (b1 & 1) != 0, signed = b1 >= 0xbe;
  setA(s, (m >> 3) & 7); length = 2 + n;
  if (m >= 0xc0) {
    setB(s, word ? (m & 7) << 1 : r8index(m & 7));
    return signed ? (word ? MOVSX16_R : MOVSX8_R) : (word ? MOVZX16_R : MOVZX8_R);
  }
  return signed ? (word ? MOVSX16_M : MOVSX8_M) : (word ? MOVZX16_M : MOVZX8_M);
}

function decode66(p: i32, s: i32, end: i32): i32 {
  if (p + 2 > end) return NONE;
  const b1 = ram8(p + 1);
  if (b1 == 0x90) { length = 2; return NOP; }
  if (b1 != 0x89 && b1 != 0x8b && b1 != 0xc7) return NONE;
  const n = modrm(p + 2, end, s);
  if (n < 0) return NONE;
  const m = ram8(p + 2);
  if (m >= 0xc0) return NONE;
  setA(s, (m >> 3) & 7); length = 2 + n;
  if (b1 == 0x89) return STORE16;
  if (b1 == 0x8b) return LOAD16;
  if ((m & 0x38) != 0 || p + 2 + n + 2 > end) return NONE;
  setImm(s, ram8(p + 2 + n) | (ram8(p + 3 + n) << 8)); length = 4 + n;
  return STORE16_I;
}

/**
 * Decode the instruction at physical p into slot s (DecodedCache.fill): false, with nothing
 * done, when the page would have to be watched and the queue for the host is full.
 */
function fill(p: i32, s: i32): bool {
  const page = p >>> 12;
  const known = page < pages && load<u8>(WATCHED + page) != 0;
  if (!known && queued >= QUEUE_SIZE) return false;
  store<i32>(TAG + (s << 2), p);
  store<i32>(INFO + (s << 2), NONE);
  if (page >= pages || <i32>load<u8>(INVALIDATIONS + page) >= MAX_INVALIDATIONS) return true;
  const pageEnd = (page + 1) << 12;
  const k = decode(p, s, pageEnd < ramSize ? pageEnd : ramSize);
  if (k == NONE) return true;
  store<i32>(INFO + (s << 2), k | length << 8 | <i32>load<u8>(OP + s) << 12 | (<i32>load<u8>(A + s) & 15) << 16 | (<i32>load<u8>(B + s) & 15) << 20);
  decodedCount++;
  const offset = p & 0xfff;
  if (!known) {
    // Watched from now on: writes to the page take the host's path (the bus calls the cache),
    // here at once, and in the bus's own records when the host reads the queue after this run.
    store<u8>(WATCHED + page, 1);
    store<u16>(LOWEST + (page << 1), offset);
    store<u16>(HIGHEST + (page << 1), offset);
    store<u8>(PAGE_FLAGS + page, load<u8>(PAGE_FLAGS + page) & ~DIRECT_WRITE);
    store<i32>(QUEUE + (queued << 2), page);
    queued++;
  } else if (offset < <i32>load<u16>(LOWEST + (page << 1))) {
    store<u16>(LOWEST + (page << 1), offset);
  } else if (offset > <i32>load<u16>(HIGHEST + (page << 1))) {
    store<u16>(HIGHEST + (page << 1), offset);
  }
  return true;
}

/** Whole elements from linear `lin` to the end (up) or the start (down) of its page; 0 if the first straddles it. */
@inline function elementsInPage(lin: i32, size: i32, down: bool): i32 {
  const at = lin & 0xfff;
  if (at + size > 0x1000) return 0;
  return down ? at / size + 1 : (0x1000 - at) / size;
}

/**
 * One page run of REP MOVS (`movs`) or REP STOS (repFast's): the elements from ESI/EDI that stay
 * within one page on each side, at most `count` and `room`, copied or stored at once, with ESI,
 * EDI and ECX advanced past them. 0, with nothing done, where the element loop must take the next
 * element: a straddled page, an offset run that wraps, an access the loop may not do itself, or a
 * copy whose overlap makes the element order matter.
 */
function repRun(movs: bool, size: i32, down: bool, count: i32, room: i32): i32 {
  const si = reg(6), di = reg(7);
  const dLin = load<i32>(CTRL + ((C_SEG_BASE + ES) << 2)) + di;
  let k = elementsInPage(dLin, size, down);
  if (movs) {
    const ks = elementsInPage(load<i32>(CTRL + ((C_SEG_BASE + DS) << 2)) + si, size, down);
    if (ks < k) k = ks;
  }
  if (<u32>k > <u32>count) k = count;
  if (k > room) k = room;
  if (k == 0) return 0;
  const bytes = k * size, span = down ? bytes - size : 0;
  // The run's offsets may not wrap past 4 GiB (the element loop handles that).
  if (down ? <u32>di < <u32>span || (movs && <u32>si < <u32>span) : <u32>di > <u32>(-bytes) || (movs && <u32>si > <u32>(-bytes))) return 0;
  const qd = xlate(ES, di, size, WRITE);
  if (qd < 0) return 0;
  const pd = qd - span;
  if (movs) {
    const qs = xlate(DS, si, size, READ);
    if (qs < 0) return 0;
    const ps = qs - span;
    if (down ? pd < ps && pd + bytes > ps : pd > ps && pd < ps + bytes) return 0;
    memory.copy(RAM + pd, RAM + ps, bytes);
    setReg(6, down ? si - bytes : si + bytes);
  } else if (size == 1) {
    memory.fill(RAM + pd, <u8>reg8(0), bytes);
  } else {
    const v = reg(0);
    for (let q = pd; q < pd + bytes; q += 4) store<i32>(RAM + q, v);
  }
  setReg(7, down ? di - bytes : di + bytes);
  setReg(1, count - k);
  return k;
}

/** Set by {@link repScanRun}: its last element met the REPE/REPNE condition that ends the instruction. */
let scanStopped = false;

/**
 * One page run of REPE/REPNE CMPS (`cmps`) or SCAS (repScan's): the elements of the run
 * compared in place up to the one that ends the instruction (REPE, `untilUnequal`: the first
 * unequal pair; REPNE: the first equal one), the flags those of the last element compared, ESI,
 * EDI and ECX past it. Returns the elements compared; 0, with nothing done, as repRun.
 */
function repScanRun(cmps: bool, size: i32, down: bool, count: i32, room: i32, untilUnequal: bool): i32 {
  const si = reg(6), di = reg(7);
  let k = elementsInPage(load<i32>(CTRL + ((C_SEG_BASE + ES) << 2)) + di, size, down);
  if (cmps) {
    const ks = elementsInPage(load<i32>(CTRL + ((C_SEG_BASE + DS) << 2)) + si, size, down);
    if (ks < k) k = ks;
  }
  if (<u32>k > <u32>count) k = count;
  if (k > room) k = room;
  if (k == 0) return 0;
  const bytes = k * size, span = down ? bytes - size : 0;
  if (down ? <u32>di < <u32>span || (cmps && <u32>si < <u32>span) : <u32>di > <u32>(-bytes) || (cmps && <u32>si > <u32>(-bytes))) return 0;
  let pd = xlate(ES, di, size, READ);
  if (pd < 0) return 0;
  let ps = 0;
  if (cmps) {
    ps = xlate(DS, si, size, READ);
    if (ps < 0) return 0;
  }
  // From the first element (at EDI, ESI), in the direction of DF.
  const step = down ? -size : size;
  let x = size == 1 ? reg8(0) : reg(0), y = 0, done = 0;
  while (done < k) {
    y = size == 1 ? <i32>load<u8>(RAM + pd) : load<i32>(RAM + pd);
    if (cmps) x = size == 1 ? <i32>load<u8>(RAM + ps) : load<i32>(RAM + ps);
    done++;
    if ((x == y) != untilUnequal) { scanStopped = true; break; }
    pd += step; ps += step;
  }
  alu(7, size << 3, x, y);
  const moved = done * size;
  if (cmps) setReg(6, down ? si - moved : si + moved);
  setReg(7, down ? di - moved : di + moved);
  setReg(1, count - done);
  return done;
}

/**
 * Decode the instruction at physical p into slot s as the loop does at a miss, outside a run (for
 * the tests that hold this decoder to DecodedCache's); returns the pages it queued.
 */
export function decodeInto(p: i32, s: i32): i32 {
  pages = ctl(C_PAGES); ramSize = ctl(C_RAM_SIZE); queued = 0; decodedCount = 0;
  fill(p, s);
  return queued;
}

/**
 * Run decoded forms from the control block's P until the clock event or the budget, or until an
 * instruction the host must run (see STOP_*). Writes the state back to the control block.
 */
export function run(): i32 {
  flags = ctl(C_FLAGS); lazyMask = ctl(C_LAZY_MASK); lazyKind = ctl(C_LAZY_KIND); lazyBits = ctl(C_LAZY_BITS);
  lazyDst = ctl(C_LAZY_DST); lazySrc = ctl(C_LAZY_SRC); lazyRes = ctl(C_LAZY_RES);
  cpl = ctl(C_CPL); paging = ctl(C_PAGING); needRead = ctl(C_NEED_READ); needWrite = ctl(C_NEED_WRITE);
  csLimit = ctl(C_CS_LIMIT); csBase = ctl(C_CS_BASE); ss32 = ctl(C_SS32);
  wholeRead = ctl(C_WHOLE_READ); wholeWrite = ctl(C_WHOLE_WRITE);
  delta = ctl(C_DELTA); pLo = ctl(C_PLO); pHi = ctl(C_PHI); moved = 0;
  cycAlu = ctl(C_CYC_ALU); cycAluMem = ctl(C_CYC_ALU_MEM); cycMov = ctl(C_CYC_MOV); cycStack = ctl(C_CYC_STACK);
  cycShift = ctl(C_CYC_SHIFT); cycBranch = ctl(C_CYC_BRANCH); cycCall = ctl(C_CYC_CALL); cycMul = ctl(C_CYC_MUL); cycString = ctl(C_CYC_STRING); stringDone = 0;
  pages = ctl(C_PAGES); ramSize = ctl(C_RAM_SIZE); queued = 0; decodedCount = 0;
  const room = ctl(C_ROOM), left = ctl(C_LEFT);
  let p = ctl(C_P), spent = 0, n = 0, status = STOP_BUDGET;
  for (;;) {
    const s = p & MASK;
    if (load<i32>(TAG + (s << 2)) != p && !fill(p, s)) { status = STOP_MISS; break; }
    const w = load<i32>(INFO + (s << 2));
    let np = p + ((w >> 8) & 15);
    const k = np > pHi ? NONE : w & 255;
    const op = (w >> 12) & 15, a = (w >> 16) & 15, b = (w >> 20) & 15;
    const imm = load<i32>(IMM + (s << 2));
    let cycles = HOST;
    switch (k) {
      case ADD_RR: case ADD_RI: case SUB_RR: case SUB_RI: case CMP_RR: case CMP_RI: case LOGIC_RR: case LOGIC_RI: {
        // The commonest forms, without a call: as alu() for these operations.
        const x = reg(a), z = (k & 1) != 0 ? reg(b) : imm;
        let v: i32, lk: i32;
        if (k <= ADD_RI) { v = x + z; lk = LZ_ADD; }
        else if (k <= CMP_RI) { v = x - z; lk = LZ_SUB; }
        else { v = op == 6 ? x ^ z : op == 4 ? x & z : x | z; lk = LZ_LOGIC; }
        setLazy(lk, 32, x, z, v);
        if (k < CMP_RR || k > CMP_RI) setReg(a, v);
        cycles = cycAlu;
        break;
      }
      case ALU_RR: case ALU_RI: { // ADC, SBB
        const v = alu(op, 32, reg(a), k == ALU_RR ? reg(b) : imm);
        setReg(a, v);
        cycles = cycAlu;
        break;
      }
      case TEST_RR: alu(4, 32, reg(a), reg(b)); cycles = cycAlu; break;
      case TEST_RI: alu(4, 32, reg(a), imm); cycles = cycAlu; break;
      case INC: setReg(a, incDec(reg(a), 1)); cycles = cycAlu; break;
      case DEC: setReg(a, incDec(reg(a), -1)); cycles = cycAlu; break;
      case MOV_RR: setReg(a, reg(b)); cycles = cycMov; break;
      case MOV_RI: setReg(a, imm); cycles = cycMov; break;
      case LEA: setReg(a, ea(s)); cycles = cycAlu; break;
      case JCC: case JMP:
        cycles = cycAlu;
        // JZ and JNZ (the commonest) read ZF here; the others through condition().
        if (k == JMP || ((op & 14) == 4 ? (((lazyMask & ZF) != 0 ? (lazyRes == 0 ? ZF : 0) : flags) & ZF) != 0 != (op == 5) : condition(op))) {
          if (np + imm < pLo || np + imm >= pHi) {
            // Out of the window: the host raises #GP past the CS limit.
            if (<u32>(np + imm - delta) > <u32>csLimit) { cycles = HOST; break; }
          }
          cycles = cycBranch;
          np += imm;
        }
        break;
      case LOOP: {
        const count = reg(1) - 1;
        if (count != 0 && (np + imm < pLo || np + imm >= pHi) && <u32>(np + imm - delta) > <u32>csLimit) break;
        setReg(1, count);
        cycles = cycBranch;
        if (count != 0) np += imm;
        break;
      }
      case ALU8_RR: case ALU8_RI: {
        const v = alu(op, 8, reg8(a), k == ALU8_RR ? reg8(b) : imm);
        if (op != 7) setReg8(a, v);
        cycles = cycAlu;
        break;
      }
      case TEST8_RR: alu(4, 8, reg8(a), reg8(b)); cycles = cycAlu; break;
      case TEST8_RI: alu(4, 8, reg8(a), imm); cycles = cycAlu; break;
      case MOV8_RR: setReg8(a, reg8(b)); cycles = cycMov; break;
      case MOV8_RI: setReg8(a, imm); cycles = cycMov; break;
      case MOVZX8_R: setReg(a, reg8(b)); cycles = cycMov * 3; break;
      case MOVZX16_R: setReg(a, <i32>load<u16>(REGS + (b << 1))); cycles = cycMov * 3; break;
      case MOVSX8_R: setReg(a, <i32>load<i8>(REGS + b)); cycles = cycMov * 3; break;
      case MOVSX16_R: setReg(a, <i32>load<i16>(REGS + (b << 1))); cycles = cycMov * 3; break;
      case SHIFT_RI: case SHIFT_RC:
        if (op == 2 || op == 3) break; // RCL, RCR: the host's
        setReg(a, shift32(op, reg(a), k == SHIFT_RI ? imm : reg8(4)));
        cycles = cycShift;
        break;
      case SETCC_R: setReg8(a, condition(op) ? 1 : 0); cycles = cycAlu; break;
      case NOP: cycles = cycAlu; break;
      case NOT_R: setReg(a, ~reg(a)); cycles = cycAlu; break;
      case NEG_R: {
        const d = reg(a), r = 0 - d;
        setLazy(LZ_SUB, 32, 0, d, r);
        setReg(a, r);
        cycles = cycAlu;
        break;
      }
      case IMUL_RRI: setReg(a, imul(reg(b), imm)); cycles = cycMul; break;
      case IMUL_RR: setReg(a, imul(reg(a), reg(b))); cycles = cycMul; break;
      case BT_RI: {
        const v = bitOp(op, reg(a), imm);
        if (op != 0) setReg(a, v);
        cycles = cycAlu * 3;
        break;
      }
      case IMUL_RMI: case IMUL_RM: {
        const q = xlate(segOf(s), ea(s), 4, READ);
        if (q < 0) break;
        const m = load<i32>(RAM + q);
        setReg(a, k == IMUL_RMI ? imul(m, imm) : imul(reg(a), m));
        cycles = cycMul;
        break;
      }
      case BT_MI: {
        const q = xlate(segOf(s), ea(s), 4, op != 0 ? MODIFY : READ);
        if (q < 0) break;
        const v = bitOp(op, load<i32>(RAM + q), imm);
        if (op != 0) store<i32>(RAM + q, v);
        cycles = cycAlu * 3;
        break;
      }
      case ALU_RM: {
        const q = xlate(segOf(s), ea(s), 4, READ);
        if (q < 0) break;
        const v = alu(op, 32, reg(a), load<i32>(RAM + q));
        if (op != 7) setReg(a, v);
        cycles = cycAluMem;
        break;
      }
      case ALU_MR: case ALU_MI: {
        const q = xlate(segOf(s), ea(s), 4, op != 7 ? MODIFY : READ);
        if (q < 0) break;
        const v = alu(op, 32, load<i32>(RAM + q), k == ALU_MR ? reg(a) : imm);
        if (op != 7) store<i32>(RAM + q, v);
        cycles = cycAluMem;
        break;
      }
      case TEST_MR: {
        const q = xlate(segOf(s), ea(s), 4, READ);
        if (q < 0) break;
        alu(4, 32, load<i32>(RAM + q), reg(a));
        cycles = cycAlu;
        break;
      }
      case LOAD: case MOVZX8_M: case MOVZX16_M: case MOVSX8_M: case MOVSX16_M: case LOAD8: case LOAD16: {
        const size = k == LOAD ? 4 : k == MOVZX16_M || k == MOVSX16_M || k == LOAD16 ? 2 : 1;
        const q = xlate(segOf(s), ea(s), size, READ);
        if (q < 0) break;
        switch (k) {
          case LOAD: setReg(a, load<i32>(RAM + q)); cycles = cycMov; break;
          case LOAD8: setReg8(a, load<u8>(RAM + q)); cycles = cycMov; break;
          case LOAD16: store<u16>(REGS + (a << 2), load<u16>(RAM + q)); cycles = cycMov; break;
          case MOVZX8_M: setReg(a, <i32>load<u8>(RAM + q)); cycles = cycMov * 3; break;
          case MOVZX16_M: setReg(a, <i32>load<u16>(RAM + q)); cycles = cycMov * 3; break;
          case MOVSX8_M: setReg(a, <i32>load<i8>(RAM + q)); cycles = cycMov * 3; break;
          default: setReg(a, <i32>load<i16>(RAM + q)); cycles = cycMov * 3; break;
        }
        break;
      }
      case STORE: case STORE_I: {
        const q = xlate(segOf(s), ea(s), 4, WRITE);
        if (q < 0) break;
        store<i32>(RAM + q, k == STORE ? reg(a) : imm);
        cycles = cycMov;
        break;
      }
      case STORE8: case STORE8_I: {
        const q = xlate(segOf(s), ea(s), 1, WRITE);
        if (q < 0) break;
        store<u8>(RAM + q, k == STORE8 ? reg8(a) : imm);
        cycles = cycMov;
        break;
      }
      case STORE16: case STORE16_I: {
        const q = xlate(segOf(s), ea(s), 2, WRITE);
        if (q < 0) break;
        store<u16>(RAM + q, k == STORE16 ? <i32>load<u16>(REGS + (a << 2)) : imm);
        cycles = cycMov;
        break;
      }
      case ALU8_MI: case ALU8_MR: {
        const q = xlate(segOf(s), ea(s), 1, op != 7 ? MODIFY : READ);
        if (q < 0) break;
        const v = alu(op, 8, load<u8>(RAM + q), k == ALU8_MR ? reg8(a) : imm);
        if (op != 7) store<u8>(RAM + q, v);
        cycles = cycAluMem;
        break;
      }
      case ALU8_RM: {
        const q = xlate(segOf(s), ea(s), 1, READ);
        if (q < 0) break;
        const v = alu(op, 8, reg8(a), load<u8>(RAM + q));
        if (op != 7) setReg8(a, v);
        cycles = cycAluMem;
        break;
      }
      case TEST8_MI: {
        const q = xlate(segOf(s), ea(s), 1, READ);
        if (q < 0) break;
        alu(4, 8, load<u8>(RAM + q), imm);
        cycles = cycAlu;
        break;
      }
      case INC_M: case DEC_M: {
        const q = xlate(segOf(s), ea(s), 4, MODIFY);
        if (q < 0) break;
        store<i32>(RAM + q, incDec(load<i32>(RAM + q), k == INC_M ? 1 : -1));
        cycles = cycAlu;
        break;
      }
      case PUSH: case PUSH_I: case PUSH_M: {
        if (ss32 == 0) break;
        let v = k == PUSH ? reg(a) : imm;
        if (k == PUSH_M) {
          const q = xlate(segOf(s), ea(s), 4, READ);
          if (q < 0) break;
          v = load<i32>(RAM + q);
        }
        const sp = reg(4) - 4;
        const q = xlate(SS, sp, 4, WRITE);
        if (q < 0) break;
        store<i32>(RAM + q, v);
        setReg(4, sp);
        cycles = cycStack;
        break;
      }
      case POP: {
        if (ss32 == 0) break;
        const sp = reg(4);
        const q = xlate(SS, sp, 4, READ);
        if (q < 0) break;
        const v = load<i32>(RAM + q);
        setReg(4, sp + 4);
        setReg(a, v);
        cycles = cycStack;
        break;
      }
      case LEAVE: {
        if (ss32 == 0) break;
        const bp = reg(5);
        const q = xlate(SS, bp, 4, READ);
        if (q < 0) break;
        const v = load<i32>(RAM + q);
        setReg(4, bp + 4);
        setReg(5, v);
        cycles = cycStack * 5;
        break;
      }
      case CALL: case CALL_R: case CALL_M: {
        if (ss32 == 0) break;
        let target = k == CALL ? np - delta + imm : reg(a);
        if (k == CALL_M) {
          const q = xlate(segOf(s), ea(s), 4, READ);
          if (q < 0) break;
          target = load<i32>(RAM + q);
        }
        if (<u32>target > <u32>csLimit) break;
        const sp = reg(4) - 4;
        const q = xlate(SS, sp, 4, WRITE);
        if (q < 0) break;
        store<i32>(RAM + q, np - delta);
        setReg(4, sp);
        np = target + delta;
        cycles = cycCall;
        break;
      }
      case RET: {
        if (ss32 == 0) break;
        const sp = reg(4);
        const q = xlate(SS, sp, 4, READ);
        if (q < 0) break;
        const target = load<i32>(RAM + q);
        if (<u32>target > <u32>csLimit) break;
        setReg(4, sp + 4);
        np = target + delta;
        cycles = cycCall;
        break;
      }
      case JMP_R: case JMP_M: {
        let target = reg(a);
        if (k == JMP_M) {
          const q = xlate(segOf(s), ea(s), 4, READ);
          if (q < 0) break;
          target = load<i32>(RAM + q);
        }
        if (<u32>target > <u32>csLimit) break;
        np = target + delta;
        cycles = cycBranch;
        break;
      }
      case STR: {
        // stringOp's element loop (32-bit addressing, DS source, ES destination): element by
        // element while each access is plain RAM through a flat segment; at one that is not,
        // the loop stops there with the elements done so far (stringDone), and the host's
        // stringOp does the rest of this step, counting them.
        const size = a, bits = a << 3, sop = op, scan = sop == S_CMPS || sop == S_SCAS, down = (flags & DF) != 0;
        const step = down ? -size : size;
        let count = b != 0 ? reg(1) : 1, done = 0, stop = false;
        // REP MOVS and REP STOS first go by page runs, as repFast does; REPE/REPNE CMPS and
        // SCAS too, as repScan does.
        scanStopped = false;
        if (b != 0 && sop != S_LODS) {
          while (count != 0 && done < REP_CHUNK && !scanStopped) {
            const k = scan ? repScanRun(sop == S_CMPS, size, down, count, REP_CHUNK - done, b == 1) : repRun(sop == S_MOVS, size, down, count, REP_CHUNK - done);
            if (k == 0) break;
            count -= k;
            done += k;
          }
        }
        if (scanStopped) count = 0; // the condition ended the instruction
        else if (count != 0 && done >= REP_CHUNK) np = p; // this step is over; the next restarts it
        else while (count != 0) {
          const si = reg(6), di = reg(7);
          if (sop == S_MOVS) {
            const qs = xlate(DS, si, size, READ);
            const qd = qs < 0 ? -1 : xlate(ES, di, size, WRITE);
            if (qd < 0) { stop = true; break; }
            if (size == 1) store<u8>(RAM + qd, load<u8>(RAM + qs)); else store<i32>(RAM + qd, load<i32>(RAM + qs));
          } else if (sop == S_STOS) {
            const qd = xlate(ES, di, size, WRITE);
            if (qd < 0) { stop = true; break; }
            if (size == 1) store<u8>(RAM + qd, reg8(0)); else store<i32>(RAM + qd, reg(0));
          } else if (sop == S_LODS) {
            const qs = xlate(DS, si, size, READ);
            if (qs < 0) { stop = true; break; }
            if (size == 1) setReg8(0, load<u8>(RAM + qs)); else setReg(0, load<i32>(RAM + qs));
          } else if (sop == S_CMPS) {
            const qs = xlate(DS, si, size, READ);
            const qd = qs < 0 ? -1 : xlate(ES, di, size, READ);
            if (qd < 0) { stop = true; break; }
            alu(7, bits, size == 1 ? <i32>load<u8>(RAM + qs) : load<i32>(RAM + qs), size == 1 ? <i32>load<u8>(RAM + qd) : load<i32>(RAM + qd));
          } else { // SCAS
            const qd = xlate(ES, di, size, READ);
            if (qd < 0) { stop = true; break; }
            alu(7, bits, size == 1 ? reg8(0) : reg(0), size == 1 ? <i32>load<u8>(RAM + qd) : load<i32>(RAM + qd));
          }
          if (sop == S_MOVS || sop == S_CMPS || sop == S_LODS) setReg(6, si + step);
          if (sop != S_LODS) setReg(7, di + step);
          done++;
          if (b == 0) break;
          count--;
          setReg(1, count);
          if (scan && count != 0 && getZF() == (b == 1 ? false : true)) break;
          if (count != 0 && done >= REP_CHUNK) { np = p; break; } // the next step restarts it
        }
        if (stop) { stringDone = done; break; }
        cycles = cycString * done;
        break;
      }
      case CLI: // opfa in 32-bit protected mode: #GP (the host's) when CPL > IOPL
        if (cpl > ((flags & IOPL) >>> 12)) break;
        flags &= ~IF;
        cycles = cycAlu;
        break;
      case PUSHF: { // op9c, 32-bit: EFLAGS with VM and RF pushed as 0
        if (ss32 == 0) break;
        const sp = reg(4) - 4;
        const q = xlate(SS, sp, 4, WRITE);
        if (q < 0) break;
        materialize();
        store<i32>(RAM + q, flags & ~0x30000);
        setReg(4, sp);
        cycles = cycStack;
        break;
      }
      case BT_RR: { // bitMem with a register operand: the offset mod 32
        const v = bitOp(op, reg(b), reg(a) & 31);
        if (op != 0) setReg(b, v);
        cycles = cycAlu * 3;
        break;
      }
      case BT_MR: { // bitMem: the signed offset selects the dword (EA + 4 * floor(offset / 32)) and the bit
        const off = reg(a);
        const q = xlate(segOf(s), ea(s) + ((off >> 5) << 2), 4, op != 0 ? MODIFY : READ);
        if (q < 0) break;
        const v = bitOp(op, load<i32>(RAM + q), off & 31);
        if (op != 0) store<i32>(RAM + q, v);
        cycles = cycAluMem * 3;
        break;
      }
      case CMPXCHG_R: case CMPXCHG_M: { // op0fb1: the destination is written either way
        let q = 0;
        if (k == CMPXCHG_M) {
          q = xlate(segOf(s), ea(s), 4, MODIFY);
          if (q < 0) break;
        }
        const d = k == CMPXCHG_M ? load<i32>(RAM + q) : reg(b), acc = reg(0);
        alu(7, 32, acc, d);
        const v = acc == d ? reg(a) : d;
        if (k == CMPXCHG_M) store<i32>(RAM + q, v); else setReg(b, v);
        if (acc != d) setReg(0, d);
        cycles = cycAluMem * 3;
        break;
      }
      case XADD_R: case XADD_M: { // op0fc1: register form writes the source register first
        let q = 0;
        if (k == XADD_M) {
          q = xlate(segOf(s), ea(s), 4, MODIFY);
          if (q < 0) break;
        }
        const d = k == XADD_M ? load<i32>(RAM + q) : reg(b), src = reg(a);
        const sum = alu(0, 32, d, src);
        if (k == XADD_M) { store<i32>(RAM + q, sum); setReg(a, d); }
        else { setReg(a, d); setReg(b, sum); }
        cycles = cycAluMem * 2;
        break;
      }
      default: break; // NONE and anything else: the host's
    }
    if (cycles < 0) { status = STOP_HOST; break; }
    n++; spent += cycles; p = np;
    // The event or the budget first: the host takes the next instruction only after a stop
    // short of both (a window the loop cannot open is one), so none may run past them.
    if (spent >= room || n >= left) break;
    if (p < pLo || p >= pHi) {
      // Sequentially past the window's end, or a transfer out of it: the next page's window.
      const eip = p - delta;
      if (!openWindow(eip)) { status = STOP_WINDOW; break; }
      p = eip + delta; // the same EIP at its address in the new window
    }
  }
  setCtl(C_P, p); setCtl(C_DELTA, delta); setCtl(C_PLO, pLo); setCtl(C_PHI, pHi); setCtl(C_MOVED, moved);
  setCtl(C_SPENT, spent); setCtl(C_N, n); setCtl(C_QUEUED, queued); setCtl(C_DECODED, decodedCount); setCtl(C_STRING_DONE, stringDone);
  setCtl(C_FLAGS, flags); setCtl(C_LAZY_MASK, lazyMask); setCtl(C_LAZY_KIND, lazyKind); setCtl(C_LAZY_BITS, lazyBits);
  setCtl(C_LAZY_DST, lazyDst); setCtl(C_LAZY_SRC, lazySrc); setCtl(C_LAZY_RES, lazyRes);
  return status;
}
