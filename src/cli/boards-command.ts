/** `shikiri boards` and `shikiri board NAME`: list boards and print one validated description. */

import { BOARDS, DEFAULT_BOARD } from '../../boards/index.js';
import { validateBoard, formatBoardErrors } from '../machine/validate-board.js';
import type { BoardDescription } from '../machine/board-description.js';
import { EXIT_CODES } from '../machine/run-report.js';
import { UsageError } from './args.js';
import { CliError } from './cli-error.js';

/** Look up a board by name and validate it; errors are CLI errors with the right exit code. */
export function resolveBoard(name: string): BoardDescription {
  const raw = BOARDS[name];
  if (!raw) throw new UsageError(`unknown board '${name}' (known: ${Object.keys(BOARDS).join(', ')})`);
  const v = validateBoard(raw);
  if (!v.ok) throw new CliError(formatBoardErrors(name, v.errors), EXIT_CODES.image);
  return v.board;
}

export function boardsCommand(argv: string[]): number {
  if (argv.includes('--help')) {
    process.stdout.write('usage: shikiri boards\nLists the boards with a one-line summary.\n');
    return 0;
  }
  if (argv.length) throw new UsageError(`'boards' takes no arguments`);
  const names = Object.keys(BOARDS);
  const width = Math.max(...names.map((n) => n.length));
  for (const n of names) {
    const b = BOARDS[n];
    const mhz = (b.cpu.frequencyHz / 1e6).toFixed(0);
    const ram = b.memory.ram.reduce((s, r) => s + r.size, 0);
    process.stdout.write(`${n.padEnd(width)}  ${b.cpu.model} ${mhz} MHz, ${Math.round(ram / 1048576)} MiB — ${b.summary}${n === DEFAULT_BOARD ? ' (default)' : ''}\n`);
  }
  return 0;
}

export function boardCommand(argv: string[]): number {
  if (argv.includes('--help')) {
    process.stdout.write("usage: shikiri board NAME\nPrints the board's validated description as JSON.\n");
    return 0;
  }
  if (argv.length !== 1) throw new UsageError(`usage: shikiri board NAME`);
  const board = resolveBoard(argv[0]);
  process.stdout.write(JSON.stringify(board, (_k, v) => v, 2) + '\n');
  return 0;
}
