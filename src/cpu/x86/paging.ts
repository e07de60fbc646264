/** Two-level 4 KiB paging (i486): page walk with A/D bits, U/S and R/W with CR0.WP, #PF, and the TLB. */

import { PAGE_DIRECT_READ, PAGE_DIRECT_WRITE } from '../../core/bus.js';
import type { Cpu } from './cpu.js';
import { CR0_WP } from './state.js';
import { PFV, type FAULT } from './exceptions.js';

const T_VALID = 1, T_USER = 2, T_USER_WRITE = 4, T_SUP_WRITE = 8, T_DIRTY = 16;

function physRead32(c: Cpu, p: number): number {
  if (c.bus.pageFlags[p >>> 12] & PAGE_DIRECT_READ) {
    const r = c.bus.ram;
    return r[p] | (r[p + 1] << 8) | (r[p + 2] << 16) | (r[p + 3] << 24);
  }
  return c.bus.read32(p) | 0;
}

function physWrite32(c: Cpu, p: number, v: number): void {
  if (c.bus.pageFlags[p >>> 12] & PAGE_DIRECT_WRITE) {
    const r = c.bus.ram;
    r[p] = v; r[p + 1] = v >>> 8; r[p + 2] = v >>> 16; r[p + 3] = v >>> 24;
  } else c.bus.write32(p, v >>> 0);
}

/**
 * Walk the page tables for a linear address (SDM vol. 3 §4.3 / i486 PRM ch. 5). Sets the
 * accessed bits (and the dirty bit on a write), fills the TLB and returns the physical address,
 * or raises #PF with CR2 = lin and the error code P | W/R<<1 | U/S<<2.
 */
export function walk(c: Cpu, lin: number, write: boolean, user: boolean): number {
  const errBase = (write ? 2 : 0) | (user ? 4 : 0);
  const pdeAddr = ((c.cr3 & 0xfffff000) + ((lin >>> 22) << 2)) >>> 0;
  const pde = physRead32(c, pdeAddr);
  if ((pde & 1) === 0) throw pageFault(c, lin, errBase);
  const pteAddr = ((pde & 0xfffff000) + (((lin >>> 12) & 0x3ff) << 2)) >>> 0;
  const pte = physRead32(c, pteAddr);
  if ((pte & 1) === 0) throw pageFault(c, lin, errBase);
  const u = (pde & pte & 4) !== 0;
  const w = (pde & pte & 2) !== 0;
  const wp = (c.cr0 & CR0_WP) !== 0;
  if (user) {
    if (!u || (write && !w)) throw pageFault(c, lin, errBase | 1);
  } else if (write && !w && wp) throw pageFault(c, lin, errBase | 1);
  if ((pde & 0x20) === 0) physWrite32(c, pdeAddr, pde | 0x20);
  let newPte = pte | 0x20;
  if (write) newPte |= 0x40;
  if (newPte !== pte) physWrite32(c, pteAddr, newPte);
  let e = (pte & 0xfffff000) | T_VALID;
  if (u) e |= T_USER;
  if (u && w) e |= T_USER_WRITE;
  if (w || !wp) e |= T_SUP_WRITE;
  if (newPte & 0x40) e |= T_DIRTY;
  const page = lin >>> 12;
  if (c.tlb[page] === 0) {
    if (c.tlbUsedCount < c.tlbUsed.length) c.tlbUsed[c.tlbUsedCount++] = page;
    else c.tlbOverflow = true;
  }
  c.tlb[page] = e;
  return (pte & 0xfffff000) | (lin & 0xfff);
}

/** Record #PF at `lin` with error code `err`; returns what to throw. */
function pageFault(c: Cpu, lin: number, err: number): typeof FAULT {
  c.cr2 = lin >>> 0; // CR2 holds the unsigned linear address
  return c.fault(PFV, err);
}

/** Invalidate the whole TLB (CR3 load, CR0 write, task switch) and the fetch window. */
export function flushTlb(c: Cpu): void {
  if (c.tlbOverflow) {
    c.tlb.fill(0);
    c.tlbOverflow = false;
  } else {
    const used = c.tlbUsed, tlb = c.tlb;
    for (let i = 0; i < c.tlbUsedCount; i++) tlb[used[i]] = 0;
  }
  c.tlbUsedCount = 0;
  c.fetchHi = 0;
}

/** INVLPG: drop one page's entry. */
export function invalidatePage(c: Cpu, lin: number): void {
  c.tlb[lin >>> 12] = 0;
  c.fetchHi = 0;
}
