// Enforces the one-way layers: src/ never imports kernel/ or boards/ (except the composition
// root src/cli), kernel/ imports src/ only through src/index.ts, and nothing in src/ outside
// src/host and src/cli imports Node built-ins (the library must run in a browser).

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const IMPORT = /(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;

function* files(dir) {
  for (const e of readdirSync(dir)) {
    const p = join(dir, e);
    if (statSync(p).isDirectory()) yield* files(p);
    else if (p.endsWith('.ts')) yield p;
  }
}

/** Every layer violation in the tree, as `file:line: message`. */
export function checkLayers() {
  const problems = [];
  for (const top of ['src', 'kernel']) {
    let list;
    try {
      list = [...files(join(root, top))];
    } catch {
      continue;
    }
    for (const file of list) {
      const rel = relative(root, file);
      const text = readFileSync(file, 'utf8');
      const inCli = rel.startsWith('src/cli/');
      const inHost = rel.startsWith('src/host/');
      for (const m of text.matchAll(IMPORT)) {
        const spec = m[1] ?? m[2];
        const line = text.slice(0, m.index).split('\n').length;
        const where = `${rel}:${line}`;
        if (spec.startsWith('node:') || ['fs', 'path', 'os', 'child_process', 'process', 'url'].includes(spec)) {
          if (top === 'src' && !inCli && !inHost) problems.push(`${where}: imports Node built-in '${spec}' outside src/host and src/cli`);
          continue;
        }
        if (!spec.startsWith('.')) continue;
        const target = relative(root, resolve(dirname(file), spec));
        if (top === 'src' && !inCli && (target.startsWith('kernel') || target.startsWith('boards') || target.startsWith('guests'))) {
          problems.push(`${where}: src/ must not import '${target}' (only src/cli, the composition root, may)`);
        }
        if (top === 'kernel' && target.startsWith('src') && target.replace(/\.js$/, '') !== 'src/index') {
          problems.push(`${where}: kernel/ may use the machine only through src/index.ts, not '${target}'`);
        }
      }
    }
  }
  return problems;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const problems = checkLayers();
  for (const p of problems) console.error(p);
  if (problems.length) process.exit(1);
  console.log('layers: ok');
}
