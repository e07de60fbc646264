// Élan SC410 CSC index/data access and the watchdog (stand-in register layout, see the source).
import { describe, expect, it } from 'vitest';
import { AddressSpace } from '../../../src/core/address-space.js';
import { Clock } from '../../../src/core/clock.js';
import { ElanWatchdog } from '../../../src/devices/elan-watchdog.js';
import { PowerRecorder, runFor, runUntil } from './harness.js';

const CPU_HZ = 33_000_000;

function board() {
  const clock = new Clock(CPU_HZ);
  const bus = new AddressSpace(0x10000);
  const power = new PowerRecorder();
  const wdt = new ElanWatchdog({ name: 'wdt', clock, power });
  bus.mapPorts('csc', 0x22, 2, wdt);
  const csc = (index: number, value?: number) => {
    bus.out8(0x22, index);
    if (value === undefined) return bus.in8(0x23);
    bus.out8(0x23, value);
    return value;
  };
  return { clock, bus, power, wdt, csc };
}

describe('Élan SC410 chip setup and control registers (0x22 index, 0x23 data)', () => {
  it('other CSC registers read back what was written (e.g. 0x80, the clock speed register)', () => {
    const { csc } = board();
    csc(0x80, 0x04);
    csc(0x40, 0x00);
    expect(csc(0x80)).toBe(0x04);
    expect(csc(0x40)).toBe(0x00);
  });
});

describe('Élan watchdog', () => {
  it('is off after reset: time passes without a reset request', () => {
    const { clock, power } = board();
    runFor(clock, 100 * CPU_HZ);
    expect(power.resets).toEqual([]);
  });

  it('expires after 2^(14+n) time-base clocks and requests a board reset', () => {
    const { clock, power, csc } = board();
    csc(0xb0, 0x80 | 1); // enable, 1 s
    runFor(clock, CPU_HZ - 1000);
    expect(power.resets).toEqual([]);
    runFor(clock, 2000);
    expect(power.resets).toEqual(['watchdog']);
  });

  it('writes to the clear register restart the count (a serviced watchdog never fires)', () => {
    const { clock, power, csc } = board();
    csc(0xb0, 0x80 | 0); // 0.5 s
    for (let i = 0; i < 20; i++) {
      runFor(clock, 0.4 * CPU_HZ);
      csc(0xb1, 0);
    }
    expect(power.resets).toEqual([]);
    runFor(clock, 0.6 * CPU_HZ);
    expect(power.resets).toEqual(['watchdog']);
  });

  it('LOCK freezes the control register until reset', () => {
    const { clock, power, csc, wdt } = board();
    csc(0xb0, 0xc0 | 2);
    csc(0xb0, 0x00); // ignored: cannot switch a locked watchdog off
    expect(csc(0xb0)).toBe(0xc2);
    runUntil(clock, 2.1 * CPU_HZ);
    expect(power.resets).toEqual(['watchdog']);
    wdt.reset();
    expect(csc(0xb0)).toBe(0);
  });

  it('state round-trips with the pending expiry', () => {
    const a = board();
    a.csc(0xb0, 0x80 | 1);
    runFor(a.clock, 0.5 * CPU_HZ);
    const saved = JSON.parse(JSON.stringify({ clock: a.clock.saveState(), wdt: a.wdt.saveState() }));
    const b = board();
    b.clock.loadState(saved.clock);
    b.wdt.loadState(saved.wdt);
    runFor(b.clock, 0.49 * CPU_HZ);
    expect(b.power.resets).toEqual([]);
    runFor(b.clock, 0.02 * CPU_HZ);
    expect(b.power.resets).toEqual(['watchdog']);
    expect(() => b.wdt.loadState({ version: 5 })).toThrow(/version/);
  });
});
