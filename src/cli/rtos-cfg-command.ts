/** `shikiri rtos-cfg`: the RTOS static configurator (.cfg → kernel_cfg.h / kernel_cfg.c). */

import { rtosCfgMain } from '../../guests/rtos/cfg/main.js';

export async function rtosCfgCommand(argv: string[]): Promise<number> {
  return rtosCfgMain(argv, {
    stdout: (s: string) => process.stdout.write(s),
    stderr: (s: string) => process.stderr.write(s),
  });
}
