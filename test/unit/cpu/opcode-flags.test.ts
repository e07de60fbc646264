// The opcode table's flag columns hold on the real Cpu: flags an instruction neither writes nor leaves undefined survive it, and flags it reads change its outcome (on both engines).
import { describe, test, expect } from 'vitest';
import { opcodeEntries, flagMasks, hasModrm, type OpcodeEntry } from '../../../src/cpu/x86/opcode-table.js';
import { CPU_MODELS } from '../../../src/cpu/x86/models.js';
import { flat, runToHalt, peek32, ENGINES, engineOptions, type Engine } from '../../cpu/harness.js';

/** Flags observed: the six status flags and DF (TF/IF/IOPL cannot be toggled freely in a test program). */
const OBSERVED = 0xcd5;
const PRESETS = [0x002, 0x002 | OBSERVED];
const NAMES: Record<number, string> = { 0x1: 'CF', 0x4: 'PF', 0x10: 'AF', 0x40: 'ZF', 0x80: 'SF', 0x800: 'OF', 0x400: 'DF' };

/** Row classes sampled, by mnemonic (one assembled program each). */
const CLASSES: Record<string, (e: OpcodeEntry) => boolean> = {
  'ALU and INC/DEC/NEG/NOT/TEST': (e) => /^(add|or|adc|sbb|and|sub|xor|cmp|test|inc|dec|neg|not)$/.test(e.m),
  'MUL/IMUL/DIV/IDIV': (e) => /^(mul|imul|div|idiv)$/.test(e.m),
  'shifts and rotates': (e) => /^(rol|ror|rcl|rcr|shl|shr|sal|sar|shld|shrd)$/.test(e.m),
  'bit tests and scans': (e) => /^(bt|bts|btr|btc|bsf|bsr)$/.test(e.m),
  'decimal adjust': (e) => /^(daa|das|aaa|aas|aam|aad)$/.test(e.m),
  'flag instructions': (e) => /^(cmc|clc|stc|cld|std|salc|lahf|sahf)$/.test(e.m),
  'condition codes (Jcc, SETcc, LOOPcc)': (e) => /^(j(?!mp)|set|loop)/.test(e.m),
  'data movement': (e) => /^(xadd|cmpxchg|xchg|movzx|movsx|bswap|cbw|cwd|nop)$/.test(e.m)
    || (e.m === 'mov' && !/[SCDTO]/.test(e.o)),
};

/** Register values before every sample: AL 0x12 (BCD-adjustable), ECX = divisor and count (CL 7), EDX:EAX dividend below ECX·2^32. */
const SETUP = 'mov eax, 0x212\nmov ecx, 0x10000007\nmov edx, 1\nmov ebx, 0x4000\nmov esi, 0\nmov ebp, 0x100\nmov edi, 0x300';
const OUT = 0x200000; // result slots: EFLAGS, EAX, ECX, EDX, EBX, ESI, EBP, EDI (32 bytes each)

/** The instruction's bytes from the table: register forms (r/m = ECX/CL, reg = EDX/DL or the group's /reg), immediate 10; a taken jump skips one XCHG EAX, ESI. */
function encode(e: OpcodeEntry): number[] {
  const bytes = e.op >= 0x100 ? [0x0f, e.op & 0xff] : [e.op];
  if (hasModrm(e.op)) bytes.push(0xc0 | ((e.reg >= 0 ? e.reg : 2) << 3) | 1);
  let jump = false;
  for (const spec of e.o ? e.o.split(',') : []) {
    if (spec === 'Ib' || spec === 'Ibs') bytes.push(10);
    else if (spec === 'Iw') bytes.push(10, 0);
    else if (spec === 'Iv') bytes.push(10, 0, 0, 0);
    else if (spec === 'Jb') { bytes.push(1); jump = true; }
    else if (spec === 'Jv') { bytes.push(1, 0, 0, 0); jump = true; }
  }
  if (jump) bytes.push(0x96); // xchg eax, esi (no flags): executed only when the branch is not taken
  return bytes;
}

interface Sample { e: OpcodeEntry; preset: number }
interface Outcome { flags: number; regs: number[] }

/** Assemble one program running every sample (preset flags → instruction → record), run it, read the outcomes. */
function runAll(samples: Sample[], engine: Engine): Outcome[] {
  const src = samples.map((s, i) => `
${SETUP}
push dword 0x${s.preset.toString(16)}
popfd
db ${encode(s.e).join(',')}
mov esp, 0x80000
pushfd
pop dword [0x${(OUT + i * 32).toString(16)}]
mov [0x${(OUT + i * 32 + 4).toString(16)}], eax
mov [0x${(OUT + i * 32 + 8).toString(16)}], ecx
mov [0x${(OUT + i * 32 + 12).toString(16)}], edx
mov [0x${(OUT + i * 32 + 16).toString(16)}], ebx
mov [0x${(OUT + i * 32 + 20).toString(16)}], esi
mov [0x${(OUT + i * 32 + 24).toString(16)}], ebp
mov [0x${(OUT + i * 32 + 28).toString(16)}], edi`).join('\n') + '\nhlt\n';
  const m = flat(src, engineOptions(engine));
  expect(runToHalt(m, 200_000)).toBe('halt');
  return samples.map((_s, i) => ({
    flags: peek32(m, OUT + i * 32),
    regs: [4, 8, 12, 16, 20, 24, 28].map((o) => peek32(m, OUT + i * 32 + o)),
  }));
}

const available = (e: OpcodeEntry) => !e.needs || CPU_MODELS.i486sx.groups[e.needs];
const label = (e: OpcodeEntry) => `${e.m} ${e.o} (${e.op.toString(16)}${e.reg >= 0 ? '/' + e.reg : ''})`;
const flagList = (bits: number) => Object.entries(NAMES).filter(([b]) => bits & Number(b)).map(([, n]) => n).join(' ');

for (const engine of ENGINES) describe(`${engine} engine`, () => {
  describe.each(Object.entries(CLASSES))('%s', (_cls, member) => {
    const entries = opcodeEntries().filter((e) => member(e) && available(e));

    test('the class has rows in the table', () => {
      expect(entries.length).toBeGreaterThan(0);
    });

    test('flags in neither f nor fu keep their value (preset all 0 and all 1)', () => {
      const samples = entries.flatMap((e) => PRESETS.map((preset) => ({ e, preset })));
      const out = runAll(samples, engine);
      samples.forEach((s, i) => {
        const touched = flagMasks(s.e.f).maybe | flagMasks(s.e.fu).maybe;
        const changed = (out[i].flags ^ s.preset) & OBSERVED & ~touched;
        expect(changed, `${label(s.e)} from ${s.preset.toString(16)} changed ${flagList(changed)}, which the table says it does not write`).toBe(0);
      });
    });

    /** Each row from all-0 flags, then with each observed flag set alone: the outcomes, memoised for the two tests below. */
    let toggled: { base: Outcome; one: Map<number, Outcome> }[] | undefined;
    const toggles = (): NonNullable<typeof toggled> => {
      if (toggled) return toggled;
      const bits = Object.keys(NAMES).map(Number);
      const out = runAll(entries.flatMap((e) => [0, ...bits].map((bit) => ({ e, preset: PRESETS[0] | bit }))), engine);
      toggled = entries.map((_e, k) => ({ base: out[k * 8], one: new Map(bits.map((b, j) => [b, out[k * 8 + 1 + j]])) }));
      return toggled;
    };
    /** Same outcome: registers and the flags the instruction defines (a kept flag would differ trivially). */
    const same = (e: OpcodeEntry, a: Outcome, b: Outcome): boolean => {
      const defined = flagMasks(e.f).maybe & ~flagMasks(e.fu).maybe & OBSERVED;
      return a.regs.every((v, j) => v === b.regs[j]) && (a.flags & defined) === (b.flags & defined);
    };

    test('every flag in fr changes the outcome when set alone', () => {
      const t = toggles();
      entries.forEach((e, k) => {
        for (const bit of t[k].one.keys()) {
          if (!(flagMasks(e.fr).always & bit)) continue;
          expect(same(e, t[k].base, t[k].one.get(bit)!), `${label(e)} reads ${NAMES[bit]} per the table, but setting it changes nothing`).toBe(false);
        }
      });
    });

    test('a flag not in fr does not change the outcome', () => {
      const t = toggles();
      entries.forEach((e, k) => {
        for (const bit of t[k].one.keys()) {
          if (flagMasks(e.fr).maybe & bit) continue;
          expect(same(e, t[k].base, t[k].one.get(bit)!), `${label(e)} depends on ${NAMES[bit]}, which the table does not list in fr`).toBe(true);
        }
      });
    });
  });
});
