// Types of node-build.mjs (the plain-Node entry of the configurator) for TypeScript callers.
import type { ConfiguratorResult } from './main.js';

/** Build (or find in the guest cache) the transpiled configurator: its folder and cli.js. */
export function buildConfigurator(): Promise<{ dir: string; cli: string }>;

/** Import the transpiled configurator's main module in-process. */
export function loadConfigurator(): Promise<typeof import('./main.js')>;

/** Configure one program; rejects with the located errors on configuration errors. */
export function configure(options: {
  cfgFiles: string[];
  includeDirs?: string[];
  defines?: Record<string, string | true | undefined> | string[];
  outDir?: string;
  cc?: string;
  target?: string;
}): Promise<ConfiguratorResult>;
