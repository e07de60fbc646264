/** The physical bus as the CPU sees it: memory by physical address and the 64 K I/O-port space. */

/**
 * Per-page flags in {@link Bus.pageFlags}, one byte per 4 KiB physical page.
 * A page with {@link PAGE_DIRECT_READ} may be read straight from {@link Bus.ram};
 * one with {@link PAGE_DIRECT_WRITE} may also be written there without telling anyone.
 */
export const PAGE_DIRECT_READ = 1;
/** See {@link PAGE_DIRECT_READ}. Cleared on RAM pages that someone watches for writes (code pages). */
export const PAGE_DIRECT_WRITE = 2;
/** log2 of the page size used by {@link Bus.pageFlags} (4 KiB). */
export const PAGE_SHIFT = 12;

/**
 * Listener told when a watched RAM page is written through the slow path
 * (the CPU's decoded-instruction cache uses this to see self-modifying code and DMA).
 */
export type PageWriteListener = (page: number) => void;

/**
 * The machine's physical bus. Addresses are 32-bit physical addresses (0 .. 2^32-1), ports are
 * 16-bit. Values are unsigned; widths that straddle devices are split into byte accesses.
 * Unmapped memory reads all-ones and ignores writes; unknown ports read all-ones.
 * Nothing on the bus ever throws for a guest access.
 */
export interface Bus {
  /** RAM backing store; RAM occupies physical addresses [0, ram.length) except where remapped. */
  readonly ram: Uint8Array;
  /** One byte of PAGE_* flags per 4 KiB physical page (2^20 entries). */
  readonly pageFlags: Uint8Array;

  read8(addr: number): number;
  read16(addr: number): number;
  read32(addr: number): number;
  write8(addr: number, value: number): void;
  write16(addr: number, value: number): void;
  write32(addr: number, value: number): void;

  in8(port: number): number;
  in16(port: number): number;
  in32(port: number): number;
  out8(port: number, value: number): void;
  out16(port: number, value: number): void;
  out32(port: number, value: number): void;

  /**
   * Watch a RAM page for writes: clears its PAGE_DIRECT_WRITE flag so that every write goes
   * through {@link Bus.write8} (and friends), which calls the listener after storing.
   */
  watchPage(page: number): void;
  /** Stop watching a page (direct writes allowed again). */
  unwatchPage(page: number): void;
  /** The single listener for watched-page writes (the CPU installs it). */
  onWatchedWrite: PageWriteListener | null;
}
