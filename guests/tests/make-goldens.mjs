// Regenerates guests/tests/golden/<program>.txt by running each test program on QEMU (never run in CI).
//
// Usage: node guests/tests/make-goldens.mjs [PROGRAM...]
// Needs qemu-system-i386 (Debian's qemu-system-x86, 7.2). Each golden is the program's port-0xE9
// output; the program must end through port 0xF4 with value 0 (QEMU exit status 1).
// Programs listed in HAND_WRITTEN have goldens written by hand from the Intel SDM (QEMU differs
// from silicon there; see the .note.md next to them); the demo has no QEMU golden (RTC start
// time differs), test/integration/demo.test.ts checks its structure instead.

import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from './build.mjs';

const here = dirname(fileURLToPath(import.meta.url));
export const HAND_WRITTEN = new Set(['segment-limits']);
// demo: its RTC output depends on the board; random: needs a vector module (guests/tests/random).
const SKIP = new Set(['demo', 'random', ...HAND_WRITTEN]);

/** The reference machine: an FPU-less 486, 32 MiB, instruction-counted clock (1 ns per instruction). */
export function qemuArgs(elf, out) {
  return [
    '-cpu', '486,-fpu,-vme,-pse', '-m', '32', '-kernel', elf, '-display', 'none',
    '-debugcon', `file:${out}`, '-device', 'isa-debug-exit,iobase=0xf4,iosize=1', '-no-reboot',
    '-icount', 'shift=0,sleep=off', '-serial', 'null', '-monitor', 'none', '-nodefaults',
  ];
}

function runQemu(elf, out) {
  return new Promise((resolve) => {
    execFile('qemu-system-i386', qemuArgs(elf, out), { timeout: 60_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? (err.code ?? -1) : 0, killed: err?.killed ?? false, stderr });
    });
  });
}

async function main() {
  const { artefacts } = await build();
  const wanted = process.argv.slice(2);
  const names = Object.keys(artefacts).filter((n) => !SKIP.has(n) && (wanted.length === 0 || wanted.includes(n)));
  const tmp = mkdtempSync(join(tmpdir(), 'shikiri-goldens-'));
  let failed = 0;
  for (const name of names) {
    const out = join(tmp, `${name}.txt`);
    const r = await runQemu(artefacts[name], out);
    let text = '';
    try { text = readFileSync(out, 'latin1'); } catch { /* no output */ }
    if (r.code !== 1) {
      console.error(`${name}: QEMU ended with status ${r.code}${r.killed ? ' (timeout)' : ''}, expected 1 (exit value 0); golden not written\n${r.stderr}`);
      console.error(text.split('\n').slice(-10).join('\n'));
      failed++;
      continue;
    }
    writeFileSync(join(here, 'golden', `${name}.txt`), text, 'latin1');
    console.log(`${name}: ${text.split('\n').length - 1} lines`);
  }
  rmSync(tmp, { recursive: true, force: true });
  if (failed) process.exit(1);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main();
