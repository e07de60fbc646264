/** IN/OUT with the I/O permission check (IOPL, TSS I/O bitmap); interrupts are re-checked after every access. */

import type { Cpu } from '../cpu.js';

/** IN: returns the value read from `port` (size 1, 2 or 4 bytes). */
export function portIn(c: Cpu, port: number, size: number): number {
  port &= 0xffff;
  c.checkIo(port, size);
  c.irqCheck = true;
  c.slow = true;
  if (c.intercept !== null) {
    const v = c.intercept.io(c, port, size, false, 0);
    if (v !== null) return v;
  }
  return size === 1 ? c.bus.in8(port) : size === 2 ? c.bus.in16(port) : c.bus.in32(port) | 0;
}

/** OUT: a port write may unmask the PIC, so the next boundary checks the interrupt inputs. */
export function portOut(c: Cpu, port: number, size: number, v: number): void {
  port &= 0xffff;
  c.checkIo(port, size);
  c.irqCheck = true;
  c.slow = true;
  if (c.intercept !== null && c.intercept.io(c, port, size, true, v) !== null) return;
  if (size === 1) c.bus.out8(port, v & 0xff);
  else if (size === 2) c.bus.out16(port, v & 0xffff);
  else c.bus.out32(port, v >>> 0);
}
