// Exit port at 0xF4: the written value reaches PowerControl.exit at its width.
import { describe, expect, it } from 'vitest';
import { AddressSpace } from '../../../src/core/address-space.js';
import { Clock } from '../../../src/core/clock.js';
import { DebugExit } from '../../../src/devices/debug-exit.js';
import { PowerRecorder } from './harness.js';

describe('debug exit (port 0xF4)', () => {
  it('calls exit with the value written, 8, 16 or 32 bits', () => {
    const bus = new AddressSpace(0x10000);
    const power = new PowerRecorder();
    bus.mapPorts('exit', 0xf4, 4, new DebugExit({ name: 'exit', clock: new Clock(1e8), power }));
    bus.out8(0xf4, 0x01);
    bus.out16(0xf4, 0x1234);
    bus.out32(0xf4, 0xdeadbeef);
    expect(power.exits).toEqual([0x01, 0x1234, 0xdeadbeef]);
    expect(bus.in8(0xf4)).toBe(0xff);
  });
});
