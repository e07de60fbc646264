// Property: every loader answers corrupted, truncated and hostile images with a result inside RAM or an ImageError, never another exception.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { detectImage } from '../../src/machine/loaders/detect.js';
import { loadElf } from '../../src/machine/loaders/elf.js';
import type { LoadResult } from '../../src/machine/loaders/entry.js';
import { ImageError } from '../../src/machine/loaders/image-error.js';
import { loadLinux } from '../../src/machine/loaders/linux-bzimage.js';
import { loadMultiboot } from '../../src/machine/loaders/multiboot.js';
import { loadRaw } from '../../src/machine/loaders/raw.js';
import { loadRom } from '../../src/machine/loaders/rom.js';
import { propertyParams } from '../helpers/property.js';
import { buildBzImage, buildElf, multibootHeader } from '../unit/machine/loaders/images.js';

/** A small board (4 MiB) keeps hostile sizes cheap while keeping the PC hole and ROM windows. */
const MEMORY = {
  ram: [
    { base: 0, size: 0xa0000 },
    { base: 0x100000, size: 0x300000 },
  ],
  rom: [
    { base: 0xf0000, size: 0x10000 },
    { base: 0xffff0000, size: 0x10000 },
  ],
};

const inRam = (a: number, n: number) => MEMORY.ram.some((r) => a >= r.base && a + n <= r.base + r.size);

/** Invariants of a successful load: segments inside RAM and disjoint, entry state well formed. */
function checkResult(r: LoadResult): void {
  const spans = r.segments.filter((s) => s.bytes.length > 0).map((s) => [s.address, s.address + s.bytes.length] as const).sort((a, b) => a[0] - b[0]);
  for (const s of r.segments) expect(inRam(s.address, s.bytes.length), `segment 0x${s.address.toString(16)}+${s.bytes.length} outside RAM`).toBe(true);
  for (let i = 1; i < spans.length; i++) expect(spans[i][0]).toBeGreaterThanOrEqual(spans[i - 1][1]);
  if (r.entry.mode === 'flat32') {
    expect(Number.isInteger(r.entry.state.eip) && r.entry.state.eip >= 0 && r.entry.state.eip <= 0xffffffff).toBe(true);
    expect(inRam(r.entry.state.gdtBase, r.entry.state.gdtLimit + 1)).toBe(true);
  }
  if (r.rom) expect(r.rom.data.length % 4096).toBe(0);
}

const seeds: Record<string, Uint8Array> = {
  elf: buildElf({ entry: 0x100000, segments: [{ paddr: 0x100000, data: [0xfa, 0xf4], memsz: 0x2000 }, { paddr: 0x200000, vaddr: 0xc0200000, data: new Uint8Array(64).fill(1) }] }),
  multibootElf: buildElf({ entry: 0x100000, segments: [{ paddr: 0x100000, data: [0xfa, 0xf4] }], prefix: multibootHeader(3) }),
  multibootAout: (() => {
    const img = new Uint8Array(0x80);
    img.set(multibootHeader(0x10003, { headerAddr: 0x100010, loadAddr: 0x100000, loadEndAddr: 0x100080, bssEndAddr: 0x101000, entryAddr: 0x100000 }), 16);
    return img;
  })(),
  bzImage: buildBzImage({ pm: new Uint8Array(0x800).fill(0x90), initSize: 0x4000 }),
  vmlinux: buildElf({ entry: 0x100000, segments: [{ paddr: 0x100000, vaddr: 0xc0100000, data: [0xfa, 0xf4], memsz: 0x3000 }] }),
};

type Corruption =
  | { kind: 'flip'; flips: Array<{ at: number; bit: number }> }
  | { kind: 'truncate'; at: number }
  | { kind: 'poke32'; at: number; value: number }
  | { kind: 'random'; bytes: Uint8Array };

const corruption: fc.Arbitrary<Corruption> = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), flips: fc.array(fc.record({ at: fc.nat(), bit: fc.nat({ max: 7 }) }), { minLength: 1, maxLength: 8 }) }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({
    kind: fc.constant('poke32' as const),
    at: fc.nat(),
    value: fc.oneof(fc.constantFrom(0, 1, 0x7fffffff, 0x80000000, 0xffffffff, 0xfffff000, 0x100000, 0xc0000000, 0x1badb002, 0xaa55), fc.nat({ max: 0xffffffff })),
  }),
  fc.record({ kind: fc.constant('random' as const), bytes: fc.uint8Array({ maxLength: 2048 }) }),
);

function corrupt(seed: Uint8Array, c: Corruption): Uint8Array {
  switch (c.kind) {
    case 'flip': {
      const b = seed.slice();
      for (const f of c.flips) b[f.at % b.length] ^= 1 << f.bit;
      return b;
    }
    case 'truncate':
      return seed.slice(0, c.at % (seed.length + 1));
    case 'poke32': {
      const b = seed.slice();
      // Prefer header fields: most pokes land in the first 0x300 bytes.
      const at = (c.at % Math.min(b.length, 0x300)) & ~3;
      if (at + 4 <= b.length) new DataView(b.buffer).setUint32(at, c.value, true);
      return b;
    }
    case 'random':
      return c.bytes;
  }
}

/** Run a loader: success must satisfy the invariants, failure must be an ImageError naming the file. */
function answer(file: string, f: () => LoadResult | string): void {
  let out: LoadResult | string;
  try {
    out = f();
  } catch (e) {
    if (e instanceof ImageError) {
      expect(e.message.startsWith(`${e.file}: `)).toBe(true);
      expect(e.detail.length).toBeGreaterThan(5);
      return;
    }
    throw new Error(`loader threw a non-ImageError: ${e instanceof Error ? e.stack : String(e)}`);
  }
  if (typeof out !== 'string') checkResult(out);
  void file;
}

function allLoaders(bytes: Uint8Array): void {
  answer('img', () => detectImage(bytes, 'img'));
  answer('img', () => loadElf(bytes, 'img', MEMORY));
  answer('img', () => loadMultiboot(bytes, 'img', MEMORY, { commandLine: 'img x', modules: [{ bytes: bytes.subarray(0, 100), file: 'mod', string: 'mod' }] }));
  answer('img', () => loadLinux(bytes, 'img', MEMORY, { commandLine: 'console=ttyS0', initrd: { bytes: bytes.subarray(0, 0x1000), file: 'rd' } }));
  answer('img', () => loadRaw(bytes, 'img', MEMORY, { address: 0x100000 }));
  answer('img', () => loadRom(bytes, 'img', MEMORY));
}

describe('image loaders (property)', () => {
  it('the uncorrupted seeds load', () => {
    expect(() => loadElf(seeds.elf, 'elf', MEMORY)).not.toThrow();
    expect(() => loadMultiboot(seeds.multibootElf, 'mb', MEMORY)).not.toThrow();
    expect(() => loadMultiboot(seeds.multibootAout, 'mb', MEMORY)).not.toThrow();
    expect(() => loadLinux(seeds.bzImage, 'bz', MEMORY, { commandLine: '' })).not.toThrow();
    expect(() => loadLinux(seeds.vmlinux, 'vm', MEMORY, { commandLine: '' })).not.toThrow();
  });

  it('answer corrupted, truncated and hostile images with a load inside RAM or an ImageError', () => {
    const names = Object.keys(seeds);
    fc.assert(
      fc.property(fc.constantFrom(...names), fc.array(corruption, { minLength: 1, maxLength: 3 }), (name, cs) => {
        let b = seeds[name];
        for (const c of cs) b = corrupt(b, c);
        allLoaders(b);
      }),
      propertyParams('corrupted images', 300),
    );
  });

  it('answer hostile placements and command lines with an ImageError', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.integer({ min: -(2 ** 33), max: 2 ** 33 }), fc.constantFrom(NaN, Infinity, 0x9ffff, 0xfffff000)),
        fc.option(fc.integer({ min: -10, max: 2 ** 33 })),
        fc.string({ maxLength: 3000 }),
        (address, entry, cmd) => {
          answer('raw', () => loadRaw(seeds.elf, 'raw', MEMORY, { address, entry: entry ?? undefined }));
          answer('bz', () => loadLinux(seeds.bzImage, 'bz', MEMORY, { commandLine: cmd }));
          answer('mb', () => loadMultiboot(seeds.multibootElf, 'mb', MEMORY, { commandLine: cmd }));
        },
      ),
      propertyParams('hostile placements', 200),
    );
  });
});
