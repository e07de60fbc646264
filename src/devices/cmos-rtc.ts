/** Motorola MC146818A real-time clock with 114 bytes of CMOS RAM (MC146818A datasheet). */

import type { Clock, Timer } from '../core/clock.js';
import { StateError, type Device, type DeviceState, type PortHandler } from '../core/device.js';
import type { IrqLine } from '../core/irq-line.js';
import { InputClock } from './input-clock.js';

/*
 * Ports: offset 0 = address (index) register, write only (bit 7 is the PC's NMI mask, recorded);
 * offset 1 = data of the addressed register.
 *
 * | index | register        | notes                                                        |
 * |-------|-----------------|--------------------------------------------------------------|
 * | 0x00  | seconds         | BCD or binary per B.DM                                       |
 * | 0x01  | seconds alarm   | 0xC0-0xFF = don't care                                       |
 * | 0x02  | minutes         |                                                              |
 * | 0x03  | minutes alarm   |                                                              |
 * | 0x04  | hours           | 12-hour mode: bit 7 = PM, 1..12                              |
 * | 0x05  | hours alarm     |                                                              |
 * | 0x06  | day of week     | 1 = Sunday                                                   |
 * | 0x07  | date of month   |                                                              |
 * | 0x08  | month           |                                                              |
 * | 0x09  | year            | 0..99 (leap year every 4 years)                              |
 * | 0x0A  | register A      | 7 UIP (read only), 6-4 DV divider, 3-0 RS rate select        |
 * | 0x0B  | register B      | 7 SET, 6 PIE, 5 AIE, 4 UIE, 3 SQWE, 2 DM (1 = binary),       |
 * |       |                 | 1 24/12 (1 = 24 h), 0 DSE (recorded, no DST switching)        |
 * | 0x0C  | register C      | 7 IRQF, 6 PF, 5 AF, 4 UF; read only, cleared by reading      |
 * | 0x0D  | register D      | 7 VRT (valid RAM and time), always 1                         |
 * | 0x0E- | CMOS RAM        | 114 bytes (0x32 holds the century in BCD, a PC/AT convention)|
 * | 0x7F  |                 |                                                              |
 *
 * Timing (32.768 kHz time base): an update cycle each second; UIP is 1 for the 244 µs (8 time-base
 * clocks) before each update, then the registers advance at once. Periodic interrupt rate per RS:
 * 1 → 256 Hz, 2 → 128 Hz, 3..15 → 65536 >> RS Hz. DV = 11x holds the divider in reset (no
 * updates, no periodic flags); leaving reset, the first update comes 500 ms later.
 * Time advances lazily from virtual time; a Timer is armed only while an enabled interrupt is due.
 */

const REG_A = 0x0a;
const REG_B = 0x0b;
const REG_C = 0x0c;
const REG_D = 0x0d;

const B_SET = 0x80;
const B_PIE = 0x40;
const B_AIE = 0x20;
const B_UIE = 0x10;
const B_SQWE = 0x08;
const B_DM = 0x04;
const B_24H = 0x02;

const C_IRQF = 0x80;
const C_PF = 0x40;
const C_AF = 0x20;
const C_UF = 0x10;

const TIME_BASE_HZ = 32768;
/** UIP leads the update by 244 µs: 8 clocks of the 32.768 kHz time base. */
const UIP_LEAD_TICKS = 8;
const SECONDS_PER_DAY = 86400;

/** Options for the RTC. */
export interface CmosRtcOptions {
  name: string;
  clock: Clock;
  /** The IRQ output (IRQ 8 on a PC). */
  irq?: IrqLine;
  /** Date and time at power-on, ISO 8601 (e.g. `2024-05-01T12:00:00Z`); no offset means UTC. */
  startTime: string;
}

/** Broken-down calendar time as the chip counts it (hour 0..23, year 0..99). */
interface CalendarTime {
  sec: number;
  min: number;
  hour: number;
  dow: number;
  day: number;
  month: number;
  year: number;
}

/** Parse an ISO 8601 date-time into UTC fields (never consults the host time zone). */
export function parseStartTime(text: string): { year: number; month: number; day: number; hour: number; min: number; sec: number } {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?(Z|[+-]\d{2}:?\d{2})?$/.exec(text.trim());
  if (!m) throw new RangeError(`startTime '${text}' is not an ISO 8601 date-time (e.g. 2024-05-01T12:00:00Z)`);
  const [year, month, day, hour, min, sec] = [1, 2, 3, 4, 5, 6].map((i) => (m[i] === undefined ? 0 : Number(m[i])));
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || min > 59 || sec > 59) throw new RangeError(`startTime '${text}' has a field out of range`);
  let ms = Date.UTC(year, month - 1, day, hour, min, sec);
  const tz = m[7];
  if (tz && tz !== 'Z') {
    const sign = tz[0] === '-' ? -1 : 1;
    const digits = tz.slice(1).replace(':', '');
    ms -= sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))) * 60_000;
  }
  const d = new Date(ms);
  if (d.getUTCDate() !== day && !tz) throw new RangeError(`startTime '${text}' names a day that does not exist`);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), hour: d.getUTCHours(), min: d.getUTCMinutes(), sec: d.getUTCSeconds() };
}

function daysInMonth(month: number, year: number): number {
  if (month === 2) return year % 4 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

function toBcd(v: number): number {
  return ((Math.floor(v / 10) % 10) << 4) | (v % 10);
}

function fromBcd(v: number): number {
  return (v >> 4) * 10 + (v & 0x0f);
}

/** The MC146818A as wired on a PC (index port, data port, IRQ 8). */
export class CmosRtc implements Device, PortHandler {
  readonly name: string;
  private readonly clock: Clock;
  private readonly irq: IrqLine | null;
  private readonly timeBase: InputClock;
  private readonly timer: Timer;
  /** Registers 0x00-0x0D and RAM 0x0E-0x7F. */
  private readonly regs = new Uint8Array(128);
  private index = 0;
  /** Bit 7 of the last index write (the PC's NMI disable; recorded, not acted on). */
  nmiMasked = false;
  /** Time-base tick of the next update cycle. */
  private nextUpdateTick: number;
  /** Time-base tick from which periodic boundaries count (the divider chain's release). */
  private periodicAnchor = 0;
  /** Next periodic boundary tick (Infinity when RS = 0 or the divider is held). */
  private nextPeriodicTick = Infinity;

  constructor(options: CmosRtcOptions) {
    this.name = options.name;
    this.clock = options.clock;
    this.irq = options.irq ?? null;
    this.timeBase = new InputClock(options.clock, TIME_BASE_HZ);
    this.timer = options.clock.createTimer(`${options.name}.irq`, (at) => this.onTimer(at));
    let t: ReturnType<typeof parseStartTime>;
    try {
      t = parseStartTime(options.startTime);
    } catch (e) {
      throw new RangeError(`${options.name}: ${(e as Error).message}`);
    }
    // The state firmware leaves on a PC: divider running at 32.768 kHz, 1024 Hz periodic rate,
    // 24-hour BCD format.
    this.regs[REG_A] = 0x26;
    this.regs[REG_B] = B_24H;
    this.regs[REG_D] = 0x80;
    const days = Math.floor(Date.UTC(t.year, t.month - 1, t.day) / 86_400_000);
    this.writeTime({ sec: t.sec, min: t.min, hour: t.hour, dow: (((days + 4) % 7) + 7) % 7 + 1, day: t.day, month: t.month, year: t.year % 100 });
    this.regs[0x32] = toBcd(Math.floor(t.year / 100) % 100);
    const now = this.timeBase.now;
    this.nextUpdateTick = (Math.floor(now / TIME_BASE_HZ) + 1) * TIME_BASE_HZ;
    this.periodicAnchor = 0;
    this.recomputePeriodic(now);
  }

  // ---- format ----

  private get binary(): boolean {
    return (this.regs[REG_B] & B_DM) !== 0;
  }

  private enc(v: number): number {
    return this.binary ? v & 0xff : toBcd(v);
  }

  private dec(v: number): number {
    return this.binary ? v : fromBcd(v);
  }

  private encHour(h: number): number {
    if (this.regs[REG_B] & B_24H) return this.enc(h);
    const pm = h >= 12;
    const h12 = h % 12 === 0 ? 12 : h % 12;
    return this.enc(h12) | (pm ? 0x80 : 0);
  }

  private decHour(raw: number): number {
    if (this.regs[REG_B] & B_24H) return this.dec(raw);
    const h12 = this.dec(raw & 0x7f) % 12;
    return raw & 0x80 ? h12 + 12 : h12;
  }

  private readTime(): CalendarTime {
    const r = this.regs;
    return { sec: this.dec(r[0]), min: this.dec(r[2]), hour: this.decHour(r[4]), dow: this.dec(r[6]), day: this.dec(r[7]), month: this.dec(r[8]), year: this.dec(r[9]) };
  }

  private writeTime(t: CalendarTime): void {
    const r = this.regs;
    r[0] = this.enc(t.sec);
    r[2] = this.enc(t.min);
    r[4] = this.encHour(t.hour);
    r[6] = this.enc(t.dow);
    r[7] = this.enc(t.day);
    r[8] = this.enc(t.month);
    r[9] = this.enc(t.year);
  }

  /** The clock's date and time as an ISO string (century from CMOS 0x32), for logs and tests. */
  get dateTime(): string {
    this.settle(this.timeBase.now);
    const t = this.readTime();
    const year = fromBcd(this.regs[0x32]) * 100 + t.year;
    const p = (n: number, w = 2) => String(n).padStart(w, '0');
    return `${p(year, 4)}-${p(t.month)}-${p(t.day)}T${p(t.hour)}:${p(t.min)}:${p(t.sec)}Z`;
  }

  // ---- time keeping ----

  private get dividerRunning(): boolean {
    return ((this.regs[REG_A] >> 5) & 3) !== 3; // DV = 11x holds the divider chain in reset
  }

  /** Periodic interval in time-base ticks for the current RS, or 0 when none. */
  private periodTicks(): number {
    const rs = this.regs[REG_A] & 0x0f;
    if (rs === 0) return 0;
    const r = rs <= 2 ? rs + 7 : rs;
    return 1 << (r - 1);
  }

  private recomputePeriodic(tick: number): void {
    const p = this.periodTicks();
    if (p === 0 || !this.dividerRunning) {
      this.nextPeriodicTick = Infinity;
      return;
    }
    const k = Math.floor((tick - this.periodicAnchor) / p) + 1;
    this.nextPeriodicTick = this.periodicAnchor + Math.max(1, k) * p;
  }

  /** Bring flags and time registers up to time-base tick `tick`. */
  private settle(tick: number): void {
    if (tick >= this.nextPeriodicTick) {
      this.regs[REG_C] |= C_PF;
      this.recomputePeriodic(tick);
    }
    if (!this.dividerRunning || tick < this.nextUpdateTick) return;
    const updates = Math.floor((tick - this.nextUpdateTick) / TIME_BASE_HZ) + 1;
    this.nextUpdateTick += updates * TIME_BASE_HZ;
    if (this.regs[REG_B] & B_SET) return; // SET = 1 stops updates; the divider keeps running
    let remaining = updates;
    if (remaining > SECONDS_PER_DAY) {
      // Every alarm setting matches within a day, so only the last day needs stepping.
      this.addSeconds(remaining - SECONDS_PER_DAY);
      remaining = SECONDS_PER_DAY;
    }
    let t = this.readTime();
    let alarm = false;
    for (let i = 0; i < remaining; i++) {
      t = this.nextSecond(t);
      if (this.alarmMatches(t)) alarm = true;
    }
    this.writeTime(t);
    this.regs[REG_C] |= C_UF | (alarm ? C_AF : 0);
  }

  private nextSecond(t: CalendarTime): CalendarTime {
    let { sec, min, hour, dow, day, month, year } = t;
    if (++sec < 60) return { sec, min, hour, dow, day, month, year };
    sec = 0;
    if (++min < 60) return { sec, min, hour, dow, day, month, year };
    min = 0;
    if (++hour < 24) return { sec, min, hour, dow, day, month, year };
    hour = 0;
    dow = (dow % 7) + 1;
    if (++day <= daysInMonth(month, year)) return { sec, min, hour, dow, day, month, year };
    day = 1;
    if (++month <= 12) return { sec, min, hour, dow, day, month, year };
    month = 1;
    year = (year + 1) % 100;
    return { sec, min, hour, dow, day, month, year };
  }

  private addSeconds(n: number): void {
    const t = this.readTime();
    // Years 0..99 counted from 2000: the chip's every-fourth-year leap rule matches there.
    const before = Date.UTC(2000 + t.year, t.month - 1, t.day, t.hour, t.min, t.sec);
    const after = new Date(before + n * 1000);
    const deltaDays = Math.floor(after.getTime() / 86_400_000) - Math.floor(before / 86_400_000);
    this.writeTime({
      sec: after.getUTCSeconds(),
      min: after.getUTCMinutes(),
      hour: after.getUTCHours(),
      dow: ((((t.dow - 1 + deltaDays) % 7) + 7) % 7) + 1,
      day: after.getUTCDate(),
      month: after.getUTCMonth() + 1,
      year: after.getUTCFullYear() % 100,
    });
  }

  private alarmMatches(t: CalendarTime): boolean {
    const r = this.regs;
    const match = (alarm: number, value: number) => alarm >= 0xc0 || alarm === value;
    return match(r[1], this.enc(t.sec)) && match(r[3], this.enc(t.min)) && match(r[5], this.encHour(t.hour));
  }

  private get uip(): boolean {
    if (!this.dividerRunning || this.regs[REG_B] & B_SET) return false;
    return this.timeBase.now >= this.nextUpdateTick - UIP_LEAD_TICKS;
  }

  // ---- interrupts ----

  private updateIrq(): void {
    const b = this.regs[REG_B];
    const c = this.regs[REG_C];
    const irqf = (c & C_PF && b & B_PIE) || (c & C_AF && b & B_AIE) || (c & C_UF && b & B_UIE);
    this.regs[REG_C] = irqf ? c | C_IRQF : c & ~C_IRQF;
    this.irq?.set(!!irqf);
    this.schedule();
  }

  /** Arm the timer for the next moment an enabled flag gets set (only if it is not set already). */
  private schedule(): void {
    const b = this.regs[REG_B];
    const c = this.regs[REG_C];
    let next = Infinity;
    if (b & B_PIE && !(c & C_PF)) next = this.nextPeriodicTick;
    if (this.dividerRunning && !(b & B_SET) && ((b & B_UIE && !(c & C_UF)) || (b & B_AIE && !(c & C_AF)))) next = Math.min(next, this.nextUpdateTick);
    if (next === Infinity) this.timer.cancel();
    else this.timer.set(this.timeBase.cycleOfTick(next));
  }

  private onTimer(at: number): void {
    this.settle(this.timeBase.ticksAt(Math.max(at, this.clock.now)));
    this.updateIrq();
  }

  // ---- ports ----

  read8(offset: number): number {
    if ((offset & 1) === 0) return 0xff; // the address register is write only
    const i = this.index;
    this.settle(this.timeBase.now);
    switch (i) {
      case REG_A:
        return (this.regs[REG_A] & 0x7f) | (this.uip ? 0x80 : 0);
      case REG_C: {
        const v = this.regs[REG_C];
        this.regs[REG_C] = 0; // reading C clears all flags and IRQF
        this.updateIrq();
        return v;
      }
      case REG_D:
        return 0x80;
      default:
        return this.regs[i];
    }
  }

  /** Side-effect-free read of register or RAM byte `index` (debuggers). */
  peek(index: number): number {
    return this.regs[index & 0x7f];
  }

  write8(offset: number, value: number): void {
    value &= 0xff;
    if ((offset & 1) === 0) {
      this.index = value & 0x7f;
      this.nmiMasked = (value & 0x80) !== 0;
      return;
    }
    const tick = this.timeBase.now;
    this.settle(tick);
    switch (this.index) {
      case REG_A: {
        const wasRunning = this.dividerRunning;
        this.regs[REG_A] = value & 0x7f;
        if (!wasRunning && this.dividerRunning) {
          // Leaving divider reset: the first update cycle begins 500 ms later.
          this.nextUpdateTick = tick + TIME_BASE_HZ / 2;
          this.periodicAnchor = tick;
        }
        this.recomputePeriodic(tick);
        break;
      }
      case REG_B:
        // Setting SET clears UIE (datasheet, register B bit 4).
        this.regs[REG_B] = value & B_SET ? value & ~B_UIE : value;
        break;
      case REG_C:
      case REG_D:
        break; // read only
      default:
        this.regs[this.index] = value;
    }
    this.updateIrq();
  }

  // ---- lifecycle ----

  /**
   * The RESET pin: clears PIE, AIE, UIE, SQWE and the flags in C; time, alarm, A and the RAM are
   * battery backed and keep running (datasheet "RESET").
   */
  reset(): void {
    this.settle(this.timeBase.now);
    this.regs[REG_B] &= ~(B_PIE | B_AIE | B_UIE | B_SQWE);
    this.regs[REG_C] = 0;
    this.index = 0;
    this.nmiMasked = false;
    this.updateIrq();
  }

  /** The `<name>.irq` timer is saved and restored by the clock; loading never re-arms it. */
  saveState(): DeviceState {
    return {
      version: 1,
      registers: Array.from(this.regs),
      index: this.index,
      nmiMasked: this.nmiMasked,
      nextUpdateTick: this.nextUpdateTick,
      periodicAnchor: this.periodicAnchor,
      nextPeriodicTick: this.nextPeriodicTick === Infinity ? null : this.nextPeriodicTick,
    };
  }

  loadState(s: DeviceState): void {
    if (s.version !== 1) throw new StateError(this.name, `unknown state version ${String(s.version)}`);
    if (!Array.isArray(s.registers) || s.registers.length !== 128) throw new StateError(this.name, 'expected 128 register bytes');
    for (let i = 0; i < 128; i++) this.regs[i] = num(s.registers[i]);
    this.regs[REG_D] = 0x80;
    this.index = num(s.index) & 0x7f;
    this.nmiMasked = s.nmiMasked === true;
    this.nextUpdateTick = num(s.nextUpdateTick);
    this.periodicAnchor = num(s.periodicAnchor);
    this.nextPeriodicTick = typeof s.nextPeriodicTick === 'number' ? s.nextPeriodicTick : Infinity;
    this.irq?.set((this.regs[REG_C] & C_IRQF) !== 0);
  }
}

function num(v: unknown): number {
  return typeof v === 'number' && Number.isFinite(v) ? v : 0;
}
