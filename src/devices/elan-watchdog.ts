/** AMD Élan SC410 watchdog timer, reached through the chip setup and control (CSC) index/data ports. */

import type { Clock, Timer } from '../core/clock.js';
import { StateError, type Device, type DeviceState, type PortHandler } from '../core/device.js';
import type { PowerControl } from '../core/power-control.js';
import { InputClock } from './input-clock.js';

/*
 * Access path (verified): the ÉlanSC400/SC410 configuration registers are indexed through the
 * CSC index register at port 0x22 and read/written through the CSC data register at port 0x23
 * (Linux drivers/cpufreq/elanfreq.c uses the same pair: index 0x40 PMU force mode, index 0x80 CPU
 * clock speed). Offset 0 = index, offset 1 = data relative to the mapped base.
 *
 * Every CSC index is a read/write byte here (so other CSC registers a guest touches, like the
 * clock speed register, read back what was written), except the watchdog registers below.
 *
 * Watchdog registers: NOT VERIFIED. The ÉlanSC400/SC410 user's manual could not be consulted
 * (no copy was found by the searches this model was written with); the indexes, bit layout and
 * intervals below are a stand-in with the usual shape of such a watchdog, documented here so
 * that guests written for this model agree with it. Replace them when the manual is at hand.
 *
 * | CSC index | register          | bits                                                      |
 * |-----------|-------------------|-----------------------------------------------------------|
 * | 0xB0      | watchdog control  | 7 ENB (1 = counting), 6 LOCK (1 = control register frozen |
 * |           |                   | until reset), 2-0 interval: 2^(14 + n) clocks of the      |
 * |           |                   | 32.768 kHz time base (0.5 s, 1 s, 2 s ... 64 s)           |
 * | 0xB1      | watchdog clear    | any write restarts the count (servicing the watchdog)     |
 *
 * Expiry (the count reaching the interval while ENB = 1) asserts the board reset
 * (PowerControl.requestReset('watchdog')) and stops the watchdog.
 */

const INDEX_CONTROL = 0xb0;
const INDEX_CLEAR = 0xb1;
const CONTROL_ENB = 0x80;
const CONTROL_LOCK = 0x40;
const TIME_BASE_HZ = 32768;

/** Options for the SC410 CSC/watchdog; `power` receives the expiry reset. */
export interface ElanWatchdogOptions {
  name: string;
  clock: Clock;
  power: PowerControl;
}

/** The SC410 CSC index/data register pair with its watchdog. */
export class ElanWatchdog implements Device, PortHandler {
  readonly name: string;
  private readonly clock: Clock;
  private readonly power: PowerControl;
  private readonly timeBase: InputClock;
  private readonly timer: Timer;
  private readonly csc = new Uint8Array(256);
  private index = 0;
  /** Number of expiries since power-on (host-visible diagnostics). */
  expiries = 0;

  constructor(options: ElanWatchdogOptions) {
    this.name = options.name;
    this.clock = options.clock;
    this.power = options.power;
    this.timeBase = new InputClock(options.clock, TIME_BASE_HZ);
    this.timer = options.clock.createTimer(`${options.name}.expiry`, () => this.onExpiry());
  }

  /** Watchdog interval in CPU cycles for the current control register. */
  get intervalCycles(): number {
    const ticks = 2 ** (14 + (this.csc[INDEX_CONTROL] & 7));
    return this.timeBase.cycleOfTick(this.timeBase.now + ticks) - this.clock.now;
  }

  /** True while the watchdog counts. */
  get enabled(): boolean {
    return (this.csc[INDEX_CONTROL] & CONTROL_ENB) !== 0;
  }

  private restart(): void {
    if (!this.enabled) {
      this.timer.cancel();
      return;
    }
    const ticks = 2 ** (14 + (this.csc[INDEX_CONTROL] & 7));
    this.timer.set(this.timeBase.cycleOfTick(this.timeBase.now + ticks));
  }

  private onExpiry(): void {
    if (!this.enabled) return;
    this.expiries++;
    this.csc[INDEX_CONTROL] &= ~CONTROL_ENB;
    this.power.requestReset('watchdog');
  }

  reset(): void {
    this.csc.fill(0);
    this.index = 0;
    this.timer.cancel();
  }

  read8(offset: number): number {
    if ((offset & 1) === 0) return this.index;
    return this.csc[this.index];
  }

  write8(offset: number, value: number): void {
    value &= 0xff;
    if ((offset & 1) === 0) {
      this.index = value;
      return;
    }
    switch (this.index) {
      case INDEX_CONTROL:
        if (this.csc[INDEX_CONTROL] & CONTROL_LOCK) return;
        this.csc[INDEX_CONTROL] = value & (CONTROL_ENB | CONTROL_LOCK | 7);
        this.restart();
        return;
      case INDEX_CLEAR:
        this.restart();
        return;
      default:
        this.csc[this.index] = value;
    }
  }

  /** The `<name>.expiry` timer is saved and restored by the clock; loading never re-arms it. */
  saveState(): DeviceState {
    return {
      version: 1,
      csc: Array.from(this.csc),
      index: this.index,
      expiries: this.expiries,
    };
  }

  loadState(s: DeviceState): void {
    if (s.version !== 1) throw new StateError(this.name, `unknown state version ${String(s.version)}`);
    if (!Array.isArray(s.csc) || s.csc.length !== 256) throw new StateError(this.name, 'expected 256 CSC register bytes');
    for (let i = 0; i < 256; i++) this.csc[i] = typeof s.csc[i] === 'number' ? (s.csc[i] as number) : 0;
    this.index = typeof s.index === 'number' ? s.index & 0xff : 0;
    this.expiries = typeof s.expiries === 'number' ? s.expiries : 0;
  }
}
