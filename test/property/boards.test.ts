// Property: validateBoard answers every input (mutated boards, random JSON) with ok or located errors, never an exception.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BOARDS } from '../../boards/index.js';
import { devicePorts, validateBoard } from '../../src/machine/validate-board.js';
import { propertyParams } from '../helpers/property.js';

type Json = unknown;
type Path = Array<string | number>;

/** Every path into a JSON value (interior nodes and leaves). */
function paths(v: Json, prefix: Path = []): Path[] {
  const out: Path[] = [prefix];
  if (Array.isArray(v)) v.forEach((x, i) => out.push(...paths(x, [...prefix, i])));
  else if (typeof v === 'object' && v !== null) for (const [k, x] of Object.entries(v)) out.push(...paths(x, [...prefix, k]));
  return out;
}

type Mutation = { op: 'delete' | 'set' | 'duplicate'; pick: number; value: Json };

function mutate(root: Json, m: Mutation): Json {
  const all = paths(root).filter((p) => p.length > 0);
  const path = all[m.pick % all.length];
  let parent: any = root;
  for (const k of path.slice(0, -1)) parent = parent[k];
  const key = path[path.length - 1];
  if (m.op === 'delete') {
    if (Array.isArray(parent)) parent.splice(key as number, 1);
    else delete parent[key];
  } else if (m.op === 'set') parent[key] = m.value;
  else if (Array.isArray(parent)) parent.push(JSON.parse(JSON.stringify(parent[key as number] ?? null)));
  else parent[key] = m.value;
  return root;
}

const hostileValue = fc.oneof(
  fc.jsonValue(),
  fc.integer({ min: -(2 ** 33), max: 2 ** 33 }),
  fc.constantFrom(0, -1, 15, 16, 0xffff, 0x10000, 0xa0000, 0x100000, 0xfff00000, 0xffffffff, 2 ** 32, 2 ** 53, NaN, Infinity, -0, 1.5),
  fc.constantFrom('', 'master', 'slave', 'pic8259', 'watchdog', '2024-02-30T00:00:00Z', 'x'.repeat(1000)),
  fc.constant(undefined),
);

const mutation: fc.Arbitrary<Mutation> = fc.record({
  op: fc.constantFrom('delete', 'set', 'duplicate'),
  pick: fc.nat(),
  value: hostileValue,
});

/** Independent re-check of the invariants a valid board guarantees to the machine builder. */
function checkValidInvariants(board: any): void {
  const ports = new Map<number, string>();
  const irqs = new Set<number>();
  for (const d of board.devices) {
    for (const [base, count] of devicePorts(d)) {
      for (let p = base; p < base + count; p++) {
        expect(p).toBeLessThanOrEqual(0xffff);
        expect(ports.has(p), `port 0x${p.toString(16)} decoded twice`).toBe(false);
        ports.set(p, d.name);
      }
    }
    if (typeof d.irq === 'number') {
      expect(d.irq >= 0 && d.irq <= 15).toBe(true);
      expect(irqs.has(d.irq)).toBe(false);
      irqs.add(d.irq);
    }
  }
  for (const r of board.memory.ram) expect(r.base % 4096 === 0 && r.size % 4096 === 0 && r.base + r.size <= 0xfff00000).toBe(true);
}

const REQUIRED = ['name', 'summary', 'references', 'cpu', 'memory', 'devices', 'reset'];

function checkAnswer(input: unknown): void {
  let result: ReturnType<typeof validateBoard>;
  try {
    result = validateBoard(input);
  } catch (e) {
    throw new Error(`validateBoard threw ${String(e)}`);
  }
  if (result.ok) {
    checkValidInvariants(result.board);
    return;
  }
  expect(result.errors.length).toBeGreaterThan(0);
  for (const e of result.errors) {
    expect(typeof e.path).toBe('string');
    // The path is located: '' for a non-object input, else it starts at a field of the input or a required field.
    if (typeof input !== 'object' || input === null || Array.isArray(input)) expect(e.path).toBe('');
    else {
      const quoted = /^\[("(?:[^"\\]|\\.)*")\]/.exec(e.path);
      const head = quoted ? (JSON.parse(quoted[1]) as string) : /^[^.[]*/.exec(e.path)![0];
      expect(REQUIRED.includes(head) || Object.prototype.hasOwnProperty.call(input, head), `path '${e.path}' does not start at a field`).toBe(true);
    }
    expect(typeof e.message).toBe('string');
    expect(e.message.length).toBeGreaterThan(3);
  }
}

describe('validateBoard (property)', () => {
  const boards = Object.values(BOARDS);

  it('answers mutated boards (dropped fields, wrong types, random numbers, duplicated devices) with ok or located errors', () => {
    fc.assert(
      fc.property(fc.nat({ max: boards.length - 1 }), fc.array(mutation, { minLength: 1, maxLength: 5 }), (which, ms) => {
        let b: Json = JSON.parse(JSON.stringify(boards[which]));
        for (const m of ms) b = mutate(b, m);
        checkAnswer(b);
      }),
      propertyParams('mutated boards', 300),
    );
  });

  it('answers random JSON and arbitrary values with located errors', () => {
    fc.assert(
      fc.property(fc.oneof(fc.jsonValue(), fc.anything(), fc.dictionary(fc.constantFrom('name', 'cpu', 'memory', 'devices', 'reset', 'summary', 'references'), fc.anything())), (v) => {
        checkAnswer(v);
        expect(validateBoard(v).ok).toBe(false);
      }),
      propertyParams('random values', 300),
    );
  });

  it('reports a duplicated device as a name, port or IRQ clash', () => {
    fc.assert(
      fc.property(fc.nat({ max: boards.length - 1 }), fc.nat(), (which, pick) => {
        const b = JSON.parse(JSON.stringify(boards[which]));
        const i = pick % b.devices.length;
        b.devices.push(JSON.parse(JSON.stringify(b.devices[i])));
        const r = validateBoard(b);
        expect(r.ok).toBe(false);
        if (!r.ok) expect(r.errors.some((e) => e.path.startsWith(`devices[${b.devices.length - 1}]`))).toBe(true);
      }),
      propertyParams('duplicated device', 100),
    );
  });
});
