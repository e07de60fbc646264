// The ALU, shifts/rotates and multiply/divide agree with an independent BigInt reference on random operands (result and every defined flag).
import { describe, test, expect } from 'vitest';
import fc from 'fast-check';
import { machine } from '../../../cpu/harness.js';
import { alu, inc, dec, neg, mul, imul1, imul2, div, idiv } from '../../../../src/cpu/x86/execute/alu.js';
import { shift } from '../../../../src/cpu/x86/execute/shift-rotate.js';
import { FAULT } from '../../../../src/cpu/x86/exceptions.js';

const CF = 1, PF = 4, AF = 0x10, ZF = 0x40, SF = 0x80, OF = 0x800;
const seed = Number(process.env.SHIKIRI_SEED ?? 20240611);
const numRuns = Number(process.env.SHIKIRI_RUNS ?? 300);
const cpu = machine({ ramKiB: 64 }).cpu;

interface Ref { r: bigint; f: number; mask: number }

function szp(r: bigint, n: number): number {
  let f = 0;
  if (r === 0n) f |= ZF;
  if ((r >> BigInt(n - 1)) & 1n) f |= SF;
  let ones = 0;
  for (let i = 0n; i < 8n; i++) if ((r >> i) & 1n) ones++;
  if (ones % 2 === 0) f |= PF;
  return f;
}
const sbit = (v: bigint, n: number) => ((v >> BigInt(n - 1)) & 1n) === 1n;
const toSigned = (v: bigint, n: number) => (sbit(v, n) ? v - (1n << BigInt(n)) : v);

function refAlu(op: number, n: number, d: bigint, s: bigint, cin: number): Ref {
  const M = (1n << BigInt(n)) - 1n;
  const ALL = CF | PF | AF | ZF | SF | OF;
  switch (op) {
    case 0: case 2: {
      const c = op === 2 ? BigInt(cin) : 0n;
      const full = d + s + c;
      const r = full & M;
      let f = szp(r, n);
      if (full > M) f |= CF;
      if ((d & 0xfn) + (s & 0xfn) + c > 0xfn) f |= AF;
      if (sbit(d, n) === sbit(s, n) && sbit(r, n) !== sbit(d, n)) f |= OF;
      return { r, f, mask: ALL };
    }
    case 3: case 5: case 7: {
      const c = op === 3 ? BigInt(cin) : 0n;
      const r = (d - s - c) & M;
      let f = szp(r, n);
      if (d < s + c) f |= CF;
      if ((d & 0xfn) < (s & 0xfn) + c) f |= AF;
      if (sbit(d, n) !== sbit(s, n) && sbit(r, n) !== sbit(d, n)) f |= OF;
      return { r, f, mask: ALL };
    }
    default: {
      const r = op === 1 ? d | s : op === 4 ? d & s : d ^ s;
      return { r, f: szp(r, n), mask: CF | OF | ZF | SF | PF }; // AF undefined
    }
  }
}

function refShift(op: number, n: number, d: bigint, count: number, cin: number): Ref {
  const M = (1n << BigInt(n)) - 1n;
  const cnt = count & 31;
  let v = d, cf = cin;
  if (cnt === 0) return { r: d, f: 0, mask: 0 };
  for (let i = 0; i < cnt; i++) {
    const msb = Number((v >> BigInt(n - 1)) & 1n), lsb = Number(v & 1n);
    switch (op) {
      case 0: v = ((v << 1n) | BigInt(msb)) & M; cf = msb; break;
      case 1: v = (v >> 1n) | (BigInt(lsb) << BigInt(n - 1)); cf = lsb; break;
      case 2: v = ((v << 1n) | BigInt(cf)) & M; cf = msb; break;
      case 3: v = (v >> 1n) | (BigInt(cf) << BigInt(n - 1)); cf = lsb; break;
      case 4: case 6: v = (v << 1n) & M; cf = msb; break;
      case 5: v = v >> 1n; cf = lsb; break;
      default: v = (v >> 1n) | (BigInt(msb) << BigInt(n - 1)); cf = lsb; break;
    }
  }
  let f = cf ? CF : 0;
  let mask = CF;
  if (op >= 4) { f |= szp(v, n); mask |= ZF | SF | PF; }
  if (cnt === 1) {
    mask |= OF;
    const m1 = sbit(v, n), m2 = ((v >> BigInt(n - 2)) & 1n) === 1n;
    let of = false;
    switch (op) {
      case 0: case 2: case 4: case 6: of = m1 !== (cf === 1); break;
      case 1: case 3: of = m1 !== m2; break;
      case 5: of = sbit(d, n); break;
      default: of = false;
    }
    if (of) f |= OF;
  }
  return { r: v, f, mask };
}

const sizes = [8, 16, 32] as const;
const operand = (n: number) => fc.oneof(
  fc.bigInt({ min: 0n, max: (1n << BigInt(n)) - 1n }),
  fc.constantFrom(0n, 1n, (1n << BigInt(n - 1)) - 1n, 1n << BigInt(n - 1), (1n << BigInt(n)) - 1n, 0xfn, 0x10n),
);
const flagsArb = fc.integer({ min: 0, max: 0xfff }).map((v) => v & (CF | PF | AF | ZF | SF | OF));
const toInt = (v: bigint, n: number) => (n === 32 ? Number(BigInt.asIntN(32, v)) : Number(v));
const fromInt = (v: number, n: number) => BigInt(n === 32 ? v >>> 0 : v & ((1 << n) - 1));

function check(got: number, ref: Ref, n: number, before: number): void {
  expect(fromInt(got, n)).toBe(ref.r);
  const f = cpu.getEflags();
  expect(f & ref.mask).toBe(ref.f & ref.mask);
  if (ref.mask === 0) expect(f & 0x8d5).toBe(before);
}

const NAMES = ['add', 'or', 'adc', 'sbb', 'and', 'sub', 'xor', 'cmp'];
describe.each(sizes)('%i-bit ALU', (n) => {
  test.each(NAMES.map((name, op) => [name, op] as const))('%s matches the reference', (_name, op) => {
    fc.assert(fc.property(operand(n), operand(n), flagsArb, (d, s, fl) => {
      cpu.setEflags(2 | fl);
      const got = alu(cpu, op, n, toInt(d, n), toInt(s, n));
      check(got, refAlu(op, n, d, s, fl & CF), n, fl);
    }), { seed, numRuns });
  });

  test('inc/dec keep CF; neg sets CF unless zero', () => {
    fc.assert(fc.property(operand(n), flagsArb, (d, fl) => {
      cpu.setEflags(2 | fl);
      let ref = refAlu(0, n, d, 1n, 0);
      check(inc(cpu, n, toInt(d, n)), { ...ref, mask: ref.mask & ~CF }, n, fl);
      expect(cpu.getEflags() & CF).toBe(fl & CF);
      cpu.setEflags(2 | fl);
      ref = refAlu(5, n, d, 1n, 0);
      check(dec(cpu, n, toInt(d, n)), { ...ref, mask: ref.mask & ~CF }, n, fl);
      expect(cpu.getEflags() & CF).toBe(fl & CF);
      cpu.setEflags(2 | fl);
      check(neg(cpu, n, toInt(d, n)), refAlu(5, n, 0n, d, 0), n, fl);
    }), { seed, numRuns });
  });

  test.each(['rol', 'ror', 'rcl', 'rcr', 'shl', 'shr', 'sal', 'sar'].map((name, op) => [name, op] as const))('%s matches the reference for every count', (_name, op) => {
    fc.assert(fc.property(operand(n), fc.integer({ min: 0, max: 255 }), flagsArb, (d, count, fl) => {
      cpu.setEflags(2 | fl);
      const got = shift(cpu, op, n, toInt(d, n), count);
      check(got, refShift(op, n, d, count, fl & CF), n, fl);
    }), { seed, numRuns });
  });

  test('mul/imul match the reference product and CF=OF', () => {
    fc.assert(fc.property(operand(n), operand(n), (a, b) => {
      const M = (1n << BigInt(n)) - 1n;
      cpu.eax = 0; cpu.edx = 0;
      if (n === 8) cpu.r8[0] = Number(a); else if (n === 16) cpu.r16[0] = Number(a); else cpu.eax = Number(a);
      mul(cpu, n, toInt(b, n));
      const p = a * b;
      const lo = n === 8 ? BigInt(cpu.r8[0]) : n === 16 ? BigInt(cpu.r16[0]) : BigInt(cpu.eax);
      const hi = n === 8 ? BigInt(cpu.r8[1]) : n === 16 ? BigInt(cpu.r16[4]) : BigInt(cpu.edx);
      expect(lo | (hi << BigInt(n))).toBe(p);
      expect(cpu.getEflags() & (CF | OF)).toBe(p > M ? CF | OF : 0);

      if (n === 8) cpu.r8[0] = Number(a); else if (n === 16) cpu.r16[0] = Number(a); else cpu.eax = Number(a);
      imul1(cpu, n, toInt(b, n));
      const sp = toSigned(a, n) * toSigned(b, n);
      const lo2 = n === 8 ? BigInt(cpu.r8[0]) : n === 16 ? BigInt(cpu.r16[0]) : BigInt(cpu.eax);
      const hi2 = n === 8 ? BigInt(cpu.r8[1]) : n === 16 ? BigInt(cpu.r16[4]) : BigInt(cpu.edx);
      expect(lo2 | (hi2 << BigInt(n))).toBe(BigInt.asUintN(2 * n, sp));
      const fits = sp === toSigned(BigInt.asUintN(n, sp), n);
      expect(cpu.getEflags() & (CF | OF)).toBe(fits ? 0 : CF | OF);
      if (n > 8) {
        const t = imul2(cpu, n, toInt(a, n), toInt(b, n));
        expect(fromInt(t, n)).toBe(BigInt.asUintN(n, sp));
        expect(cpu.getEflags() & (CF | OF)).toBe(fits ? 0 : CF | OF);
      }
    }), { seed, numRuns });
  });

  test('div/idiv match the reference or raise #DE', () => {
    fc.assert(fc.property(operand(n), operand(n), operand(n), (hi, lo, dv) => {
      const N = BigInt(n);
      const setDividend = () => {
        if (n === 8) cpu.r16[0] = Number((hi << 8n) | lo) & 0xffff;
        else if (n === 16) { cpu.r16[0] = Number(lo); cpu.r16[4] = Number(hi); }
        else { cpu.eax = Number(lo); cpu.edx = Number(hi); }
      };
      const read = (): [bigint, bigint] => n === 8 ? [BigInt(cpu.r8[0]), BigInt(cpu.r8[1])] : n === 16 ? [BigInt(cpu.r16[0]), BigInt(cpu.r16[4])] : [BigInt(cpu.eax), BigInt(cpu.edx)];
      const dividend = (hi << N) | lo;
      // unsigned
      setDividend();
      let threw = false;
      try { div(cpu, n, toInt(dv, n)); } catch (e) { expect(e).toBe(FAULT); expect(cpu.excVector).toBe(0); threw = true; }
      const ok = dv !== 0n && dividend / dv <= (1n << N) - 1n;
      expect(threw).toBe(!ok);
      if (ok) expect(read()).toEqual([dividend / dv, dividend % dv]);
      // signed
      setDividend();
      threw = false;
      try { idiv(cpu, n, toInt(dv, n)); } catch (e) { expect(e).toBe(FAULT); threw = true; }
      const sd = toSigned(dividend, 2 * n), sv = toSigned(dv, n);
      const q = sv === 0n ? 0n : sd / sv; // BigInt division truncates toward zero like IDIV
      const sok = sv !== 0n && q >= -(1n << (N - 1n)) && q <= (1n << (N - 1n)) - 1n;
      expect(threw).toBe(!sok);
      if (sok) expect(read()).toEqual([BigInt.asUintN(n, q), BigInt.asUintN(n, sd - q * sv)]);
    }), { seed, numRuns });
  });
});

import { testCondition } from '../../../../src/cpu/x86/lazy-flags.js';

/** Condition codes from concrete EFLAGS (SDM Jcc table). */
function condFromFlags(f: number, cc: number): boolean {
  const cf = (f & CF) !== 0, zf = (f & ZF) !== 0, sf = (f & SF) !== 0, of = (f & OF) !== 0, pf = (f & PF) !== 0;
  const base = [of, cf, zf, cf || zf, sf, pf, sf !== of, zf || sf !== of][cc >> 1];
  return cc & 1 ? !base : base;
}

describe.each(sizes)('%i-bit conditions', (n) => {
  test('every Jcc condition after CMP/SUB/SBB/ADD/NEG agrees with the materialised flags', () => {
    fc.assert(fc.property(operand(n), operand(n), fc.constantFrom(0, 2, 3, 5, 7), flagsArb, (d, s, op, fl) => {
      cpu.setEflags(2 | fl);
      alu(cpu, op, n, toInt(d, n), toInt(s, n));
      const lazy = Array.from({ length: 16 }, (_, cc) => testCondition(cpu, cc));
      const f = cpu.getEflags();
      expect(lazy).toEqual(Array.from({ length: 16 }, (_, cc) => condFromFlags(f, cc)));
    }), { seed, numRuns });
  });
});
