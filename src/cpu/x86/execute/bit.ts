/** Bit instructions: BT/BTS/BTR/BTC (register and memory bit offsets), BSF/BSR. */

import type { Cpu } from '../cpu.js';
import { CF, ZF } from '../state.js';
import { materialize } from '../lazy-flags.js';

/** Set CF to the tested bit; other flags keep their values (486: OF/SF/AF/PF undefined, kept). */
export function setBitCf(c: Cpu, bit: number): void {
  materialize(c);
  c.flags = (c.flags & ~CF) | (bit & 1);
}

/** Apply op (0 BT, 1 BTS, 2 BTR, 3 BTC) to bit `n` of v; sets CF and returns the new value. */
export function bitOp(c: Cpu, op: number, v: number, n: number): number {
  const mask = 1 << n;
  setBitCf(c, (v >>> n) & 1);
  switch (op) {
    case 1: return v | mask;
    case 2: return v & ~mask;
    case 3: return v ^ mask;
    default: return v;
  }
}

/** BSF/BSR: ZF=1 and destination unchanged for a zero source; returns -1 then. */
export function bitScan(c: Cpu, reverse: boolean, v: number, bits: number): number {
  materialize(c);
  v = bits === 16 ? v & 0xffff : v >>> 0;
  if (v === 0) {
    c.flags |= ZF;
    return -1;
  }
  c.flags &= ~ZF;
  return reverse ? 31 - Math.clz32(v) : 31 - Math.clz32(v & -v);
}
