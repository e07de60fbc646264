// Properties: any .cfg text gives a result or located errors (never an exception); the evaluator agrees with gcc.
import fc from 'fast-check';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

import { evaluateTokens } from '../../../guests/rtos/cfg/evaluate.js';
import { lexPreprocessed } from '../../../guests/rtos/cfg/lexer.js';
import { runConfigurator } from '../../../guests/rtos/cfg/main.js';
import { runProbe } from '../../../guests/rtos/cfg/probe.js';
import { APP_HEADER, KERNEL_INCLUDE_DIRS, writeFixture } from './cfg-fixture.js';

const VALID_CFG = `#include "app.h"
CRE_TSK(TASK1, { TA_ACT, 1, task, MID_PRIORITY, STACK_SIZE, NULL });
CRE_SEM(SEM1, { TA_TPRI, 0, 1 });
CRE_CYC(CYC1, { TA_STA, { TNFY_HANDLER, 0, handler }, 1000, 0 });
CRE_ALM(ALM1, { TA_NULL, { TNFY_SETVAR | TENFY_INCVAR, &var, 5, &var } });
CFG_INT(IRQ_COM1, { TA_ENAINT | TA_EDGE, -3 });
CRE_ISR(ISR1, { TA_NULL, 1, IRQ_COM1, isr, 1 });
DEF_ICS({ 4096, NULL });
`;

const CODES = new Set(['E_PAR', 'E_RSATR', 'E_OBJ', 'E_ID', 'E_NOSPT', 'E_NORES', 'E_SYNTAX', 'E_EXPR', 'E_TOOL']);

/** Edits that keep the text close to a configuration, so the later stages are reached too. */
const mutation = fc.oneof(
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), len: fc.integer({ min: 1, max: 12 }) }),
  fc.record({
    kind: fc.constant('insert' as const),
    at: fc.nat(),
    text: fc.oneof(
      fc.constantFrom('{', '}', '(', ')', ',', ';', '"', "'", '#', '\\', '/*', '@', '\n', '0', '-1', 'TA_ACT', 'NULL', 'CRE_SEM', 'INCLUDE("app.cfg");', 'sizeof', '99999999999999999999'),
      fc.string({ maxLength: 6 }),
    ),
  }),
  fc.record({ kind: fc.constant('duplicateLine' as const), at: fc.nat() }),
);

/** One edit of the text. */
interface Edit {
  readonly kind: 'delete' | 'insert' | 'duplicateLine';
  readonly at: number;
  readonly len?: number;
  readonly text?: string;
}

function mutate(text: string, edits: readonly Edit[]): string {
  let s = text;
  for (const e of edits) {
    const at = s.length === 0 ? 0 : e.at % (s.length + 1);
    if (e.kind === 'delete') s = s.slice(0, at) + s.slice(at + (e.len ?? 1));
    else if (e.kind === 'insert') s = s.slice(0, at) + (e.text ?? '') + s.slice(at);
    else {
      const lines = s.split('\n');
      const i = lines.length === 0 ? 0 : e.at % lines.length;
      lines.splice(i, 0, lines[i] ?? '');
      s = lines.join('\n');
    }
  }
  return s;
}

describe('runConfigurator on arbitrary text', () => {
  const dir = writeFixture({ 'app.h': APP_HEADER });

  it('returns generated files or located errors for mutated configurations, never throws', async () => {
    const outcomes = { ok: 0, failed: 0 };
    await fc.assert(
      fc.asyncProperty(fc.array(mutation, { minLength: 1, maxLength: 4 }), async (edits) => {
        const text = mutate(VALID_CFG, edits);
        writeFileSync(join(dir, 'app.cfg'), text);
        const r = await runConfigurator({ cfgFile: join(dir, 'app.cfg'), includeDirs: [...KERNEL_INCLUDE_DIRS, dir] });
        outcomes[r.ok ? 'ok' : 'failed'] += 1;
        if (r.ok) {
          expect(r.errors).toEqual([]);
          expect(r.files!.kernelCfgC).toContain('#include "kernel_cfg.h"');
        } else {
          expect(r.errors.length).toBeGreaterThan(0);
          for (const e of r.errors) {
            expect(e.file.length).toBeGreaterThan(0);
            expect(Number.isInteger(e.line) && e.line >= 1).toBe(true);
            expect(CODES.has(e.code)).toBe(true);
            expect(e.message.length).toBeGreaterThan(0);
          }
        }
      }),
      { numRuns: 60, seed: 20240611 },
    );
    // Both outcomes occur, so both branches above were exercised.
    expect(outcomes.ok).toBeGreaterThan(0);
    expect(outcomes.failed).toBeGreaterThan(0);
  }, 120_000);
});

describe('runConfigurator on random text', () => {
  const dir = writeFixture({});

  it('never throws, whatever the bytes', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.string({ unit: 'grapheme', maxLength: 80 }), fc.string({ unit: 'binary-ascii', maxLength: 80 })), async (text) => {
        writeFileSync(join(dir, 'app.cfg'), text);
        const r = await runConfigurator({ cfgFile: join(dir, 'app.cfg'), includeDirs: KERNEL_INCLUDE_DIRS });
        expect(r.ok || r.errors.every((e) => CODES.has(e.code) && e.line >= 1)).toBe(true);
      }),
      { numRuns: 40, seed: 99 },
    );
  }, 120_000);
});

/** Random integer expressions in the evaluator's domain, as C text with long long literals. */
const expr: fc.Arbitrary<string> = fc.letrec<{ e: string }>((tie) => ({
  e: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.integer({ min: 0, max: 60 }).map((n) => `${n}LL`),
    fc.tuple(fc.constantFrom('+', '-', '*', '/', '%', '&', '|', '^', '<', '>', '<=', '>=', '==', '!=', '&&', '||'), tie('e'), tie('e')).map(([op, a, b]) => `(${a} ${op} ${b})`),
    fc.tuple(fc.constantFrom('<<', '>>'), tie('e'), fc.integer({ min: 0, max: 8 })).map(([op, a, n]) => `(${a} ${op} ${n})`),
    fc.tuple(fc.constantFrom('-', '~', '!'), tie('e')).map(([op, a]) => `${op}(${a})`),
    fc.tuple(tie('e'), tie('e'), tie('e')).map(([c, a, b]) => `(${c} ? ${a} : ${b})`),
  ),
})).e;

describe('evaluateTokens against gcc', () => {
  it('gives the value gcc computes for every expression it evaluates', async () => {
    const samples = fc.sample(expr, { numRuns: 300, seed: 7 });
    const mine = samples.map((text) => evaluateTokens(lexPreprocessed(`# 1 "e.cfg"\n${text}`, () => true).tokens));
    // Division by zero is an error here and a compile error in gcc: compare the rest.
    const comparable = samples.map((text, i) => ({ text, r: mine[i]! })).filter((x) => x.r.kind === 'value');
    expect(comparable.length).toBeGreaterThan(200);
    const probe = await runProbe(
      [],
      comparable.map((x, i) => ({ file: 'e.cfg', line: i + 1, text: x.text })),
      [],
      { includeDirs: [], defines: [], cc: 'gcc', targetFlags: ['-m32'] },
    );
    expect(probe.errors).toEqual([]);
    comparable.forEach((x, i) => {
      expect({ text: x.text, value: x.r.kind === 'value' ? x.r.value : undefined }).toEqual({ text: x.text, value: probe.values.get(i) });
    });
  });
});
