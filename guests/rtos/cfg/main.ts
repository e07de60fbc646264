// The configurator's entry points: runConfigurator() for programs and rtosCfgMain() for `shikiri rtos-cfg`.
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';

import { assignIds, bindCall, paramKinds, type BoundCall } from './api-table.js';
import { checkConfiguration } from './check.js';
import { cfgError, formatCfgError, type CfgError } from './diagnostic.js';
import { evaluateTokens } from './evaluate.js';
import { generateKernelCfg, type GeneratedFiles } from './generate.js';
import { KERNEL_CONSTANT_NAMES, KernelConstants } from './kernel-constants.js';
import { lexPreprocessed, stringLiteralValue, type IncludeRecord } from './lexer.js';
import { attachSourceText, parseStaticApis, type ExprParam, type StaticApiCall } from './parse.js';
import { preprocessCfg, type CompileOptions } from './preprocess.js';
import { runProbe, type ProbeExpression } from './probe.js';
import { CFG_TARGETS, I386_PC_TARGET, TargetRules, type CfgTarget } from './target.js';

/** Options of one configurator run. */
export interface ConfiguratorOptions {
  /** One .cfg file (the brief's name); `cfgFiles` takes several, processed in order. */
  readonly cfgFile?: string;
  readonly cfgFiles?: readonly string[];
  readonly includeDirs?: readonly string[];
  /** `NAME` or `NAME=VALUE`, as after -D. */
  readonly defines?: readonly string[];
  /** Where kernel_cfg.h and kernel_cfg.c are written; nothing is written when absent. */
  readonly outDir?: string;
  /** C compiler command for preprocessing and probes (default `gcc`). */
  readonly cc?: string;
  /** Target name (default `i386-pc`) or description. */
  readonly target?: string | CfgTarget;
  /** Compiler flags selecting the target ABI (default `['-m32']`). */
  readonly targetFlags?: readonly string[];
}

/** The outcome: errors (empty on success), and the files when there were none. */
export interface ConfiguratorResult {
  readonly ok: boolean;
  readonly errors: readonly CfgError[];
  readonly files?: GeneratedFiles;
  /** Object IDs by name, as defined in kernel_cfg.h. */
  readonly ids: ReadonlyMap<string, number>;
  /** Paths written (only those whose contents changed). */
  readonly written: readonly string[];
}

/** Nesting limit for INCLUDE, against runaway recursion in a broken configuration. */
const MAX_INCLUDE_DEPTH = 32;

interface Loaded {
  calls: StaticApiCall[];
  includes: IncludeRecord[];
  files: string[];
}

/** Preprocess, tokenise and parse one .cfg, following INCLUDE("x.cfg") in place. */
async function loadCfg(file: string, opts: CompileOptions, chain: readonly string[], out: Loaded, errors: CfgError[]): Promise<void> {
  out.files.push(file);
  const pre = await preprocessCfg(file, opts);
  if (!pre.ok) {
    errors.push(...pre.errors);
    return;
  }
  const isCfg = (f: string): boolean => f === file || f.endsWith('.cfg');
  const lexed = lexPreprocessed(pre.text, isCfg);
  errors.push(...lexed.errors);
  const parsed = parseStaticApis(lexed.tokens);
  errors.push(...parsed.errors);
  let calls = parsed.calls;
  if (parsed.errors.length === 0 && lexed.errors.length === 0) {
    // Second pass without macro expansion, for the parameters' text as written.
    const raw = await preprocessCfg(file, opts, 'directivesOnly');
    if (raw.ok) {
      const rawLexed = lexPreprocessed(raw.text, isCfg, { directivesOnly: true });
      const rawParsed = parseStaticApis(rawLexed.tokens);
      if (rawLexed.errors.length === 0 && rawParsed.errors.length === 0) {
        calls = attachSourceText(parsed.calls, rawParsed.calls, rawLexed.cfgMacros);
      }
    }
  }
  // #include lines are kept in order of appearance among INCLUDEd files' own.
  const includes = [...lexed.includes];
  const includesBefore = (atToken: number): void => {
    while (includes.length > 0 && (includes[0]!.atToken ?? 0) <= atToken) out.includes.push(includes.shift()!);
  };
  for (const call of calls) {
    includesBefore(call.atToken ?? 0);
    if (call.name !== 'INCLUDE') {
      out.calls.push(call);
      continue;
    }
    const b = bindCall(call);
    if (!b.bound) {
      errors.push(...b.errors);
      continue;
    }
    const name = stringLiteralValue(b.bound.expr.get('file')!.text);
    if (/\.h$/i.test(name)) {
      // JSP-style INCLUDE of a header: re-emitted in kernel_cfg.c like a #include.
      out.includes.push({ file: call.file, line: call.line, spelled: `"${name}"` });
      continue;
    }
    const found = [dirname(call.file), ...opts.includeDirs].map((d) => join(d, name)).find((p) => existsSync(p));
    if (found === undefined) {
      errors.push(cfgError(call, 'E_SYNTAX', `INCLUDE: cannot find '${name}' (searched ${[dirname(call.file), ...opts.includeDirs].join(', ')})`));
      continue;
    }
    if (chain.map((c) => resolve(c)).includes(resolve(found)) || chain.length >= MAX_INCLUDE_DEPTH) {
      errors.push(cfgError(call, 'E_SYNTAX', `INCLUDE: '${name}' includes itself (${[...chain, found].join(' -> ')})`));
      continue;
    }
    await loadCfg(found, opts, [...chain, found], out, errors);
  }
  out.includes.push(...includes);
}

/**
 * Run the configurator: read the .cfg files, evaluate and check every static API, and generate
 * kernel_cfg.h / kernel_cfg.c (written to `outDir` when given). Never throws for bad input:
 * configuration problems come back as located errors.
 */
export async function runConfigurator(options: ConfiguratorOptions): Promise<ConfiguratorResult> {
  const files = [...(options.cfgFiles ?? []), ...(options.cfgFile !== undefined ? [options.cfgFile] : [])];
  const opts: CompileOptions = {
    includeDirs: options.includeDirs ?? [],
    defines: options.defines ?? [],
    cc: options.cc ?? 'gcc',
    targetFlags: options.targetFlags ?? ['-m32'],
  };
  const errors: CfgError[] = [];
  const fail = (): ConfiguratorResult => ({ ok: false, errors: inFileOrder(errors, loadedFiles), ids: new Map(), written: [] });
  let loadedFiles: readonly string[] = [];
  const targetDesc = typeof options.target === 'string' ? CFG_TARGETS[options.target] : (options.target ?? I386_PC_TARGET);
  if (targetDesc === undefined) {
    errors.push(cfgError({ file: '<options>', line: 1 }, 'E_PAR', `unknown target '${String(options.target)}' (known: ${Object.keys(CFG_TARGETS).join(', ')})`));
    return fail();
  }
  if (files.length === 0) {
    errors.push(cfgError({ file: '<options>', line: 1 }, 'E_PAR', 'no .cfg file given'));
    return fail();
  }

  // 1. Read every file in order (INCLUDE splices files in place).
  const loaded: Loaded = { calls: [], includes: [], files: [] };
  loadedFiles = loaded.files;
  for (const f of files) {
    if (!existsSync(f)) {
      errors.push(cfgError({ file: f, line: 1 }, 'E_SYNTAX', 'cannot open the configuration file'));
      continue;
    }
    await loadCfg(f, opts, [f], loaded, errors);
  }

  // 2. Match calls to the static-API table.
  const bound: BoundCall[] = [];
  for (const call of loaded.calls) {
    const b = bindCall(call);
    errors.push(...b.errors);
    if (b.bound) bound.push(b.bound);
  }

  // 3. Evaluate integer parameters: here when possible, else with the probe compiler.
  // Object IDs may appear in integer parameters, as in C code that includes kernel_cfg.h.
  const { ids: idValues, counts } = assignIds(bound);
  const idMacros: [string, number][] = [...[...counts].map(([t, n]): [string, number] => [`TNUM_${t}ID`, n]), ...idValues];
  const idLookup = new Map(idMacros.map(([name, v]) => [name, BigInt(v)]));
  const values = new Map<ExprParam, bigint>();
  const pending: ExprParam[] = [];
  const evaluate = (pe: ExprParam, what: string): void => {
    const r = evaluateTokens(pe.tokens, (name) => idLookup.get(name));
    if (r.kind === 'value') values.set(pe, r.value);
    else if (r.kind === 'unknown') pending.push(pe);
    else errors.push(cfgError(pe, 'E_EXPR', `${what} '${pe.text}' is not an integer constant: ${r.message}`));
  };
  for (const b of bound) {
    const kinds = paramKinds(b.spec);
    for (const [name, pe] of b.expr) {
      const kind = kinds.get(name);
      if (kind === 'number' || kind === 'attribute' || kind === 'integer' || kind === 'unsigned' || kind === 'size') {
        evaluate(pe, `${b.spec.name}: ${name}`);
      }
    }
    if (b.notification) evaluate(b.notification.nfymode, `${b.spec.name}: nfymode`);
  }
  const probeExprs: ProbeExpression[] = pending.map((pe) => ({ file: pe.file, line: pe.line, text: pe.text }));
  const headers = [...new Set(loaded.includes.map((i) => i.spelled))];
  const probe = await runProbe(headers, probeExprs, KERNEL_CONSTANT_NAMES, opts, [...new Set(loaded.files.map((f) => dirname(f)))], idMacros);
  errors.push(...probe.errors);
  pending.forEach((pe, i) => {
    const v = probe.values.get(i);
    if (v !== undefined) values.set(pe, v);
  });

  // 4. Check.
  const k = new KernelConstants(probe.symbols);
  const valueOf = (pe: ExprParam): bigint | undefined => values.get(pe);
  errors.push(...checkConfiguration(bound, { valueOf, k, target: new TargetRules(targetDesc, k) }));
  if (errors.length > 0) return fail();

  // 5. Generate and write.
  const generated = generateKernelCfg({ calls: bound, includes: loaded.includes, sources: loaded.files, valueOf, k });
  const ids = new Map<string, number>();
  for (const line of generated.kernelCfgH.split('\n')) {
    const m = /^#define ([A-Za-z_]\w*)\t(\d+)$/.exec(line);
    if (m && !m[1]!.startsWith('TNUM_')) ids.set(m[1]!, Number(m[2]));
  }
  const written: string[] = [];
  if (options.outDir !== undefined) {
    try {
      await mkdir(options.outDir, { recursive: true });
      for (const [name, text] of [
        ['kernel_cfg.h', generated.kernelCfgH],
        ['kernel_cfg.c', generated.kernelCfgC],
      ] as const) {
        const path = join(options.outDir, name);
        const old = existsSync(path) ? await readFile(path, 'utf8') : undefined;
        // Unchanged files keep their timestamps, so make-style builds do not recompile.
        if (old !== text) {
          await writeFile(path, text);
          written.push(path);
        }
      }
    } catch (e) {
      errors.push(cfgError({ file: options.outDir, line: 1 }, 'E_TOOL', `cannot write the output: ${(e as Error).message}`));
      return { ok: false, errors, files: generated, ids, written };
    }
  }
  return { ok: true, errors, files: generated, ids, written };
}

/**
 * Errors ordered as a reader meets them: by .cfg file in processing order, then by line; errors
 * in other files (headers, files #included by cpp) keep their place after those. Stable.
 */
function inFileOrder(errors: readonly CfgError[], files: readonly string[]): CfgError[] {
  const rank = (e: CfgError): number => {
    const i = files.indexOf(e.file);
    return i < 0 ? files.length : i;
  };
  return errors
    .map((e, i) => ({ e, i }))
    .sort((a, b) => rank(a.e) - rank(b.e) || (rank(a.e) < files.length ? a.e.line - b.e.line : 0) || a.i - b.i)
    .map((x) => x.e);
}

/** Where `rtosCfgMain` prints. */
export interface CfgIo {
  readonly stdout: (s: string) => void;
  readonly stderr: (s: string) => void;
}

const USAGE = `usage: shikiri rtos-cfg FILE.cfg... [-I DIR]... [-D NAME[=VALUE]]... [-o OUTDIR]
                        [--cc COMMAND] [--target NAME]
Reads TOPPERS 3rd-generation static APIs from the .cfg files (processed in order) and writes
kernel_cfg.h and kernel_cfg.c to OUTDIR (default: the current directory).
Exit status: 0 success, 2 usage error, 4 configuration errors (printed as file:line: E_XXX: message).
`;

/**
 * `shikiri rtos-cfg FILE.cfg... [-I dir]... [-D NAME=VAL]... [-o OUTDIR] [--cc CMD] [--target T]`.
 * Returns the exit status: 0 ok, 2 usage, 4 configuration errors.
 */
export async function rtosCfgMain(argv: readonly string[], io: CfgIo): Promise<number> {
  const cfgFiles: string[] = [];
  const includeDirs: string[] = [];
  const defines: string[] = [];
  let outDir = '.';
  let cc: string | undefined;
  let target: string | undefined;
  const usage = (msg: string): number => {
    io.stderr(`shikiri rtos-cfg: ${msg}\n${USAGE}`);
    return 2;
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    /** `--flag=VALUE` or `--flag VALUE`. */
    const value = (flag: string): string | undefined => (a.startsWith(`${flag}=`) ? a.slice(flag.length + 1) : argv[++i]);
    if (a === '-h' || a === '--help') {
      io.stdout(USAGE);
      return 0;
    } else if (a.startsWith('-I')) {
      const v = a.length > 2 ? a.slice(2) : argv[++i];
      if (v === undefined) return usage('-I needs a directory');
      includeDirs.push(v);
    } else if (a.startsWith('-D')) {
      const v = a.length > 2 ? a.slice(2) : argv[++i];
      if (v === undefined || !/^[A-Za-z_]\w*(=.*)?$/s.test(v)) return usage(`-D needs NAME or NAME=VALUE, not '${v ?? ''}'`);
      defines.push(v);
    } else if (a.startsWith('-o')) {
      const v = a.length > 2 ? a.slice(2) : argv[++i];
      if (v === undefined) return usage('-o needs a directory');
      outDir = v;
    } else if (a === '--cc' || a.startsWith('--cc=')) {
      const v = value('--cc');
      if (!v) return usage('--cc needs a command');
      cc = v;
    } else if (a === '--target' || a.startsWith('--target=')) {
      const v = value('--target');
      if (!v || CFG_TARGETS[v] === undefined) return usage(`unknown target '${v ?? ''}' (known: ${Object.keys(CFG_TARGETS).join(', ')})`);
      target = v;
    } else if (a.startsWith('-') && a !== '-') {
      return usage(`unknown option '${a}'`);
    } else cfgFiles.push(a);
  }
  if (cfgFiles.length === 0) return usage('no .cfg file given');
  const result = await runConfigurator({
    cfgFiles,
    includeDirs,
    defines,
    outDir,
    ...(cc !== undefined ? { cc } : {}),
    ...(target !== undefined ? { target } : {}),
  });
  for (const e of result.errors) io.stderr(`${formatCfgError(e)}\n`);
  if (!result.ok) {
    io.stderr(`shikiri rtos-cfg: ${result.errors.length} error${result.errors.length === 1 ? '' : 's'}\n`);
    return 4;
  }
  io.stdout(`shikiri rtos-cfg: ${result.ids.size} objects; kernel_cfg.h and kernel_cfg.c in ${outDir}${result.written.length === 0 ? ' (unchanged)' : ''}\n`);
  return 0;
}
