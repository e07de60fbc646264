/** CPU models as data: identification, instruction groups, undefined-flag behaviour and cycle costs. */

/**
 * Optional instruction groups beyond the i486 integer core. A model that lacks a group raises
 * the architectural fault a 486 raises (#UD for opcodes, #GP(0) for CR4 access / RDMSR), so a
 * later model can enable them purely by data.
 */
export interface CpuGroups {
  /** CPUID instruction (later 486 steppings have it). */
  cpuid: boolean;
  /** RDTSC (0F 31). */
  rdtsc: boolean;
  /** RDMSR/WRMSR (0F 32 / 0F 30). */
  msr: boolean;
  /** CMPXCHG8B (0F C7 /1). */
  cmpxchg8b: boolean;
  /** MOV to/from CR4. */
  cr4: boolean;
  /** CMOVcc (0F 40..4F). */
  cmov: boolean;
}

/**
 * Instruction classes with a cycle cost each. Costs are the Intel486 Microprocessor datasheet /
 * Programmer's Reference Manual (1990, Appendix E "Instruction timings") clock counts for the
 * common (cache-hit, register or memory) case, rounded; where a range is given the lower bound is
 * used. Classes marked (est.) are estimates.
 */
export interface CycleTable {
  /** ALU reg/reg and reg/imm (ADD, SUB, AND, CMP, TEST, INC, MOV reg...): 1. */
  alu: number;
  /** ALU with a memory operand (read-modify-write 3, read 2; we use 2). */
  aluMem: number;
  /** MOV to/from memory: 1. */
  mov: number;
  /** PUSH/POP: 1 (POP 4 for segment). */
  stack: number;
  /** Shifts/rotates: 2-3. */
  shift: number;
  /** MUL/IMUL: 13-42 (we use 13). */
  mul: number;
  /** DIV/IDIV 32-bit: 40 (8-bit 16, 16-bit 24; we use 24 average, est.). */
  div: number;
  /** Jcc taken 3 / not taken 1; JMP near 3 (we use 3). */
  branch: number;
  /** CALL/RET near: 3/5 (we use 4, est.). */
  call: number;
  /** Far transfers and segment loads in protected mode: 9-20 (we use 18, est.). */
  far: number;
  /** String instruction per iteration (MOVS 7, REP MOVS 3 per element, est. 4). */
  string: number;
  /** IN/OUT: 14-28 in protected mode (we use 16, est.). */
  io: number;
  /** INT n / exception delivery: 30-44 (we use 30). */
  interrupt: number;
  /** IRET: 15-36 (we use 20, est.). */
  iret: number;
  /** System instructions (LGDT, MOV CRn, CPUID, INVLPG ...): 10-20 (we use 12, est.). */
  system: number;
  /** BCD adjust instructions: 2-15 (we use 3). */
  bcd: number;
  /** Bit scans: 6-42 (we use 10, est.). */
  bitscan: number;
}

/** How a model leaves flags that the SDM calls undefined. */
export interface UndefinedFlags {
  /**
   * 'intel486': as measured on Intel486-class parts and followed by QEMU: logic ops clear AF;
   * MUL/IMUL set SF/ZF/PF from the low result, AF 0; DIV/IDIV leave all flags unchanged;
   * shifts by >1 set OF as for a shift by 1 of the last step; BSF/BSR with zero source leave the
   * destination unchanged; AAA/AAS/DAA/DAS set SF/ZF/PF from AL; AAM/AAD clear CF/OF/AF.
   */
  style: 'intel486';
}

/** One CPU model: the data that makes an i486-class core a particular part. */
export interface CpuModel {
  /** Short name, key in {@link CPU_MODELS}. */
  name: string;
  /** Human-readable description. */
  description: string;
  /** 12-character CPUID vendor string. */
  vendor: string;
  family: number;
  model: number;
  stepping: number;
  /** CPUID.1:EDX feature bits (0 for round-1 models). */
  features: number;
  /** An x87 FPU is present (false for all round-1 models: x87 opcodes behave as on a 486SX). */
  fpu: boolean;
  groups: CpuGroups;
  undefinedFlags: UndefinedFlags;
  cycles: CycleTable;
  /** EDX after RESET: the component identifier (family<<8 | model<<4 | stepping). */
  resetEdx: number;
  /** Where facts are estimated rather than taken from a datasheet. */
  notes: string;
}

const I486_GROUPS: CpuGroups = { cpuid: true, rdtsc: false, msr: false, cmpxchg8b: false, cr4: false, cmov: false };

const I486_CYCLES: CycleTable = {
  alu: 1, aluMem: 2, mov: 1, stack: 1, shift: 2, mul: 13, div: 24, branch: 3, call: 4, far: 18,
  string: 4, io: 16, interrupt: 30, iret: 20, system: 12, bcd: 3, bitscan: 10,
};

/** The models known to Shikiri. */
export const CPU_MODELS: Readonly<Record<string, CpuModel>> = Object.freeze({
  i486sx: {
    name: 'i486sx',
    description: 'Intel 486SX (family 4 model 2), no FPU',
    vendor: 'GenuineIntel',
    family: 4, model: 2, stepping: 7,
    features: 0,
    fpu: false,
    groups: I486_GROUPS,
    undefinedFlags: { style: 'intel486' },
    cycles: I486_CYCLES,
    resetEdx: 0x0427,
    notes: 'CPUID as on later 486SX steppings (SL-enhanced); stepping 7 is an estimate.',
  },
  vortex86sx: {
    name: 'vortex86sx',
    description: 'DM&P Vortex86SX SoC core (486SX-class integer core, no FPU)',
    vendor: 'Vortex86 SoC',
    family: 5, model: 2, stepping: 2,
    features: 0,
    fpu: false,
    groups: I486_GROUPS,
    undefinedFlags: { style: 'intel486' },
    cycles: I486_CYCLES,
    resetEdx: 0x0522,
    notes:
      'Vendor string "Vortex86 SoC" as Linux identifies DM&P parts; family 5 model 2 stepping 2 estimated ' +
      '(not verified on silicon). The real part has i586 additions (TSC, CX8); round 1 models it with the ' +
      'i486 instruction groups and feature bits 0. Cycle table: Intel486 values (est.).',
  },
  'elan-sc410': {
    name: 'elan-sc410',
    description: 'AMD Élan SC410 (Am486 core without FPU)',
    vendor: 'AuthenticAMD',
    family: 4, model: 9, stepping: 4,
    features: 0,
    fpu: false,
    groups: I486_GROUPS,
    undefinedFlags: { style: 'intel486' },
    cycles: I486_CYCLES,
    resetEdx: 0x0494,
    notes: 'Family 4 model 9 (Am486DX4-WB class) and stepping 4 are estimates; cycle table: Intel486 values.',
  },
});
