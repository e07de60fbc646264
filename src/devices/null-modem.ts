/** A null-modem cable: two UARTs joined back to back, each one's TX line feeding the other's RX. */

import type { Uart16550 } from './uart16550.js';

/**
 * Joins two {@link Uart16550}s: every byte one transmits is queued as host input of the other
 * (so it is delivered with the receiver's flow control: held back until that guest is ready,
 * never overrunning its FIFO). Replaces whatever sink each UART had attached.
 */
export class NullModem {
  constructor(
    readonly a: Uart16550,
    readonly b: Uart16550,
  ) {
    a.attach({ write: (byte) => b.pushInputByte(byte) });
    b.attach({ write: (byte) => a.pushInputByte(byte) });
  }

  /** Unplug the cable: both TX lines go nowhere. */
  detach(): void {
    this.a.attach(null);
    this.b.attach(null);
  }
}
