// Save/restore: run N, saveState -> JSON -> loadState into a new Cpu -> run M equals running N+M.
import { test, expect } from 'vitest';
import fc from 'fast-check';
import { flat, PM_PRELUDE, type TestMachine } from './harness.js';

const seed = Number(process.env.SHIKIRI_SEED ?? 777);
const numRuns = Number(process.env.SHIKIRI_RUNS ?? 30);

const PROGRAM = PM_PRELUDE + `
  mov edi, 0x21000
  mov eax, 0x007
  mov ecx, 1024
.fill: mov [edi], eax
  add eax, 0x1000
  add edi, 4
  loop .fill
  mov dword [0x20000], 0x21007
  mov eax, 0x20000
  mov cr3, eax
  mov eax, cr0
  or eax, 0x80010000
  mov cr0, eax
  mov esi, 0x12345
  xor ebx, ebx
again:
  imul esi, esi, 1103515245
  add esi, 12345
  mov eax, esi
  shr eax, 20
  and eax, 0xfff
  add [0x50000 + eax*4], esi
  rcl ebx, 3
  adc ebx, esi
  mov ecx, 17
  mov edi, 0x60000
  cld
  rep stosd
  pushfd
  pop edx
  jmp again
`;

function state(m: TestMachine): unknown {
  return { cpu: m.cpu.saveState(), ramHash: Buffer.from(m.bus.ram).toString('base64').length, ram: Array.from(m.bus.ram.subarray(0x50000, 0x54000)) };
}

test('a restored CPU continues bit-identically', () => {
  fc.assert(fc.property(fc.integer({ min: 0, max: 30000 }), fc.integer({ min: 1, max: 20000 }), (n, k) => {
    const a = flat(PROGRAM);
    a.cpu.run(n + k);
    const b = flat(PROGRAM);
    b.cpu.run(n);
    const snap = JSON.parse(JSON.stringify(b.cpu.saveState()));
    const c = flat(PROGRAM);
    c.bus.ram.set(b.bus.ram);
    c.clock.now = b.clock.now;
    c.cpu.loadState(snap);
    c.cpu.run(k);
    expect(state(c)).toEqual(state(a));
    expect(c.clock.now).toBe(a.clock.now);
  }), { seed, numRuns });
});
