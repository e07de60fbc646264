// Runs the C preprocessor over a .cfg file, keeping line markers so errors map to file:line.
import { compilerErrors, runCompiler } from './compiler.js';
import type { CfgError } from './diagnostic.js';

/** Options shared by preprocessing and probe compilation. */
export interface CompileOptions {
  /** Include directories, in -I order. */
  readonly includeDirs: readonly string[];
  /** Macro definitions as `NAME` or `NAME=VALUE` (as after -D). */
  readonly defines: readonly string[];
  /** Compiler command (default `gcc`). */
  readonly cc: string;
  /** Flags selecting the target ABI (default `['-m32']`: the i386 RTOS guest). */
  readonly targetFlags: readonly string[];
}

/** The preprocessed text, or located errors. */
export type PreprocessResult =
  | { readonly ok: true; readonly text: string }
  | { readonly ok: false; readonly errors: CfgError[] };

/**
 * Macros defined while preprocessing a .cfg. TOPPERS_MACRO_ONLY is the 3rd-generation kernel's
 * convention: headers hide their C declarations behind `#ifndef TOPPERS_MACRO_ONLY`, so only
 * macros reach the static-API parser. TOPPERS_CFG_PASS lets a header know the configurator reads it
 * (guests/rtos/kernel/CFG_CONTRACT.md section 1).
 */
export const CFG_PREPROCESS_DEFINES = ['TOPPERS_MACRO_ONLY', 'TOPPERS_CFG_PASS'] as const;

/** -I and -D options in the order the compiler wants them. */
export function includeAndDefineArgs(opts: Pick<CompileOptions, 'includeDirs' | 'defines'>): string[] {
  return [...opts.includeDirs.map((d) => `-I${d}`), ...opts.defines.map((d) => `-D${d}`)];
}

/**
 * `cc -E -dI -x c` over `file`, with GNU line markers (`# 12 "app.cfg" 2`) kept: the parser uses
 * them to attribute every token to its original file and line. `-dI` keeps `#include` directives
 * in the output, so those written in cfg files can be re-emitted into kernel_cfg.c.
 * `directivesOnly` runs `-fdirectives-only` instead: conditionals and includes are processed but
 * macros are left as written (for the parameters' source text).
 */
export async function preprocessCfg(file: string, opts: CompileOptions, mode: 'expand' | 'directivesOnly' = 'expand'): Promise<PreprocessResult> {
  const args = [
    ...opts.targetFlags,
    '-E',
    ...(mode === 'expand' ? ['-dI'] : ['-fdirectives-only']),
    '-x',
    'c',
    ...CFG_PREPROCESS_DEFINES.map((d) => `-D${d}`),
    ...includeAndDefineArgs(opts),
    file,
  ];
  const run = await runCompiler(opts.cc, args);
  if (run.spawnError !== undefined) {
    return { ok: false, errors: [{ file, line: 1, code: 'E_TOOL', message: `cannot run the preprocessor: ${run.spawnError}` }] };
  }
  if (run.exitCode !== 0) {
    return { ok: false, errors: compilerErrors(run.stderr, 'E_SYNTAX', { file, line: 1 }, true) };
  }
  return { ok: true, text: run.stdout };
}
