/** Segment registers: descriptor fetch, the checks of a segment load, and the hidden cache. */

import type { Cpu } from './cpu.js';
import { CS, SS, VM, ATTR_DB, ATTR_P, ATTR_S, CR0_PE, SEG_R, SEG_W, SIGN_FLIP, type CpuState } from './state.js';
import { GP, NP, SSF } from './exceptions.js';

/** Fill a segment cache and recompute its derived access range and rights. */
export function setSegmentCache(c: CpuState, s: number, sel: number, base: number, limit: number, attr: number): void {
  c.segSel[s] = sel;
  c.segBase[s] = base >>> 0;
  c.segLimit[s] = limit >>> 0;
  c.segAttr[s] = attr;
  computeSegmentRights(c, s);
}

/** Derive segLo/segHi/segRights of segment s from its cache and the current mode. */
export function computeSegmentRights(c: CpuState, s: number): void {
  const attr = c.segAttr[s];
  const limit = c.segLimit[s];
  const pm = (c.cr0 & CR0_PE) !== 0 && (c.flags & VM) === 0;
  let rights: number;
  let lo = 0, hi = limit;
  if (!pm) {
    rights = SEG_R | SEG_W;
  } else if ((attr & ATTR_P) === 0 || (attr & ATTR_S) === 0) {
    rights = 0; // null or unusable
  } else if (attr & 0x8) {
    rights = attr & 0x2 ? SEG_R : 0; // code: readable or execute-only
  } else {
    rights = attr & 0x2 ? SEG_R | SEG_W : SEG_R;
    if (attr & 0x4) { // expand-down
      lo = limit + 1;
      hi = attr & ATTR_DB ? 0xffffffff : 0xffff;
    }
  }
  if (lo > hi) { // expand-down with the limit at the top: no offset is valid
    c.segLo[s] = 0x7fffffff; c.segHi[s] = 0x7ffffffe;
  } else {
    c.segLo[s] = lo ^ SIGN_FLIP; c.segHi[s] = hi ^ SIGN_FLIP;
  }
  c.segRights[s] = rights;
  const whole = lo === 0 && hi === 0xffffffff, bit = 1 << s;
  c.wholeRead = whole && (rights & SEG_R) !== 0 ? c.wholeRead | bit : c.wholeRead & ~bit;
  c.wholeWrite = whole && (rights & SEG_W) !== 0 ? c.wholeWrite | bit : c.wholeWrite & ~bit;
}

/** Base address of a descriptor (lo/hi dwords). */
export function descBase(lo: number, hi: number): number {
  return ((lo >>> 16) | ((hi & 0xff) << 16) | (hi & 0xff000000)) >>> 0;
}

/** Effective byte limit of a descriptor (granularity applied). */
export function descLimit(lo: number, hi: number): number {
  const l = (lo & 0xffff) | (hi & 0xf0000);
  return hi & 0x800000 ? ((l << 12) | 0xfff) >>> 0 : l;
}

/** Cache attribute word of a descriptor. */
export function descAttr(hi: number): number {
  return (hi >>> 8) & 0xf0ff;
}

/**
 * Read the descriptor a selector names into c.descLo/c.descHi. Returns false if the selector is
 * outside its table (the caller raises the fault it needs); never faults itself except #PF.
 */
export function fetchDescriptor(c: Cpu, sel: number): boolean {
  const index = sel & 0xfff8;
  let base: number, limit: number;
  if (sel & 4) {
    if ((c.ldtSel & 0xfffc) === 0) return false;
    base = c.ldtBase; limit = c.ldtLimit;
  } else {
    base = c.gdtBase; limit = c.gdtLimit;
  }
  if (index + 7 > limit) return false;
  c.descLo = c.readSys32(base + index);
  c.descHi = c.readSys32(base + index + 4);
  return true;
}

/** Set the accessed bit of the descriptor a selector names (if not already set). */
export function setAccessed(c: Cpu, sel: number): void {
  if (c.descHi & 0x100) return;
  c.descHi |= 0x100;
  const base = sel & 4 ? c.ldtBase : c.gdtBase;
  c.writeSys8(base + (sel & 0xfff8) + 5, (c.descHi >>> 8) & 0xff);
}

/** Fill segment s from the descriptor in c.descLo/c.descHi. */
export function loadFromDescriptor(c: Cpu, s: number, sel: number): void {
  setSegmentCache(c, s, sel, descBase(c.descLo, c.descHi), descLimit(c.descLo, c.descHi), descAttr(c.descHi));
}

/**
 * MOV/POP/LDS... to a data segment register or SS, with every protected-mode check
 * (SDM vol. 3 §5.10, MOV instruction pseudo-code). CS is never loaded here. `invalid` is the
 * vector for an invalid selector or descriptor: #GP for instructions, #TS in a task switch.
 */
export function loadSegment(c: Cpu, s: number, sel: number, invalid: number = GP): void {
  sel &= 0xffff;
  if ((c.cr0 & CR0_PE) === 0 || (c.flags & VM) !== 0) {
    // Real mode keeps limit and attributes ("unreal mode" survives); V86 forces 64 KiB DPL 3.
    if (c.flags & VM) setSegmentCache(c, s, sel, sel << 4, 0xffff, 0xf3);
    else {
      c.segSel[s] = sel;
      c.segBase[s] = sel << 4;
    }
    if (s === SS) c.codeOrStackChanged();
    return;
  }
  const rpl = sel & 3;
  if ((sel & 0xfffc) === 0) {
    if (s === SS) throw c.fault(invalid, invalid === GP ? 0 : sel & 0xfffc);
    setSegmentCache(c, s, sel, 0, 0, 0);
    return;
  }
  if (!fetchDescriptor(c, sel)) throw c.fault(invalid, sel & 0xfffc);
  const hi = c.descHi;
  const dpl = (hi >>> 13) & 3;
  const type = (hi >>> 8) & 0x1f; // S bit + type
  if (s === SS) {
    if (rpl !== c.cpl || dpl !== c.cpl || (type & 0x1a) !== 0x12) throw c.fault(invalid, sel & 0xfffc);
    if ((hi & 0x8000) === 0) throw c.fault(SSF, sel & 0xfffc);
  } else {
    if ((type & 0x10) === 0 || (type & 0x1a) === 0x18) throw c.fault(invalid, sel & 0xfffc); // system or execute-only code
    if ((type & 0x1c) !== 0x1c) { // data or non-conforming code
      if (dpl < c.cpl || dpl < rpl) throw c.fault(invalid, sel & 0xfffc);
    }
    if ((hi & 0x8000) === 0) throw c.fault(NP, sel & 0xfffc);
  }
  setAccessed(c, sel);
  loadFromDescriptor(c, s, sel);
  if (s === SS) c.codeOrStackChanged();
}

/** After a return to an outer level: null data segments the new CPL may not use (SDM RET/IRET pseudo-code). */
export function nullInaccessibleSegments(c: Cpu): void {
  for (const s of [0, 3, 4, 5]) {
    const attr = c.segAttr[s];
    const dpl = (attr >>> 5) & 3;
    const conformingCode = (attr & 0xc) === 0xc && (attr & 0x8) !== 0;
    if (!conformingCode && dpl < c.cpl) setSegmentCache(c, s, 0, 0, 0, 0);
  }
}

/** Load CS from the descriptor in c.descLo/descHi with the given RPL/CPL (checks done by caller). */
export function loadCs(c: Cpu, sel: number, cpl: number): void {
  setAccessed(c, sel);
  setSegmentCache(c, CS, (sel & 0xfffc) | cpl, descBase(c.descLo, c.descHi), descLimit(c.descLo, c.descHi), descAttr(c.descHi));
  if (c.cpl !== cpl) {
    c.cpl = cpl;
    c.cplChanged();
  } else c.codeOrStackChanged();
}
