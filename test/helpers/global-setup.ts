// Builds (or finds in the cache) the guest images the tests run, once per test run.
import type { TestProject } from 'vitest/node';

export default async function setup(project: TestProject): Promise<void> {
  const { buildGuests } = (await import('../../scripts/guests.mjs')) as {
    buildGuests: (names?: string[]) => Promise<Record<string, Record<string, string>>>;
  };
  const guests = await buildGuests();
  project.provide('guests', guests);
}

declare module 'vitest' {
  export interface ProvidedContext {
    /** Built guest artefacts by guest name, then artefact name, as absolute paths. */
    guests: Record<string, Record<string, string>>;
  }
}
