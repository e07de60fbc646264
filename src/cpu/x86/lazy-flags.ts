/** Lazy EFLAGS: arithmetic status flags computed on demand from the last result and operands. */

import { AF, CF, OF, PF, SF, ZF, ARITH_FLAGS, type CpuState } from './state.js';

/** Kinds of lazy record. Operands and result are stored masked to lazyBits. */
export const LZ_ADD = 0; // result = dst + src (+ carry in): ADD, ADC, INC
export const LZ_SUB = 1; // result = dst - src (- borrow in): SUB, SBB, CMP, NEG, DEC, SCAS, CMPS
export const LZ_LOGIC = 2; // CF = OF = AF = 0: AND, OR, XOR, TEST and results whose CF/OF/AF are stored eagerly
export const LZ_SBB = 3; // like LZ_SUB but with a borrow in, so the compare shortcut of testCondition does not apply

/** Parity flag table: PF set when the low byte has an even number of ones. */
export const PARITY = new Uint8Array(256);
for (let i = 0; i < 256; i++) {
  let n = 0;
  for (let b = i; b; b >>= 1) n += b & 1;
  PARITY[i] = n & 1 ? 0 : PF;
}

/** Record an arithmetic result; all six status flags become lazy. */
export function setLazy(c: CpuState, kind: number, bits: number, dst: number, src: number, res: number): void {
  c.lazyKind = kind;
  c.lazyBits = bits;
  c.lazyDst = dst;
  c.lazySrc = src;
  c.lazyRes = res;
  c.lazyMask = ARITH_FLAGS;
}

/** Record a result whose ZF/SF/PF are lazy and whose CF/OF/AF are written eagerly into flags. */
export function setLazyZSP(c: CpuState, bits: number, res: number, eagerFlags: number): void {
  c.lazyKind = LZ_LOGIC;
  c.lazyBits = bits;
  c.lazyRes = res;
  c.lazyMask = ZF | SF | PF;
  c.flags = (c.flags & ~(CF | OF | AF)) | eagerFlags;
}

export function getCF(c: CpuState): number {
  if ((c.lazyMask & CF) === 0) return c.flags & CF;
  const d = c.lazyDst, s = c.lazySrc, r = c.lazyRes, sh = c.lazyBits - 1;
  switch (c.lazyKind) {
    case LZ_ADD: return (((d & s) | ((d | s) & ~r)) >>> sh) & 1;
    case LZ_SUB: case LZ_SBB: return (((~d & s) | ((~d | s) & r)) >>> sh) & 1;
    default: return 0;
  }
}

export function getZF(c: CpuState): boolean {
  return (c.lazyMask & ZF) !== 0 ? c.lazyRes === 0 : (c.flags & ZF) !== 0;
}

export function getSF(c: CpuState): boolean {
  return (c.lazyMask & SF) !== 0 ? ((c.lazyRes >>> (c.lazyBits - 1)) & 1) !== 0 : (c.flags & SF) !== 0;
}

export function getOF(c: CpuState): boolean {
  if ((c.lazyMask & OF) === 0) return (c.flags & OF) !== 0;
  const d = c.lazyDst, s = c.lazySrc, r = c.lazyRes, sh = c.lazyBits - 1;
  switch (c.lazyKind) {
    case LZ_ADD: return (((d ^ r) & (s ^ r)) >>> sh & 1) !== 0;
    case LZ_SUB: case LZ_SBB: return (((d ^ s) & (d ^ r)) >>> sh & 1) !== 0;
    default: return false;
  }
}

export function getPF(c: CpuState): boolean {
  return (c.lazyMask & PF) !== 0 ? PARITY[c.lazyRes & 0xff] !== 0 : (c.flags & PF) !== 0;
}

export function getAF(c: CpuState): boolean {
  if ((c.lazyMask & AF) === 0) return (c.flags & AF) !== 0;
  if (c.lazyKind === LZ_LOGIC) return false;
  return ((c.lazyDst ^ c.lazySrc ^ c.lazyRes) & 0x10) !== 0;
}

/** Fold the lazy record into c.flags (all flags become concrete). */
export function materialize(c: CpuState): void {
  const m = c.lazyMask;
  if (m === 0) return;
  let f = c.flags & ~m;
  if (m & CF) f |= getCF(c);
  if (m & PF && getPF(c)) f |= PF;
  if (m & AF && getAF(c)) f |= AF;
  if (m & ZF && getZF(c)) f |= ZF;
  if (m & SF && getSF(c)) f |= SF;
  if (m & OF && getOF(c)) f |= OF;
  c.flags = f;
  c.lazyMask = 0;
}

/** Evaluate condition code cc (0-15, the low nibble of Jcc/SETcc) against the current flags. */
export function testCondition(c: CpuState, cc: number): boolean {
  if (c.lazyKind === LZ_SUB && c.lazyMask === ARITH_FLAGS) {
    // After CMP/SUB/NEG the conditions are plain comparisons of the operands.
    const bits = c.lazyBits;
    const d = c.lazyDst, s = c.lazySrc;
    switch (cc) {
      case 2: return (d >>> 0) < (s >>> 0);
      case 3: return (d >>> 0) >= (s >>> 0);
      case 4: return c.lazyRes === 0;
      case 5: return c.lazyRes !== 0;
      case 6: return (d >>> 0) <= (s >>> 0);
      case 7: return (d >>> 0) > (s >>> 0);
      case 12: case 13: case 14: case 15: {
        const sd = bits === 32 ? d | 0 : (d << (32 - bits)) >> (32 - bits);
        const ss = bits === 32 ? s | 0 : (s << (32 - bits)) >> (32 - bits);
        switch (cc) {
          case 12: return sd < ss;
          case 13: return sd >= ss;
          case 14: return sd <= ss;
          default: return sd > ss;
        }
      }
      default: break;
    }
  }
  let r: boolean;
  switch (cc >> 1) {
    case 0: r = getOF(c); break;
    case 1: r = getCF(c) !== 0; break;
    case 2: r = getZF(c); break;
    case 3: r = getCF(c) !== 0 || getZF(c); break;
    case 4: r = getSF(c); break;
    case 5: r = getPF(c); break;
    case 6: r = getSF(c) !== getOF(c); break;
    default: r = getZF(c) || getSF(c) !== getOF(c); break;
  }
  return (cc & 1) === 0 ? r : !r;
}
