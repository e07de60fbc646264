/** ELF32 i386 executables (System V ABI, Intel386 supplement): header checks and PT_LOAD segments at their physical addresses. */

import type { MemoryDescription } from '../board-description.js';
import { BOOT_CODE_SELECTOR, BOOT_DATA_SELECTOR, BOOT_GDT_LIMIT, BOOT_GDT_SIZE, bootGdtBytes } from './boot-gdt.js';
import type { LoadResult, Segment } from './entry.js';
import { ImageError } from './image-error.js';
import { ImageReader } from './image-reader.js';
import { RamMap, requireDisjoint, spansOf } from './ram-map.js';

/** ELF header constants (System V ABI, "ELF Header"). */
const ELF_MAGIC = 0x464c457f; // 0x7F 'E' 'L' 'F' read little-endian
const ELFCLASS32 = 1;
const ELFDATA2LSB = 1;
const EV_CURRENT = 1;
const ET_EXEC = 2;
const EM_386 = 3;
const EHDR_SIZE = 52;
const PHDR_SIZE = 32;
/** e_phnum 0xFFFF (PN_XNUM) would mean "count in section 0"; executables never need that many. */
const MAX_PHNUM = 0xfffe;
const PT_LOAD = 1;

/** True when the bytes start with the ELF magic (any class). */
export function hasElfMagic(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0x7f && bytes[1] === 0x45 && bytes[2] === 0x4c && bytes[3] === 0x46;
}

/** One PT_LOAD program header. */
export interface ElfLoadSegment {
  /** Index in the program header table. */
  index: number;
  offset: number;
  vaddr: number;
  paddr: number;
  filesz: number;
  memsz: number;
  flags: number;
}

/** A parsed ELF32 i386 executable: its entry (as stored) and loadable segments. */
export interface Elf32Image {
  entry: number;
  loads: ElfLoadSegment[];
}

/**
 * Parse and check the ELF header and program headers: magic, class 32, little-endian, version,
 * type EXEC, machine 386, header and entry sizes, table bounds, and each PT_LOAD's file range,
 * filesz <= memsz, and 32-bit address range. Throws ImageError naming the field.
 */
export function parseElf32(bytes: Uint8Array, file: string): Elf32Image {
  const r = new ImageReader(bytes, file);
  r.need(0, EHDR_SIZE, 'ELF header');
  if (r.u32(0, 'e_ident magic') !== ELF_MAGIC) r.fail('not an ELF file (e_ident magic is not 7F 45 4C 46)');
  const cls = r.u8(4, 'EI_CLASS');
  if (cls !== ELFCLASS32) r.fail(`EI_CLASS is ${cls}, expected 1 (ELFCLASS32): only 32-bit ELF images are supported`);
  const data = r.u8(5, 'EI_DATA');
  if (data !== ELFDATA2LSB) r.fail(`EI_DATA is ${data}, expected 1 (little-endian)`);
  const identVersion = r.u8(6, 'EI_VERSION');
  if (identVersion !== EV_CURRENT) r.fail(`EI_VERSION is ${identVersion}, expected 1`);
  const type = r.u16(16, 'e_type');
  if (type !== ET_EXEC) r.fail(`e_type is ${type}, expected 2 (ET_EXEC): relocatable and shared objects cannot be booted`);
  const machine = r.u16(18, 'e_machine');
  if (machine !== EM_386) r.fail(`e_machine is ${machine}, expected 3 (EM_386)`);
  const version = r.u32(20, 'e_version');
  if (version !== EV_CURRENT) r.fail(`e_version is ${version}, expected 1`);
  const entry = r.u32(24, 'e_entry');
  const phoff = r.u32(28, 'e_phoff');
  const ehsize = r.u16(40, 'e_ehsize');
  if (ehsize < EHDR_SIZE) r.fail(`e_ehsize is ${ehsize}, expected at least ${EHDR_SIZE}`);
  const phentsize = r.u16(42, 'e_phentsize');
  const phnum = r.u16(44, 'e_phnum');
  if (phnum === 0) r.fail('e_phnum is 0: the file has no program headers to load');
  if (phnum > MAX_PHNUM) r.fail(`e_phnum is ${phnum} (PN_XNUM): extended program header counts are not supported`);
  if (phentsize !== PHDR_SIZE) r.fail(`e_phentsize is ${phentsize}, expected ${PHDR_SIZE}`);
  r.need(phoff, phnum * PHDR_SIZE, `program header table (e_phoff 0x${phoff.toString(16)}, ${phnum} entries)`);

  const loads: ElfLoadSegment[] = [];
  for (let i = 0; i < phnum; i++) {
    const p = phoff + i * PHDR_SIZE;
    if (r.u32(p, `program header ${i} p_type`) !== PT_LOAD) continue;
    const seg: ElfLoadSegment = {
      index: i,
      offset: r.u32(p + 4, 'p_offset'),
      vaddr: r.u32(p + 8, 'p_vaddr'),
      paddr: r.u32(p + 12, 'p_paddr'),
      filesz: r.u32(p + 16, 'p_filesz'),
      memsz: r.u32(p + 20, 'p_memsz'),
      flags: r.u32(p + 24, 'p_flags'),
    };
    if (seg.filesz > seg.memsz) r.fail(`segment ${i}: p_filesz 0x${seg.filesz.toString(16)} exceeds p_memsz 0x${seg.memsz.toString(16)}`);
    r.need(seg.offset, seg.filesz, `segment ${i} file data (p_offset 0x${seg.offset.toString(16)}, p_filesz 0x${seg.filesz.toString(16)})`);
    if (seg.paddr + seg.memsz > 0x1_0000_0000) r.fail(`segment ${i}: p_paddr 0x${seg.paddr.toString(16)} + p_memsz 0x${seg.memsz.toString(16)} runs past 4 GiB`);
    loads.push(seg);
  }
  if (loads.length === 0) r.fail('no PT_LOAD program header: nothing to load');
  return { entry, loads };
}

/**
 * Turn PT_LOAD segments into RAM segments at their physical addresses (p_paddr): file bytes then
 * zero fill to p_memsz. Rejects a segment larger than the board's RAM (before allocating), one
 * outside RAM, and overlapping segments.
 */
export function elfSegments(bytes: Uint8Array, file: string, image: Elf32Image, ram: RamMap): Segment[] {
  const segments: Segment[] = [];
  for (const s of image.loads) {
    if (s.memsz === 0) continue;
    if (s.memsz > ram.total) throw new ImageError(file, `segment ${s.index}: p_memsz 0x${s.memsz.toString(16)} is larger than the board's ${ram.total} bytes of RAM`);
    ram.require(file, `segment ${s.index} (p_paddr)`, s.paddr, s.memsz);
    const out = new Uint8Array(s.memsz);
    out.set(bytes.subarray(s.offset, s.offset + s.filesz));
    segments.push({ address: s.paddr, bytes: out });
  }
  requireDisjoint(file, segments);
  return segments;
}

/**
 * Physical address of the entry point: e_entry itself when a segment's physical range holds it,
 * otherwise translated through the segment whose virtual range holds it (p_paddr + e_entry -
 * p_vaddr). Linux's vmlinux stores the physical `phys_startup_32` already; other kernels linked
 * at a virtual base store a virtual address. Throws if no segment holds it.
 */
export function physicalEntry(file: string, image: Elf32Image): number {
  const e = image.entry;
  if (image.loads.some((s) => e >= s.paddr && e < s.paddr + s.memsz)) return e;
  const v = image.loads.find((s) => e >= s.vaddr && e < s.vaddr + s.memsz);
  if (v) return (v.paddr + (e - v.vaddr)) >>> 0;
  throw new ImageError(file, `entry point e_entry 0x${e.toString(16)} is outside every loadable segment`);
}

/** The flat-mode GDT placed in the low boot area, clear of the image. */
export function placeBootGdt(file: string, ram: RamMap, taken: Segment[]): Segment {
  const at = ram.lowestFree(BOOT_GDT_SIZE, 8, spansOf(taken));
  if (at === undefined) throw new ImageError(file, `no free RAM below 640 KiB for the ${BOOT_GDT_SIZE}-byte boot GDT`);
  return { address: at, bytes: bootGdtBytes() };
}

/**
 * Load an ELF32 i386 executable for a bare-metal start: segments at p_paddr, a boot GDT in low
 * RAM, and flat 32-bit entry at the physical entry point with CS 0x10 / DS 0x18. Other registers
 * start at 0; the program sets up its own stack.
 */
export function loadElf(bytes: Uint8Array, file: string, memory: Pick<MemoryDescription, 'ram'>): LoadResult {
  const ram = new RamMap(memory);
  const image = parseElf32(bytes, file);
  const segments = elfSegments(bytes, file, image, ram);
  const eip = physicalEntry(file, image);
  const gdt = placeBootGdt(file, ram, segments);
  return {
    segments: [...segments, gdt],
    entry: {
      mode: 'flat32',
      state: { eip, codeSelector: BOOT_CODE_SELECTOR, dataSelector: BOOT_DATA_SELECTOR, gdtBase: gdt.address, gdtLimit: BOOT_GDT_LIMIT },
    },
  };
}
