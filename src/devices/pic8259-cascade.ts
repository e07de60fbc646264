/** The PC/AT cascade of two 8259A chips (slave INT into a master IR input) and the CPU's INTR/NMI view. */

import type { Clock } from '../core/clock.js';
import { StateError, type Device, type DeviceState } from '../core/device.js';
import type { InterruptController } from '../core/interrupt-controller.js';
import type { IrqSink } from '../core/irq-line.js';
import { Pic8259 } from './pic8259.js';

/** Options for the pair: one entry per chip (each is mapped at its own base port by the machine). */
export interface Pic8259PairOptions {
  master: { name: string; clock: Clock };
  slave: { name: string; clock: Clock };
  /** Master input the slave's INT is wired to (2 on a PC/AT). */
  cascadeInput?: number;
  /** Name of the pair's own state (the NMI latch); defaults to `<master>+<slave>`. */
  name?: string;
}

/**
 * Master + slave 8259A as on a PC/AT. As an {@link IrqSink} it takes global ISA IRQ numbers:
 * pins 0..7 are master inputs, 8..15 slave inputs 0..7. A device driving the cascade pin itself
 * (pin 2 on a PC) is wired-OR'ed with the slave's INT.
 *
 * As the CPU's {@link InterruptController}: {@link hasInterrupt} is a cached boolean (the master's
 * INT pin); {@link acknowledge} runs the two INTA pulses. A request that vanished before INTA
 * yields the spurious vector of the chip concerned (master base + 7, or slave base + 7 with the
 * master's cascade input left in service, as on real hardware).
 *
 * The NMI input is a latch that only {@link raiseNmi} sets (nothing on the board drives it yet).
 */
export class Pic8259Pair implements IrqSink, InterruptController, Device {
  readonly name: string;
  readonly master: Pic8259;
  readonly slave: Pic8259;
  readonly cascadeInput: number;
  private intr = false;
  private nmi = false;
  /** Level of the cascade pin as driven by devices (wired-OR with the slave's INT). */
  private cascadePinLevel = false;
  private slaveInt = false;

  constructor(options: Pic8259PairOptions) {
    this.master = new Pic8259({ name: options.master.name, clock: options.master.clock, master: true });
    this.slave = new Pic8259({ name: options.slave.name, clock: options.slave.clock, master: false });
    this.cascadeInput = (options.cascadeInput ?? 2) & 7;
    this.name = options.name ?? `${options.master.name}+${options.slave.name}`;
    this.master.onOutput = (level) => {
      this.intr = level;
    };
    this.slave.onOutput = (level) => {
      this.slaveInt = level;
      this.master.setInput(this.cascadeInput, level || this.cascadePinLevel);
    };
  }

  // ---- IrqSink ----

  setInput(pin: number, level: boolean): void {
    pin &= 15;
    if (pin >= 8) this.slave.setInput(pin - 8, level);
    else if (pin === this.cascadeInput) {
      this.cascadePinLevel = level;
      this.master.setInput(pin, level || this.slaveInt);
    } else this.master.setInput(pin, level);
  }

  // ---- InterruptController ----

  hasInterrupt(): boolean {
    return this.intr;
  }

  acknowledge(): number {
    const m = this.master;
    const ir = m.acknowledgeIr();
    if (ir < 0) return (m.vectorBase | 7) & 0xff; // spurious IRQ 7
    if (ir === this.cascadeInput && !m.single && m.icw3 & (1 << ir)) {
      // Second INTA: the slave whose ID matches drives the vector (ICW3). Its INT drops for the
      // pulse so that a request still pending gives the master a fresh edge.
      const vector = this.slave.acknowledge();
      this.slave.pulseOutputLow();
      return vector;
    }
    return (m.vectorBase | ir) & 0xff;
  }

  hasNmi(): boolean {
    return this.nmi;
  }

  acknowledgeNmi(): void {
    this.nmi = false;
  }

  /** An edge on the CPU's NMI pin (latched until the CPU takes it). */
  raiseNmi(): void {
    this.nmi = true;
  }

  // ---- Device (the pair's own state: the NMI latch; the chips save themselves) ----

  reset(): void {
    this.nmi = false;
    this.master.reset();
    this.slave.reset();
    this.cascadePinLevel = false;
  }

  saveState(): DeviceState {
    return { version: 1, nmi: this.nmi, cascadePinLevel: this.cascadePinLevel };
  }

  loadState(s: DeviceState): void {
    if (s.version !== 1) throw new StateError(this.name, `unknown state version ${String(s.version)}`);
    this.nmi = s.nmi === true;
    this.cascadePinLevel = s.cascadePinLevel === true;
    this.slaveInt = this.slave.intOutput;
    this.intr = this.master.intOutput;
  }
}
