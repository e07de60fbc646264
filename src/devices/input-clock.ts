/** A chip's fixed-frequency input clock (PIT 1.193182 MHz, RTC 32.768 kHz) derived from virtual time. */

import type { Clock } from '../core/clock.js';

/**
 * Converts between CPU cycles (the virtual clock) and edges of a slower input clock, exactly for
 * integer frequencies: tick `t` happens at the first cycle `c` with floor(c * inputHz / cpuHz) >= t.
 * The products are split at whole seconds so no intermediate value exceeds 2^53 (exact for any
 * run shorter than 2^53 cycles).
 */
export class InputClock {
  constructor(
    private readonly clock: Clock,
    /** Input clock frequency in Hz (e.g. 1 193 182 or 32 768). */
    readonly hz: number,
  ) {
    if (!(hz > 0) || !Number.isFinite(hz)) throw new RangeError(`input clock frequency must be a positive number of Hz, got ${hz}`);
  }

  /** Input clock ticks elapsed at CPU cycle `cycle` (whole ticks, rounded down). */
  ticksAt(cycle: number): number {
    const cpuHz = this.clock.hz;
    const seconds = Math.floor(cycle / cpuHz);
    const rest = cycle - seconds * cpuHz;
    return seconds * this.hz + Math.floor((rest * this.hz) / cpuHz);
  }

  /** Input clock ticks elapsed now. */
  get now(): number {
    return this.ticksAt(this.clock.now);
  }

  /** The first CPU cycle at which tick `tick` has happened. */
  cycleOfTick(tick: number): number {
    const cpuHz = this.clock.hz;
    const seconds = Math.floor(tick / this.hz);
    const rest = tick - seconds * this.hz;
    let c = seconds * cpuHz + Math.ceil((rest * cpuHz) / this.hz);
    // Guard against rounding for non-integer frequencies: make the definition hold exactly.
    while (c > 0 && this.ticksAt(c - 1) >= tick) c--;
    while (this.ticksAt(c) < tick) c++;
    return c;
  }
}
