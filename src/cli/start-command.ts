/** `shikiri start` (what `npm start` runs): the default system on the default board. */

import { DEFAULT_BOARD } from '../../boards/index.js';
import { optString, parseNumber, parseOptions, UsageError } from './args.js';
import { resolveBoard } from './boards-command.js';
import { DEFAULT_ENGINE, runRequest } from './run-command.js';
import { guestArtefact } from './guest-images.js';

const HELP = `usage: shikiri start [--board NAME] [--max-time SECONDS] [--demo]

Runs the default system: for now Linux (our 6.1 build with its /init shell) on the default
board (${DEFAULT_BOARD}); --demo runs the bare-metal demo program instead. Guest images are
built from source on first use (Linux takes several minutes once) and cached. On a terminal,
Ctrl-A x quits; with piped input the run ends once the input is used up and the guest is idle.
`;

export async function startCommand(argv: string[]): Promise<number> {
  const { options, positional } = parseOptions(argv, { help: { value: false }, board: { value: true }, 'max-time': { value: true }, demo: { value: false } });
  if (options.help) {
    process.stdout.write(HELP);
    return 0;
  }
  if (positional.length) throw new UsageError(`start: unexpected argument '${positional[0]}' (see shikiri start --help)`);
  const board = optString(options, 'board') ?? DEFAULT_BOARD;
  const maxTimeText = optString(options, 'max-time');
  const maxTime = maxTimeText === undefined ? undefined : parseNumber(maxTimeText, '--max-time', 0, 1e9) * 1e9;
  const demo = options.demo === true;
  const resolved = resolveBoard(board);
  const kernel = demo ? await guestArtefact('tests', 'demo') : await guestArtefact('linux', 'bzImage');
  return runRequest({
    board: resolved,
    images: { kernel, loads: [], modules: [] },
    serial: 'stdio',
    serial2: 'none',
    debugcon: 'none',
    maxTimeNs: maxTime,
    cycles: 'model',
    engine: DEFAULT_ENGINE,
    quiet: false,
  });
}
