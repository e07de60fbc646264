/** CPU snapshots: every architectural field by name (JSON-serialisable, versioned), including the TLB. */

import type { Cpu } from './cpu.js';
import { REG_NAMES, SEG_NAMES } from './state.js';
import { setSegmentCache } from './segmentation.js';
import { flushTlb } from './paging.js';

/** A descriptor-cache image. */
export interface SegmentSnapshot { selector: number; base: number; limit: number; attr: number }

/** Saved CPU state. `version` changes whenever the layout does. */
export interface CpuSnapshot {
  version: 1;
  model: string;
  regs: Record<(typeof REG_NAMES)[number], number>;
  eip: number;
  eflags: number;
  segments: Record<(typeof SEG_NAMES)[number], SegmentSnapshot>;
  cr0: number; cr2: number; cr3: number; cr4: number;
  dr: number[];
  testRegs: number[];
  gdtr: { base: number; limit: number };
  idtr: { base: number; limit: number };
  ldtr: SegmentSnapshot;
  tr: SegmentSnapshot;
  cpl: number;
  halted: boolean;
  shutdown: boolean;
  interruptShadow: boolean;
  nmiBlocked: boolean;
  instructions: number;
  /** TLB contents as [linear page, entry] pairs (part of the architectural state of a vCPU). */
  tlb: [number, number][];
}

export function saveCpuState(c: Cpu): CpuSnapshot {
  const regs = {} as CpuSnapshot['regs'];
  REG_NAMES.forEach((n, i) => { regs[n] = c.r32[i] >>> 0; });
  const segments = {} as CpuSnapshot['segments'];
  SEG_NAMES.forEach((n, i) => {
    segments[n] = { selector: c.segSel[i], base: c.segBase[i], limit: c.segLimit[i], attr: c.segAttr[i] };
  });
  const tlb: [number, number][] = [];
  if (c.paging) {
    for (let p = 0; p < c.tlb.length; p++) if (c.tlb[p] !== 0) tlb.push([p, c.tlb[p]]);
  }
  return {
    version: 1,
    model: c.model.name,
    regs,
    eip: c.eip >>> 0,
    eflags: c.getEflags(),
    segments,
    cr0: c.cr0 >>> 0, cr2: c.cr2 >>> 0, cr3: c.cr3 >>> 0, cr4: c.cr4 >>> 0,
    dr: Array.from(c.dr),
    testRegs: Array.from(c.testRegs),
    gdtr: { base: c.gdtBase, limit: c.gdtLimit },
    idtr: { base: c.idtBase, limit: c.idtLimit },
    ldtr: { selector: c.ldtSel, base: c.ldtBase, limit: c.ldtLimit, attr: c.ldtAttr },
    tr: { selector: c.trSel, base: c.trBase, limit: c.trLimit, attr: c.trAttr },
    cpl: c.cpl,
    halted: c.halted,
    shutdown: c.shutdown,
    interruptShadow: c.shadow,
    nmiBlocked: c.nmiBlocked,
    instructions: c.instructions,
    tlb,
  };
}

export function loadCpuState(c: Cpu, s: CpuSnapshot): void {
  if (!s || s.version !== 1) throw new Error(`cpu: cannot load state: unknown snapshot version ${s && (s as { version?: unknown }).version}`);
  REG_NAMES.forEach((n, i) => { c.r32[i] = s.regs[n]; });
  c.eip = s.eip >>> 0;
  c.cr0 = s.cr0 >>> 0; c.cr2 = s.cr2 >>> 0; c.cr3 = s.cr3 >>> 0; c.cr4 = s.cr4 >>> 0;
  c.flags = s.eflags >>> 0;
  c.lazyMask = 0;
  for (let i = 0; i < 8; i++) c.dr[i] = s.dr[i] ?? 0;
  for (let i = 0; i < 8; i++) c.testRegs[i] = s.testRegs[i] ?? 0;
  c.gdtBase = s.gdtr.base; c.gdtLimit = s.gdtr.limit;
  c.idtBase = s.idtr.base; c.idtLimit = s.idtr.limit;
  c.ldtSel = s.ldtr.selector; c.ldtBase = s.ldtr.base; c.ldtLimit = s.ldtr.limit; c.ldtAttr = s.ldtr.attr;
  c.trSel = s.tr.selector; c.trBase = s.tr.base; c.trLimit = s.tr.limit; c.trAttr = s.tr.attr;
  c.cpl = s.cpl;
  c.halted = s.halted; c.shutdown = s.shutdown; c.shadow = s.interruptShadow; c.nmiBlocked = s.nmiBlocked;
  c.instructions = s.instructions;
  SEG_NAMES.forEach((n, i) => {
    const g = s.segments[n];
    setSegmentCache(c, i, g.selector, g.base, g.limit, g.attr);
  });
  c.modeChanged();
  flushTlb(c);
  c.tlb.fill(0);
  c.tlbUsedCount = 0;
  c.tlbOverflow = false;
  for (const [p, e] of s.tlb) {
    c.tlb[p] = e;
    if (c.tlbUsedCount < c.tlbUsed.length) c.tlbUsed[c.tlbUsedCount++] = p; else c.tlbOverflow = true;
  }
}
