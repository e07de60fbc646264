// Stand-alone command entry (`node <built>/cli.js FILE.cfg ...`), for builds that run without dist/cli.js.
import { rtosCfgMain } from './main.js';

rtosCfgMain(process.argv.slice(2), {
  stdout: (s) => void process.stdout.write(s),
  stderr: (s) => void process.stderr.write(s),
}).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    // Only a bug in the configurator gets here: configuration problems are reported as errors.
    process.stderr.write(`shikiri rtos-cfg: internal error: ${(e as Error).stack ?? String(e)}\n`);
    process.exitCode = 1;
  },
);
