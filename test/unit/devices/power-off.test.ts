// Power-off latch: only the configured value powers off, 8- and 16-bit.
import { describe, expect, it } from 'vitest';
import { AddressSpace } from '../../../src/core/address-space.js';
import { Clock } from '../../../src/core/clock.js';
import { PowerOff } from '../../../src/devices/power-off.js';
import { PowerRecorder } from './harness.js';

function board(value: number) {
  const bus = new AddressSpace(0x10000);
  const power = new PowerRecorder();
  const dev = new PowerOff({ name: 'poweroff', clock: new Clock(1e8), power, value });
  bus.mapPorts('poweroff', 0x604, 2, dev);
  return { bus, power, dev };
}

describe('power-off latch', () => {
  it('an 8-bit value matches 8-bit writes only of that value', () => {
    const { bus, power } = board(0x34);
    bus.out8(0x604, 0x33);
    expect(power.powerOffs).toEqual([]);
    bus.out8(0x604, 0x34);
    expect(power.powerOffs).toEqual(['poweroff']);
  });

  it('a 16-bit value (QEMU/ACPI style 0x2000) matches a whole 16-bit write', () => {
    const { bus, power } = board(0x2000);
    bus.out8(0x604, 0x00);
    bus.out8(0x605, 0x20);
    expect(power.powerOffs).toEqual([]);
    bus.out16(0x604, 0x2000);
    expect(power.powerOffs).toEqual(['poweroff']);
  });

  it('rejects a value wider than 16 bits; state has only a version', () => {
    expect(() => board(0x10000)).toThrow(/8- or 16-bit/);
    const { dev } = board(1);
    expect(dev.saveState()).toEqual({ version: 1 });
    expect(() => dev.loadState({ version: 2 })).toThrow(/version/);
  });
});
