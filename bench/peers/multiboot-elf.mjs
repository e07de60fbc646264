// Wraps a raw flat image (bytes to load at a physical address, entered there) in a Multiboot v1 ELF,
// so that QEMU (`-kernel`) and v86 (`multiboot:`) boot the very bytes Shikiri loads with `--load`.
//
// Layout (ELF32 spec, Multiboot 0.6.96 §3.1): ELF header (52 bytes) | one PT_LOAD program header
// (32 bytes) | Multiboot header (12 bytes: magic, flags 0 = take the layout from the ELF, checksum)
// | padding to 0x100 | the raw bytes. Only the raw bytes are loaded (at p_paddr); the Multiboot
// header needs only to lie in the file's first 8 KiB, 4-byte aligned. The loader enters at e_entry
// in flat 32-bit protected mode with paging and interrupts off, as Shikiri's `--entry` does.

const MULTIBOOT_MAGIC = 0x1badb002;
const EHDR = 52;
const PHDR = 32;
const CODE_OFFSET = 0x100;

/** A Multiboot ELF whose single segment holds `bytes` at `loadAddress`, entered at `entry`. */
export function multibootElf(bytes, loadAddress, entry = loadAddress) {
  const out = new Uint8Array(CODE_OFFSET + bytes.length);
  const v = new DataView(out.buffer);
  // e_ident: 0x7F 'E' 'L' 'F', ELFCLASS32, ELFDATA2LSB, EV_CURRENT.
  out.set([0x7f, 0x45, 0x4c, 0x46, 1, 1, 1]);
  v.setUint16(16, 2, true); // e_type ET_EXEC
  v.setUint16(18, 3, true); // e_machine EM_386
  v.setUint32(20, 1, true); // e_version
  v.setUint32(24, entry, true); // e_entry
  v.setUint32(28, EHDR, true); // e_phoff
  v.setUint32(32, 0, true); // e_shoff: no section headers
  v.setUint32(36, 0, true); // e_flags
  v.setUint16(40, EHDR, true); // e_ehsize
  v.setUint16(42, PHDR, true); // e_phentsize
  v.setUint16(44, 1, true); // e_phnum
  v.setUint16(46, 40, true); // e_shentsize (the standard size even with none; v86 checks it)
  v.setUint16(48, 0, true); // e_shnum
  v.setUint16(50, 0, true); // e_shstrndx
  // Program header: PT_LOAD, read/write/execute.
  const p = EHDR;
  v.setUint32(p + 0, 1, true); // p_type PT_LOAD
  v.setUint32(p + 4, CODE_OFFSET, true); // p_offset
  v.setUint32(p + 8, loadAddress, true); // p_vaddr
  v.setUint32(p + 12, loadAddress, true); // p_paddr
  v.setUint32(p + 16, bytes.length, true); // p_filesz
  v.setUint32(p + 20, bytes.length, true); // p_memsz
  v.setUint32(p + 24, 7, true); // p_flags RWX
  v.setUint32(p + 28, 0x1000, true); // p_align
  // Multiboot header: magic + flags + checksum must sum to 0 (mod 2^32).
  const m = EHDR + PHDR;
  v.setUint32(m + 0, MULTIBOOT_MAGIC, true);
  v.setUint32(m + 4, 0, true);
  v.setUint32(m + 8, (-MULTIBOOT_MAGIC) >>> 0, true);
  out.set(bytes, CODE_OFFSET);
  return out;
}
