/**
 * The single intercept hook point for the next round's VMX non-root mode. When Cpu.intercept is
 * null (bare-metal runs) none of this costs anything: every call site tests `intercept !== null`
 * on an instruction that is already slow (I/O, HLT, CPUID, CR/DR/MSR access, INVLPG, INT n).
 *
 * A hook that returns "intercepted" has taken over the instruction: the kernel's VM-exit path
 * records the exit (reason numbered per the Intel SDM appendix C, qualification from the
 * arguments) and decides how the guest continues. Exceptions and external interrupts will be
 * routed through `exception`/`interrupt` from the event-delivery path in the same way.
 */
export interface InterceptHooks {
  /** Port I/O after the permission check. Return null to let the access reach the bus, or the value read (IN) / any number (OUT) when intercepted. */
  io(cpu: unknown, port: number, size: number, write: boolean, value: number): number | null;
  /** HLT at CPL 0. Return true when intercepted (the CPU does not halt). */
  hlt(cpu: unknown): boolean;
  /** CPUID. Return true when intercepted (registers are the hook's responsibility). */
  cpuid(cpu: unknown): boolean;
  /** MOV to/from CRn/DRn/TRn (opcode 0F 20-26, reg and rm fields). Return true when intercepted. */
  controlRegister(cpu: unknown, opcode: number, reg: number, rm: number): boolean;
  /** RDMSR/WRMSR on a model with MSRs. Return true when intercepted. */
  msr(cpu: unknown, write: boolean): boolean;
  /** INVLPG of a linear address. Return true when intercepted. */
  invlpg(cpu: unknown, linear: number): boolean;
  /** Software interrupts and (next round) exceptions by vector. Return true when intercepted. */
  exception(cpu: unknown, vector: number, errorCode: number): boolean;
}
