// Save/restore: run N, saveState -> JSON -> loadState into a new Cpu -> run M equals running N+M, on each engine and across them.
import { describe, test, expect } from 'vitest';
import fc from 'fast-check';
import { flat, PM_PRELUDE, identityPaging, ENGINES, engineOptions, type Engine, type TestMachine } from './harness.js';

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

/**
 * Run N instructions on `first`, save the CPU (through JSON) and RAM, restore both into a fresh
 * machine on `second` and run K more: the end state must be that of N + K on `first` alone.
 */
function restoreAndContinue(first: Engine, second: Engine, n: number, k: number): void {
  const a = flat(PROGRAM, engineOptions(first));
  a.cpu.run(n + k);
  const b = flat(PROGRAM, engineOptions(first));
  b.cpu.run(n);
  const snap = JSON.parse(JSON.stringify(b.cpu.saveState()));
  const c = flat(PROGRAM, engineOptions(second));
  c.bus.ram.set(b.bus.ram);
  c.clock.now = b.clock.now;
  c.cpu.loadState(snap);
  c.cpu.run(k);
  expect(state(c)).toEqual(state(a));
  expect(c.clock.now).toBe(a.clock.now);
  expect(c.cpu.instructions).toBe(a.cpu.instructions);
}

const steps = [fc.integer({ min: 0, max: 30000 }), fc.integer({ min: 1, max: 20000 })] as const;

for (const engine of ENGINES) {
  describe(`${engine} engine`, () => {
    test('a restored CPU continues bit-identically', () => {
      fc.assert(fc.property(...steps, (n, k) => restoreAndContinue(engine, engine, n, k)), { seed, numRuns });
    });
  });
}

describe('across engines', () => {
  test('a CPU saved on one engine continues bit-identically on the other', () => {
    fc.assert(fc.property(...steps, fc.boolean(), (n, k, toJit) => {
      restoreAndContinue(toJit ? 'interp' : 'jit', toJit ? 'jit' : 'interp', n, k);
    }), { seed, numRuns });
  });
});
