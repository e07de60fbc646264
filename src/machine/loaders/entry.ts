/** What a loader hands to the machine: the bytes to place in RAM, an optional ROM, and the CPU entry state. */

import type { FlatModeEntry } from '../../cpu/x86/cpu.js';

/**
 * CPU state for entering a loaded image in flat 32-bit protected mode (paging and interrupts off),
 * defined by the CPU model: EIP, optional general registers (0 when left out), the CS and data
 * selectors, and GDTR. The descriptors live in a GDT the loader placed in RAM (one of its segments).
 */
export type { FlatModeEntry };

/** How the CPU starts: flat 32-bit protected mode with a state, or real mode at CS:IP (reset vector). */
export type Entry = { mode: 'flat32'; state: FlatModeEntry } | { mode: 'real'; cs: number; ip: number };

/** Bytes to copy into RAM at a physical address (already checked to lie inside the board's RAM). */
export interface Segment {
  /** Physical address, bytes. */
  address: number;
  bytes: Uint8Array;
}

/**
 * A firmware image for the board's ROM windows: `data` (a multiple of 4 KiB) appears read-only at
 * every physical base in `windows`.
 */
export interface RomImage {
  data: Uint8Array;
  /** Physical bases where `data` is mapped. */
  windows: number[];
}

/** A loader's complete result. Loaders never touch the bus; the machine copies this in. */
export interface LoadResult {
  /** RAM contents, including the boot structures (GDT, zero page, Multiboot info) the loader built. */
  segments: Segment[];
  entry: Entry;
  /** Present for ROM images (reset-vector boot). */
  rom?: RomImage;
}
