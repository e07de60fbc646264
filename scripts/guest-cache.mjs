// The guest artefact cache: built images stored under a hash of every input, written atomically.
//
// Layout: ${SHIKIRI_CACHE:-~/.cache/shikiri}/<name>-<hash>/ holding the artefacts and a
// `.complete` marker. A build runs in a temporary sibling folder and is renamed into place, so a
// reader never sees half an image and two concurrent builds of the same inputs both end with one
// complete folder.

import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync, readdirSync, statSync, mkdtempSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, relative } from 'node:path';

/** Root folder of the cache. */
export function cacheRoot() {
  return process.env.SHIKIRI_CACHE || join(homedir(), '.cache', 'shikiri');
}

/**
 * mkdir -p that always returns: Node's `mkdirSync(dir, { recursive: true })` never returns for a
 * missing folder under /proc (creating it fails with ENOENT, and Node retries). Throws the
 * error of the folder that cannot be made.
 */
export function makeDirectory(dir, depth = 0) {
  try {
    mkdirSync(dir);
  } catch (e) {
    if (e.code === 'EEXIST') return;
    if (e.code !== 'ENOENT' || depth > 64 || dirname(dir) === dir) throw e;
    makeDirectory(dirname(dir), depth + 1);
    mkdirSync(dir);
  }
}

/** First line of `cmd --version`, part of every hash that depends on a compiler. */
export function toolVersion(cmd, args = ['--version']) {
  try {
    return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).split('\n')[0].trim();
  } catch {
    return `${cmd}: missing`;
  }
}

/** Hash of named inputs: strings, buffers, or files/folders given as { file } / { dir }. */
export function inputHash(parts) {
  const h = createHash('sha256');
  for (const [name, value] of Object.entries(parts)) {
    h.update(`\0${name}\0`);
    if (typeof value === 'string' || Buffer.isBuffer(value)) h.update(value);
    else if (value && value.file) h.update(readFileSync(value.file));
    else if (value && value.dir) for (const f of listFiles(value.dir)) h.update(`${relative(value.dir, f)}\0`).update(readFileSync(f));
    else h.update(JSON.stringify(value));
  }
  return h.digest('hex').slice(0, 16);
}

function listFiles(dir) {
  const out = [];
  for (const e of readdirSync(dir).sort()) {
    const p = join(dir, e);
    if (statSync(p).isDirectory()) out.push(...listFiles(p));
    else out.push(p);
  }
  return out;
}

/** Progress lines with elapsed wall time, so a long cold build shows where it is. */
export function progress(name) {
  const start = Date.now();
  return (msg) => {
    const s = ((Date.now() - start) / 1000).toFixed(1);
    process.stderr.write(`[guests] ${name} +${s}s ${msg}\n`);
  };
}

/**
 * Return the cache folder for `name` with `hash`, building it with `build(dir, log)` when missing.
 * `build` writes its artefacts into `dir` (a fresh temporary folder) and may throw to fail.
 */
export async function cached(name, hash, build) {
  const root = cacheRoot();
  const final = join(root, `${name}-${hash}`);
  if (existsSync(join(final, '.complete'))) return final;
  try {
    makeDirectory(root);
  } catch (e) {
    throw new Error(`cannot create the guest cache folder ${root} (${e.code ?? e.message}); set SHIKIRI_CACHE to a writable folder`);
  }
  const tmp = mkdtempSync(join(root, `.${name}-${hash}-tmp-`));
  const log = progress(name);
  log(`building into the cache (${final})`);
  try {
    await build(tmp, log);
    writeFileSync(join(tmp, '.complete'), `${new Date(0).toISOString()}\n`);
    try {
      renameSync(tmp, final);
    } catch (e) {
      // Another build of the same inputs won the race: keep theirs.
      if (!existsSync(join(final, '.complete'))) throw e;
      rmSync(tmp, { recursive: true, force: true });
    }
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    throw e;
  }
  log('done');
  return final;
}
