/** PS/2 system control port A (port 0x92): fast CPU reset (bit 0) and the fast A20 gate (bit 1). */

import type { Clock } from '../core/clock.js';
import { StateError, type Device, type DeviceState, type PortHandler } from '../core/device.js';
import type { PowerControl } from '../core/power-control.js';

/*
 * Register (IBM PS/2 Hardware Interface Technical Reference, "System Control Port A"):
 *
 * | bit | meaning                                                                       |
 * |-----|-------------------------------------------------------------------------------|
 * | 0   | fast reset: a 0 → 1 transition resets the CPU; reads back as written           |
 * | 1   | A20 gate (1 = enabled); stored and read back (the bus does not mask A20)       |
 * | 2-7 | stored and read back (security lock, disk activity lights: no function here)   |
 */

/** Options for port 0x92; `power` receives the reset requests. */
export interface FastResetOptions {
  name: string;
  clock: Clock;
  power: PowerControl;
}

/** Port 0x92. */
export class FastReset implements Device, PortHandler {
  readonly name: string;
  private readonly power: PowerControl;
  private value = 0;

  constructor(options: FastResetOptions) {
    this.name = options.name;
    this.power = options.power;
  }

  /** A20 gate bit as last written. */
  get a20(): boolean {
    return (this.value & 2) !== 0;
  }

  reset(): void {
    this.value = 0;
  }

  read8(_offset: number): number {
    return this.value;
  }

  write8(_offset: number, value: number): void {
    const rising = (value & 1) !== 0 && (this.value & 1) === 0;
    this.value = value & 0xff;
    if (rising) this.power.requestReset('port92');
  }

  saveState(): DeviceState {
    return { version: 1, value: this.value };
  }

  loadState(s: DeviceState): void {
    if (s.version !== 1) throw new StateError(this.name, `unknown state version ${String(s.version)}`);
    this.value = (typeof s.value === 'number' ? s.value : 0) & 0xff;
  }
}
