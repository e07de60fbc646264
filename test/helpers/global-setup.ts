// Builds (or finds in the cache) the guest images the tests run, once per test run.
import type { TestProject } from 'vitest/node';

export default async function setup(project: TestProject): Promise<void> {
  const { buildGuests } = (await import('../../scripts/guests.mjs')) as {
    buildGuests: (names?: string[]) => Promise<Record<string, Record<string, string>>>;
  };
  // SHIKIRI_GUESTS=tests,rtos limits the build to some guests (quick unit-test runs); default all.
  const only = process.env.SHIKIRI_GUESTS;
  const guests = await buildGuests(only === undefined ? undefined : only.split(',').filter(Boolean));
  project.provide('guests', guests);
}

declare module 'vitest' {
  export interface ProvidedContext {
    /** Built guest artefacts by guest name, then artefact name, as absolute paths. */
    guests: Record<string, Record<string, string>>;
  }
}
