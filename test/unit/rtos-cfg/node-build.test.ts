// Specification of node-build.mjs: the configurator runnable by plain Node (guests/rtos/build.mjs's entry).
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

import { APP_HEADER, KERNEL_INCLUDE_DIRS, RTOS_DIR, writeFixture } from './cfg-fixture.js';

const load = () => import('../../../guests/rtos/cfg/node-build.mjs');

describe('node-build.mjs', () => {
  it('builds a stand-alone cli.js that plain node runs with the shikiri rtos-cfg arguments and exit codes', async () => {
    const { cli } = await (await load()).buildConfigurator();
    const dir = writeFixture({ 'app.h': APP_HEADER, 'app.cfg': '#include "app.h"\nCRE_SEM(S, { TA_NULL, 0, 1 });\n', 'bad.cfg': 'CRE_SEM(S, { 0, 0, 0 });\n' });
    const ok = spawnSync(process.execPath, [cli, join(RTOS_DIR, 'arch/i386/target_kernel.cfg'), join(dir, 'app.cfg'), ...KERNEL_INCLUDE_DIRS.flatMap((d) => ['-I', d]), '-I', dir, '-o', join(dir, 'out')], { encoding: 'utf8' });
    expect(ok.stderr).toBe('');
    expect(ok.status).toBe(0);
    expect(readFileSync(join(dir, 'out/kernel_cfg.h'), 'utf8')).toContain('#define S\t1');
    const bad = spawnSync(process.execPath, [cli, join(dir, 'bad.cfg'), '-o', join(dir, 'bad')], { encoding: 'utf8' });
    expect(bad.status).toBe(4);
    expect(bad.stderr).toContain('bad.cfg:1: E_PAR: CRE_SEM(S): maxsem (maximum count) 0 is out of range');
    expect(spawnSync(process.execPath, [cli], { encoding: 'utf8' }).status).toBe(2);
  });

  it('configure() takes defines as an object and throws with the first located error first', async () => {
    const nb = await load();
    const dir = writeFixture({ 'app.cfg': 'CRE_SEM(S, { 0, 0, MAXV });\nCRE_SEM(T, { 0, 0, 0 });\nCRE_SEM(U, { 0, 0, 0 });\n' });
    await expect(nb.configure({ cfgFiles: [join(dir, 'app.cfg')], defines: { MAXV: '0' }, outDir: join(dir, 'o') })).rejects.toThrow(
      /^.*app\.cfg:1: E_PAR: CRE_SEM\(S\): maxsem \(maximum count\) 0 is out of range \(1\.\.4294967295\) \(and 2 more\)\n.*app\.cfg:2: E_PAR/,
    );
    expect(existsSync(join(dir, 'o/kernel_cfg.c'))).toBe(false);
    const good = writeFixture({ 'app.cfg': 'CRE_SEM(S, { 0, 0, MAXV });\n' });
    const r = await nb.configure({ cfgFiles: [join(good, 'app.cfg')], defines: ['MAXV=1'], outDir: join(good, 'o') });
    expect(r.ok).toBe(true);
    expect(existsSync(join(good, 'o/kernel_cfg.c'))).toBe(true);
  });
});
