// Specification of validateBoard: every rule a board description must satisfy, one test per rule.
import { describe, expect, it } from 'vitest';
import { board as pcI486 } from '../../../boards/pc-i486/board.js';
import { formatBoardErrors, isoUtcProblem, validateBoard, type BoardError } from '../../../src/machine/validate-board.js';

/** A deep copy of the reference board as plain JSON, to mutate. */
function base(): any {
  return JSON.parse(JSON.stringify(pcI486));
}

function errorsOf(input: unknown): BoardError[] {
  const r = validateBoard(input);
  return r.ok ? [] : r.errors;
}

function expectError(input: unknown, path: string, pattern: RegExp): void {
  const errors = errorsOf(input);
  const hit = errors.find((e) => e.path === path && pattern.test(e.message));
  expect(hit, `expected an error at '${path}' matching ${pattern}, got ${JSON.stringify(errors, null, 1)}`).toBeDefined();
}

function dev(b: any, name: string): any {
  return b.devices.find((d: any) => d.name === name);
}

describe('validateBoard', () => {
  it('accepts the reference board and returns it typed', () => {
    const r = validateBoard(base());
    expect(r).toEqual({ ok: true, board: base() });
  });

  it('rejects a non-object with a located error', () => {
    expect(errorsOf(42)).toEqual([{ path: '', message: expect.stringMatching(/must be an object/) }]);
    expect(errorsOf(null)[0].path).toBe('');
    expect(errorsOf([])[0].path).toBe('');
  });

  describe('top-level fields', () => {
    it('requires every field', () => {
      for (const k of ['name', 'summary', 'references', 'cpu', 'memory', 'devices', 'reset']) {
        const b = base();
        delete b[k];
        expectError(b, k, /is required/);
      }
    });
    it('checks field types', () => {
      const b = base();
      b.name = 7;
      b.references = 'x';
      b.cpu = [];
      expectError(b, 'name', /must be a string, not 7/);
      expectError(b, 'references', /must be an array/);
      expectError(b, 'cpu', /must be an object, not an array/);
    });
    it('rejects unknown fields (typos)', () => {
      const b = base();
      b.devcies = [];
      dev(b, 'uart0').irqq = 4;
      expectError(b, 'devcies', /not a known field/);
      expectError(b, 'devices[4].irqq', /not a known field/);
    });
    it('checks the name format', () => {
      for (const bad of ['PC', '1pc', 'pc i486', '', 'pc_i486', 'a'.repeat(41)]) {
        const b = base();
        b.name = bad;
        expectError(b, 'name', /lower-case letters, digits or dashes/);
      }
    });
    it('requires non-empty reference strings', () => {
      const b = base();
      b.references = ['ok', '', 3];
      expectError(b, 'references[1]', /non-empty string/);
      expectError(b, 'references[2]', /non-empty string, not 3/);
    });
  });

  describe('cpu', () => {
    it('rejects an unknown CPU model and lists the known ones', () => {
      const b = base();
      b.cpu.model = 'pentium';
      expectError(b, 'cpu.model', /unknown CPU model "pentium" \(known: .*i486sx.*vortex86sx.*elan-sc410/);
    });
    it('rejects a frequency outside 1 MHz..4 GHz or not whole', () => {
      for (const f of [0, 999_999, 4_000_000_001, 33.5, Number.NaN, Infinity, '33MHz']) {
        const b = base();
        b.cpu.frequencyHz = f;
        expectError(b, 'cpu.frequencyHz', /Hz/);
      }
    });
    it('rejects an FPU the CPU model does not have', () => {
      const b = base();
      b.cpu.fpu = true;
      expectError(b, 'cpu.fpu', /has no x87 FPU/);
    });
  });

  describe('memory', () => {
    it('rejects unaligned RAM ranges', () => {
      const b = base();
      b.memory.ram[1] = { base: 0x100800, size: 0x1000 };
      b.memory.ram.push({ base: 0x3000000, size: 0x1234 });
      expectError(b, 'memory.ram[1].base', /not 4 KiB aligned/);
      expectError(b, 'memory.ram[2].size', /not a multiple of 4 KiB/);
    });
    it('rejects overlapping RAM ranges', () => {
      const b = base();
      b.memory.ram.push({ base: 0x200000, size: 0x1000 });
      expectError(b, 'memory.ram[2]', /overlaps memory.ram\[1\]/);
    });
    it('rejects RAM above the 4 GiB space (top 1 MiB reserved for the ROM alias)', () => {
      const b = base();
      b.memory.ram.push({ base: 0xfff0_0000, size: 0x1000 });
      b.memory.rom = [];
      expectError(b, 'memory.ram[2]', /ends above 0xFFEFFFFF/);
      const c = base();
      c.memory.ram.push({ base: 0x1_0000_0000, size: 0x1000 });
      expectError(c, 'memory.ram[2].base', /outside/);
    });
    it('rejects too little RAM, an empty list and no RAM at 0', () => {
      const b = base();
      b.memory.ram = [{ base: 0, size: 0x10000 }];
      expectError(b, 'memory.ram', /below the minimum/);
      const c = base();
      c.memory.ram = [];
      expectError(c, 'memory.ram', /at least one/);
      const d = base();
      d.memory.ram = [{ base: 0x100000, size: 0x1000000 }];
      expectError(d, 'memory.ram', /starts at physical 0/);
    });
    it('rejects a zero-size range', () => {
      const b = base();
      b.memory.ram.push({ base: 0x4000000, size: 0 });
      expectError(b, 'memory.ram[2].size', /outside/);
    });
    it('rejects ROM windows overlapping RAM or each other', () => {
      const b = base();
      b.memory.rom.push({ base: 0x90000, size: 0x20000 });
      b.memory.rom.push({ base: 0xffff8000, size: 0x1000 });
      expectError(b, 'memory.rom[2]', /overlaps RAM memory.ram\[0\]/);
      expectError(b, 'memory.rom[3]', /overlaps memory.rom\[1\]/);
    });
    it('rejects a ROM window past 4 GiB', () => {
      const b = base();
      b.memory.rom[1] = { base: 0xffff_f000, size: 0x2000 };
      expectError(b, 'memory.rom[1]', /ends above 0xFFFFFFFF \(4 GiB\)/);
    });
  });

  describe('devices', () => {
    it('rejects an unknown kind and lists the known ones', () => {
      const b = base();
      b.devices.push({ name: 'vga', kind: 'vga', port: 0x3c0 });
      expectError(b, 'devices[11].kind', /unknown device kind "vga" \(known: pic8259/);
    });
    it('rejects duplicate and badly formed device names', () => {
      const b = base();
      dev(b, 'uart1').name = 'uart0';
      dev(b, 'post').name = 'Post Code';
      expectError(b, 'devices[5].name', /already used by devices\[4\]/);
      expectError(b, 'devices[10].name', /lower-case letters/);
    });
    it('requires each kind\'s fields with the right types and ranges', () => {
      const b = base();
      delete dev(b, 'pit').inputHz;
      dev(b, 'uart0').timing = 'fast';
      dev(b, 'uart1').clockHz = -1;
      dev(b, 'pic-slave').role = 'boss';
      dev(b, 'debugcon').port = '0xe9';
      expectError(b, 'devices[2].inputHz', /is required/);
      expectError(b, 'devices[4].timing', /one of 'instant', 'baud'/);
      expectError(b, 'devices[5].clockHz', /outside/);
      expectError(b, 'devices[1].role', /one of 'master', 'slave'/);
      expectError(b, 'devices[8].port', /must be an integer/);
    });
    it('rejects ports that do not fit in the 64 K port space', () => {
      const b = base();
      dev(b, 'uart0').port = 0xfffa; // 8 ports would run past 0xFFFF
      dev(b, 'kbc').port = 0xfffc; // port + 4 would run past 0xFFFF
      expectError(b, 'devices[4].port', /outside 0x0..0xFFF8/);
      expectError(b, 'devices[6].port', /outside 0x0..0xFFFB/);
    });
    it('rejects port ranges overlapping between devices, counting each kind\'s width', () => {
      const b = base();
      dev(b, 'debugcon').port = 0x3fc; // inside uart0's 0x3F8..0x3FF
      expectError(b, 'devices[8].port', /port 0x3FC of 'debugcon' .* also decoded by devices\[4\] 'uart0'/);
      const c = base();
      dev(c, 'post').port = 0x64; // the kbc's command port (0x60 + 4)
      expectError(c, 'devices[10].port', /0x64 .* devices\[6\] 'kbc'/);
      const d = base();
      dev(d, 'post').port = 0x61; // the PIT's port B
      expectError(d, 'devices[10].port', /0x61 .* devices\[2\] 'pit'/);
      const e = base();
      dev(e, 'post').port = 0x43; // the PIT's control word
      expectError(e, 'devices[10].port', /0x43/);
    });
    it('reports a watchdog overlapping the master PIC only when ports really overlap (2 ports)', () => {
      const b = base();
      b.devices.push({ name: 'wdt', kind: 'watchdog', port: 0x22, model: 'elan-sc410' });
      expect(validateBoard(b).ok).toBe(true);
      b.devices[11].port = 0x21;
      expectError(b, 'devices[11].port', /0x21 .* 'pic-master'/);
      b.devices[11].port = 0x22;
      b.devices[11].model = 'sc520';
      expectError(b, 'devices[11].model', /one of 'elan-sc410'/);
    });
    it('rejects IRQs outside 0..15', () => {
      const b = base();
      dev(b, 'uart0').irq = 16;
      dev(b, 'uart1').irq = -1;
      expectError(b, 'devices[4].irq', /IRQ 16 is outside 0..15/);
      expectError(b, 'devices[5].irq', /IRQ -1 is outside 0..15/);
    });
    it('rejects an IRQ used twice', () => {
      const b = base();
      dev(b, 'uart1').irq = 4;
      expectError(b, 'devices[5].irq', /IRQ 4 of 'uart1' is already used by devices\[4\] 'uart0'/);
    });
    it('rejects IRQ 2 on a device while the slave cascades there', () => {
      const b = base();
      dev(b, 'uart1').irq = 2;
      expectError(b, 'devices[5].irq', /IRQ 2, the master input the slave 8259 'pic-slave' cascades into/);
    });
    it('requires a master 8259 when any device has an IRQ', () => {
      const b = base();
      b.devices = b.devices.filter((d: any) => d.kind !== 'pic8259');
      expectError(b, 'devices[0].irq', /no master 8259/);
    });
    it('rejects a slave without a master, and IRQs 8..15 without a slave', () => {
      const b = base();
      b.devices = b.devices.filter((d: any) => d.name !== 'pic-master');
      expectError(b, 'devices[0]', /slave 8259 'pic-slave' has no master/);
      const c = base();
      c.devices = c.devices.filter((d: any) => d.name !== 'pic-slave');
      expectError(c, 'devices[2].irq', /IRQ 8 but the board has no slave 8259/);
    });
    it('requires cascadeInput 0..7 on a slave and forbids it on a master', () => {
      const b = base();
      delete dev(b, 'pic-slave').cascadeInput;
      dev(b, 'pic-master').cascadeInput = 2;
      expectError(b, 'devices[1].cascadeInput', /is required/);
      expectError(b, 'devices[0].cascadeInput', /only to a slave/);
      const c = base();
      dev(c, 'pic-slave').cascadeInput = 9;
      expectError(c, 'devices[1].cascadeInput', /outside 0..7/);
    });
    it('rejects a second master, slave, PIT or RTC', () => {
      const b = base();
      b.devices.push({ name: 'pic3', kind: 'pic8259', port: 0x400, role: 'master' });
      b.devices.push({ name: 'pic4', kind: 'pic8259', port: 0x402, role: 'slave', cascadeInput: 3 });
      b.devices.push({ name: 'pit2', kind: 'pit8254', port: 0x48, irq: 5, inputHz: 1193182 });
      b.devices.push({ name: 'rtc2', kind: 'cmos-rtc', port: 0x170, irq: 9, startTime: '2024-01-01T00:00:00Z' });
      expectError(b, 'devices[11].role', /second master/);
      expectError(b, 'devices[12].role', /second slave/);
      expectError(b, 'devices[13]', /second pit8254/);
      expectError(b, 'devices[14]', /second cmos-rtc/);
    });
    it('requires startTime as an ISO 8601 UTC date-time', () => {
      for (const bad of ['2024-01-01', '2024-01-01T00:00:00', '2024-01-01T00:00:00+01:00', '2024-02-30T00:00:00Z', '2024-13-01T00:00:00Z', '1899-12-31T23:59:59Z', 'now']) {
        const b = base();
        dev(b, 'rtc').startTime = bad;
        expectError(b, 'devices[3].startTime', /ISO 8601 UTC|real date|outside 1900..2099/);
      }
      expect(isoUtcProblem('2024-02-29T23:59:59.5Z')).toBeUndefined();
      expect(isoUtcProblem('2023-02-29T00:00:00Z')).toMatch(/real date/);
    });
    it('checks the power-off value', () => {
      const b = base();
      b.devices.push({ name: 'poweroff', kind: 'power-off', port: 0x604, value: 0x10000 });
      expectError(b, 'devices[11].value', /outside/);
      b.devices[11].value = 0x2000;
      expect(validateBoard(b).ok).toBe(true);
    });
  });

  describe('reset policy', () => {
    it('accepts only the listed values', () => {
      const b = base();
      b.reset = { onReset: 'reboot', onTripleFault: 1 };
      expectError(b, 'reset.onReset', /one of 'end', 'restart'/);
      expectError(b, 'reset.onTripleFault', /one of 'reset', 'stop'/);
    });
  });

  it('reports every problem, not just the first', () => {
    const b = base();
    b.name = 'Bad';
    b.cpu.model = 'z80';
    dev(b, 'uart0').irq = 99;
    b.reset.onReset = 'x';
    const paths = errorsOf(b).map((e) => e.path);
    expect(paths).toEqual(expect.arrayContaining(['name', 'cpu.model', 'devices[4].irq', 'reset.onReset']));
  });
});

describe('formatBoardErrors', () => {
  it('prints one line per error with the board name and path', () => {
    const text = formatBoardErrors('my-board', [
      { path: 'devices[3].irq', message: 'IRQ 16 is outside 0..15' },
      { path: '', message: 'a board description must be an object, not 3' },
    ]);
    expect(text.split('\n')).toEqual([
      "board 'my-board': devices[3].irq: IRQ 16 is outside 0..15",
      "board 'my-board': a board description must be an object, not 3",
    ]);
  });
});
