/** Decimal adjust instructions: DAA, DAS, AAA, AAS, AAM, AAD (SDM vol. 2, i486 behaviour). */

import type { Cpu } from '../cpu.js';
import { CF, AF } from '../state.js';
import { getCF, getAF, setLazyZSP } from '../lazy-flags.js';
import { DE } from '../exceptions.js';

export function daa(c: Cpu): void {
  const oldAl = c.r8[0], oldCf = getCF(c);
  let al = oldAl, cf = 0, af = 0;
  if ((al & 0xf) > 9 || getAF(c)) {
    cf = oldCf | (al + 6 > 0xff ? 1 : 0);
    al = (al + 6) & 0xff;
    af = 1;
  }
  if (oldAl > 0x99 || oldCf) { al = (al + 0x60) & 0xff; cf = 1; } else cf = 0;
  c.r8[0] = al;
  setLazyZSP(c, 8, al, (cf ? CF : 0) | (af ? AF : 0));
}

export function das(c: Cpu): void {
  const oldAl = c.r8[0], oldCf = getCF(c);
  let al = oldAl, cf = 0, af = 0;
  if ((al & 0xf) > 9 || getAF(c)) {
    cf = oldCf | (al < 6 ? 1 : 0);
    al = (al - 6) & 0xff;
    af = 1;
  }
  if (oldAl > 0x99 || oldCf) { al = (al - 0x60) & 0xff; cf = 1; }
  c.r8[0] = al;
  setLazyZSP(c, 8, al, (cf ? CF : 0) | (af ? AF : 0));
}

export function aaa(c: Cpu): void {
  let f = 0;
  if ((c.r8[0] & 0xf) > 9 || getAF(c)) {
    // AX + 0x106 (the carry out of AL+6 reaches AH), as QEMU and later parts do.
    const carry = c.r8[0] > 0xf9 ? 1 : 0;
    c.r8[0] = c.r8[0] + 6;
    c.r8[1] = c.r8[1] + 1 + carry;
    f = AF | CF;
  }
  c.r8[0] &= 0xf;
  setLazyZSP(c, 8, c.r8[0], f);
}

export function aas(c: Cpu): void {
  let f = 0;
  if ((c.r8[0] & 0xf) > 9 || getAF(c)) {
    const borrow = c.r8[0] < 6 ? 1 : 0;
    c.r8[0] = c.r8[0] - 6;
    c.r8[1] = c.r8[1] - 1 - borrow;
    f = AF | CF;
  }
  c.r8[0] &= 0xf;
  setLazyZSP(c, 8, c.r8[0], f);
}

export function aam(c: Cpu, base: number): void {
  if (base === 0) throw c.fault(DE, -1);
  const al = c.r8[0];
  c.r8[1] = Math.floor(al / base);
  c.r8[0] = al % base;
  setLazyZSP(c, 8, c.r8[0], 0);
}

export function aad(c: Cpu, base: number): void {
  const al = (c.r8[0] + c.r8[1] * base) & 0xff;
  c.r8[0] = al;
  c.r8[1] = 0;
  setLazyZSP(c, 8, al, 0);
}
