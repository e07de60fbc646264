/** Finds built guest images for the CLI, building them into the cache on first use (with progress). */

import { dirname, join } from 'node:path';
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { EXIT_CODES } from '../machine/run-report.js';
import { CliError } from './cli-error.js';

/** The project root: dist/cli.js lives one level below it. */
function projectRoot(): string {
  return join(dirname(fileURLToPath(import.meta.url)), '..');
}

/**
 * import() of an ES module. Run by the `shikiri` launcher, the CLI is a vm.Script, where import()
 * needs an experimental Node option: the launcher lends its own (src/cli/launch.ts). Run
 * directly (`node dist/cli.cjs`), plain import() works.
 */
function importModule(url: string): Promise<unknown> {
  const hook = (globalThis as Record<symbol, unknown>)[Symbol.for('shikiri.import')] as ((specifier: string) => Promise<unknown>) | undefined;
  return hook ? hook(url) : import(url);
}

/** Path of one artefact of a guest (e.g. `tests`/`demo`, `linux`/`bzImage`), built if missing. */
export async function guestArtefact(guest: string, artefact: string): Promise<string> {
  const script = join(projectRoot(), 'scripts', 'guests.mjs');
  if (!existsSync(script)) throw new CliError(`guest builder not found at ${script} (run from a Shikiri checkout)`, EXIT_CODES.image);
  const mod = (await importModule(pathToFileURL(script).href)) as { buildGuests: (n: string[]) => Promise<Record<string, Record<string, string>>> };
  let all;
  try {
    all = await mod.buildGuests([guest]);
  } catch (e) {
    throw new CliError(`building guest '${guest}' failed: ${(e as Error).message}`, EXIT_CODES.image);
  }
  const path = all[guest]?.[artefact];
  if (!path) throw new CliError(`guest '${guest}' has no artefact '${artefact}'`, EXIT_CODES.image);
  return path;
}
