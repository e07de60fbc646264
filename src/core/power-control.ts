/** What devices may ask of the board's power and reset logic (the machine implements it). */

/**
 * The board's reset and power circuitry as devices see it. Devices call these on a guest action
 * (a keyboard-controller reset pulse, a power-off latch write, a watchdog expiry); the machine
 * decides what happens next (restart or end the run, see the board's `reset` description).
 * Implementations must not throw back into the device for any argument.
 */
export interface PowerControl {
  /** Assert the board's reset line. `source` names the requester (e.g. `kbc`, `port92`, `watchdog`). */
  requestReset(source: string): void;
  /** Remove power from the board. `source` names the requester (the device instance name). */
  powerOff(source: string): void;
  /**
   * End the run with the value written to a debug exit port (raw, as the guest wrote it; the
   * machine maps it to a process exit status, e.g. `(value << 1) | 1` as QEMU's isa-debug-exit).
   */
  exit(value: number): void;
}

/** A power control that ignores every request (devices used stand-alone, tests). */
export const NO_POWER_CONTROL: PowerControl = {
  requestReset() {},
  powerOff() {},
  exit() {},
};
