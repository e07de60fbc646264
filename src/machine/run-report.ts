/** The run report: what a run did and why it ended, written as versioned JSON by `--report`. */

import type { UnmappedAccess } from '../core/address-space.js';
import type { Engine } from '../cpu/x86/cpu.js';

/** Why a run ended. */
export type EndReason =
  | 'exit' // the guest wrote to the debug exit port
  | 'halt' // HLT with interrupts disabled and no NMI source (Linux's power-off without ACPI)
  | 'power-off' // the board's power-off port
  | 'input-end' // stdin ended, the guest took all of it, then one idle second of virtual time passed
  | 'reset' // a reset request on a board that ends on reset
  | 'triple-fault' // CPU shutdown on a board that stops on triple fault
  | 'time-limit' // --max-time reached
  | 'instruction-limit' // --max-instructions reached
  | 'user-quit' // Ctrl-A x on the terminal
  | 'internal-error'; // a bug in Shikiri: the message says where

/** Process exit code for each end reason (exit-port runs use the guest's value instead). */
export const EXIT_CODES = {
  clean: 0,
  usage: 2,
  image: 4,
  tripleFault: 6,
  limit: 8,
  userQuit: 10,
  reset: 12,
  internal: 70,
} as const;

/** The process exit code for an end reason; `guestExitValue` is used for `exit`. */
export function exitCodeFor(reason: EndReason, guestExitValue: number | null): number {
  switch (reason) {
    case 'exit':
      return (((guestExitValue ?? 0) << 1) | 1) & 0xff;
    case 'halt':
    case 'power-off':
    case 'input-end':
      return EXIT_CODES.clean;
    case 'reset':
      return EXIT_CODES.reset;
    case 'triple-fault':
      return EXIT_CODES.tripleFault;
    case 'time-limit':
    case 'instruction-limit':
      return EXIT_CODES.limit;
    case 'user-quit':
      return EXIT_CODES.userQuit;
    case 'internal-error':
      return EXIT_CODES.internal;
  }
}

/** Version of the {@link RunReport} layout. */
export const RUN_REPORT_VERSION = 1;

/** A finished run, as written by `shikiri run --report FILE.json`. */
export interface RunReport {
  version: typeof RUN_REPORT_VERSION;
  /** Board name. */
  board: string;
  endReason: EndReason;
  /** The process exit code `shikiri run` returned. */
  exitCode: number;
  /** Value written to the debug exit port, or null. */
  guestExitValue: number | null;
  /** Instructions retired. */
  instructions: number;
  /** Virtual CPU cycles elapsed. */
  cycles: number;
  /** Virtual time elapsed in nanoseconds. */
  virtualTimeNs: number;
  /** CPU engine that ran (both give the same simulated results). */
  engine: Engine;
  /** 'jit' engine: blocks compiled during the run (host-side, not part of simulated behaviour). */
  compiledBlocks?: number;
  /** Host wall time spent running, milliseconds (not part of simulated behaviour). */
  wallMs: number;
  /** Millions of instructions per host second. */
  mips: number;
  /** Last value written to the POST-code port, or null. */
  postCode: number | null;
  /** Accesses that reached no device or memory, once per address with a count. */
  unmapped: UnmappedAccess[];
  /** For `internal-error`: the message. */
  error?: string;
}
