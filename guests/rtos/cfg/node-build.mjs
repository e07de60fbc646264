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
