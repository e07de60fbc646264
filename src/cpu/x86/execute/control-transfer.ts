/** Far control transfers: JMP/CALL far (code segments, call gates, task gates, TSS), RET far, IRET. */

import type { Cpu } from '../cpu.js';
import {
  CS, SS, ES, DS, FS, GS, CF, PF, AF, ZF, SF, TF, IF, DF, OF, IOPL, NT, RF, VM, AC, ID, CR0_PE,
} from '../state.js';
import { GP, NP, SSF, TS } from '../exceptions.js';
import {
  fetchDescriptor, descBase, descLimit, descAttr, setSegmentCache, setAccessed, loadCs, nullInaccessibleSegments,
} from '../segmentation.js';
import { taskSwitch, TASK_CALL, TASK_JMP, TASK_IRET } from '../task-switch.js';
import { materialize } from '../lazy-flags.js';
import { pushNewStack } from '../interrupts.js';

/** Real mode / V86: load CS as a paragraph. */
export function loadCsReal(c: Cpu, sel: number): void {
  sel &= 0xffff;
  if (c.flags & VM) setSegmentCache(c, CS, sel, sel << 4, 0xffff, 0xf3);
  else {
    c.segSel[CS] = sel;
    c.segBase[CS] = sel << 4;
  }
  c.codeOrStackChanged();
}

/** JMP far / CALL far to sel:off (operand size from c.opSize32). */
export function farTransfer(c: Cpu, sel: number, off: number, isCall: boolean): void {
  sel &= 0xffff;
  const o32 = c.opSize32;
  if (!o32) off &= 0xffff;
  if ((c.cr0 & CR0_PE) === 0 || (c.flags & VM) !== 0) {
    if (isCall) {
      const retCs = c.segSel[CS], retIp = c.eip;
      pushPair(c, o32, retCs, retIp);
    }
    if (off > c.segLimit[CS] && (c.cr0 & CR0_PE) !== 0) throw c.fault(GP, 0);
    loadCsReal(c, sel);
    c.eip = off;
    return;
  }
  if ((sel & 0xfffc) === 0) throw c.fault(GP, 0);
  if (!fetchDescriptor(c, sel)) throw c.fault(GP, sel & 0xfffc);
  const lo = c.descLo, hi = c.descHi;
  const type = (hi >>> 8) & 0x1f;
  const dpl = (hi >>> 13) & 3;
  const rpl = sel & 3;
  if ((type & 0x18) === 0x18) {
    if (type & 4) { if (dpl > c.cpl) throw c.fault(GP, sel & 0xfffc); }
    else if (rpl > c.cpl || dpl !== c.cpl) throw c.fault(GP, sel & 0xfffc);
    if ((hi & 0x8000) === 0) throw c.fault(NP, sel & 0xfffc);
    if (off > descLimit(lo, hi)) throw c.fault(GP, 0);
    if (isCall) pushPair(c, o32, c.segSel[CS], c.eip);
    c.descLo = lo; c.descHi = hi;
    loadCs(c, sel, c.cpl);
    c.eip = off >>> 0;
    return;
  }
  switch (type) {
    case 0x04: case 0x0c: { // call gate
      if (dpl < c.cpl || dpl < rpl) throw c.fault(GP, sel & 0xfffc);
      if ((hi & 0x8000) === 0) throw c.fault(NP, sel & 0xfffc);
      const gate32 = type === 0x0c;
      const tsel = lo >>> 16;
      const toff = gate32 ? ((lo & 0xffff) | (hi & 0xffff0000)) >>> 0 : lo & 0xffff;
      const params = hi & 0x1f;
      if ((tsel & 0xfffc) === 0) throw c.fault(GP, 0);
      if (!fetchDescriptor(c, tsel)) throw c.fault(GP, tsel & 0xfffc);
      const clo = c.descLo, chi = c.descHi;
      const ctype = (chi >>> 8) & 0x1f, cdpl = (chi >>> 13) & 3;
      if ((ctype & 0x18) !== 0x18 || cdpl > c.cpl) throw c.fault(GP, tsel & 0xfffc);
      if ((chi & 0x8000) === 0) throw c.fault(NP, tsel & 0xfffc);
      if (toff > descLimit(clo, chi)) throw c.fault(GP, 0);
      const conforming = (ctype & 4) !== 0;
      if (!isCall) {
        if (!conforming && cdpl !== c.cpl) throw c.fault(GP, tsel & 0xfffc);
        c.descLo = clo; c.descHi = chi;
        loadCs(c, tsel, c.cpl);
        c.eip = toff;
        return;
      }
      if (!conforming && cdpl < c.cpl) {
        callInner(c, gate32, params, tsel, toff, clo, chi, cdpl);
        return;
      }
      c.opSize32 = gate32;
      c.ctxDirty = true;
      pushPair(c, gate32, c.segSel[CS], c.eip);
      c.descLo = clo; c.descHi = chi;
      loadCs(c, tsel, c.cpl);
      c.eip = toff;
      return;
    }
    case 0x05: // task gate
      if (dpl < c.cpl || dpl < rpl) throw c.fault(GP, sel & 0xfffc);
      if ((hi & 0x8000) === 0) throw c.fault(NP, sel & 0xfffc);
      taskSwitch(c, lo >>> 16, isCall ? TASK_CALL : TASK_JMP);
      return;
    case 0x01: case 0x09: // available TSS
      if (dpl < c.cpl || dpl < rpl) throw c.fault(GP, sel & 0xfffc);
      taskSwitch(c, sel, isCall ? TASK_CALL : TASK_JMP);
      return;
    default:
      throw c.fault(GP, sel & 0xfffc);
  }
}

/** Push CS then (E)IP, committing the stack pointer only after both writes succeed. */
function pushPair(c: Cpu, o32: boolean, cs: number, ip: number): void {
  const ss32 = c.ss32;
  let sp = c.sp;
  const size = o32 ? 4 : 2;
  sp = ss32 ? (sp - size) >>> 0 : (sp - size) & 0xffff;
  if (o32) c.wr32(SS, sp, cs); else c.wr16(SS, sp, cs);
  sp = ss32 ? (sp - size) >>> 0 : (sp - size) & 0xffff;
  if (o32) c.wr32(SS, sp, ip); else c.wr16(SS, sp, ip & 0xffff);
  c.setSp(sp);
}

/** CALL through a call gate to a more privileged non-conforming segment (stack switch, parameter copy). */
function callInner(c: Cpu, gate32: boolean, params: number, tsel: number, toff: number, clo: number, chi: number, cdpl: number): void {
  const tss32 = (c.trAttr & 0x8) !== 0;
  let newEsp: number, newSs: number;
  if (tss32) {
    const o = cdpl * 8 + 4;
    if (o + 5 > c.trLimit) throw c.fault(TS, c.trSel & 0xfffc);
    newEsp = c.readSys32(c.trBase + o) >>> 0;
    newSs = c.readSys16(c.trBase + o + 4);
  } else {
    const o = cdpl * 4 + 2;
    if (o + 3 > c.trLimit) throw c.fault(TS, c.trSel & 0xfffc);
    newEsp = c.readSys16(c.trBase + o);
    newSs = c.readSys16(c.trBase + o + 2);
  }
  if ((newSs & 0xfffc) === 0) throw c.fault(TS, 0);
  if ((newSs & 3) !== cdpl || !fetchDescriptor(c, newSs)) throw c.fault(TS, newSs & 0xfffc);
  const slo = c.descLo, shi = c.descHi;
  if (((shi >>> 13) & 3) !== cdpl || ((shi >>> 8) & 0x1a) !== 0x12) throw c.fault(TS, newSs & 0xfffc);
  if ((shi & 0x8000) === 0) throw c.fault(SSF, newSs & 0xfffc);
  const ssBase = descBase(slo, shi);
  const ss32 = (shi & 0x400000) !== 0;
  const size = gate32 ? 4 : 2;
  // Read the parameters from the old stack first.
  const args: number[] = [];
  for (let i = params - 1; i >= 0; i--) args.push(c.peekStack(i * size, size));
  let sp = ss32 ? newEsp : newEsp & 0xffff;
  sp = pushNewStack(c, ssBase, ss32, size, sp, c.segSel[SS]);
  sp = pushNewStack(c, ssBase, ss32, size, sp, c.r32[4]);
  for (const a of args) sp = pushNewStack(c, ssBase, ss32, size, sp, a);
  sp = pushNewStack(c, ssBase, ss32, size, sp, c.segSel[CS]);
  sp = pushNewStack(c, ssBase, ss32, size, sp, gate32 ? c.eip : c.eip & 0xffff);
  c.descLo = slo; c.descHi = shi;
  setAccessed(c, newSs);
  setSegmentCache(c, SS, (newSs & 0xfffc) | cdpl, ssBase, descLimit(slo, shi), descAttr(shi));
  c.descLo = clo; c.descHi = chi;
  c.cpl = cdpl;
  loadCs(c, tsel, cdpl);
  c.cplChanged();
  if (ss32) c.r32[4] = sp; else c.r16[8] = sp;
  c.eip = toff;
}

/** RET far (CB / CA imm16). */
export function farReturn(c: Cpu, imm: number): void {
  const o32 = c.opSize32;
  const size = o32 ? 4 : 2;
  if ((c.cr0 & CR0_PE) === 0 || (c.flags & VM) !== 0) {
    const ip = c.peekStack(0, size), cs = c.peekStack(size, size) & 0xffff;
    const nip = o32 ? ip >>> 0 : ip & 0xffff;
    if (nip > c.segLimit[CS] && (c.cr0 & CR0_PE) !== 0) throw c.fault(GP, 0);
    c.setSp(c.ss32 ? (c.sp + 2 * size + imm) >>> 0 : (c.sp + 2 * size + imm) & 0xffff);
    loadCsReal(c, cs);
    c.eip = nip;
    return;
  }
  const ip = c.peekStack(0, size) >>> 0, sel = c.peekStack(size, size) & 0xffff;
  const rpl = sel & 3;
  checkReturnCs(c, sel);
  const lo = c.descLo, hi = c.descHi;
  const nip = o32 ? ip : ip & 0xffff;
  if (rpl === c.cpl) {
    if (nip > descLimit(lo, hi)) throw c.fault(GP, 0);
    c.setSp(c.ss32 ? (c.sp + 2 * size + imm) >>> 0 : (c.sp + 2 * size + imm) & 0xffff);
    loadCs(c, sel, c.cpl);
    c.eip = nip;
    return;
  }
  // Return to an outer level: pop SS:ESP too.
  const base = 2 * size + imm;
  const newEsp = c.peekStack(base, size) >>> 0, newSs = c.peekStack(base + size, size) & 0xffff;
  checkOuterStack(c, newSs, rpl);
  const slo = c.descLo, shi = c.descHi;
  if (nip > descLimit(lo, hi)) throw c.fault(GP, 0);
  c.descLo = lo; c.descHi = hi;
  loadCs(c, sel, rpl);
  c.descLo = slo; c.descHi = shi;
  setAccessed(c, newSs);
  setSegmentCache(c, SS, newSs, descBase(slo, shi), descLimit(slo, shi), descAttr(shi));
  c.codeOrStackChanged();
  const sp = o32 ? newEsp : newEsp & 0xffff;
  c.setSp(c.ss32 ? (sp + imm) >>> 0 : (sp + imm) & 0xffff);
  c.eip = nip;
  nullInaccessibleSegments(c);
}

/** Check an SS selector popped on a return to privilege level rpl; leaves its descriptor in descLo/Hi. */
function checkOuterStack(c: Cpu, ss: number, rpl: number): void {
  if ((ss & 0xfffc) === 0) throw c.fault(GP, 0);
  if ((ss & 3) !== rpl) throw c.fault(GP, ss & 0xfffc);
  if (!fetchDescriptor(c, ss)) throw c.fault(GP, ss & 0xfffc);
  const shi = c.descHi;
  if (((shi >>> 13) & 3) !== rpl || ((shi >>> 8) & 0x1a) !== 0x12) throw c.fault(GP, ss & 0xfffc);
  if ((shi & 0x8000) === 0) throw c.fault(SSF, ss & 0xfffc);
}

/**
 * Write EFLAGS from POPF/IRET with the privilege rules (SDM POPF): IOPL only at CPL 0, IF only
 * when CPL <= IOPL; VM and RF never by POPF. `size32` false affects only the low 16 bits.
 */
export function writeFlagsChecked(c: Cpu, v: number, size32: boolean, extra: number): void {
  materialize(c);
  let mask = CF | PF | AF | ZF | SF | TF | DF | OF | NT | AC | extra;
  if (c.model.groups.cpuid) mask |= ID;
  const pm = (c.cr0 & CR0_PE) !== 0;
  const vm = (c.flags & VM) !== 0;
  if (!pm) mask |= IOPL | IF;
  else if (vm) mask |= IF;
  else {
    if (c.cpl === 0) mask |= IOPL;
    if (c.cpl <= ((c.flags & IOPL) >>> 12)) mask |= IF;
  }
  if (!size32) mask &= 0xffff;
  c.flags = ((c.flags & ~mask) | (v & mask) | 2) >>> 0;
  c.lazyMask = 0;
  c.irqCheck = true;
  c.updateSlow();
}

/** IRET / IRETD. */
export function iret(c: Cpu): void {
  const o32 = c.opSize32;
  const size = o32 ? 4 : 2;
  c.nmiBlocked = false;
  const pm = (c.cr0 & CR0_PE) !== 0;
  const vm = (c.flags & VM) !== 0;
  if (!pm || vm) {
    if (vm && (c.flags & IOPL) !== IOPL) throw c.fault(GP, 0);
    const ip = c.peekStack(0, size), cs = c.peekStack(size, size) & 0xffff, fl = c.peekStack(2 * size, size);
    const nip = o32 ? ip >>> 0 : ip & 0xffff;
    if (pm && nip > 0xffff) throw c.fault(GP, 0);
    c.setSp(c.ss32 ? (c.sp + 3 * size) >>> 0 : (c.sp + 3 * size) & 0xffff);
    loadCsReal(c, cs);
    c.eip = nip;
    writeFlagsChecked(c, fl, o32, o32 ? RF : 0);
    return;
  }
  if (c.flags & NT) {
    const link = c.readSys16(c.trBase);
    taskSwitch(c, link, TASK_IRET);
    return;
  }
  const ip = c.peekStack(0, size) >>> 0, sel = c.peekStack(size, size) & 0xffff, fl = c.peekStack(2 * size, size) >>> 0;
  if (o32 && (fl & VM) && c.cpl === 0) {
    iretToV86(c, ip, sel, fl);
    return;
  }
  const rpl = sel & 3;
  checkReturnCs(c, sel);
  const lo = c.descLo, hi = c.descHi;
  const nip = o32 ? ip : ip & 0xffff;
  if (nip > descLimit(lo, hi)) throw c.fault(GP, 0);
  if (rpl === c.cpl) {
    c.setSp(c.ss32 ? (c.sp + 3 * size) >>> 0 : (c.sp + 3 * size) & 0xffff);
    loadCs(c, sel, c.cpl);
    c.eip = nip;
    writeFlagsChecked(c, fl, o32, o32 ? RF : 0);
    return;
  }
  const newEsp = c.peekStack(3 * size, size) >>> 0, newSs = c.peekStack(4 * size, size) & 0xffff;
  checkOuterStack(c, newSs, rpl);
  const slo = c.descLo, shi = c.descHi;
  const oldCpl = c.cpl;
  // Flags are written with the privilege of the level being left.
  writeFlagsChecked(c, fl, o32, o32 ? RF : 0);
  void oldCpl;
  c.descLo = lo; c.descHi = hi;
  loadCs(c, sel, rpl);
  c.descLo = slo; c.descHi = shi;
  setAccessed(c, newSs);
  setSegmentCache(c, SS, newSs, descBase(slo, shi), descLimit(slo, shi), descAttr(shi));
  c.codeOrStackChanged();
  c.setSp(o32 ? newEsp : newEsp & 0xffff);
  c.eip = nip;
  nullInaccessibleSegments(c);
}

/** IRET from CPL 0 with EFLAGS.VM set in the image: return to virtual-8086 mode. */
function iretToV86(c: Cpu, ip: number, cs: number, fl: number): void {
  const esp = c.peekStack(12, 4) >>> 0;
  const ss = c.peekStack(16, 4) & 0xffff;
  const es = c.peekStack(20, 4) & 0xffff;
  const ds = c.peekStack(24, 4) & 0xffff;
  const fs = c.peekStack(28, 4) & 0xffff;
  const gs = c.peekStack(32, 4) & 0xffff;
  materialize(c);
  c.flags = ((fl & 0x277fd5) | 2 | VM) >>> 0;
  c.lazyMask = 0;
  const v86 = (s: number, sel: number) => setSegmentCache(c, s, sel, sel << 4, 0xffff, 0xf3);
  v86(CS, cs); v86(SS, ss); v86(ES, es); v86(DS, ds); v86(FS, fs); v86(GS, gs);
  c.cpl = 3;
  c.r32[4] = esp;
  c.eip = ip & 0xffff;
  c.modeChangedLight();
}

export { RF, IF };

/**
 * The return code-segment checks RETF and IRET share (SDM vol. 2, RET and IRET pseudo-code,
 * "return code segment"): non-null, RPL >= CPL, inside the table, a code segment whose DPL fits
 * the RPL (conforming: DPL <= RPL; non-conforming: DPL = RPL), present. Leaves the descriptor in
 * c.descLo/descHi.
 */
function checkReturnCs(c: Cpu, sel: number): void {
  const rpl = sel & 3;
  if ((sel & 0xfffc) === 0) throw c.fault(GP, 0);
  if (rpl < c.cpl) throw c.fault(GP, sel & 0xfffc);
  if (!fetchDescriptor(c, sel)) throw c.fault(GP, sel & 0xfffc);
  const hi = c.descHi;
  const type = (hi >>> 8) & 0x1f, dpl = (hi >>> 13) & 3;
  if ((type & 0x18) !== 0x18) throw c.fault(GP, sel & 0xfffc);
  if (type & 4 ? dpl > rpl : dpl !== rpl) throw c.fault(GP, sel & 0xfffc);
  if ((hi & 0x8000) === 0) throw c.fault(NP, sel & 0xfffc);
}
