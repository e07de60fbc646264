/** POST-code latch (port 0x80 on a PC): remembers the last byte written, as a POST diagnostic card shows it. */

import type { Clock } from '../core/clock.js';
import { StateError, type Device, type DeviceState, type PortHandler } from '../core/device.js';

/*
 * Reads: a POST card only listens, so on a real ISA bus a read of 0x80 floats and returns 0xFF
 * (some chipsets echo the last write, but nothing may rely on that). QEMU's port-0x80 device also
 * reads 0xFF. This model returns 0xFF; the latched code is visible to the host as `lastCode`.
 */

/** Options for the POST-code latch. */
export interface PostCodeOptions {
  name: string;
  clock: Clock;
}

/** The latch: `lastCode` is the last byte written (null before any write); reads return 0xFF. */
export class PostCode implements Device, PortHandler {
  readonly name: string;
  /** Last byte written, or null if the guest never wrote one. */
  lastCode: number | null = null;
  /** Number of writes since power-on (Linux uses port 0x80 writes as an I/O delay). */
  writes = 0;

  constructor(options: PostCodeOptions) {
    this.name = options.name;
  }

  reset(): void {
    this.lastCode = null;
    this.writes = 0;
  }

  read8(_offset: number): number {
    return 0xff;
  }

  write8(_offset: number, value: number): void {
    this.lastCode = value & 0xff;
    this.writes++;
  }

  saveState(): DeviceState {
    return { version: 1, lastCode: this.lastCode, writes: this.writes };
  }

  loadState(s: DeviceState): void {
    if (s.version !== 1) throw new StateError(this.name, `unknown state version ${String(s.version)}`);
    this.lastCode = typeof s.lastCode === 'number' ? s.lastCode & 0xff : null;
    this.writes = typeof s.writes === 'number' ? s.writes : 0;
  }
}
