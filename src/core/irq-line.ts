/** An interrupt request wire from a device to an interrupt controller input. */

/** The receiving side of IRQ wires: an interrupt controller's input pins. */
export interface IrqSink {
  /** Drive input `pin` of this controller to `level` (true = asserted). */
  setInput(pin: number, level: boolean): void;
}

/**
 * One IRQ wire. It only carries a level; whether the receiving input is edge- or
 * level-triggered is the controller's business (8259 ICW1.LTIM / ELCR), as on real boards.
 */
export class IrqLine {
  #level = false;
  constructor(
    private readonly sink: IrqSink,
    /** Input pin number on the sink (e.g. 0..15 for an 8259 pair). */
    readonly pin: number,
  ) {}

  /** Current level of the wire. */
  get level(): boolean {
    return this.#level;
  }

  /** Assert the wire (no-op if already asserted). */
  raise(): void {
    if (!this.#level) {
      this.#level = true;
      this.sink.setInput(this.pin, true);
    }
  }

  /** Deassert the wire (no-op if already low). */
  lower(): void {
    if (this.#level) {
      this.#level = false;
      this.sink.setInput(this.pin, false);
    }
  }

  /** Drive the wire to a level. */
  set(level: boolean): void {
    if (level) this.raise();
    else this.lower();
  }

  /** A rising then falling edge, as an edge-triggered device produces. */
  pulse(): void {
    this.lower();
    this.raise();
    this.lower();
  }
}

/** A wire that goes nowhere, for devices whose IRQ output is not connected on a board. */
export const NO_IRQ_SINK: IrqSink = { setInput() {} };
