/** Hardware task switching through TSS descriptors and task gates (SDM vol. 3 §7.3). */

import type { Cpu } from './cpu.js';
import { CS, SS, ES, DS, FS, GS, NT, VM, CR0_TS, CR0_PG } from './state.js';
import { GP, NP, TS } from './exceptions.js';
import { fetchDescriptor, descBase, descLimit, descAttr, setSegmentCache, loadSegment, loadFromDescriptor } from './segmentation.js';
import { flushTlb } from './paging.js';
import { loadLdt } from './execute/system.js';

/** Why a task switch happens: decides busy bits, NT and the back link. */
export const TASK_JMP = 0, TASK_CALL = 1, TASK_IRET = 2;

/** Switch to the task whose TSS (or task gate's TSS) selector is `sel`. */
export function taskSwitch(c: Cpu, sel: number, reason: number): void {
  sel &= 0xffff;
  if (sel & 4) throw c.fault(GP, sel & 0xfffc);
  if (!fetchDescriptor(c, sel)) throw c.fault(GP, sel & 0xfffc);
  const lo = c.descLo, hi = c.descHi;
  const type = (hi >>> 8) & 0x1f;
  if (reason === TASK_IRET) {
    if (type !== 0x3 && type !== 0xb) throw c.fault(TS, sel & 0xfffc);
  } else if (type !== 0x1 && type !== 0x9) throw c.fault(GP, sel & 0xfffc);
  if ((hi & 0x8000) === 0) throw c.fault(NP, sel & 0xfffc);
  const new32 = (type & 8) !== 0;
  const newBase = descBase(lo, hi), newLimit = descLimit(lo, hi);
  if (newLimit < (new32 ? 0x67 : 0x2b)) throw c.fault(TS, sel & 0xfffc);

  // Save the outgoing state into the current TSS.
  const old32 = (c.trAttr & 0x8) !== 0;
  const ob = c.trBase;
  let eflags = c.getEflags();
  if (reason === TASK_IRET) eflags &= ~NT;
  if (old32) {
    c.writeSys32(ob + 0x20, c.eip);
    c.writeSys32(ob + 0x24, eflags);
    for (let i = 0; i < 8; i++) c.writeSys32(ob + 0x28 + i * 4, c.r32[i]);
    for (let s = 0; s < 6; s++) c.writeSys16(ob + 0x48 + s * 4, c.segSel[s]);
  } else {
    c.writeSys16(ob + 0x0e, c.eip);
    c.writeSys16(ob + 0x10, eflags);
    for (let i = 0; i < 8; i++) c.writeSys16(ob + 0x12 + i * 2, c.r32[i]);
    for (let s = 0; s < 4; s++) c.writeSys16(ob + 0x22 + s * 2, c.segSel[s]);
  }
  // Busy bits.
  if (reason === TASK_JMP || reason === TASK_IRET) setBusy(c, c.trSel, false);
  if (reason !== TASK_IRET) setBusy(c, sel, true);
  if (reason === TASK_CALL) {
    if (new32) c.writeSys16(newBase, c.trSel); else c.writeSys16(newBase, c.trSel);
  }

  // Read the incoming state.
  const nb = newBase;
  let neip: number, nflags: number, ldt: number;
  const regs = new Int32Array(8);
  const sels = new Uint16Array(6);
  let cr3 = c.cr3;
  if (new32) {
    if (c.cr0 & CR0_PG) cr3 = c.readSys32(nb + 0x1c) >>> 0;
    neip = c.readSys32(nb + 0x20) >>> 0;
    nflags = c.readSys32(nb + 0x24) >>> 0;
    for (let i = 0; i < 8; i++) regs[i] = c.readSys32(nb + 0x28 + i * 4);
    for (let s = 0; s < 6; s++) sels[s] = c.readSys16(nb + 0x48 + s * 4);
    ldt = c.readSys16(nb + 0x60);
  } else {
    neip = c.readSys16(nb + 0x0e);
    nflags = c.readSys16(nb + 0x10);
    for (let i = 0; i < 8; i++) regs[i] = c.readSys16(nb + 0x12 + i * 2) | 0xffff0000;
    for (let s = 0; s < 4; s++) sels[s] = c.readSys16(nb + 0x22 + s * 2);
    ldt = c.readSys16(nb + 0x2a);
  }
  if (reason === TASK_CALL) nflags |= NT;

  // Commit: TR, CR3, registers, flags.
  c.trSel = sel;
  c.trBase = newBase;
  c.trLimit = newLimit;
  c.trAttr = descAttr(hi) | 0x2;
  if (cr3 !== c.cr3) { c.cr3 = cr3; flushTlb(c); }
  for (let i = 0; i < 8; i++) c.r32[i] = new32 ? regs[i] : (c.r32[i] & 0xffff0000) | (regs[i] & 0xffff);
  c.eip = neip;
  c.setEflags(nflags);
  c.cr0 = (c.cr0 | CR0_TS) >>> 0;
  // Segment registers: selectors first (so a fault reports the new task's values), then checks.
  for (let s = 0; s < 6; s++) setSegmentCache(c, s, sels[s], 0, 0, 0);
  loadLdt(c, ldt, TS);
  if (c.flags & VM) {
    for (let s = 0; s < 6; s++) setSegmentCache(c, s, sels[s], sels[s] << 4, 0xffff, 0xf3);
    c.cpl = 3;
    c.modeChanged();
    return;
  }
  // CS determines the new CPL.
  const cs = sels[CS];
  if ((cs & 0xfffc) === 0 || !fetchDescriptor(c, cs)) throw c.fault(TS, cs & 0xfffc);
  const ct = (c.descHi >>> 8) & 0x1f;
  if ((ct & 0x18) !== 0x18) throw c.fault(TS, cs & 0xfffc);
  if ((c.descHi & 0x8000) === 0) throw c.fault(NP, cs & 0xfffc);
  c.cpl = cs & 3;
  loadFromDescriptor(c, CS, cs);
  c.modeChanged();
  // Segment loads during a task switch fault with #TS(selector) where a MOV would raise #GP
  // (SDM vol. 3, 7.3 "Task Switching", step 12, and the TS exception conditions); not present
  // stays #NP, or #SS for the stack segment.
  for (const s of [SS, DS, ES, FS, GS]) loadSegment(c, s, sels[s], TS);
  c.modeChanged();
}

function setBusy(c: Cpu, sel: number, busy: boolean): void {
  const addr = c.gdtBase + (sel & 0xfff8) + 5;
  const b = c.readSys8(addr);
  c.writeSys8(addr, busy ? b | 0x2 : b & ~0x2);
}
