/** `shikiri start` (what `npm start` runs): the default system on the default board. */

import { DEFAULT_BOARD } from '../../boards/index.js';
import { UsageError } from './args.js';
import { resolveBoard } from './boards-command.js';
import { runRequest } from './run-command.js';
import { guestArtefact } from './guest-images.js';

const HELP = `usage: shikiri start [--board NAME] [--max-time SECONDS]

Runs the default system: for now the bare-metal demo program on the default board
(${DEFAULT_BOARD}). Guest images are built on first use and cached.
`;

export async function startCommand(argv: string[]): Promise<number> {
  let board = DEFAULT_BOARD;
  let maxTime: number | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--help') {
      process.stdout.write(HELP);
      return 0;
    } else if (a === '--board' && i + 1 < argv.length) board = argv[++i];
    else if (a === '--max-time' && i + 1 < argv.length) maxTime = Number(argv[++i]) * 1e9;
    else throw new UsageError(`start: unexpected argument '${a}' (see shikiri start --help)`);
  }
  const demo = await guestArtefact('tests', 'demo');
  return runRequest({
    board: resolveBoard(board),
    images: { kernel: demo, loads: [], modules: [] },
    serial: 'stdio',
    serial2: 'none',
    debugcon: 'none',
    maxTimeNs: maxTime ?? 60e9,
    cycles: 'model',
    quiet: false,
  });
}
