/** String instructions MOVS/CMPS/STOS/LODS/SCAS/INS/OUTS with REP/REPE/REPNE and the direction flag. */

import type { Cpu } from '../cpu.js';
import { DF, DS, ES } from '../state.js';
import { alu } from './alu.js';
import { getZF } from '../lazy-flags.js';
import { PAGE_DIRECT_READ, PAGE_DIRECT_WRITE } from '../../../core/bus.js';

/** REP string instructions run at most this many iterations per step, then restart (interruptible). */
export const REP_CHUNK = 4096;

export const S_MOVS = 0, S_CMPS = 1, S_STOS = 2, S_LODS = 3, S_SCAS = 4, S_INS = 5, S_OUTS = 6;

function rd(c: Cpu, seg: number, off: number, size: number): number {
  return size === 1 ? c.rd8(seg, off) : size === 2 ? c.rd16(seg, off) : c.rd32(seg, off);
}

function wr(c: Cpu, seg: number, off: number, size: number, v: number): void {
  if (size === 1) c.wr8(seg, off, v); else if (size === 2) c.wr16(seg, off, v); else c.wr32(seg, off, v);
}

/**
 * Execute string instruction `op` with element `size` (1, 2, 4). With a REP prefix, at most
 * REP_CHUNK iterations run per step; the instruction then restarts (EIP back at its first byte),
 * so interrupts are taken between chunks, and a fault leaves (E)CX/(E)SI/(E)DI at the faulting
 * element (restartable, SDM vol. 1 §7.3.9.1). Returns the number of iterations done.
 */
export function stringOp(c: Cpu, op: number, size: number): number {
  const a32 = c.adSize32;
  const delta = (c.flags & DF) !== 0 ? -size : size;
  const src = c.segOvr >= 0 ? c.segOvr : DS;
  const r = c.r32, r16 = c.r16;
  const bits = size * 8;
  const rep = c.rep;
  if (op === S_INS || op === S_OUTS) {
    c.checkIo(r16[4], size);
    c.irqCheck = true; c.slow = true;
  }
  let count = rep === 0 ? 1 : a32 ? r[1] >>> 0 : r16[2];
  // Elements of this step the 'wasm' engine's loop did before leaving the rest to this function.
  let n = c.stringCarry;
  c.stringCarry = 0;
  const scan = op === S_CMPS || op === S_SCAS;
  const fast = rep !== 0 && a32 && (scan || op === S_MOVS || op === S_STOS) && !c.dataBp;
  while (count !== 0) {
    if (fast) {
      n = scan ? repScan(c, op, size, src, n) : repFast(c, op, size, src, n);
      count = r[1] >>> 0;
      if (count === 0 || (scan && scanStopped)) break;
      if (n >= REP_CHUNK) {
        c.eip = c.startEip; // resume this instruction at the next step
        break;
      }
    }
    // Offsets travel in int32 form (as the registers hold them): no heap numbers for kernel
    // addresses >= 2 GiB; linear() takes either form.
    const si = a32 ? r[6] : r16[12];
    const di = a32 ? r[7] : r16[14];
    let stop = false;
    switch (op) {
      case S_MOVS: wr(c, ES, di, size, rd(c, src, si, size)); break;
      case S_STOS: wr(c, ES, di, size, size === 1 ? c.r8[0] : size === 2 ? r16[0] : r[0]); break;
      case S_LODS: {
        const v = rd(c, src, si, size);
        if (size === 1) c.r8[0] = v; else if (size === 2) r16[0] = v; else r[0] = v;
        break;
      }
      case S_CMPS: {
        const a = rd(c, src, si, size), b = rd(c, ES, di, size);
        alu(c, 7, bits, a, b);
        stop = true;
        break;
      }
      case S_SCAS: {
        const b = rd(c, ES, di, size);
        alu(c, 7, bits, size === 1 ? c.r8[0] : size === 2 ? r16[0] : r[0], b);
        stop = true;
        break;
      }
      case S_INS: {
        c.linear(ES, di, size, true); // check the destination before the port read (side effects)
        const port = r16[4];
        const v = size === 1 ? c.bus.in8(port) : size === 2 ? c.bus.in16(port) : c.bus.in32(port);
        wr(c, ES, di, size, v);
        break;
      }
      default: { // OUTS
        const v = rd(c, src, si, size);
        const port = r16[4];
        if (size === 1) c.bus.out8(port, v); else if (size === 2) c.bus.out16(port, v); else c.bus.out32(port, v >>> 0);
        break;
      }
    }
    // Advance the index registers this instruction uses.
    if (op === S_MOVS || op === S_CMPS || op === S_LODS || op === S_OUTS) {
      if (a32) r[6] = si + delta; else r16[12] = si + delta;
    }
    if (op !== S_LODS && op !== S_OUTS) {
      if (a32) r[7] = di + delta; else r16[14] = di + delta;
    }
    n++;
    if (rep === 0) break;
    count--;
    if (a32) r[1] = count; else r16[2] = count;
    if (stop && count !== 0) {
      const z = getZF(c);
      if (rep === 0xf3 ? !z : z) break;
    }
    if (count !== 0 && n >= REP_CHUNK) {
      c.eip = c.startEip; // resume this instruction at the next step
      break;
    }
  }
  return n;
}

/**
 * Physical addresses of the lowest bytes of the run {@link nextRun} found, on the source and
 * destination side (module scratch: no allocation per run).
 */
let runSrc = 0, runDst = 0;

/**
 * The next run of a REP string instruction with 32-bit addressing, from ESI/EDI/ECX as they are:
 * how many whole elements, in the direction of DF, stay within one page of plain RAM on the
 * destination side (ES:EDI) and, when `withSrc`, on the source side too, inside their segments,
 * at most ECX and at most what is left of this step's REP_CHUNK (`n` done). With DF = 1 a run
 * goes down from the first element, so its lowest byte is its last element's. Translation goes in
 * the element loop's order (source, then destination; a write translation for `dstWrite`), so
 * that a #PF raised here is the one the element loop raises, with the same accessed/dirty bits.
 * Returns 0 where the element loop must take the next element: a page boundary inside it, MMIO or
 * a watched code page (no direct access), a limit, or a wrap-around.
 */
function nextRun(c: Cpu, size: number, src: number, n: number, withSrc: boolean, dstWrite: boolean): number {
  const r = c.r32;
  const down = (c.flags & DF) !== 0;
  const count = r[1] >>> 0;
  const di = r[7] >>> 0, si = r[6] >>> 0;
  const dLin = (c.segBase[ES] + di) >>> 0;
  // Elements that fit in the rest of the destination page (and the source page), in the
  // direction of the instruction; 0 when the first element straddles a page boundary.
  let k = elementsInPage(dLin, size, down);
  let sLin = 0;
  if (withSrc) {
    sLin = (c.segBase[src] + si) >>> 0;
    const ks = elementsInPage(sLin, size, down);
    if (ks < k) k = ks;
  }
  if (k > count) k = count;
  if (k > REP_CHUNK - n) k = REP_CHUNK - n;
  if (k === 0) return 0;
  const bytes = k * size;
  // The run's lowest offset (with DF = 1 it ends at the first element); an offset below 0
  // would wrap, which the element loop handles.
  const span = down ? bytes - size : 0;
  if (!c.segmentAllows(ES, di - span, bytes, dstWrite)) return 0;
  if (withSrc && !c.segmentAllows(src, si - span, bytes, false)) return 0;
  const ram = c.bus.ram, flags = c.bus.pageFlags;
  if (withSrc) {
    runSrc = (c.translateRead(sLin | 0) >>> 0) - span;
    if ((flags[runSrc >>> 12] & PAGE_DIRECT_READ) === 0 || runSrc + bytes > ram.length) return 0;
  }
  runDst = ((dstWrite ? c.translateWrite(dLin | 0) : c.translateRead(dLin | 0)) >>> 0) - span;
  if ((flags[runDst >>> 12] & (dstWrite ? PAGE_DIRECT_WRITE : PAGE_DIRECT_READ)) === 0 || runDst + bytes > ram.length) return 0;
  return k;
}

/**
 * REP MOVS / REP STOS, 32-bit addressing, either direction: whole runs ({@link nextRun}) are
 * copied or filled straight in the RAM array. Where no run can be taken (or MOVS overlaps so that
 * its result depends on the element order), the element loop of {@link stringOp} takes over at
 * exactly that element, so faults, (E)CX/ESI/EDI and the REP_CHUNK restart points are those of
 * the element loop for one element, after which the fast path is tried again. Returns the
 * element count of this step (`n` elements were done before the call); updates ECX/ESI/EDI.
 */
function repFast(c: Cpu, op: number, size: number, src: number, n: number): number {
  const r = c.r32;
  const ram = c.bus.ram;
  const movs = op === S_MOVS;
  const down = (c.flags & DF) !== 0;
  for (;;) {
    const count = r[1] >>> 0;
    if (count === 0 || n >= REP_CHUNK) return n;
    const k = nextRun(c, size, src, n, movs, true);
    if (k === 0) return n;
    const bytes = k * size;
    const di = r[7], pd = runDst;
    if (movs) {
      const ps = runSrc;
      // Element order matters only when the destination overlaps the source on the side the
      // copy reaches later: above it going up, below it going down.
      if (down ? pd < ps && pd + bytes > ps : pd > ps && pd < ps + bytes) return n;
      ram.copyWithin(pd, ps, ps + bytes);
      r[6] = down ? r[6] - bytes : r[6] + bytes;
    } else {
      const v = size === 1 ? c.r8[0] : size === 2 ? c.r16[0] : r[0];
      // One byte repeated (zeroing, the common case): a byte fill; else element by element.
      const b = v & 0xff;
      if (size === 1 || (size === 2 ? v === b * 0x101 : v === ((b * 0x1010101) | 0))) {
        ram.fill(b, pd, pd + bytes);
      } else {
        for (let a = pd; a < pd + bytes; a += size) {
          ram[a] = v; ram[a + 1] = v >>> 8;
          if (size === 4) { ram[a + 2] = v >>> 16; ram[a + 3] = v >>> 24; }
        }
      }
    }
    r[7] = down ? di - bytes : di + bytes;
    r[1] = count - k;
    n += k;
  }
}

/** Set by {@link repScan}: its last element met the REPE/REPNE condition that ends the instruction. */
let scanStopped = false;

/**
 * REPE/REPNE CMPS and SCAS, 32-bit addressing, either direction: each run ({@link nextRun}, both
 * sides read) is compared straight in the RAM array up to the element that ends the instruction
 * (REPE: the first unequal pair, REPNE: the first equal one). The flags are those of the last
 * element compared (CMP of source or accumulator with the ES:EDI element), ECX/ESI/EDI step past
 * it, as in the element loop; `scanStopped` tells {@link stringOp} that the condition ended it.
 * Returns the element count of this step, as {@link repFast} does.
 */
function repScan(c: Cpu, op: number, size: number, src: number, n: number): number {
  const r = c.r32;
  const ram = c.bus.ram;
  const cmps = op === S_CMPS;
  const down = (c.flags & DF) !== 0;
  const untilUnequal = c.rep === 0xf3; // REPE/REPZ; REPNE/REPNZ stops at an equal pair
  // SCAS compares the accumulator, which the instruction does not change.
  const acc = size === 1 ? c.r8[0] : size === 2 ? c.r16[0] : r[0];
  const step = down ? -size : size;
  scanStopped = false;
  for (;;) {
    const count = r[1] >>> 0;
    if (count === 0 || n >= REP_CHUNK) return n;
    const k = nextRun(c, size, src, n, cmps, false);
    if (k === 0) return n;
    // The first element's physical addresses: the run's lowest bytes going up, its highest
    // element going down.
    const first = down ? (k - 1) * size : 0;
    let pd = runDst + first, ps = runSrc + first;
    let a = acc, b = 0, done = 0;
    while (done < k) {
      b = element(ram, pd, size);
      if (cmps) a = element(ram, ps, size);
      done++;
      if ((a === b) !== untilUnequal) { scanStopped = true; break; }
      pd += step; ps += step;
    }
    alu(c, 7, size * 8, a, b);
    const bytes = done * size;
    if (cmps) r[6] = down ? r[6] - bytes : r[6] + bytes;
    r[7] = down ? r[7] - bytes : r[7] + bytes;
    r[1] = count - done;
    n += done;
    if (scanStopped) return n;
  }
}

/** The little-endian element of `size` bytes at RAM offset `p`, as the element loop reads it (32-bit: int32). */
function element(ram: Uint8Array, p: number, size: number): number {
  if (size === 1) return ram[p];
  if (size === 2) return ram[p] | (ram[p + 1] << 8);
  return ram[p] | (ram[p + 1] << 8) | (ram[p + 2] << 16) | (ram[p + 3] << 24);
}

/** Whole elements from linear address `lin` to the end (DF = 0) or start (DF = 1) of its page. */
function elementsInPage(lin: number, size: number, down: boolean): number {
  const at = lin & 0xfff;
  if (at + size > 0x1000) return 0;
  return down ? ((at / size) | 0) + 1 : ((0x1000 - at) / size) | 0;
}
