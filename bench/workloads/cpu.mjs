// CPU workloads: small hand-assembled 32-bit loops loaded raw at 1 MiB, ending through port 0xF4.
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

export const cpuWorkloads = [
  { name: 'alu-loop', description: '50 M iterations of add/xor/sub/dec/jnz', prepare: raw('alu-loop', aluLoop(50_000_000)), check: exitedCleanly },
  { name: 'mem-copy', description: '200 × (rep movsd 256 KiB + byte loop 64 KiB)', prepare: raw('mem-copy', memCopy()), check: exitedCleanly },
];

function exitedCleanly(run) {
  if (run.report.endReason !== 'exit') throw new Error(`workload ended with ${run.report.endReason}, not exit`);
}
