// The dependency rule between layers holds for the whole tree (scripts/check-layers.mjs).
import { describe, expect, it } from 'vitest';

describe('layers', () => {
  it('src/ imports no kernel/boards/guests (except src/cli) and no Node built-ins outside src/host and src/cli; kernel/ uses src/index.ts only', async () => {
    const { checkLayers } = (await import('../../scripts/check-layers.mjs')) as { checkLayers: () => string[] };
    expect(checkLayers()).toEqual([]);
  });
});
