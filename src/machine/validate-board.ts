/** Board validation: every rule a board description must satisfy, checked before any machine is built. */

import { CPU_MODELS } from '../cpu/x86/models.js';
import { DEVICE_KINDS, type BoardDescription } from './board-description.js';

/** One problem in a board description: where it is (a JSON-like path) and what is wrong. */
export interface BoardError {
  /** Location in the description, e.g. `devices[3].irq`, `memory.ram[1]`, or `` for the whole board. */
  path: string;
  /** What is wrong, in a sentence fragment that names the offending value. */
  message: string;
}

/** Result of {@link validateBoard}: the typed board, or every problem found. */
export type BoardValidation = { ok: true; board: BoardDescription } | { ok: false; errors: BoardError[] };

/** Board names: lower case letters, digits and dashes, starting with a letter (used on the command line). */
export const BOARD_NAME_PATTERN = /^[a-z][a-z0-9-]{0,39}$/;
/** Device instance names: lower case letters, digits, dashes and underscores. */
export const DEVICE_NAME_PATTERN = /^[a-z][a-z0-9_-]{0,39}$/;

/** Slowest and fastest core clocks accepted, Hz (an i386-class embedded part lies well inside). */
export const MIN_FREQUENCY_HZ = 1_000_000;
export const MAX_FREQUENCY_HZ = 4_000_000_000;

/** RAM ranges and ROM windows are mapped by 4 KiB page (see AddressSpace). */
export const PAGE_BYTES = 0x1000;
/** Smallest total RAM accepted: the loaders' boot area and a real-mode IVT need at least this, bytes. */
export const MIN_RAM_BYTES = 0x10_0000;
/**
 * RAM must end at or below this physical address: the AddressSpace backing store stops here, and the
 * top 1 MiB of the 4 GiB space is kept for the firmware alias of the reset vector.
 */
export const RAM_LIMIT = 0xfff0_0000;
const FOUR_GIB = 0x1_0000_0000;

/**
 * Number of consecutive I/O ports each kind decodes from its `port` (the kbc-reset is special:
 * it decodes `port` and `port + 4`, one each; see {@link devicePorts}).
 */
export const DEVICE_PORT_COUNTS: Readonly<Record<(typeof DEVICE_KINDS)[number], number>> = {
  pic8259: 2, // A0 = 0 / 1 (8259A datasheet)
  pit8254: 4, // counters 0-2 and the control word (8254 datasheet)
  uart16550: 8, // RBR/THR .. SCR (PC16550D datasheet)
  'cmos-rtc': 2, // index and data
  'kbc-reset': 1, // data port; the command port + 4 is counted separately
  'fast-reset': 1,
  'power-off': 2, // accepts 8- and 16-bit writes
  'debug-console': 1,
  'debug-exit': 1,
  'post-code': 1,
  watchdog: 2, // elan-sc410: the Chip Setup and Control index/data pair (22h/23h)
};

/** Watchdog register layouts the machine knows. */
export const WATCHDOG_MODELS = ['elan-sc410'] as const;

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v);
const hex = (n: number): string => '0x' + n.toString(16).toUpperCase();
const describe = (v: unknown): string => {
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? v.slice(0, 40) + '…' : v);
  if (typeof v === 'number' || typeof v === 'boolean' || v === null || v === undefined) return String(v);
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'bigint') return `${v}n`;
  return `a ${typeof v}`;
};

/** Ports a device decodes, as [first, count] runs (empty if its fields are unusable). */
export function devicePorts(d: { kind: string; port?: unknown; portB?: unknown }): Array<[number, number]> {
  if (!isInt(d.port)) return [];
  const count = (DEVICE_PORT_COUNTS as Record<string, number>)[d.kind];
  if (count === undefined) return [];
  const runs: Array<[number, number]> = [[d.port, count]];
  if (d.kind === 'kbc-reset') runs.push([d.port + 4, 1]);
  if (d.kind === 'pit8254' && isInt(d.portB)) runs.push([d.portB, 1]);
  return runs;
}

/** Fields each device kind may have, beyond `name` and `kind`, and whether they are required. */
const DEVICE_FIELDS: Readonly<Record<string, Readonly<Record<string, boolean>>>> = {
  pic8259: { port: true, role: true, cascadeInput: false },
  pit8254: { port: true, irq: true, inputHz: true, portB: false },
  uart16550: { port: true, irq: true, clockHz: true, timing: true },
  'cmos-rtc': { port: true, irq: true, startTime: true },
  'kbc-reset': { port: true },
  'fast-reset': { port: true },
  'power-off': { port: true, value: true },
  'debug-console': { port: true },
  'debug-exit': { port: true },
  'post-code': { port: true },
  watchdog: { port: true, model: true },
};

/** Collects errors; every check keeps going so the user sees all problems at once. */
class Checker {
  readonly errors: BoardError[] = [];

  fail(path: string, message: string): void {
    this.errors.push({ path, message });
  }

  /** Require an own property of one of the accepted JS types; report and return false otherwise. */
  has(obj: Json, key: string, path: string, type: 'string' | 'number' | 'boolean' | 'object' | 'array'): boolean {
    const v = obj[key];
    const p = join(path, key);
    if (v === undefined) {
      this.fail(p, `is required (${type === 'array' ? 'an array' : type === 'object' ? 'an object' : 'a ' + type})`);
      return false;
    }
    const ok = type === 'array' ? Array.isArray(v) : type === 'object' ? isObject(v) : typeof v === type;
    if (!ok) {
      this.fail(p, `must be ${type === 'array' ? 'an array' : type === 'object' ? 'an object' : 'a ' + type}, not ${describe(v)}`);
      return false;
    }
    return true;
  }

  /** An integer field within [min, max]. */
  int(obj: Json, key: string, path: string, min: number, max: number, what: string, required = true): boolean {
    const v = obj[key];
    const p = join(path, key);
    if (v === undefined) {
      if (required) this.fail(p, `is required (${what})`);
      return false;
    }
    if (!isInt(v)) {
      this.fail(p, `must be an integer (${what}), not ${describe(v)}`);
      return false;
    }
    if (v < min || v > max) {
      this.fail(p, `${what} ${v >= 0 && max > 255 ? hex(v) : v} is outside ${max > 255 ? hex(min) : min}..${max > 255 ? hex(max) : max}`);
      return false;
    }
    return true;
  }

  oneOf(obj: Json, key: string, path: string, values: readonly string[]): boolean {
    const v = obj[key];
    const p = join(path, key);
    if (v === undefined) {
      this.fail(p, `is required (one of ${values.map((x) => `'${x}'`).join(', ')})`);
      return false;
    }
    if (typeof v !== 'string' || !values.includes(v)) {
      this.fail(p, `must be one of ${values.map((x) => `'${x}'`).join(', ')}, not ${describe(v)}`);
      return false;
    }
    return true;
  }

  unknownKeys(obj: Json, path: string, allowed: readonly string[]): void {
    for (const k of Object.keys(obj)) {
      if (!allowed.includes(k)) this.fail(joinKey(path, k), `is not a known field (known: ${allowed.join(', ')})`);
    }
  }
}

function join(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
}

/** Like join, but quotes a key that is not a plain identifier (`devices[0]["a.b"]`) so the path stays unambiguous. */
function joinKey(path: string, key: string): string {
  return /^[A-Za-z_$][\w$-]*$/.test(key) ? join(path, key) : `${path}[${JSON.stringify(key)}]`;
}

/**
 * Check a board description completely before anything is built: field types and required fields,
 * the name, the CPU model and clock, the RAM/ROM map, every device's fields, port overlaps, IRQ
 * wiring (controller present, no shared or out-of-range lines, cascade input free), single
 * instances of the system timer and RTC, and the reset policy. Never throws; reports every
 * problem found with its path.
 */
export function validateBoard(input: unknown): BoardValidation {
  const c = new Checker();
  if (!isObject(input)) {
    c.fail('', `a board description must be an object, not ${describe(input)}`);
    return { ok: false, errors: c.errors };
  }
  c.unknownKeys(input, '', ['name', 'summary', 'references', 'cpu', 'memory', 'devices', 'reset']);

  if (c.has(input, 'name', '', 'string') && !BOARD_NAME_PATTERN.test(input.name as string)) {
    c.fail('name', `${describe(input.name)} must be 1-40 lower-case letters, digits or dashes, starting with a letter`);
  }
  if (c.has(input, 'summary', '', 'string') && (input.summary as string).trim() === '') c.fail('summary', 'must not be empty');
  if (c.has(input, 'references', '', 'array')) {
    (input.references as unknown[]).forEach((r, i) => {
      if (typeof r !== 'string' || r.trim() === '') c.fail(`references[${i}]`, `must be a non-empty string, not ${describe(r)}`);
    });
  }

  if (c.has(input, 'cpu', '', 'object')) checkCpu(c, input.cpu as Json);
  if (c.has(input, 'memory', '', 'object')) checkMemory(c, input.memory as Json);
  if (c.has(input, 'devices', '', 'array')) checkDevices(c, input.devices as unknown[]);
  if (c.has(input, 'reset', '', 'object')) {
    const r = input.reset as Json;
    c.unknownKeys(r, 'reset', ['onReset', 'onTripleFault']);
    c.oneOf(r, 'onReset', 'reset', ['end', 'restart']);
    c.oneOf(r, 'onTripleFault', 'reset', ['reset', 'stop']);
  }

  if (c.errors.length > 0) return { ok: false, errors: c.errors };
  return { ok: true, board: input as unknown as BoardDescription };
}

function checkCpu(c: Checker, cpu: Json): void {
  c.unknownKeys(cpu, 'cpu', ['model', 'frequencyHz', 'fpu']);
  const models = Object.keys(CPU_MODELS);
  let model: string | undefined;
  if (c.has(cpu, 'model', 'cpu', 'string')) {
    if (Object.prototype.hasOwnProperty.call(CPU_MODELS, cpu.model as string)) model = cpu.model as string;
    else c.fail('cpu.model', `unknown CPU model ${describe(cpu.model)} (known: ${models.join(', ')})`);
  }
  const f = cpu.frequencyHz;
  if (f === undefined) c.fail('cpu.frequencyHz', 'is required (core clock in Hz)');
  else if (typeof f !== 'number' || !Number.isFinite(f) || !Number.isInteger(f)) c.fail('cpu.frequencyHz', `must be a whole number of Hz, not ${describe(f)}`);
  else if (f < MIN_FREQUENCY_HZ || f > MAX_FREQUENCY_HZ) c.fail('cpu.frequencyHz', `${f} Hz is outside ${MIN_FREQUENCY_HZ}..${MAX_FREQUENCY_HZ} Hz`);
  if (c.has(cpu, 'fpu', 'cpu', 'boolean') && model !== undefined && cpu.fpu !== CPU_MODELS[model].fpu) {
    c.fail('cpu.fpu', `is ${cpu.fpu} but CPU model '${model}' ${CPU_MODELS[model].fpu ? 'has' : 'has no'} x87 FPU`);
  }
}

interface Range {
  base: number;
  size: number;
  path: string;
}

const overlaps = (a: { base: number; size: number }, b: { base: number; size: number }): boolean =>
  a.base < b.base + b.size && b.base < a.base + a.size;

/** Check one {base,size} object; returns the range when usable for overlap checks. */
function checkRange(c: Checker, v: unknown, path: string, what: string, limit: number): Range | undefined {
  if (!isObject(v)) {
    c.fail(path, `must be an object {base, size}, not ${describe(v)}`);
    return undefined;
  }
  c.unknownKeys(v, path, ['base', 'size']);
  const baseOk = c.int(v, 'base', path, 0, FOUR_GIB - 1, `${what} base`);
  const sizeOk = c.int(v, 'size', path, 1, FOUR_GIB, `${what} size`);
  if (!baseOk || !sizeOk) return undefined;
  const base = v.base as number;
  const size = v.size as number;
  let good = true;
  if (base % PAGE_BYTES !== 0) {
    c.fail(join(path, 'base'), `${what} base ${hex(base)} is not 4 KiB aligned`);
    good = false;
  }
  if (size % PAGE_BYTES !== 0) {
    c.fail(join(path, 'size'), `${what} size ${hex(size)} is not a multiple of 4 KiB`);
    good = false;
  }
  if (base + size > limit) {
    c.fail(path, `${what} ${hex(base)}..${hex(base + size - 1)} ends above ${hex(limit - 1)}${limit === FOUR_GIB ? ' (4 GiB)' : ''}`);
    good = false;
  }
  return good ? { base, size, path } : undefined;
}

function checkMemory(c: Checker, mem: Json): void {
  c.unknownKeys(mem, 'memory', ['ram', 'rom']);
  const ram: Range[] = [];
  if (c.has(mem, 'ram', 'memory', 'array')) {
    const list = mem.ram as unknown[];
    if (list.length === 0) c.fail('memory.ram', 'must list at least one RAM range');
    list.forEach((r, i) => {
      const range = checkRange(c, r, `memory.ram[${i}]`, 'RAM range', RAM_LIMIT);
      if (range) ram.push(range);
    });
    const allUsable = ram.length === list.length;
    for (let i = 0; i < ram.length; i++) {
      for (let j = 0; j < i; j++) {
        if (overlaps(ram[i], ram[j])) c.fail(ram[i].path, `RAM range ${hex(ram[i].base)}+${hex(ram[i].size)} overlaps ${ram[j].path}`);
      }
    }
    if (allUsable && list.length > 0) {
      const total = ram.reduce((s, r) => s + r.size, 0);
      if (total < MIN_RAM_BYTES) c.fail('memory.ram', `total RAM ${hex(total)} bytes is below the minimum ${hex(MIN_RAM_BYTES)} (1 MiB)`);
      if (!ram.some((r) => r.base === 0)) c.fail('memory.ram', 'no RAM range starts at physical 0 (needed for the real-mode IVT and the loaders\' boot area)');
    }
  }
  if (mem.rom !== undefined) {
    if (!Array.isArray(mem.rom)) c.fail('memory.rom', `must be an array, not ${describe(mem.rom)}`);
    else {
      const rom: Range[] = [];
      mem.rom.forEach((w, i) => {
        const range = checkRange(c, w, `memory.rom[${i}]`, 'ROM window', FOUR_GIB);
        if (!range) return;
        for (const r of ram) if (overlaps(range, r)) c.fail(range.path, `ROM window ${hex(range.base)}+${hex(range.size)} overlaps RAM ${r.path}`);
        for (const o of rom) if (overlaps(range, o)) c.fail(range.path, `ROM window ${hex(range.base)}+${hex(range.size)} overlaps ${o.path}`);
        rom.push(range);
      });
    }
  }
}

/** A device that passed its field checks, with what the cross-device rules need. */
interface CheckedDevice {
  index: number;
  kind: string;
  name: string;
  d: Json;
}

function checkDevices(c: Checker, list: unknown[]): void {
  const devices: CheckedDevice[] = [];
  const names = new Map<string, number>();
  list.forEach((d, i) => {
    const path = `devices[${i}]`;
    if (!isObject(d)) {
      c.fail(path, `must be an object, not ${describe(d)}`);
      return;
    }
    let name = '';
    if (c.has(d, 'name', path, 'string')) {
      name = d.name as string;
      if (!DEVICE_NAME_PATTERN.test(name)) c.fail(`${path}.name`, `${describe(name)} must be 1-40 lower-case letters, digits, '-' or '_', starting with a letter`);
      const first = names.get(name);
      if (first !== undefined) c.fail(`${path}.name`, `device name '${name}' is already used by devices[${first}]`);
      else names.set(name, i);
    }
    if (!c.has(d, 'kind', path, 'string')) return;
    const kind = d.kind as string;
    const fields = DEVICE_FIELDS[kind];
    if (!(DEVICE_KINDS as readonly string[]).includes(kind) || fields === undefined) {
      c.fail(`${path}.kind`, `unknown device kind ${describe(kind)} (known: ${DEVICE_KINDS.join(', ')})`);
      return;
    }
    c.unknownKeys(d, path, ['name', 'kind', ...Object.keys(fields)]);
    checkDeviceFields(c, kind, d, path);
    devices.push({ index: i, kind, name, d });
  });

  checkPortOverlaps(c, devices);
  checkIrqWiring(c, devices);
  for (const kind of ['pit8254', 'cmos-rtc']) {
    const all = devices.filter((x) => x.kind === kind);
    for (const extra of all.slice(1)) {
      c.fail(`devices[${extra.index}]`, `a second ${kind} ('${extra.name}'); the board has one (devices[${all[0].index}]): Linux and the machine drive a single ${kind === 'pit8254' ? 'system timer' : 'real-time clock'}`);
    }
  }
}

const PORT_MAX = 0xffff;

function checkDeviceFields(c: Checker, kind: string, d: Json, path: string): void {
  const count = DEVICE_PORT_COUNTS[kind as keyof typeof DEVICE_PORT_COUNTS];
  const lastBase = kind === 'kbc-reset' ? PORT_MAX - 4 : PORT_MAX - count + 1;
  c.int(d, 'port', path, 0, lastBase, `base port (${kind} decodes ${count === 1 && kind !== 'kbc-reset' ? '1 port' : kind === 'kbc-reset' ? 'port and port+4' : count + ' ports'})`);
  const irq = () => c.int(d, 'irq', path, 0, 15, 'IRQ');
  switch (kind) {
    case 'pic8259': {
      const roleOk = c.oneOf(d, 'role', path, ['master', 'slave']);
      if (roleOk && d.role === 'slave') c.int(d, 'cascadeInput', path, 0, 7, 'master input the slave cascades into');
      else if (roleOk && d.cascadeInput !== undefined) c.fail(`${path}.cascadeInput`, 'applies only to a slave 8259');
      break;
    }
    case 'pit8254':
      irq();
      c.int(d, 'inputHz', path, 1, 100_000_000, 'counter input clock in Hz');
      if (d.portB !== undefined) c.int(d, 'portB', path, 0, PORT_MAX, 'system control port B');
      break;
    case 'uart16550':
      irq();
      c.int(d, 'clockHz', path, 1, 100_000_000, 'reference clock in Hz');
      c.oneOf(d, 'timing', path, ['instant', 'baud']);
      break;
    case 'cmos-rtc':
      irq();
      if (c.has(d, 'startTime', path, 'string')) {
        const problem = isoUtcProblem(d.startTime as string);
        if (problem) c.fail(`${path}.startTime`, problem);
      }
      break;
    case 'power-off':
      c.int(d, 'value', path, 0, 0xffff, 'value that powers off');
      break;
    case 'watchdog':
      c.oneOf(d, 'model', path, WATCHDOG_MODELS);
      break;
  }
}

/**
 * Why a string is not an ISO 8601 UTC date-time the MC146818 can hold (`YYYY-MM-DDTHH:MM:SS[.fff]Z`,
 * years 1900-2099 because the CMOS century byte holds 19 or 20), or undefined when it is fine.
 */
export function isoUtcProblem(s: string): string | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?Z$/.exec(s);
  if (!m) return `${describe(s)} is not an ISO 8601 UTC date-time like 2024-01-01T00:00:00Z`;
  const [y, mo, d, h, mi, se] = m.slice(1, 7).map(Number);
  if (y < 1900 || y > 2099) return `year ${y} is outside 1900..2099 (the RTC's century byte holds 19 or 20)`;
  const days = new Date(Date.UTC(y, mo, 0)).getUTCDate(); // day 0 of the next month = last day of month mo
  if (mo < 1 || mo > 12 || d < 1 || d > days || h > 23 || mi > 59 || se > 59) return `${describe(s)} is not a real date and time`;
  return undefined;
}

function checkPortOverlaps(c: Checker, devices: CheckedDevice[]): void {
  const owner = new Map<number, CheckedDevice>();
  for (const dev of devices) {
    const reported = new Set<string>();
    for (const [base, count] of devicePorts(dev.d as { kind: string; port?: unknown })) {
      for (let p = base; p < base + count && p <= PORT_MAX; p++) {
        const o = owner.get(p);
        if (o && o !== dev) {
          const key = `${o.index}`;
          if (!reported.has(key)) {
            reported.add(key);
            c.fail(`devices[${dev.index}].port`, `port ${hex(p)} of '${dev.name}' (${dev.kind}) is also decoded by devices[${o.index}] '${o.name}' (${o.kind})`);
          }
        } else if (!o) owner.set(p, dev);
      }
    }
  }
}

function checkIrqWiring(c: Checker, devices: CheckedDevice[]): void {
  const pics = devices.filter((x) => x.kind === 'pic8259');
  const masters = pics.filter((x) => x.d.role === 'master');
  const slaves = pics.filter((x) => x.d.role === 'slave');
  for (const extra of masters.slice(1)) c.fail(`devices[${extra.index}].role`, `a second master 8259 ('${extra.name}'); devices[${masters[0].index}] already drives the CPU's INTR`);
  for (const extra of slaves.slice(1)) c.fail(`devices[${extra.index}].role`, `a second slave 8259 ('${extra.name}'); the board's IRQ numbering (0..15) has room for one slave`);
  const slave = slaves[0];
  if (slave && masters.length === 0) c.fail(`devices[${slave.index}]`, `slave 8259 '${slave.name}' has no master 8259 to cascade into`);
  const cascade = slave && isInt(slave.d.cascadeInput) ? (slave.d.cascadeInput as number) : undefined;

  const users = new Map<number, CheckedDevice>();
  for (const dev of devices) {
    if (!('irq' in dev.d) || !isInt(dev.d.irq) || dev.d.irq < 0 || dev.d.irq > 15) continue;
    const irq = dev.d.irq as number;
    const path = `devices[${dev.index}].irq`;
    if (masters.length === 0) c.fail(path, `'${dev.name}' uses IRQ ${irq} but the board has no master 8259 (pic8259 with role 'master')`);
    else if (irq >= 8 && !slave) c.fail(path, `'${dev.name}' uses IRQ ${irq} but the board has no slave 8259 for IRQs 8..15`);
    if (cascade !== undefined && irq === cascade) c.fail(path, `'${dev.name}' uses IRQ ${irq}, the master input the slave 8259 '${slave!.name}' cascades into`);
    const other = users.get(irq);
    if (other) c.fail(path, `IRQ ${irq} of '${dev.name}' is already used by devices[${other.index}] '${other.name}' (edge-triggered ISA lines cannot be shared)`);
    else users.set(irq, dev);
  }
}

/** Format validation errors one per line: `board 'x': devices[3].irq: IRQ 16 is outside 0..15`. */
export function formatBoardErrors(name: string, errors: readonly BoardError[]): string {
  return errors.map((e) => `board '${name}': ${e.path === '' ? '' : e.path + ': '}${e.message}`).join('\n');
}
