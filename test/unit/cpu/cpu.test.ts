// The Cpu's public API: reset state, model identification, EFLAGS toggles Linux probes, run() stops, traces; on both engines.
import { describe, test, expect } from 'vitest';
import { peek32, ENGINES, onEngine } from '../../cpu/harness.js';
import { CPU_MODELS } from '../../../src/cpu/x86/models.js';

for (const engine of ENGINES) describe(`${engine} engine`, () => {
  const { machine, flat, real } = onEngine(engine);

  describe('reset', () => {
    test('power-on state is real mode at F000:FFF0 with the component ID in EDX', () => {
      const { cpu } = machine();
      expect(cpu.cs).toBe(0xf000);
      expect(cpu.eip).toBe(0xfff0);
      expect(cpu.edx).toBe(CPU_MODELS.i486sx.resetEdx);
      expect(cpu.cr0 >>> 0).toBe(0x60000010);
      expect(cpu.eflags).toBe(2);
      expect(cpu.segBase[1]).toBe(0xffff0000);
    });

    test('the first instruction is fetched from physical FFFFFFF0', () => {
      const m = machine();
      const rom = new Uint8Array(0x10000);
      rom.set([0xb8, 0x34, 0x12, 0xf4], 0xfff0); // mov ax, 0x1234; hlt
      m.bus.mapRom('bios', 0xffff0000, rom);
      expect(m.cpu.run(100)).toBe('halt');
      expect(m.cpu.eax).toBe(0x1234);
    });
  });

  describe('models', () => {
    test.each(Object.keys(CPU_MODELS))('%s answers CPUID with its vendor, family and no features', (name) => {
      const model = CPU_MODELS[name];
      const m = flat(`xor eax, eax\ncpuid\nmov [0x3000], ebx\nmov [0x3004], edx\nmov [0x3008], ecx\nmov eax, 1\ncpuid\nmov [0x300c], eax\nmov [0x3010], edx\nhlt`, { model: name });
      m.cpu.run(100);
      expect(Buffer.from(m.bus.ram.slice(0x3000, 0x300c)).toString('latin1')).toBe(model.vendor);
      expect((peek32(m, 0x300c) >> 8) & 0xf).toBe(model.family);
      expect(peek32(m, 0x3010)).toBe(0);
      expect(model.fpu).toBe(false);
    });

    test('EFLAGS.AC and EFLAGS.ID toggle (486 with CPUID, as Linux probes)', () => {
      const m = flat(`pushfd\npop eax\nxor eax, 0x240000\npush eax\npopfd\npushfd\npop ebx\nhlt`);
      m.cpu.run(100);
      expect((m.cpu.eax ^ m.cpu.ebx) & 0x240000).toBe(0);
    });
  });

  describe('run()', () => {
    test('stops on budget and counts retired instructions', () => {
      const m = flat(`top: inc eax\njmp top`);
      expect(m.cpu.run(1000)).toBe('budget');
      expect(m.cpu.instructions).toBe(1000);
      expect(m.cpu.eax).toBe(500);
    });

    test('stops when the clock reaches the next event and charges model cycles', () => {
      const m = flat(`top: inc eax\njmp top`);
      let fired = 0;
      const t = m.clock.createTimer('t', () => { fired++; });
      t.set(100);
      expect(m.cpu.run(1_000_000)).toBe('event');
      expect(m.clock.now).toBeGreaterThanOrEqual(100);
      expect(m.clock.now).toBeLessThan(110);
      m.clock.runDue();
      expect(fired).toBe(1);
    });

    test('uniform cycles charge one cycle per instruction', () => {
      const m = flat(`mov ecx, 10\ntop: loop top\nhlt`, { uniform: true });
      m.cpu.run(1000);
      expect(m.clock.now).toBe(m.cpu.instructions);
    });

    test('trace is called before every instruction', () => {
      const m = real(`nop\nnop\nhlt`);
      const eips: number[] = [];
      m.cpu.trace = (c) => eips.push(c.eip);
      m.cpu.run(100);
      expect(eips).toEqual([0x7c00, 0x7c01, 0x7c02]);
    });

    test('an NMI wakes HLT even with IF=0 and is blocked until IRET', () => {
      const m = real(`
        xor ax, ax
        mov ds, ax
        mov word [8], nmi
        mov word [10], 0
        cli
        hlt
        mov byte [0x600], 1
        hlt
      nmi: inc byte [0x601]
        iret`);
      expect(m.cpu.run(100)).toBe('halt');
      m.pic.nmi = true;
      expect(m.cpu.run(100)).toBe('halt');
      expect(m.bus.ram[0x601]).toBe(1);
      expect(m.bus.ram[0x600]).toBe(1);
    });
  });

  describe('faults count towards the budget', () => {
    test('a handler that faults at once forever still ends run() on budget', () => {
      // Every IVT vector points at 0000:0500, which reads a word at DS:FFFF (#GP in real mode).
      const m = machine({ ramKiB: 256 });
      m.bus.ram.set([0xa1, 0xff, 0xff], 0x500);
      for (let v = 0; v < 256; v++) m.bus.ram.set([0x00, 0x05, 0x00, 0x00], v * 4);
      m.cpu.enterRealMode(0, 0x500, { esp: 0x7000 });
      expect(m.cpu.run(10_000)).toBe('budget');
      expect(m.cpu.lastException).toBe(13);
    });
  });
});
