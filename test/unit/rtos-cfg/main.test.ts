// Specification of the entry points: runConfigurator() results and `shikiri rtos-cfg` exit codes and output.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

import { rtosCfgMain, runConfigurator } from '../../../guests/rtos/cfg/main.js';
import { APP_HEADER, KERNEL_INCLUDE_DIRS, RTOS_DIR, writeFixture } from './cfg-fixture.js';

function captureIo() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { stdout: (s: string) => void out.push(s), stderr: (s: string) => void err.push(s) }, out, err };
}

const includeArgs = (dir: string): string[] => [...KERNEL_INCLUDE_DIRS, dir].flatMap((d) => ['-I', d]);

describe('rtosCfgMain (shikiri rtos-cfg)', () => {
  it('writes kernel_cfg.h and kernel_cfg.c to -o and exits 0', async () => {
    const dir = writeFixture({ 'app.h': APP_HEADER, 'app.cfg': '#include "app.h"\nCRE_TSK(T, { TA_ACT, 0, task, 1, STACK_SIZE, NULL });\n' });
    const out = join(dir, 'build');
    const { io, out: stdout, err } = captureIo();
    const code = await rtosCfgMain([join(RTOS_DIR, 'arch/i386/target_kernel.cfg'), join(dir, 'app.cfg'), ...includeArgs(dir), '-o', out], io);
    expect(err.join('')).toBe('');
    expect(code).toBe(0);
    expect(readFileSync(join(out, 'kernel_cfg.h'), 'utf8')).toContain('#define T\t1');
    expect(readFileSync(join(out, 'kernel_cfg.c'), 'utf8')).toContain('(INTHDR)(_kernel_target_hrt_handler)');
    expect(stdout.join('')).toMatch(/1 objects; kernel_cfg\.h and kernel_cfg\.c in /);
  });

  it('leaves unchanged output files untouched on a second run', async () => {
    const dir = writeFixture({ 'app.cfg': 'CRE_SEM(S, { 0, 0, 1 });\n' });
    const out = join(dir, 'o');
    const args = [join(dir, 'app.cfg'), ...KERNEL_INCLUDE_DIRS.map((d) => `-I${d}`), `-o${out}`];
    expect(await rtosCfgMain(args, captureIo().io)).toBe(0);
    const before = statSync(join(out, 'kernel_cfg.c')).mtimeMs;
    const second = captureIo();
    expect(await rtosCfgMain(args, second.io)).toBe(0);
    expect(second.out.join('')).toContain('(unchanged)');
    expect(statSync(join(out, 'kernel_cfg.c')).mtimeMs).toBe(before);
  });

  it('passes -D definitions to the preprocessor', async () => {
    const dir = writeFixture({ 'app.cfg': '#ifdef WITH_SEM\nCRE_SEM(S, { 0, 0, MAXV });\n#endif\n' });
    const out = join(dir, 'o');
    expect(await rtosCfgMain([join(dir, 'app.cfg'), '-D', 'WITH_SEM', '-DMAXV=3', '-o', out], captureIo().io)).toBe(0);
    // Parameters are copied as written: the C build gets the same -D options (CFG_CONTRACT.md §1).
    expect(readFileSync(join(out, 'kernel_cfg.c'), 'utf8')).toContain('{ (0), (0), (MAXV) },');
  });

  it('prints each error as file:line: E_XXX: message and exits 4, writing nothing', async () => {
    const dir = writeFixture({ 'app.cfg': '\nCRE_SEM(S, { 0, 5, 1 });\n' });
    const out = join(dir, 'o');
    const { io, err } = captureIo();
    expect(await rtosCfgMain([join(dir, 'app.cfg'), '-o', out], io)).toBe(4);
    expect(err.join('')).toBe(`${join(dir, 'app.cfg')}:2: E_PAR: CRE_SEM(S): isemcnt 5 is out of range (0..1)\nshikiri rtos-cfg: 1 error\n`);
    expect(existsSync(join(out, 'kernel_cfg.c'))).toBe(false);
  });

  it.each([
    [[], /no \.cfg file given/],
    [['a.cfg', '--bogus'], /unknown option '--bogus'/],
    [['a.cfg', '-I'], /-I needs a directory/],
    [['a.cfg', '-D', '1BAD'], /-D needs NAME or NAME=VALUE/],
    [['a.cfg', '--target', 'm68k'], /unknown target 'm68k'/],
  ])('exits 2 with usage for %j', async (argv, message) => {
    const { io, err } = captureIo();
    expect(await rtosCfgMain(argv, io)).toBe(2);
    expect(err.join('')).toMatch(message);
    expect(err.join('')).toContain('usage: shikiri rtos-cfg');
  });

  it('prints usage on --help and exits 0', async () => {
    const { io, out } = captureIo();
    expect(await rtosCfgMain(['--help'], io)).toBe(0);
    expect(out.join('')).toContain('usage: shikiri rtos-cfg');
  });
});

describe('runConfigurator', () => {
  it('reports a missing .cfg file as a located error, not an exception', async () => {
    const r = await runConfigurator({ cfgFile: '/nonexistent/app.cfg' });
    expect(r.ok).toBe(false);
    expect(r.errors).toEqual([{ file: '/nonexistent/app.cfg', line: 1, code: 'E_SYNTAX', message: 'cannot open the configuration file' }]);
  });

  it('reports a missing compiler as E_TOOL', async () => {
    const dir = writeFixture({ 'app.cfg': 'CRE_SEM(S, { 0, 0, 1 });\n' });
    const r = await runConfigurator({ cfgFile: join(dir, 'app.cfg'), cc: 'no-such-cc-xyz' });
    expect(r.errors[0]).toMatchObject({ code: 'E_TOOL' });
  });

  it('emits #include lines written in cfg files, and headers named by a JSP-style INCLUDE, once each in order of appearance', async () => {
    const dir = writeFixture({
      'app.h': APP_HEADER,
      'more.h': '#define MORE 1\n',
      'app.cfg': 'INCLUDE("part.cfg");\n#include "app.h"\nINCLUDE("more.h");\n#include "app.h"\n',
      'part.cfg': '#include <kernel.h>\nCRE_SEM(S, { TA_NULL, 0, MORE_OR_ONE });\n',
    });
    const r = await runConfigurator({ cfgFile: join(dir, 'app.cfg'), includeDirs: [...KERNEL_INCLUDE_DIRS, dir], defines: ['MORE_OR_ONE=1'] });
    expect(r.errors).toEqual([]);
    const includes = r.files!.kernelCfgC.split('\n').filter((l) => l.startsWith('#include'));
    expect(includes).toEqual(['#include "kernel/kernel_int.h"', '#include "kernel_cfg.h"', '#include <kernel.h>', '#include "app.h"', '#include "more.h"']);
  });
});
