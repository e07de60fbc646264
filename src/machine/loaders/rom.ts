/** Firmware ROM images for a reset-vector boot: 64 KiB at 0xF0000 and aliased below 4 GiB, entered at F000:FFF0. */

import type { MemoryDescription } from '../board-description.js';
import type { LoadResult } from './entry.js';
import { ImageError } from './image-error.js';

/** The system ROM as a PC decodes it: the 64 KiB real-mode segment F000. */
export const ROM_BYTES = 0x1_0000;
/** Ends of the windows the reset vector is fetched from: 1 MiB (real-mode F000:FFF0) and 4 GiB (the 486's first fetch at 0xFFFFFFF0). */
const ROM_WINDOW_ENDS = [0x10_0000, 0x1_0000_0000];
/** Bytes below a short image read as erased flash. */
const ERASED = 0xff;

/**
 * Load a ROM image of 1..64 KiB. Images shorter than 64 KiB are aligned to the top (their last
 * byte at 0xFFFFF and 0xFFFFFFFF, so the reset vector is the 16th byte from the end); the rest
 * of the 64 KiB reads 0xFF. The image is mapped in every board ROM window that ends at 1 MiB or
 * 4 GiB and is at least 64 KiB (at that window's top 64 KiB); the board must have one. The CPU
 * starts in real mode at CS:IP = F000:FFF0 (Intel486 datasheet, "RESET"), RAM untouched.
 */
export function loadRom(bytes: Uint8Array, file: string, memory: Pick<MemoryDescription, 'rom'>): LoadResult {
  if (bytes.length === 0) throw new ImageError(file, 'the ROM image is empty');
  if (bytes.length > ROM_BYTES) throw new ImageError(file, `the ROM image is ${bytes.length} bytes; at most ${ROM_BYTES} (64 KiB, the F000 segment) is supported`);
  const windows: number[] = [];
  for (const w of memory.rom ?? []) {
    const end = w.base + w.size;
    if (ROM_WINDOW_ENDS.includes(end) && w.size >= ROM_BYTES) windows.push(end - ROM_BYTES);
  }
  if (windows.length === 0) throw new ImageError(file, 'the board has no ROM window at 0xF0000-0xFFFFF or 0xFFFF0000-0xFFFFFFFF to hold a reset-vector ROM');
  const data = new Uint8Array(ROM_BYTES).fill(ERASED);
  data.set(bytes, ROM_BYTES - bytes.length);
  return { segments: [], entry: { mode: 'real', cs: 0xf000, ip: 0xfff0 }, rom: { data, windows } };
}
