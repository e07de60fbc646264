// Specification of the in-memory character back end.
import { describe, expect, it } from 'vitest';
import { ByteBuffer } from '../../../src/host/byte-buffer.js';

describe('ByteBuffer', () => {
  it('keeps every byte in order across its internal chunks and reads back Latin-1 text', () => {
    const b = new ByteBuffer();
    const seen: number[] = [];
    b.onByte = (x) => seen.push(x);
    for (let i = 0; i < 10_000; i++) b.write(i & 0xff);
    const bytes = b.bytes();
    expect(bytes.length).toBe(10_000);
    expect(bytes[4097]).toBe(4097 & 0xff);
    expect(seen.length).toBe(10_000);
    const t = new ByteBuffer();
    for (const c of [0x48, 0xe9, 0x0a]) t.write(c);
    expect(t.text()).toBe('H\u00e9\n');
  });
});
