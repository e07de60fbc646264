/** Exit port (QEMU's isa-debug-exit, port 0xF4): a write ends the run with the value written. */

import type { Clock } from '../core/clock.js';
import { StateError, type Device, type DeviceState, type PortHandler } from '../core/device.js';
import type { PowerControl } from '../core/power-control.js';

/** Options for the exit port; `power` receives the exit value. */
export interface DebugExitOptions {
  name: string;
  clock: Clock;
  power: PowerControl;
}

/**
 * A write of v (8, 16 or 32 bits, as the guest wrote it) calls {@link PowerControl.exit} with v;
 * the machine turns it into the process status ((v << 1) | 1 like QEMU). Reads return 0xFF.
 */
export class DebugExit implements Device, PortHandler {
  readonly name: string;
  private readonly power: PowerControl;

  constructor(options: DebugExitOptions) {
    this.name = options.name;
    this.power = options.power;
  }

  reset(): void {}

  read8(_offset: number): number {
    return 0xff;
  }

  write8(offset: number, value: number): void {
    if (offset === 0) this.power.exit(value & 0xff);
  }

  write16(offset: number, value: number): void {
    if (offset === 0) this.power.exit(value & 0xffff);
  }

  write32(offset: number, value: number): void {
    if (offset === 0) this.power.exit(value >>> 0);
  }

  saveState(): DeviceState {
    return { version: 1 };
  }

  loadState(s: DeviceState): void {
    if (s.version !== 1) throw new StateError(this.name, `unknown state version ${String(s.version)}`);
  }
}
