// Specification of the ELF32 relocatable reader: symbols, their bytes, relocated data, bad files.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

import { Elf32Object, ElfFormatError, littleEndianSigned } from '../../../guests/rtos/cfg/elf32.js';
import { writeFixture } from './cfg-fixture.js';

function compile(src: string): Uint8Array {
  const dir = writeFixture({ 'x.c': src });
  execFileSync('gcc', ['-m32', '-c', '-O0', '-fno-common', join(dir, 'x.c'), '-o', join(dir, 'x.o')]);
  return new Uint8Array(readFileSync(join(dir, 'x.o')));
}

describe('Elf32Object', () => {
  it('reads the values of initialised data symbols from a gcc -m32 object', () => {
    const elf = new Elf32Object(compile('const long long a = -5; long long b = 0x123456789; const long long z = 0; int small = 7;'));
    const read = (name: string) => {
      const sym = elf.symbols.find((s) => s.name === name)!;
      return littleEndianSigned(elf.symbolBytes(sym)!);
    };
    expect(read('a')).toBe(-5n);
    expect(read('b')).toBe(0x123456789n);
    expect(read('z')).toBe(0n);
    expect(read('small')).toBe(7n);
  });

  it('gives no bytes for data patched by a relocation (an address is not a constant)', () => {
    const elf = new Elf32Object(compile('int x; int *const p = &x; const int n = 3;'));
    const p = elf.symbols.find((s) => s.name === 'p')!;
    const n = elf.symbols.find((s) => s.name === 'n')!;
    expect(elf.symbolBytes(p)).toBeUndefined();
    expect(elf.symbolBytes(n)).toBeDefined();
  });

  it('names its sections', () => {
    const elf = new Elf32Object(compile('const int k = 1;'));
    expect(elf.sections.map((s) => s.name)).toEqual(expect.arrayContaining(['.symtab', '.strtab', '.rodata']));
  });

  it('rejects files that are not little-endian ELF32 with a clear error', () => {
    expect(() => new Elf32Object(new Uint8Array(10))).toThrow(ElfFormatError);
    const elf64 = new Uint8Array(64);
    elf64.set([0x7f, 0x45, 0x4c, 0x46, 2, 1]);
    expect(() => new Elf32Object(elf64)).toThrow(/32-bit/);
    const truncated = compile('const int k = 1;').slice(0, 200);
    expect(() => new Elf32Object(truncated)).toThrow(ElfFormatError);
  });
});

describe('littleEndianSigned', () => {
  it('sign-extends from the width given', () => {
    expect(littleEndianSigned(new Uint8Array([0xff, 0xff, 0xff, 0xff]))).toBe(-1n);
    expect(littleEndianSigned(new Uint8Array([0x34, 0x12]))).toBe(0x1234n);
  });
});
