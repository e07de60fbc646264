// Fixed-seed fast-check parameters for CI; SHIKIRI_SEED and SHIKIRI_RUNS override for campaigns.
import type { Parameters } from 'fast-check';

const DEFAULT_SEED = 0x5eed;

/**
 * Parameters for a property: a fixed seed (printed on failure with the shrunk case, so the
 * failure replays exactly), `runs` from SHIKIRI_RUNS when set.
 */
export function propertyParams<T>(name: string, runs = 100): Parameters<T> {
  const seed = process.env.SHIKIRI_SEED !== undefined ? Number(process.env.SHIKIRI_SEED) : DEFAULT_SEED;
  const numRuns = process.env.SHIKIRI_RUNS !== undefined ? Number(process.env.SHIKIRI_RUNS) : runs;
  return {
    seed,
    numRuns,
    verbose: 1,
    reporter(details) {
      if (details.failed) {
        throw new Error(
          `property '${name}' failed with seed ${seed} (SHIKIRI_SEED=${seed} SHIKIRI_RUNS=${numRuns}), path ${details.counterexamplePath}\n` +
            `shrunk case: ${JSON.stringify(details.counterexample, (_k, v) => (typeof v === 'bigint' ? v.toString() : v instanceof Uint8Array ? Array.from(v) : v))}\n` +
            `${details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance)}`,
        );
      }
    },
  };
}
