/** Exception vectors, the fault sentinel, and the double-fault / triple-fault rules (SDM vol. 3 §6.15). */

/** Exception vectors (SDM vol. 3 table 6-1). */
export const DE = 0, DB = 1, NMI = 2, BP = 3, OFV = 4, BR = 5, UD = 6, NM = 7, DF = 8;
export const TS = 10, NP = 11, SSF = 12, GP = 13, PFV = 14, MF = 16, AC_V = 17;

/** Exception names for traces. */
export const EXCEPTION_NAMES: Readonly<Record<number, string>> = {
  0: '#DE', 1: '#DB', 2: 'NMI', 3: '#BP', 4: '#OF', 5: '#BR', 6: '#UD', 7: '#NM', 8: '#DF', 9: 'CSO',
  10: '#TS', 11: '#NP', 12: '#SS', 13: '#GP', 14: '#PF', 16: '#MF', 17: '#AC',
};

/**
 * Thrown (never allocated per fault) when an instruction faults; the vector and error code are
 * in Cpu.excVector / Cpu.excError. The run loop catches it, rolls EIP back to the faulting
 * instruction and delivers the exception.
 */
export const FAULT: { readonly fault: true } = Object.freeze({ fault: true });

/** Error code value meaning "this exception pushes no error code". */
export const NO_ERROR = -1;

/** Does this vector push an error code? (#DF, #TS, #NP, #SS, #GP, #PF, #AC) */
export function hasErrorCode(vec: number): boolean {
  return vec === 8 || (vec >= 10 && vec <= 14) || vec === 17;
}

/** Contributory exceptions (SDM table 6-4): #DE, #TS, #NP, #SS, #GP. */
function isContributory(vec: number): boolean {
  return vec === 0 || (vec >= 10 && vec <= 13);
}

/**
 * Whether a second exception raised while delivering the first becomes a double fault
 * (SDM vol. 3 table 6-5). Otherwise the second one is delivered serially.
 */
export function becomesDoubleFault(first: number, second: number): boolean {
  if (isContributory(first)) return isContributory(second);
  if (first === 14) return isContributory(second) || second === 14;
  return false;
}

/** Kinds of event delivered through the IDT/IVT. */
export const EV_EXCEPTION = 0; // CPU-detected fault/trap (EXT=1 in error codes raised while delivering it)
export const EV_EXTERNAL = 1; // INTR or NMI (EXT=1)
export const EV_SOFTWARE = 2; // INT n, INT3, INTO (gate DPL checked against CPL, EXT=0)
