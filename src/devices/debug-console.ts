/** Byte console (QEMU's debugcon, port 0xE9): every byte written is a character for the host. */

import type { CharSink } from '../core/char-device.js';
import type { Clock } from '../core/clock.js';
import { StateError, type Device, type DeviceState, type PortHandler } from '../core/device.js';

/** Value a read returns, as QEMU's debugcon does, so a guest can detect the console. */
const READBACK = 0xe9;

/** Options for the byte console; `sink` may also be attached later. */
export interface DebugConsoleOptions {
  name: string;
  clock: Clock;
  sink?: CharSink | null;
}

/** Writes go to the attached sink (dropped when none); reads return 0xE9. */
export class DebugConsole implements Device, PortHandler {
  readonly name: string;
  private sink: CharSink | null;

  constructor(options: DebugConsoleOptions) {
    this.name = options.name;
    this.sink = options.sink ?? null;
  }

  /** Connect the console to a host back end (or disconnect with null). */
  attach(sink: CharSink | null): void {
    this.sink = sink;
  }

  reset(): void {}

  read8(_offset: number): number {
    return READBACK;
  }

  write8(_offset: number, value: number): void {
    this.sink?.write(value & 0xff);
  }

  saveState(): DeviceState {
    return { version: 1 };
  }

  loadState(s: DeviceState): void {
    if (s.version !== 1) throw new StateError(this.name, `unknown state version ${String(s.version)}`);
  }
}
