// Specification of the raw loader: bytes at an address, flat 32-bit entry, range checks.
import { describe, expect, it } from 'vitest';
import { loadRaw } from '../../../../src/machine/loaders/raw.js';
import { PC_MEMORY } from './images.js';

describe('loadRaw', () => {
  const img = new Uint8Array([0x90, 0x90, 0xf4]);
  it('copies the bytes to the address and enters there by default', () => {
    const r = loadRaw(img, 'x.bin', PC_MEMORY, { address: 0x200000 });
    expect(r.segments[0]).toEqual({ address: 0x200000, bytes: img });
    expect(r.segments[0].bytes).not.toBe(img); // a copy: the machine may restart from it
    expect(r.entry).toMatchObject({ mode: 'flat32', state: { eip: 0x200000, codeSelector: 0x10, dataSelector: 0x18, gdtBase: 0x1000 } });
  });
  it('enters at a given entry inside the image', () => {
    expect(loadRaw(img, 'x.bin', PC_MEMORY, { address: 0x200000, entry: 0x200002 }).entry).toMatchObject({ state: { eip: 0x200002 } });
  });
  it('rejects empty images, entries outside the image and addresses outside RAM', () => {
    expect(() => loadRaw(new Uint8Array(0), 'x.bin', PC_MEMORY, { address: 0x200000 })).toThrow(/x\.bin: the image is empty/);
    expect(() => loadRaw(img, 'x.bin', PC_MEMORY, { address: 0x200000, entry: 0x200003 })).toThrow(/entry 0x200003 is outside the image/);
    expect(() => loadRaw(img, 'x.bin', PC_MEMORY, { address: 0x9ffff })).toThrow(/raw image at 0x9ffff-0xa0001 .* not inside the board's RAM/);
    expect(() => loadRaw(img, 'x.bin', PC_MEMORY, { address: -1 })).toThrow(/not a 32-bit physical address/);
  });
});
