/** Intel 8254 programmable interval timer: three 16-bit counters (Intel 8254 datasheet, order no. 231164). */

import type { Clock, Timer } from '../core/clock.js';
import { StateError, type Device, type DeviceState, type PortHandler } from '../core/device.js';
import type { IrqLine } from '../core/irq-line.js';
import { InputClock } from './input-clock.js';

/*
 * Register map (port offset A1 A0):
 *
 * | offset | read            | write                                                  |
 * |--------|-----------------|--------------------------------------------------------|
 * | 0      | counter 0       | counter 0 count                                        |
 * | 1      | counter 1       | counter 1 count                                        |
 * | 2      | counter 2       | counter 2 count                                        |
 * | 3      | (no operation)  | control word: SC1 SC0 RW1 RW0 M2 M1 M0 BCD             |
 *
 * Control word: SC = 0..2 counter, 3 = read-back command. RW = 0 counter latch command,
 * 1 LSB only, 2 MSB only, 3 LSB then MSB. M = mode 0..5 (6 and 7 alias 2 and 3). BCD = 1: four
 * decade counting. Read-back: D5 = 0 latch count, D4 = 0 latch status, D3-D1 select counters 2..0.
 * Status byte: D7 OUTPUT, D6 NULL COUNT, D5-D0 as programmed (RW, M, BCD).
 *
 * Model: counts are computed from virtual time (input clock edges since the count was loaded),
 * never ticked. A Timer is armed only for OUT edges of counters that drive an IRQ line.
 */

/** Options for the 8254. */
export interface Pit8254Options {
  name: string;
  clock: Clock;
  /** Driven by counter 0's OUT (IRQ 0 on a PC; edge-triggered at the 8259). */
  irq?: IrqLine;
  /** Counter input clock in Hz (1 193 182 on a PC). */
  inputHz: number;
}

const RW_LATCH = 0;
const RW_LSB = 1;
const RW_MSB = 2;
const RW_BOTH = 3;

/** One counter's programming and run state. Elapsed counts are input ticks since `loadTick`. */
interface Counter {
  /** A control word has been written (the counter exists in a defined mode). */
  programmed: boolean;
  mode: number;
  bcd: boolean;
  rw: number;
  /** Count register as last written (0 = maximum). */
  countRegister: number;
  /** Count in effect: 1..65536 (binary) or 1..10000 (BCD), as a plain number of ticks. */
  n: number;
  /** Counting has started (a count was loaded, and for modes 1/5 the gate triggered). */
  running: boolean;
  /** Input tick at which the count element held `n` (elapsed = 0). */
  loadTick: number;
  /** Elapsed ticks frozen while the gate is low (modes 0, 2, 3, 4), or -1. */
  frozen: number;
  /** A count was written but is not yet in effect (modes 1/5 before the trigger, 2/3 at end of period). */
  pendingN: number;
  /** Input tick at which `pendingN` takes over (modes 2/3), or -1 when it waits for a gate trigger. */
  pendingTick: number;
  nullCount: boolean;
  /** Mode 0: the LSB of a new count was written; counting is disabled until the MSB. */
  held: boolean;
  gate: boolean;
  /** LSB of a two-byte count written, waiting for the MSB. */
  writeHigh: boolean;
  writeLatch: number;
  /** Next read in RW_BOTH returns the MSB. */
  readHigh: boolean;
  /** Latched count (counter latch / read-back) or -1. */
  latched: number;
  /** Bytes of the latched count still to read (2 for RW_BOTH). */
  latchedBytes: number;
  /** Latched status byte or -1. */
  status: number;
}

function newCounter(): Counter {
  return {
    programmed: false,
    mode: 0,
    bcd: false,
    rw: RW_BOTH,
    countRegister: 0,
    n: 0x10000,
    running: false,
    loadTick: 0,
    frozen: -1,
    pendingN: 0,
    pendingTick: -1,
    nullCount: true,
    held: false,
    gate: true,
    writeHigh: false,
    writeLatch: 0,
    readHigh: false,
    latched: -1,
    latchedBytes: 0,
    status: -1,
  };
}

function toBcd(v: number): number {
  return (v % 10) | ((Math.floor(v / 10) % 10) << 4) | ((Math.floor(v / 100) % 10) << 8) | ((Math.floor(v / 1000) % 10) << 12);
}

function fromBcd(v: number): number {
  return (v & 0xf) + ((v >> 4) & 0xf) * 10 + ((v >> 8) & 0xf) * 100 + ((v >> 12) & 0xf) * 1000;
}

/**
 * The 8254. Counter 0's OUT drives `irq`; counter 2's gate and OUT are reachable through
 * {@link setGate} and {@link outputOf} (system control port B on a PC). Counters do nothing until
 * programmed (control word, then a count).
 */
export class Pit8254 implements Device, PortHandler {
  readonly name: string;
  readonly input: InputClock;
  private readonly clock: Clock;
  private readonly irq: IrqLine | null;
  private readonly counters: Counter[] = [newCounter(), newCounter(), newCounter()];
  private readonly timer: Timer;

  constructor(options: Pit8254Options) {
    this.name = options.name;
    this.clock = options.clock;
    this.irq = options.irq ?? null;
    this.input = new InputClock(options.clock, options.inputHz);
    this.timer = options.clock.createTimer(`${options.name}.out0`, (at) => this.onOut0Edge(at));
  }

  reset(): void {
    for (let i = 0; i < 3; i++) {
      const gate = this.counters[i].gate;
      this.counters[i] = newCounter();
      this.counters[i].gate = gate; // the gate is an input pin, not chip state
    }
    this.timer.cancel();
    this.irq?.lower();
  }

  // ---- time arithmetic ----

  private nowTick(): number {
    return this.input.ticksAt(this.clock.now);
  }

  /** Apply a count that was waiting for the end of the current period (modes 2 and 3). */
  private settle(c: Counter, tick: number): void {
    if (c.pendingTick >= 0 && tick >= c.pendingTick && c.frozen < 0) {
      c.n = c.pendingN;
      c.loadTick = c.pendingTick;
      c.pendingTick = -1;
    }
  }

  /** Elapsed input ticks since the count was loaded, or -1 before the load. */
  private elapsed(c: Counter, tick: number): number {
    if (c.frozen >= 0) return c.frozen;
    return tick - c.loadTick;
  }

  /** OUT level at elapsed `e` of a running counter (datasheet "Mode definitions"). */
  private outAt(c: Counter, e: number): boolean {
    const n = c.n;
    switch (c.mode) {
      case 0: // interrupt on terminal count: low until the count reaches 0
      case 1: // hardware one-shot: low from the trigger until terminal count
        return e >= n;
      case 2: {
        // rate generator: low for one clock while the count is 1
        const p = periodOf(n);
        return e < 0 || e % p !== p - 1;
      }
      case 3: {
        // square wave: high for ceil(N/2), low for floor(N/2)
        const p = periodOf(n);
        return e < 0 || e % p < Math.ceil(p / 2);
      }
      default: // 4, 5: strobe: low for one clock when the count reaches 0
        return e !== n;
    }
  }

  /** Current OUT of counter `i`. */
  outputOf(i: number): boolean {
    const c = this.counters[i];
    const tick = this.nowTick();
    this.settle(c, tick);
    return this.outputAt(c, tick);
  }

  private outputAt(c: Counter, tick: number): boolean {
    if (!c.programmed) return true; // undefined at power-on; modelled high
    if (!c.running || c.held) return c.mode === 0 ? false : true;
    // Modes 2 and 3 force OUT high while the gate is low.
    if (c.frozen >= 0 && (c.mode === 2 || c.mode === 3)) return true;
    const e = this.elapsed(c, tick);
    if (e < 0) return c.mode === 0 || c.mode === 1 ? false : true;
    return this.outAt(c, e);
  }

  /** Count element value at `tick` (what a read or latch returns, before BCD encoding). */
  private countAt(c: Counter, tick: number): number {
    if (!c.running) return c.countRegister & 0xffff;
    const e = this.elapsed(c, tick);
    const n = c.n;
    const wrap = c.bcd ? 10000 : 0x10000;
    if (e < 0) return n % wrap;
    let v: number;
    switch (c.mode) {
      case 2: {
        const p = periodOf(n);
        v = p - (e % p);
        break;
      }
      case 3: {
        const p = periodOf(n);
        const pos = e % p;
        const high = Math.ceil(p / 2);
        if (p % 2 === 0) v = pos < high ? p - 2 * pos : p - 2 * (pos - high);
        else if (pos < high) v = pos === 0 ? p : p + 1 - 2 * pos;
        else v = pos === high ? p : p - 1 - 2 * (pos - high);
        break;
      }
      default:
        v = (((n - e) % wrap) + wrap) % wrap;
    }
    return v % wrap;
  }

  private encodedCount(c: Counter, tick: number): number {
    const v = this.countAt(c, tick);
    return c.bcd ? toBcd(v) : v & 0xffff;
  }

  /** Next input tick after `tick` at which this counter's OUT may change, or Infinity. */
  private nextEdgeTick(c: Counter, tick: number): number {
    if (!c.programmed || !c.running || c.frozen >= 0) return Infinity;
    let best = Infinity;
    if (c.pendingTick >= 0 && c.pendingTick > tick) best = c.pendingTick;
    const e = tick - c.loadTick;
    let next: number;
    if (e < 0) next = 0;
    else {
      const n = c.n;
      switch (c.mode) {
        case 0:
        case 1:
          next = e < n ? n : Infinity;
          break;
        case 2: {
          const p = periodOf(n);
          const pos = e % p;
          next = e - pos + (pos < p - 1 ? p - 1 : p);
          break;
        }
        case 3: {
          const p = periodOf(n);
          const pos = e % p;
          const high = Math.ceil(p / 2);
          next = e - pos + (pos < high ? high : p);
          break;
        }
        default:
          next = e < n ? n : e === n ? n + 1 : Infinity;
      }
    }
    const at = c.loadTick + next;
    return at < best ? at : best;
  }

  // ---- counter 0 OUT → IRQ ----

  private onOut0Edge(at: number): void {
    const c = this.counters[0];
    // The timer fires at the first cycle of the edge tick; evaluate there, not at clock.now.
    const tick = this.input.ticksAt(at);
    this.settle(c, tick);
    if (this.irq) {
      const level = this.outputAt(c, tick);
      this.irq.set(level);
    }
    this.scheduleOut0(tick);
  }

  private scheduleOut0(tick: number): void {
    if (!this.irq) return;
    const c = this.counters[0];
    const next = this.nextEdgeTick(c, tick);
    if (next === Infinity) this.timer.cancel();
    else this.timer.set(this.input.cycleOfTick(next));
  }

  /** Re-evaluate counter `i`'s OUT now (after a write or gate change). */
  private refresh(i: number): void {
    if (i !== 0 || !this.irq) return;
    const tick = this.nowTick();
    const c = this.counters[0];
    if (!c.programmed) return; // OUT is undefined until a control word: the line is not driven
    this.settle(c, tick);
    this.irq.set(this.outputAt(c, tick));
    this.scheduleOut0(tick);
  }

  // ---- gate input ----

  /** Drive counter `i`'s GATE input (counters 0 and 1 are tied high on a PC). */
  setGate(i: number, level: boolean): void {
    const c = this.counters[i];
    if (c.gate === level) return;
    const tick = this.nowTick();
    this.settle(c, tick);
    c.gate = level;
    if (c.programmed && c.running) {
      switch (c.mode) {
        case 0:
        case 4:
        case 2:
        case 3:
          if (!level) c.frozen = Math.max(0, this.elapsed(c, tick));
          else if (c.mode === 2 || c.mode === 3) {
            // Rising gate restarts the period with the initial count on the next clock.
            c.frozen = -1;
            c.loadTick = tick + 1;
          } else if (c.frozen >= 0 && !c.held) {
            c.loadTick = tick - c.frozen;
            c.frozen = -1;
          }
          break;
        default:
          break;
      }
    }
    // Modes 1 and 5 start (or restart) on a rising gate once a count has been written; a count
    // written meanwhile is used from this trigger on.
    if (level && c.programmed && (c.mode === 1 || c.mode === 5) && (c.running || c.pendingTick === -2)) {
      if (c.pendingTick === -2) c.n = c.pendingN;
      c.running = true;
      c.pendingTick = -1;
      c.loadTick = tick + 1;
      c.frozen = -1;
    }
    this.refresh(i);
  }

  /** Current GATE input level. */
  gateOf(i: number): boolean {
    return this.counters[i].gate;
  }

  // ---- ports ----

  read8(offset: number): number {
    offset &= 3;
    if (offset === 3) return 0xff; // the control word register cannot be read
    const c = this.counters[offset];
    if (c.status >= 0) {
      const s = c.status;
      c.status = -1;
      return s;
    }
    if (c.latched >= 0) {
      let v: number;
      if (c.rw === RW_MSB) v = c.latched >> 8;
      else if (c.rw === RW_LSB) v = c.latched & 0xff;
      else v = c.latchedBytes === 2 ? c.latched & 0xff : c.latched >> 8;
      c.latchedBytes--;
      if (c.latchedBytes <= 0) c.latched = -1;
      return v & 0xff;
    }
    if (!c.programmed) return 0;
    const tick = this.nowTick();
    this.settle(c, tick);
    const v = this.encodedCount(c, tick);
    switch (c.rw) {
      case RW_LSB:
        return v & 0xff;
      case RW_MSB:
        return (v >> 8) & 0xff;
      default:
        c.readHigh = !c.readHigh;
        return c.readHigh ? v & 0xff : (v >> 8) & 0xff;
    }
  }

  /** Side-effect-free read for debuggers: the current count of counter `offset`. */
  peek(offset: number): number {
    const c = this.counters[offset & 3];
    if (!c || !c.programmed) return 0;
    const tick = this.nowTick();
    return this.encodedCount(c, tick);
  }

  write8(offset: number, value: number): void {
    offset &= 3;
    value &= 0xff;
    if (offset === 3) this.writeControl(value);
    else this.writeCount(offset, value);
  }

  private writeControl(value: number): void {
    const sc = value >> 6;
    if (sc === 3) {
      this.readBack(value);
      return;
    }
    const c = this.counters[sc];
    const rw = (value >> 4) & 3;
    const tick = this.nowTick();
    this.settle(c, tick);
    if (rw === RW_LATCH) {
      // Counter latch command: ignored while a previous latch has not been read.
      if (c.latched < 0 && c.programmed) this.latchCount(c, tick);
      return;
    }
    let mode = (value >> 1) & 7;
    if (mode > 5) mode -= 4;
    c.programmed = true;
    c.mode = mode;
    c.bcd = (value & 1) !== 0;
    c.rw = rw;
    c.running = false;
    c.frozen = -1;
    c.pendingTick = -1;
    c.nullCount = true;
    c.held = false;
    c.writeHigh = false;
    c.readHigh = false;
    c.latched = -1;
    c.status = -1;
    this.refresh(sc);
  }

  private latchCount(c: Counter, tick: number): void {
    c.latched = this.encodedCount(c, tick);
    c.latchedBytes = c.rw === RW_BOTH ? 2 : 1;
    c.readHigh = false;
  }

  private readBack(value: number): void {
    const tick = this.nowTick();
    for (let i = 0; i < 3; i++) {
      if (!(value & (2 << i))) continue;
      const c = this.counters[i];
      if (!c.programmed) continue;
      this.settle(c, tick);
      if (!(value & 0x20) && c.latched < 0) this.latchCount(c, tick);
      if (!(value & 0x10) && c.status < 0) {
        c.status = (this.outputAt(c, tick) ? 0x80 : 0) | (c.nullCount ? 0x40 : 0) | (c.rw << 4) | (c.mode << 1) | (c.bcd ? 1 : 0);
      }
    }
  }

  private writeCount(i: number, value: number): void {
    const c = this.counters[i];
    if (!c.programmed) return; // no control word yet: the counter is not set up
    let count: number;
    switch (c.rw) {
      case RW_LSB:
        count = value;
        break;
      case RW_MSB:
        count = value << 8;
        break;
      default:
        if (!c.writeHigh) {
          c.writeHigh = true;
          c.writeLatch = value;
          // Mode 0: writing the first byte disables counting (the count holds, OUT is low).
          if (c.mode === 0 && c.running && !c.held) {
            const tick = this.nowTick();
            this.settle(c, tick);
            c.frozen = Math.max(0, this.elapsed(c, tick));
            c.held = true;
            this.refresh(i);
          }
          return;
        }
        c.writeHigh = false;
        count = c.writeLatch | (value << 8);
    }
    this.loadCount(i, count);
  }

  /** A complete count was written: when it takes effect depends on the mode. */
  private loadCount(i: number, count: number): void {
    const c = this.counters[i];
    const tick = this.nowTick();
    this.settle(c, tick);
    c.countRegister = count;
    c.held = false;
    let n = c.bcd ? fromBcd(count) : count;
    if (n === 0) n = c.bcd ? 10000 : 0x10000;
    c.nullCount = false;
    switch (c.mode) {
      case 0:
      case 4:
        // The count is loaded on the next CLK pulse and counting starts (if the gate is high).
        c.n = n;
        c.running = true;
        c.pendingTick = -1;
        c.loadTick = tick + 1;
        c.frozen = c.gate ? -1 : 0;
        break;
      case 2:
      case 3:
        if (c.running && c.frozen < 0) {
          // A new count does not disturb the current period; it is loaded at its end.
          const e = Math.max(0, tick - c.loadTick);
          const p = periodOf(c.n);
          c.pendingN = n;
          c.pendingTick = c.loadTick + (Math.floor(e / p) + 1) * p;
        } else {
          c.n = n;
          c.running = true;
          c.loadTick = tick + 1;
          c.frozen = c.gate ? -1 : 0;
          c.pendingTick = -1;
        }
        break;
      default:
        // Modes 1 and 5 wait for a rising gate (trigger); a running one-shot is not disturbed.
        c.pendingN = n;
        c.pendingTick = -2; // armed: the next trigger loads pendingN
        if (!c.running) c.n = n;
        break;
    }
    this.refresh(i);
  }

  // ---- state ----

  /**
   * Timers are not part of this state: the clock saves and restores them by name (`<name>.out0`),
   * so loading never re-arms anything nor reads the current time.
   */
  saveState(): DeviceState {
    return {
      version: 1,
      out0: this.irq ? this.irq.level : false,
      counters: this.counters.map((c) => ({
        programmed: c.programmed,
        mode: c.mode,
        bcd: c.bcd,
        rw: c.rw,
        countRegister: c.countRegister,
        n: c.n,
        running: c.running,
        loadTick: c.loadTick,
        frozen: c.frozen,
        pendingN: c.pendingN,
        pendingTick: c.pendingTick,
        nullCount: c.nullCount,
        held: c.held,
        gate: c.gate,
        writeHigh: c.writeHigh,
        writeLatch: c.writeLatch,
        readHigh: c.readHigh,
        latched: c.latched,
        latchedBytes: c.latchedBytes,
        status: c.status,
      })),
    };
  }

  loadState(s: DeviceState): void {
    if (s.version !== 1) throw new StateError(this.name, `unknown state version ${String(s.version)}`);
    const list = s.counters;
    if (!Array.isArray(list) || list.length !== 3) throw new StateError(this.name, 'expected three counters');
    for (let i = 0; i < 3; i++) {
      const f = list[i] as Record<string, unknown>;
      if (f === null || typeof f !== 'object') throw new StateError(this.name, `counter ${i} is not an object`);
      const c = this.counters[i];
      c.programmed = f.programmed === true;
      c.mode = num(f.mode) % 6;
      c.bcd = f.bcd === true;
      c.rw = num(f.rw) & 3;
      c.countRegister = num(f.countRegister);
      c.n = num(f.n) || 0x10000;
      c.running = f.running === true;
      c.loadTick = num(f.loadTick);
      c.frozen = num(f.frozen);
      c.pendingN = num(f.pendingN);
      c.pendingTick = num(f.pendingTick);
      c.nullCount = f.nullCount === true;
      c.held = f.held === true;
      c.gate = f.gate !== false;
      c.writeHigh = f.writeHigh === true;
      c.writeLatch = num(f.writeLatch);
      c.readHigh = f.readHigh === true;
      c.latched = num(f.latched);
      c.latchedBytes = num(f.latchedBytes);
      c.status = num(f.status);
    }
    // Drive the IRQ wire to the level it had when saved (not recomputed: the clock may not be
    // restored yet, and an interrupt controller loaded first already holds that level).
    this.irq?.set(s.out0 === true);
  }
}

/** Period in ticks of modes 2 and 3: a count of 1 is illegal there; it is treated as 2. */
function periodOf(n: number): number {
  return n < 2 ? 2 : n;
}

function num(v: unknown): number {
  return typeof v === 'number' && Number.isFinite(v) ? v : 0;
}
