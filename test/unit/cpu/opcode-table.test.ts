// Every opcode of the table runs to a defined outcome; opcodes outside the table (or outside the model) raise #UD; the flag and exception columns are complete and consistent. Opcodes run on both engines.
import { describe, test, expect } from 'vitest';
import { OPCODES, LOCKABLE, opcodeEntries, opcodeEntry, flagMasks, FLAG_BITS } from '../../../src/cpu/x86/opcode-table.js';
import { CPU_MODELS } from '../../../src/cpu/x86/models.js';
import type { CpuSnapshot } from '../../../src/cpu/x86/cpu.js';
import { machine, writeFlatGdt, asm, PM_PRELUDE, peek32, ENGINES, engineOptions, type Engine, type TestMachine } from '../../cpu/harness.js';

const prelude = asm(PM_PRELUDE + `mov esp, 0x80000\nmov ebx, 0x4000\nmov esi, 0x4100\nmov edi, 0x4200\nxor ecx, ecx\njmp 0x40000`, 32, 0x10000);

/**
 * One machine per engine, with its RAM and CPU state as the prelude leaves them on arrival at
 * 0x40000; each run restores both (loadState also drops compiled code), so thousands of runs need
 * neither a machine nor a prelude each.
 */
const afterPrelude = new Map<Engine, { m: TestMachine; ram: Uint8Array; cpu: CpuSnapshot }>();
function preludeDone(engine: Engine) {
  let p = afterPrelude.get(engine);
  if (p === undefined) {
    const m = machine({ ramKiB: 1024, ...engineOptions(engine) });
    writeFlatGdt(m.bus);
    m.bus.loadBytes(0x10000, prelude);
    m.cpu.enterFlatProtectedMode({ eip: 0x10000, esp: 0x80000, codeSelector: 8, dataSelector: 0x10, gdtBase: 0x800, gdtLimit: 0x3f });
    for (let i = 0; i < 5000 && m.cpu.eip !== 0x40000; i++) m.cpu.run(1);
    expect(m.cpu.eip, 'the prelude reaches 0x40000').toBe(0x40000);
    p = { m, ram: m.bus.ram.slice(), cpu: m.cpu.saveState() };
    afterPrelude.set(engine, p);
  }
  return p;
}

/** Run one instruction (bytes) after the prelude on `engine`; returns the vector recorded by the stubs (-1 = none). */
function runOne(bytes: number[], engine: Engine): { vector: number; internal: number } {
  const { m, ram, cpu } = preludeDone(engine);
  m.bus.ram.set(ram);
  m.bus.loadBytes(0x40000, Uint8Array.from([...bytes, 0xf4]));
  m.cpu.loadState(cpu);
  const internal = m.cpu.internalErrors;
  m.cpu.run(5000);
  const v = peek32(m, 0x3000);
  return { vector: v === 0xffffffff ? -1 : v, internal: m.cpu.internalErrors - internal };
}

const PREFIXES = new Set([0x26, 0x2e, 0x36, 0x3e, 0x64, 0x65, 0x66, 0x67, 0xf0, 0xf2, 0xf3, 0x0f]);

for (const engine of ENGINES) {
  describe(`opcode table (${engine} engine)`, () => {
    const cases: [string, number][] = [];
    for (let op = 0; op < 512; op++) if (!PREFIXES.has(op)) cases.push([op.toString(16).padStart(3, '0'), op]);

    test.each(cases)('opcode %s: a defined outcome with register and memory operands', (_name, op) => {
      const lead = op >= 0x100 ? [0x0f, op & 0xff] : [op];
      const row = OPCODES[op];
      const available = row !== undefined && (!row.needs || CPU_MODELS.i486sx.groups[row.needs]);
      let someFormDefined = false;
      for (const modrm of [0x03, 0xc3, 0x1b, 0xdb, 0x0e, 0x23, 0x2b, 0x33, 0x3b, 0x13, 0x0b]) { // memory and register forms, several /reg
        const r = runOne([...lead, modrm, 0x01, 0x00, 0x00, 0x00, 0x00], engine);
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
          const r = runOne([0xf0, ...lead, 0x03 | (reg << 3), 1, 0, 0, 0, 0], engine);
          const legal = ((LOCKABLE[op] >> reg) & 1) === 1;
          if (!legal) expect(r.vector, `lock ${op.toString(16)} /${reg}`).toBe(6);
          else expect(r.vector, `lock ${op.toString(16)} /${reg}`).not.toBe(6);
        }
      }
    });
  });

}

/** Exception mnemonics in vector order (the order `x` lists them in). */
const VECTORS = ['#DE', '#DB', '#BP', '#OF', '#BR', '#UD', '#NM', '#TS', '#NP', '#SS', '#GP', '#PF', '#MF', '#AC'];
const items = (field: string) => (field ? field.split(',') : []).map((it) => { const [code, cond] = it.split(':'); return { code, cond }; });
const name = (e: { m: string; o: string; op: number; reg: number }) => `${e.m} ${e.o} (${e.op.toString(16)}${e.reg >= 0 ? '/' + e.reg : ''})`;
const unconditional = (field: string, code: string) => items(field).some((i) => i.code === code && i.cond === undefined);

describe('opcode table: flags and exceptions', () => {
  const entries = opcodeEntries();

  test('every defined row and group entry states f, fr, fu and x (empty string = none)', () => {
    const missing: string[] = [];
    for (let op = 0; op < 512; op++) {
      const r = OPCODES[op];
      if (!r) continue;
      for (let reg = 0; reg < (r.group ? 8 : 1); reg++) {
        if (r.group && r.group[reg] === null) continue;
        const g = r.group ? r.groupFx?.[reg] : undefined;
        for (const k of ['f', 'fr', 'fu', 'x'] as const) if ((g?.[k] ?? r[k]) === undefined) missing.push(`${op.toString(16)}/${reg} ${k}`);
      }
    }
    expect(missing).toEqual([]);
  });

  test('flag fields are lists of EFLAGS letters, each optionally with a condition', () => {
    for (const e of entries) {
      for (const field of [e.f, e.fr, e.fu]) {
        for (const { code, cond } of items(field)) {
          expect([...code].every((ch) => ch in FLAG_BITS), `${name(e)}: "${field}"`).toBe(true);
          if (cond !== undefined) expect(cond.length, `${name(e)}: empty condition in "${field}"`).toBeGreaterThan(0);
        }
      }
    }
  });

  test('exception lists name known exceptions once each, in vector order', () => {
    for (const e of entries) {
      const vecs = items(e.x).map((i) => VECTORS.indexOf(i.code));
      expect(vecs.every((v) => v >= 0), `${name(e)}: "${e.x}"`).toBe(true);
      expect(vecs.every((v, i) => i === 0 || v > vecs[i - 1]), `${name(e)}: "${e.x}" out of order`).toBe(true);
    }
  });

  test('no flag is both written with a defined value and unconditionally undefined', () => {
    for (const e of entries) {
      expect(flagMasks(e.f).maybe & flagMasks(e.fu).always, name(e)).toBe(0);
    }
  });

  test('lockable entries raise #UD (LOCK with a register destination)', () => {
    for (const e of entries.filter((x) => x.lockable)) expect(unconditional(e.x, '#UD'), name(e)).toBe(true);
  });

  test('memory-only operands (M, Ma, Mp, Ms, Mq) raise #UD for a register operand', () => {
    // x87 escapes are the exception: their register forms are FPU-stack operations, not #UD.
    for (const e of entries.filter((x) => /(^|,)M/.test(x.o) && x.m !== 'esc')) expect(unconditional(e.x, '#UD'), name(e)).toBe(true);
  });

  test('entries needing a model group raise #UD on models without it', () => {
    for (const e of entries.filter((x) => x.needs)) expect(unconditional(e.x, '#UD'), name(e)).toBe(true);
  });

  test('E and O (memory-capable) operands raise #SS, #GP and #PF for a bad or absent memory operand', () => {
    for (const e of entries.filter((x) => /(^|,)[EO]/.test(x.o))) {
      for (const code of ['#SS', '#GP', '#PF']) expect(items(e.x).some((i) => i.code === code), `${name(e)} lacks ${code}`).toBe(true);
    }
  });

  test('register and immediate forms of the ALU and flag instructions raise nothing', () => {
    const quiet = entries.filter((e) => (/^(al|eAX),I[bv]$/.test(e.o) && e.m !== 'in') || (e.op >= 0x40 && e.op < 0x50) || /^(clc|stc|cmc|cld|std|sahf|lahf|salc|cbw|cwd|nop|daa|das|aaa|aas|aad|bswap)$/.test(e.m));
    expect(quiet.length).toBeGreaterThan(30);
    for (const e of quiet) expect(e.x, name(e)).toBe('');
  });

  test('only division raises #DE', () => {
    expect(entries.filter((e) => unconditional(e.x, '#DE')).map((e) => e.m).sort()).toEqual(['aam', 'div', 'div', 'idiv', 'idiv']);
  });

  test('DIV/IDIV leave all six status flags undefined; MUL/IMUL define only CF and OF', () => {
    for (const e of entries.filter((x) => /^i?div$/.test(x.m))) expect([e.f, e.fu], name(e)).toEqual(['', 'F']);
    for (const e of entries.filter((x) => /^i?mul$/.test(x.m))) expect([e.f, flagMasks(e.fu).always], name(e)).toEqual(['CO', FLAG_BITS.F & ~(FLAG_BITS.C | FLAG_BITS.O)]);
  });

  test('AND, OR, XOR and TEST leave AF undefined; shifts leave OF undefined unless the count is 1', () => {
    for (const e of entries.filter((x) => /^(and|or|xor|test)$/.test(x.m))) expect(e.fu, name(e)).toBe('A');
    for (const e of entries.filter((x) => /^(rol|ror|rcl|rcr|shl|shr|sal|sar|shld|shrd)$/.test(x.m))) {
      const countOne = e.o.endsWith(',1');
      expect(items(e.fu).some((i) => i.code === 'O' && i.cond === 'count≠1'), name(e)).toBe(!countOne);
    }
  });

  test('a condition code reads the same flags in Jcc short, Jcc near, SETcc and CMOVcc, and its negation reads them too', () => {
    for (let cc = 0; cc < 16; cc++) {
      const reads = [0x70, 0x180, 0x190, 0x140].map((base) => opcodeEntry(base + cc)!.fr);
      expect(new Set(reads).size, `cc ${cc}`).toBe(1);
      expect(reads[0], `cc ${cc} and its negation`).toBe(opcodeEntry(0x70 + (cc ^ 1))!.fr);
      expect(reads[0]).not.toBe('');
    }
  });

  test('instructions that consume a carry read CF: ADC, SBB, RCL, RCR, CMC, SALC, DAA, DAS', () => {
    for (const e of entries.filter((x) => /^(adc|sbb|rcl|rcr|cmc|salc|daa|das)$/.test(x.m))) expect(flagMasks(e.fr).always & FLAG_BITS.C, name(e)).toBe(FLAG_BITS.C);
  });

  test('string instructions read DF; PUSHF and software interrupts read the whole EFLAGS image', () => {
    for (const e of entries.filter((x) => /^(movs|cmps|stos|lods|scas|ins|outs)[bv]$/.test(x.m))) expect(flagMasks(e.fr).always & FLAG_BITS.D, name(e)).toBe(FLAG_BITS.D);
    for (const op of [0x9c, 0xcc, 0xcd, 0xf1]) expect(opcodeEntry(op)!.fr).toBe('*');
  });
});
