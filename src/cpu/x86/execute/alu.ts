/** Integer arithmetic and logic: ADD..CMP, INC/DEC/NEG/NOT, MUL/IMUL/DIV/IDIV with exact flags. */

import type { Cpu } from '../cpu.js';
import { CF, OF, AF } from '../state.js';
import { setLazy, setLazyZSP, getCF, materialize, LZ_ADD, LZ_SUB, LZ_SBB, LZ_LOGIC } from '../lazy-flags.js';
import { DE } from '../exceptions.js';

/** Mask for an operand size in bits (8, 16, 32); 32 gives -1 (all ones as int32). */
export function sizeMask(bits: number): number {
  return bits === 32 ? -1 : (1 << bits) - 1;
}

/**
 * The eight classic ALU operations (ModRM.reg / opcode bits 5:3): 0 ADD, 1 OR, 2 ADC, 3 SBB,
 * 4 AND, 5 SUB, 6 XOR, 7 CMP. Operands are masked to `bits`; returns the masked result (for CMP
 * the difference, which the caller does not store).
 */
export function alu(c: Cpu, op: number, bits: number, d: number, s: number): number {
  const m = bits === 32 ? -1 : (1 << bits) - 1;
  d &= m; s &= m;
  let r: number;
  switch (op) {
    case 0: r = (d + s) & m; setLazy(c, LZ_ADD, bits, d, s, r); return r;
    case 1: r = d | s; setLazy(c, LZ_LOGIC, bits, d, s, r); return r;
    case 2: r = (d + s + getCF(c)) & m; setLazy(c, LZ_ADD, bits, d, s, r); return r;
    case 3: r = (d - s - getCF(c)) & m; setLazy(c, LZ_SBB, bits, d, s, r); return r;
    case 4: r = d & s; setLazy(c, LZ_LOGIC, bits, d, s, r); return r;
    case 6: r = d ^ s; setLazy(c, LZ_LOGIC, bits, d, s, r); return r;
    default: r = (d - s) & m; setLazy(c, LZ_SUB, bits, d, s, r); return r;
  }
}

/** INC: like ADD 1 but CF is preserved. */
export function inc(c: Cpu, bits: number, d: number): number {
  const cf = getCF(c);
  const m = bits === 32 ? -1 : (1 << bits) - 1;
  d &= m;
  const r = (d + 1) & m;
  // Only CF is taken from c.flags afterwards (the lazy mask covers the other five).
  c.flags = (c.flags & ~CF) | cf;
  setLazy(c, LZ_ADD, bits, d, 1, r);
  c.lazyMask = OF | AF | 0xc4;
  return r;
}

/** DEC: like SUB 1 but CF is preserved. */
export function dec(c: Cpu, bits: number, d: number): number {
  const cf = getCF(c);
  const m = bits === 32 ? -1 : (1 << bits) - 1;
  d &= m;
  const r = (d - 1) & m;
  // Only CF is taken from c.flags afterwards (the lazy mask covers the other five).
  c.flags = (c.flags & ~CF) | cf;
  setLazy(c, LZ_SUB, bits, d, 1, r);
  c.lazyMask = OF | AF | 0xc4;
  return r;
}

/** NEG: 0 - d (CF set unless d is 0). */
export function neg(c: Cpu, bits: number, d: number): number {
  const m = sizeMask(bits);
  d &= m;
  const r = (0 - d) & m;
  setLazy(c, LZ_SUB, bits, 0, d, r);
  return r;
}

/** Unsigned 32×32 → 64 multiply; low half in c.mulLo, high half in c.mulHi (both uint32). */
export function mulU32(c: Cpu, a: number, b: number): void {
  a >>>= 0; b >>>= 0;
  const al = a & 0xffff, ah = a >>> 16, bl = b & 0xffff, bh = b >>> 16;
  const ll = al * bl, m1 = ah * bl, m2 = al * bh, hh = ah * bh;
  const t = (ll >>> 16) + (m1 & 0xffff) + (m2 & 0xffff);
  mulLo = (((t & 0xffff) << 16) | (ll & 0xffff)) >>> 0;
  mulHi = (hh + Math.floor(m1 / 65536) + Math.floor(m2 / 65536) + Math.floor(t / 65536)) >>> 0;
  void c;
}
let mulLo = 0, mulHi = 0;

/** Flags after MUL/IMUL: CF = OF = overflow; SF/ZF/PF from the low result, AF 0 (486 behaviour). */
function mulFlags(c: Cpu, bits: number, low: number, overflow: boolean): void {
  setLazyZSP(c, bits, low & sizeMask(bits), overflow ? CF | OF : 0);
}

/** MUL (F6/F7 /4): unsigned AL/AX/EAX × operand. */
export function mul(c: Cpu, bits: number, s: number): void {
  const r = c.r32;
  if (bits === 8) {
    const v = c.r8[0] * (s & 0xff);
    c.r16[0] = v;
    mulFlags(c, 8, v, (v & 0xff00) !== 0);
  } else if (bits === 16) {
    const v = c.r16[0] * (s & 0xffff);
    c.r16[0] = v; c.r16[4] = v >>> 16;
    mulFlags(c, 16, v, (v >>> 16) !== 0);
  } else {
    mulU32(c, r[0], s);
    r[0] = mulLo; r[2] = mulHi;
    mulFlags(c, 32, mulLo, mulHi !== 0);
  }
}

/** Signed 32×32 → 64: low and high (uint32) in mulLo/mulHi. */
function imul32(c: Cpu, a: number, b: number): void {
  mulU32(c, a, b);
  let hi = mulHi;
  if (a < 0 || (a | 0) < 0) hi -= b >>> 0;
  if ((b | 0) < 0) hi -= a >>> 0;
  mulHi = hi >>> 0;
}

/** IMUL one-operand form (F6/F7 /5). */
export function imul1(c: Cpu, bits: number, s: number): void {
  const r = c.r32;
  if (bits === 8) {
    const v = ((c.r8[0] << 24) >> 24) * ((s << 24) >> 24);
    c.r16[0] = v;
    mulFlags(c, 8, v, v !== ((v << 24) >> 24));
  } else if (bits === 16) {
    const v = ((c.r16[0] << 16) >> 16) * ((s << 16) >> 16);
    c.r16[0] = v; c.r16[4] = v >> 16;
    mulFlags(c, 16, v, v !== ((v << 16) >> 16));
  } else {
    imul32(c, r[0] | 0, s | 0);
    r[0] = mulLo; r[2] = mulHi;
    mulFlags(c, 32, mulLo, (mulHi | 0) !== ((mulLo | 0) >> 31));
  }
}

/** IMUL two/three-operand forms: returns the truncated product, sets CF/OF on overflow. */
export function imul2(c: Cpu, bits: number, a: number, b: number): number {
  if (bits === 16) {
    const v = ((a << 16) >> 16) * ((b << 16) >> 16);
    mulFlags(c, 16, v, v !== ((v << 16) >> 16));
    return v & 0xffff;
  }
  imul32(c, a | 0, b | 0);
  mulFlags(c, 32, mulLo, (mulHi | 0) !== ((mulLo | 0) >> 31));
  return mulLo | 0;
}

/** DIV (F6/F7 /6): #DE on zero divisor or quotient overflow; flags unchanged. */
export function div(c: Cpu, bits: number, s: number): void {
  if (bits === 8) {
    s &= 0xff;
    if (s === 0) throw c.fault(DE, -1);
    const n = c.r16[0];
    const q = Math.floor(n / s);
    if (q > 0xff) throw c.fault(DE, -1);
    c.r8[0] = q; c.r8[1] = n % s;
  } else if (bits === 16) {
    s &= 0xffff;
    if (s === 0) throw c.fault(DE, -1);
    const n = (c.r16[4] * 65536) + c.r16[0];
    const q = Math.floor(n / s);
    if (q > 0xffff) throw c.fault(DE, -1);
    c.r16[0] = q; c.r16[4] = n % s;
  } else {
    const d = s >>> 0;
    if (d === 0) throw c.fault(DE, -1);
    const hi = c.r32[2] >>> 0, lo = c.r32[0] >>> 0;
    if (hi >= d) throw c.fault(DE, -1);
    divU64(hi, lo, d);
    c.r32[0] = divQ; c.r32[2] = divR;
  }
}
let divQ = 0, divR = 0;

/** (hi:lo) / d with hi < d: exact restoring division, 32 steps of at most 33-bit numbers. */
function divU64(hi: number, lo: number, d: number): void {
  if (hi === 0) {
    divQ = Math.floor(lo / d) >>> 0;
    divR = lo % d;
    return;
  }
  let r = hi, q = 0;
  for (let i = 31; i >= 0; i--) {
    r = r * 2 + ((lo >>> i) & 1);
    q *= 2;
    if (r >= d) { r -= d; q += 1; }
  }
  divQ = q >>> 0;
  divR = r >>> 0;
}

/** IDIV (F6/F7 /7): signed, quotient truncated toward zero; #DE on zero or overflow. */
export function idiv(c: Cpu, bits: number, s: number): void {
  if (bits === 8) {
    const d = (s << 24) >> 24;
    if (d === 0) throw c.fault(DE, -1);
    const n = (c.r16[0] << 16) >> 16;
    const q = Math.trunc(n / d);
    if (q > 127 || q < -128) throw c.fault(DE, -1);
    c.r8[0] = q; c.r8[1] = n - q * d;
  } else if (bits === 16) {
    const d = (s << 16) >> 16;
    if (d === 0) throw c.fault(DE, -1);
    const n = (c.r16[4] << 16) | c.r16[0];
    const q = Math.trunc(n / d);
    if (q > 32767 || q < -32768) throw c.fault(DE, -1);
    c.r16[0] = q; c.r16[4] = n - q * d;
  } else {
    const d = s | 0;
    if (d === 0) throw c.fault(DE, -1);
    let hi = c.r32[2] | 0, lo = c.r32[0] >>> 0;
    const negN = hi < 0;
    if (negN) { // two's complement negate the 64-bit dividend
      lo = (~lo + 1) >>> 0;
      hi = (~hi + (lo === 0 ? 1 : 0)) >>> 0;
    } else hi >>>= 0;
    const ad = Math.abs(d);
    if (hi >= ad) throw c.fault(DE, -1);
    divU64(hi, lo, ad);
    const negQ = negN !== d < 0;
    let q = divQ, r = divR;
    if (negQ ? q > 0x80000000 : q > 0x7fffffff) throw c.fault(DE, -1);
    if (negQ) q = -q;
    if (negN) r = -r;
    c.r32[0] = q; c.r32[2] = r;
  }
}

/** Make CF/OF/AF concrete and return them (for instructions that keep some flags). */
export function keepFlags(c: Cpu): number {
  materialize(c);
  return c.flags & (CF | OF | AF);
}
