/** System instructions: descriptor-table registers, LDTR/TR, control and debug registers, LAR/LSL/VERR/VERW/ARPL, CPUID. */

import type { Cpu } from '../cpu.js';
import { ZF, VM, CR0_PE, CR0_PG, CR0_NW, CR0_CD, CR0_TS, CR0_ET } from '../state.js';
import { GP, NP, UD } from '../exceptions.js';
import { fetchDescriptor, descBase, descLimit, descAttr } from '../segmentation.js';
import { flushTlb } from '../paging.js';
import { materialize } from '../lazy-flags.js';

/** True when the current privilege allows a CPL-0 instruction; otherwise raises #GP(0). */
export function requireCpl0(c: Cpu): void {
  if (c.cpl !== 0 || (c.flags & VM) !== 0) throw c.fault(GP, 0);
}

/** Protected-mode-only instructions raise #UD in real and V86 mode. */
export function requireProtected(c: Cpu): void {
  if ((c.cr0 & CR0_PE) === 0 || (c.flags & VM) !== 0) throw c.fault(UD, -1);
}

/** LLDT (and the LDT load of a task switch, which reports #TS instead of #GP: `vec`). */
export function loadLdt(c: Cpu, sel: number, vec: number = GP): void {
  sel &= 0xffff;
  if ((sel & 0xfffc) === 0) {
    c.ldtSel = sel; c.ldtBase = 0; c.ldtLimit = 0; c.ldtAttr = 0;
    return;
  }
  if (sel & 4) throw c.fault(vec, sel & 0xfffc);
  if (!fetchDescriptor(c, sel)) throw c.fault(vec, sel & 0xfffc);
  const hi = c.descHi;
  if (((hi >>> 8) & 0x1f) !== 0x02) throw c.fault(vec, sel & 0xfffc);
  if ((hi & 0x8000) === 0) throw c.fault(NP, sel & 0xfffc);
  c.ldtSel = sel;
  c.ldtBase = descBase(c.descLo, hi);
  c.ldtLimit = descLimit(c.descLo, hi);
  c.ldtAttr = descAttr(hi);
}

/** LTR: load an available TSS and mark it busy. */
export function loadTr(c: Cpu, sel: number): void {
  sel &= 0xffff;
  if ((sel & 0xfffc) === 0) throw c.fault(GP, 0);
  if (sel & 4) throw c.fault(GP, sel & 0xfffc);
  if (!fetchDescriptor(c, sel)) throw c.fault(GP, sel & 0xfffc);
  const hi = c.descHi;
  const type = (hi >>> 8) & 0x1f;
  if (type !== 0x01 && type !== 0x09) throw c.fault(GP, sel & 0xfffc);
  if ((hi & 0x8000) === 0) throw c.fault(NP, sel & 0xfffc);
  c.writeSys8(c.gdtBase + (sel & 0xfff8) + 5, ((hi >>> 8) & 0xff) | 0x2);
  c.trSel = sel;
  c.trBase = descBase(c.descLo, hi);
  c.trLimit = descLimit(c.descLo, hi);
  c.trAttr = descAttr(hi) | 0x2;
}

/** MOV CRn, r32 (0F 22). */
export function writeCr(c: Cpu, n: number, v: number): void {
  v >>>= 0;
  switch (n) {
    case 0: {
      v = (v | CR0_ET) >>> 0;
      if ((v & CR0_PG) && !(v & CR0_PE)) throw c.fault(GP, 0);
      if ((v & CR0_NW) && !(v & CR0_CD)) throw c.fault(GP, 0);
      v &= 0xe005003f;
      c.cr0 = v >>> 0;
      c.modeChanged();
      return;
    }
    case 2: c.cr2 = v; return;
    case 3: c.cr3 = (v & 0xfffff018) >>> 0; flushTlb(c); return;
    case 4:
      if (!c.model.groups.cr4) throw c.fault(UD, -1);
      c.cr4 = v; flushTlb(c); return;
    default: throw c.fault(UD, -1);
  }
}

/** MOV r32, CRn (0F 20). */
export function readCr(c: Cpu, n: number): number {
  switch (n) {
    case 0: return c.cr0;
    case 2: return c.cr2;
    case 3: return c.cr3;
    case 4: if (c.model.groups.cr4) return c.cr4; throw c.fault(UD, -1);
    default: throw c.fault(UD, -1);
  }
}

/** MOV DRn, r32: all writes accepted (DR4/DR5 alias DR6/DR7 on the 486). */
export function writeDr(c: Cpu, n: number, v: number): void {
  if (n === 4) n = 6; else if (n === 5) n = 7;
  if (n === 6) v = (v | 0xffff0ff0) >>> 0;
  if (n === 7) v = ((v & ~0xdc00) | 0x400) >>> 0;
  c.dr[n] = v >>> 0;
  c.updateSlow();
}

export function readDr(c: Cpu, n: number): number {
  if (n === 4) n = 6; else if (n === 5) n = 7;
  return c.dr[n] >>> 0;
}

/** LMSW: loads PE (cannot clear it), MP, EM, TS. */
export function lmsw(c: Cpu, v: number): void {
  const pe = (c.cr0 | v) & 1;
  c.cr0 = ((c.cr0 & ~0xe) | (v & 0xe) | pe) >>> 0;
  c.modeChanged();
}

export function clts(c: Cpu): void {
  c.cr0 = (c.cr0 & ~CR0_TS) >>> 0;
}

/** CPUID (later 486 steppings): leaf 0 vendor, leaf 1 signature and feature bits. */
export function cpuid(c: Cpu): void {
  const m = c.model;
  const r = c.r32;
  if (r[0] === 0) {
    const v = m.vendor.padEnd(12, ' ');
    const dw = (i: number) => v.charCodeAt(i) | (v.charCodeAt(i + 1) << 8) | (v.charCodeAt(i + 2) << 16) | (v.charCodeAt(i + 3) << 24);
    r[0] = 1; r[3] = dw(0); r[2] = dw(4); r[1] = dw(8);
  } else {
    r[0] = (m.family << 8) | (m.model << 4) | m.stepping;
    r[3] = 0; r[1] = 0; r[2] = m.features;
  }
}

function setZf(c: Cpu, z: boolean): void {
  materialize(c);
  if (z) c.flags |= ZF; else c.flags &= ~ZF;
}

/**
 * Shared check of LAR/LSL/VERR/VERW: fetch the descriptor and test privilege. Returns the
 * descriptor type (S bit + type) or -1 when ZF must be cleared.
 */
function probe(c: Cpu, sel: number): number {
  if ((sel & 0xfffc) === 0 || !fetchDescriptor(c, sel)) return -1;
  const hi = c.descHi;
  const type = (hi >>> 8) & 0x1f;
  const dpl = (hi >>> 13) & 3;
  const conformingCode = (type & 0x1c) === 0x1c;
  if (!conformingCode && (dpl < c.cpl || dpl < (sel & 3))) return -1;
  return type;
}

/** LAR: returns the access rights or -1 (ZF=0). */
export function lar(c: Cpu, sel: number): number {
  const t = probe(c, sel);
  const ok = t >= 0 && (t & 0x10 ? true : [1, 2, 3, 4, 5, 9, 0xb, 0xc].includes(t));
  setZf(c, ok);
  return ok ? c.descHi & 0x00f0ff00 : -1;
}

/** LSL: returns the byte-granular limit or -1 (ZF=0). */
export function lsl(c: Cpu, sel: number): number {
  const t = probe(c, sel);
  const ok = t >= 0 && (t & 0x10 ? true : [1, 2, 3, 9, 0xb].includes(t));
  setZf(c, ok);
  return ok ? descLimit(c.descLo, c.descHi) : -1;
}

/** VERR / VERW. */
export function verify(c: Cpu, sel: number, write: boolean): void {
  const t = probe(c, sel);
  let ok = t >= 0 && (t & 0x10) !== 0;
  if (ok) {
    const code = (t & 0x8) !== 0;
    ok = write ? !code && (t & 0x2) !== 0 : !code || (t & 0x2) !== 0;
  }
  setZf(c, ok);
}
