// Specification of kernel_cfg.h / kernel_cfg.c: IDs, tables per CFG_CONTRACT.md, and that gcc -m32 compiles them.
import { execFileSync, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

import { configure, KERNEL_INCLUDE_DIRS, RTOS_DIR, writeFixture } from './cfg-fixture.js';

const STUB_KERNEL = join(__dirname, 'fixtures/stub-kernel');

const FULL_CFG = `#include "app.h"
CRE_TSK(TASK1, { TA_ACT, 1, task, MID_PRIORITY, STACK_SIZE, NULL });
CRE_SEM(SEM1, { TA_TPRI, 0, 1 });
CRE_TSK(TASK2, { TA_NULL, 2, task, MID_PRIORITY + 1, sizeof(BIG_T) * 64, NULL });
CRE_FLG(FLG1, { TA_WMUL, 0x00 });
CRE_DTQ(DTQ1, { TA_NULL, 3, NULL });
CRE_DTQ(DTQ0, { TA_NULL, 0, NULL });
CRE_PDQ(PDQ1, { TA_TPRI, 4, 8, NULL });
CRE_MTX(MTX1, { TA_CEILING, 3 });
CRE_MTX(MTX2, { TA_TPRI });
CRE_MPF(MPF1, { TA_NULL, 4, 32, NULL, NULL });
CRE_CYC(CYC1, { TA_STA, { TNFY_HANDLER, 0, handler }, 2000000, 0 });
CRE_ALM(ALM1, { TA_NULL, { TNFY_SETVAR | TENFY_INCVAR, &var, 5, &var } });
CRE_ALM(ALM2, { TA_NULL, { TNFY_SNDDTQ | TENFY_SETFLG, DTQ1, 0x11, FLG1, 0x2 } });
CFG_INT(IRQ_COM1, { TA_ENAINT | TA_EDGE, -3 });
CRE_ISR(ISR1, { TA_NULL, 1, IRQ_COM1, isr, 1 });
DEF_EXC(14, { TA_NULL, exchdr });
DEF_ICS({ 4096, NULL });
ATT_INI({ TA_NULL, 0, inirtn });
`;

/** Compile kernel_cfg.c with gcc -m32 against `kernelDir`'s kernel/kernel_int.h; returns gcc's result. */
function compileKernelCfg(outDir: string, appDir: string, kernelDir: string) {
  return spawnSync(
    'gcc',
    ['-m32', '-c', '-O2', '-Wall', '-Werror', '-ffreestanding', '-fno-pie', `-I${kernelDir}`, ...KERNEL_INCLUDE_DIRS.map((d) => `-I${d}`), `-I${appDir}`, `-I${outDir}`, join(outDir, 'kernel_cfg.c'), '-o', join(outDir, 'kernel_cfg.o')],
    { encoding: 'utf8' },
  );
}

describe('kernel_cfg.h', () => {
  it('numbers IDs per object type from 1 in order of definition and defines all ten TNUM_xxxID', async () => {
    const { result } = await configure({ 'app.cfg': FULL_CFG });
    expect(result.errors).toEqual([]);
    const h = result.files!.kernelCfgH;
    for (const t of ['TSK 2', 'SEM 1', 'FLG 1', 'DTQ 2', 'PDQ 1', 'MTX 2', 'MPF 1', 'CYC 1', 'ALM 2', 'ISR 1']) {
      const [type, n] = t.split(' ');
      expect(h).toContain(`#define TNUM_${type}ID\t${n}\n`);
    }
    expect(Object.fromEntries(result.ids)).toMatchObject({ TASK1: 1, TASK2: 2, SEM1: 1, DTQ1: 1, DTQ0: 2, MTX2: 2, ALM2: 2, ISR1: 1 });
    expect(h).toMatch(/^#ifndef TOPPERS_KERNEL_CFG_H$/m);
  });

  it('numbers across several .cfg files in processing order', async () => {
    const dir = writeFixture({ 'first.cfg': 'CRE_SEM(A, { 0, 0, 1 });\n', 'second.cfg': 'CRE_SEM(B, { 0, 0, 1 });\n' });
    const { runConfigurator } = await import('../../../guests/rtos/cfg/main.js');
    const r = await runConfigurator({ cfgFiles: [join(dir, 'second.cfg'), join(dir, 'first.cfg')], includeDirs: KERNEL_INCLUDE_DIRS });
    expect(Object.fromEntries(r.ids)).toEqual({ B: 1, A: 2 });
  });
});

describe('kernel_cfg.c', () => {
  it('fills each table as CFG_CONTRACT.md describes', async () => {
    const { result } = await configure({ 'app.cfg': FULL_CFG });
    const c = result.files!.kernelCfgC;
    const lines = c.split('\n');
    expect(lines.slice(1, 3)).toEqual(['#include "kernel/kernel_int.h"', '#include "kernel_cfg.h"']);
    expect(c).toContain('#include "app.h"');
    expect(c).toContain('static STK_T _kernel_stack_TASK1[COUNT_STK_T(STACK_SIZE)];');
    expect(c).toContain('{ (TA_ACT), (EXINF)(1), (TASK)(task), (MID_PRIORITY), ROUND_STK_T(STACK_SIZE), _kernel_stack_TASK1 },');
    expect(c).toContain('static DTQMB _kernel_dtqmb_DTQ1[(3)];');
    expect(c).toContain('{ (TA_NULL), (0), NULL },');
    expect(c).not.toContain('_kernel_dtqmb_DTQ0');
    expect(c).toContain('{ (TA_CEILING), (3) },');
    expect(c).toContain('{ (TA_TPRI), 0 },');
    expect(c).toContain('static MPF_T _kernel_mpf_MPF1[(4) * COUNT_MPF_T(32)];');
    // Notifications: normal words, then error words; unused words 0.
    expect(c).toContain('{ (TA_STA), { (TNFY_HANDLER), (intptr_t)(0), (intptr_t)(handler), 0, 0 }, (2000000), (0) },');
    expect(c).toContain('{ (TNFY_SETVAR | TENFY_INCVAR), (intptr_t)(&var), (intptr_t)(5), (intptr_t)(&var), 0 }');
    expect(c).toContain('{ (TNFY_SNDDTQ | TENFY_SETFLG), (intptr_t)(DTQ1), (intptr_t)(0x11), (intptr_t)(FLG1), (intptr_t)(0x2) }');
    expect(c).toContain('const uint_t _kernel_tnum_cfg_int = 1;');
    expect(c).toContain('{ (TA_NULL), (EXINF)(1), (IRQ_COM1), (ISR)(isr), (1) },');
    expect(c).toContain('const uint_t _kernel_tnum_def_inh = 0;');
    expect(c).toContain('const INHINIB _kernel_inhinib_table[0];');
    expect(c).toContain('const size_t _kernel_istksz = ROUND_STK_T(4096);');
  });

  it('writes parameters as the .cfg spells them, except where the spelling would not compile in kernel_cfg.c', async () => {
    const { result } = await configure({
      'app.cfg': [
        '#include "app.h"',
        '#define LOCAL_MAX 3',
        '#define MAKE_SEM(n) CRE_SEM(n, { TA_TPRI, 0, 1 })',
        'CRE_SEM(S1, { TA_TPRI, /* initial */ 0, LOCAL_MAX });',
        'MAKE_SEM(S2);',
        'CRE_SEM(S3, { TA_NULL, 0, \\',
        '  MID_PRIORITY });',
        '',
      ].join('\n'),
    });
    expect(result.errors).toEqual([]);
    const c = result.files!.kernelCfgC;
    // LOCAL_MAX is defined in the .cfg, which kernel_cfg.c does not include: its value is used.
    expect(c).toContain('{ (TA_TPRI), (0), (3) },');
    // A call made by a macro has no spelling of its own: the expansion is used.
    expect(c).toContain('{ ((0x01U)), (0), (1) },');
    expect(c).toContain('{ (TA_NULL), (0), (MID_PRIORITY) },');
  });

  it('compiles with gcc -m32 -Wall -Werror against the kernel\'s cfg_tables.h', async () => {
    const { dir } = await configure({ 'app.cfg': FULL_CFG });
    const out = writeFixture({});
    const { runConfigurator } = await import('../../../guests/rtos/cfg/main.js');
    // With the kernel's own target_kernel.cfg first, as the RTOS build runs it.
    const r = await runConfigurator({ cfgFiles: [join(RTOS_DIR, 'arch/i386/target_kernel.cfg'), join(dir, 'app.cfg')], includeDirs: [...KERNEL_INCLUDE_DIRS, dir], outDir: out });
    expect(r.errors).toEqual([]);
    expect(r.written.map((w) => w.slice(out.length + 1)).sort()).toEqual(['kernel_cfg.c', 'kernel_cfg.h']);
    const gcc = compileKernelCfg(out, dir, STUB_KERNEL);
    expect(gcc.stderr).toBe('');
    expect(gcc.status).toBe(0);
    const symbols = execFileSync('nm', [join(out, 'kernel_cfg.o')], { encoding: 'utf8' });
    for (const name of ['_kernel_tinib_table', '_kernel_isrinib_table', '_kernel_inirtnb_table', '_kernel_istk', '_kernel_tmax_almid']) {
      expect(symbols).toContain(name);
    }
  });

  it('compiles for an empty configuration (zero-length tables, default interrupt stack)', async () => {
    const { dir, result } = await configure({ 'app.cfg': '#include "app.h"\n' }, {});
    expect(result.ok).toBe(true);
    const out = writeFixture({});
    const { runConfigurator } = await import('../../../guests/rtos/cfg/main.js');
    await runConfigurator({ cfgFiles: [join(dir, 'app.cfg')], includeDirs: [...KERNEL_INCLUDE_DIRS, dir], outDir: out });
    expect(result.files!.kernelCfgC).toContain('static STK_T _kernel_istack[COUNT_STK_T(DEFAULT_ISTKSZ)];');
    const gcc = compileKernelCfg(out, dir, STUB_KERNEL);
    expect(gcc.stderr).toBe('');
    expect(gcc.status).toBe(0);
  });

  it('compiles with the kernel\'s own kernel/kernel_int.h', async () => {
    const { dir } = await configure({ 'app.cfg': FULL_CFG });
    const out = writeFixture({});
    const { runConfigurator } = await import('../../../guests/rtos/cfg/main.js');
    const r = await runConfigurator({ cfgFiles: [join(RTOS_DIR, 'arch/i386/target_kernel.cfg'), join(dir, 'app.cfg')], includeDirs: [...KERNEL_INCLUDE_DIRS, dir], outDir: out });
    expect(r.errors).toEqual([]);
    const gcc = compileKernelCfg(out, dir, RTOS_DIR);
    expect(gcc.stderr).toBe('');
    expect(gcc.status).toBe(0);
  });
});
