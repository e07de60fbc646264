// POST-code latch at 0x80: last byte kept for the host, reads float high.
import { describe, expect, it } from 'vitest';
import { AddressSpace } from '../../../src/core/address-space.js';
import { Clock } from '../../../src/core/clock.js';
import { PostCode } from '../../../src/devices/post-code.js';

describe('POST-code latch (port 0x80)', () => {
  it('is null until written, then holds the last byte; reads return 0xFF', () => {
    const bus = new AddressSpace(0x10000);
    const post = new PostCode({ name: 'post', clock: new Clock(1e8) });
    bus.mapPorts('post', 0x80, 1, post);
    expect(post.lastCode).toBeNull();
    bus.out8(0x80, 0x12);
    bus.out8(0x80, 0xab);
    expect(post.lastCode).toBe(0xab);
    expect(bus.in8(0x80)).toBe(0xff);
    const copy = new PostCode({ name: 'post', clock: new Clock(1e8) });
    copy.loadState(JSON.parse(JSON.stringify(post.saveState())));
    expect(copy.lastCode).toBe(0xab);
    expect(copy.writes).toBe(2);
    post.reset();
    expect(post.lastCode).toBeNull();
  });
});
