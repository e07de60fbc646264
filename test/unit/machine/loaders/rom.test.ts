// Specification of the ROM loader: 64 KiB at 0xF0000 and below 4 GiB, short images top-aligned, real-mode reset entry.
import { describe, expect, it } from 'vitest';
import { loadRom } from '../../../../src/machine/loaders/rom.js';
import { PC_MEMORY } from './images.js';

describe('loadRom', () => {
  it('maps a 64 KiB image at 0xF0000 and 0xFFFF0000 and starts at F000:FFF0 in real mode', () => {
    const img = new Uint8Array(0x10000).map((_, i) => i & 0xff);
    const r = loadRom(img, 'bios.bin', PC_MEMORY);
    expect(r.segments).toEqual([]);
    expect(r.entry).toEqual({ mode: 'real', cs: 0xf000, ip: 0xfff0 });
    expect(r.rom!.windows).toEqual([0xf0000, 0xffff0000]);
    expect(r.rom!.data).toEqual(img);
  });
  it('aligns a short image to the top and fills below it with 0xFF', () => {
    const img = new Uint8Array(16).fill(0xea); // the reset vector is the 16th byte from the end
    const r = loadRom(img, 'tiny.bin', PC_MEMORY);
    expect(r.rom!.data.length).toBe(0x10000);
    expect(r.rom!.data[0xfff0]).toBe(0xea);
    expect(r.rom!.data[0xffef]).toBe(0xff);
    expect(r.rom!.data[0]).toBe(0xff);
  });
  it('rejects empty and oversized images, and boards without a reset-vector window', () => {
    expect(() => loadRom(new Uint8Array(0), 'bios.bin', PC_MEMORY)).toThrow(/bios\.bin: the ROM image is empty/);
    expect(() => loadRom(new Uint8Array(0x10001), 'bios.bin', PC_MEMORY)).toThrow(/at most 65536/);
    expect(() => loadRom(new Uint8Array(16), 'bios.bin', { rom: [] })).toThrow(/no ROM window/);
    expect(() => loadRom(new Uint8Array(16), 'bios.bin', { rom: [{ base: 0xe0000, size: 0x10000 }] })).toThrow(/no ROM window/);
  });
});
