// The bare-metal test programs (guests/tests) print on port 0xE9 exactly what QEMU printed (golden files), on both CPU engines.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, inject, it } from 'vitest';
import { runGuest } from '../helpers/run-guest.js';
import { ENGINES, engineOptions, engineWork } from './harness.js';
import type { RunReport } from '../../src/machine/run-report.js';

const goldenDir = fileURLToPath(new URL('../../guests/tests/golden/', import.meta.url));
const goldens = existsSync(goldenDir)
  ? readdirSync(goldenDir).filter((f) => f.endsWith('.txt')).map((f) => f.slice(0, -4)).sort()
  : [];

/** Describe the first line where the two outputs part, with its neighbours, for a readable failure. */
function firstDifference(actual: string, expected: string): string {
  const a = actual.split('\n');
  const e = expected.split('\n');
  for (let i = 0; i < Math.max(a.length, e.length); i++) {
    if (a[i] !== e[i]) {
      const before = e.slice(Math.max(0, i - 3), i).map((l) => `    ${l}`).join('\n');
      return `first difference at line ${i + 1}:\n${before}\n  expected: ${JSON.stringify(e[i] ?? '<end of output>')}\n  actual:   ${JSON.stringify(a[i] ?? '<end of output>')}`;
    }
  }
  return 'outputs are equal';
}

/** The interpreter's run of a guest, once per guest: the reference the jit's counts must equal. */
const interpreted = new Map<string, RunReport>();
function interpreterReport(name: string, kernel: string): RunReport {
  let r = interpreted.get(name);
  if (r === undefined) {
    r = runGuest({ board: 'pc-i486', kernel, cycles: 'uniform', maxInstructions: 200_000_000, maxTimeSeconds: 60 }).report;
    interpreted.set(name, r);
  }
  return r;
}

for (const engine of ENGINES) {
  describe(`bare-metal test programs match their goldens (board pc-i486, uniform cycles, ${engine} engine)`, () => {
    it('has goldens to compare', () => {
      expect(goldens.length).toBeGreaterThan(0);
    });

    for (const name of goldens) {
      it(`${name} prints its golden output and exits with value 0`, () => {
        const kernel = inject('guests').tests?.[name];
        expect(kernel, `guest artefact for ${name} (is it in guests/tests/build.mjs?)`).toBeTruthy();
        const expected = readFileSync(join(goldenDir, `${name}.txt`), 'latin1');
        const { debugcon, report, machine } = runGuest({
          board: 'pc-i486',
          kernel: kernel!,
          cycles: 'uniform',
          maxInstructions: 200_000_000,
          maxTimeSeconds: 60,
          ...engineOptions(engine),
        });
        if (debugcon !== expected) expect.fail(`${name}: ${firstDifference(debugcon, expected)}`);
        expect(report.endReason).toBe('exit');
        expect(report.guestExitValue).toBe(0);
        expect(report.exitCode).toBe(1);
        if (engine === 'interp') interpreted.set(name, report);
        else {
          // The engine ran some of the program its own way (jit: compiled blocks; wasm: the
          // WebAssembly loop) and retires the same instructions in the same virtual time as the
          // interpreter.
          expect(engineWork(machine.cpu)).toBeGreaterThan(0);
          const ref = interpreterReport(name, kernel!);
          expect({ instructions: report.instructions, cycles: report.cycles }).toEqual({ instructions: ref.instructions, cycles: ref.cycles });
        }
      });
    }
  });
}
