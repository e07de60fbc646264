// Target descriptions for the configurator: which interrupt/exception numbers and priorities exist.
import type { KernelConstants } from './kernel-constants.js';

/**
 * What a target allows in static APIs. Ranges come from the kernel's target headers
 * (TMIN_INTNO ... read by the probe); the description adds what a range cannot say.
 */
export interface CfgTarget {
  readonly name: string;
  /** Interrupt numbers (INTNO) in [TMIN_INTNO, TMAX_INTNO] that do not exist. */
  readonly missingIntnos: readonly number[];
  /** Interrupt handler numbers (INHNO) in [TMIN_INHNO, TMAX_INHNO] that do not exist. */
  readonly missingInhnos: readonly number[];
  /** The interrupt number whose requests interrupt handler `inhno` serves. */
  inhnoToIntno(inhno: bigint): bigint;
  /** Interrupt attributes beyond TA_ENAINT | TA_EDGE (bits). */
  readonly extraIntAttributes: bigint;
  /** Whether TA_NONKERNEL interrupt handlers (outside kernel management) exist on the target. */
  readonly supportsNonKernelInterrupts: boolean;
  /** Default smallest task stack in bytes, when the headers define no TARGET_MIN_STKSZ. */
  readonly minStackSize: bigint;
}

/**
 * The i386 PC target of guests/rtos (arch/i386/target_kernel.h): INTNO and INHNO are the 8259
 * pair's IRQ numbers 0..15, without IRQ 2 (the slave's cascade input on the master); EXCNO are
 * the exception vectors 0..31; all interrupt priorities -15..-1 are kernel-managed (TIPM_LOCK is
 * TMIN_INTPRI), so TA_NONKERNEL does not exist. 128 bytes is the least stack that holds the
 * kernel's saved context and one nested interrupt frame with margin.
 */
export const I386_PC_TARGET: CfgTarget = {
  name: 'i386-pc',
  missingIntnos: [2],
  missingInhnos: [2],
  inhnoToIntno: (inhno) => inhno,
  extraIntAttributes: 0n,
  supportsNonKernelInterrupts: false,
  minStackSize: 128n,
};

/** Known targets by name (the CLI's --target). */
export const CFG_TARGETS: Readonly<Record<string, CfgTarget>> = { 'i386-pc': I386_PC_TARGET };

/** Range and existence checks for one target with the constants its headers gave. */
export class TargetRules {
  constructor(
    readonly target: CfgTarget,
    private readonly k: KernelConstants,
  ) {}

  validIntno(n: bigint): boolean {
    return n >= this.k.get('TMIN_INTNO') && n <= this.k.get('TMAX_INTNO') && !this.target.missingIntnos.includes(Number(n));
  }

  validInhno(n: bigint): boolean {
    return n >= this.k.get('TMIN_INHNO') && n <= this.k.get('TMAX_INHNO') && !this.target.missingInhnos.includes(Number(n));
  }

  validExcno(n: bigint): boolean {
    return n >= this.k.get('TMIN_EXCNO') && n <= this.k.get('TMAX_EXCNO');
  }

  /** Human-readable valid ranges, for messages. */
  intnoRange(): string {
    return rangeText(this.k.get('TMIN_INTNO'), this.k.get('TMAX_INTNO'), this.target.missingIntnos);
  }

  inhnoRange(): string {
    return rangeText(this.k.get('TMIN_INHNO'), this.k.get('TMAX_INHNO'), this.target.missingInhnos);
  }

  excnoRange(): string {
    return rangeText(this.k.get('TMIN_EXCNO'), this.k.get('TMAX_EXCNO'), []);
  }

  minStackSize(): bigint {
    return this.k.definedByHeaders('TARGET_MIN_STKSZ') ? this.k.get('TARGET_MIN_STKSZ') : this.target.minStackSize;
  }

  minIstackSize(): bigint {
    return this.k.definedByHeaders('TARGET_MIN_ISTKSZ') ? this.k.get('TARGET_MIN_ISTKSZ') : this.target.minStackSize;
  }
}

function rangeText(min: bigint, max: bigint, missing: readonly number[]): string {
  const base = `${min}..${max}`;
  return missing.length === 0 ? base : `${base} except ${missing.join(', ')}`;
}
