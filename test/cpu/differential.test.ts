// Differential testing against QEMU: random instruction streams end in the registers, flags and memory QEMU recorded.
//
// The corpus (guests/tests/random/corpus/*.json) was recorded on qemu-system-i386 by
// guests/tests/random/make-corpus.mjs; here the same runner program (guests/tests/random) replays
// every vector on Shikiri, so CI needs no QEMU. Flags the Intel SDM leaves undefined after the
// stream's instructions are not compared. A fast-check property also feeds freshly generated
// streams to Shikiri alone: the runner must print one result per vector and exit normally (and
// the jit engine must print what the interpreter prints, in the same instructions and cycles).
// Everything runs once per CPU engine, the jit compiling every start address at first sight.
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, inject, it } from 'vitest';
import { BOARDS } from '../../boards/index.js';
import { loadImages } from '../../src/cli/load-images.js';
import { disassemble } from '../../src/cpu/x86/index.js';
import { ByteBuffer } from '../../src/host/byte-buffer.js';
import { Machine } from '../../src/machine/machine.js';
import type { RunReport } from '../../src/machine/run-report.js';
import { validateBoard } from '../../src/machine/validate-board.js';
import { propertyParams } from '../helpers/property.js';
import { ENGINES, engineOptions, engineWork, type Engine } from './harness.js';
import { fromCorpusVector } from '../../guests/tests/random/corpus-format.mjs';
import { encodeBatch, generate, parseResult, type RandomVector, type RunnerResult } from '../../guests/tests/random/generate.mjs';

const corpusDir = fileURLToPath(new URL('../../guests/tests/random/corpus/', import.meta.url));
const corpora = readdirSync(corpusDir).filter((f) => f.endsWith('.json')).sort();
const REG_NAMES = ['eax', 'ecx', 'edx', 'ebx', 'esp', 'ebp', 'esi', 'edi'];
const hex = (v: number, n = 8) => (v >>> 0).toString(16).padStart(n, '0');

/** Boot the runner with `vectors` as its Multiboot module on pc-i486; parsed result lines, the run report and the machine. */
function runBatch(kernel: string, vectors: RandomVector[], engine: Engine): { results: (RunnerResult | undefined)[]; report: RunReport; text: string; machine: Machine } {
  const v = validateBoard(BOARDS['pc-i486']);
  if (!v.ok) throw new Error('board pc-i486 does not validate');
  const debugcon = new ByteBuffer();
  const machine = Machine.create(v.board, { cycles: 'uniform', debugcon, serial: new ByteBuffer(), serial2: new ByteBuffer(), ...engineOptions(engine) });
  const module = encodeBatch(vectors);
  const read = (f: string) => (f === 'vectors.bin' ? module : new Uint8Array(readFileSync(f)));
  machine.load(loadImages({ kernel, loads: [], modules: ['vectors.bin'] }, v.board, read));
  machine.run({ maxInstructions: 100_000 * vectors.length + 10_000_000, maxTimeNs: 600e9, inputClosed: () => true });
  const text = debugcon.text();
  const results: (RunnerResult | undefined)[] = new Array(vectors.length).fill(undefined);
  for (const line of text.split('\n')) {
    const r = parseResult(line);
    if (r && r.index < vectors.length) results[r.index] = r;
  }
  return { results, report: machine.report(), text, machine };
}

/** What differs between the expected and actual end state, flags masked by the undefined set; empty if equal. */
function differences(vec: RandomVector, exp: Omit<RunnerResult, "index">, act: RunnerResult | undefined): string[] {
  if (!act) return ['no result line'];
  const out: string[] = [];
  if (act.vector !== exp.vector) out.push(`exception vector: expected ${hex(exp.vector, 2)}, actual ${hex(act.vector, 2)} (ff = none)`);
  if (exp.vector !== 0xff && act.eip !== exp.eip) out.push(`exception at code offset: expected ${hex(exp.eip, 4)}, actual ${hex(act.eip, 4)}`);
  exp.regs.forEach((r, i) => { if (act.regs[i] !== r) out.push(`${REG_NAMES[i]}: expected ${hex(r)}, actual ${hex(act.regs[i])}`); });
  const undef = exp.vector === 0xff ? vec.undef : vec.undefAny;
  const keep = ~undef >>> 0;
  if (((act.eflags ^ exp.eflags) & keep) !== 0) out.push(`eflags: expected ${hex(exp.eflags)}, actual ${hex(act.eflags)} (undefined ${hex(undef, 3)}, differing ${hex((act.eflags ^ exp.eflags) & keep, 5)})`);
  if (act.hash !== exp.hash) out.push(`data page hash: expected ${hex(exp.hash)}, actual ${hex(act.hash)}`);
  return out;
}

/** A readable report of one vector: its listing and initial state. */
function describeVector(vec: RandomVector): string {
  let listing: string[];
  try { listing = disassemble(vec.code, 0, 32); } catch { listing = [Buffer.from(vec.code).toString('hex')]; }
  const regs = ['eax', 'ecx', 'edx', 'ebx', 'ebp', 'esi', 'edi', 'eflags'].map((n, i) => `${n}=${hex(vec.init[i])}`).join(' ');
  return `  initial: ${regs} esp=00008800 page-seed=${hex(vec.seed)}\n  code: ${Buffer.from(vec.code).toString('hex')}\n${listing.map((l) => `    ${l}`).join('\n')}`;
}

/** Instructions and cycles of the interpreter's replay of each corpus file: what the jit's must equal. */
const interpreted = new Map<string, [number, number]>();

for (const engine of ENGINES) {
  describe(`differential random testing against QEMU (board pc-i486, ${engine} engine)`, () => {
    it('has a corpus to replay', () => {
      expect(corpora.length).toBeGreaterThan(0);
    });

    for (const file of corpora) {
      it(`every vector of ${file} ends in the state QEMU recorded`, () => {
        const kernel = inject('guests').tests?.random;
        expect(kernel, 'runner artefact tests/random (guests/tests/random)').toBeTruthy();
        const corpus = JSON.parse(readFileSync(corpusDir + file, 'utf8')) as { seed: number; vectors: Parameters<typeof fromCorpusVector>[0][] };
        const cases = corpus.vectors.map(fromCorpusVector);
        const vectors = cases.map((c) => c.vector);
        const { results, report, machine } = runBatch(kernel!, vectors, engine);
        const failures: string[] = [];
        cases.forEach((c, i) => {
          const d = differences(c.vector, c.expected, results[i]);
          if (d.length) failures.push(`vector ${i} of ${file} (seed ${corpus.seed}):\n${d.map((x) => `  ${x}`).join('\n')}\n${describeVector(c.vector)}`);
        });
        const passed = cases.length - failures.length;
        console.log(`${file} (${engine}): ${passed}/${cases.length} vectors match QEMU (${report.instructions} instructions, ${report.mips.toFixed(1)} MIPS)`);
        expect(report.endReason).toBe('exit');
        const counts: [number, number] = [report.instructions, report.cycles];
        if (engine === 'interp') interpreted.set(file, counts);
        else {
          expect(engineWork(machine.cpu)).toBeGreaterThan(0);
          let ref = interpreted.get(file);
          if (ref === undefined) {
            const r = runBatch(kernel!, vectors, 'interp').report;
            ref = [r.instructions, r.cycles];
          }
          expect(counts, 'instructions and cycles of the interpreter').toEqual(ref);
        }
        if (failures.length) expect.fail(`${failures.length}/${cases.length} vectors differ from QEMU; the first ones:\n${failures.slice(0, 5).join('\n')}`);
      });
    }

    it('runs freshly generated streams to their end without host errors (robustness, no QEMU)', () => {
      const kernel = inject('guests').tests?.random;
      expect(kernel).toBeTruthy();
      fc.assert(
        fc.property(fc.integer({ min: 0, max: 0xffffffff }), (seed) => {
          const vectors = generate(seed, 8);
          const { results, report, text } = runBatch(kernel!, vectors, engine);
          expect(report.endReason, text.slice(-400)).toBe('exit');
          expect(report.guestExitValue).toBe(0);
          expect(results.every((r) => r !== undefined)).toBe(true);
          if (engine === 'jit') {
            // The same output in the same instructions and virtual time as the interpreter.
            const ref = runBatch(kernel!, vectors, 'interp');
            expect(text).toBe(ref.text);
            expect([report.instructions, report.cycles]).toEqual([ref.report.instructions, ref.report.cycles]);
          }
        }),
        propertyParams(`random streams run to their end (${engine} engine)`, 10),
      );
    });
  });
}

describe('differential corpus', () => {
  it('generates the same streams from the same seed (the corpus can be regenerated)', () => {
    const a = generate(1001, 5), b = generate(1001, 5);
    expect(b).toEqual(a);
    expect(generate(1002, 5)).not.toEqual(a);
    const recorded = JSON.parse(readFileSync(corpusDir + 'seed-1001.json', 'utf8')) as { vectors: Parameters<typeof fromCorpusVector>[0][] };
    expect(Array.from(fromCorpusVector(recorded.vectors[0]).vector.code)).toEqual(Array.from(a[0].code));
  });
});
