/** Entry point of the `shikiri` command: dispatches subcommands and maps every failure to an exit code. */

import { UsageError } from './args.js';
import { EXIT_CODES } from '../machine/run-report.js';
import { boardsCommand, boardCommand } from './boards-command.js';
import { runCommand } from './run-command.js';
import { startCommand } from './start-command.js';
import { disasmCommand } from './disasm-command.js';
import { rtosCfgCommand } from './rtos-cfg-command.js';
import { CliError } from './cli-error.js';
import { createRequire } from 'node:module';

const USAGE = `shikiri — simulated x86 embedded boards running real guests

usage:
  shikiri start                 run the default system on the default board
  shikiri run [options]         run images on a board (shikiri run --help)
  shikiri boards                list the boards
  shikiri board NAME            print a board's validated description
  shikiri disasm FILE [--org ADDR] [--bits 16|32]
  shikiri rtos-cfg FILE.cfg [-I DIR]... [-D NAME=VALUE]... [-o OUTDIR]
  shikiri --help | --version
`;

/** Run the CLI with `argv` (without node and script); resolves to the process exit code. */
export async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  try {
    switch (cmd) {
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        process.stdout.write(USAGE);
        return 0;
      case '--version':
        process.stdout.write(`shikiri ${(createRequire(import.meta.url)('../package.json') as { version: string }).version}\n`);
        return 0;
      case 'run':
        return await runCommand(rest);
      case 'start':
        return await startCommand(rest);
      case 'boards':
        return boardsCommand(rest);
      case 'board':
        return boardCommand(rest);
      case 'disasm':
        return disasmCommand(rest);
      case 'rtos-cfg':
        return await rtosCfgCommand(rest);
      default:
        throw new UsageError(`unknown command '${cmd}' (see shikiri --help)`);
    }
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`shikiri: ${e.message}\n`);
      return EXIT_CODES.usage;
    }
    if (e instanceof CliError) {
      process.stderr.write(`shikiri: ${e.message}\n`);
      return e.exitCode;
    }
    process.stderr.write(`shikiri: internal error (a bug in Shikiri, please report it): ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    return EXIT_CODES.internal;
  }
}

process.on('uncaughtException', (e) => {
  process.stderr.write(`shikiri: internal error (a bug in Shikiri, please report it): ${e.stack ?? e.message}\n`);
  process.exit(EXIT_CODES.internal);
});

main(process.argv.slice(2)).then((code) => {
  // Exit now rather than when the event loop has drained: Node would first wait for V8's queued
  // background compile jobs (optimisations the run asked for and no longer needs; about 10 ms
  // after a Linux boot). Every output of a run is written synchronously by then.
  process.exit(code);
});
