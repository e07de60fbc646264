/** What the CPU asks of the interrupt logic at instruction boundaries (INTR/INTA and NMI pins). */

/**
 * The CPU's view of its interrupt inputs. The CPU asks {@link hasInterrupt} only when EFLAGS.IF
 * is set and no interrupt shadow is active, then runs an INTA cycle with {@link acknowledge}.
 */
export interface InterruptController {
  /** True while the INTR pin is asserted (an unmasked request is waiting). Side-effect free. */
  hasInterrupt(): boolean;
  /**
   * INTA cycle: returns the vector (0..255) to deliver and moves the request to in-service.
   * Called only after {@link hasInterrupt} returned true in the same instruction boundary;
   * a request that vanished meanwhile yields the controller's spurious vector.
   */
  acknowledge(): number;
  /** True while a non-maskable interrupt is latched (edge on the NMI pin not yet taken). */
  hasNmi(): boolean;
  /** The CPU took the NMI: clear the latch. */
  acknowledgeNmi(): void;
}

/** An interrupt controller with nothing connected: never interrupts. */
export const NO_INTERRUPTS: InterruptController = {
  hasInterrupt: () => false,
  acknowledge: () => 0xff,
  hasNmi: () => false,
  acknowledgeNmi: () => {},
};
