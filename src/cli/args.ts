/** Command-line option parsing for `shikiri`: flags with values, numbers in decimal or 0x-hex. */

/** A usage error: printed as one line, exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** How one option is written and what it takes. */
export interface OptionSpec {
  /** Takes a value (`--board NAME`), or is a switch (`--help`). */
  value: boolean;
  /** May be given several times (values collected in order). */
  repeat?: boolean;
}

/** Parsed options: value options as strings (or arrays for repeats), switches as true. */
export type ParsedOptions = Record<string, string | string[] | true>;

/** Parse `argv` against `spec`; positional arguments are returned separately. */
export function parseOptions(argv: readonly string[], spec: Readonly<Record<string, OptionSpec>>): { options: ParsedOptions; positional: string[] } {
  const options: ParsedOptions = {};
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('--') || arg === '--') {
      positional.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq < 0 ? undefined : eq);
    const s = spec[name];
    if (!s) throw new UsageError(`unknown option '--${name}' (see --help)`);
    if (!s.value) {
      if (eq >= 0) throw new UsageError(`option '--${name}' takes no value`);
      options[name] = true;
      continue;
    }
    let v: string;
    if (eq >= 0) v = arg.slice(eq + 1);
    else {
      if (i + 1 >= argv.length) throw new UsageError(`option '--${name}' needs a value`);
      v = argv[++i];
    }
    if (s.repeat) {
      const prev = options[name];
      options[name] = Array.isArray(prev) ? [...prev, v] : [v];
    } else {
      if (options[name] !== undefined) throw new UsageError(`option '--${name}' given twice`);
      options[name] = v;
    }
  }
  return { options, positional };
}

/** A number in decimal or 0x-hex, checked against a range; `what` names it in the error. */
export function parseNumber(text: string, what: string, min = 0, max = Number.MAX_SAFE_INTEGER): number {
  const t = text.trim().replace(/_/g, '');
  let n: number;
  if (/^0x[0-9a-f]+$/i.test(t)) n = parseInt(t.slice(2), 16);
  else if (/^[0-9]+$/.test(t)) n = parseInt(t, 10);
  else if (/^[0-9]*\.?[0-9]+(e[0-9]+)?$/i.test(t)) n = Number(t);
  else throw new UsageError(`${what}: '${text}' is not a number (decimal or 0x-hex)`);
  if (!(n >= min && n <= max)) throw new UsageError(`${what}: ${text} is out of range ${min}..${max}`);
  return n;
}

/** A string option's value (the last if repeated), or undefined. */
export function optString(o: ParsedOptions, name: string): string | undefined {
  const v = o[name];
  if (v === undefined || v === true) return undefined;
  return Array.isArray(v) ? v[v.length - 1] : v;
}

/** A repeated option's values, in order. */
export function optList(o: ParsedOptions, name: string): string[] {
  const v = o[name];
  if (v === undefined || v === true) return [];
  return Array.isArray(v) ? v : [v];
}
