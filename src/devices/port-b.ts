/** PC/AT system control port B (port 0x61): PIT counter 2 gate and output, speaker enable, refresh toggle. */

import type { Clock } from '../core/clock.js';
import { StateError, type Device, type DeviceState, type PortHandler } from '../core/device.js';
import type { Pit8254 } from './pit8254.js';

/*
 * Register map (one byte, IBM PC/AT Technical Reference, "System Control Port B"):
 *
 * | bit | access | meaning                                                             |
 * |-----|--------|---------------------------------------------------------------------|
 * | 0   | R/W    | timer 2 GATE                                                        |
 * | 1   | R/W    | speaker data enable (AND with counter 2 OUT drives the speaker)     |
 * | 2   | R/W    | parity check enable (stored; no parity errors are modelled)         |
 * | 3   | R/W    | channel check enable (stored; no channel errors are modelled)       |
 * | 4   | R      | refresh detect: toggles every refresh request (15.085 µs, i.e.      |
 * |     |        | 18 input clocks of the 1.193182 MHz timer clock)                   |
 * | 5   | R      | timer 2 OUT                                                         |
 * | 6   | R      | channel check (0)                                                   |
 * | 7   | R      | parity check (0)                                                    |
 */

/** Input clocks of the timer per refresh request (the BIOS programs counter 1 to 18). */
const REFRESH_DIVISOR = 18;

/** Options for port B: it reads and gates counter 2 of `pit`. */
export interface PortBOptions {
  name: string;
  clock: Clock;
  /** The 8254 whose counter 2 this port gates and reads. */
  pit: Pit8254;
}

/** System control port B. The refresh toggle is derived from virtual time, never ticked. */
export class PortB implements Device, PortHandler {
  readonly name: string;
  private readonly pit: Pit8254;
  private readonly clock: Clock;
  /** Bits 0-3 as last written. */
  private control = 0;

  constructor(options: PortBOptions) {
    this.name = options.name;
    this.pit = options.pit;
    this.clock = options.clock;
    this.pit.setGate(2, false);
  }

  /** True while the speaker is driven (data enable and counter 2 OUT both high). */
  get speakerOn(): boolean {
    return (this.control & 2) !== 0 && this.pit.outputOf(2);
  }

  reset(): void {
    this.control = 0;
    this.pit.setGate(2, false);
  }

  read8(_offset: number): number {
    const tick = this.pit.input.ticksAt(this.clock.now);
    const refresh = Math.floor(tick / REFRESH_DIVISOR) & 1;
    return (this.control & 0x0f) | (refresh << 4) | (this.pit.outputOf(2) ? 0x20 : 0);
  }

  write8(_offset: number, value: number): void {
    this.control = value & 0x0f;
    this.pit.setGate(2, (value & 1) !== 0);
  }

  saveState(): DeviceState {
    return { version: 1, control: this.control };
  }

  loadState(s: DeviceState): void {
    if (s.version !== 1) throw new StateError(this.name, `unknown state version ${String(s.version)}`);
    // GATE2's level is saved with the PIT (its input pin), so it is not driven here.
    this.control = (typeof s.control === 'number' ? s.control : 0) & 0x0f;
  }
}
