// Specification of the static-API parser: calls, nested groups, expressions, recovery.
import { describe, expect, it } from 'vitest';

import { lexPreprocessed } from '../../../guests/rtos/cfg/lexer.js';
import { parseStaticApis, type Param } from '../../../guests/rtos/cfg/parse.js';

const parse = (src: string) => parseStaticApis(lexPreprocessed(`# 1 "t.cfg"\n${src}`, () => true).tokens);
const shape = (p: Param): unknown => (p.kind === 'expr' ? p.text : p.items.map(shape));

describe('parseStaticApis', () => {
  it('parses a call with an object name and a parameter group', () => {
    const { calls, errors } = parse('CRE_TSK(TASK1, { TA_ACT, 0, task, 5, 4096, NULL });');
    expect(errors).toEqual([]);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.name).toBe('CRE_TSK');
    expect(calls[0]!.params.map(shape)).toEqual(['TASK1', ['TA_ACT', '0', 'task', '5', '4096', 'NULL']]);
  });

  it('parses nested brace groups (notification information)', () => {
    const { calls } = parse('CRE_CYC(C, { TA_STA, { TNFY_SETVAR | TENFY_INCVAR, &var, 5, &err }, 1000, 0 });');
    expect(calls[0]!.params.map(shape)).toEqual(['C', ['TA_STA', ['TNFY_SETVAR | TENFY_INCVAR', '&var', '5', '&err'], '1000', '0']]);
  });

  it('keeps commas inside parentheses and brackets within one expression', () => {
    const { calls } = parse('CRE_TSK(T, { 0, f(1, 2), task, (3, 4), sizeof(int[2]), tab[1] });');
    expect(calls[0]!.params.map(shape)).toEqual(['T', ['0', 'f(1, 2)', 'task', '(3, 4)', 'sizeof(int[2])', 'tab[1]']]);
  });

  it('takes string literals as parameters', () => {
    const { calls } = parse('INCLUDE("sub/x.cfg");');
    expect(calls[0]!.params.map(shape)).toEqual(['"sub/x.cfg"']);
  });

  it('records the line of every call and parameter', () => {
    const { calls } = parse('A(1);\n\nB(\n  2,\n  { 3 });');
    expect(calls.map((c) => c.line)).toEqual([1, 3]);
    expect(calls[1]!.params.map((p) => p.line)).toEqual([4, 5]);
  });

  it('accepts an empty parameter list and an empty group', () => {
    const { calls, errors } = parse('A(); B({});');
    expect(errors).toEqual([]);
    expect(calls.map((c) => c.params.map(shape))).toEqual([[], [[]]]);
  });

  it('reports a located E_SYNTAX error and resumes after the next semicolon', () => {
    const { calls, errors } = parse('A(1, { 2 );\nB(3);\nC(4)\nD(5);');
    expect(errors.map((e) => `${e.line}: ${e.code}`)).toEqual(['1: E_SYNTAX', '4: E_SYNTAX']);
    expect(calls.map((c) => c.name)).toEqual(['B']);
  });

  it('rejects unbalanced parentheses and a missing semicolon at end of file', () => {
    expect(parse('A((1);').errors[0]!.message).toMatch(/unexpected ';'|unbalanced|expected/);
    expect(parse('A(1)').errors[0]!.message).toMatch(/expected ';'/);
  });
});
