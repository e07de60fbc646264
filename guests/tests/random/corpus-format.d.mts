// Types of corpus-format.mjs for the TypeScript tests.
import type { RandomVector, RunnerResult } from './generate.mjs';
export interface CorpusRecord { code: string; init: string; undef: number; undefAny: number; expect: string }
export declare function toCorpusVector(v: RandomVector, res: RunnerResult): CorpusRecord;
export declare function fromCorpusVector(rec: CorpusRecord): { vector: RandomVector; expected: Omit<RunnerResult, 'index'> };
