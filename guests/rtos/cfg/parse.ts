// Parses static API calls `NAME(param, { param, ... });` from .cfg tokens (3rd-gen spec, static APIs).
import { cfgError, type CfgError, type SourceLocation } from './diagnostic.js';
import type { Token } from './lexer.js';

/** A parameter: a C expression (its tokens, unevaluated) or a `{ ... }` group of parameters. */
export type Param = ExprParam | GroupParam;

/** A C expression parameter, kept as tokens so it can be evaluated or passed through verbatim. */
export interface ExprParam extends SourceLocation {
  readonly kind: 'expr';
  readonly tokens: readonly Token[];
  /** The tokens joined into C text (after macro expansion): what the probe evaluates. */
  readonly text: string;
  /**
   * The parameter as written in the .cfg (macros not expanded, e.g. `MID_PRIORITY`), when it
   * can stand in for `text` in kernel_cfg.c; see `attachSourceText`.
   */
  readonly source?: string;
}

/** A brace-enclosed parameter group such as `{ TA_ACT, 0, task, 5, 4096, NULL }`. */
export interface GroupParam extends SourceLocation {
  readonly kind: 'group';
  readonly items: readonly Param[];
}

/** One static API call as written. */
export interface StaticApiCall extends SourceLocation {
  readonly name: string;
  readonly params: readonly Param[];
  /** Index of the call's first token in the parsed stream (orders calls among #include lines). */
  readonly atToken?: number;
}

/** Calls in order of appearance, and syntax errors (the parser recovers at the next `;`). */
export interface ParseResult {
  readonly calls: StaticApiCall[];
  readonly errors: CfgError[];
}

/** Two-character sequences that would lex as one token: glued operators keep a space there. */
const MERGING = new Set(['--', '++', '&&', '||', '->', '-=', '+=', '&=', '*=', '!=', '<<', '>>', '<=', '>=', '==', '|=', '^=', '/=', '%=', '##', '..', '/*', '//']);

/**
 * Joins tokens into readable C text: `f(1, 2)`, `&var`, `-6`, `a->b`, `x | y`. Spacing never
 * changes meaning (tokens that would merge keep a space).
 */
export function tokensToText(tokens: readonly Token[]): string {
  let s = '';
  let prev: Token | undefined;
  let glueNext = false;
  for (const t of tokens) {
    if (prev !== undefined) {
      const word = (x: Token): boolean => x.kind === 'ident' || x.kind === 'number';
      const tight =
        glueNext ||
        prev.text === '(' ||
        prev.text === '[' ||
        t.text === ')' ||
        t.text === ']' ||
        t.text === ',' ||
        t.text === '->' ||
        t.text === '.' ||
        prev.text === '->' ||
        prev.text === '.' ||
        ((t.text === '(' || t.text === '[') && (word(prev) || prev.text === ')' || prev.text === ']'));
      const merges = prev.kind === 'punct' && t.kind === 'punct' && MERGING.has(prev.text.slice(-1) + t.text[0]);
      if (!tight || (word(prev) && word(t)) || merges) s += ' ';
    }
    // A prefix operator (at the start, or after an operator or opening bracket) binds to its operand.
    const prefixPosition = prev === undefined || (prev.kind === 'punct' && prev.text !== ')' && prev.text !== ']');
    glueNext = t.kind === 'punct' && ['&', '-', '+', '*', '!', '~'].includes(t.text) && prefixPosition;
    s += t.text;
    prev = t;
  }
  return s;
}

class SyntaxError_ extends Error {
  constructor(readonly at: SourceLocation, message: string) {
    super(message);
  }
}

/**
 * Parse a token stream as a sequence of static API calls. A stray token or a malformed call
 * gives an E_SYNTAX error at its line; parsing resumes after the next top-level `;`.
 */
export function parseStaticApis(tokens: readonly Token[]): ParseResult {
  const calls: StaticApiCall[] = [];
  const errors: CfgError[] = [];
  let pos = 0;
  const eofLoc = (): SourceLocation => {
    const last = tokens[tokens.length - 1];
    return last ? { file: last.file, line: last.line } : { file: '<input>', line: 1 };
  };
  const peek = (): Token | undefined => tokens[pos];
  const expect = (text: string): Token => {
    const t = tokens[pos];
    if (t === undefined) throw new SyntaxError_(eofLoc(), `expected '${text}' before end of file`);
    if (t.text !== text || t.kind === 'string' || t.kind === 'char') {
      throw new SyntaxError_(t, `expected '${text}' but found '${t.text}'`);
    }
    pos += 1;
    return t;
  };

  const parseParam = (): Param => {
    const t = peek();
    if (t === undefined) throw new SyntaxError_(eofLoc(), 'expected a parameter before end of file');
    if (t.kind === 'punct' && t.text === '{') {
      pos += 1;
      const items: Param[] = [];
      if (peek()?.text !== '}') {
        for (;;) {
          items.push(parseParam());
          const sep = peek();
          if (sep?.kind === 'punct' && sep.text === ',') {
            pos += 1;
            // A trailing comma before `}` is tolerated as in C initialisers.
            if (peek()?.kind === 'punct' && peek()?.text === '}') break;
            continue;
          }
          break;
        }
      }
      expect('}');
      return { kind: 'group', items, file: t.file, line: t.line };
    }
    // An expression: tokens up to a `,`, `}` or `)` at nesting depth 0.
    const start = pos;
    const nest: string[] = [];
    for (;;) {
      const u = peek();
      if (u === undefined) throw new SyntaxError_(eofLoc(), 'unterminated static API call');
      if (u.kind === 'punct') {
        if (nest.length === 0 && (u.text === ',' || u.text === '}' || u.text === ')')) break;
        if (u.text === ';') throw new SyntaxError_(u, "unexpected ';' inside a static API call");
        if (u.text === '{') throw new SyntaxError_(u, "unexpected '{' inside an expression");
        if (u.text === '(' || u.text === '[') nest.push(u.text === '(' ? ')' : ']');
        else if (u.text === ')' || u.text === ']') {
          if (nest.pop() !== u.text) throw new SyntaxError_(u, `unbalanced '${u.text}'`);
        }
      }
      pos += 1;
    }
    if (pos === start) {
      const u = tokens[pos]!;
      throw new SyntaxError_(u, `expected a parameter but found '${u.text}'`);
    }
    const toks = tokens.slice(start, pos);
    return { kind: 'expr', tokens: toks, text: tokensToText(toks), file: t.file, line: t.line };
  };

  while (pos < tokens.length) {
    const headIndex = pos;
    const head = tokens[pos]!;
    try {
      if (head.kind !== 'ident') {
        throw new SyntaxError_(head, `expected a static API name but found '${head.text}'`);
      }
      pos += 1;
      expect('(');
      const params: Param[] = [];
      if (peek()?.text !== ')' || peek()?.kind !== 'punct') {
        for (;;) {
          params.push(parseParam());
          if (peek()?.kind === 'punct' && peek()?.text === ',') {
            pos += 1;
            continue;
          }
          break;
        }
      }
      expect(')');
      expect(';');
      calls.push({ name: head.text, params, file: head.file, line: head.line, atToken: headIndex });
    } catch (e) {
      if (!(e instanceof SyntaxError_)) throw e;
      errors.push(cfgError(e.at, 'E_SYNTAX', e.message));
      // Recover: skip to just after the next `;` (or to the end).
      while (pos < tokens.length && !(tokens[pos]!.kind === 'punct' && tokens[pos]!.text === ';')) pos += 1;
      pos += 1;
    }
  }
  return { calls, errors };
}

/** Whether two parameters have the same shape: both expressions, or groups of same-shaped items. */
function sameShape(a: Param, b: Param): boolean {
  if (a.kind === 'expr' || b.kind === 'expr') return a.kind === b.kind;
  return a.items.length === b.items.length && a.items.every((x, i) => sameShape(x, b.items[i]!));
}

/**
 * Give each expression parameter of `expanded` (parsed from `cc -E`) its text as written,
 * taken from `written` (the same file parsed from `cc -E -fdirectives-only`), so kernel_cfg.c
 * reads `(TA_ACT)`, `(MID_PRIORITY)` as the TOPPERS configurator writes them. A call gets it only
 * when both parses agree on its name and shape (a macro that expands to a static API does not),
 * and a parameter only when it uses no macro that a cfg file defines (kernel_cfg.c does not see
 * those: only the headers are included there).
 */
export function attachSourceText(
  expanded: readonly StaticApiCall[],
  written: readonly StaticApiCall[],
  cfgMacros: ReadonlySet<string>,
): StaticApiCall[] {
  if (expanded.length !== written.length) return [...expanded];
  const attach = (e: Param, w: Param): Param => {
    if (e.kind === 'expr' && w.kind === 'expr') {
      if (w.tokens.some((t) => t.kind === 'ident' && cfgMacros.has(t.text))) return e;
      return { ...e, source: w.text };
    }
    if (e.kind === 'group' && w.kind === 'group') return { ...e, items: e.items.map((x, i) => attach(x, w.items[i]!)) };
    return e;
  };
  return expanded.map((call, i) => {
    const w = written[i]!;
    const ok = w.name === call.name && w.params.length === call.params.length && call.params.every((p, j) => sameShape(p, w.params[j]!));
    return ok ? { ...call, params: call.params.map((p, j) => attach(p, w.params[j]!)) } : call;
  });
}
