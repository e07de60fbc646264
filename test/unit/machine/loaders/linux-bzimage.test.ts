// Specification of the Linux 32-bit boot protocol loader: setup header checks, zero page, command line, initrd, e820, entry state.
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, inject, it } from 'vitest';
import { BOARDS } from '../../../../boards/index.js';
import { defaultLinuxCommandLine, linuxLoopsPerJiffy, loadLinux, parseBzImageHeader } from '../../../../src/machine/loaders/linux-bzimage.js';
import { at, buildBzImage, buildElf, cString, PC_MEMORY, u16, u32 } from './images.js';

function zeroPageOf(r: ReturnType<typeof loadLinux>): Uint8Array {
  if (r.entry.mode !== 'flat32') throw new Error('flat32 expected');
  return at(r.segments, r.entry.state.esi!, 4096);
}

describe('loadLinux with a bzImage', () => {
  it('copies the protected-mode part ((setup_sects + 1) * 512 on) to 0x100000 and enters there', () => {
    const img = buildBzImage();
    const r = loadLinux(img, 'bzImage', PC_MEMORY, { commandLine: 'console=ttyS0' });
    expect(r.segments[0]).toEqual({ address: 0x100000, bytes: img.subarray(5 * 512) });
    expect(r.entry).toEqual({
      mode: 'flat32',
      state: { eip: 0x100000, esi: 0x1000, ebp: 0, edi: 0, ebx: 0, codeSelector: 0x10, dataSelector: 0x18, gdtBase: 0x2000, gdtLimit: 31 },
    });
    expect([...at(r.segments, 0x2010, 16)]).toEqual([0xff, 0xff, 0, 0, 0, 0x9b, 0xcf, 0, 0xff, 0xff, 0, 0, 0, 0x93, 0xcf, 0]);
  });

  it('treats setup_sects 0 as 4', () => {
    const r = loadLinux(buildBzImage({ setupSects: 0 }), 'bzImage', PC_MEMORY, { commandLine: '' });
    expect(r.segments[0].bytes.length).toBe(0x3000);
    expect(parseBzImageHeader(buildBzImage({ setupSects: 0 }), 'bzImage').kernelOffset).toBe(5 * 512);
    expect(parseBzImageHeader(buildBzImage({ setupSects: 2 }), 'bzImage').kernelOffset).toBe(3 * 512);
  });

  it('builds the zero page: setup header copied, type_of_loader 0xFF, cmd_line_ptr, e820 from the board', () => {
    const img = buildBzImage();
    const r = loadLinux(img, 'bzImage', PC_MEMORY, { commandLine: 'console=ttyS0 lpj=82500' });
    const zp = zeroPageOf(r);
    expect(u16(zp, 0x1fe)).toBe(0xaa55);
    expect(u32(zp, 0x202)).toBe(0x53726448);
    expect(u16(zp, 0x206)).toBe(0x020f);
    expect(u32(zp, 0x260)).toBe(0x10000); // init_size copied: the header runs to 0x26C
    expect(zp[0x210]).toBe(0xff);
    expect(zp[0x211] & 1).toBe(1);
    expect(cString(r.segments, u32(zp, 0x228))).toBe('console=ttyS0 lpj=82500');
    expect(u32(zp, 0x218)).toBe(0); // no initrd
    expect(zp[0x1e8]).toBe(4);
    const e820 = [0, 1, 2, 3].map((i) => [u32(zp, 0x2d0 + i * 20), u32(zp, 0x2d0 + i * 20 + 8), u32(zp, 0x2d0 + i * 20 + 16)]);
    expect(e820).toEqual([
      [0, 0xa0000, 1],
      [0xf0000, 0x10000, 2],
      [0x100000, 0x1f00000, 1],
      [0xffff0000, 0x10000, 2],
    ]);
    expect(zp[0]).toBe(0); // outside the header the zero page is zeroed
    expect(zp[0x1f0]).toBe(0);
  });

  it('places the initrd page-aligned at the top of RAM and records it', () => {
    const rd = new Uint8Array(0x1234).fill(0x5a);
    const r = loadLinux(buildBzImage(), 'bzImage', PC_MEMORY, { commandLine: '', initrd: { bytes: rd, file: 'initrd' } });
    const zp = zeroPageOf(r);
    const addr = u32(zp, 0x218);
    expect(addr % 4096).toBe(0);
    expect(addr + rd.length).toBeLessThanOrEqual(0x2000000);
    expect(addr + rd.length).toBeGreaterThan(0x2000000 - 0x2000);
    expect(u32(zp, 0x21c)).toBe(0x1234);
    expect([...at(r.segments, addr, 4)]).toEqual([0x5a, 0x5a, 0x5a, 0x5a]);
  });

  it('keeps the initrd below initrd_addr_max and 896 MiB', () => {
    const rd = new Uint8Array(0x1000);
    const r = loadLinux(buildBzImage({ initrdAddrMax: 0x7fffff }), 'bzImage', PC_MEMORY, { commandLine: '', initrd: { bytes: rd, file: 'initrd' } });
    expect(u32(zeroPageOf(r), 0x218)).toBe(0x7ff000);
    const big = { ram: [{ base: 0, size: 0xa0000 }, { base: 0x100000, size: 0x3ff00000 }] }; // 1 GiB
    const r2 = loadLinux(buildBzImage(), 'bzImage', big, { commandLine: '', initrd: { bytes: rd, file: 'initrd' } });
    expect(u32(zeroPageOf(r2), 0x218)).toBe(0x38000000 - 0x1000);
  });

  it('keeps the initrd out of the kernel\'s decompression space (init_size)', () => {
    const small = { ram: [{ base: 0, size: 0xa0000 }, { base: 0x100000, size: 0x100000 }] }; // RAM to 2 MiB
    const rd = new Uint8Array(0x80000);
    expect(() => loadLinux(buildBzImage({ initSize: 0xc0000 }), 'bzImage', small, { commandLine: '', initrd: { bytes: rd, file: 'rd.img' } })).toThrow(/^rd\.img: no free RAM/);
    const ok = loadLinux(buildBzImage({ initSize: 0x80000 }), 'bzImage', small, { commandLine: '', initrd: { bytes: rd, file: 'rd.img' } });
    expect(u32(zeroPageOf(ok), 0x218)).toBe(0x180000);
  });

  describe('rejects, naming the field', () => {
    const load = (spec: Parameters<typeof buildBzImage>[0], cmd = '') => () => loadLinux(buildBzImage(spec), 'bzImage', PC_MEMORY, { commandLine: cmd });
    it('a missing boot sector signature', () => expect(load({ bootFlag: 0x1234 })).toThrow(/^bzImage: .*boot_flag \(offset 0x1FE\) is 0x1234/));
    it('a missing "HdrS"', () => expect(load({ magic: 0 })).toThrow(/magic \(offset 0x202\)/));
    it('protocol below 2.02', () => expect(load({ version: 0x0201 })).toThrow(/version \(offset 0x206\) is 2.01 \(0x0201\); at least 2.02/));
    it('no LOADED_HIGH', () => expect(load({ loadflags: 0 })).toThrow(/loadflags \(offset 0x211\) lacks LOADED_HIGH/));
    it('a truncated protected-mode part (syssize)', () => expect(load({ syssize: 0x1000 })).toThrow(/truncated: syssize/));
    it('setup_sects past the end of the file', () => {
      expect(() => loadLinux(buildBzImage({ pm: new Uint8Array(0) }), 'bzImage', PC_MEMORY, { commandLine: '' })).toThrow(/setup_sects .* past the end/);
    });
    it('init_size beyond the board\'s RAM', () => expect(load({ initSize: 0x2000000 })).toThrow(/init_size/));
    it('a command line longer than cmdline_size', () => {
      expect(load({ cmdlineSize: 10 }, 'console=ttyS0 lpj=1')).toThrow(/command line is 19 bytes; this kernel accepts at most 10 \(cmdline_size\)/);
      expect(load({ version: 0x0205 }, 'x'.repeat(256))).toThrow(/at most 255/);
    });
    it('an empty initrd or one that does not fit', () => {
      expect(() => loadLinux(buildBzImage(), 'bzImage', PC_MEMORY, { commandLine: '', initrd: { bytes: new Uint8Array(0), file: 'rd' } })).toThrow(/^rd: the initrd is empty/);
      expect(() => loadLinux(buildBzImage(), 'bzImage', PC_MEMORY, { commandLine: '', initrd: { bytes: new Uint8Array(0x2000000), file: 'rd' } })).toThrow(/^rd: no free RAM/);
    });
  });
});

describe('loadLinux with a vmlinux', () => {
  const vmlinux = (entry: number) =>
    buildElf({
      entry,
      segments: [
        { paddr: 0x100000, vaddr: 0xc0100000, data: [0xfa, 0xf4] },
        { paddr: 0x110000, vaddr: 0xc0110000, data: [1], memsz: 0x10000 },
      ],
    });
  it('loads segments at p_paddr and enters at the physical entry, stored physical or virtual', () => {
    for (const e of [0x100000, 0xc0100000]) {
      const r = loadLinux(vmlinux(e), 'vmlinux', PC_MEMORY, { commandLine: 'quiet' });
      expect(r.segments.map((s) => s.address).slice(0, 2)).toEqual([0x100000, 0x110000]);
      expect(r.entry).toMatchObject({ mode: 'flat32', state: { eip: 0x100000, esi: 0x1000, ebx: 0, edi: 0, ebp: 0 } });
    }
  });
  it('builds a zero page from scratch with the boot header fields the kernel reads', () => {
    const r = loadLinux(vmlinux(0x100000), 'vmlinux', PC_MEMORY, { commandLine: 'quiet' });
    const zp = zeroPageOf(r);
    expect(u16(zp, 0x1fe)).toBe(0xaa55);
    expect(u32(zp, 0x202)).toBe(0x53726448);
    expect(u16(zp, 0x206)).toBe(0x0206);
    expect(zp[0x210]).toBe(0xff);
    expect(cString(r.segments, u32(zp, 0x228))).toBe('quiet');
    expect(zp[0x1e8]).toBe(4);
  });
  it('places an initrd above the kernel image', () => {
    const r = loadLinux(vmlinux(0x100000), 'vmlinux', PC_MEMORY, { commandLine: '', initrd: { bytes: new Uint8Array(0x3000), file: 'rd' } });
    expect(u32(zeroPageOf(r), 0x218)).toBe(0x2000000 - 0x3000);
  });
});

describe('defaultLinuxCommandLine', () => {
  it('gives console=ttyS0 and lpj = clock / (HZ 100 x 4 clocks per delay loop) for each board', () => {
    expect(defaultLinuxCommandLine(BOARDS['pc-i486'])).toBe('console=ttyS0 lpj=82500');
    expect(linuxLoopsPerJiffy(BOARDS.vortex86sx)).toBe(750_000);
    expect(linuxLoopsPerJiffy(BOARDS['elan-sc410'])).toBe(250_000);
  });
});

describe('the guest Linux images', () => {
  const guests = inject('guests');
  const linux = guests?.linux;
  const available = !!linux && existsSync(linux.bzImage) && existsSync(linux.vmlinux);
  it.runIf(available)('loads the built bzImage on pc-i486 with its real setup header', () => {
    const img = new Uint8Array(readFileSync(linux!.bzImage));
    const h = parseBzImageHeader(img, 'bzImage');
    expect(h.version).toBeGreaterThanOrEqual(0x020f);
    const r = loadLinux(img, 'bzImage', BOARDS['pc-i486'].memory, { commandLine: defaultLinuxCommandLine(BOARDS['pc-i486']) });
    expect(r.entry).toMatchObject({ state: { eip: 0x100000 } });
    expect(r.segments[0].bytes.length).toBe(img.length - h.kernelOffset);
  });
  it.runIf(available)('loads the built vmlinux on pc-i486 at 0x100000', () => {
    const img = new Uint8Array(readFileSync(linux!.vmlinux));
    const r = loadLinux(img, 'vmlinux', BOARDS['pc-i486'].memory, { commandLine: 'console=ttyS0' });
    expect(r.entry).toMatchObject({ state: { eip: 0x100000 } });
    expect(r.segments[0].address).toBe(0x100000);
  });
});
