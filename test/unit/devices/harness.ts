// Test harness for device models: a virtual-time runner, IRQ probes and a recording power control.
import type { CharSink } from '../../../src/core/char-device.js';
import type { Clock } from '../../../src/core/clock.js';
import type { IrqSink } from '../../../src/core/irq-line.js';
import type { PowerControl } from '../../../src/core/power-control.js';

/** Advance virtual time to `cycle`, firing due timers at their deadlines (as the CPU loop does). */
export function runUntil(clock: Clock, cycle: number): void {
  while (clock.nextEventAt <= cycle) {
    if (clock.nextEventAt > clock.now) clock.now = clock.nextEventAt;
    clock.runDue();
  }
  if (cycle > clock.now) clock.now = cycle;
}

/** Advance virtual time by `cycles`. */
export function runFor(clock: Clock, cycles: number): void {
  runUntil(clock, clock.now + cycles);
}

/** An interrupt-controller stand-in that records every level change of every pin, with its time. */
export class IrqProbe implements IrqSink {
  readonly levels = new Map<number, boolean>();
  readonly changes: { pin: number; level: boolean; at: number }[] = [];
  constructor(private readonly clock: Clock) {}
  setInput(pin: number, level: boolean): void {
    this.levels.set(pin, level);
    this.changes.push({ pin, level, at: this.clock.now });
  }
  level(pin: number): boolean {
    return this.levels.get(pin) ?? false;
  }
  /** Times of rising edges on `pin`. */
  risingEdges(pin: number): number[] {
    return this.changes.filter((c) => c.pin === pin && c.level).map((c) => c.at);
  }
}

/** A PowerControl that records requests. */
export class PowerRecorder implements PowerControl {
  readonly resets: string[] = [];
  readonly powerOffs: string[] = [];
  readonly exits: number[] = [];
  requestReset(source: string): void {
    this.resets.push(source);
  }
  powerOff(source: string): void {
    this.powerOffs.push(source);
  }
  exit(value: number): void {
    this.exits.push(value);
  }
}

/** A CharSink that collects bytes. */
export class ByteCollector implements CharSink {
  readonly bytes: number[] = [];
  write(byte: number): void {
    this.bytes.push(byte);
  }
  get text(): string {
    return String.fromCharCode(...this.bytes);
  }
}
