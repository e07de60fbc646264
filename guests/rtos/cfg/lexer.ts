// Splits preprocessed .cfg text into C tokens, each attributed to its original file:line.
import { cfgError, type CfgError, type SourceLocation } from './diagnostic.js';

/** Token classes of C after preprocessing (C11 6.4). */
export type TokenKind = 'ident' | 'number' | 'string' | 'char' | 'punct';

/** One token with the original location given by the preprocessor's line markers. */
export interface Token extends SourceLocation {
  readonly kind: TokenKind;
  readonly text: string;
}

/**
 * A `#include` directive written in a cfg file (not one a header made), as spelled: `"x.h"` or
 * `<x.h>`. The preprocessor keeps these in its output when run with `-dI`.
 */
export interface IncludeRecord extends SourceLocation {
  readonly spelled: string;
  /** Number of cfg tokens before the directive: orders it among the static APIs. */
  readonly atToken?: number;
}

/** Tokens of the cfg files, the header includes they made, and lexical errors. */
export interface LexResult {
  readonly tokens: Token[];
  readonly includes: IncludeRecord[];
  readonly errors: CfgError[];
  /** Macros that cfg files #define or #undef (only with `directivesOnly`). */
  readonly cfgMacros: Set<string>;
}

/** How the text was preprocessed. */
export interface LexOptions {
  /**
   * Output of `cc -E -fdirectives-only`: macros are not expanded, and comments, line
   * continuations and #define lines are still present.
   */
  readonly directivesOnly?: boolean;
}

/** Punctuators, longest first so that matching is greedy (C11 6.4.6). */
const PUNCTUATORS = [
  '<<=', '>>=', '...', '->', '++', '--', '<<', '>>', '<=', '>=', '==', '!=', '&&', '||',
  '*=', '/=', '%=', '+=', '-=', '&=', '^=', '|=', '##',
  '[', ']', '(', ')', '{', '}', '.', '&', '*', '+', '-', '~', '!', '/', '%', '<', '>', '^', '|',
  '?', ':', ';', '=', ',', '#',
];

const MARKER = /^#\s*(?:line\s+)?(\d+)\s+"((?:[^"\\]|\\.)*)"((?:\s+\d+)*)\s*$/;

/** Undo the escaping cpp applies to file names in line markers. */
function markerFileName(raw: string): string {
  return raw.replace(/\\(.)/g, '$1');
}

/**
 * Tokenise `text` (output of `cc -E` with line markers). Only tokens whose original file
 * satisfies `isCfgFile` are returned: the .cfg grammar applies to cfg files, and what headers
 * leave behind (declarations hidden or not by TOPPERS_MACRO_ONLY) is not configuration.
 */
export function lexPreprocessed(text: string, isCfgFile: (file: string) => boolean, options: LexOptions = {}): LexResult {
  const tokens: Token[] = [];
  const cfgMacros = new Set<string>();
  const rawOnly = options.directivesOnly === true;
  let inComment = false;
  const includes: IncludeRecord[] = [];
  const errors: CfgError[] = [];
  // A directive seen in a cfg file, kept until we know whether it entered another cfg file
  // (`#include "x.cfg"` is configuration, not a header to re-emit).
  let pending: IncludeRecord | undefined;
  const flush = (): void => {
    if (pending) includes.push(pending);
    pending = undefined;
  };
  let file = '<input>';
  let line = 0;
  let cfg = false;

  const lines = text.split('\n');
  for (let li = 0; li < lines.length; li++) {
    let rawLine = lines[li]!;
    line += 1;
    const startLine = line;
    if (rawOnly) {
      // Join backslash continuations (cpp has not done it), keeping later line numbers right.
      while (rawLine.endsWith('\\') && li + 1 < lines.length) {
        rawLine = rawLine.slice(0, -1) + lines[++li]!;
        line += 1;
      }
      const stripped = stripComments(rawLine, inComment);
      rawLine = stripped.text;
      inComment = stripped.inComment;
    }
    const trimmed = rawLine.trimStart();
    if (trimmed.startsWith('#')) {
      const m = MARKER.exec(trimmed);
      if (m) {
        const newFile = markerFileName(m[2]!);
        const flags = m[3]!.trim().split(/\s+/).filter((f) => f.length > 0);
        // -dI prints the directive, then a marker back to the includer, then the entering
        // marker (flag 1): only the latter settles what was included.
        if (flags.includes('1')) {
          if (pending && isCfgFile(newFile)) pending = undefined;
          flush();
        }
        file = newFile;
        line = Number(m[1]) - 1;
        cfg = isCfgFile(file);
        inComment = false;
        continue;
      }
      flush();
      const def = /^#\s*(?:define|undef)\s+([A-Za-z_]\w*)/.exec(trimmed);
      if (def && cfg) cfgMacros.add(def[1]!);
      const inc = /^#\s*include\s+("[^"]*"|<[^>]*>)/.exec(trimmed);
      if (inc && cfg) pending = { file, line, spelled: inc[1]!, atToken: tokens.length };
      // Other directives cpp leaves (#pragma, #ident) carry no configuration.
      continue;
    }
    flush();
    if (!cfg) continue;
    lexLine(rawLine, { file, line: startLine }, tokens, errors);
  }
  flush();
  return { tokens, includes, errors, cfgMacros };
}

/** Replace comments in one line by a space; `inComment` carries an open block comment over lines. */
function stripComments(src: string, inComment: boolean): { text: string; inComment: boolean } {
  let out = '';
  let i = 0;
  let open = inComment;
  while (i < src.length) {
    if (open) {
      const end = src.indexOf('*/', i);
      if (end < 0) return { text: out, inComment: true };
      out += ' ';
      i = end + 2;
      open = false;
      continue;
    }
    const c = src[i]!;
    if (c === '"' || c === "'") {
      const end = quotedEnd(src, i);
      if (end < 0) return { text: out + src.slice(i), inComment: false };
      out += src.slice(i, end);
      i = end;
    } else if (src.startsWith('/*', i)) {
      open = true;
      i += 2;
    } else if (src.startsWith('//', i)) {
      return { text: out, inComment: false };
    } else {
      out += c;
      i += 1;
    }
  }
  return { text: out, inComment: open };
}

/** Tokenise one physical line (cpp has already joined continuations and removed comments). */
function lexLine(src: string, loc: SourceLocation, out: Token[], errors: CfgError[]): void {
  let i = 0;
  const n = src.length;
  const push = (kind: TokenKind, text: string): void => {
    out.push({ kind, text, file: loc.file, line: loc.line });
  };
  while (i < n) {
    const c = src[i]!;
    if (c === ' ' || c === '\t' || c === '\r' || c === '\f' || c === '\v') {
      i += 1;
      continue;
    }
    if (/[A-Za-z_]/.test(c)) {
      let j = i + 1;
      while (j < n && /[A-Za-z0-9_]/.test(src[j]!)) j += 1;
      // A prefixed string or char literal (L"x", u8"x") is one token.
      if (j < n && (src[j] === '"' || src[j] === "'") && /^(L|u8|u|U)$/.test(src.slice(i, j))) {
        const end = quotedEnd(src, j);
        if (end < 0) {
          errors.push(cfgError(loc, 'E_SYNTAX', 'unterminated literal'));
          return;
        }
        push(src[j] === '"' ? 'string' : 'char', src.slice(i, end));
        i = end;
        continue;
      }
      push('ident', src.slice(i, j));
      i = j;
      continue;
    }
    if (/[0-9]/.test(c) || (c === '.' && i + 1 < n && /[0-9]/.test(src[i + 1]!))) {
      // pp-number (C11 6.4.8): digits, letters, dots, and exponent signs.
      let j = i + 1;
      while (j < n) {
        const d = src[j]!;
        if (/[eEpP]/.test(d) && j + 1 < n && (src[j + 1] === '+' || src[j + 1] === '-')) {
          j += 2;
        } else if (/[A-Za-z0-9_.]/.test(d)) {
          j += 1;
        } else break;
      }
      push('number', src.slice(i, j));
      i = j;
      continue;
    }
    if (c === '"' || c === "'") {
      const end = quotedEnd(src, i);
      if (end < 0) {
        errors.push(cfgError(loc, 'E_SYNTAX', `unterminated ${c === '"' ? 'string' : 'character'} literal`));
        return;
      }
      push(c === '"' ? 'string' : 'char', src.slice(i, end));
      i = end;
      continue;
    }
    const p = PUNCTUATORS.find((q) => src.startsWith(q, i));
    if (p !== undefined) {
      push('punct', p);
      i += p.length;
      continue;
    }
    errors.push(cfgError(loc, 'E_SYNTAX', `stray character '${c}' (U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')})`));
    i += c.length;
  }
}

/** Index just past the closing quote of the literal opening at `start`, or -1. */
function quotedEnd(src: string, start: number): number {
  const q = src[start];
  let i = start + 1;
  while (i < src.length) {
    const c = src[i]!;
    if (c === '\\') i += 2;
    else if (c === q) return i + 1;
    else i += 1;
  }
  return -1;
}

/** The value of a C string literal token's characters (escapes decoded; prefixes dropped). */
export function stringLiteralValue(text: string): string {
  const open = text.indexOf('"');
  const body = text.slice(open + 1, -1);
  return body.replace(/\\(x[0-9a-fA-F]+|[0-7]{1,3}|.)/g, (_m, e: string) => {
    if (e[0] === 'x') return String.fromCharCode(parseInt(e.slice(1), 16) & 0xff);
    if (/^[0-7]/.test(e)) return String.fromCharCode(parseInt(e, 8) & 0xff);
    const simple: Record<string, string> = { n: '\n', t: '\t', r: '\r', a: '\x07', b: '\b', f: '\f', v: '\v', '0': '\0' };
    return simple[e] ?? e;
  });
}
