/** The board catalogue: every board description by name, and the default board. */

import type { BoardDescription } from '../src/machine/board-description.js';
import { board as elanSc410 } from './elan-sc410/board.js';
import { board as pcI486 } from './pc-i486/board.js';
import { board as vortex86sx } from './vortex86sx/board.js';

/** Every board Shikiri ships, keyed by its `name`. */
export const BOARDS: Readonly<Record<string, BoardDescription>> = Object.freeze({
  [pcI486.name]: pcI486,
  [vortex86sx.name]: vortex86sx,
  [elanSc410.name]: elanSc410,
});

/** The board used when none is named. */
export const DEFAULT_BOARD = 'pc-i486';
