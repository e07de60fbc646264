/** String instructions MOVS/CMPS/STOS/LODS/SCAS/INS/OUTS with REP/REPE/REPNE and the direction flag. */

import type { Cpu } from '../cpu.js';
import { DF, DS, ES } from '../state.js';
import { alu } from './alu.js';
import { getZF } from '../lazy-flags.js';

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
  let n = 0;
  while (count !== 0) {
    const si = a32 ? r[6] >>> 0 : r16[12];
    const di = a32 ? r[7] >>> 0 : r16[14];
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
