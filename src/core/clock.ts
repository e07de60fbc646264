/** The virtual clock: time in CPU cycles at the board's frequency, and the timer event queue. */

/** Callback run when a timer's deadline is reached; `now` is the deadline in cycles. */
export type TimerCallback = (now: number) => void;

/**
 * A named, reusable timer owned by a device. Created once (no allocation per event), armed with
 * {@link Timer.set} and disarmed with {@link Timer.cancel}. Its state (deadline and order) is part
 * of the machine state and saved by name.
 */
export class Timer {
  /** Deadline in cycles; Infinity when not armed. */
  deadline = Infinity;
  /** Tie-breaker among timers with the same deadline: the order in which they were armed. */
  seq = 0;
  constructor(
    private readonly clock: Clock,
    /** Unique name, e.g. `pit.ch0`; used in saved state. */
    readonly name: string,
    readonly callback: TimerCallback,
  ) {}

  /**
   * Arm (or re-arm) the timer to fire at absolute cycle `at`. A deadline already past fires at
   * the next {@link Clock.runDue}, with its own deadline as the time, so periodic timers that
   * re-arm from their deadline never drift.
   */
  set(at: number): void {
    this.deadline = at;
    this.seq = this.clock.nextSeq++;
    this.clock.recompute();
  }

  /** Arm the timer `cycles` from now. */
  setIn(cycles: number): void {
    this.set(this.clock.now + cycles);
  }

  /** Disarm the timer. */
  cancel(): void {
    if (this.deadline !== Infinity) {
      this.deadline = Infinity;
      this.clock.recompute();
    }
  }

  get armed(): boolean {
    return this.deadline !== Infinity;
  }
}

/** Saved clock state: time and every armed timer by name. */
export interface ClockState {
  now: number;
  nextSeq: number;
  timers: Record<string, { deadline: number | null; seq: number }>;
}

/**
 * Virtual time. `now` counts CPU cycles since power-on (an integer kept in a double: exact up
 * to 2^53 cycles, i.e. more than 3 years at 100 MHz). The CPU advances it; devices read it and arm
 * timers. Timers with equal deadlines fire in the order they were armed.
 */
export class Clock {
  /** Current time in cycles. The CPU adds each instruction's cost here. */
  now = 0;
  /** Earliest armed deadline, or Infinity. The CPU runs until `now >= nextEventAt`. */
  nextEventAt = Infinity;
  /** @internal sequence counter for timer ordering. */
  nextSeq = 0;
  private readonly timers: Timer[] = [];

  constructor(
    /** CPU clock frequency in Hz. */
    readonly hz: number,
  ) {
    if (!(hz > 0) || !Number.isFinite(hz)) throw new RangeError(`clock frequency must be a positive number of Hz, got ${hz}`);
  }

  /** Create a timer; names must be unique per clock. */
  createTimer(name: string, callback: TimerCallback): Timer {
    if (this.timers.some((t) => t.name === name)) throw new Error(`duplicate timer name '${name}'`);
    const t = new Timer(this, name, callback);
    this.timers.push(t);
    return t;
  }

  /** @internal recompute {@link nextEventAt} after a timer changed. */
  recompute(): void {
    let min = Infinity;
    for (const t of this.timers) if (t.deadline < min) min = t.deadline;
    this.nextEventAt = min;
  }

  /**
   * Fire every timer whose deadline is at or before `now`, earliest first, ties in arming order.
   * A callback may re-arm timers; ones that become due at or before `now` fire in this call too.
   * Returns the number of timers fired.
   */
  runDue(): number {
    let fired = 0;
    while (this.nextEventAt <= this.now) {
      let best: Timer | null = null;
      for (const t of this.timers) {
        if (t.deadline <= this.now && (best === null || t.deadline < best.deadline || (t.deadline === best.deadline && t.seq < best.seq))) best = t;
      }
      if (best === null) break;
      const at = best.deadline;
      best.deadline = Infinity;
      this.recompute();
      best.callback(at);
      fired++;
    }
    return fired;
  }

  /** Convert cycles to nanoseconds (floating point). */
  cyclesToNs(cycles: number): number {
    return (cycles * 1e9) / this.hz;
  }

  /** Convert nanoseconds to whole cycles (rounded down). */
  nsToCycles(ns: number): number {
    return Math.floor((ns * this.hz) / 1e9);
  }

  /** Current virtual time in nanoseconds. */
  get nowNs(): number {
    return this.cyclesToNs(this.now);
  }

  saveState(): ClockState {
    const timers: ClockState['timers'] = {};
    for (const t of this.timers) timers[t.name] = { deadline: t.deadline === Infinity ? null : t.deadline, seq: t.seq };
    return { now: this.now, nextSeq: this.nextSeq, timers };
  }

  loadState(s: ClockState): void {
    this.now = s.now;
    this.nextSeq = s.nextSeq;
    for (const t of this.timers) {
      const st = s.timers[t.name];
      t.deadline = st && st.deadline !== null ? st.deadline : Infinity;
      t.seq = st ? st.seq : 0;
    }
    this.recompute();
  }
}
