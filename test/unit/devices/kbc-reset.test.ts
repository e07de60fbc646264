// 8042 reset subset: status byte, 0xFE reset pulse, output port writes, command responses, state.
import { describe, expect, it } from 'vitest';
import { AddressSpace } from '../../../src/core/address-space.js';
import { Clock } from '../../../src/core/clock.js';
import { KbcReset } from '../../../src/devices/kbc-reset.js';
import { PowerRecorder } from './harness.js';

function board() {
  const clock = new Clock(100_000_000);
  const bus = new AddressSpace(0x10000);
  const power = new PowerRecorder();
  const kbc = new KbcReset({ name: 'kbc', clock, power });
  bus.mapPorts('kbc-data', 0x60, 1, kbc.dataPort);
  bus.mapPorts('kbc-cmd', 0x64, 1, kbc.commandPort);
  return { bus, power, kbc };
}

describe('8042 keyboard controller (reset subset)', () => {
  it('status shows both buffers empty, so a kernel waiting for IBF = 0 proceeds', () => {
    const { bus } = board();
    expect(bus.in8(0x64) & 0x03).toBe(0);
    expect(bus.in8(0x64) & 0x04).toBe(0x04); // system flag: self test passed
  });

  it('command 0xFE pulses the reset line (Linux reboot=k)', () => {
    const { bus, power } = board();
    bus.out8(0x64, 0xfe);
    expect(power.resets).toEqual(['kbc']);
  });

  it('odd pulse commands (bit 0 set) do not reset', () => {
    const { bus, power } = board();
    bus.out8(0x64, 0xff);
    bus.out8(0x64, 0xf1);
    expect(power.resets).toEqual([]);
  });

  it('0xD1 then a data byte with bit 0 clear resets; bit 1 is the A20 gate', () => {
    const { bus, power, kbc } = board();
    bus.out8(0x64, 0xd1);
    bus.out8(0x60, 0x01); // A20 off, no reset
    expect(power.resets).toEqual([]);
    expect(kbc.a20).toBe(false);
    bus.out8(0x64, 0xd1);
    bus.out8(0x60, 0x02);
    expect(power.resets).toEqual(['kbc']);
    expect(kbc.a20).toBe(true);
  });

  it('answers self test, command byte and output port reads through 0x60 with OBF', () => {
    const { bus } = board();
    bus.out8(0x64, 0xaa);
    expect(bus.in8(0x64) & 0x01).toBe(1);
    expect(bus.in8(0x60)).toBe(0x55);
    expect(bus.in8(0x64) & 0x01).toBe(0);
    bus.out8(0x64, 0x60);
    bus.out8(0x60, 0x47);
    bus.out8(0x64, 0x20);
    expect(bus.in8(0x60)).toBe(0x47);
    bus.out8(0x64, 0xd0);
    expect(bus.in8(0x60)).toBe(0x03);
  });

  it('reads 0 from 0x60 when nothing is waiting; A2 reflects the last port written', () => {
    const { bus } = board();
    expect(bus.in8(0x60)).toBe(0);
    bus.out8(0x64, 0xae);
    expect(bus.in8(0x64) & 0x08).toBe(0x08);
    bus.out8(0x60, 0xed);
    expect(bus.in8(0x64) & 0x08).toBe(0);
  });

  it('state round-trips (a pending 0xD1 survives save/load)', () => {
    const a = board();
    a.bus.out8(0x64, 0xd1);
    const b = board();
    b.kbc.loadState(JSON.parse(JSON.stringify(a.kbc.saveState())));
    b.bus.out8(0x60, 0x00);
    expect(b.power.resets).toEqual(['kbc']);
    expect(() => b.kbc.loadState({ version: 3 })).toThrow(/version/);
  });
});
