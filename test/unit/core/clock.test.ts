// Specification of the virtual clock: cycles, timers, ordering, save/restore.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Clock } from '../../../src/core/clock.js';
import { propertyParams } from '../../helpers/property.js';

describe('Clock', () => {
  it('converts between cycles and nanoseconds at the board frequency', () => {
    const c = new Clock(33_000_000);
    expect(c.cyclesToNs(33_000_000)).toBe(1e9);
    expect(c.nsToCycles(1000)).toBe(33);
  });

  it('rejects a frequency that is not a positive number', () => {
    expect(() => new Clock(0)).toThrow(/positive/);
    expect(() => new Clock(NaN)).toThrow(/positive/);
  });

  it('fires due timers earliest first, ties in arming order, and only when due', () => {
    const c = new Clock(1e6);
    const log: string[] = [];
    const a = c.createTimer('a', (t) => log.push(`a@${t}`));
    const b = c.createTimer('b', (t) => log.push(`b@${t}`));
    const d = c.createTimer('d', (t) => log.push(`d@${t}`));
    d.set(10);
    b.set(5);
    a.set(10);
    expect(c.nextEventAt).toBe(5);
    c.now = 4;
    expect(c.runDue()).toBe(0);
    c.now = 10;
    expect(c.runDue()).toBe(3);
    expect(log).toEqual(['b@5', 'd@10', 'a@10']);
    expect(c.nextEventAt).toBe(Infinity);
  });

  it('lets a callback re-arm timers, firing them in the same call when already due', () => {
    const c = new Clock(1e6);
    let n = 0;
    const t = c.createTimer('periodic', (at) => {
      n++;
      t.set(at + 3);
    });
    t.set(3);
    c.now = 10;
    c.runDue();
    expect(n).toBe(3); // 3, 6, 9
    expect(t.deadline).toBe(12);
  });

  it('cancels timers', () => {
    const c = new Clock(1e6);
    let fired = false;
    const t = c.createTimer('x', () => (fired = true));
    t.set(1);
    t.cancel();
    c.now = 5;
    c.runDue();
    expect(fired).toBe(false);
    expect(t.armed).toBe(false);
  });

  it('refuses duplicate timer names', () => {
    const c = new Clock(1e6);
    c.createTimer('x', () => {});
    expect(() => c.createTimer('x', () => {})).toThrow(/duplicate/);
  });

  it('restores to a state that fires the same events in the same order (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 50 })), { maxLength: 30 }), fc.integer({ min: 0, max: 60 }), (ops, split) => {
        const make = (log: string[]) => {
          const c = new Clock(1e6);
          const ts = [0, 1, 2, 3].map((i) => c.createTimer(`t${i}`, (at) => log.push(`${i}@${at}`)));
          return { c, ts };
        };
        const logA: string[] = [];
        const A = make(logA);
        for (const [i, at] of ops) A.ts[i].set(at);
        A.c.now = split;
        A.c.runDue();
        const saved = JSON.parse(JSON.stringify(A.c.saveState()));
        const logB: string[] = [];
        const B = make(logB);
        B.c.loadState(saved);
        A.c.now = B.c.now = 100;
        const before = logA.length;
        A.c.runDue();
        B.c.runDue();
        expect(logB).toEqual(logA.slice(before));
      }),
      propertyParams('clock save/restore'),
    );
  });
});
