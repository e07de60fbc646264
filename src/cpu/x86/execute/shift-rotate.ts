/** Shifts and rotates (group 2) and SHLD/SHRD, including counts of 0 and counts at least the operand size. */

import type { Cpu } from '../cpu.js';
import { CF, OF, AF } from '../state.js';
import { setLazyZSP, getCF, materialize } from '../lazy-flags.js';

/**
 * Group-2 operation `op` (0 ROL, 1 ROR, 2 RCL, 3 RCR, 4 SHL, 5 SHR, 6 SAL=SHL, 7 SAR) on a
 * `bits`-wide value. The count is masked to 5 bits (486); a masked count of 0 changes nothing
 * (flags included). OF is computed for every count with the count-1 formula and AF is cleared
 * (both undefined for counts > 1 in the SDM; documented model behaviour 'intel486').
 */
export function shift(c: Cpu, op: number, bits: number, d: number, count: number): number {
  count &= 31;
  const m = bits === 32 ? -1 : (1 << bits) - 1;
  d &= m;
  if (count === 0) return d;
  const msb = bits - 1;
  let r: number, cf: number, of: number;
  switch (op) {
    case 0: { // ROL
      const n = count % bits;
      r = n === 0 ? d : ((d << n) | (d >>> (bits - n))) & m;
      cf = r & 1;
      of = ((r >>> msb) & 1) ^ cf;
      rotFlags(c, cf, of);
      return r;
    }
    case 1: { // ROR
      const n = count % bits;
      r = n === 0 ? d : ((d >>> n) | (d << (bits - n))) & m;
      cf = (r >>> msb) & 1;
      of = cf ^ ((r >>> (msb - 1)) & 1);
      rotFlags(c, cf, of);
      return r;
    }
    case 2: { // RCL: rotate through CF, a (bits+1)-bit rotation
      const n = bits === 32 ? count : count % (bits + 1);
      let v = d >>> 0, carry = getCF(c);
      for (let i = 0; i < n; i++) {
        const out = (v >>> msb) & 1;
        v = ((v << 1) | carry) & m;
        carry = out;
      }
      r = v & m;
      of = ((r >>> msb) & 1) ^ carry;
      rotFlags(c, carry, of);
      return r;
    }
    case 3: { // RCR
      const n = bits === 32 ? count : count % (bits + 1);
      let v = d >>> 0, carry = getCF(c);
      const of0 = ((v >>> msb) & 1) ^ carry;
      for (let i = 0; i < n; i++) {
        const out = v & 1;
        v = ((v >>> 1) | (carry << msb)) & m;
        carry = out;
      }
      r = v & m;
      of = n === 1 ? of0 : ((r >>> msb) ^ (r >>> (msb - 1))) & 1;
      rotFlags(c, carry, of);
      return r;
    }
    case 4: case 6: { // SHL
      if (count < bits) {
        r = (d << count) & m;
        cf = (d >>> (bits - count)) & 1;
      } else {
        r = 0;
        cf = count === bits ? d & 1 : 0;
      }
      of = ((r >>> msb) & 1) ^ cf;
      setLazyZSP(c, bits, r, (cf ? CF : 0) | (of ? OF : 0));
      return r;
    }
    case 5: { // SHR
      if (count < bits) {
        r = d >>> count;
        cf = (d >>> (count - 1)) & 1;
      } else {
        r = 0;
        cf = count === bits ? (d >>> msb) & 1 : 0;
      }
      of = count === 1 ? (d >>> msb) & 1 : (r >>> msb) & 1;
      setLazyZSP(c, bits, r & m, (cf ? CF : 0) | (of ? OF : 0));
      return r & m;
    }
    default: { // SAR
      const sd = (d << (32 - bits)) >> (32 - bits);
      r = (sd >> (count > 31 ? 31 : count)) & m;
      cf = (sd >> (count - 1 > 31 ? 31 : count - 1)) & 1;
      setLazyZSP(c, bits, r, cf ? CF : 0);
      return r;
    }
  }
}

/** Rotates change only CF and OF. */
function rotFlags(c: Cpu, cf: number, of: number): void {
  materialize(c);
  c.flags = (c.flags & ~(CF | OF)) | (cf ? CF : 0) | (of ? OF : 0);
}

/**
 * SHLD/SHRD (0F A4/A5/AC/AD): shift d by count (mod 32), filling from s. For 16-bit operands
 * with count > 16 the result is undefined in the SDM; we shift the 48-bit concatenation
 * (s:d:s for SHLD), as Intel486 silicon does per the Bochs notes (documented estimate).
 */
export function shiftDouble(c: Cpu, left: boolean, bits: number, d: number, s: number, count: number): number {
  count &= 31;
  const m = bits === 32 ? -1 : 0xffff;
  d &= m; s &= m;
  if (count === 0) return d;
  let r: number, cf: number;
  if (bits === 32) {
    if (left) {
      r = (d << count) | (s >>> (32 - count));
      cf = (d >>> (32 - count)) & 1;
    } else {
      r = (d >>> count) | (s << (32 - count));
      cf = (d >>> (count - 1)) & 1;
    }
  } else {
    // 48-bit working value using doubles (exact).
    if (left) {
      const big = d * 2 ** 32 + s * 2 ** 16 + s; // d:s:s
      const shifted = big * 2 ** count;
      r = Math.floor(shifted / 2 ** 32) % 65536;
      cf = Math.floor(shifted / 2 ** 48) & 1;
    } else {
      const big = s * 2 ** 32 + s * 2 ** 16 + d; // s:s:d
      r = Math.floor(big / 2 ** count) % 65536;
      cf = Math.floor(big / 2 ** (count - 1)) & 1;
    }
  }
  r &= m;
  const msb = bits - 1;
  const of = ((r ^ d) >>> msb) & 1;
  setLazyZSP(c, bits, r, (cf ? CF : 0) | (of ? OF : 0));
  void AF;
  return r;
}
