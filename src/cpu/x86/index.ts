/** Public barrel of the IA-32 (i486) CPU model. */

export { Cpu } from './cpu.js';
export type { CpuOptions, CpuStop, FlatModeEntry, RealModeRegs, CpuSnapshot, InterceptHooks } from './cpu.js';
export { CPU_MODELS } from './models.js';
export type { CpuModel, CpuGroups, CycleTable } from './models.js';
export { disassemble } from './disassembler.js';
