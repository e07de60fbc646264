// CPU workloads: small 32-bit programs loaded raw at 1 MiB, ending through port 0xF4: hand-assembled
// loops, and NASM sources (assembled at prepare time) for strings, calls, page faults and interrupts.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

const LOAD = 0x100000;

/** Little-endian bytes of a 32-bit value. */
const u32 = (v) => [v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff];

/** `mov al, 0; out 0xF4, al` — end the run with guest exit value 0. */
const EXIT = [0xb0, 0x00, 0xe6, 0xf4];

/**
 * ALU loop, 50 M iterations of 5 instructions:
 *   mov ecx, N / l: add eax, ebx / xor edx, eax / sub ebx, 3 / dec ecx / jnz l
 */
function aluLoop(iterations) {
  return [0xb9, ...u32(iterations), 0x01, 0xd8, 0x31, 0xc2, 0x83, 0xeb, 0x03, 0x49, 0x75, 0xf6, ...EXIT];
}

/**
 * Memory copy: 200 times `rep movsd` of 256 KiB from 2 MiB to 3 MiB, plus a byte-wise loop copy
 * of 64 KiB each time:
 *   mov ebp, 200
 *   o: mov esi, 0x200000 / mov edi, 0x300000 / mov ecx, 0x10000 / cld / rep movsd
 *      mov esi, 0x200000 / mov edi, 0x340000 / mov ecx, 0x10000
 *   b: mov al, [esi] / mov [edi], al / inc esi / inc edi / dec ecx / jnz b
 *      dec ebp / jnz o
 */
function memCopy() {
  const body = [
    0xbe, ...u32(0x200000), 0xbf, ...u32(0x300000), 0xb9, ...u32(0x10000), 0xfc, 0xf3, 0xa5,
    0xbe, ...u32(0x200000), 0xbf, ...u32(0x340000), 0xb9, ...u32(0x10000),
    0x8a, 0x06, 0x88, 0x07, 0x46, 0x47, 0x49, 0x75, 0xf7,
    0x4d,
  ];
  const jnzBack = -(body.length + 2);
  return [0xbd, ...u32(200), ...body, 0x75, jnzBack & 0xff, ...EXIT];
}

function raw(name, bytes) {
  return async (tmp) => {
    const file = join(tmp, `${name}.bin`);
    writeFileSync(file, Uint8Array.from(bytes));
    return ['--load', `${file}@${LOAD}`, '--entry', String(LOAD), '--serial', 'none', '--max-instructions', '2000000000'];
  };
}

/**
 * Common start of the NASM workloads: entered in flat 32-bit protected mode (Shikiri's --entry, or
 * a peer's Multiboot loader), they load their own GDT (0x08 code, 0x10 data, flat) and an IDT at
 * 0x13000 whose 32 exception vectors end the run with exit value 0xEE; `GATE vec, handler` sets
 * one interrupt gate. `EXIT value` ends the run through port 0xF4.
 */
const PRELUDE = `
bits 32
org 0x100000
%macro EXIT 1
  mov al, %1
  out 0xf4, al
  cli
  hlt
%endmacro
%macro GATE 2
  mov eax, %2
  mov [0x13000 + (%1) * 8], ax
  mov word [0x13000 + (%1) * 8 + 2], 0x08
  mov word [0x13000 + (%1) * 8 + 4], 0x8e00
  shr eax, 16
  mov [0x13000 + (%1) * 8 + 6], ax
%endmacro
  cli
  lgdt [gdtr]
  jmp 0x08:.flat
.flat:
  mov ax, 0x10
  mov ds, ax
  mov es, ax
  mov fs, ax
  mov gs, ax
  mov ss, ax
  mov esp, 0x90000
  cld
  mov edi, 0x13000
  mov ecx, 512
  xor eax, eax
  rep stosd
%assign v 0
%rep 32
  GATE v, unexpected
%assign v v+1
%endrep
  lidt [idtr]
  jmp main
unexpected:
  EXIT 0xee
align 8
gdt: dq 0, 0x00cf9a000000ffff, 0x00cf92000000ffff
gdtr: dw 23
  dd gdt
idtr: dw 256 * 8 - 1
  dd 0x13000
main:
`;

/**
 * String instructions, 1000 rounds of: REP MOVSD 16 KiB (aligned), REP MOVSB 16 KiB - 1 (source
 * and destination misaligned differently), REP STOSD 16 KiB, REPE CMPSD over two equal 16 KiB
 * buffers, REPNE SCASB over 16 KiB without a match, and 4 KiB of LODSD in a LOOP.
 */
const STRINGS = `
  mov ebp, 1000
round:
  mov esi, 0x200000
  mov edi, 0x300000
  mov ecx, 4096
  rep movsd
  mov esi, 0x200001
  mov edi, 0x310003
  mov ecx, 16383
  rep movsb
  mov edi, 0x320000
  mov eax, 0x5a5a5a5a
  mov ecx, 4096
  rep stosd
  mov esi, 0x200000
  mov edi, 0x300000
  mov ecx, 4096
  repe cmpsd
  jne bad
  mov edi, 0x320000
  xor eax, eax
  mov ecx, 16384
  repne scasb
  je bad
  mov esi, 0x320000
  mov ecx, 1024
sum:
  lodsd
  add edx, eax
  loop sum
  dec ebp
  jnz round
  EXIT 0
bad:
  EXIT 1
`;

/**
 * Calls and stack frames: 15 times the recursive Fibonacci of 24 (75 k calls each, frames with
 * EBP, a saved register and stack arguments; LEAVE/RET), checked against 46368.
 */
const CALLS = `
  mov ecx, 15
again:
  push ecx
  push 24
  call fib
  add esp, 4
  pop ecx
  cmp eax, 46368
  jne bad
  loop again
  EXIT 0
bad:
  EXIT 1
fib:
  push ebp
  mov ebp, esp
  push ebx
  mov eax, [ebp + 8]
  cmp eax, 2
  jb .done
  dec eax
  push eax
  call fib
  mov ebx, eax
  mov eax, [ebp + 8]
  sub eax, 2
  push eax
  call fib
  add esp, 8
  add eax, ebx
.done:
  mov ebx, [ebp - 4]
  leave
  ret
`;

/**
 * Page faults in paged protected mode: the first 4 MiB are identity-mapped; the 1024 pages at
 * 4-8 MiB start not present. Each of 250 rounds writes one dword into every one of those pages —
 * each write faults, and the #PF handler maps the page at CR2 and returns — then unmaps them all
 * again and reloads CR3: 256 000 page faults, and as many TLB misses after each flush.
 */
const PAGE_FAULTS = `
  GATE 14, page_fault
  mov edi, 0x10000               ; page directory, then the tables for 0-4 MiB and 4-8 MiB
  mov ecx, 3 * 1024
  xor eax, eax
  rep stosd
  mov dword [0x10000], 0x11000 | 3
  mov dword [0x10004], 0x12000 | 3
  mov edi, 0x11000
  mov eax, 3
  mov ecx, 1024
.id:
  stosd
  add eax, 0x1000
  loop .id
  mov eax, 0x10000
  mov cr3, eax
  mov eax, cr0
  or eax, 0x80000000
  mov cr0, eax
  jmp .paged
.paged:
  mov ebp, 250
round:
  mov edi, 0x400000
  mov ecx, 1024
touch:
  mov [edi], ecx                 ; faults: not present
  add edi, 0x1000
  loop touch
  mov edi, 0x12000               ; unmap all, flush the TLB
  mov ecx, 1024
  xor eax, eax
  rep stosd
  mov eax, cr3
  mov cr3, eax
  dec ebp
  jnz round
  EXIT 0
page_fault:
  push eax
  push ebx
  mov eax, cr2
  mov ebx, eax
  shr ebx, 12
  and ebx, 0x3ff
  and eax, 0xfffff000
  or eax, 3
  mov [0x12000 + ebx * 4], eax
  pop ebx
  pop eax
  add esp, 4                     ; the error code
  iret
`;

/**
 * Interrupts: the 8259 pair initialised (vectors 0x20/0x28, only IRQ 0 unmasked), PIT channel 0
 * in mode 2 with reload 40 (about 29.8 kHz), and a busy loop of ALU work until the IRQ 0 handler
 * (count, EOI, IRET) has run 15 000 times: about half a second of guest time.
 */
const INTERRUPTS = `
  GATE 0x20, irq0
  mov al, 0x11
  out 0x20, al
  out 0xa0, al
  mov al, 0x20
  out 0x21, al
  mov al, 0x28
  out 0xa1, al
  mov al, 4
  out 0x21, al
  mov al, 2
  out 0xa1, al
  mov al, 1
  out 0x21, al
  out 0xa1, al
  mov al, 0xfe
  out 0x21, al
  mov al, 0xff
  out 0xa1, al
  mov al, 0x34
  out 0x43, al
  mov al, 40
  out 0x40, al
  xor al, al
  out 0x40, al
  mov dword [ticks], 0
  xor edx, edx
  sti
work:
  add edx, ecx
  xor ecx, edx
  inc ecx
  cmp dword [ticks], 15000
  jb work
  cli
  EXIT 0
irq0:
  push eax
  inc dword [ticks]
  mov al, 0x20
  out 0x20, al
  pop eax
  iret
align 4
ticks: dd 0
`;

/** Assemble a NASM workload (PRELUDE + body) to a flat binary at 1 MiB; needs `nasm` on the PATH. */
function nasm(name, body) {
  return async (tmp) => {
    const src = join(tmp, `${name}.asm`);
    const file = join(tmp, `${name}.bin`);
    writeFileSync(src, PRELUDE + body);
    try {
      execFileSync('nasm', ['-f', 'bin', '-o', file, src], { stdio: 'pipe' });
    } catch (e) {
      throw new Error(e.code === 'ENOENT' ? 'needs nasm on the PATH' : `nasm: ${String(e.stderr ?? e.message).trim()}`);
    }
    return ['--load', `${file}@${LOAD}`, '--entry', String(LOAD), '--serial', 'none', '--max-instructions', '2000000000'];
  };
}

export const cpuWorkloads = [
  { name: 'alu-loop', description: '50 M iterations of add/xor/sub/dec/jnz', prepare: raw('alu-loop', aluLoop(50_000_000)), check: exitedCleanly },
  { name: 'mem-copy', description: '200 × (rep movsd 256 KiB + byte loop 64 KiB)', prepare: raw('mem-copy', memCopy()), check: exitedCleanly },
  { name: 'string-rep', description: '1000 × REP MOVSD/MOVSB/STOSD, REPE CMPSD, REPNE SCASB, LODSD loop (16 KiB each)', prepare: nasm('string-rep', STRINGS), check: exitedWithZero },
  { name: 'call-ret', description: '15 × recursive fib(24): 1.1 M calls with stack frames', prepare: nasm('call-ret', CALLS), check: exitedWithZero },
  { name: 'page-faults', description: 'paged mode: 256 000 #PF (map on fault, unmap all, reload CR3)', prepare: nasm('page-faults', PAGE_FAULTS), check: exitedWithZero },
  { name: 'irq-storm', description: 'PIT at 29.8 kHz through the 8259: 15 000 IRQ 0 handlers over a busy loop', prepare: nasm('irq-storm', INTERRUPTS), check: exitedWithZero },
];

function exitedCleanly(run) {
  if (run.report.endReason !== 'exit') throw new Error(`workload ended with ${run.report.endReason}, not exit`);
}

function exitedWithZero(run) {
  exitedCleanly(run);
  if (run.report.guestExitValue !== 0) throw new Error(`workload exited with value 0x${run.report.guestExitValue.toString(16)}, not 0 (a check in the guest failed)`);
}
