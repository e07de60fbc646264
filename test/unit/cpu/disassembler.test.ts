// The disassembler prints NASM-like Intel syntax for 16- and 32-bit code and never throws on random bytes.
import { test, expect } from 'vitest';
import fc from 'fast-check';
import { disassemble } from '../../../src/cpu/x86/disassembler.js';
import { asm } from '../../cpu/harness.js';

const text = (l: string) => l.split(/\s{2,}/)[2];

test('32-bit instructions', () => {
  const code = asm(`mov eax, [ebx+ecx*4+0x10]\nadd dword [esp+8], 3\nlock xadd [edi], edx\njmp short $+2\nrep movsd\nmov cr3, eax\nbswap ecx\ncall 0x1000\nshl word [bx+si], cl`, 32, 0x1000);
  const lines = disassemble(code, 0x1000, 32).map(text);
  expect(lines).toEqual([
    'mov eax, dword [ebx+ecx*4+0x10]',
    'add dword [esp+0x8], 0x3',
    'lock xadd dword [edi], edx',
    'jmp 0x100f',
    'rep movsd',
    'mov cr3, eax',
    'bswap ecx',
    'call 0x1000',
    'shl word [bx+si], cl',
  ]);
});

test('16-bit instructions', () => {
  const code = asm(`mov ax, [bp+di-4]\nint 0x21\nin al, dx\nmov word [es:0x10], 5\njmp 0xf000:0xfff0`, 16, 0x7c00);
  expect(disassemble(code, 0x7c00, 16).map(text)).toEqual([
    'mov ax, word [bp+di-0x4]',
    'int 0x21',
    'in al, dx',
    'mov word [es:0x10], 0x5',
    'jmp 0xf000:0xfff0',
  ]);
});

test('random bytes never throw and cover every byte', () => {
  fc.assert(fc.property(fc.uint8Array({ maxLength: 64 }), fc.constantFrom(16, 32) as fc.Arbitrary<16 | 32>, (b, bits) => {
    const lines = disassemble(b, 0, bits);
    const total = lines.reduce((n, l) => n + l.split(/\s+/)[1].length / 2, 0);
    expect(total).toBe(b.length);
  }), { seed: 4, numRuns: 500 });
});
