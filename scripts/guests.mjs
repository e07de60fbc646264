// `npm run guests [NAME...]`: builds the guest images (test programs, RTOS, Linux) into the cache.
//
// Each guest folder with a build.mjs exports `build()` returning { dir, artefacts } (absolute
// paths). Builds are cached by a hash of their inputs (scripts/guest-cache.mjs).

import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
/** Guests in build order. */
export const GUEST_NAMES = ['tests', 'rtos', 'linux'];

/** Build the named guests (default all that have a build script); returns artefacts by guest. */
export async function buildGuests(names = GUEST_NAMES) {
  const out = {};
  for (const name of names) {
    const script = join(root, 'guests', name, 'build.mjs');
    if (!existsSync(script)) continue;
    const mod = await import(pathToFileURL(script).href);
    const result = await mod.build();
    out[name] = result.artefacts;
  }
  return out;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const names = process.argv.slice(2);
  for (const n of names) {
    if (!GUEST_NAMES.includes(n)) {
      console.error(`guests: unknown guest '${n}' (known: ${GUEST_NAMES.join(', ')})`);
      process.exit(2);
    }
  }
  buildGuests(names.length ? names : GUEST_NAMES).then(
    (all) => console.log(JSON.stringify(all, null, 2)),
    (e) => {
      console.error(`guests: ${e.message}`);
      process.exit(1);
    },
  );
}
