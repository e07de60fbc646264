/** The roles a device model plays towards the machine: port and MMIO handlers, reset, state. */

/**
 * Register-access handlers: `offset` is relative to the base the block was mapped at, so one chip
 * model serves any base address. 8-bit access is required; a device that also decodes 16- or
 * 32-bit accesses as a unit implements the wider methods, otherwise the bus splits the access
 * into consecutive byte accesses (low byte first), as an 8-bit ISA device sees it.
 */
export interface AccessHandler {
  read8(offset: number): number;
  write8(offset: number, value: number): void;
  read16?(offset: number): number;
  write16?(offset: number, value: number): void;
  read32?(offset: number): number;
  write32?(offset: number, value: number): void;
}

/** A handler for a block of I/O ports (see {@link AccessHandler}). */
export type PortHandler = AccessHandler;

/** A handler for a memory-mapped range (see {@link AccessHandler}). */
export type MmioHandler = AccessHandler;

/** Plain JSON value used in saved device state. */
export type StateValue = number | boolean | string | null | StateValue[] | { [field: string]: StateValue };

/** A device's saved state: named fields only (never positional arrays of mixed meaning). */
export interface DeviceState {
  /** Version of this device's state layout; loadState rejects unknown versions. */
  version: number;
  [field: string]: StateValue;
}

/**
 * The lifecycle every device model implements. Devices see the bus, the clock and their IRQ
 * lines, never the CPU.
 */
export interface Device {
  /** Instance name from the board description, e.g. `uart0`. */
  readonly name: string;
  /** Return to the power-on state (datasheet reset values). */
  reset(): void;
  /** Snapshot all state as named fields. */
  saveState(): DeviceState;
  /** Restore a snapshot produced by {@link saveState}; throws on a version it does not know. */
  loadState(state: DeviceState): void;
}

/** Thrown by loadState when a snapshot does not fit the device. */
export class StateError extends Error {
  constructor(device: string, reason: string) {
    super(`${device}: cannot load state: ${reason}`);
    this.name = 'StateError';
  }
}
