/** `shikiri disasm FILE [--org ADDR] [--bits 16|32]`: disassemble a flat binary with the CPU's opcode table. */

import { readFileSync } from 'node:fs';
import { disassemble } from '../cpu/x86/index.js';
import { EXIT_CODES } from '../machine/run-report.js';
import { optString, parseNumber, parseOptions, UsageError } from './args.js';
import { CliError } from './cli-error.js';

const HELP = `usage: shikiri disasm FILE [--org ADDR] [--bits 16|32]

Disassembles a flat binary (the whole file) as loaded at ADDR (default 0), in 32-bit (default)
or 16-bit code.
`;

export function disasmCommand(argv: string[]): number {
  const { options, positional } = parseOptions(argv, { help: { value: false }, org: { value: true }, bits: { value: true } });
  if (options.help) {
    process.stdout.write(HELP);
    return 0;
  }
  if (positional.length !== 1) throw new UsageError('usage: shikiri disasm FILE [--org ADDR] [--bits 16|32]');
  const org = parseNumber(optString(options, 'org') ?? '0', '--org', 0, 0xffffffff);
  const bitsText = optString(options, 'bits') ?? '32';
  if (bitsText !== '16' && bitsText !== '32') throw new UsageError(`--bits: '${bitsText}' is not 16 or 32`);
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(readFileSync(positional[0]));
  } catch (e) {
    throw new CliError(`cannot read '${positional[0]}': ${(e as Error).message}`, EXIT_CODES.image);
  }
  for (const line of disassemble(bytes, org, bitsText === '16' ? 16 : 32)) process.stdout.write(line + '\n');
  return 0;
}
