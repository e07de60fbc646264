// Specification of the integer constant-expression evaluator (C operators, casts, unknowns).
import { describe, expect, it } from 'vitest';

import { evaluateTokens, isNullPointerText, parseIntegerLiteral } from '../../../guests/rtos/cfg/evaluate.js';
import { lexPreprocessed } from '../../../guests/rtos/cfg/lexer.js';

const tokens = (src: string) => lexPreprocessed(`# 1 "e.cfg"\n${src}`, () => true).tokens;
const ev = (src: string, symbols: Record<string, bigint> = {}) => evaluateTokens(tokens(src), (n) => symbols[n]);
const value = (src: string, symbols: Record<string, bigint> = {}): bigint => {
  const r = ev(src, symbols);
  if (r.kind !== 'value') throw new Error(`${src}: ${JSON.stringify(r)}`);
  return r.value;
};

describe('evaluateTokens', () => {
  it('reads decimal, hex, octal, binary and suffixed literals and character constants', () => {
    expect(value('42')).toBe(42n);
    expect(value('0x1F')).toBe(31n);
    expect(value('017')).toBe(15n);
    expect(value('0b101')).toBe(5n);
    expect(value('4000000000U')).toBe(4000000000n);
    expect(value('10UL + 1ll')).toBe(11n);
    expect(value("'A'")).toBe(65n);
    expect(value("'\\n'")).toBe(10n);
  });

  it('applies C precedence and associativity', () => {
    expect(value('1 + 2 * 3')).toBe(7n);
    expect(value('(1 + 2) * 3')).toBe(9n);
    expect(value('10 - 4 - 3')).toBe(3n);
    expect(value('1 << 4 | 1')).toBe(17n);
    expect(value('0x0F & 0x3C ^ 0x01')).toBe(0x0dn);
    expect(value('1 + 2 == 3 && 4 > 3 || 0')).toBe(1n);
    expect(value('1 ? 2 : 3')).toBe(2n);
    expect(value('0 ? 2 : 1 ? 4 : 5')).toBe(4n);
  });

  it('divides with truncation toward zero and a remainder with the sign of the dividend', () => {
    expect(value('-7 / 2')).toBe(-3n);
    expect(value('-7 % 2')).toBe(-1n);
    expect(value('7 % -2')).toBe(1n);
  });

  it('evaluates unary operators', () => {
    expect(value('-(-6)')).toBe(6n);
    expect(value('~0')).toBe(-1n);
    expect(value('!5')).toBe(0n);
    expect(value('+3')).toBe(3n);
  });

  it('truncates casts to known integer types to their i386 width and ignores TOPPERS ID-style casts of values', () => {
    expect(value('(uint_t) -1')).toBe(0xffffffffn);
    expect(value('(unsigned int)-1')).toBe(0xffffffffn);
    expect(value('(uint8_t) 0x1FF')).toBe(0xffn);
    expect(value('(int8_t) 0xFF')).toBe(-1n);
    expect(value('(ID)(3)')).toBe(3n);
    expect(value('(PRI) -2')).toBe(-2n);
  });

  it('resolves identifiers through the lookup and calls what it cannot know unknown', () => {
    expect(value('TA_ACT | TA_NOACTQUE', { TA_ACT: 1n, TA_NOACTQUE: 2n })).toBe(3n);
    expect(ev('UNDEFINED_NAME + 1').kind).toBe('unknown');
    expect(ev('sizeof(int)').kind).toBe('unknown');
    expect(ev('f(1)').kind).toBe('unknown');
    expect(ev('(MYTYPE) - 1').kind).toBe('unknown');
    expect(value('(X) - 1', { X: 5n })).toBe(4n);
  });

  it('rejects what can never be an integer constant', () => {
    expect(ev('1 / 0')).toMatchObject({ kind: 'error', message: 'division by zero' });
    expect(ev('"text"').kind).toBe('error');
    expect(ev('1.5').kind).toBe('error');
    expect(ev('1 +').kind).toBe('error');
    expect(ev('1 << 64').kind).toBe('error');
  });

  it('wraps to 64 bits like long long arithmetic', () => {
    expect(value('0x7FFFFFFFFFFFFFFF + 1')).toBe(-(2n ** 63n));
  });
});

describe('parseIntegerLiteral', () => {
  it('refuses malformed literals', () => {
    expect(parseIntegerLiteral('08')).toBeUndefined();
    expect(parseIntegerLiteral('0x')).toBeUndefined();
    expect(parseIntegerLiteral('12abc')).toBeUndefined();
  });
});

describe('isNullPointerText', () => {
  it('recognises NULL as written or as cpp expands it', () => {
    for (const s of ['NULL', '0', '((void *)0)', '(void*)0', '( ( void * ) 0 )']) expect(isNullPointerText(s)).toBe(true);
    for (const s of ['stack', '&area', '(void *)buf', '1']) expect(isNullPointerText(s)).toBe(false);
  });
});
