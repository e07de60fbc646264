// Byte console at 0xE9: bytes to the sink, 0xE9 read-back.
import { describe, expect, it } from 'vitest';
import { AddressSpace } from '../../../src/core/address-space.js';
import { Clock } from '../../../src/core/clock.js';
import { DebugConsole } from '../../../src/devices/debug-console.js';
import { ByteCollector } from './harness.js';

describe('debug console (port 0xE9)', () => {
  it('passes every written byte to the sink in order and reads back 0xE9', () => {
    const bus = new AddressSpace(0x10000);
    const sink = new ByteCollector();
    const con = new DebugConsole({ name: 'debugcon', clock: new Clock(1e8), sink });
    bus.mapPorts('debugcon', 0xe9, 1, con);
    for (const ch of 'hi\n') bus.out8(0xe9, ch.charCodeAt(0));
    expect(sink.text).toBe('hi\n');
    expect(bus.in8(0xe9)).toBe(0xe9);
    con.attach(null);
    bus.out8(0xe9, 0x41);
    expect(sink.text).toBe('hi\n');
  });
});
