// Kernel constants the configurator checks against, read from the kernel's headers with spec defaults.

/**
 * Constants of the TOPPERS 3rd-generation kernel (integrated specification, "kernel constants"
 * and "object attributes") that the checks use. The probe reads each one the headers define
 * (guests/rtos/include/kernel.h, target_kernel.h); a missing one takes the value given here,
 * which is the specification's (ASP3) value.
 */
export const KERNEL_CONSTANT_DEFAULTS = {
  TA_NULL: 0n,
  TA_ACT: 0x01n,
  TA_NOACTQUE: 0x02n,
  TA_TPRI: 0x01n,
  TA_WMUL: 0x02n,
  TA_CLR: 0x04n,
  TA_CEILING: 0x03n,
  TA_STA: 0x02n,
  TA_NONKERNEL: 0x02n,
  TA_ENAINT: 0x01n,
  TA_EDGE: 0x02n,
  TNFY_HANDLER: 0x00n,
  TNFY_SETVAR: 0x01n,
  TNFY_INCVAR: 0x02n,
  TNFY_ACTTSK: 0x03n,
  TNFY_WUPTSK: 0x04n,
  TNFY_SIGSEM: 0x05n,
  TNFY_SETFLG: 0x06n,
  TNFY_SNDDTQ: 0x07n,
  TENFY_SETVAR: 0x10n,
  TENFY_INCVAR: 0x20n,
  TENFY_ACTTSK: 0x30n,
  TENFY_WUPTSK: 0x40n,
  TENFY_SIGSEM: 0x50n,
  TENFY_SETFLG: 0x60n,
  TENFY_SNDDTQ: 0x70n,
  TMIN_TPRI: 1n,
  TMAX_TPRI: 16n,
  TMIN_DPRI: 1n,
  TMAX_DPRI: 16n,
  TMIN_ISRPRI: 1n,
  TMAX_ISRPRI: 16n,
  TMAX_MAXSEM: 0xffffffffn,
  TBIT_FLGPTN: 32n,
  /** Largest relative time in microseconds (ASP3: 4,000,000,000). */
  TMAX_RELTIM: 4_000_000_000n,
  TMIN_INTPRI: -15n,
  TMAX_INTPRI: -1n,
  TMIN_INTNO: 0n,
  TMAX_INTNO: 15n,
  TMIN_INHNO: 0n,
  TMAX_INHNO: 15n,
  TMIN_EXCNO: 0n,
  TMAX_EXCNO: 31n,
  /** Smallest task / non-task-context stack in bytes (TOPPERS: target-defined, else 1). */
  TARGET_MIN_STKSZ: 1n,
  TARGET_MIN_ISTKSZ: 1n,
} as const;

/** A kernel constant name. */
export type KernelConstantName = keyof typeof KERNEL_CONSTANT_DEFAULTS;

/** The names the probe asks the headers for. */
export const KERNEL_CONSTANT_NAMES = Object.keys(KERNEL_CONSTANT_DEFAULTS) as KernelConstantName[];

/** Kernel constants as one lookup: header values over defaults. */
export class KernelConstants {
  private readonly values = new Map<string, bigint>();

  constructor(private readonly fromHeaders: ReadonlyMap<string, bigint> = new Map()) {
    for (const name of KERNEL_CONSTANT_NAMES) {
      this.values.set(name, fromHeaders.get(name) ?? KERNEL_CONSTANT_DEFAULTS[name]);
    }
  }

  get(name: KernelConstantName): bigint {
    return this.values.get(name)!;
  }

  /** Whether the headers define `name` (else `get` gives the specification's default). */
  definedByHeaders(name: KernelConstantName): boolean {
    return this.fromHeaders.has(name);
  }
}
