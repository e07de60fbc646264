// Builds the bare-metal test programs (one Multiboot ELF per folder) into the guest cache.
//
// Every folder of guests/tests holding .c or .S files (other than lib/) is one program; it is
// linked with the shared runtime in lib/ at 1 MiB (lib/link.ld). Artefact names are folder names.

import { execFile } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { cached, inputHash, toolVersion } from '../../scripts/guest-cache.mjs';

const run = promisify(execFile);
const here = dirname(fileURLToPath(import.meta.url));
const libDir = join(here, 'lib');

/** Compiler flags: freestanding i486 code without x87/SSE, no PIC, no stack protector, no CET. */
const CFLAGS = [
  '-m32', '-march=i486', '-mgeneral-regs-only', '-ffreestanding', '-fno-builtin', '-fno-pie', '-fno-pic',
  '-O1', '-fno-stack-protector', '-fno-asynchronous-unwind-tables', '-fcf-protection=none',
  '-fno-tree-loop-distribute-patterns', '-Wall', '-Wno-unused-function', '-I', libDir,
];

function sourcesOf(dir) {
  return readdirSync(dir).filter((f) => /\.(c|S)$/.test(f)).sort().map((f) => join(dir, f));
}

/** Program folders: every subfolder with sources except the runtime. */
export function programNames() {
  return readdirSync(here)
    .filter((e) => e !== 'lib' && statSync(join(here, e)).isDirectory() && sourcesOf(join(here, e)).length > 0)
    .sort();
}

function hashInputs(names) {
  const parts = {
    build: { file: fileURLToPath(import.meta.url) },
    gcc: toolVersion('gcc'),
    as: toolVersion('as'),
    ld: toolVersion('ld'),
  };
  for (const f of [...sourcesOf(libDir), join(libDir, 'runtime.h'), join(libDir, 'link.ld')]) parts[`lib/${f}`] = { file: f };
  for (const n of names) for (const f of readdirSync(join(here, n)).sort()) {
    const p = join(here, n, f);
    if (statSync(p).isFile()) parts[`${n}/${f}`] = { file: p };
  }
  return inputHash(parts);
}

/** Run a tool; on failure throw its own diagnostics, not a Node stack. */
async function tool(cmd, args) {
  try {
    return await run(cmd, args);
  } catch (e) {
    throw new Error(`${cmd} failed:\n${e.stdout ?? ""}${e.stderr || e.message}`);
  }
}

async function compile(src, out) {
  await tool('gcc', [...CFLAGS, '-c', src, '-o', out]);
}

/** Run `jobs` with at most `width` at a time (the build machines have two cores). */
async function pool(jobs, width = 2) {
  let next = 0;
  const worker = async () => { while (next < jobs.length) await jobs[next++](); };
  await Promise.all(Array.from({ length: width }, worker));
}

/** Build (or find in the cache) every test program; returns { dir, artefacts: { name: elfPath } }. */
export async function build() {
  const names = programNames();
  const dir = await cached('tests', hashInputs(names), async (out, log) => {
    const libObjs = [];
    await pool(sourcesOf(libDir).map((src, i) => async () => {
      const o = join(out, `lib-${i}-${src.split('/').pop()}.o`);
      libObjs[i] = o;
      await compile(src, o);
    }));
    const libgcc = (await run('gcc', ['-m32', '-print-libgcc-file-name'])).stdout.trim();
    await pool(names.map((n) => async () => {
      const objs = [];
      for (const src of sourcesOf(join(here, n))) {
        const o = join(out, `${n}-${src.split('/').pop()}.o`);
        await compile(src, o);
        objs.push(o);
      }
      await tool('ld', ['-m', 'elf_i386', '-T', join(libDir, 'link.ld'), '-nostdlib', '--no-warn-rwx-segments', '-z', 'noexecstack', '-o', join(out, `${n}.elf`), ...libObjs, ...objs, libgcc]);
    }));
    log(`${names.length} programs`);
  });
  const artefacts = {};
  for (const n of names) artefacts[n] = join(dir, `${n}.elf`);
  return { dir, artefacts };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  build().then((r) => console.log(JSON.stringify(r, null, 2)), (e) => { console.error(e.message); process.exit(1); });
}
