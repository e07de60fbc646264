// Makes the TypeScript configurator runnable by plain Node 20: transpiles guests/rtos/cfg/*.ts into the guest cache.
//
// guests/rtos/build.mjs runs without a TS loader and possibly before `npm run build` made
// dist/cli.js. This transpiles each module on its own (TypeScript's transpileModule: no type
// check, no bundling; the sources import only each other and node: built-ins, with .js paths) into
// ${SHIKIRI_CACHE}/rtos-cfg-<hash>/, keyed by the sources and the TypeScript version.

import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

import { cached, inputHash } from '../../../scripts/guest-cache.mjs';

const here = dirname(fileURLToPath(import.meta.url));

/**
 * Build (or find in the cache) the runnable configurator. Returns `{ dir, cli }`: `cli` is a
 * script for `node cli FILE.cfg... -I DIR... -D NAME=VAL... -o OUTDIR` (exit 0 ok, 2 usage,
 * 4 configuration errors); `dir/main.js` exports `runConfigurator` and `rtosCfgMain`.
 */
export async function buildConfigurator() {
  const ts = (await import('typescript')).default;
  const sources = readdirSync(here).filter((f) => f.endsWith('.ts')).sort();
  const hash = inputHash({ sources: { dir: here }, typescript: ts.version });
  const dir = await cached('rtos-cfg', hash, async (out) => {
    for (const f of sources) {
      const js = ts.transpileModule(readFileSync(join(here, f), 'utf8'), {
        fileName: f,
        compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, sourceMap: false },
      }).outputText;
      writeFileSync(join(out, f.replace(/\.ts$/, '.js')), js);
    }
    writeFileSync(join(out, 'package.json'), '{ "type": "module" }\n');
  });
  return { dir, cli: join(dir, 'cli.js') };
}

/** Import the built configurator in-process: `{ runConfigurator, rtosCfgMain }`. */
export async function loadConfigurator() {
  const { dir } = await buildConfigurator();
  return import(pathToFileURL(join(dir, 'main.js')).href);
}

/**
 * Configure one program (the call guests/rtos/build.mjs makes): `defines` is an object
 * `{ NAME: value }` (value `true`/undefined for a bare `-DNAME`) or an array of `NAME=VALUE`.
 * Resolves to the run's result; throws an Error on configuration errors, whose first message
 * line is the first `file:line: E_XXX: message` and whose further lines are the others.
 */
export async function configure({ cfgFiles, includeDirs = [], defines = {}, outDir, cc, target }) {
  const { dir } = await buildConfigurator();
  const { runConfigurator } = await import(pathToFileURL(join(dir, 'main.js')).href);
  const { formatCfgError } = await import(pathToFileURL(join(dir, 'diagnostic.js')).href);
  const defs = Array.isArray(defines)
    ? defines
    : Object.entries(defines).map(([name, value]) => (value === undefined || value === true ? name : `${name}=${value}`));
  const result = await runConfigurator({ cfgFiles, includeDirs, defines: defs, outDir, ...(cc ? { cc } : {}), ...(target ? { target } : {}) });
  if (!result.ok) {
    const lines = result.errors.map(formatCfgError);
    const more = lines.length > 1 ? ` (and ${lines.length - 1} more)` : '';
    throw new Error(`${lines[0]}${more}\n${lines.slice(1).join('\n')}`);
  }
  return result;
}
