// Specification of the configuration rules: each error with its spec code at the .cfg file:line.
import { describe, expect, it } from 'vitest';

import { configure } from './cfg-fixture.js';

/** Configure `app.cfg` = `#include "app.h"` + the given lines (line 2 onward); return messages. */
async function errorsOf(...lines: string[]): Promise<string[]> {
  const { messages } = await configure({ 'app.cfg': ['#include "app.h"', ...lines, ''].join('\n') });
  return messages;
}

const TIMER = 'CFG_INT(0, { TA_ENAINT | TA_EDGE, -6 });';

describe('a valid configuration', () => {
  it('passes with every static API used once', async () => {
    expect(
      await errorsOf(
        'CRE_TSK(TASK1, { TA_ACT, 1, task, MID_PRIORITY, STACK_SIZE, NULL });',
        'CRE_SEM(SEM1, { TA_TPRI, 0, 1 });',
        'CRE_FLG(FLG1, { TA_WMUL | TA_CLR, 0x01 });',
        'CRE_DTQ(DTQ1, { TA_NULL, 4, NULL });',
        'CRE_PDQ(PDQ1, { TA_TPRI, 4, 8, NULL });',
        'CRE_MTX(MTX1, { TA_CEILING, 3 });',
        'CRE_MPF(MPF1, { TA_NULL, 4, sizeof(BIG_T), NULL, NULL });',
        'CRE_CYC(CYC1, { TA_STA, { TNFY_HANDLER, 0, handler }, 1000, 0 });',
        'CRE_ALM(ALM1, { TA_NULL, { TNFY_WUPTSK, TASK1 } });',
        TIMER,
        'DEF_INH(0, { TA_NULL, inthdr });',
        'CFG_INT(IRQ_COM1, { TA_ENAINT, -2 });',
        'CRE_ISR(ISR1, { TA_NULL, 0, IRQ_COM1, isr, 1 });',
        'DEF_EXC(0, { TA_NULL, exchdr });',
        'DEF_ICS({ 4096, NULL });',
        'ATT_INI({ TA_NULL, 0, inirtn });',
        'ATT_TER({ TA_NULL, 0, inirtn });',
      ),
    ).toEqual([]);
  });
});

describe('static-API grammar', () => {
  it('rejects an unknown static API (E_NOSPT) and names why a foreign one is absent', async () => {
    expect(await errorsOf('CRE_XYZ(A, { 1 });')).toEqual(["app.cfg:2: E_NOSPT: unknown static API 'CRE_XYZ'"]);
    expect((await errorsOf('CRE_MBX(M, { TA_NULL, 1, NULL });'))[0]).toMatch(/^app\.cfg:2: E_NOSPT: CRE_MBX is not supported: mailboxes/);
  });

  it('rejects a wrong number of parameters (E_SYNTAX)', async () => {
    expect((await errorsOf('CRE_SEM(S, { TA_NULL, 0 });'))[0]).toMatch(/^app\.cfg:2: E_SYNTAX: CRE_SEM: too few parameters in \{ \.\.\. \} \(2 given, 3 expected\)/);
    expect((await errorsOf('', 'CRE_SEM(S, { TA_NULL, 0, 1, 2 });'))[0]).toMatch(/^app\.cfg:3: E_SYNTAX: CRE_SEM: too many parameters/);
  });

  it('rejects an object name that is not an identifier and a group where an expression belongs', async () => {
    expect((await errorsOf('CRE_SEM(1 + 2, { TA_NULL, 0, 1 });'))[0]).toMatch(/^app\.cfg:2: E_SYNTAX: CRE_SEM: semid must be an identifier/);
    expect((await errorsOf('CRE_SEM(S, TA_NULL);'))[0]).toMatch(/^app\.cfg:2: E_SYNTAX: CRE_SEM: parameter 2 must be a \{ \.\.\. \} group/);
  });

  it('reports a syntax error at its line', async () => {
    expect(await errorsOf('CRE_SEM(S, { TA_NULL, 0, 1 }', 'CRE_SEM(T, { TA_NULL, 0, 1 });')).toEqual([
      "app.cfg:3: E_SYNTAX: expected ')' but found 'CRE_SEM'",
    ]);
  });

  it('reports a preprocessor error (missing header) at the #include line', async () => {
    const m = await errorsOf('#include "missing.h"');
    expect(m[0]).toMatch(/^app\.cfg:2: E_SYNTAX: missing\.h: No such file or directory/);
  });

  it('reports an expression the compiler cannot evaluate (E_EXPR) at its line', async () => {
    expect((await errorsOf('CRE_SEM(S, { TA_NULL, 0, UNDEFINED_MAX });'))[0]).toMatch(/^app\.cfg:2: E_EXPR: cannot evaluate 'UNDEFINED_MAX': .*UNDEFINED_MAX/);
    expect((await errorsOf('CRE_SEM(S, { TA_NULL, 0, 1 / 0 });'))[0]).toMatch(/^app\.cfg:2: E_EXPR: CRE_SEM: maxsem '1 \/ 0' is not an integer constant: division by zero/);
  });
});

describe('object IDs', () => {
  it('rejects a second object with the same name, whatever its type (E_OBJ)', async () => {
    expect(await errorsOf('CRE_SEM(A, { TA_NULL, 0, 1 });', 'CRE_FLG(A, { TA_NULL, 0 });')).toEqual([
      expect.stringMatching(/^app\.cfg:3: E_OBJ: CRE_FLG\(A\): object name 'A' is already defined at .*app\.cfg:2$/),
    ]);
  });
});

describe('attributes (E_RSATR)', () => {
  it.each([
    ['CRE_TSK(T, { TA_CLR, 0, task, 1, 4096, NULL });', 'CRE_TSK(T): tskatr 0x4 has reserved attributes (allowed: TA_NULL, TA_ACT, TA_NOACTQUE)'],
    ['CRE_SEM(S, { TA_WMUL, 0, 1 });', 'CRE_SEM(S): sematr 0x2 has reserved attributes (allowed: TA_NULL, TA_TPRI)'],
    ['CRE_FLG(F, { 0x08, 0 });', 'CRE_FLG(F): flgatr 0x8 has reserved attributes (allowed: TA_NULL, TA_TPRI, TA_WMUL, TA_CLR)'],
    ['CRE_DTQ(D, { TA_STA, 1, NULL });', 'CRE_DTQ(D): dtqatr 0x2 has reserved attributes (allowed: TA_NULL, TA_TPRI)'],
    ['CRE_MTX(M, { TA_WMUL });', 'CRE_MTX(M): mtxatr 0x2 is not TA_NULL, TA_TPRI or TA_CEILING'],
    ['CRE_CYC(C, { TA_ACT | TA_STA, { TNFY_HANDLER, 0, handler }, 10, 0 });', 'CRE_CYC(C): cycatr 0x3 has reserved attributes (allowed: TA_NULL, TA_STA)'],
    ['CRE_ALM(A, { TA_STA, { TNFY_HANDLER, 0, handler } });', 'CRE_ALM(A): almatr 0x2 has reserved attributes (only TA_NULL is allowed)'],
    ['CFG_INT(0, { 0x04, -6 });', 'CFG_INT: intatr 0x4 has reserved attributes (allowed: TA_NULL, TA_ENAINT, TA_EDGE)'],
    ['ATT_INI({ TA_ACT, 0, inirtn });', 'ATT_INI: iniatr 0x1 has reserved attributes (only TA_NULL is allowed)'],
    ['ATT_TER({ TA_ACT, 0, inirtn });', 'ATT_TER: teratr 0x1 has reserved attributes (only TA_NULL is allowed)'],
    ['DEF_EXC(1, { TA_ACT, exchdr });', 'DEF_EXC: excatr 0x1 has reserved attributes (only TA_NULL is allowed)'],
  ])('%s', async (line, message) => {
    expect(await errorsOf(line)).toEqual([`app.cfg:2: E_RSATR: ${message}`]);
  });

  it('has no TA_NONKERNEL on the i386 PC (every interrupt is kernel-managed)', async () => {
    expect(await errorsOf(TIMER, 'DEF_INH(0, { TA_NONKERNEL, inthdr });')).toEqual([
      'app.cfg:3: E_RSATR: DEF_INH: inhatr 0x2 has reserved attributes (only TA_NULL is allowed)',
    ]);
  });
});

describe('parameters (E_PAR)', () => {
  it.each([
    ['CRE_TSK(T, { TA_NULL, 0, task, 0, 4096, NULL });', 'CRE_TSK(T): itskpri (initial priority) 0 is out of range (1..16)'],
    ['CRE_TSK(T, { TA_NULL, 0, task, 17, 4096, NULL });', 'CRE_TSK(T): itskpri (initial priority) 17 is out of range (1..16)'],
    ['CRE_TSK(T, { TA_NULL, 0, task, 1, 0, NULL });', 'CRE_TSK(T): stksz 0: the stack size must be positive'],
    ['CRE_TSK(T, { TA_NULL, 0, task, 1, 64, NULL });', 'CRE_TSK(T): stksz 64 is too small (at least 128 bytes)'],
    ['CRE_SEM(S, { TA_NULL, 0, 0 });', 'CRE_SEM(S): maxsem (maximum count) 0 is out of range (1..4294967295)'],
    ['CRE_SEM(S, { TA_NULL, 3, 2 });', 'CRE_SEM(S): isemcnt 3 is out of range (0..2)'],
    ['CRE_FLG(F, { TA_NULL, 0x100000000 });', 'CRE_FLG(F): iflgptn 0x100000000 does not fit in FLGPTN (32 bits)'],
    ['CRE_PDQ(P, { TA_NULL, 1, 17, NULL });', 'CRE_PDQ(P): maxdpri (maximum data priority) 17 is out of range (1..16)'],
    ['CRE_MTX(M, { TA_CEILING, 99 });', 'CRE_MTX(M): ceilpri (ceiling priority) 99 is out of range (1..16)'],
    ['CRE_MTX(M, { TA_CEILING });', 'CRE_MTX(M): TA_CEILING needs ceilpri (the ceiling priority)'],
    ['CRE_MPF(M, { TA_NULL, 0, 16, NULL, NULL });', 'CRE_MPF(M): blkcnt (block count) 0 is out of range (1..4294967295)'],
    ['CRE_MPF(M, { TA_NULL, 1, 0, NULL, NULL });', 'CRE_MPF(M): blksz (block size) 0 is out of range (1..4294967295)'],
    ['CRE_CYC(C, { TA_NULL, { TNFY_HANDLER, 0, handler }, 0, 0 });', 'CRE_CYC(C): cyctim (period) 0 is out of range (1..4000000000)'],
    ['CRE_CYC(C, { TA_NULL, { TNFY_HANDLER, 0, handler }, 10, 4000000001 });', 'CRE_CYC(C): cycphs (phase) 4000000001 is out of range (0..4000000000)'],
    ['CRE_ALM(A, { TA_NULL, { 0x09, 0 } });', 'CRE_ALM(A): nfyinfo: nfymode 0x9: no normal notification mode 0x9'],
    ['CRE_ALM(A, { TA_NULL, { TNFY_HANDLER | TENFY_SETVAR, 0, handler, &var } });', 'CRE_ALM(A): nfyinfo: TNFY_HANDLER cannot be combined with an error notification'],
    ['CRE_ALM(A, { TA_NULL, { TNFY_SETFLG, 1 } });', 'CRE_ALM(A): nfyinfo: TNFY_SETFLG takes 2 parameters after nfymode, 1 given'],
    ['CRE_ALM(A, { TA_NULL, { TNFY_ACTTSK | TENFY_SETFLG, 1, 2 } });', 'CRE_ALM(A): nfyinfo: TNFY_ACTTSK|TENFY_SETFLG takes 3 parameters after nfymode, 2 given'],
    ['CFG_INT(16, { TA_NULL, -1 });', 'CFG_INT: interrupt number 16 does not exist on target i386-pc (0..15 except 2)'],
    ['CFG_INT(2, { TA_NULL, -1 });', 'CFG_INT: interrupt number 2 does not exist on target i386-pc (0..15 except 2)'],
    ['CFG_INT(3, { TA_NULL, 0 });', 'CFG_INT: intpri (interrupt priority) 0 is out of range (-15..-1)'],
    ['CFG_INT(3, { TA_NULL, -16 });', 'CFG_INT: intpri (interrupt priority) -16 is out of range (-15..-1)'],
    ['DEF_INH(16, { TA_NULL, inthdr });', 'DEF_INH: interrupt handler number 16 does not exist on target i386-pc (0..15 except 2)'],
    ['DEF_EXC(32, { TA_NULL, exchdr });', 'DEF_EXC: CPU exception handler number 32 does not exist on target i386-pc (0..31)'],
    ['DEF_ICS({ 16, NULL });', 'DEF_ICS: istksz 16 is too small (at least 128 bytes)'],
  ])('%s', async (line, message) => {
    expect(await errorsOf(line)).toEqual([`app.cfg:2: E_PAR: ${message}`]);
  });

  it('checks CRE_ISR numbers and priorities', async () => {
    expect(await errorsOf('CRE_ISR(I, { TA_NULL, 0, 99, isr, 1 });')).toEqual([
      'app.cfg:2: E_PAR: CRE_ISR(I): interrupt number 99 does not exist on target i386-pc (0..15 except 2)',
    ]);
    expect(await errorsOf('CFG_INT(4, { TA_NULL, -1 });', 'CRE_ISR(I, { TA_NULL, 0, 4, isr, 0 });')).toEqual([
      'app.cfg:3: E_PAR: CRE_ISR(I): isrpri (ISR priority) 0 is out of range (1..16)',
    ]);
  });
});

describe('target minimum stack size', () => {
  it('follows TARGET_MIN_STKSZ when the headers define it', async () => {
    const { messages } = await configure({
      'app.cfg': '#include "app.h"\n#include "min.h"\nCRE_TSK(T, { TA_NULL, 0, task, 1, 64, NULL });\nCRE_TSK(U, { TA_NULL, 0, task, 1, 32, NULL });\n',
      'min.h': '#define TARGET_MIN_STKSZ 48\n',
    });
    expect(messages).toEqual(['app.cfg:4: E_PAR: CRE_TSK(U): stksz 32 is too small (at least 48 bytes)']);
  });
});

describe('areas the configurator allocates (E_NOSPT when given)', () => {
  it.each([
    ['CRE_DTQ(D, { TA_NULL, 1, buffer });', 'CRE_DTQ(D): dtqmb must be NULL: the configurator allocates the data queue area'],
    ['CRE_PDQ(P, { TA_NULL, 1, 1, buffer });', 'CRE_PDQ(P): pdqmb must be NULL: the configurator allocates the priority data queue area'],
    ['CRE_MPF(M, { TA_NULL, 1, 16, pool, NULL });', 'CRE_MPF(M): mpf must be NULL: the configurator allocates the pool area'],
    ['CRE_MPF(M, { TA_NULL, 1, 16, NULL, mb });', 'CRE_MPF(M): mpfmb must be NULL: the configurator allocates the management area'],
  ])('%s', async (line, message) => {
    expect(await errorsOf(line)).toEqual([`app.cfg:2: E_NOSPT: ${message}`]);
  });
});

describe('interrupt configuration (E_OBJ)', () => {
  it('rejects a second CFG_INT, DEF_INH, DEF_EXC or DEF_ICS for one number', async () => {
    expect(await errorsOf(TIMER, TIMER)).toEqual([expect.stringMatching(/^app\.cfg:3: E_OBJ: CFG_INT: interrupt number 0 is already configured at .*app\.cfg:2$/)]);
    expect(await errorsOf(TIMER, 'DEF_INH(0, { TA_NULL, inthdr });', 'DEF_INH(0, { TA_NULL, inthdr });')).toEqual([
      expect.stringMatching(/^app\.cfg:4: E_OBJ: DEF_INH: interrupt handler number 0 is already defined at .*app\.cfg:3$/),
    ]);
    expect(await errorsOf('DEF_EXC(14, { TA_NULL, exchdr });', 'DEF_EXC(14, { TA_NULL, exchdr });')).toEqual([
      expect.stringMatching(/^app\.cfg:3: E_OBJ: DEF_EXC: CPU exception handler number 14 is already defined at/),
    ]);
    expect(await errorsOf('DEF_ICS({ 4096, NULL });', 'DEF_ICS({ 4096, NULL });')).toEqual([
      expect.stringMatching(/^app\.cfg:3: E_OBJ: DEF_ICS: the non-task-context stack is already defined at/),
    ]);
  });

  it('needs a CFG_INT for the interrupt of every ISR and interrupt handler, wherever it is written', async () => {
    expect(await errorsOf('CRE_ISR(I, { TA_NULL, 0, 5, isr, 1 });')).toEqual(['app.cfg:2: E_OBJ: CRE_ISR(I): interrupt number 5 has no CFG_INT']);
    expect(await errorsOf('DEF_INH(7, { TA_NULL, inthdr });')).toEqual([
      'app.cfg:2: E_OBJ: DEF_INH: interrupt handler number 7 serves interrupt number 7, which has no CFG_INT',
    ]);
    expect(await errorsOf('CRE_ISR(I, { TA_NULL, 0, 5, isr, 1 });', 'CFG_INT(5, { TA_NULL, -1 });')).toEqual([]);
  });

  it('rejects an ISR on an interrupt that has its own interrupt handler', async () => {
    expect(await errorsOf(TIMER, 'DEF_INH(0, { TA_NULL, inthdr });', 'CRE_ISR(I, { TA_NULL, 0, 0, isr, 1 });')).toEqual([
      expect.stringMatching(/^app\.cfg:4: E_OBJ: CRE_ISR\(I\): interrupt number 0 already has an interrupt handler \(DEF_INH at .*app\.cfg:3\)$/),
    ]);
  });
});

describe('object IDs in integer parameters', () => {
  it('knows IDs and TNUM_xxxID as kernel_cfg.h will define them', async () => {
    expect(
      await errorsOf(
        'CRE_TSK(T1, { TA_NULL, 0, task, 1, 4096, NULL });',
        'CRE_TSK(T2, { TA_NULL, 0, task, 1, 4096, NULL });',
        'CRE_SEM(S, { TA_NULL, T2, TNUM_TSKID });',
        'CRE_SEM(BAD, { TA_NULL, TNUM_TSKID + T2, TNUM_TSKID + sizeof(char) });',
      ),
    ).toEqual(['app.cfg:5: E_PAR: CRE_SEM(BAD): isemcnt 4 is out of range (0..3)']);
  });
});

describe('error order', () => {
  it('lists errors by line whatever stage found them', async () => {
    const m = await errorsOf('CRE_SEM(A, { TA_NULL, 2, 1 });', 'CRE_SEM(B, { TA_NULL, 0 });', 'CRE_SEM(C, { TA_NULL, 0, NO_SUCH });');
    expect(m.map((x) => x.split(':').slice(0, 3).join(':'))).toEqual(['app.cfg:2: E_PAR', 'app.cfg:3: E_SYNTAX', 'app.cfg:4: E_EXPR']);
  });
});

describe('locations across files', () => {
  it('reports errors in INCLUDEd and #included .cfg files at their own file:line', async () => {
    const { messages } = await configure({
      'app.cfg': '#include "app.h"\nINCLUDE("sub/part.cfg");\n#include "other.cfg"\n',
      'sub/part.cfg': '\n\nCRE_SEM(S, { TA_NULL, 0, 0 });\n',
      'other.cfg': 'CRE_TSK(T, { TA_NULL, 0, task, 99, 4096, NULL });\n',
    });
    expect(messages).toEqual([
      'sub/part.cfg:3: E_PAR: CRE_SEM(S): maxsem (maximum count) 0 is out of range (1..4294967295)',
      'other.cfg:1: E_PAR: CRE_TSK(T): itskpri (initial priority) 99 is out of range (1..16)',
    ]);
  });

  it('attributes a macro-expanded static API to the line where the macro is used', async () => {
    const { messages } = await configure({
      'app.cfg': '#include "app.h"\n#define MAKE_SEM(n, m) CRE_SEM(n, { TA_NULL, 0, m })\n\nMAKE_SEM(S1, 1);\nMAKE_SEM(S2, 0);\n',
    });
    expect(messages).toEqual(['app.cfg:5: E_PAR: CRE_SEM(S2): maxsem (maximum count) 0 is out of range (1..4294967295)']);
  });

  it('rejects an INCLUDE that cannot be found or that includes itself', async () => {
    const missing = await configure({ 'app.cfg': 'INCLUDE("nope.cfg");\n' });
    expect(missing.messages[0]).toMatch(/^app\.cfg:1: E_SYNTAX: INCLUDE: cannot find 'nope\.cfg'/);
    const loop = await configure({ 'app.cfg': 'INCLUDE("loop.cfg");\n', 'loop.cfg': '\nINCLUDE("loop.cfg");\n' });
    expect(loop.messages[0]).toMatch(/^loop\.cfg:2: E_SYNTAX: INCLUDE: 'loop\.cfg' includes itself/);
  });
});
