/** Public barrel of the IA-32 (i486) CPU model. */

export { Cpu, ENGINES, DEFAULT_JIT_THRESHOLD } from './cpu.js';
export type { Engine, CpuOptions, CpuStop, FlatModeEntry, RealModeRegs, CpuSnapshot, InterceptHooks } from './cpu.js';
export { CPU_MODELS } from './models.js';
export type { CpuModel, CpuGroups, CycleTable } from './models.js';
export { disassemble } from './disassembler.js';
export type { BlockCache } from './block-cache.js';
export type { DecodedCache } from './decoded-cache.js';
export { WasmLoop, compileWasmLoop, WASM_MAX_RAM } from './wasm-loop.js';
export type { Block } from './block-compiler.js';
