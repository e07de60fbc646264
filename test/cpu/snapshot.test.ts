// Save/restore: run N, saveState -> JSON -> loadState into a new Cpu -> run M equals running N+M.
import { test, expect } from 'vitest';
import fc from 'fast-check';
import { flat, PM_PRELUDE, identityPaging, type TestMachine } from './harness.js';

const seed = Number(process.env.SHIKIRI_SEED ?? 777);
const numRuns = Number(process.env.SHIKIRI_RUNS ?? 30);

const PROGRAM = PM_PRELUDE + identityPaging() + `
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
