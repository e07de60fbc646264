/** Event delivery through the real-mode IVT or the protected-mode IDT (SDM vol. 3 §6.12, INT n pseudo-code). */

import type { Cpu } from './cpu.js';
import { CS, SS, ES, DS, FS, GS, VM, IF, TF, NT, RF, AC, IOPL, CR0_PE } from './state.js';
import { GP, NP, SSF, TS, EV_SOFTWARE, NO_ERROR } from './exceptions.js';
import { fetchDescriptor, descBase, descLimit, descAttr, setSegmentCache, setAccessed } from './segmentation.js';
import { taskSwitch, TASK_CALL } from './task-switch.js';

/** Deliver vector `vec` (error code `err` or NO_ERROR) of the given kind (EV_*). */
export function deliverInterrupt(c: Cpu, vec: number, err: number, kind: number): void {
  c.halted = false;
  c.fetchHi = 0;
  if ((c.cr0 & CR0_PE) === 0) {
    realModeInterrupt(c, vec);
    return;
  }
  const ext = kind === EV_SOFTWARE ? 0 : 1;
  const vm = (c.flags & VM) !== 0;
  if (kind === EV_SOFTWARE && vm && (c.flags & IOPL) !== IOPL) throw c.fault(GP, 0);
  const gateErr = vec * 8 + 2 + ext;
  if (vec * 8 + 7 > c.idtLimit) throw c.fault(GP, gateErr);
  const lo = c.readSys32(c.idtBase + vec * 8);
  const hi = c.readSys32(c.idtBase + vec * 8 + 4);
  const type = (hi >>> 8) & 0x1f;
  if (type !== 5 && type !== 6 && type !== 7 && type !== 0xe && type !== 0xf) throw c.fault(GP, gateErr);
  const gdpl = (hi >>> 13) & 3;
  if (kind === EV_SOFTWARE && gdpl < c.cpl) throw c.fault(GP, vec * 8 + 2);
  if ((hi & 0x8000) === 0) throw c.fault(NP, gateErr);
  if (type === 5) {
    taskSwitch(c, lo >>> 16, TASK_CALL);
    if (err !== NO_ERROR) {
      if (c.ss32) c.push32(err); else c.push16(err);
    }
    return;
  }
  const gate32 = (type & 8) !== 0;
  const trapGate = (type & 1) !== 0;
  const sel = lo >>> 16;
  const offset = gate32 ? ((lo & 0xffff) | (hi & 0xffff0000)) >>> 0 : lo & 0xffff;
  if ((sel & 0xfffc) === 0) throw c.fault(GP, ext);
  if (!fetchDescriptor(c, sel)) throw c.fault(GP, (sel & 0xfffc) + ext);
  const clo = c.descLo, chi = c.descHi;
  const ctype = (chi >>> 8) & 0x1f;
  const cdpl = (chi >>> 13) & 3;
  if ((ctype & 0x18) !== 0x18 || cdpl > c.cpl) throw c.fault(GP, (sel & 0xfffc) + ext);
  if ((chi & 0x8000) === 0) throw c.fault(NP, (sel & 0xfffc) + ext);
  const conforming = (ctype & 4) !== 0;
  const eflags = c.getEflags();
  const size = gate32 ? 4 : 2;
  const retEip = gate32 ? c.eip >>> 0 : c.eip & 0xffff;

  if (!conforming && cdpl < c.cpl) {
    // Inner privilege: new stack from the TSS.
    if (vm && cdpl !== 0) throw c.fault(GP, (sel & 0xfffc) + ext);
    const tss32 = (c.trAttr & 0x8) !== 0;
    let newEsp: number, newSs: number;
    if (tss32) {
      const o = cdpl * 8 + 4;
      if (o + 5 > c.trLimit) throw c.fault(TS, (c.trSel & 0xfffc) + ext);
      newEsp = c.readSys32(c.trBase + o) >>> 0;
      newSs = c.readSys16(c.trBase + o + 4);
    } else {
      const o = cdpl * 4 + 2;
      if (o + 3 > c.trLimit) throw c.fault(TS, (c.trSel & 0xfffc) + ext);
      newEsp = c.readSys16(c.trBase + o);
      newSs = c.readSys16(c.trBase + o + 2);
    }
    if ((newSs & 0xfffc) === 0) throw c.fault(TS, ext);
    if ((newSs & 3) !== cdpl) throw c.fault(TS, (newSs & 0xfffc) + ext);
    if (!fetchDescriptor(c, newSs)) throw c.fault(TS, (newSs & 0xfffc) + ext);
    const slo = c.descLo, shi = c.descHi;
    const stype = (shi >>> 8) & 0x1f;
    if (((shi >>> 13) & 3) !== cdpl || (stype & 0x1a) !== 0x12) throw c.fault(TS, (newSs & 0xfffc) + ext);
    if ((shi & 0x8000) === 0) throw c.fault(SSF, (newSs & 0xfffc) + ext);
    const ssBase = descBase(slo, shi), ssLimit = descLimit(slo, shi);
    const ss32 = (shi & 0x400000) !== 0;
    const expandDown = (stype & 4) !== 0;
    const n = (vm ? 4 : 0) + 5 + (err !== NO_ERROR ? 1 : 0);
    let sp = ss32 ? newEsp : newEsp & 0xffff;
    const top = (sp - n * size) >>> 0;
    const stackErr = (newSs & 0xfffc) + ext;
    if (!ss32 && sp - n * size < 0 && !expandDown) throw c.fault(SSF, stackErr);
    if (expandDown ? top <= ssLimit : sp - 1 > ssLimit) throw c.fault(SSF, stackErr);
    if (vm) {
      sp = pushNewStack(c, ssBase, ss32, size, sp, c.segSel[GS]);
      sp = pushNewStack(c, ssBase, ss32, size, sp, c.segSel[FS]);
      sp = pushNewStack(c, ssBase, ss32, size, sp, c.segSel[DS]);
      sp = pushNewStack(c, ssBase, ss32, size, sp, c.segSel[ES]);
    }
    sp = pushNewStack(c, ssBase, ss32, size, sp, c.segSel[SS]);
    sp = pushNewStack(c, ssBase, ss32, size, sp, c.r32[4]);
    sp = pushNewStack(c, ssBase, ss32, size, sp, eflags);
    sp = pushNewStack(c, ssBase, ss32, size, sp, c.segSel[CS]);
    sp = pushNewStack(c, ssBase, ss32, size, sp, retEip);
    if (err !== NO_ERROR) sp = pushNewStack(c, ssBase, ss32, size, sp, err);
    // Commit.
    if (vm) {
      c.flags &= ~VM;
      setSegmentCache(c, ES, 0, 0, 0, 0); setSegmentCache(c, DS, 0, 0, 0, 0);
      setSegmentCache(c, FS, 0, 0, 0, 0); setSegmentCache(c, GS, 0, 0, 0, 0);
    }
    c.descLo = slo; c.descHi = shi;
    setAccessed(c, newSs);
    setSegmentCache(c, SS, (newSs & 0xfffc) | cdpl, ssBase, ssLimit, descAttr(shi));
    if (ss32) c.r32[4] = sp; else c.r16[8] = sp;
    c.descLo = clo; c.descHi = chi;
    setAccessed(c, sel);
    setSegmentCache(c, CS, (sel & 0xfffc) | cdpl, descBase(clo, chi), descLimit(clo, chi), descAttr(chi));
    c.cpl = cdpl;
    c.cplChanged();
  } else if (conforming || cdpl === c.cpl) {
    if (vm) throw c.fault(GP, (sel & 0xfffc) + ext);
    const ss32 = c.ss32;
    let sp = c.sp;
    sp = pushStack(c, ss32, size, sp, eflags);
    sp = pushStack(c, ss32, size, sp, c.segSel[CS]);
    sp = pushStack(c, ss32, size, sp, retEip);
    if (err !== NO_ERROR) sp = pushStack(c, ss32, size, sp, err);
    c.setSp(sp);
    c.descLo = clo; c.descHi = chi;
    setAccessed(c, sel);
    setSegmentCache(c, CS, (sel & 0xfffc) | c.cpl, descBase(clo, chi), descLimit(clo, chi), descAttr(chi));
    c.codeOrStackChanged();
  } else {
    throw c.fault(GP, (sel & 0xfffc) + ext);
  }
  if (offset > c.segLimit[CS]) throw c.fault(GP, 0);
  c.eip = offset;
  c.flags &= ~(TF | NT | RF | VM);
  if (!trapGate) c.flags &= ~IF;
  c.modeChangedLight();
}

/** Real mode: push FLAGS, CS, IP and load CS:IP from the IVT entry (at IDTR base). */
function realModeInterrupt(c: Cpu, vec: number): void {
  if (vec * 4 + 3 > c.idtLimit) throw c.fault(GP, 0);
  const flags = c.getEflags();
  let sp = c.sp;
  const ss32 = c.ss32;
  sp = pushStack(c, ss32, 2, sp, flags);
  sp = pushStack(c, ss32, 2, sp, c.segSel[CS]);
  sp = pushStack(c, ss32, 2, sp, c.eip & 0xffff);
  const ip = c.readLin16((c.idtBase + vec * 4) >>> 0);
  const cs = c.readLin16((c.idtBase + vec * 4 + 2) >>> 0);
  c.setSp(sp);
  c.segSel[CS] = cs;
  c.segBase[CS] = cs << 4;
  c.codeOrStackChanged();
  c.eip = ip;
  c.flags &= ~(IF | TF | AC | RF);
  c.updateSlow();
}

/**
 * Push `v` (`size` bytes) below `sp` on the current stack (SS, with its checks); returns the new
 * SP, which the caller commits once every push has succeeded. A function, not a closure, so that
 * delivering an event allocates nothing.
 */
function pushStack(c: Cpu, ss32: boolean, size: number, sp: number, v: number): number {
  sp = ss32 ? (sp - size) >>> 0 : (sp - size) & 0xffff;
  if (size === 4) c.wr32(SS, sp, v); else c.wr16(SS, sp, v);
  return sp;
}

/**
 * Push `v` below `sp` on the inner-privilege stack at `ssBase` (system accesses, limits checked by
 * the caller); returns the new SP. Also the stack switch of a call through a call gate.
 */
export function pushNewStack(c: Cpu, ssBase: number, ss32: boolean, size: number, sp: number, v: number): number {
  sp = ss32 ? (sp - size) >>> 0 : (sp - size) & 0xffff;
  if (size === 4) c.writeSys32(ssBase + sp, v); else c.writeSys16(ssBase + sp, v);
  return sp;
}
