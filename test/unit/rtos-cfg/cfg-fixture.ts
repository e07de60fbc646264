// Test helper: writes .cfg/.h fixtures into a temporary folder and runs the configurator on them.
import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

import { runConfigurator, type ConfiguratorOptions, type ConfiguratorResult } from '../../../guests/rtos/cfg/main.js';
import { formatCfgError } from '../../../guests/rtos/cfg/diagnostic.js';

/** The RTOS guest's source folder and the include path its C build uses (CFG_CONTRACT.md §1). */
export const RTOS_DIR = resolve('guests/rtos');
export const KERNEL_INCLUDE_DIRS = [join(RTOS_DIR, 'include'), RTOS_DIR, join(RTOS_DIR, 'arch/i386')];

/** An application header in the TOPPERS style: macros always, declarations outside the cfg pass. */
export const APP_HEADER = `#include "kernel.h"
#define MID_PRIORITY 10
#define STACK_SIZE 4096
#ifndef TOPPERS_MACRO_ONLY
typedef struct { int words[3]; } BIG_T;
enum app_irq { IRQ_COM1 = 4, IRQ_COM2 = 3 };
extern void task(EXINF exinf);
extern void handler(EXINF exinf);
extern void isr(EXINF exinf);
extern void inthdr(void);
extern void exchdr(void *p_excinf);
extern void inirtn(EXINF exinf);
extern intptr_t var;
#endif
`;

/** Write `files` (relative path to text) into a fresh temporary folder; returns the folder. */
export function writeFixture(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'rtos-cfg-test-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

/**
 * Configure `app.cfg` from a fixture holding `app.h` (APP_HEADER) plus `files`; the kernel's
 * include path and the fixture folder are the include directories.
 */
export async function configure(
  files: Record<string, string>,
  extra: Partial<ConfiguratorOptions> = {},
): Promise<{ dir: string; result: ConfiguratorResult; messages: string[] }> {
  const dir = writeFixture({ 'app.h': APP_HEADER, ...files });
  const result = await runConfigurator({
    cfgFiles: [join(dir, 'app.cfg')],
    includeDirs: [...KERNEL_INCLUDE_DIRS, dir],
    ...extra,
  });
  // Messages with the temporary folder removed, so tests read `app.cfg:3: ...`.
  const messages = result.errors.map((e) => formatCfgError(e).split(`${dir}/`).join(''));
  return { dir, result, messages };
}
