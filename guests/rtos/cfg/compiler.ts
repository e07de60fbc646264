// Runs the host C compiler (gcc) for the configurator: preprocessing the .cfg and compiling probes.
import { execFile } from 'node:child_process';

import { cfgError, type CfgError } from './diagnostic.js';

/** What one compiler run produced. `spawnError` is set when the program could not be started. */
export interface CompilerRun {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly spawnError?: string;
}

/**
 * Split a compiler command such as `gcc` or `ccache gcc` into program and leading arguments.
 * Whitespace-separated; no shell quoting (paths with spaces belong in -I options, not here).
 */
export function splitCommand(cc: string): { program: string; args: string[] } {
  const parts = cc.trim().split(/\s+/).filter((p) => p.length > 0);
  return { program: parts[0] ?? 'gcc', args: parts.slice(1) };
}

/** A compiler run that takes longer than this (ms) is stopped: a .cfg must never hang the build. */
const COMPILER_TIMEOUT_MS = 120_000;

/** Run `cc args...`, never rejecting: failures come back in the result. */
export function runCompiler(cc: string, args: readonly string[], cwd?: string): Promise<CompilerRun> {
  const { program, args: lead } = splitCommand(cc);
  return new Promise((resolve) => {
    const child = execFile(
      program,
      [...lead, ...args],
      { cwd, maxBuffer: 256 * 1024 * 1024, encoding: 'utf8', timeout: COMPILER_TIMEOUT_MS },
      (err, stdout, stderr) => {
        if (err && typeof (err as NodeJS.ErrnoException).code === 'string') {
          // ENOENT and friends: the compiler itself is missing.
          resolve({ exitCode: -1, stdout: '', stderr: String(stderr ?? ''), spawnError: `${program}: ${err.message}` });
          return;
        }
        if (err && err.killed) {
          resolve({ exitCode: -1, stdout: '', stderr: String(stderr ?? ''), spawnError: `${program} did not finish within ${COMPILER_TIMEOUT_MS / 1000} s` });
          return;
        }
        const exitCode = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
        resolve({ exitCode, stdout: String(stdout ?? ''), stderr: String(stderr ?? '') });
      },
    );
    // Nothing is read from standard input: an `#include "/dev/stdin"` sees end of file, not a hang.
    child.stdin?.end();
  });
}

/**
 * gcc's located diagnostics (`file:line:col: error: text`, also `fatal error:`) as
 * configuration errors with the given code. Warnings and notes are dropped. When nothing
 * located is found but the run failed, one error at `fallback` carries the first stderr line.
 */
export function compilerErrors(
  stderr: string,
  code: CfgError['code'],
  fallback: { file: string; line: number },
  failed: boolean,
): CfgError[] {
  const out: CfgError[] = [];
  for (const raw of stderr.split('\n')) {
    const m = /^(.+?):(\d+):(?:\d+:)? (?:fatal )?error: (.*)$/.exec(raw);
    if (m) out.push(cfgError({ file: m[1]!, line: Number(m[2]) }, code, m[3]!));
  }
  if (out.length === 0 && failed) {
    const first = stderr.split('\n').find((l) => l.trim().length > 0) ?? 'the C compiler failed';
    out.push(cfgError(fallback, code, first.trim()));
  }
  return out;
}
