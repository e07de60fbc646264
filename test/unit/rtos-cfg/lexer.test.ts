// Specification of the .cfg lexer: tokens carry the original file:line from cpp's line markers.
import { describe, expect, it } from 'vitest';

import { lexPreprocessed, stringLiteralValue } from '../../../guests/rtos/cfg/lexer.js';

const isCfg = (f: string): boolean => f.endsWith('.cfg');

describe('lexPreprocessed', () => {
  it('attributes tokens to the file and line named by the last line marker', () => {
    const text = ['# 1 "app.cfg"', '', 'CRE_SEM(S, {0, 1, 1});', '# 7 "other.cfg" 1', 'X(1);'].join('\n');
    const { tokens, errors } = lexPreprocessed(text, isCfg);
    expect(errors).toEqual([]);
    expect(tokens[0]).toMatchObject({ text: 'CRE_SEM', kind: 'ident', file: 'app.cfg', line: 2 });
    expect(tokens.find((t) => t.text === 'X')).toMatchObject({ file: 'other.cfg', line: 7 });
  });

  it('drops what headers leave behind: only cfg files hold configuration', () => {
    const text = ['# 1 "app.cfg"', '# 1 "app.h" 1', 'extern int x;', '# 2 "app.cfg" 2', 'A(1);'].join('\n');
    const { tokens } = lexPreprocessed(text, isCfg);
    expect(tokens.map((t) => t.text)).toEqual(['A', '(', '1', ')', ';']);
  });

  it('records #include directives written in cfg files (from -dI), not those made by headers or of .cfg files', () => {
    const text = [
      '# 1 "app.cfg"',
      '#include "app.h"',
      '# 1 "app.cfg"',
      '# 1 "app.h" 1',
      '#include <stdint.h>',
      '# 1 "/usr/include/stdint.h" 1 3 4',
      '# 2 "app.h" 2',
      '# 2 "app.cfg" 2',
      '#include "sub.cfg"',
      '# 2 "app.cfg"',
      '# 1 "sub.cfg" 1',
      'B(1);',
    ].join('\n');
    const { includes } = lexPreprocessed(text, isCfg);
    expect(includes).toEqual([{ file: 'app.cfg', line: 1, spelled: '"app.h"', atToken: 0 }]);
  });

  it('keeps strings, character constants and multi-character punctuators whole', () => {
    const text = ['# 1 "a.cfg"', 'INCLUDE("x\\"y.cfg"); Z(1 << 2, \'a\', a->b, L"w");'].join('\n');
    const texts = lexPreprocessed(text, isCfg).tokens.map((t) => t.text);
    expect(texts).toContain('"x\\"y.cfg"');
    expect(texts).toContain('<<');
    expect(texts).toContain("'a'");
    expect(texts).toContain('->');
    expect(texts).toContain('L"w"');
  });

  it('reports stray characters and unterminated literals at their line, and goes on', () => {
    const text = ['# 4 "a.cfg"', 'A(1 @ 2);', 'B("open);', 'C(3);'].join('\n');
    const { tokens, errors } = lexPreprocessed(text, isCfg);
    expect(errors.map((e) => `${e.file}:${e.line}: ${e.code}`)).toEqual(['a.cfg:4: E_SYNTAX', 'a.cfg:5: E_SYNTAX']);
    expect(tokens.some((t) => t.text === 'C' && t.line === 6)).toBe(true);
  });
});

describe('lexPreprocessed on -fdirectives-only output', () => {
  it('drops comments, joins continuations and records the macros cfg files define', () => {
    const text = [
      '# 1 "a.cfg"',
      '#define LOCAL 3',
      '#define LONG(x) \\',
      '  ((x) + 1)',
      '/* a comment',
      '   CRE_SEM(NOT_ME, { 0, 0, 1 }); */',
      'CRE_SEM(S, { TA_NULL, 0, \\',
      '  LOCAL }); // trailing',
      'X("/* not a comment */");',
      '# 1 "h.h" 1',
      '#define FROM_HEADER 1',
    ].join('\n');
    const r = lexPreprocessed(text, isCfg, { directivesOnly: true });
    expect(r.errors).toEqual([]);
    expect([...r.cfgMacros].sort()).toEqual(['LOCAL', 'LONG']);
    expect(r.tokens.map((t) => t.text).join(' ')).toBe('CRE_SEM ( S , { TA_NULL , 0 , LOCAL } ) ; X ( "/* not a comment */" ) ;');
    expect(r.tokens[0]!.line).toBe(6);
    expect(r.tokens.find((t) => t.text === 'X')!.line).toBe(8);
  });
});

describe('stringLiteralValue', () => {
  it('decodes C escapes', () => {
    expect(stringLiteralValue('"a\\\\b\\x41\\101\\n"')).toBe('a\\bAA\n');
  });
});
