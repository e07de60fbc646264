// Intel 8254: modes 0/2/3 timing, counter latch and read-back, LSB/MSB access, BCD, port B, state.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AddressSpace } from '../../../src/core/address-space.js';
import { Clock } from '../../../src/core/clock.js';
import { IrqLine } from '../../../src/core/irq-line.js';
import { Pit8254 } from '../../../src/devices/pit8254.js';
import { PortB } from '../../../src/devices/port-b.js';
import { IrqProbe, runFor, runUntil } from './harness.js';

const CPU_HZ = 100_000_000;
const PIT_HZ = 1_193_182;

function board() {
  const clock = new Clock(CPU_HZ);
  const bus = new AddressSpace(0x10000);
  const probe = new IrqProbe(clock);
  const pit = new Pit8254({ name: 'pit', clock, irq: new IrqLine(probe, 0), inputHz: PIT_HZ });
  const portB = new PortB({ name: 'port-b', clock, pit });
  bus.mapPorts('pit', 0x40, 4, pit);
  bus.mapPorts('port-b', 0x61, 1, portB);
  return { clock, bus, probe, pit, portB };
}

const readLatched0 = (bus: AddressSpace) => {
  bus.out8(0x43, 0x00);
  return bus.in8(0x40) | (bus.in8(0x40) << 8);
};

describe('8254 before programming', () => {
  it('does nothing: no IRQ edges and counters read 0', () => {
    const { clock, bus, probe } = board();
    runFor(clock, CPU_HZ);
    expect(probe.changes).toEqual([]);
    expect(bus.in8(0x40)).toBe(0);
    expect(clock.nextEventAt).toBe(Infinity);
  });
});

describe('mode 2 (rate generator) as Linux programs it: 100 Hz, reload 11932', () => {
  function linuxTick() {
    const b = board();
    b.bus.out8(0x43, 0x34);
    b.bus.out8(0x40, 11932 & 0xff);
    b.bus.out8(0x40, 11932 >> 8);
    return b;
  }

  it('raises IRQ 0 once per 11932 input clocks, at the exact cycles', () => {
    const { clock, probe, pit } = linuxTick();
    const load = pit.input.ticksAt(0) + 1;
    runFor(clock, CPU_HZ);
    const edges = probe.risingEdges(0).filter((t) => t > 0);
    expect(edges.length).toBe(99); // 100 periods in 1.0000 s minus the initial level
    edges.forEach((at, k) => expect(at).toBe(pit.input.cycleOfTick(load + (k + 1) * 11932)));
  });

  it('latched reads count down from 11932 to 1 by one per input clock, exactly', () => {
    const { clock, bus, pit } = linuxTick();
    for (const cycle of [5_000, 123_457, 999_999, 1_000_001, 7_654_321, 99_999_999]) {
      runUntil(clock, cycle);
      const elapsed = pit.input.ticksAt(cycle) - 1;
      expect(readLatched0(bus)).toBe(11932 - (elapsed % 11932));
    }
  });

  it('latched reads never increase within a period (a clock source can rely on them)', () => {
    const { clock, bus } = linuxTick();
    let last = 11933;
    let wraps = 0;
    for (let i = 0; i < 3000; i++) {
      runFor(clock, 997);
      const v = readLatched0(bus);
      expect(v).toBeGreaterThanOrEqual(1);
      expect(v).toBeLessThanOrEqual(11932);
      if (v > last) wraps++;
      last = v;
    }
    expect(wraps).toBe(Math.floor((3000 * 997 * PIT_HZ) / CPU_HZ / 11932));
  });

  it('a second latch command before the first is read is ignored', () => {
    const { clock, bus } = linuxTick();
    runUntil(clock, 100_000);
    bus.out8(0x43, 0x00);
    runUntil(clock, 200_000);
    bus.out8(0x43, 0x00);
    const v = bus.in8(0x40) | (bus.in8(0x40) << 8);
    expect(v).toBe(11932 - ((Math.floor((100_000 * PIT_HZ) / CPU_HZ) - 1) % 11932));
  });
});

describe('mode 0 (interrupt on terminal count)', () => {
  it('OUT goes low on the control word and high after N+1 input clocks; no further edges', () => {
    const { clock, bus, probe, pit } = board();
    bus.out8(0x43, 0x30);
    bus.out8(0x40, 1000 & 0xff);
    bus.out8(0x40, 1000 >> 8);
    runFor(clock, CPU_HZ / 10);
    const rises = probe.risingEdges(0);
    expect(rises).toEqual([pit.input.cycleOfTick(1 + 1000)]);
  });

  it('keeps counting through 0 after terminal count (wraps to 0xFFFF)', () => {
    const { clock, bus, pit } = board();
    bus.out8(0x43, 0x30);
    bus.out8(0x40, 10);
    bus.out8(0x40, 0);
    runUntil(clock, pit.input.cycleOfTick(1 + 12));
    expect(readLatched0(bus)).toBe(0xfffe);
  });

  it('writing the first byte of a new count stops counting', () => {
    const { clock, bus, pit } = board();
    bus.out8(0x43, 0x30);
    bus.out8(0x40, 0);
    bus.out8(0x40, 0x10);
    runUntil(clock, pit.input.cycleOfTick(1 + 100));
    bus.out8(0x40, 0x34); // LSB of the next count
    expect(readLatched0(bus)).toBe(0x1000 - 100);
    runFor(clock, 100_000);
    expect(readLatched0(bus)).toBe(0x1000 - 100);
    bus.out8(0x40, 0x00); // MSB: count 0x0034 loads on the next clock
    const load = pit.input.ticksAt(clock.now) + 1;
    runUntil(clock, pit.input.cycleOfTick(load + 4));
    expect(readLatched0(bus)).toBe(0x30);
  });
});

describe('mode 3 (square wave) on counter 2 through port B', () => {
  it('OUT2 (port B bit 5) is high for N/2 and low for N/2 clocks while GATE2 is on', () => {
    const { clock, bus, pit } = board();
    bus.out8(0x61, 0x03); // gate 2 on, speaker on
    bus.out8(0x43, 0xb6); // counter 2, LSB/MSB, mode 3
    bus.out8(0x42, 100);
    bus.out8(0x42, 0);
    const load = pit.input.ticksAt(clock.now) + 1;
    const out2 = () => (bus.in8(0x61) & 0x20) !== 0;
    for (const offset of [0, 10, 49, 50, 51, 99, 100, 149, 150, 199]) {
      runUntil(clock, pit.input.cycleOfTick(load + offset));
      expect(out2(), `offset ${offset}`).toBe(offset % 100 < 50);
    }
  });

  it('counts down by two each clock in mode 3 (even count)', () => {
    const { clock, bus, pit } = board();
    bus.out8(0x61, 0x01);
    bus.out8(0x43, 0xb6);
    bus.out8(0x42, 100);
    bus.out8(0x42, 0);
    const load = pit.input.ticksAt(clock.now) + 1;
    runUntil(clock, pit.input.cycleOfTick(load + 10));
    bus.out8(0x43, 0x80);
    expect(bus.in8(0x42) | (bus.in8(0x42) << 8)).toBe(80);
  });

  it('GATE2 low holds OUT2 high and the count still', () => {
    const { clock, bus } = board();
    bus.out8(0x43, 0xb6);
    bus.out8(0x42, 100);
    bus.out8(0x42, 0);
    bus.out8(0x61, 0x00);
    runFor(clock, 1_000_000);
    expect(bus.in8(0x61) & 0x20).toBe(0x20);
  });

  it('refresh detect (bit 4) toggles every 18 input clocks', () => {
    const { clock, bus, pit } = board();
    const seen = new Set<number>();
    for (let t = 0; t < 72; t += 9) {
      runUntil(clock, pit.input.cycleOfTick(t));
      seen.add(bus.in8(0x61) & 0x10);
      expect(bus.in8(0x61) & 0x10).toBe(Math.floor(t / 18) & 1 ? 0x10 : 0);
    }
    expect(seen.size).toBe(2);
  });
});

describe('8254 access modes', () => {
  it('LSB-only and MSB-only access', () => {
    const { clock, bus, pit } = board();
    bus.out8(0x43, 0x10); // counter 0, LSB only, mode 0
    bus.out8(0x40, 200);
    runUntil(clock, pit.input.cycleOfTick(1 + 50));
    expect(bus.in8(0x40)).toBe(150);
    bus.out8(0x43, 0x60); // counter 1, MSB only, mode 0
    bus.out8(0x41, 0x02); // count 0x0200
    const load = pit.input.ticksAt(clock.now) + 1;
    runUntil(clock, pit.input.cycleOfTick(load + 0x100));
    expect(bus.in8(0x41)).toBe(0x01);
  });

  it('BCD counting: 1000 counts down as 0999, 0998 ...', () => {
    const { clock, bus, pit } = board();
    bus.out8(0x43, 0x31);
    bus.out8(0x40, 0x00);
    bus.out8(0x40, 0x10);
    runUntil(clock, pit.input.cycleOfTick(1 + 2));
    expect(readLatched0(bus)).toBe(0x0998);
  });

  it('read-back latches status and count; status comes first', () => {
    const { clock, bus, pit } = board();
    bus.out8(0x43, 0x34);
    bus.out8(0x40, 0x10);
    bus.out8(0x40, 0x00);
    runUntil(clock, pit.input.cycleOfTick(1 + 4));
    bus.out8(0x43, 0xc2); // read-back: count and status of counter 0
    expect(bus.in8(0x40)).toBe(0x80 | 0x30 | (2 << 1)); // OUT high, no null count, LSB/MSB, mode 2
    expect(bus.in8(0x40)).toBe(12);
    expect(bus.in8(0x40)).toBe(0);
  });

  it('read-back status shows NULL COUNT between the control word and the count', () => {
    const { bus } = board();
    bus.out8(0x43, 0x30);
    bus.out8(0x43, 0xe2); // status only
    expect(bus.in8(0x40)).toBe(0x40 | 0x30);
  });
});

describe('8254 state', () => {
  type Op = { kind: 'out'; port: number; value: number } | { kind: 'in'; port: number } | { kind: 'run'; cycles: number };
  const opArb: fc.Arbitrary<Op> = fc.oneof(
    fc.record({ kind: fc.constant('out' as const), port: fc.constantFrom(0x40, 0x41, 0x42, 0x43, 0x61), value: fc.oneof(fc.integer({ min: 0, max: 255 }), fc.constantFrom(0x34, 0x30, 0x36, 0xb6, 0x00, 0xc2, 0xe2, 0x14, 0x31)) }),
    fc.record({ kind: fc.constant('in' as const), port: fc.constantFrom(0x40, 0x41, 0x42, 0x61) }),
    fc.record({ kind: fc.constant('run' as const), cycles: fc.integer({ min: 1, max: 300_000 }) }),
  );
  const apply = (b: ReturnType<typeof board>, op: Op) => {
    if (op.kind === 'out') b.bus.out8(op.port, op.value);
    else if (op.kind === 'in') return b.bus.in8(op.port);
    else runFor(b.clock, op.cycles);
    return b.probe.level(0);
  };

  it('save → load into another timer behaves the same for any operation sequence, in either load order', () => {
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 30 }), fc.array(opArb, { maxLength: 30 }), fc.boolean(), fc.nat(5_000_000), (prefix, suffix, clockFirst, otherRun) => {
        const a = board();
        for (const op of prefix) apply(a, op);
        const saved = JSON.parse(JSON.stringify({ clock: a.clock.saveState(), pit: a.pit.saveState(), portB: a.portB.saveState() }));
        const b = board();
        runFor(b.clock, otherRun); // the target machine has a history of its own
        if (clockFirst) b.clock.loadState(saved.clock);
        b.pit.loadState(saved.pit);
        b.portB.loadState(saved.portB);
        if (!clockFirst) b.clock.loadState(saved.clock);
        expect(b.probe.level(0)).toBe(a.probe.level(0));
        const aBefore = a.probe.risingEdges(0).length;
        const bBefore = b.probe.risingEdges(0).length; // loading re-drives the line once
        for (const op of suffix) expect(apply(b, op)).toEqual(apply(a, op));
        expect(b.probe.risingEdges(0).slice(bBefore)).toEqual(a.probe.risingEdges(0).slice(aBefore));
      }),
      { numRuns: 200, seed: 8254 },
    );
  });

  it('rejects an unknown state version', () => {
    const { pit } = board();
    expect(() => pit.loadState({ version: 2 })).toThrow(/version/);
  });
});

describe('8254 reprogramming and gate triggers', () => {
  it('mode 2: a new count written without a control word takes effect at the end of the current period', () => {
    const { clock, bus, probe, pit } = board();
    bus.out8(0x43, 0x34);
    bus.out8(0x40, 1000 & 0xff);
    bus.out8(0x40, 1000 >> 8);
    runUntil(clock, pit.input.cycleOfTick(1 + 300));
    bus.out8(0x40, 500 & 0xff);
    bus.out8(0x40, 500 >> 8);
    runUntil(clock, pit.input.cycleOfTick(1 + 2100));
    expect(probe.risingEdges(0).filter((t) => t > 0)).toEqual([1000, 1500, 2000].map((e) => pit.input.cycleOfTick(1 + e)));
  });

  it('mode 1: counter 2 starts its one-shot on a rising GATE2 and OUT2 returns high after N clocks', () => {
    const { clock, bus, pit } = board();
    bus.out8(0x43, 0xb2); // counter 2, LSB/MSB, mode 1
    bus.out8(0x42, 50);
    bus.out8(0x42, 0);
    const out2 = () => (bus.in8(0x61) & 0x20) !== 0;
    runFor(clock, 100_000);
    expect(out2()).toBe(true); // waiting for the trigger
    bus.out8(0x61, 0x01);
    const trigger = pit.input.ticksAt(clock.now);
    expect(out2()).toBe(false);
    runUntil(clock, pit.input.cycleOfTick(trigger + 1 + 49));
    expect(out2()).toBe(false);
    runUntil(clock, pit.input.cycleOfTick(trigger + 1 + 50));
    expect(out2()).toBe(true);
  });
});

describe('8254 modes 3 (odd count) and 4', () => {
  it('mode 3 with an odd count: OUT high for (N+1)/2 and low for (N-1)/2 clocks', () => {
    const { clock, bus, probe, pit } = board();
    bus.out8(0x43, 0x36);
    bus.out8(0x40, 7);
    bus.out8(0x40, 0);
    runUntil(clock, pit.input.cycleOfTick(1 + 21));
    const fmt = (t: number) => pit.input.ticksAt(t) - 1;
    const changes = probe.changes.filter((c) => c.at > 0).map((c) => [fmt(c.at), c.level]);
    expect(changes).toEqual([
      [4, false],
      [7, true],
      [11, false],
      [14, true],
      [18, false],
      [21, true],
    ]);
  });

  it('mode 4 (software strobe): OUT low for exactly one clock when the count reaches 0', () => {
    const { clock, bus, probe, pit } = board();
    bus.out8(0x43, 0x38);
    bus.out8(0x40, 20);
    bus.out8(0x40, 0);
    runFor(clock, CPU_HZ / 100);
    const fmt = (t: number) => pit.input.ticksAt(t) - 1;
    expect(probe.changes.filter((c) => c.at > 0).map((c) => [fmt(c.at), c.level])).toEqual([
      [20, false],
      [21, true],
    ]);
  });
});

