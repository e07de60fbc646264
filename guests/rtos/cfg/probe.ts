// Evaluates .cfg expressions with the C compiler: a probe object file whose data symbols hold the values.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

import { compilerErrors, runCompiler } from './compiler.js';
import { cfgError, type CfgError, type SourceLocation } from './diagnostic.js';
import { Elf32Object, ElfFormatError, littleEndianSigned } from './elf32.js';
import { includeAndDefineArgs, type CompileOptions } from './preprocess.js';

/** An expression to evaluate, with where it was written. */
export interface ProbeExpression extends SourceLocation {
  readonly text: string;
}

/** What the probe learned. */
export interface ProbeResult {
  /** Value per expression index (absent when that expression could not be evaluated). */
  readonly values: Map<number, bigint>;
  /** Values of the requested macros that the headers define. */
  readonly symbols: Map<string, bigint>;
  readonly errors: CfgError[];
}

const VALUE_PREFIX = 'shikiri_cfg_value_';
const SYMBOL_PREFIX = 'shikiri_cfg_symbol_';

/**
 * The probe's C source. Like TOPPERS' cfg1_out.c, it includes the headers the .cfg included and
 * defines one `const long long` object per expression (headers are `#include` operands as spelled); a `#line` before each maps compiler
 * errors back to the .cfg. `skip` lists expressions left out (after a failed first attempt).
 */
export function probeSource(
  headers: readonly string[],
  exprs: readonly ProbeExpression[],
  symbolNames: readonly string[],
  skip: ReadonlySet<number>,
  idMacros: readonly (readonly [string, number])[] = [],
): string {
  const out: string[] = ['/* Shikiri RTOS configurator probe: values read back from this object. */'];
  // The kernel's own header first, when the include path has it: it defines the constants.
  out.push('#if defined(__has_include)', '#if __has_include("kernel.h")', '#include "kernel.h"', '#endif', '#endif');
  for (const h of headers) out.push(`#include ${h}`);
  // Object IDs and TNUM_xxxID as kernel_cfg.h will define them, after the headers so that they
  // cannot change a declaration there.
  for (const [name, value] of idMacros) out.push(`#ifndef ${name}`, `#define ${name} ${value}`, '#endif');
  out.push('#line 1 "<shikiri-probe>"');
  for (const name of symbolNames) {
    out.push(`#ifdef ${name}`);
    out.push(`const long long ${SYMBOL_PREFIX}${name} __attribute__((used)) = (long long)(${name});`);
    out.push('#endif');
  }
  exprs.forEach((e, i) => {
    if (skip.has(i)) return;
    out.push(`#line ${e.line} "${e.file.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`);
    out.push(`const long long ${VALUE_PREFIX}${i} __attribute__((used)) = (long long)(${e.text});`);
  });
  out.push('');
  return out.join('\n');
}

/**
 * Compile the probe with `cc -c` (same include paths, defines and target flags as the kernel
 * build) and read each value from the object's symbol table and data. Expressions the compiler
 * rejects get one E_EXPR error each at their .cfg line; the rest are retried once without them.
 * `headers` are `#include` operands as spelled in the cfg files (`"x.h"` or `<x.h>`);
 * `quoteDirs` are the cfg files' folders, searched for quoted includes as the preprocessor did.
 */
export async function runProbe(
  headers: readonly string[],
  exprs: readonly ProbeExpression[],
  symbolNames: readonly string[],
  opts: CompileOptions,
  quoteDirs: readonly string[] = [],
  idMacros: readonly (readonly [string, number])[] = [],
): Promise<ProbeResult> {
  const values = new Map<number, bigint>();
  const symbols = new Map<string, bigint>();
  const errors: CfgError[] = [];
  const dir = await mkdtemp(join(tmpdir(), 'shikiri-cfg-'));
  try {
    const skip = new Set<number>();
    for (let attempt = 0; attempt < 2; attempt++) {
      const src = join(dir, 'probe.c');
      const obj = join(dir, 'probe.o');
      await writeFile(src, probeSource(headers, exprs, symbolNames, skip, idMacros));
      const run = await runCompiler(opts.cc, [
        ...opts.targetFlags,
        '-c',
        '-x',
        'c',
        '-O0',
        '-fno-common',
        '-ffreestanding',
        '-w',
        ...quoteDirs.flatMap((d) => ['-iquote', resolve(d)]),
        ...includeAndDefineArgs(opts),
        src,
        '-o',
        obj,
      ]);
      if (run.spawnError !== undefined) {
        const at = exprs[0] ?? { file: '<probe>', line: 1 };
        errors.push(cfgError(at, 'E_TOOL', `cannot run the C compiler: ${run.spawnError}`));
        return { values, symbols, errors };
      }
      if (run.exitCode === 0) {
        readProbeObject(new Uint8Array(await readFile(obj)), exprs, values, symbols, errors);
        return { values, symbols, errors };
      }
      const found = compilerErrors(run.stderr, 'E_EXPR', exprs[0] ?? { file: '<probe>', line: 1 }, true);
      let blamed = 0;
      const reported = new Set<string>();
      for (const f of found) {
        const hit = exprs.map((e, i) => ({ e, i })).filter(({ e, i }) => !skip.has(i) && e.file === f.file && e.line === f.line);
        if (hit.length === 0) {
          // An error inside a header or the probe itself: nothing can be evaluated.
          if (attempt === 0) errors.push(cfgError(f, 'E_SYNTAX', `C compiler: ${f.message}`));
          continue;
        }
        for (const { e, i } of hit) {
          skip.add(i);
          blamed += 1;
          const key = `${i}`;
          if (reported.has(key)) continue;
          reported.add(key);
          errors.push(cfgError(e, 'E_EXPR', `cannot evaluate '${e.text}': ${f.message}`));
        }
      }
      if (blamed === 0) return { values, symbols, errors };
    }
    return { values, symbols, errors };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function readProbeObject(
  bytes: Uint8Array,
  exprs: readonly ProbeExpression[],
  values: Map<number, bigint>,
  symbols: Map<string, bigint>,
  errors: CfgError[],
): void {
  let elf: Elf32Object;
  try {
    elf = new Elf32Object(bytes);
  } catch (e) {
    if (!(e instanceof ElfFormatError)) throw e;
    errors.push(cfgError(exprs[0] ?? { file: '<probe>', line: 1 }, 'E_TOOL', `probe object: ${e.message}`));
    return;
  }
  for (const sym of elf.symbols) {
    const isValue = sym.name.startsWith(VALUE_PREFIX);
    if (!isValue && !sym.name.startsWith(SYMBOL_PREFIX)) continue;
    const data = sym.size === 8 ? elf.symbolBytes(sym) : undefined;
    if (isValue) {
      const index = Number(sym.name.slice(VALUE_PREFIX.length));
      const e = exprs[index];
      if (e === undefined) continue;
      if (data === undefined) {
        errors.push(cfgError(e, 'E_EXPR', `'${e.text}' is an address, not an integer constant`));
      } else values.set(index, littleEndianSigned(data));
    } else if (data !== undefined) {
      symbols.set(sym.name.slice(SYMBOL_PREFIX.length), littleEndianSigned(data));
    }
  }
}
