// Specification of image detection: bzImage, Multiboot, vmlinux and ELF by their signatures, ImageError otherwise.
import { describe, expect, it } from 'vitest';
import { detectImage } from '../../../../src/machine/loaders/detect.js';
import { ImageError } from '../../../../src/machine/loaders/image-error.js';
import { buildBzImage, buildElf, multibootHeader } from './images.js';

describe('detectImage', () => {
  it('recognises each format', () => {
    expect(detectImage(buildBzImage(), 'a')).toBe('bzimage');
    expect(detectImage(buildElf({ entry: 0x100000, segments: [{ paddr: 0x100000, data: [1] }], prefix: multibootHeader(3) }), 'a')).toBe('multiboot');
    expect(detectImage(buildElf({ entry: 0x100000, segments: [{ paddr: 0x100000, vaddr: 0xc0100000, data: [1] }] }), 'a')).toBe('vmlinux');
    expect(detectImage(buildElf({ entry: 0x100000, segments: [{ paddr: 0x100000, data: [1] }] }), 'a')).toBe('elf');
  });
  it('prefers the Multiboot header over plain ELF, and an a.out-kludge file needs no ELF', () => {
    const img = new Uint8Array(64);
    img.set(multibootHeader(0x10003, { headerAddr: 0x100000, loadAddr: 0x100000, loadEndAddr: 0, bssEndAddr: 0, entryAddr: 0x100000 }));
    expect(detectImage(img, 'a')).toBe('multiboot');
  });
  it('rejects unknown bytes with an ImageError naming the file and what was looked for', () => {
    for (const bytes of [new Uint8Array(0), new Uint8Array(1000), new TextEncoder().encode('#!/bin/sh\n')]) {
      let e: unknown;
      try {
        detectImage(bytes, 'mystery.bin');
      } catch (x) {
        e = x;
      }
      expect(e).toBeInstanceOf(ImageError);
      expect((e as Error).message).toMatch(/^mystery\.bin: unknown image format/);
    }
  });
  it('reports a broken ELF through the ELF checks', () => {
    expect(() => detectImage(buildElf({ entry: 0, segments: [{ paddr: 0, data: [1] }], machine: 40 }), 'arm.elf')).toThrow(/arm\.elf: e_machine is 40/);
  });
});
