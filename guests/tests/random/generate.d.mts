// Types of generate.mjs for the TypeScript tests.
export declare const PAGE: number;
export declare const PAGE_SIZE: number;
export declare const STACK: number;
export declare const ARITH: number;
/** One generated stream: EAX ECX EDX EBX EBP ESI EDI EFLAGS, data-page seed, code, undefined-flag masks. */
export interface RandomVector { init: number[]; seed: number; code: Uint8Array; undef: number; undefAny: number }
/** One runner output line: exception vector (0xff = none), EIP offset, EAX..EDI (with ESP), EFLAGS, page hash. */
export interface RunnerResult { index: number; vector: number; eip: number; regs: number[]; eflags: number; hash: number }
export declare class Rng {
  constructor(seed: number);
  u32(): number;
  int(lo: number, hi: number): number;
}
export declare function generateVector(rng: Rng): RandomVector;
export declare function generate(seed: number, count: number): RandomVector[];
export declare function encodeBatch(vectors: RandomVector[]): Uint8Array;
export declare function parseResult(line: string): RunnerResult | undefined;
