// Specification of `shikiri` option parsing: values, switches, repeats, numbers, errors.
import { describe, expect, it } from 'vitest';
import { optList, optString, parseNumber, parseOptions, UsageError } from '../../../src/cli/args.js';

const SPEC = { board: { value: true }, help: { value: false }, load: { value: true, repeat: true } } as const;

describe('parseOptions', () => {
  it('takes values after the flag or after =, switches without values, and keeps positionals', () => {
    const { options, positional } = parseOptions(['--board', 'pc-i486', 'file.bin', '--help', '--load=a@0x1000', '--load', 'b@4096'], SPEC);
    expect(optString(options, 'board')).toBe('pc-i486');
    expect(options.help).toBe(true);
    expect(optList(options, 'load')).toEqual(['a@0x1000', 'b@4096']);
    expect(positional).toEqual(['file.bin']);
  });

  it('rejects unknown options, missing values, values on switches and repeated single options', () => {
    expect(() => parseOptions(['--nope'], SPEC)).toThrow(new UsageError("unknown option '--nope' (see --help)"));
    expect(() => parseOptions(['--board'], SPEC)).toThrow(/'--board' needs a value/);
    expect(() => parseOptions(['--help=yes'], SPEC)).toThrow(/'--help' takes no value/);
    expect(() => parseOptions(['--board', 'a', '--board', 'b'], SPEC)).toThrow(/'--board' given twice/);
  });
});

describe('parseNumber', () => {
  it('reads decimal, 0x-hex, underscores and decimals', () => {
    expect(parseNumber('4096', 'n')).toBe(4096);
    expect(parseNumber('0xF4', 'n')).toBe(0xf4);
    expect(parseNumber('1_000_000', 'n')).toBe(1_000_000);
    expect(parseNumber('0.5', 'n')).toBe(0.5);
  });

  it('names the option and the range in its errors', () => {
    expect(() => parseNumber('ten', '--max-time')).toThrow("--max-time: 'ten' is not a number (decimal or 0x-hex)");
    expect(() => parseNumber('0x10000', '--post-port', 0, 0xffff)).toThrow('--post-port: 0x10000 is out of range 0..65535');
  });
});
