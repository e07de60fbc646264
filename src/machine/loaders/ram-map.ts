/** The board's RAM as the loaders see it: range checks for segments and a deterministic allocator for boot structures. */

import type { MemoryDescription } from '../board-description.js';
import { ImageError } from './image-error.js';
import type { Segment } from './entry.js';

/** A physical byte range [base, base+size). */
export interface Span {
  base: number;
  size: number;
}

/** Lowest address the allocator hands out: page 0 keeps the real-mode IVT and BIOS data area free. */
export const BOOT_AREA_START = 0x1000;
/** Boot structures stay in conventional memory, below the 640 KiB line (the Linux protocol's advice). */
export const BOOT_AREA_END = 0xa0000;

const overlaps = (a: Span, b: Span): boolean => a.base < b.base + b.size && b.base < a.base + a.size;

/** RAM ranges of a board, sorted, with adjacent ranges merged. */
export class RamMap {
  readonly ranges: readonly Span[];

  constructor(memory: Pick<MemoryDescription, 'ram'>) {
    const sorted = [...memory.ram].map((r) => ({ base: r.base, size: r.size })).sort((a, b) => a.base - b.base);
    const merged: Span[] = [];
    for (const r of sorted) {
      const last = merged[merged.length - 1];
      if (last && last.base + last.size >= r.base) last.size = Math.max(last.size, r.base + r.size - last.base);
      else merged.push({ ...r });
    }
    this.ranges = merged;
  }

  /** Total RAM, bytes. */
  get total(): number {
    return this.ranges.reduce((s, r) => s + r.size, 0);
  }

  /** True when every byte of [base, base+size) is RAM (size 0 counts as inside when base is RAM or a range end). */
  contains(base: number, size: number): boolean {
    return this.ranges.some((r) => base >= r.base && base + size <= r.base + r.size);
  }

  /** Throw an ImageError naming `what` unless [base, base+size) is RAM. */
  require(file: string, what: string, base: number, size: number): void {
    if (!this.contains(base, size)) {
      const end = base + size;
      throw new ImageError(file, `${what} at 0x${base.toString(16)}-0x${(end - 1).toString(16)} (${size} bytes) is not inside the board's RAM (${this.describe()})`);
    }
  }

  /** The RAM map as text, for messages. */
  describe(): string {
    return this.ranges.map((r) => `0x${r.base.toString(16)}-0x${(r.base + r.size - 1).toString(16)}`).join(', ');
  }

  /**
   * Lowest address >= `from` (aligned to `align`) where `size` bytes of RAM end at or below `to`
   * and overlap none of `taken`. Deterministic: same inputs, same address. Returns undefined if none.
   */
  lowestFree(size: number, align: number, taken: readonly Span[], from = BOOT_AREA_START, to = BOOT_AREA_END): number | undefined {
    for (const r of this.ranges) {
      let a = alignUp(Math.max(r.base, from), align);
      while (a + size <= Math.min(r.base + r.size, to)) {
        const clash = taken.find((t) => overlaps(t, { base: a, size }));
        if (!clash) return a;
        a = alignUp(clash.base + clash.size, align);
      }
    }
    return undefined;
  }

  /** Highest address >= `from` (aligned down to `align`) where `size` bytes fit in RAM below `to`, clear of `taken`. */
  highestFree(size: number, align: number, taken: readonly Span[], to: number, from = 0): number | undefined {
    for (let i = this.ranges.length - 1; i >= 0; i--) {
      const r = this.ranges[i];
      const floor = Math.max(r.base, from);
      let end = Math.min(r.base + r.size, to);
      while (end - size >= floor) {
        const a = alignDown(end - size, align);
        if (a < floor) break;
        const clash = taken.find((t) => overlaps(t, { base: a, size }));
        if (!clash) return a;
        end = clash.base;
      }
    }
    return undefined;
  }
}

export function alignUp(n: number, align: number): number {
  return Math.ceil(n / align) * align;
}

export function alignDown(n: number, align: number): number {
  return Math.floor(n / align) * align;
}

/** Spans covered by segments, for allocation around them. */
export function spansOf(segments: readonly Segment[]): Span[] {
  return segments.map((s) => ({ base: s.address, size: s.bytes.length }));
}

/** Throw an ImageError if two segments overlap (names them by index and address). */
export function requireDisjoint(file: string, segments: readonly Segment[], what = 'segment'): void {
  const sorted = segments.map((s, i) => ({ i, base: s.address, size: s.bytes.length })).filter((s) => s.size > 0).sort((a, b) => a.base - b.base);
  for (let k = 1; k < sorted.length; k++) {
    const p = sorted[k - 1];
    const s = sorted[k];
    if (s.base < p.base + p.size) {
      throw new ImageError(file, `${what} ${s.i} at 0x${s.base.toString(16)} overlaps ${what} ${p.i} (0x${p.base.toString(16)}-0x${(p.base + p.size - 1).toString(16)})`);
    }
  }
}
