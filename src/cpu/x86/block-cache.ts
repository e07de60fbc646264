/** Compiled-block cache of the `jit` engine: hotness counting, lookup by physical address and EIP, invalidation on code-page writes. */

import type { Cpu } from './cpu.js';
import { compileBlock, NO_BLOCK, type Block } from './block-compiler.js';

/** Slots of the direct-mapped lookup table (a power of two). */
const TABLE_SIZE = 1 << 16;
const TABLE_MASK = TABLE_SIZE - 1;
/**
 * After this many invalidations of one physical page (code and data that is written sharing a
 * page), nothing on it is compiled again: it would be recompiled after every few writes.
 */
const MAX_INVALIDATIONS = 8;
/**
 * A block that loops on itself is worth compiling much earlier than others: it runs many turns
 * per call, so V8 optimises it (on-stack replacement) within its first calls, whereas a
 * straight block runs in V8's bytecode interpreter — slower than Shikiri's optimised
 * interpreter — for its first few hundred calls.
 */
const LOOP_THRESHOLD = 300;

function slot(phys: number): number {
  return (phys ^ (phys >>> 16)) & TABLE_MASK;
}

/** A start address where no block may start (first instruction not compiled, or page given up). */
function noBlockAt(phys: number, eip: number): Block {
  return { phys, eip, n: 0, bytes: 0, cycBeforeLast: 0, eips: NO_BLOCK.eips, prefix: NO_BLOCK.prefix, run: NO_BLOCK.run };
}

/**
 * Blocks are keyed by the physical address and the EIP of their first instruction (the same
 * code may run at two EIPs, as Linux's does before and after paging). A start address is
 * compiled once the engine has arrived there `threshold` times (counted per table slot, so two
 * addresses sharing a slot reach it sooner; this changes only when a block is compiled, never
 * what it does). Every page with blocks is watched on the bus: the first write to it drops all
 * of its blocks and stops the watch.
 */
export class BlockCache {
  private readonly table: Block[] = new Array<Block>(TABLE_SIZE).fill(NO_BLOCK);
  private readonly counts = new Uint16Array(TABLE_SIZE);
  /** Slots whose start address was decoded at the loop threshold and found not to loop. */
  private readonly probed = new Uint8Array(TABLE_SIZE);
  private readonly loopThreshold: number;
  private readonly byPage = new Map<number, Block[]>();
  private readonly invalidations: Uint8Array;
  /** Blocks compiled since construction (for tests and the run report). */
  compiled = 0;
  /** Pages whose blocks were dropped by a write. */
  invalidated = 0;

  constructor(private readonly cpu: Cpu, private readonly threshold: number) {
    this.loopThreshold = Math.min(threshold, LOOP_THRESHOLD);
    this.invalidations = new Uint8Array((cpu.bus.ram.length >>> 12) + 1);
  }

  /** The block starting at (phys, eip), counting the visit; null to interpret this instruction. */
  lookup(phys: number, eip: number): Block | null {
    const h = slot(phys);
    const b = this.table[h];
    if (b.phys === phys && b.eip === eip) return b.n !== 0 ? b : null;
    if (++this.counts[h] < this.loopThreshold) return null;
    return this.miss(h, phys, eip);
  }

  private miss(h: number, phys: number, eip: number): Block | null {
    const early = this.counts[h] < this.threshold;
    if (early && this.probed[h] !== 0) return null; // not a loop: wait for the full threshold
    this.counts[h] = 0;
    this.probed[h] = 0;
    const page = phys >>> 12;
    let list = this.byPage.get(page);
    let b = list?.find((x) => x.phys === phys && x.eip === eip);
    if (b === undefined) {
      if (this.invalidations[page] >= MAX_INVALIDATIONS) b = noBlockAt(phys, eip);
      else {
        const compiled = compileBlock(this.cpu, phys, eip, early);
        if (compiled === null) {
          // Not a loop: count on from here to the full threshold.
          this.counts[h] = this.loopThreshold;
          this.probed[h] = 1;
          return null;
        }
        b = compiled.n === 0 ? noBlockAt(phys, eip) : compiled;
        if (b.n !== 0) this.compiled++;
      }
      if (list === undefined) {
        list = [];
        this.byPage.set(page, list);
      }
      list.push(b);
      // Only compiled code needs to hear of writes: a page given up, or holding only start
      // addresses that cannot start a block, keeps its direct writes.
      if (b.n !== 0) this.cpu.bus.watchPage(page);
    }
    this.table[h] = b;
    return b.n !== 0 ? b : null;
  }

  /** A watched page was written: drop its blocks (they are compiled again when hot). */
  invalidatePage(page: number): void {
    const list = this.byPage.get(page);
    if (list === undefined) return;
    for (const b of list) {
      const h = slot(b.phys);
      if (this.table[h] === b) this.table[h] = NO_BLOCK;
    }
    this.byPage.delete(page);
    this.cpu.bus.unwatchPage(page);
    if (this.invalidations[page] < 255) this.invalidations[page]++;
    this.invalidated++;
  }

  /** Forget everything (RAM was replaced behind the bus: image load, snapshot restore). */
  flush(): void {
    for (const page of this.byPage.keys()) this.cpu.bus.unwatchPage(page);
    this.byPage.clear();
    this.table.fill(NO_BLOCK);
    this.counts.fill(0);
    this.probed.fill(0);
    this.invalidations.fill(0);
  }
}
