/** Linux 32-bit boot protocol (Documentation/x86/boot.rst): bzImage or vmlinux, zero page, command line, initrd, e820. */

import { CPU_MODELS } from '../../cpu/x86/models.js';
import type { BoardDescription, MemoryDescription } from '../board-description.js';
import { BOOT_CODE_SELECTOR, BOOT_DATA_SELECTOR, BOOT_GDT_LIMIT, BOOT_GDT_SIZE, bootGdtBytes } from './boot-gdt.js';
import { elfSegments, hasElfMagic, parseElf32, physicalEntry } from './elf.js';
import type { LoadResult, Segment } from './entry.js';
import { ImageError } from './image-error.js';
import { ImageReader, put16, put32, put64 } from './image-reader.js';
import { RamMap, requireDisjoint, spansOf, type Span } from './ram-map.js';

/** The protected-mode kernel is loaded here (bzImage, "LOADED_HIGH"). */
export const KERNEL_LOAD_ADDRESS = 0x10_0000;
/** The zero page (struct boot_params) is 4 KiB. */
export const ZERO_PAGE_BYTES = 0x1000;

/** Setup header offsets, identical in the bzImage and in the zero page (boot.rst, "The Real-Mode Kernel Header"). */
const HDR = {
  setupSects: 0x1f1,
  syssize: 0x1f4, // u32, 16-byte units (2.04+)
  bootFlag: 0x1fe, // u16 0xAA55
  jump: 0x200, // the byte at 0x201 gives the header's length: end = 0x202 + that byte
  header: 0x202, // "HdrS"
  version: 0x206,
  typeOfLoader: 0x210,
  loadflags: 0x211,
  code32Start: 0x214,
  ramdiskImage: 0x218,
  ramdiskSize: 0x21c,
  cmdLinePtr: 0x228, // 2.02+
  initrdAddrMax: 0x22c, // 2.03+
  cmdlineSize: 0x238, // 2.06+
  initSize: 0x260, // 2.10+
} as const;
/** Other zero-page fields (arch/x86/include/uapi/asm/bootparam.h, struct boot_params). */
const ZP_ALT_MEM_K = 0x1e0;
const ZP_E820_ENTRIES = 0x1e8;
const ZP_E820_TABLE = 0x2d0;
const E820_MAX_ENTRIES = 128;
const E820_ENTRY_BYTES = 20;
const E820_RAM = 1;
const E820_RESERVED = 2;
/** The setup header ends before edd_mbr_sig_buffer at 0x290. */
const HDR_END_MAX = 0x290;

const HDRS_MAGIC = 0x53726448; // "HdrS"
const BOOT_FLAG = 0xaa55;
const LOADED_HIGH = 0x01;
/** "Unknown/other boot loader" (boot.rst, type_of_loader). */
const LOADER_TYPE_OTHER = 0xff;
/** Defaults for older protocol versions (boot.rst, initrd_addr_max and cmdline_size). */
const DEFAULT_INITRD_ADDR_MAX = 0x37ff_ffff;
const DEFAULT_CMDLINE_MAX = 255;
/** vmlinux has no header; x86 COMMAND_LINE_SIZE is 2048 including the NUL. */
const VMLINUX_CMDLINE_MAX = 2047;
/** A 32-bit kernel without HIGHMEM maps at most 896 MiB of low memory: the initrd must sit below it. */
const LOWMEM_LIMIT = 0x3800_0000;
/** The protocol version our zero page claims for a vmlinux (2.06: cmdline_size present). */
const VMLINUX_PROTOCOL = 0x0206;

/** Inputs of a Linux boot besides the kernel image. */
export interface LinuxBootOptions {
  /** Kernel command line (see {@link defaultLinuxCommandLine}). */
  commandLine: string;
  /** Initial RAM disk, placed high in RAM. */
  initrd?: { bytes: Uint8Array; file: string };
}

/** The parts of a bzImage setup header the loader uses. */
export interface BzImageHeader {
  /** Protocol version, e.g. 0x020f for 2.15. */
  version: number;
  setupSects: number;
  loadflags: number;
  /** File offset of the protected-mode kernel: (setup_sects + 1) * 512. */
  kernelOffset: number;
  /** Bytes of RAM the kernel needs from its load address while decompressing (init_size; 2.10+). */
  initSize: number;
  initrdAddrMax: number;
  cmdlineMax: number;
  /** End offset of the setup header (0x202 + the byte at 0x201, at most 0x290). */
  headerEnd: number;
}

/** True when the bytes carry a bzImage setup header (0xAA55 at 0x1FE and "HdrS" at 0x202). */
export function hasSetupHeader(bytes: Uint8Array): boolean {
  if (bytes.length < HDR.header + 4) return false;
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return v.getUint16(HDR.bootFlag, true) === BOOT_FLAG && v.getUint32(HDR.header, true) === HDRS_MAGIC;
}

/** Read and check a bzImage setup header; every rejection names the field and its offset. */
export function parseBzImageHeader(bytes: Uint8Array, file: string): BzImageHeader {
  const r = new ImageReader(bytes, file);
  const bootFlag = r.u16(HDR.bootFlag, 'boot sector signature (boot_flag)');
  if (bootFlag !== BOOT_FLAG) r.fail(`boot_flag (offset 0x1FE) is 0x${bootFlag.toString(16)}, expected 0xAA55: not a Linux kernel image`);
  const magic = r.u32(HDR.header, 'setup header magic');
  if (magic !== HDRS_MAGIC) r.fail(`setup header magic (offset 0x202) is 0x${magic.toString(16)}, expected "HdrS" (0x53726448): kernel older than boot protocol 2.00`);
  const version = r.u16(HDR.version, 'setup header version');
  if (version < 0x0202) r.fail(`boot protocol version (offset 0x206) is ${fmtVersion(version)}; at least 2.02 is required for the 32-bit protocol`);
  const loadflags = r.u8(HDR.loadflags, 'loadflags');
  if (!(loadflags & LOADED_HIGH)) r.fail('loadflags (offset 0x211) lacks LOADED_HIGH (bit 0): a zImage loading at 0x10000 is not supported, build a bzImage');
  const rawSects = r.u8(HDR.setupSects, 'setup_sects');
  const setupSects = rawSects === 0 ? 4 : rawSects; // boot.rst: "If this field is 0, the real value is 4."
  const kernelOffset = (setupSects + 1) * 512;
  if (kernelOffset >= bytes.length) r.fail(`truncated: setup_sects (offset 0x1F1) = ${rawSects} puts the protected-mode kernel at offset 0x${kernelOffset.toString(16)}, at or past the end of the ${bytes.length}-byte file`);
  if (version >= 0x0204) {
    const syssize = r.u32(HDR.syssize, 'syssize') * 16;
    if (syssize > bytes.length - kernelOffset) r.fail(`truncated: syssize (offset 0x1F4) says the protected-mode kernel is ${syssize} bytes, the file holds ${bytes.length - kernelOffset}`);
  }
  const headerEnd = Math.min(HDR.header + r.u8(HDR.jump + 1, 'setup header length'), HDR_END_MAX, kernelOffset);
  const initSize = version >= 0x020a ? r.u32(HDR.initSize, 'init_size') : 0;
  const initrdAddrMax = version >= 0x0203 ? r.u32(HDR.initrdAddrMax, 'initrd_addr_max') : DEFAULT_INITRD_ADDR_MAX;
  let cmdlineMax = DEFAULT_CMDLINE_MAX;
  if (version >= 0x0206) cmdlineMax = r.u32(HDR.cmdlineSize, 'cmdline_size');
  return { version, setupSects, loadflags, kernelOffset, initSize, initrdAddrMax, cmdlineMax, headerEnd };
}

function fmtVersion(v: number): string {
  return `${v >> 8}.${(v & 0xff).toString().padStart(2, '0')} (0x${v.toString(16).padStart(4, '0')})`;
}

/**
 * Load a Linux kernel for the 32-bit boot protocol: a bzImage (protected-mode part copied to
 * 0x100000) or a vmlinux ELF (segments at p_paddr, entered at the physical address of its
 * 32-bit entry). Builds the zero page (setup header copied in, type_of_loader 0xFF,
 * cmd_line_ptr, initrd fields, e820 map from the board's RAM ranges with ROM windows
 * reserved), the command line and the boot GDT in one block in low RAM; places the initrd at
 * the highest page-aligned RAM above 1 MiB and below min(896 MiB, initrd_addr_max + 1). Entry state per
 * boot.rst: CS 0x10, DS/ES/SS 0x18 flat, ESI = zero page, EBP = EDI = EBX = 0.
 */
export function loadLinux(bytes: Uint8Array, file: string, memory: Pick<MemoryDescription, 'ram' | 'rom'>, options: LinuxBootOptions): LoadResult {
  const ram = new RamMap(memory);
  const zeroPage = new Uint8Array(ZERO_PAGE_BYTES);
  let kernel: Segment[];
  let kernelSpan: Span; // RAM the kernel may touch before it reads the zero page
  let eip: number;
  let initrdAddrMax: number;
  let cmdlineMax: number;

  if (hasElfMagic(bytes)) {
    const elf = parseElf32(bytes, file);
    kernel = elfSegments(bytes, file, elf, ram);
    eip = physicalEntry(file, elf);
    const lo = Math.min(...kernel.map((s) => s.address));
    const hi = Math.max(...kernel.map((s) => s.address + s.bytes.length));
    kernelSpan = { base: lo, size: hi - lo };
    // No setup header in a vmlinux: write the fields the kernel reads.
    put16(zeroPage, HDR.bootFlag, BOOT_FLAG);
    put32(zeroPage, HDR.header, HDRS_MAGIC);
    put16(zeroPage, HDR.version, VMLINUX_PROTOCOL);
    zeroPage[HDR.loadflags] = LOADED_HIGH;
    put32(zeroPage, HDR.code32Start, eip);
    put32(zeroPage, HDR.initrdAddrMax, DEFAULT_INITRD_ADDR_MAX);
    put32(zeroPage, HDR.cmdlineSize, VMLINUX_CMDLINE_MAX);
    initrdAddrMax = DEFAULT_INITRD_ADDR_MAX;
    cmdlineMax = VMLINUX_CMDLINE_MAX;
  } else {
    // Anything else must be a bzImage; the header checks say what is missing.
    const h = parseBzImageHeader(bytes, file);
    const pm = bytes.subarray(h.kernelOffset);
    const need = Math.max(pm.length, h.initSize);
    if (need > ram.total) throw new ImageError(file, `the kernel needs ${need} bytes of RAM from 0x100000 (init_size), more than the board's ${ram.total}`);
    ram.require(file, 'protected-mode kernel plus its decompression space (init_size)', KERNEL_LOAD_ADDRESS, need);
    kernel = [{ address: KERNEL_LOAD_ADDRESS, bytes: pm.slice() }];
    kernelSpan = { base: KERNEL_LOAD_ADDRESS, size: need };
    eip = KERNEL_LOAD_ADDRESS;
    zeroPage.set(bytes.subarray(HDR.setupSects, h.headerEnd), HDR.setupSects);
    initrdAddrMax = h.initrdAddrMax;
    cmdlineMax = h.cmdlineMax;
  }

  const cmdline = new TextEncoder().encode(options.commandLine);
  if (cmdline.length > cmdlineMax) throw new ImageError(file, `the command line is ${cmdline.length} bytes; this kernel accepts at most ${cmdlineMax} (cmdline_size)`);
  if (cmdline.includes(0)) throw new ImageError(file, 'the command line contains a NUL byte');

  // Zero page, GDT and command line in one low-memory block, clear of the kernel.
  const taken: Span[] = [...spansOf(kernel), kernelSpan];
  const blockSize = ZERO_PAGE_BYTES + BOOT_GDT_SIZE + cmdline.length + 1;
  const base = ram.lowestFree(blockSize, ZERO_PAGE_BYTES, taken);
  if (base === undefined) throw new ImageError(file, `no free RAM below 640 KiB for the ${blockSize}-byte zero page, GDT and command line`);
  const block = new Uint8Array(blockSize);
  const gdtAt = base + ZERO_PAGE_BYTES;
  const cmdAt = gdtAt + BOOT_GDT_SIZE;
  block.set(bootGdtBytes(), ZERO_PAGE_BYTES);
  block.set(cmdline, ZERO_PAGE_BYTES + BOOT_GDT_SIZE); // NUL terminator: the block is zeroed
  taken.push({ base, size: blockSize });

  zeroPage[HDR.typeOfLoader] = LOADER_TYPE_OTHER;
  put32(zeroPage, HDR.cmdLinePtr, cmdAt);
  put32(zeroPage, ZP_ALT_MEM_K, upperKiB(ram));
  const e820 = [
    ...memory.ram.map((r) => ({ base: r.base, size: r.size, type: E820_RAM })),
    ...(memory.rom ?? []).map((r) => ({ base: r.base, size: r.size, type: E820_RESERVED })),
  ].sort((a, b) => a.base - b.base);
  if (e820.length > E820_MAX_ENTRIES) throw new ImageError(file, `the board's memory map has ${e820.length} ranges; the zero page holds ${E820_MAX_ENTRIES}`);
  zeroPage[ZP_E820_ENTRIES] = e820.length;
  e820.forEach((e, i) => {
    const o = ZP_E820_TABLE + i * E820_ENTRY_BYTES;
    put64(zeroPage, o, e.base);
    put64(zeroPage, o + 8, e.size);
    put32(zeroPage, o + 16, e.type);
  });

  const segments: Segment[] = [...kernel];
  if (options.initrd) {
    const { bytes: rd, file: rdFile } = options.initrd;
    if (rd.length === 0) throw new ImageError(rdFile, 'the initrd is empty');
    const limit = Math.min(initrdAddrMax + 1, LOWMEM_LIMIT);
    const at = ram.highestFree(rd.length, 0x1000, taken, limit, KERNEL_LOAD_ADDRESS);
    if (at === undefined) throw new ImageError(rdFile, `no free RAM below 0x${limit.toString(16)} (min of initrd_addr_max + 1 and 896 MiB) and above 1 MiB for this ${rd.length}-byte initrd outside the kernel`);
    segments.push({ address: at, bytes: rd.slice() });
    put32(zeroPage, HDR.ramdiskImage, at);
    put32(zeroPage, HDR.ramdiskSize, rd.length);
  }
  block.set(zeroPage, 0);
  segments.push({ address: base, bytes: block });
  requireDisjoint(file, segments);

  return {
    segments,
    entry: {
      mode: 'flat32',
      state: { eip, esi: base, ebp: 0, edi: 0, ebx: 0, codeSelector: BOOT_CODE_SELECTOR, dataSelector: BOOT_DATA_SELECTOR, gdtBase: gdtAt, gdtLimit: BOOT_GDT_LIMIT },
    },
  };
}

function upperKiB(ram: RamMap): number {
  const r = ram.ranges.find((x) => x.base <= 0x10_0000 && x.base + x.size > 0x10_0000);
  return r ? Math.floor((r.base + r.size - 0x10_0000) / 1024) : 0;
}

/** Linux's timer frequency in the guest's configuration (CONFIG_HZ_100; see guests/linux). */
export const LINUX_HZ = 100;

/**
 * Linux `loops_per_jiffy` for a board, so the kernel can skip delay-loop calibration (`lpj=`).
 *
 * Derivation: a 486-class kernel has no TSC, so udelay() runs `delay_loop` (arch/x86/lib/delay.c),
 * whose body is `2: dec %eax; jnz 2b` — one loop is one DEC (1 clock on the i486) plus one taken
 * JNZ (3 clocks), 4 clocks in all (Intel486 Programmer's Reference Manual, instruction timings).
 * udelay(n) spins n * lpj * HZ / 10^6 loops, so for n µs to take n µs of virtual time,
 * lpj = frequencyHz / (HZ * clocks per loop). We take the clocks per loop from the board's CPU
 * model (its `alu` and `branch` costs), so the delay is exact in Shikiri's virtual time; with the
 * i486 costs this gives 82 500 at 33 MHz, i.e. 16.5 BogoMIPS, what real 486-33s reported.
 */
export function linuxLoopsPerJiffy(board: Pick<BoardDescription, 'cpu'>): number {
  const model = Object.prototype.hasOwnProperty.call(CPU_MODELS, board.cpu.model) ? CPU_MODELS[board.cpu.model] : undefined;
  const clocksPerLoop = model ? model.cycles.alu + model.cycles.branch : 4;
  return Math.max(1, Math.floor(board.cpu.frequencyHz / (LINUX_HZ * clocksPerLoop)));
}

/** The default Linux command line for a board: console on the first UART and a preset `lpj`. */
export function defaultLinuxCommandLine(board: Pick<BoardDescription, 'cpu'>): string {
  return `console=ttyS0 lpj=${linuxLoopsPerJiffy(board)}`;
}
