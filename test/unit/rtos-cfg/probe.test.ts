// Specification of the probe: expression values (sizeof, enums, header macros) read back from a compiled object.
import { describe, expect, it } from 'vitest';

import { runProbe } from '../../../guests/rtos/cfg/probe.js';
import { KERNEL_INCLUDE_DIRS, APP_HEADER, writeFixture } from './cfg-fixture.js';

const opts = (dir: string) => ({ includeDirs: [...KERNEL_INCLUDE_DIRS, dir], defines: [], cc: 'gcc', targetFlags: ['-m32'] });

describe('runProbe', () => {
  it('evaluates sizeof, alignment and enumerators with the target ABI (i386: pointers are 4 bytes)', async () => {
    const dir = writeFixture({ 'app.h': APP_HEADER });
    const exprs = [
      { file: 'app.cfg', line: 1, text: 'sizeof(BIG_T)' },
      { file: 'app.cfg', line: 2, text: 'sizeof(void *)' },
      { file: 'app.cfg', line: 3, text: '_Alignof(long long)' },
      { file: 'app.cfg', line: 4, text: 'IRQ_COM1 + 1' },
      { file: 'app.cfg', line: 5, text: '(uint_t)-1' },
    ];
    const r = await runProbe(['"app.h"'], exprs, [], opts(dir), [dir]);
    expect(r.errors).toEqual([]);
    expect([0, 1, 2, 3, 4].map((i) => r.values.get(i))).toEqual([12n, 4n, 4n, 5n, 0xffffffffn]);
  });

  it('reads the kernel constants the headers define', async () => {
    const dir = writeFixture({});
    const r = await runProbe([], [], ['TA_ACT', 'TMAX_TPRI', 'TMIN_INTPRI', 'NOT_DEFINED_ANYWHERE'], opts(dir));
    expect(r.symbols.get('TA_ACT')).toBe(1n);
    expect(r.symbols.get('TMAX_TPRI')).toBe(16n);
    expect(r.symbols.get('TMIN_INTPRI')).toBe(-15n);
    expect(r.symbols.has('NOT_DEFINED_ANYWHERE')).toBe(false);
  });

  it('blames each expression the compiler rejects at its own .cfg line and still evaluates the others', async () => {
    const dir = writeFixture({ 'app.h': APP_HEADER });
    const exprs = [
      { file: 'app.cfg', line: 3, text: 'NO_SUCH_SYMBOL' },
      { file: 'app.cfg', line: 4, text: 'sizeof(BIG_T) * 2' },
      { file: 'app.cfg', line: 7, text: '&var' },
    ];
    const r = await runProbe(['"app.h"'], exprs, [], opts(dir), [dir]);
    expect(r.values.get(1)).toBe(24n);
    expect(r.values.has(0)).toBe(false);
    expect(r.values.has(2)).toBe(false);
    expect(r.errors.map((e) => `${e.file}:${e.line}: ${e.code}`)).toEqual(['app.cfg:3: E_EXPR', 'app.cfg:7: E_EXPR']);
    expect(r.errors[0]!.message).toMatch(/NO_SUCH_SYMBOL/);
  });

  it('reports a missing compiler as E_TOOL instead of throwing', async () => {
    const r = await runProbe([], [{ file: 'a.cfg', line: 1, text: '1' }], [], { ...opts('/tmp'), cc: 'no-such-compiler-xyz' });
    expect(r.errors[0]).toMatchObject({ code: 'E_TOOL', file: 'a.cfg', line: 1 });
  });
});
