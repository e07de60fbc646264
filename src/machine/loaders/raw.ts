/** Raw binary images: the file's bytes copied to a chosen physical address and entered in flat 32-bit mode. */

import type { MemoryDescription } from '../board-description.js';
import { BOOT_CODE_SELECTOR, BOOT_DATA_SELECTOR, BOOT_GDT_LIMIT } from './boot-gdt.js';
import { placeBootGdt } from './elf.js';
import type { LoadResult, Segment } from './entry.js';
import { ImageError } from './image-error.js';
import { RamMap } from './ram-map.js';

/** Where a raw image goes. */
export interface RawPlacement {
  /** Physical load address, bytes. */
  address: number;
  /** Physical entry address; defaults to `address`. Must lie inside the image. */
  entry?: number;
}

/**
 * Load a raw (flat binary) image at `placement.address`, place the boot GDT in low RAM, and enter
 * at `placement.entry` in flat 32-bit protected mode (CS 0x10, DS 0x18, other registers 0).
 */
export function loadRaw(bytes: Uint8Array, file: string, memory: Pick<MemoryDescription, 'ram'>, placement: RawPlacement): LoadResult {
  const ram = new RamMap(memory);
  const { address } = placement;
  const entry = placement.entry ?? address;
  if (!Number.isSafeInteger(address) || address < 0 || address > 0xffff_ffff) throw new ImageError(file, `load address ${address} is not a 32-bit physical address`);
  if (bytes.length === 0) throw new ImageError(file, 'the image is empty');
  if (bytes.length > ram.total) throw new ImageError(file, `the image (${bytes.length} bytes) is larger than the board's ${ram.total} bytes of RAM`);
  ram.require(file, 'raw image', address, bytes.length);
  if (!Number.isSafeInteger(entry) || entry < address || entry >= address + bytes.length) {
    throw new ImageError(file, `entry 0x${Number(entry).toString(16)} is outside the image (0x${address.toString(16)}-0x${(address + bytes.length - 1).toString(16)})`);
  }
  const image: Segment = { address, bytes: bytes.slice() };
  const gdt = placeBootGdt(file, ram, [image]);
  return {
    segments: [image, gdt],
    entry: {
      mode: 'flat32',
      state: { eip: entry, codeSelector: BOOT_CODE_SELECTOR, dataSelector: BOOT_DATA_SELECTOR, gdtBase: gdt.address, gdtLimit: BOOT_GDT_LIMIT },
    },
  };
}
