// Peer engine: v86 (npm package `v86`, x86-to-wasm JIT on or off), one new Node process per run
// (v86-guest.mjs), timed by this parent from spawn to that process's exit, as Shikiri is.

import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SEABIOS, VGABIOS } from './v86-firmware.mjs';

const guestScript = join(dirname(fileURLToPath(import.meta.url)), 'v86-guest.mjs');

/** Null when v86 can run here, else why not. */
export function v86Missing() {
  try {
    createRequire(import.meta.url).resolve('v86');
  } catch {
    return 'npm package v86 not installed (run `npm install`; it is a devDependency)';
  }
  for (const f of [SEABIOS, VGABIOS]) if (!existsSync(f)) return `${f} missing (Debian package seabios)`;
  return null;
}

/** The installed v86 version, for the JSON. */
export function v86Version() {
  const require = createRequire(import.meta.url);
  const pkg = join(dirname(require.resolve('v86')), '..', 'package.json');
  return JSON.parse(readFileSync(pkg, 'utf8')).version;
}

/** One run: resolves { wallMs, exitValue? } or rejects with v86-guest's diagnostics. */
export function v86Run(target, jit, timeoutMs) {
  const spec = JSON.stringify({ ...target, jit, timeoutMs });
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const child = spawn(process.execPath, [guestScript, spec], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => { out += d; });
    child.stderr.on('data', (d) => { err += d; });
    child.on('error', reject);
    child.on('close', (code) => {
      const wallMs = Number(process.hrtime.bigint() - t0) / 1e6;
      let report;
      try {
        report = JSON.parse(out.trim().split('\n').pop());
      } catch {
        report = null;
      }
      if (code !== 0 || !report?.ok) reject(new Error(`v86 run failed (exit ${code}): ${err.trim().slice(-400)}`));
      else resolve({ wallMs, exitValue: report.exitValue });
    });
  });
}
