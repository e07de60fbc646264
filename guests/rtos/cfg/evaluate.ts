// Integer constant-expression evaluator for static API parameters (C11 6.6 subset, 64-bit).
import type { Token } from './lexer.js';

/** Result of evaluating an expression in the configurator itself. */
export type EvalResult =
  | { readonly kind: 'value'; readonly value: bigint }
  /** Needs the C compiler: an unknown identifier, `sizeof`, `_Alignof`, a member access ... */
  | { readonly kind: 'unknown'; readonly reason: string }
  /** Can never be an integer constant (division by zero, a string, a float, bad syntax). */
  | { readonly kind: 'error'; readonly message: string };

/** Looks a symbol up (an enumerator or a value read from a probe); undefined when unknown. */
export type SymbolLookup = (name: string) => bigint | undefined;

class Unknown extends Error {}
class Invalid extends Error {}

/**
 * Integer casts the evaluator applies, by type name, for the i386 ILP32 ABI: `(uint_t)-1` is
 * 0xFFFFFFFF as in C. Types not listed (pointers, unknown typedefs) leave the value unchanged,
 * as TOPPERS' `(ID)`-style casts around plain numbers mean nothing to the value.
 */
const CAST_WIDTH: Record<string, { bits: number; signed: boolean }> = {
  char: { bits: 8, signed: true },
  'signed char': { bits: 8, signed: true },
  'unsigned char': { bits: 8, signed: false },
  short: { bits: 16, signed: true },
  'unsigned short': { bits: 16, signed: false },
  int: { bits: 32, signed: true },
  signed: { bits: 32, signed: true },
  unsigned: { bits: 32, signed: false },
  'unsigned int': { bits: 32, signed: false },
  long: { bits: 32, signed: true },
  'unsigned long': { bits: 32, signed: false },
  'long long': { bits: 64, signed: true },
  'unsigned long long': { bits: 64, signed: false },
  _Bool: { bits: 1, signed: false },
  int8_t: { bits: 8, signed: true },
  uint8_t: { bits: 8, signed: false },
  int16_t: { bits: 16, signed: true },
  uint16_t: { bits: 16, signed: false },
  int32_t: { bits: 32, signed: true },
  uint32_t: { bits: 32, signed: false },
  int64_t: { bits: 64, signed: true },
  uint64_t: { bits: 64, signed: false },
  // TOPPERS 3rd-generation data types (integrated spec, "data types"), i386 sizes.
  int_t: { bits: 32, signed: true },
  uint_t: { bits: 32, signed: false },
  long_t: { bits: 32, signed: true },
  ulong_t: { bits: 32, signed: false },
  intptr_t: { bits: 32, signed: true },
  uintptr_t: { bits: 32, signed: false },
  size_t: { bits: 32, signed: false },
  bool_t: { bits: 32, signed: true },
  ID: { bits: 32, signed: true },
  PRI: { bits: 32, signed: true },
  ER: { bits: 32, signed: true },
  ER_ID: { bits: 32, signed: true },
  ER_UINT: { bits: 32, signed: true },
  ATR: { bits: 32, signed: false },
  STAT: { bits: 32, signed: false },
  MODE: { bits: 32, signed: false },
  FLGPTN: { bits: 32, signed: false },
  RELTIM: { bits: 32, signed: false },
  TMO: { bits: 32, signed: true },
  INTNO: { bits: 32, signed: false },
  INHNO: { bits: 32, signed: false },
  EXCNO: { bits: 32, signed: false },
  HRTCNT: { bits: 32, signed: false },
  SYSTIM: { bits: 64, signed: false },
};

/** Words that can only begin a type name inside a cast's parentheses. */
const TYPE_WORDS = new Set([
  'void', 'char', 'short', 'int', 'long', 'signed', 'unsigned', 'const', 'volatile', '_Bool',
  'struct', 'union', 'enum', 'float', 'double',
]);

/**
 * Whether the tokens inside `( ... )` name a type: 'type' for C type words, the typedefs above
 * and `*_t` names; 'ambiguous' for other all-capital identifiers, which may be a typedef or an
 * unknown constant (only the compiler can tell); 'no' otherwise.
 */
function typeNameKind(tokens: readonly Token[], lookup: SymbolLookup): 'type' | 'ambiguous' | 'no' {
  if (tokens.length === 0) return 'no';
  let result: 'type' | 'ambiguous' = 'type';
  let sawName = false;
  for (const t of tokens) {
    if (t.kind === 'punct') {
      if (t.text !== '*' || !sawName) return 'no';
      continue;
    }
    if (t.kind !== 'ident') return 'no';
    if (TYPE_WORDS.has(t.text) || t.text in CAST_WIDTH || /_[tT]$/.test(t.text)) {
      sawName = true;
      continue;
    }
    if (/^[A-Z][A-Z0-9_]*$/.test(t.text) && lookup(t.text) === undefined) {
      sawName = true;
      result = 'ambiguous';
      continue;
    }
    return 'no';
  }
  return sawName ? result : 'no';
}

/** Decode an integer literal (decimal, 0x, 0b, octal; u/l suffixes ignored). */
export function parseIntegerLiteral(text: string): bigint | undefined {
  const m = /^(0[xX][0-9a-fA-F]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)([uU](?:ll|LL|l|L)?|(?:ll|LL|l|L)[uU]?)?$/.exec(text);
  if (!m) return undefined;
  const body = m[1]!;
  if (/^0[bB]/.test(body)) return BigInt(body);
  if (/^0[xX]/.test(body)) return BigInt(body);
  if (body.length > 1 && body[0] === '0') return BigInt('0o' + body.slice(1));
  return BigInt(body);
}

/** The value of a C character constant such as 'a' or '\n' (plain char is signed on i386). */
function charLiteralValue(text: string): bigint | undefined {
  const m = /^'(\\x[0-9a-fA-F]+|\\[0-7]{1,3}|\\.|[^\\'])'$/.exec(text);
  if (!m) return undefined;
  const b = m[1]!;
  let v: number;
  if (b.startsWith('\\x')) v = parseInt(b.slice(2), 16);
  else if (/^\\[0-7]/.test(b)) v = parseInt(b.slice(1), 8);
  else if (b.startsWith('\\')) {
    const esc: Record<string, number> = { n: 10, t: 9, r: 13, a: 7, b: 8, f: 12, v: 11, '\\': 92, "'": 39, '"': 34, '?': 63 };
    const e = esc[b[1]!];
    if (e === undefined) return undefined;
    v = e;
  } else v = b.charCodeAt(0);
  return BigInt.asIntN(8, BigInt(v & 0xff));
}

const wrap = (v: bigint): bigint => BigInt.asIntN(64, v);

/**
 * Evaluate an integer constant expression written as C tokens. Arithmetic is 64-bit signed
 * (long long) with C's truncating division; casts to known integer types truncate to that
 * type's width. Identifiers are resolved through `lookup`; anything the configurator cannot
 * know by itself comes back as `unknown`, for the probe compiler to answer.
 */
export function evaluateTokens(tokens: readonly Token[], lookup: SymbolLookup = () => undefined): EvalResult {
  let pos = 0;
  const peek = (k = 0): Token | undefined => tokens[pos + k];
  const isP = (text: string, k = 0): boolean => {
    const t = tokens[pos + k];
    return t !== undefined && t.kind === 'punct' && t.text === text;
  };
  const take = (text: string): void => {
    if (!isP(text)) throw new Invalid(`expected '${text}'`);
    pos += 1;
  };

  const closingParen = (from: number): number => {
    let depth = 0;
    for (let i = from; i < tokens.length; i++) {
      const t = tokens[i]!;
      if (t.kind !== 'punct') continue;
      if (t.text === '(') depth += 1;
      else if (t.text === ')') {
        depth -= 1;
        if (depth === 0) return i;
      }
    }
    return -1;
  };

  const primary = (): bigint => {
    const t = peek();
    if (t === undefined) throw new Invalid('expression ends early');
    if (t.kind === 'number') {
      pos += 1;
      const v = parseIntegerLiteral(t.text);
      if (v === undefined) throw new Invalid(`'${t.text}' is not an integer constant`);
      return wrap(v);
    }
    if (t.kind === 'char') {
      pos += 1;
      const v = charLiteralValue(t.text);
      if (v === undefined) throw new Unknown(`character constant ${t.text}`);
      return v;
    }
    if (t.kind === 'string') throw new Invalid('a string literal is not an integer');
    if (t.kind === 'ident') {
      if (t.text === 'sizeof' || t.text === '_Alignof' || t.text === '__alignof__') throw new Unknown(t.text);
      pos += 1;
      if (isP('(') || isP('.') || isP('->') || isP('[')) throw new Unknown(`'${t.text}' used as a function or object`);
      const v = lookup(t.text);
      if (v === undefined) throw new Unknown(`symbol '${t.text}'`);
      return wrap(v);
    }
    if (t.text === '(') {
      pos += 1;
      let v = expression();
      while (isP(',')) {
        pos += 1;
        v = conditional();
      }
      take(')');
      return v;
    }
    throw new Invalid(`unexpected '${t.text}'`);
  };

  const unary = (): bigint => {
    const t = peek();
    if (t?.kind === 'punct') {
      switch (t.text) {
        case '+':
          pos += 1;
          return unary();
        case '-':
          pos += 1;
          return wrap(-unary());
        case '~':
          pos += 1;
          return wrap(~unary());
        case '!':
          pos += 1;
          return unary() === 0n ? 1n : 0n;
        case '(': {
          const close = closingParen(pos);
          const kind = close > pos + 1 ? typeNameKind(tokens.slice(pos + 1, close), lookup) : 'no';
          if (kind !== 'no') {
            const after = tokens[close + 1];
            const startsOperand =
              after !== undefined &&
              (after.kind !== 'punct' || ['(', '-', '+', '~', '!'].includes(after.text));
            if (startsOperand) {
              if (kind === 'ambiguous') throw new Unknown(`'${tokens[pos + 1]!.text}' may be a type or a constant`);
              const typeToks = tokens.slice(pos + 1, close);
              pos = close + 1;
              const v = unary();
              if (typeToks.some((x) => x.text === '*' || x.text === 'float' || x.text === 'double')) {
                throw new Unknown('pointer or floating cast');
              }
              let name = typeToks.filter((x) => x.text !== 'const' && x.text !== 'volatile').map((x) => x.text).join(' ');
              if (name !== 'int' && name.endsWith(' int')) name = name.slice(0, -4);
              if (name.startsWith('signed ') && name !== 'signed char') name = name.slice(7);
              const w = CAST_WIDTH[name];
              if (w === undefined) return v;
              return w.signed ? BigInt.asIntN(w.bits, v) : BigInt.asUintN(w.bits, v);
            }
          }
          return primary();
        }
        default:
          break;
      }
    }
    return primary();
  };

  type Binary = { ops: readonly string[]; next: () => bigint };
  const binaryLevel = (level: Binary): bigint => {
    let v = level.next();
    for (;;) {
      const t = peek();
      if (t?.kind !== 'punct' || !level.ops.includes(t.text)) return v;
      pos += 1;
      const r = level.next();
      v = applyBinary(t.text, v, r);
    }
  };
  const multiplicative = (): bigint => binaryLevel({ ops: ['*', '/', '%'], next: unary });
  const additive = (): bigint => binaryLevel({ ops: ['+', '-'], next: multiplicative });
  const shift = (): bigint => binaryLevel({ ops: ['<<', '>>'], next: additive });
  const relational = (): bigint => binaryLevel({ ops: ['<', '>', '<=', '>='], next: shift });
  const equality = (): bigint => binaryLevel({ ops: ['==', '!='], next: relational });
  const bitAnd = (): bigint => binaryLevel({ ops: ['&'], next: equality });
  const bitXor = (): bigint => binaryLevel({ ops: ['^'], next: bitAnd });
  const bitOr = (): bigint => binaryLevel({ ops: ['|'], next: bitXor });
  const logicalAnd = (): bigint => {
    let v = bitOr();
    while (isP('&&')) {
      pos += 1;
      const r = bitOr();
      v = v !== 0n && r !== 0n ? 1n : 0n;
    }
    return v;
  };
  const logicalOr = (): bigint => {
    let v = logicalAnd();
    while (isP('||')) {
      pos += 1;
      const r = logicalAnd();
      v = v !== 0n || r !== 0n ? 1n : 0n;
    }
    return v;
  };
  const conditional = (): bigint => {
    const c = logicalOr();
    if (!isP('?')) return c;
    pos += 1;
    const a = expression();
    take(':');
    const b = conditional();
    return c !== 0n ? a : b;
  };
  const expression = (): bigint => conditional();

  try {
    if (tokens.length === 0) return { kind: 'error', message: 'empty expression' };
    const v = expression();
    if (pos < tokens.length) {
      // Trailing tokens: a construct this evaluator does not know (e.g. a compound literal).
      throw new Unknown(`'${tokens[pos]!.text}'`);
    }
    return { kind: 'value', value: v };
  } catch (e) {
    if (e instanceof Unknown) return { kind: 'unknown', reason: e.message };
    if (e instanceof Invalid) return { kind: 'error', message: e.message };
    throw e;
  }
}

function applyBinary(op: string, a: bigint, b: bigint): bigint {
  switch (op) {
    case '*':
      return wrap(a * b);
    case '/':
      if (b === 0n) throw new Invalid('division by zero');
      return wrap(a / b);
    case '%':
      if (b === 0n) throw new Invalid('division by zero');
      return wrap(a % b);
    case '+':
      return wrap(a + b);
    case '-':
      return wrap(a - b);
    case '<<':
      if (b < 0n || b >= 64n) throw new Invalid(`shift count ${b} out of range`);
      return wrap(a << b);
    case '>>':
      if (b < 0n || b >= 64n) throw new Invalid(`shift count ${b} out of range`);
      return a >> b;
    case '<':
      return a < b ? 1n : 0n;
    case '>':
      return a > b ? 1n : 0n;
    case '<=':
      return a <= b ? 1n : 0n;
    case '>=':
      return a >= b ? 1n : 0n;
    case '==':
      return a === b ? 1n : 0n;
    case '!=':
      return a !== b ? 1n : 0n;
    case '&':
      return a & b;
    case '^':
      return a ^ b;
    case '|':
      return a | b;
    default:
      throw new Invalid(`operator '${op}'`);
  }
}

/**
 * Whether a pass-through parameter is a null pointer constant as written after preprocessing:
 * `NULL`, `0`, `(void *)0`, `((void *)0)`. TOPPERS uses NULL in `stk`, `mpf`, `istk` to ask the
 * configurator to allocate the area.
 */
export function isNullPointerText(text: string): boolean {
  let s = text.replace(/\s+/g, '');
  for (;;) {
    if (s === 'NULL' || s === '0' || s === '0L' || s === '0U') return true;
    const m = /^\((.*)\)$/.exec(s);
    if (m && balanced(m[1]!)) {
      s = m[1]!;
      continue;
    }
    const c = /^\(void\*\)(.*)$/.exec(s);
    if (c) {
      s = c[1]!;
      continue;
    }
    return false;
  }
}

function balanced(s: string): boolean {
  let d = 0;
  for (const c of s) {
    if (c === '(') d += 1;
    else if (c === ')') {
      d -= 1;
      if (d < 0) return false;
    }
  }
  return d === 0;
}
