/** A board power-off latch: writing the configured value to its port removes power. */

import type { Clock } from '../core/clock.js';
import { StateError, type Device, type DeviceState, type PortHandler } from '../core/device.js';
import type { PowerControl } from '../core/power-control.js';

/** Options for the power-off latch. */
export interface PowerOffOptions {
  name: string;
  clock: Clock;
  power: PowerControl;
  /**
   * The value that powers off. Up to 0xFF it matches 8-bit writes; above, only a 16-bit write of
   * exactly this value matches (map the device with 2 ports so the bus passes 16-bit writes whole).
   */
  value: number;
}

/** Write `value` → {@link PowerControl.powerOff}. Reads return 0xFF (nothing to read). */
export class PowerOff implements Device, PortHandler {
  readonly name: string;
  readonly value: number;
  private readonly power: PowerControl;

  constructor(options: PowerOffOptions) {
    if (!Number.isInteger(options.value) || options.value < 0 || options.value > 0xffff) throw new RangeError(`${options.name}: power-off value ${options.value} is not a 8- or 16-bit value`);
    this.name = options.name;
    this.value = options.value;
    this.power = options.power;
  }

  reset(): void {}

  read8(_offset: number): number {
    return 0xff;
  }

  write8(offset: number, value: number): void {
    if (offset === 0 && this.value <= 0xff && (value & 0xff) === this.value) this.power.powerOff(this.name);
  }

  write16(offset: number, value: number): void {
    if (offset !== 0) return;
    if ((value & 0xffff) === this.value || (this.value <= 0xff && (value & 0xff) === this.value)) this.power.powerOff(this.name);
  }

  saveState(): DeviceState {
    return { version: 1 };
  }

  loadState(s: DeviceState): void {
    if (s.version !== 1) throw new StateError(this.name, `unknown state version ${String(s.version)}`);
  }
}
