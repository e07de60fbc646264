/** Multiboot v1 (Multiboot Specification 0.6.96): header scan, ELF or a.out-kludge loading, info structure, modules. */

import type { MemoryDescription } from '../board-description.js';
import { BOOT_CODE_SELECTOR, BOOT_DATA_SELECTOR, BOOT_GDT_LIMIT, BOOT_GDT_SIZE, bootGdtBytes } from './boot-gdt.js';
import { elfSegments, hasElfMagic, parseElf32, physicalEntry } from './elf.js';
import type { LoadResult, Segment } from './entry.js';
import { ImageError } from './image-error.js';
import { ImageReader, put32, put64 } from './image-reader.js';
import { alignUp, RamMap, requireDisjoint, spansOf, type Span } from './ram-map.js';

/** Header magic (spec 3.1.2). */
export const MULTIBOOT_HEADER_MAGIC = 0x1badb002;
/** EAX at entry (spec 3.2). */
export const MULTIBOOT_BOOTLOADER_MAGIC = 0x2badb002;
/** The header must lie, 32-bit aligned, within the first 8192 bytes (spec 3.1.1). */
export const MULTIBOOT_SEARCH_BYTES = 8192;

/** Header flag bits (spec 3.1.2). Bits 0-15 are requirements: a loader that cannot meet one must refuse. */
const FLAG_PAGE_ALIGN = 1 << 0;
const FLAG_MEMORY_INFO = 1 << 1;
const FLAG_VIDEO_MODE = 1 << 2;
const FLAG_AOUT_KLUDGE = 1 << 16;
const SUPPORTED_REQUIRED = FLAG_PAGE_ALIGN | FLAG_MEMORY_INFO;

/** Info structure flags we set (spec 3.3). */
const INFO_MEMORY = 1 << 0;
const INFO_CMDLINE = 1 << 2;
const INFO_MODS = 1 << 3;
const INFO_MMAP = 1 << 6;
const INFO_LOADER_NAME = 1 << 9;
/** The info structure up to and including the framebuffer fields is 116 bytes; we reserve 128. */
const INFO_BYTES = 128;
const MODULE_ENTRY_BYTES = 16;
const MMAP_ENTRY_BYTES = 24; // size field (4) + base (8) + length (8) + type (4)
const MMAP_AVAILABLE = 1;
const MMAP_RESERVED = 2;
const LOADER_NAME = 'Shikiri';

/** A Multiboot header found in an image. */
export interface MultibootHeader {
  /** File offset of the header. */
  offset: number;
  flags: number;
}

/** A boot module handed to the kernel (e.g. an initrd or a partition image). */
export interface MultibootModule {
  bytes: Uint8Array;
  /** Name for error messages. */
  file: string;
  /** The module's string in the info structure (by convention its name and arguments). */
  string: string;
}

/** Inputs of a Multiboot boot besides the kernel image. */
export interface MultibootOptions {
  /** The kernel command line (info `cmdline`). */
  commandLine?: string;
  modules?: MultibootModule[];
}

/** Find the first valid Multiboot header (magic + flags + checksum = 0 mod 2^32) in the first 8 KiB; undefined if none. */
export function findMultibootHeader(bytes: Uint8Array): MultibootHeader | undefined {
  const end = Math.min(bytes.length, MULTIBOOT_SEARCH_BYTES) - 12;
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let off = 0; off <= end; off += 4) {
    if (v.getUint32(off, true) !== MULTIBOOT_HEADER_MAGIC) continue;
    const flags = v.getUint32(off + 4, true);
    const checksum = v.getUint32(off + 8, true);
    if (((MULTIBOOT_HEADER_MAGIC + flags + checksum) >>> 0) === 0) return { offset: off, flags };
  }
  return undefined;
}

/**
 * Load a Multiboot v1 kernel. The image is loaded from its ELF program headers (p_paddr), or
 * from the header's address fields when flags bit 16 (the "a.out kludge") is set. Modules go
 * page-aligned above the kernel. The info structure, memory map, module list, strings and the
 * boot GDT go in one block in low RAM (>= 0x1000, below 640 KiB) clear of the image. Entry is
 * flat 32-bit protected mode with EAX = 0x2BADB002, EBX = the info address, CS 0x10, DS 0x18,
 * paging and interrupts off (spec 3.2); the kernel sets up its own stack.
 */
export function loadMultiboot(bytes: Uint8Array, file: string, memory: Pick<MemoryDescription, 'ram' | 'rom'>, options: MultibootOptions = {}): LoadResult {
  const ram = new RamMap(memory);
  const header = findMultibootHeader(bytes);
  if (!header) throw new ImageError(file, `no Multiboot header (magic 0x1BADB002 with a valid checksum, 4-byte aligned) in the first ${MULTIBOOT_SEARCH_BYTES} bytes`);
  const { flags } = header;
  if (flags & FLAG_VIDEO_MODE) throw new ImageError(file, 'the Multiboot header requires video mode information (flags bit 2); Shikiri boards have no display');
  const unknown = flags & 0xffff & ~SUPPORTED_REQUIRED & ~FLAG_VIDEO_MODE;
  if (unknown) throw new ImageError(file, `the Multiboot header requires features this loader does not provide (flags 0x${unknown.toString(16)} in bits 0-15)`);

  let kernel: Segment[];
  let eip: number;
  if (flags & FLAG_AOUT_KLUDGE) ({ segments: kernel, entry: eip } = aoutKludge(bytes, file, header, ram));
  else {
    if (!hasElfMagic(bytes)) throw new ImageError(file, 'the Multiboot header has no address fields (flags bit 16 clear) and the file is not an ELF image');
    const elf = parseElf32(bytes, file);
    kernel = elfSegments(bytes, file, elf, ram);
    eip = physicalEntry(file, elf);
  }

  // Modules: page aligned (flags bit 0 asks for it; we always do), lowest free RAM above the kernel.
  const kernelEnd = Math.max(...kernel.map((s) => s.address + s.bytes.length), 0x10_0000);
  const placedModules: Array<{ seg: Segment; string: string }> = [];
  const taken: Span[] = spansOf(kernel);
  for (const m of options.modules ?? []) {
    const size = Math.max(m.bytes.length, 1);
    const at = ram.lowestFree(size, 0x1000, taken, kernelEnd, 0x1_0000_0000);
    if (at === undefined) throw new ImageError(m.file, `no free RAM above the kernel (0x${kernelEnd.toString(16)}) for this ${m.bytes.length}-byte module`);
    const seg = { address: at, bytes: m.bytes.slice() };
    taken.push({ base: at, size });
    placedModules.push({ seg, string: m.string });
  }

  // One boot information block: GDT, info, mmap, module list, strings.
  const mmap = memoryMap(memory);
  const enc = new TextEncoder();
  const cmdline = enc.encode((options.commandLine ?? '') + '\0');
  const loaderName = enc.encode(LOADER_NAME + '\0');
  const modStrings = placedModules.map((m) => enc.encode(m.string + '\0'));
  const offGdt = 0;
  const offInfo = BOOT_GDT_SIZE;
  const offMmap = offInfo + INFO_BYTES;
  const offMods = offMmap + mmap.length * MMAP_ENTRY_BYTES;
  const offCmd = offMods + placedModules.length * MODULE_ENTRY_BYTES;
  const offName = offCmd + cmdline.length;
  let offStr = offName + loaderName.length;
  const total = offStr + modStrings.reduce((s, x) => s + x.length, 0);
  const base = ram.lowestFree(alignUp(total, 16), 16, taken);
  if (base === undefined) throw new ImageError(file, `no free RAM below 640 KiB for the ${total}-byte Multiboot information block`);
  const block = new Uint8Array(total);
  block.set(bootGdtBytes(), offGdt);
  const info = offInfo;
  put32(block, info + 0, INFO_MEMORY | INFO_CMDLINE | INFO_MODS | INFO_MMAP | INFO_LOADER_NAME);
  put32(block, info + 4, lowerMemoryKiB(ram));
  put32(block, info + 8, upperMemoryKiB(ram));
  put32(block, info + 16, base + offCmd);
  put32(block, info + 20, placedModules.length);
  put32(block, info + 24, base + offMods);
  put32(block, info + 44, mmap.length * MMAP_ENTRY_BYTES);
  put32(block, info + 48, base + offMmap);
  put32(block, info + 64, base + offName);
  mmap.forEach((e, i) => {
    const o = offMmap + i * MMAP_ENTRY_BYTES;
    put32(block, o, MMAP_ENTRY_BYTES - 4); // `size` does not count itself
    put64(block, o + 4, e.base);
    put64(block, o + 12, e.size);
    put32(block, o + 20, e.type);
  });
  placedModules.forEach((m, i) => {
    const o = offMods + i * MODULE_ENTRY_BYTES;
    put32(block, o, m.seg.address);
    put32(block, o + 4, m.seg.address + m.seg.bytes.length); // end, exclusive
    put32(block, o + 8, base + offStr);
    block.set(modStrings[i], offStr);
    offStr += modStrings[i].length;
  });
  block.set(cmdline, offCmd);
  block.set(loaderName, offName);

  const segments = [...kernel, ...placedModules.map((m) => m.seg), { address: base, bytes: block }];
  requireDisjoint(file, segments);
  return {
    segments,
    entry: {
      mode: 'flat32',
      state: {
        eip,
        eax: MULTIBOOT_BOOTLOADER_MAGIC,
        ebx: base + offInfo,
        codeSelector: BOOT_CODE_SELECTOR,
        dataSelector: BOOT_DATA_SELECTOR,
        gdtBase: base + offGdt,
        gdtLimit: BOOT_GDT_LIMIT,
      },
    },
  };
}

/** The a.out kludge (flags bit 16): load [load_addr, load_end_addr) from the file, zero to bss_end_addr, enter at entry_addr. */
function aoutKludge(bytes: Uint8Array, file: string, header: MultibootHeader, ram: RamMap): { segments: Segment[]; entry: number } {
  const r = new ImageReader(bytes, file);
  const h = header.offset;
  const headerAddr = r.u32(h + 12, 'Multiboot header_addr');
  const loadAddr = r.u32(h + 16, 'Multiboot load_addr');
  const loadEndAddr = r.u32(h + 20, 'Multiboot load_end_addr');
  const bssEndAddr = r.u32(h + 24, 'Multiboot bss_end_addr');
  const entry = r.u32(h + 28, 'Multiboot entry_addr');
  if (loadAddr > headerAddr) r.fail(`Multiboot load_addr 0x${loadAddr.toString(16)} is above header_addr 0x${headerAddr.toString(16)}`);
  const fileStart = h - (headerAddr - loadAddr);
  if (fileStart < 0) r.fail(`Multiboot header_addr - load_addr (0x${(headerAddr - loadAddr).toString(16)}) reaches before the start of the file`);
  let size: number;
  if (loadEndAddr === 0) size = bytes.length - fileStart;
  else {
    if (loadEndAddr <= loadAddr) r.fail(`Multiboot load_end_addr 0x${loadEndAddr.toString(16)} is not above load_addr 0x${loadAddr.toString(16)}`);
    size = loadEndAddr - loadAddr;
    r.need(fileStart, size, 'Multiboot load_addr..load_end_addr image text and data');
  }
  let memSize = size;
  if (bssEndAddr !== 0) {
    if (bssEndAddr < loadAddr + size) r.fail(`Multiboot bss_end_addr 0x${bssEndAddr.toString(16)} is below the end of the loaded data (0x${(loadAddr + size).toString(16)})`);
    memSize = bssEndAddr - loadAddr;
  }
  if (memSize > ram.total) r.fail(`the image needs 0x${memSize.toString(16)} bytes, more than the board's ${ram.total} bytes of RAM`);
  ram.require(file, 'Multiboot image (load_addr..bss_end_addr)', loadAddr, memSize);
  if (entry < loadAddr || entry >= loadAddr + memSize) r.fail(`Multiboot entry_addr 0x${entry.toString(16)} is outside the loaded image (0x${loadAddr.toString(16)}-0x${(loadAddr + memSize - 1).toString(16)})`);
  const out = new Uint8Array(memSize);
  out.set(bytes.subarray(fileStart, fileStart + size));
  return { segments: [{ address: loadAddr, bytes: out }], entry };
}

/** Board memory as map entries: RAM ranges available, ROM windows reserved, sorted by address. */
function memoryMap(memory: Pick<MemoryDescription, 'ram' | 'rom'>): Array<{ base: number; size: number; type: number }> {
  return [
    ...memory.ram.map((r) => ({ base: r.base, size: r.size, type: MMAP_AVAILABLE })),
    ...(memory.rom ?? []).map((r) => ({ base: r.base, size: r.size, type: MMAP_RESERVED })),
  ].sort((a, b) => a.base - b.base);
}

/** `mem_lower`: KiB of RAM from address 0, at most 640 (spec 3.3). */
export function lowerMemoryKiB(ram: RamMap): number {
  const r = ram.ranges.find((x) => x.base === 0);
  return r ? Math.floor(Math.min(r.size, 0xa0000) / 1024) : 0;
}

/** `mem_upper`: KiB of RAM from 1 MiB up to the first hole (spec 3.3). */
export function upperMemoryKiB(ram: RamMap): number {
  const r = ram.ranges.find((x) => x.base <= 0x10_0000 && x.base + x.size > 0x10_0000);
  return r ? Math.floor((r.base + r.size - 0x10_0000) / 1024) : 0;
}
