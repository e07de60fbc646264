// Builds the RTOS guest: kernel + i386 port + system services, linked with each program (sample, tests) for each board.
//
// Output (cached by a hash of every source and the compiler): <prog>-<board>.elf Multiboot v1 ELF
// images. build() returns { dir, artefacts } with artefacts named `<prog>-<board>` (e.g. `sample-pc-i486`,
// `test-task-pc-i486`, `bench-ctxsw-pc-i486`) and, for the default board pc-i486, also `<prog>` alone.

import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { execFileSync } from 'node:child_process';
import { cached, inputHash, toolVersion } from '../../scripts/guest-cache.mjs';

const run = promisify(execFile);
const here = dirname(fileURLToPath(import.meta.url));

/** Boards with a header in target/boards/. */
export const BOARDS = ['pc-i486', 'vortex86sx', 'elan-sc410'];
export const DEFAULT_BOARD = 'pc-i486';

/** Compiler flags: freestanding i386 without FPU instructions (the boards have none). */
export const CFLAGS = [
  '-m32', '-march=i486', '-std=gnu11', '-ffreestanding', '-fno-pie', '-O2', '-fno-stack-protector',
  '-fno-asynchronous-unwind-tables', '-fcf-protection=none', '-mgeneral-regs-only', '-fno-common',
  '-Wall', '-Wno-unused-function',
];

const KERNEL_DIRS = ['kernel', 'arch/i386', 'library'];
const SYSSVC_SHARED = ['syssvc/syslog.c', 'syssvc/banner.c'];
/** Per-program sources that include kernel_cfg.h. */
const SYSSVC_PER_PROGRAM = ['syssvc/serial.c'];

function listSources(dir, exts) {
  return readdirSync(join(here, dir))
    .filter((f) => exts.some((e) => f.endsWith(e)))
    .sort()
    .map((f) => join(here, dir, f));
}

/**
 * Programs: sample/, every folder under test/ with a .cfg (test/<name>/<name>.cfg, artefact
 * `test-<name>`) and every folder under bench/ with one (measurement programs, `bench-<name>`).
 */
export function programs() {
  const out = [{ name: 'sample', dir: join(here, 'sample'), cfg: join(here, 'sample', 'sample1.cfg') }];
  for (const kind of ['test', 'bench']) {
    const kdir = join(here, kind);
    if (!existsSync(kdir)) continue;
    for (const t of readdirSync(kdir).sort()) {
      const d = join(kdir, t);
      if (statSync(d).isDirectory() && existsSync(join(d, `${t}.cfg`))) out.push({ name: `${kind}-${t}`, dir: d, cfg: join(d, `${t}.cfg`) });
    }
  }
  return out;
}

/** Shared sources of a program kind: test/common for tests, bench/common for measurement programs. */
function commonDir(prog) {
  if (prog.name?.startsWith('test-')) return 'test/common';
  if (prog.name?.startsWith('bench-')) return 'bench/common';
  return null;
}

function libgcc() {
  try {
    return execFileSync('gcc', ['-m32', '-print-libgcc-file-name'], { encoding: 'utf8' }).trim();
  } catch {
    return '';
  }
}

/** Make sure the 32-bit libgcc (gcc-multilib) exists; install it when it is missing. */
async function ensureMultilib(log) {
  let lib = libgcc();
  if (lib && existsSync(lib)) return lib;
  log('32-bit libgcc missing: installing gcc-multilib');
  const sudo = process.getuid && process.getuid() === 0 ? [] : ['sudo'];
  const cmd = [...sudo, 'apt-get', 'install', '-y', 'gcc-multilib'];
  await run(cmd[0], cmd.slice(1), { env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  lib = libgcc();
  if (!lib || !existsSync(lib)) throw new Error('rtos: 32-bit libgcc (gcc-multilib) is not available');
  return lib;
}

/** Run jobs with at most `n` at a time (the machines have 2 cores). */
async function pool(jobs, n = 2) {
  let i = 0;
  const workers = Array.from({ length: n }, async () => {
    while (i < jobs.length) await jobs[i++]();
  });
  await Promise.all(workers);
}

/**
 * Produce kernel_cfg.h/.c for a program into outDir with the configurator (cfg/, made runnable by
 * cfg/node-build.mjs; target_kernel.cfg first, then the program's .cfg). Falls back to the
 * program's hand-written handcfg/ files when the configurator is missing or fails, or when
 * SHIKIRI_RTOS_HANDCFG=1.
 */
async function configure(prog, board, outDir, log) {
  const handDir = join(prog.dir, 'handcfg');
  const entry = join(here, 'cfg', 'node-build.mjs');
  if (existsSync(entry) && process.env.SHIKIRI_RTOS_HANDCFG !== '1') {
    try {
      const { buildConfigurator } = await import(pathToFileURL(entry).href);
      const { cli } = await buildConfigurator();
      mkdirSync(outDir, { recursive: true });
      const incs = includeDirs(prog, board, null).flatMap((d) => ['-I', d]);
      await run(process.execPath, [cli, join(here, 'arch/i386/target_kernel.cfg'), prog.cfg, ...incs,
        '-D', `TOPPERS_BOARD_H="${board}.h"`, '-o', outDir]);
      if (existsSync(join(outDir, 'kernel_cfg.c'))) return outDir;
      throw new Error('configurator wrote no kernel_cfg.c');
    } catch (e) {
      const why = (e.stderr || e.message || String(e)).trim();
      if (!existsSync(handDir)) throw new Error(`rtos: configuring ${prog.name} failed:\n${why}`);
      log(`${prog.name}: configurator failed (${why.split('\n')[0]}); using handcfg/`);
    }
  }
  if (!existsSync(handDir)) throw new Error(`rtos: ${prog.name} has no configurator output and no handcfg/`);
  return handDir;
}

function includeDirs(prog, board, cfgDir) {
  return [
    ...(cfgDir ? [cfgDir] : []),
    prog.dir,
    join(here, 'test', 'common'),
    join(here, 'bench', 'common'),
    join(here, 'include'),
    here,
    join(here, 'arch/i386'),
    join(here, 'target/boards'),
  ];
}

async function compile(src, obj, incs, board) {
  const args = [...CFLAGS, `-DTOPPERS_BOARD_H="${board}.h"`, ...incs.map((d) => `-I${d}`), '-c', src, '-o', obj];
  if (src.endsWith('.S')) args.unshift('-D__ASSEMBLY__');
  try {
    await run('gcc', args);
  } catch (e) {
    throw new Error(`rtos: compiling ${src} failed:\n${e.stderr || e.message}`);
  }
}

/** Build every program for every board into `dir`; returns artefact paths. */
export async function buildInto(dir, log = () => {}, { boards = BOARDS, only } = {}) {
  await ensureMultilib(log); // gcc -m32 needs the 32-bit multilib support files
  const progs = programs().filter((p) => !only || only.includes(p.name));
  const artefacts = {};
  for (const board of boards) {
    const objDir = join(dir, 'obj', board);
    mkdirSync(objDir, { recursive: true });
    const shared = [...KERNEL_DIRS.flatMap((d) => listSources(d, ['.c', '.S'])), ...SYSSVC_SHARED.map((f) => join(here, f))];
    const sharedObjs = shared.map((s) => join(objDir, `${s.slice(here.length + 1).replace(/[/.]/g, '_')}.o`));
    const baseIncs = includeDirs({ dir: join(here, 'sample') }, board, null);
    log(`${board}: kernel (${shared.length} files)`);
    await pool(shared.map((s, i) => () => compile(s, sharedObjs[i], baseIncs, board)));
    for (const prog of progs) {
      const pdir = join(dir, 'obj', board, prog.name);
      mkdirSync(pdir, { recursive: true });
      const cfgDir = await configure(prog, board, join(pdir, 'cfg'), log);
      const incs = includeDirs(prog, board, cfgDir);
      const srcs = [
        ...listSources(prog.dir.slice(here.length + 1), ['.c']),
        ...(commonDir(prog) ? listSources(commonDir(prog), ['.c']) : []),
        join(cfgDir, 'kernel_cfg.c'),
        ...SYSSVC_PER_PROGRAM.map((f) => join(here, f)),
      ];
      const objs = srcs.map((s, i) => join(pdir, `${i}_${basename(s)}.o`));
      await pool(srcs.map((s, i) => () => compile(s, objs[i], incs, board)));
      const elf = join(dir, `${prog.name}-${board}.elf`);
      try {
        // No libgcc: Debian's 32-bit libgcc is i686 code with CET (ENDBR32 #UDs on a 486);
        // library/int64_divide.c provides the 64-bit division helpers instead.
        await run('ld', ['-m', 'elf_i386', '-T', join(here, 'arch/i386/kernel.ld'), '-o', elf, ...sharedObjs, ...objs]);
      } catch (e) {
        throw new Error(`rtos: linking ${prog.name} for ${board} failed:\n${e.stderr || e.message}`);
      }
      artefacts[`${prog.name}-${board}`] = elf;
      if (board === DEFAULT_BOARD) artefacts[prog.name] = elf;
    }
    log(`${board}: ${progs.length} programs linked`);
  }
  writeFileSync(join(dir, 'artefacts.json'), JSON.stringify(Object.fromEntries(Object.entries(artefacts).map(([k, v]) => [k, basename(v)])), null, 2));
  return artefacts;
}

/** The guest build contract (scripts/guests.mjs): cached build of all programs and boards. */
export async function build() {
  const hash = inputHash({
    sources: { dir: here },
    gcc: toolVersion('gcc'),
    ld: toolVersion('ld'),
    gccM32: toolVersion('gcc', ['-m32', '-dumpfullversion']),
  });
  const dir = await cached('rtos', hash, (tmp, log) => buildInto(tmp, log));
  const names = JSON.parse((await import('node:fs')).readFileSync(join(dir, 'artefacts.json'), 'utf8'));
  const artefacts = Object.fromEntries(Object.entries(names).map(([k, f]) => [k, join(dir, f)]));
  return { dir, artefacts };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  // `node guests/rtos/build.mjs [outdir] [program...]`: uncached build for development.
  const out = process.argv[2] || join((await import('node:os')).tmpdir(), 'shikiri-rtos-build');
  mkdirSync(out, { recursive: true });
  const only = process.argv.slice(3);
  buildInto(out, (m) => process.stderr.write(`[rtos] ${m}\n`), { only: only.length ? only : undefined, boards: process.env.RTOS_BOARDS ? process.env.RTOS_BOARDS.split(',') : BOARDS }).then(
    (a) => console.log(JSON.stringify(a, null, 2)),
    (e) => { console.error(e.message); process.exit(1); },
  );
}
