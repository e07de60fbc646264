/** Image format detection: bzImage, vmlinux, Multiboot or plain ELF, from the bytes alone. */

import { hasElfMagic, parseElf32 } from './elf.js';
import { ImageError } from './image-error.js';
import { hasSetupHeader } from './linux-bzimage.js';
import { findMultibootHeader } from './multiboot.js';

/** Formats {@link detectImage} recognises. ROM and raw images have no signature and are chosen by the user. */
export type ImageKind = 'bzimage' | 'vmlinux' | 'multiboot' | 'elf';

/** Linux i386's PAGE_OFFSET: kernel virtual addresses are physical + 0xC0000000. */
const PAGE_OFFSET = 0xc000_0000;

/**
 * Decide how to boot an image, in this order: a Linux setup header (0xAA55 at 0x1FE and "HdrS"
 * at 0x202) → 'bzimage'; a valid Multiboot header in the first 8 KiB → 'multiboot'; an ELF whose
 * loadable segments are linked at PAGE_OFFSET + p_paddr (a Linux vmlinux) → 'vmlinux'; any other
 * ELF32 i386 executable → 'elf'. Anything else is an ImageError saying what was looked for.
 */
export function detectImage(bytes: Uint8Array, file: string): ImageKind {
  if (hasSetupHeader(bytes)) return 'bzimage';
  if (findMultibootHeader(bytes)) return 'multiboot';
  if (hasElfMagic(bytes)) {
    const elf = parseElf32(bytes, file); // throws a located ImageError for a broken ELF
    const linux = elf.loads.every((s) => s.vaddr >= PAGE_OFFSET && ((s.vaddr - PAGE_OFFSET) >>> 0) === s.paddr);
    return linux ? 'vmlinux' : 'elf';
  }
  throw new ImageError(file, 'unknown image format: not a Linux bzImage (no "HdrS" setup header), not Multiboot (no header in the first 8 KiB), not ELF (no 7F 45 4C 46 magic); use --rom or a raw load address for other images');
}
