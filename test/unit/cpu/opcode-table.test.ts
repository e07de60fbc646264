// Every opcode of the table runs to a defined outcome; opcodes outside the table (or outside the model) raise #UD.
import { describe, test, expect } from 'vitest';
import { OPCODES, LOCKABLE } from '../../../src/cpu/x86/opcode-table.js';
import { CPU_MODELS } from '../../../src/cpu/x86/models.js';
import { machine, writeFlatGdt, asm, PM_PRELUDE, peek32 } from '../../cpu/harness.js';

const prelude = asm(PM_PRELUDE + `mov esp, 0x80000\nmov ebx, 0x4000\nmov esi, 0x4100\nmov edi, 0x4200\nxor ecx, ecx\njmp 0x40000`, 32, 0x10000);

/** Run one instruction (bytes) after the prelude; returns the vector recorded by the stubs (-1 = none). */
function runOne(bytes: number[]): { vector: number; internal: number } {
  const m = machine({ ramKiB: 1024 });
  writeFlatGdt(m.bus);
  m.bus.loadBytes(0x10000, prelude);
  m.bus.loadBytes(0x40000, Uint8Array.from([...bytes, 0xf4]));
  m.cpu.enterFlatProtectedMode({ eip: 0x10000, esp: 0x80000, codeSelector: 8, dataSelector: 0x10, gdtBase: 0x800, gdtLimit: 0x3f });
  m.cpu.run(5000);
  const v = peek32(m, 0x3000);
  return { vector: v === 0xffffffff ? -1 : v, internal: m.cpu.internalErrors };
}

const PREFIXES = new Set([0x26, 0x2e, 0x36, 0x3e, 0x64, 0x65, 0x66, 0x67, 0xf0, 0xf2, 0xf3, 0x0f]);

describe('opcode table', () => {
  const cases: [string, number][] = [];
  for (let op = 0; op < 512; op++) if (!PREFIXES.has(op)) cases.push([op.toString(16).padStart(3, '0'), op]);

  test.each(cases)('opcode %s: a defined outcome with register and memory operands', (_name, op) => {
    const lead = op >= 0x100 ? [0x0f, op & 0xff] : [op];
    const row = OPCODES[op];
    const available = row !== undefined && (!row.needs || CPU_MODELS.i486sx.groups[row.needs]);
    let someFormDefined = false;
    for (const modrm of [0x03, 0xc3, 0x1b, 0xdb, 0x0e, 0x23, 0x2b, 0x33, 0x3b, 0x13, 0x0b]) { // memory and register forms, several /reg
      const r = runOne([...lead, modrm, 0x01, 0x00, 0x00, 0x00, 0x00]);
      if (r.vector !== 6) someFormDefined = true;
      expect(r.internal).toBe(0);
      if (!row) expect(r.vector, `undefined opcode ${op.toString(16)} must be #UD`).toBe(6);
      else if (row.needs && !CPU_MODELS.i486sx.groups[row.needs]) expect(r.vector, `${row.m} needs ${row.needs}`).toBe(6);
    }
    // RET pops a zero return address and runs into whatever is there, so its outcome is not its own.
    if (available && op !== 0xc2 && op !== 0xc3) expect(someFormDefined, `table opcode ${op.toString(16)} (${row!.m ?? row!.group?.join('/')}) is #UD in every form`).toBe(true);
  });

  test('LOCK is accepted exactly where the table allows it', () => {
    for (let op = 0; op < 512; op++) {
      if (PREFIXES.has(op) || !OPCODES[op] || (OPCODES[op]!.needs && !CPU_MODELS.i486sx.groups[OPCODES[op]!.needs!])) continue;
      const lead = op >= 0x100 ? [0x0f, op & 0xff] : [op];
      for (let reg = 0; reg < 8; reg++) {
        const r = runOne([0xf0, ...lead, 0x03 | (reg << 3), 1, 0, 0, 0, 0]);
        const legal = ((LOCKABLE[op] >> reg) & 1) === 1;
        if (!legal) expect(r.vector, `lock ${op.toString(16)} /${reg}`).toBe(6);
        else expect(r.vector, `lock ${op.toString(16)} /${reg}`).not.toBe(6);
      }
    }
  });
});
