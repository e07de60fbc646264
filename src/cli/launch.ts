/** The `shikiri` executable: loads the CLI bundle through a V8 code cache, so a run starts without parsing and compiling it again. */

import { readdirSync, readFileSync, renameSync, mkdirSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Script } from 'node:vm';

// The CLI itself is `cli.cjs` beside this file (a CommonJS bundle: vm.Script takes code caches
// for scripts, not for ES modules). The cache holds V8's bytecode of the functions a run
// compiled, the emulator's included; with it a run starts about 10 ms sooner and skips the lazy
// compilation of each function at its first call (a Linux boot: about 25 ms in all). It lives with
// the guest images, keyed by the bundle's size and time and by the Node version (V8 rejects a
// cache from another version or source anyway; the key only avoids rewriting it on every run).
// The first run that runs a machine writes it; the first run after that which lasted long enough
// to have compiled most of the emulator (`RICH_AFTER_S`) writes the "full" one, used from then on.
const bundle = join(dirname(fileURLToPath(import.meta.url)), 'cli.cjs');
const source = readFileSync(bundle, 'utf8');
const stat = statSync(bundle);
const cacheDir = process.env.SHIKIRI_CACHE || join(homedir(), '.cache', 'shikiri');
const prefix = 'v8-cli-';
const key = `${prefix}${process.version}-${stat.size}-${Math.round(stat.mtimeMs)}`;
const firstFile = join(cacheDir, `${key}.bin`);
const fullFile = join(cacheDir, `${key}-full.bin`);
/** Process lifetime after which a run has compiled most of the emulator, seconds. */
const RICH_AFTER_S = 0.3;
/** Where the CLI bundle finds this launcher's import() (see guest-images.ts). */
const IMPORT_HOOK = Symbol.for('shikiri.import');
/** Exit codes of runs that never got to run a machine (usage, image error, internal error). */
const NOT_RUN = new Set([2, 4, 70]);

let cacheFile: string | null = null;
let cachedData: Buffer | undefined;
for (const f of [fullFile, firstFile]) {
  try {
    cachedData = readFileSync(f);
    cacheFile = f;
    break;
  } catch {
    // not there
  }
}
const script = new Script(Module.wrap(source), { filename: bundle, cachedData });
const accepted = cachedData !== undefined && script.cachedDataRejected !== true;
if (cacheFile !== fullFile || !accepted) {
  // Written at exit, so that it covers what this run compiled, and only after a command that ran
  // a machine (a cache made by `--help` would hold little of the emulator). A cache that cannot
  // be written (read-only home, full disk) only costs start-up time.
  const command = process.argv[2];
  process.once('exit', (code) => {
    if ((command !== 'run' && command !== 'start') || NOT_RUN.has(code) || process.argv.includes('--help')) return;
    const target = !accepted ? firstFile : process.uptime() >= RICH_AFTER_S ? fullFile : null;
    if (target === null) return;
    try {
      makeDirectory(cacheDir, 0);
      for (const f of readdirSync(cacheDir)) if (f.startsWith(prefix) && join(cacheDir, f) !== target) unlinkSync(join(cacheDir, f));
      const tmp = `${target}.${process.pid}`;
      writeFileSync(tmp, script.createCachedData());
      renameSync(tmp, target);
    } catch {
      // no cache this time
    }
  });
}
// import() inside a vm.Script rejects without an experimental Node option (or, with Node's
// USE_MAIN_CONTEXT_DEFAULT_LOADER, prints an experimental-feature warning), and the CLI imports
// the guest builder (scripts/guests.mjs). This launcher, a real ES module, lends its import().
(globalThis as Record<symbol, unknown>)[IMPORT_HOOK] = (specifier: string) => import(specifier);
const cjs = { exports: {} };
(script.runInThisContext() as (...args: unknown[]) => void)(cjs.exports, createRequire(bundle), cjs, bundle, dirname(bundle));

/**
 * mkdir -p, bounded (Node's recursive mkdirSync never returns for a missing directory under
 * /proc, for one).
 */
function makeDirectory(dir: string, depth: number): void {
  try {
    mkdirSync(dir);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return;
    if (code !== 'ENOENT' || depth > 32 || dirname(dir) === dir) throw e;
    makeDirectory(dirname(dir), depth + 1);
    mkdirSync(dir);
  }
}

