/** What a loader hands to the machine: the bytes to place in RAM, an optional ROM, and the CPU entry state. */

/**
 * CPU state for entering a loaded image in flat 32-bit protected mode (paging and interrupts off).
 * The CS/DS descriptors live in a GDT the loader placed in RAM (one of its segments); the CPU
 * loads GDTR from `gdtBase`/`gdtLimit` and the segment caches from those descriptors. Registers
 * left out start at 0.
 *
 * The CPU model defines the same shape in src/cpu/x86/cpu.ts; this file re-exports that one once
 * it exists.
 */
export interface FlatModeEntry {
  eip: number;
  eax?: number;
  ebx?: number;
  ecx?: number;
  edx?: number;
  esi?: number;
  edi?: number;
  ebp?: number;
  esp?: number;
  /** Selector loaded into CS (a flat 4 GiB execute/read code descriptor). */
  codeSelector: number;
  /** Selector loaded into DS, ES, SS, FS and GS (a flat 4 GiB read/write data descriptor). */
  dataSelector: number;
  /** Physical address of the GDT. */
  gdtBase: number;
  /** GDT limit in bytes (size - 1). */
  gdtLimit: number;
}

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
