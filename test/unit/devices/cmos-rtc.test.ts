// MC146818A: time from startTime, BCD/binary and 12/24 h formats, UIP window, periodic/alarm/update interrupts, state.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AddressSpace } from '../../../src/core/address-space.js';
import { Clock } from '../../../src/core/clock.js';
import { IrqLine } from '../../../src/core/irq-line.js';
import { CmosRtc, parseStartTime } from '../../../src/devices/cmos-rtc.js';
import { IrqProbe, runFor, runUntil } from './harness.js';

const CPU_HZ = 100_000_000;

function board(startTime = '2024-02-28T23:59:58Z') {
  const clock = new Clock(CPU_HZ);
  const bus = new AddressSpace(0x10000);
  const probe = new IrqProbe(clock);
  const rtc = new CmosRtc({ name: 'rtc', clock, irq: new IrqLine(probe, 8), startTime });
  bus.mapPorts('rtc', 0x70, 2, rtc);
  const read = (i: number) => {
    bus.out8(0x70, i);
    return bus.in8(0x71);
  };
  const write = (i: number, v: number) => {
    bus.out8(0x70, i);
    bus.out8(0x71, v);
  };
  return { clock, bus, probe, rtc, read, write };
}

const timeRegs = (read: (i: number) => number) => [9, 8, 7, 6, 4, 2, 0].map(read);

describe('MC146818 time keeping', () => {
  it('starts at startTime in 24-hour BCD, with the century in CMOS 0x32', () => {
    const { read } = board('2024-02-28T23:59:58Z');
    expect(timeRegs(read)).toEqual([0x24, 0x02, 0x28, 0x04, 0x23, 0x59, 0x58]); // Wednesday = 4
    expect(read(0x32)).toBe(0x20);
    expect(read(0x0d)).toBe(0x80);
  });

  it('parses offsets without the host time zone', () => {
    expect(parseStartTime('2024-01-01T09:00:00+09:00')).toEqual({ year: 2024, month: 1, day: 1, hour: 0, min: 0, sec: 0 });
    expect(parseStartTime('2023-12-31T23:30:00-01:00')).toEqual({ year: 2024, month: 1, day: 1, hour: 0, min: 30, sec: 0 });
    expect(() => parseStartTime('yesterday')).toThrow(/ISO 8601/);
  });

  it('advances with virtual time through the leap day and the month end', () => {
    const { clock, read, rtc } = board('2024-02-28T23:59:58Z');
    runUntil(clock, 2 * CPU_HZ);
    expect(timeRegs(read)).toEqual([0x24, 0x02, 0x29, 0x05, 0x00, 0x00, 0x00]);
    runUntil(clock, (2 + 86400) * CPU_HZ);
    expect(rtc.dateTime).toBe('2024-03-01T00:00:00Z');
  });

  it('binary mode (B.DM = 1) and 12-hour mode keep their own formats', () => {
    const { clock, read, write } = board('2024-06-15T12:59:59Z');
    write(0x0b, 0x80 | 0x04); // SET, binary, 12-hour
    write(0x04, 0x80 | 12); // 12 PM
    write(0x02, 59);
    write(0x00, 59);
    write(0x0b, 0x04);
    runFor(clock, CPU_HZ);
    expect(read(0x04)).toBe(0x81); // 1 PM
    expect(read(0x02)).toBe(0);
    expect(read(0x00)).toBe(0);
  });

  it('SET = 1 stops updates; clearing it lets time run again', () => {
    const { clock, read, write } = board('2024-01-01T00:00:00Z');
    write(0x0b, 0x82);
    runFor(clock, 5 * CPU_HZ);
    expect(read(0)).toBe(0x00);
    write(0x0b, 0x02);
    runFor(clock, 3 * CPU_HZ);
    expect(read(0)).toBe(0x03);
  });

  it('a long idle stretch (years) is caught up at once', () => {
    const { clock, rtc } = board('2024-01-01T00:00:00Z');
    runUntil(clock, 3 * 365 * 86400 * CPU_HZ);
    expect(rtc.dateTime).toBe('2026-12-31T00:00:00Z');
  });
});

describe('MC146818 update-in-progress', () => {
  it('UIP is set for the 244 µs before each update and clear otherwise', () => {
    const { clock, read } = board('2024-01-01T00:00:00Z');
    const uip = () => (read(0x0a) & 0x80) !== 0;
    const second = CPU_HZ;
    const lead = Math.ceil((8 / 32768) * CPU_HZ); // 244.14 µs
    runUntil(clock, second - lead - 100);
    expect(uip()).toBe(false);
    runUntil(clock, second - lead + 100);
    expect(uip()).toBe(true);
    expect(read(0)).toBe(0x00);
    runUntil(clock, second);
    expect(uip()).toBe(false);
    expect(read(0)).toBe(0x01);
  });

  it('register A reads back the divider and rate select with UIP', () => {
    const { read, write } = board();
    expect(read(0x0a) & 0x7f).toBe(0x26);
    write(0x0a, 0xaf); // UIP is read only
    expect(read(0x0a) & 0x7f).toBe(0x2f);
  });
});

describe('MC146818 interrupts', () => {
  it('periodic interrupt at the rate RS selects (1024 Hz for RS = 6), re-armed by reading C', () => {
    const { clock, read, write, probe } = board();
    write(0x0b, 0x42); // PIE
    let count = 0;
    for (let i = 0; i < 100; i++) {
      runFor(clock, CPU_HZ / 1000);
      if (probe.level(8)) {
        expect(read(0x0c) & 0xc0).toBe(0xc0);
        count++;
      }
    }
    expect(count).toBeGreaterThanOrEqual(97);
    expect(count).toBeLessThanOrEqual(103);
    const edges = probe.risingEdges(8);
    expect(edges.length).toBe(count);
  });

  it('periodic rates: RS = 3 is 8192 Hz, RS = 15 is 2 Hz, RS = 1 and 2 alias 8 and 9', () => {
    for (const [rs, hz] of [[3, 8192], [15, 2], [1, 256], [2, 128], [9, 128]] as const) {
      const { clock, read, write } = board();
      write(0x0a, 0x20 | rs);
      read(0x0c);
      const periodCycles = CPU_HZ / hz;
      let flags = 0;
      for (let i = 0; i < 80; i++) {
        runFor(clock, periodCycles / 4);
        if (read(0x0c) & 0x40) flags++;
      }
      expect(flags, `RS ${rs}`).toBeGreaterThanOrEqual(19);
      expect(flags, `RS ${rs}`).toBeLessThanOrEqual(21);
    }
  });

  it('update-ended interrupt once per second; reading C clears IRQF and lowers the line', () => {
    const { clock, read, write, probe } = board('2024-01-01T00:00:00.5Z');
    write(0x0a, 0x20); // RS = 0: no periodic flags
    write(0x0b, 0x12); // UIE
    runFor(clock, 3 * CPU_HZ);
    expect(probe.level(8)).toBe(true);
    expect(read(0x0c)).toBe(0x90);
    expect(probe.level(8)).toBe(false);
    expect(read(0x0c)).toBe(0x00);
  });

  it('alarm interrupt when seconds/minutes/hours match (0xC0+ = don’t care)', () => {
    const { clock, read, write, probe } = board('2024-01-01T10:00:00Z');
    write(0x0a, 0x20);
    write(0x01, 0x05);
    write(0x03, 0xc0);
    write(0x05, 0xff);
    write(0x0b, 0x22); // AIE
    read(0x0c);
    runFor(clock, 4.5 * CPU_HZ);
    expect(probe.level(8)).toBe(false);
    runFor(clock, 1 * CPU_HZ);
    expect(probe.level(8)).toBe(true);
    expect(read(0x0c) & 0xa0).toBe(0xa0);
  });

  it('setting SET clears UIE (register B)', () => {
    const { read, write } = board();
    write(0x0b, 0x12);
    write(0x0b, 0x92);
    expect(read(0x0b)).toBe(0x82);
  });
});

describe('MC146818 RAM and index port', () => {
  it('114 bytes of RAM keep their values; bit 7 of the index is the NMI mask', () => {
    const { bus, read, write, rtc } = board();
    for (let i = 0x0e; i < 0x80; i++) write(i, i ^ 0xa5);
    for (let i = 0x0e; i < 0x80; i++) expect(read(i)).toBe(i ^ 0xa5);
    bus.out8(0x70, 0x8f);
    expect(rtc.nmiMasked).toBe(true);
    expect(bus.in8(0x71)).toBe(0x0f ^ 0xa5);
  });
});

describe('MC146818 state', () => {
  type Op = { kind: 'write'; index: number; value: number } | { kind: 'read'; index: number } | { kind: 'run'; cycles: number };
  const opArb: fc.Arbitrary<Op> = fc.oneof(
    fc.record({ kind: fc.constant('write' as const), index: fc.constantFrom(0, 1, 2, 3, 4, 5, 9, 0x0a, 0x0b, 0x20), value: fc.integer({ min: 0, max: 255 }) }),
    fc.record({ kind: fc.constant('read' as const), index: fc.constantFrom(0, 2, 4, 6, 7, 8, 9, 0x0a, 0x0b, 0x0c, 0x0d, 0x20) }),
    fc.record({ kind: fc.constant('run' as const), cycles: fc.integer({ min: 1, max: 3 * CPU_HZ }) }),
  );

  it('save → load into a fresh RTC behaves the same for any operation sequence', () => {
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 25 }), fc.array(opArb, { maxLength: 25 }), fc.boolean(), (prefix, suffix, clockFirst) => {
        const a = board();
        const apply = (x: ReturnType<typeof board>, op: Op) => {
          if (op.kind === 'write') x.write(op.index, op.value);
          else if (op.kind === 'read') return x.read(op.index);
          else runFor(x.clock, op.cycles);
          return x.probe.level(8);
        };
        for (const op of prefix) apply(a, op);
        const saved = JSON.parse(JSON.stringify({ clock: a.clock.saveState(), rtc: a.rtc.saveState() }));
        const b = board('1999-12-31T00:00:00Z');
        if (clockFirst) b.clock.loadState(saved.clock);
        b.rtc.loadState(saved.rtc);
        if (!clockFirst) b.clock.loadState(saved.clock);
        for (const op of suffix) expect(apply(b, op)).toEqual(apply(a, op));
      }),
      { numRuns: 150, seed: 146818 },
    );
  });

  it('rejects an unknown state version', () => {
    const { rtc } = board();
    expect(() => rtc.loadState({ version: 0 })).toThrow(/version/);
  });
});
