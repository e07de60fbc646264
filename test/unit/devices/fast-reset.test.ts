// Port 0x92: reset on a rising bit 0, A20 bit read back, state.
import { describe, expect, it } from 'vitest';
import { AddressSpace } from '../../../src/core/address-space.js';
import { Clock } from '../../../src/core/clock.js';
import { FastReset } from '../../../src/devices/fast-reset.js';
import { PowerRecorder } from './harness.js';

function board() {
  const bus = new AddressSpace(0x10000);
  const power = new PowerRecorder();
  const port92 = new FastReset({ name: 'port92', clock: new Clock(1e8), power });
  bus.mapPorts('port92', 0x92, 1, port92);
  return { bus, power, port92 };
}

describe('system control port A (0x92)', () => {
  it('bit 0 going 0 → 1 resets; writing 1 again does not', () => {
    const { bus, power } = board();
    bus.out8(0x92, 0x01);
    bus.out8(0x92, 0x01);
    expect(power.resets).toEqual(['port92']);
    bus.out8(0x92, 0x00);
    bus.out8(0x92, 0x01);
    expect(power.resets).toEqual(['port92', 'port92']);
  });

  it('bit 1 (A20) is stored and read back without a reset', () => {
    const { bus, power, port92 } = board();
    bus.out8(0x92, 0x02);
    expect(bus.in8(0x92)).toBe(0x02);
    expect(port92.a20).toBe(true);
    expect(power.resets).toEqual([]);
  });

  it('state round-trips: bit 0 already set stays a non-edge after load', () => {
    const a = board();
    a.bus.out8(0x92, 0x03);
    const b = board();
    b.port92.loadState(JSON.parse(JSON.stringify(a.port92.saveState())));
    expect(b.bus.in8(0x92)).toBe(0x03);
    b.bus.out8(0x92, 0x03);
    expect(b.power.resets).toEqual([]);
    expect(() => b.port92.loadState({ version: 9 })).toThrow(/version/);
  });
});
