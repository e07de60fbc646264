/** Disassembler (placeholder until the table-driven one lands). */
export function disassemble(bytes: Uint8Array, org = 0, bits: 16 | 32 = 32): string[] {
  void bits;
  return Array.from(bytes, (b, i) => `${(org + i).toString(16).padStart(8, '0')}  db 0x${b.toString(16).padStart(2, '0')}`);
}
