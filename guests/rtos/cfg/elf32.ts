// Minimal ELF32 little-endian relocatable-object reader: symbols and the bytes they label (System V gABI).

/** One symbol-table entry (Elf32_Sym) with its name resolved. */
export interface Elf32Symbol {
  readonly name: string;
  /** st_value: in a relocatable object, the offset inside section `sectionIndex`. */
  readonly value: number;
  readonly size: number;
  /** st_shndx: 0 undefined, 0xFFF1 absolute, 0xFFF2 common. */
  readonly sectionIndex: number;
  readonly bind: number;
  readonly type: number;
}

/** One section header (Elf32_Shdr) with its name resolved. */
export interface Elf32Section {
  readonly name: string;
  readonly type: number;
  readonly offset: number;
  readonly size: number;
  readonly link: number;
  readonly info: number;
  readonly entsize: number;
}

/** A malformed or unsupported object file. */
export class ElfFormatError extends Error {}

const SHT_SYMTAB = 2;
const SHT_NOBITS = 8;
const SHT_REL = 9;
const SHT_RELA = 4;
const SHN_ABS = 0xfff1;

/** A parsed ELF32 object: sections, symbols, and reads of the bytes a symbol labels. */
export class Elf32Object {
  readonly sections: Elf32Section[] = [];
  readonly symbols: Elf32Symbol[] = [];
  private readonly view: DataView;

  constructor(private readonly bytes: Uint8Array) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    if (bytes.length < 52 || bytes[0] !== 0x7f || bytes[1] !== 0x45 || bytes[2] !== 0x4c || bytes[3] !== 0x46) {
      throw new ElfFormatError('not an ELF file');
    }
    if (bytes[4] !== 1) throw new ElfFormatError('not a 32-bit ELF file (EI_CLASS is not ELFCLASS32)');
    if (bytes[5] !== 1) throw new ElfFormatError('not a little-endian ELF file (EI_DATA is not ELFDATA2LSB)');
    const shoff = this.u32(0x20);
    const shentsize = this.u16(0x2e);
    const shnum = this.u16(0x30);
    const shstrndx = this.u16(0x32);
    if (shnum > 0 && shentsize < 40) throw new ElfFormatError(`section header size ${shentsize} is below 40`);
    if (shoff + shnum * shentsize > bytes.length) throw new ElfFormatError('section headers run past the end of the file');
    const raw: Omit<Elf32Section, 'name'>[] = [];
    const nameOffs: number[] = [];
    for (let i = 0; i < shnum; i++) {
      const b = shoff + i * shentsize;
      nameOffs.push(this.u32(b));
      raw.push({
        type: this.u32(b + 4),
        offset: this.u32(b + 16),
        size: this.u32(b + 20),
        link: this.u32(b + 24),
        info: this.u32(b + 28),
        entsize: this.u32(b + 36),
      });
    }
    const shstr = raw[shstrndx];
    for (let i = 0; i < raw.length; i++) {
      const s = raw[i]!;
      if (s.type !== SHT_NOBITS && s.offset + s.size > bytes.length) {
        throw new ElfFormatError(`section ${i} runs past the end of the file`);
      }
      this.sections.push({ ...s, name: shstr ? this.cString(shstr.offset, shstr.size, nameOffs[i]!) : '' });
    }
    for (const st of this.sections) {
      if (st.type !== SHT_SYMTAB) continue;
      const strtab = this.sections[st.link];
      if (!strtab) throw new ElfFormatError('symbol table links to a missing string table');
      const ent = st.entsize || 16;
      for (let off = st.offset; off + 16 <= st.offset + st.size; off += ent) {
        const info = this.bytes[off + 12]!;
        this.symbols.push({
          name: this.cString(strtab.offset, strtab.size, this.u32(off)),
          value: this.u32(off + 4),
          size: this.u32(off + 8),
          sectionIndex: this.u16(off + 14),
          bind: info >> 4,
          type: info & 0xf,
        });
      }
    }
  }

  /**
   * The `size` bytes a defined data symbol labels in a relocatable object (zeros for .bss).
   * Undefined when the symbol is undefined, common, or its bytes are patched by a relocation
   * (an address, not a constant).
   */
  symbolBytes(sym: Elf32Symbol): Uint8Array | undefined {
    if (sym.sectionIndex === 0 || sym.sectionIndex >= 0xff00) return undefined;
    const sec = this.sections[sym.sectionIndex];
    if (!sec) return undefined;
    if (sym.value + sym.size > sec.size) throw new ElfFormatError(`symbol '${sym.name}' runs past its section`);
    if (this.isRelocated(sym.sectionIndex, sym.value, sym.size)) return undefined;
    if (sec.type === SHT_NOBITS) return new Uint8Array(sym.size);
    return this.bytes.slice(sec.offset + sym.value, sec.offset + sym.value + sym.size);
  }

  /** Whether any REL/RELA entry for section `index` patches bytes in [start, start+size). */
  private isRelocated(index: number, start: number, size: number): boolean {
    for (const s of this.sections) {
      if ((s.type !== SHT_REL && s.type !== SHT_RELA) || s.info !== index) continue;
      const ent = s.entsize || (s.type === SHT_REL ? 8 : 12);
      for (let off = s.offset; off + 8 <= s.offset + s.size; off += ent) {
        const r = this.u32(off);
        if (r >= start && r < start + size) return true;
      }
    }
    return false;
  }

  /** Whether a symbol is absolute (its value is the number itself). */
  static isAbsolute(sym: Elf32Symbol): boolean {
    return sym.sectionIndex === SHN_ABS;
  }

  private u16(off: number): number {
    if (off + 2 > this.bytes.length) throw new ElfFormatError('truncated file');
    return this.view.getUint16(off, true);
  }

  private u32(off: number): number {
    if (off + 4 > this.bytes.length) throw new ElfFormatError('truncated file');
    return this.view.getUint32(off, true);
  }

  private cString(tabOff: number, tabSize: number, at: number): string {
    if (at >= tabSize) return '';
    let end = tabOff + at;
    const limit = tabOff + tabSize;
    while (end < limit && this.bytes[end] !== 0) end += 1;
    return new TextDecoder('latin1').decode(this.bytes.subarray(tabOff + at, end));
  }
}

/** A little-endian two's-complement integer from 1, 2, 4 or 8 bytes. */
export function littleEndianSigned(bytes: Uint8Array): bigint {
  let v = 0n;
  for (let i = bytes.length - 1; i >= 0; i--) v = (v << 8n) | BigInt(bytes[i]!);
  return BigInt.asIntN(bytes.length * 8, v);
}
