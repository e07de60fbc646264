/** Intel 8259A programmable interrupt controller: one chip (Intel 8259A datasheet, order no. 231468). */

import type { Clock } from '../core/clock.js';
import { StateError, type Device, type DeviceState, type PortHandler } from '../core/device.js';

/*
 * Register map (A0 = port offset):
 *
 * | A0 | access | D4 D3 | meaning                                                        |
 * |----|--------|-------|----------------------------------------------------------------|
 * | 0  | write  | 1 x   | ICW1: D0 IC4, D1 SNGL, D2 ADI (ignored), D3 LTIM; starts init |
 * | 0  | write  | 0 0   | OCW2: D7 R, D6 SL, D5 EOI, D2-D0 level                         |
 * | 0  | write  | 0 1   | OCW3: D6 ESMM, D5 SMM, D2 P (poll), D1 RR, D0 RIS              |
 * | 0  | read   |       | IRR or ISR (as chosen by OCW3), or the poll word after OCW3.P  |
 * | 1  | write  |       | ICW2 (D7-D3 vector base), ICW3, ICW4 during init; else OCW1   |
 * | 1  | read   |       | IMR (OCW1), or the poll word after OCW3.P                      |
 *
 * ICW4: D0 uPM (1 = 8086 mode), D1 AEOI, D3-D2 BUF/M-S, D4 SFNM.
 * Only 8086/88 mode vectors are produced (an x86 board never runs the chip in 8080 mode).
 */

/** Initialisation step the chip expects next on A0 = 1 (datasheet figure "Initialization Sequence"). */
const STEP_READY = 0;
const STEP_ICW2 = 2;
const STEP_ICW3 = 3;
const STEP_ICW4 = 4;

const ICW1_IC4 = 0x01;
const ICW1_SNGL = 0x02;
const ICW1_LTIM = 0x08;
const ICW4_AEOI = 0x02;
const ICW4_SFNM = 0x10;

/** Options for one 8259A. */
export interface Pic8259Options {
  /** Instance name from the board description (e.g. `pic-master`). */
  name: string;
  clock: Clock;
  /** True for the chip that drives the CPU's INTR (affects cascade handling and SFNM). */
  master?: boolean;
}

/**
 * One 8259A. Eight request inputs (IR0-IR7), one INT output reported through {@link onOutput}.
 * Until ICW1-ICW4 have been written the chip never raises INT, like the real part after power-on.
 * Cascading (which input has a slave, who supplies the vector) is arranged by {@link Pic8259Pair}.
 */
export class Pic8259 implements Device, PortHandler {
  readonly name: string;
  readonly isMaster: boolean;
  /** Called whenever the INT output changes level. */
  onOutput: (level: boolean) => void = () => {};

  /** Interrupt request register. */
  irr = 0;
  /** In-service register. */
  isr = 0;
  /** Interrupt mask register (OCW1). */
  imr = 0;
  /** Current levels of IR0-IR7 (for edge detection and level-triggered requests). */
  private levels = 0;
  private initStep = STEP_READY;
  /** True once an ICW1..ICW4 sequence completed; before that the chip delivers nothing. */
  initialised = false;
  private icw1 = 0;
  /** ICW2: vector base (D7-D3). */
  vectorBase = 0;
  /** ICW3: master: bit mask of inputs with a slave; slave: its ID (D2-D0). */
  icw3 = 0;
  private icw4 = 0;
  /** IR input with the lowest priority (priority rotation); 7 after ICW1. */
  private lowest = 7;
  private readIsr = false;
  private pollPending = false;
  private specialMask = false;
  private rotateOnAutoEoi = false;
  private output = false;

  constructor(options: Pic8259Options) {
    this.name = options.name;
    this.isMaster = options.master ?? true;
  }

  /** INT output level (an unmasked request of enough priority is waiting). */
  get intOutput(): boolean {
    return this.output;
  }

  /** True when ICW1.LTIM selected level-triggered inputs. */
  get levelTriggered(): boolean {
    return (this.icw1 & ICW1_LTIM) !== 0;
  }

  /** True when ICW1.SNGL said there is no cascade. */
  get single(): boolean {
    return (this.icw1 & ICW1_SNGL) !== 0;
  }

  reset(): void {
    this.irr = 0;
    this.isr = 0;
    this.imr = 0;
    this.levels = 0;
    this.initStep = STEP_READY;
    this.initialised = false;
    this.icw1 = 0;
    this.vectorBase = 0;
    this.icw3 = 0;
    this.icw4 = 0;
    this.lowest = 7;
    this.readIsr = false;
    this.pollPending = false;
    this.specialMask = false;
    this.rotateOnAutoEoi = false;
    this.update();
  }

  /** Drive input IR`pin` (0..7). Edge mode latches a rising edge into IRR; level mode follows the pin. */
  setInput(pin: number, level: boolean): void {
    const bit = 1 << (pin & 7);
    const was = (this.levels & bit) !== 0;
    if (level) {
      this.levels |= bit;
      // Edge mode: a low-to-high transition sets IRR; the bit stays until INTA (datasheet
      // "Edge and Level Triggered Modes"). Level mode: IRR follows the input.
      if (!was || this.levelTriggered) this.irr |= bit;
    } else {
      this.levels &= ~bit;
      if (this.levelTriggered) this.irr &= ~bit;
    }
    this.update();
  }

  // ---- priority resolution ----

  /** Highest-priority IR set in `mask` under the current rotation, or -1. */
  private highest(mask: number): number {
    if (mask === 0) return -1;
    for (let p = 1; p <= 8; p++) {
      const ir = (this.lowest + p) & 7;
      if (mask & (1 << ir)) return ir;
    }
    return -1;
  }

  /** Priority rank of IR `ir` (0 = highest) under the current rotation. */
  private rank(ir: number): number {
    return (ir - this.lowest - 1) & 7;
  }

  /** The IR that would be acknowledged now, or -1 (also -1 before initialisation). */
  pendingIrq(): number {
    if (!this.initialised) return -1;
    const req = this.irr & ~this.imr;
    const ir = this.highest(req);
    if (ir < 0) return -1;
    // Special mask mode: masked in-service levels do not block anything (OCW3 ESMM/SMM).
    let serving = this.specialMask ? this.isr & ~this.imr : this.isr;
    // Special fully nested mode: a request from a slave is accepted while that slave's input is
    // in service, so higher-priority slave requests get through (ICW4.SFNM, master only).
    if (this.isMaster && this.icw4 & ICW4_SFNM) serving &= ~this.icw3;
    const cur = this.highest(serving);
    if (cur >= 0 && this.rank(cur) <= this.rank(ir)) return -1;
    return ir;
  }

  private update(): void {
    const level = this.pendingIrq() >= 0;
    if (level !== this.output) {
      this.output = level;
      this.onOutput(level);
    }
  }

  /**
   * INTA for this chip: returns the IR taken (moved from IRR to ISR unless AEOI), or -1 when the
   * request vanished (the caller then supplies the spurious IR7 vector, ISR untouched).
   */
  acknowledgeIr(): number {
    const ir = this.pendingIrq();
    if (ir < 0) return -1;
    const bit = 1 << ir;
    if (!this.levelTriggered) this.irr &= ~bit;
    if (this.icw4 & ICW4_AEOI) {
      if (this.rotateOnAutoEoi) this.lowest = ir;
    } else {
      this.isr |= bit;
    }
    this.update();
    return ir;
  }

  /** INTA returning a vector for a chip that supplies its own (no cascade); spurious → base + 7. */
  acknowledge(): number {
    const ir = this.acknowledgeIr();
    return ((this.vectorBase & 0xf8) | (ir < 0 ? 7 : ir)) & 0xff;
  }

  /** Drop INT for the INTA pulse, then re-evaluate (gives the master a fresh edge from a slave). */
  pulseOutputLow(): void {
    if (this.output) {
      this.output = false;
      this.onOutput(false);
    }
    this.update();
  }

  // ---- ports ----

  read8(offset: number): number {
    if (this.pollPending) {
      // Poll command (OCW3.P): the next read returns I (D7) and the level W2-W0, acting as INTA.
      this.pollPending = false;
      const ir = this.acknowledgeIr();
      return ir < 0 ? 0 : 0x80 | ir;
    }
    if ((offset & 1) === 0) return this.readIsr ? this.isr : this.irr;
    return this.imr;
  }

  /** Side-effect-free read for debuggers. */
  peek(offset: number): number {
    if ((offset & 1) === 0) return this.readIsr ? this.isr : this.irr;
    return this.imr;
  }

  write8(offset: number, value: number): void {
    value &= 0xff;
    if ((offset & 1) === 0) {
      if (value & 0x10) this.writeIcw1(value);
      else if (value & 0x08) this.writeOcw3(value);
      else this.writeOcw2(value);
    } else {
      switch (this.initStep) {
        case STEP_ICW2:
          this.vectorBase = value & 0xf8;
          this.initStep = this.single ? (this.icw1 & ICW1_IC4 ? STEP_ICW4 : STEP_READY) : STEP_ICW3;
          break;
        case STEP_ICW3:
          this.icw3 = value;
          this.initStep = this.icw1 & ICW1_IC4 ? STEP_ICW4 : STEP_READY;
          break;
        case STEP_ICW4:
          this.icw4 = value & 0x1f;
          this.initStep = STEP_READY;
          break;
        default:
          this.imr = value; // OCW1
      }
      if (this.initStep === STEP_READY && !this.initialised && this.icw1 !== 0) this.initialised = true;
    }
    this.update();
  }

  /**
   * ICW1: the datasheet's initialisation effects: edge sense reset (an input must go low then
   * high again), IMR cleared, IR7 lowest priority, special mask mode off, status read = IRR,
   * and ICW4 functions zero when IC4 = 0.
   */
  private writeIcw1(value: number): void {
    this.icw1 = value;
    this.initStep = STEP_ICW2;
    this.initialised = false;
    this.imr = 0;
    this.isr = 0;
    this.irr = value & ICW1_LTIM ? this.levels : 0;
    this.lowest = 7;
    this.specialMask = false;
    this.readIsr = false;
    this.pollPending = false;
    this.rotateOnAutoEoi = false;
    this.icw3 = 0;
    this.icw4 = 0;
  }

  /** OCW2: EOI and rotation commands (R SL EOI in D7-D5, level in D2-D0). */
  private writeOcw2(value: number): void {
    const level = value & 7;
    switch (value >> 5) {
      case 0b001: {
        // Non-specific EOI: clear the highest-priority in-service bit.
        const ir = this.highest(this.isr);
        if (ir >= 0) this.isr &= ~(1 << ir);
        break;
      }
      case 0b011: // specific EOI
        this.isr &= ~(1 << level);
        break;
      case 0b101: {
        // Rotate on non-specific EOI: the serviced level becomes the lowest priority.
        const ir = this.highest(this.isr);
        if (ir >= 0) {
          this.isr &= ~(1 << ir);
          this.lowest = ir;
        }
        break;
      }
      case 0b100: // rotate in automatic EOI mode (set)
        this.rotateOnAutoEoi = true;
        break;
      case 0b000: // rotate in automatic EOI mode (clear)
        this.rotateOnAutoEoi = false;
        break;
      case 0b111: // rotate on specific EOI
        this.isr &= ~(1 << level);
        this.lowest = level;
        break;
      case 0b110: // set priority: `level` becomes the lowest
        this.lowest = level;
        break;
      default: // 0b010: no operation
        break;
    }
  }

  /** OCW3: special mask mode, poll command, register read select. */
  private writeOcw3(value: number): void {
    if (value & 0x40) this.specialMask = (value & 0x20) !== 0;
    if (value & 0x04) this.pollPending = true;
    if (value & 0x02) this.readIsr = (value & 0x01) !== 0;
  }

  // ---- state ----

  saveState(): DeviceState {
    return {
      version: 1,
      irr: this.irr,
      isr: this.isr,
      imr: this.imr,
      levels: this.levels,
      initStep: this.initStep,
      initialised: this.initialised,
      icw1: this.icw1,
      vectorBase: this.vectorBase,
      icw3: this.icw3,
      icw4: this.icw4,
      lowestPriority: this.lowest,
      readIsr: this.readIsr,
      pollPending: this.pollPending,
      specialMask: this.specialMask,
      rotateOnAutoEoi: this.rotateOnAutoEoi,
    };
  }

  loadState(s: DeviceState): void {
    if (s.version !== 1) throw new StateError(this.name, `unknown state version ${String(s.version)}`);
    this.irr = num(s.irr);
    this.isr = num(s.isr);
    this.imr = num(s.imr);
    this.levels = num(s.levels);
    this.initStep = num(s.initStep);
    this.initialised = s.initialised === true;
    this.icw1 = num(s.icw1);
    this.vectorBase = num(s.vectorBase);
    this.icw3 = num(s.icw3);
    this.icw4 = num(s.icw4);
    this.lowest = num(s.lowestPriority) & 7;
    this.readIsr = s.readIsr === true;
    this.pollPending = s.pollPending === true;
    this.specialMask = s.specialMask === true;
    this.rotateOnAutoEoi = s.rotateOnAutoEoi === true;
    this.update();
  }
}

function num(v: unknown): number {
  return typeof v === 'number' && Number.isFinite(v) ? v : 0;
}
