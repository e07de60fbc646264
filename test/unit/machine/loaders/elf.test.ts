// Specification of the ELF32 loader: header checks, PT_LOAD segments at p_paddr with zero fill, flat 32-bit entry.
import { describe, expect, it } from 'vitest';
import { ImageError } from '../../../../src/machine/loaders/image-error.js';
import { loadElf } from '../../../../src/machine/loaders/elf.js';
import { at, buildElf, PC_MEMORY } from './images.js';

const code = [0xb8, 1, 0, 0, 0, 0xf4]; // mov eax,1; hlt

function expectImageError(f: () => unknown, pattern: RegExp): void {
  let caught: unknown;
  try {
    f();
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeInstanceOf(ImageError);
  expect((caught as ImageError).message).toMatch(/^prog\.elf: /);
  expect((caught as ImageError).message).toMatch(pattern);
}

describe('loadElf', () => {
  it('places PT_LOAD segments at p_paddr, zero-filling up to p_memsz', () => {
    const elf = buildElf({ entry: 0x100000, segments: [{ paddr: 0x100000, data: code }, { paddr: 0x101000, data: [9, 9], memsz: 0x20 }] });
    const r = loadElf(elf, 'prog.elf', PC_MEMORY);
    expect(r.segments[0]).toEqual({ address: 0x100000, bytes: new Uint8Array(code) });
    expect(r.segments[1].address).toBe(0x101000);
    expect(r.segments[1].bytes.length).toBe(0x20);
    expect([...r.segments[1].bytes.subarray(0, 4)]).toEqual([9, 9, 0, 0]);
  });

  it('enters in flat 32-bit mode at e_entry with CS 0x10 / DS 0x18 and a flat GDT at 0x1000', () => {
    const r = loadElf(buildElf({ entry: 0x100002, segments: [{ paddr: 0x100000, data: code }] }), 'prog.elf', PC_MEMORY);
    expect(r.entry).toEqual({ mode: 'flat32', state: { eip: 0x100002, codeSelector: 0x10, dataSelector: 0x18, gdtBase: 0x1000, gdtLimit: 31 } });
    const gdt = at(r.segments, 0x1000, 32);
    expect([...gdt.subarray(0, 16)]).toEqual(new Array(16).fill(0));
    expect([...gdt.subarray(16, 24)]).toEqual([0xff, 0xff, 0, 0, 0, 0x9b, 0xcf, 0]);
    expect([...gdt.subarray(24, 32)]).toEqual([0xff, 0xff, 0, 0, 0, 0x93, 0xcf, 0]);
  });

  it('moves the GDT clear of an image loaded in low memory', () => {
    const r = loadElf(buildElf({ entry: 0x1000, segments: [{ paddr: 0x1000, data: new Uint8Array(0x2000) }] }), 'prog.elf', PC_MEMORY);
    expect(r.entry.mode === 'flat32' && r.entry.state.gdtBase).toBe(0x3000);
  });

  it('translates a virtual e_entry through its segment (kernel linked at a virtual base)', () => {
    const elf = buildElf({ entry: 0xc0100004, segments: [{ paddr: 0x100000, vaddr: 0xc0100000, data: code }] });
    const r = loadElf(elf, 'prog.elf', PC_MEMORY);
    expect(r.entry.mode === 'flat32' && r.entry.state.eip).toBe(0x100004);
  });

  it('ignores non-LOAD program headers', () => {
    const elf = buildElf({ entry: 0x100000, segments: [{ paddr: 0x100000, data: code }, { paddr: 0, data: [1, 2, 3], type: 4 }] });
    expect(loadElf(elf, 'prog.elf', PC_MEMORY).segments).toHaveLength(2); // the LOAD and the GDT
  });

  describe('rejects, naming the field', () => {
    const ok = () => buildElf({ entry: 0x100000, segments: [{ paddr: 0x100000, data: code }] });
    it('bad magic', () => {
      const b = ok();
      b[1] = 0x46;
      expectImageError(() => loadElf(b, 'prog.elf', PC_MEMORY), /not an ELF file/);
    });
    it('64-bit class, big-endian data, wrong machine, non-EXEC type, odd phentsize', () => {
      expectImageError(() => loadElf(buildElf({ entry: 0, segments: [{ paddr: 0x100000, data: code }], cls: 2 }), 'prog.elf', PC_MEMORY), /EI_CLASS is 2/);
      expectImageError(() => loadElf(buildElf({ entry: 0, segments: [{ paddr: 0x100000, data: code }], data: 2 }), 'prog.elf', PC_MEMORY), /EI_DATA is 2/);
      expectImageError(() => loadElf(buildElf({ entry: 0, segments: [{ paddr: 0x100000, data: code }], machine: 62 }), 'prog.elf', PC_MEMORY), /e_machine is 62/);
      expectImageError(() => loadElf(buildElf({ entry: 0, segments: [{ paddr: 0x100000, data: code }], type: 1 }), 'prog.elf', PC_MEMORY), /e_type is 1/);
      expectImageError(() => loadElf(buildElf({ entry: 0, segments: [{ paddr: 0x100000, data: code }], phentsize: 56 }), 'prog.elf', PC_MEMORY), /e_phentsize is 56/);
    });
    it('no program headers, or no PT_LOAD', () => {
      expectImageError(() => loadElf(buildElf({ entry: 0, segments: [] }), 'prog.elf', PC_MEMORY), /e_phnum is 0/);
      expectImageError(() => loadElf(buildElf({ entry: 0, segments: [{ paddr: 0, data: [1], type: 4 }] }), 'prog.elf', PC_MEMORY), /no PT_LOAD/);
    });
    it('truncated header, program header table or segment data', () => {
      expectImageError(() => loadElf(ok().subarray(0, 40), 'prog.elf', PC_MEMORY), /truncated: ELF header/);
      expectImageError(() => loadElf(ok().subarray(0, 60), 'prog.elf', PC_MEMORY), /truncated: program header table/);
      expectImageError(() => loadElf(ok().subarray(0, 86), 'prog.elf', PC_MEMORY), /truncated: segment 0 file data/);
    });
    it('p_filesz larger than p_memsz', () => {
      expectImageError(() => loadElf(buildElf({ entry: 0x100000, segments: [{ paddr: 0x100000, data: code, memsz: 2 }] }), 'prog.elf', PC_MEMORY), /p_filesz 0x6 exceeds p_memsz 0x2/);
    });
    it('segments outside RAM (the 640 KiB-1 MiB hole, past the top)', () => {
      expectImageError(() => loadElf(buildElf({ entry: 0xb8000, segments: [{ paddr: 0xb8000, data: code }] }), 'prog.elf', PC_MEMORY), /segment 0 \(p_paddr\) at 0xb8000.*not inside the board's RAM/);
      expectImageError(() => loadElf(buildElf({ entry: 0x1fffffe, segments: [{ paddr: 0x1fffffe, data: code }] }), 'prog.elf', PC_MEMORY), /not inside the board's RAM/);
    });
    it('huge p_memsz, before allocating it', () => {
      expectImageError(() => loadElf(buildElf({ entry: 0x100000, segments: [{ paddr: 0x100000, data: code, memsz: 0xf0000000 }] }), 'prog.elf', PC_MEMORY), /larger than the board's/);
    });
    it('segments past 4 GiB', () => {
      expectImageError(() => loadElf(buildElf({ entry: 0xfffffff0, segments: [{ paddr: 0xfffffff0, data: code, memsz: 0x20 }] }), 'prog.elf', PC_MEMORY), /runs past 4 GiB/);
    });
    it('overlapping segments', () => {
      const elf = buildElf({ entry: 0x100000, segments: [{ paddr: 0x100000, data: code, memsz: 0x100 }, { paddr: 0x100080, data: code }] });
      expectImageError(() => loadElf(elf, 'prog.elf', PC_MEMORY), /segment 1 at 0x100080 overlaps segment 0/);
    });
    it('an entry point outside every segment', () => {
      expectImageError(() => loadElf(buildElf({ entry: 0x200000, segments: [{ paddr: 0x100000, data: code }] }), 'prog.elf', PC_MEMORY), /e_entry 0x200000 is outside every loadable segment/);
    });
  });
});
