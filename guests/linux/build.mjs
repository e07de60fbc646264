// Builds Shikiri's Linux guest (i386 Linux 6.1 + our /init shell) into the guest cache.
//
// Inputs (all hashed): Debian's linux-source-6.1 version, shikiri.config, init/*, gcc/ld/make/lz4
// versions and this script. Output folder (scripts/guest-cache.mjs layout):
//   bzImage          the boot image (LZ4, embedded uncompressed initramfs)
//   vmlinux          the kernel ELF with its symbol table (no DWARF); loads at p_paddr 0x100000
//   System.map       symbol addresses, for reading oops traces and emulator fault logs
//   init             our PID 1 (static i386 ELF, no libc), as stored in the initramfs
//   initramfs.cpio   the newc archive embedded in the kernel (/init, /dev/console, /proc, /sys)
//   config           the kernel .config actually used
//   build.log        the kernel make output
// Shared between builds under the cache root: linux-src-<version>/ (the unpacked source, read
// only) and linux-obj-<version>/ (kbuild's O= object folder, reused so that an /init change only
// relinks; guarded by a lock folder because two builds must not share it at once).
// Run standalone: `node scripts/guests.mjs linux` or `node guests/linux/build.mjs`. See docs/linux-guest.md.

import { execFileSync, spawn } from 'node:child_process';
import {
  copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync,
  statSync, utimesSync, writeFileSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cached, cacheRoot, inputHash, toolVersion } from '../../scripts/guest-cache.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const FRAGMENT = join(here, 'shikiri.config');
const INIT_DIR = join(here, 'init');
const SOURCE_TARBALL = '/usr/src/linux-source-6.1.tar.xz';
const SOURCE_PACKAGE = 'linux-source-6.1';
/** Top folder inside the tarball. */
const SOURCE_TOP = 'linux-source-6.1';
/** Never above 2: the build machines have two cores shared with other work. */
const JOBS = 2;
/** Seconds between progress lines during the long kernel make. */
const PROGRESS_EVERY_S = 15;

/** Flags for a freestanding i386 user program without libc (guest-facts.md). */
export const INIT_CFLAGS = [
  '-m32', '-march=i486', '-mgeneral-regs-only', '-static', '-nostdlib', '-ffreestanding',
  '-fno-pie', '-no-pie', '-O2', '-fno-stack-protector', '-fno-asynchronous-unwind-tables',
  '-fcf-protection=none', '-fno-builtin', '-Wall', '-Wextra',
  // No build-id note and no debug info: the binary depends only on the sources and the compiler.
  '-Wl,--build-id=none', '-g0',
  // One page per segment kind instead of page-aligned separate code: a ~12 KiB smaller file.
  '-Wl,-z,noseparate-code',
];

/** Fixed kbuild identity so two builds of the same inputs give the same image and `uname -v`. */
const REPRODUCIBLE_ENV = {
  KBUILD_BUILD_TIMESTAMP: 'Thu Jan  1 00:00:00 UTC 1970',
  KBUILD_BUILD_USER: 'shikiri',
  KBUILD_BUILD_HOST: 'shikiri',
  KBUILD_BUILD_VERSION: '1',
  LC_ALL: 'C',
};

/** Host tools: how to detect each and which Debian package provides it. */
const REQUIREMENTS = [
  { what: 'gcc', ok: () => hasCommand('gcc'), pkg: 'gcc' },
  { what: 'gcc -m32 support', ok: () => hasCommand('gcc') && hasM32(), pkg: 'gcc-multilib' },
  { what: 'make', ok: () => hasCommand('make'), pkg: 'make' },
  { what: 'flex', ok: () => hasCommand('flex'), pkg: 'flex' },
  { what: 'bison', ok: () => hasCommand('bison'), pkg: 'bison' },
  { what: 'bc', ok: () => hasCommand('bc'), pkg: 'bc' },
  { what: 'cpio', ok: () => hasCommand('cpio'), pkg: 'cpio' },
  { what: 'lz4 (KERNEL_LZ4)', ok: () => hasCommand('lz4'), pkg: 'lz4' },
  { what: 'xz (source tarball)', ok: () => hasCommand('xz'), pkg: 'xz-utils' },
  { what: 'libelf headers', ok: () => existsSync('/usr/include/libelf.h') || existsSync('/usr/include/gelf.h'), pkg: 'libelf-dev' },
  { what: SOURCE_TARBALL, ok: () => existsSync(SOURCE_TARBALL), pkg: SOURCE_PACKAGE },
];

function hasCommand(cmd) {
  try {
    execFileSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** True when gcc can build and link a 32-bit freestanding object (the /init case). */
function hasM32() {
  const dir = mkdtempSync(join(cacheRoot(), '.m32-probe-'));
  try {
    writeFileSync(join(dir, 't.c'), 'void _start(void) { for (;;) ; }\n');
    execFileSync('gcc', [...INIT_CFLAGS, '-o', join(dir, 't'), join(dir, 't.c')], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Install missing Debian packages when root, otherwise fail with the exact command to run. */
function ensureTools(log) {
  mkdirSync(cacheRoot(), { recursive: true });
  const missing = REQUIREMENTS.filter((r) => !r.ok());
  if (missing.length === 0) return;
  const pkgs = [...new Set(missing.map((r) => r.pkg))];
  const what = missing.map((r) => r.what).join(', ');
  const cmd = `apt-get install -y ${pkgs.join(' ')}`;
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) {
    throw new Error(`linux guest: missing ${what}. Install them with:\n  sudo ${cmd}`);
  }
  log(`installing missing packages (${what}): ${cmd}`);
  const apt = (args) => execFileSync('apt-get', args, { stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  try {
    apt(['install', '-y', ...pkgs]);
  } catch {
    log('apt-get install failed; running apt-get update and retrying');
    apt(['update']);
    apt(['install', '-y', ...pkgs]);
  }
  const still = REQUIREMENTS.filter((r) => !r.ok());
  if (still.length) throw new Error(`linux guest: still missing after apt-get: ${still.map((r) => r.what).join(', ')}`);
}

/** Version of the installed linux-source-6.1 package, e.g. "6.1.192-2". */
function sourceVersion() {
  try {
    return execFileSync('dpkg-query', ['-W', '-f=${Version}', SOURCE_PACKAGE], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    throw new Error(`linux guest: cannot read the version of ${SOURCE_PACKAGE} (dpkg-query failed); is it installed?`);
  }
}

/** Unpacked source tree for `version`, reused between builds; unpacked atomically when missing. */
function sourceTree(version, log) {
  const root = cacheRoot();
  const dir = join(root, `linux-src-${version}`);
  const marker = join(dir, '.unpacked');
  if (existsSync(marker) && readFileSync(marker, 'utf8').trim() === version) return join(dir, SOURCE_TOP);
  log(`unpacking ${SOURCE_TARBALL} (${version})`);
  const tmp = mkdtempSync(join(root, `.linux-src-${version}-tmp-`));
  try {
    execFileSync('tar', ['xJf', SOURCE_TARBALL, '-C', tmp], { stdio: ['ignore', 'ignore', 'inherit'] });
    writeFileSync(join(tmp, '.unpacked'), `${version}\n`);
    if (existsSync(dir)) rmSync(dir, { recursive: true, force: true });
    try {
      renameSync(tmp, dir);
    } catch (e) {
      if (!existsSync(marker)) throw e; // another build unpacked the same version first
      rmSync(tmp, { recursive: true, force: true });
    }
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    throw e;
  }
  return join(dir, SOURCE_TOP);
}

function pidAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return e.code === 'EPERM';
  }
}

/** Exclusive use of the shared object folder: a lock folder holding the owner's pid. */
async function withObjLock(objDir, log, fn) {
  const lock = `${objDir}.lock`;
  for (let waited = 0; ; waited++) {
    try {
      mkdirSync(lock);
      writeFileSync(join(lock, 'pid'), `${process.pid}\n`);
      break;
    } catch (e) {
      if (e.code !== 'EEXIST') throw e;
      let owner = 0;
      try { owner = Number(readFileSync(join(lock, 'pid'), 'utf8')); } catch { /* being written */ }
      if (owner && !pidAlive(owner)) {
        log(`removing stale lock of pid ${owner}`);
        rmSync(lock, { recursive: true, force: true });
        continue;
      }
      if (waited % 30 === 0) log(`waiting for another Linux build (pid ${owner || '?'}) to release ${lock}`);
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
  try {
    return await fn();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

/** Run a command to completion, output appended to `logFile`; on failure show its tail. */
function run(cmd, args, { cwd, env, logFile, onLine } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let tail = [];
    let partial = '';
    const take = (chunk) => {
      const text = partial + chunk.toString();
      const lines = text.split('\n');
      partial = lines.pop();
      for (const l of lines) {
        tail.push(l);
        if (tail.length > 60) tail = tail.slice(-40);
        if (onLine) onLine(l);
      }
      if (logFile) writeFileSync(logFile, chunk, { flag: 'a' });
    };
    child.stdout.on('data', take);
    child.stderr.on('data', take);
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve();
      else reject(new Error(`${cmd} ${args.join(' ')} failed (exit ${code}):\n${[...tail, partial].slice(-40).join('\n')}`));
    });
  });
}

/** Options requested by a fragment: name -> value ('n' for `# CONFIG_X is not set`). */
export function parseConfig(text) {
  const out = new Map();
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    let m = /^(CONFIG_[A-Za-z0-9_]+)=(.*)$/.exec(line);
    if (m) { out.set(m[1], m[2]); continue; }
    m = /^# (CONFIG_[A-Za-z0-9_]+) is not set$/.exec(line);
    if (m) out.set(m[1], 'n');
  }
  return out;
}

/** Requested options that `olddefconfig` did not keep, as readable lines (empty when all stuck). */
export function configMismatches(requested, actual) {
  const bad = [];
  for (const [name, want] of requested) {
    const have = actual.has(name) ? actual.get(name) : 'n'; // absent = not set (dependency gone)
    if (have !== want) bad.push(`${name}: requested ${want === 'n' ? 'not set' : want}, got ${have === 'n' ? 'not set' : have}`);
  }
  return bad;
}

/** Compile /init from init/*.c with the freestanding flags. */
function buildInit(out) {
  const sources = readdirSync(INIT_DIR).filter((f) => f.endsWith('.c')).sort().map((f) => join(INIT_DIR, f));
  execFileSync('gcc', [...INIT_CFLAGS, '-I', INIT_DIR, '-o', out, ...sources], { stdio: ['ignore', 'inherit', 'inherit'] });
}

/** The initramfs contents, in gen_init_cpio's list format. */
function cpioList(initPath) {
  return [
    'dir /dev 0755 0 0',
    'nod /dev/console 0600 0 0 c 5 1',
    'dir /proc 0755 0 0',
    'dir /sys 0755 0 0',
    `file /init ${initPath} 0755 0 0`,
    '',
  ].join('\n');
}

/** Number of files under `dir` whose name ends with `.o` (progress of a kernel build). */
function countObjects(dir) {
  let n = 0;
  const walk = (d) => {
    let entries;
    try { entries = readdirSync(d, { withFileTypes: true }); } catch { return; }
    for (const e of entries) {
      if (e.isDirectory()) walk(join(d, e.name));
      else if (e.name.endsWith('.o')) n++;
    }
  };
  walk(dir);
  return n;
}

async function buildInto(out, log, version) {
  const src = sourceTree(version, log);
  const obj = join(cacheRoot(), `linux-obj-${version}`);
  mkdirSync(obj, { recursive: true });
  const logFile = join(out, 'build.log');
  const env = { ...REPRODUCIBLE_ENV };
  const make = (...targets) => run('make', [`-j${JOBS}`, '-C', src, `O=${obj}`, 'ARCH=i386', ...targets], { env, logFile });

  await withObjLock(obj, log, async () => {
    log('building /init');
    const init = join(out, 'init');
    buildInit(init);
    utimesSync(init, 0, 0); // mtime is stored in the cpio

    log('building initramfs.cpio with usr/gen_init_cpio');
    const genCpio = join(obj, 'shikiri-gen_init_cpio');
    execFileSync('gcc', ['-O2', '-o', genCpio, join(src, 'usr', 'gen_init_cpio.c')], { stdio: ['ignore', 'inherit', 'inherit'] });
    writeFileSync(join(out, 'initramfs.list'), cpioList(init));
    const cpio = execFileSync(genCpio, ['-t', '0', join(out, 'initramfs.list')], { maxBuffer: 64 << 20 });
    writeFileSync(join(out, 'initramfs.cpio'), cpio);
    // Fixed path inside the object folder, so .config is the same from build to build.
    const embedded = join(obj, 'shikiri-initramfs.cpio');
    writeFileSync(embedded, cpio);

    log('configuring: tinyconfig + shikiri.config, olddefconfig');
    await make('tinyconfig');
    const fragment = join(obj, 'shikiri-fragment.config');
    writeFileSync(fragment, `${readFileSync(FRAGMENT, 'utf8')}\nCONFIG_INITRAMFS_SOURCE="${embedded}"\n`);
    await run(join(src, 'scripts', 'kconfig', 'merge_config.sh'), ['-m', '-O', obj, join(obj, '.config'), fragment], { cwd: src, env, logFile });
    await make('olddefconfig');
    const bad = configMismatches(parseConfig(readFileSync(fragment, 'utf8')), parseConfig(readFileSync(join(obj, '.config'), 'utf8')));
    if (bad.length) {
      throw new Error(`linux guest: ${bad.length} option(s) of shikiri.config did not survive olddefconfig ` +
        `(unmet dependency, typo or renamed option):\n  ${bad.join('\n  ')}`);
    }
    copyFileSync(join(obj, '.config'), join(out, 'config'));

    log(`make -j${JOBS} bzImage (cold: ~490 objects, about 80 s on two idle cores, minutes when they are busy)`);
    const before = countObjects(obj);
    let last = '';
    const timer = setInterval(() => {
      log(`make: ${countObjects(obj) - before} objects built so far${last ? ` (last: ${last})` : ''}`);
    }, PROGRESS_EVERY_S * 1000);
    try {
      await run('make', [`-j${JOBS}`, '-C', src, `O=${obj}`, 'ARCH=i386', 'bzImage'], {
        env, logFile,
        onLine: (l) => { const m = /^\s+(?:CC|AS|LD|AR)\s+(\S+)/.exec(l); if (m) last = m[1]; },
      });
    } finally {
      clearInterval(timer);
    }

    for (const [from, to] of [['arch/x86/boot/bzImage', 'bzImage'], ['vmlinux', 'vmlinux'], ['System.map', 'System.map']]) {
      copyFileSync(join(obj, from), join(out, to));
    }
    const kb = (f) => `${Math.round(statSync(join(out, f)).size / 1024)} KiB`;
    log(`bzImage ${kb('bzImage')}, vmlinux ${kb('vmlinux')}, init ${statSync(init).size} bytes`);
  });
}

/** Build (or reuse from the cache) the Linux guest; returns the cache folder and artefact paths. */
export async function build() {
  const log = (msg) => process.stderr.write(`[guests] linux ${msg}\n`);
  let version;
  try {
    version = sourceVersion();
  } catch {
    ensureTools(log); // linux-source-6.1 itself may be what is missing
    version = sourceVersion();
  }
  const hash = inputHash({
    source: `${SOURCE_PACKAGE} ${version}`,
    fragment: { file: FRAGMENT },
    init: { dir: INIT_DIR },
    gcc: toolVersion('gcc'),
    ld: toolVersion('ld'),
    make: toolVersion('make'),
    lz4: toolVersion('lz4', ['-V']),
    script: { file: fileURLToPath(import.meta.url) },
  });
  const dir = await cached('linux', hash, async (out, clog) => {
    ensureTools(clog);
    await buildInto(out, clog, version);
  });
  const at = (f) => join(dir, f);
  return {
    dir,
    artefacts: {
      bzImage: at('bzImage'), vmlinux: at('vmlinux'), init: at('init'),
      initramfs: at('initramfs.cpio'), systemMap: at('System.map'), config: at('config'),
    },
  };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  build().then(
    (r) => console.log(JSON.stringify(r, null, 2)),
    (e) => { console.error(e.message); process.exit(1); },
  );
}
