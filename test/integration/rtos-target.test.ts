// The RTOS target headers (guests/rtos/target/boards/<board>.h) agree with the board descriptions they mirror.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, inject, it } from 'vitest';
import { BOARDS } from '../../boards/index.js';
import type { BoardDescription, DeviceDescription } from '../../src/machine/board-description.js';
import { runGuest } from '../helpers/run-guest.js';

const headerDir = join(dirname(fileURLToPath(import.meta.url)), '../../guests/rtos/target/boards');

/** `#define NAME VALUE` lines of a header: numbers (decimal/hex, optional U suffix) or string literals. */
function parseDefines(text: string): Map<string, number | string> {
  const out = new Map<string, number | string>();
  const noComments = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '');
  for (const line of noComments.split('\n')) {
    const m = /^\s*#\s*define\s+([A-Z_][A-Z0-9_]*)\s+(.+?)\s*$/.exec(line);
    if (!m) continue;
    const [, name, raw] = m;
    if (/^TOPPERS_BOARD_/.test(name)) continue; // include guard
    const str = /^"(.*)"$/.exec(raw);
    const num = /^(0[xX][0-9a-fA-F]+|\d+)[uUlL]*$/.exec(raw);
    if (str) out.set(name, str[1]);
    else if (num) out.set(name, Number(num[1]));
    else out.set(name, raw); // an expression: compared as text, so it fails unless expected
  }
  return out;
}

function devicesOf<K extends DeviceDescription['kind']>(b: BoardDescription, kind: K): Extract<DeviceDescription, { kind: K }>[] {
  return b.devices.filter((d): d is Extract<DeviceDescription, { kind: K }> => d.kind === kind);
}

/** Software settings of the port that have no counterpart in the hardware description. */
const SOFTWARE_SETTINGS = new Set(['TARGET_BOARD_DESC', 'CONSOLE_BAUD']);

/** The value every hardware macro must have, derived from the board description. */
function expectedDefines(b: BoardDescription): Map<string, number | string | undefined> {
  const e = new Map<string, number | string | undefined>();
  const one = <K extends DeviceDescription['kind']>(kind: K, pick?: (d: Extract<DeviceDescription, { kind: K }>) => boolean) =>
    devicesOf(b, kind).find((d) => !pick || pick(d));
  e.set('TARGET_BOARD_NAME', b.name);
  e.set('CPU_CLOCK_HZ', b.cpu.frequencyHz);
  e.set('RAM_SIZE', Math.max(...b.memory.ram.map((r) => r.base + r.size)));
  e.set('PIC_MASTER', one('pic8259', (d) => d.role === 'master')?.port);
  e.set('PIC_SLAVE', one('pic8259', (d) => d.role === 'slave')?.port);
  const pit = one('pit8254');
  e.set('PIT_BASE', pit?.port);
  e.set('PIT_IRQ', pit?.irq);
  e.set('PIT_PORTB', pit?.portB);
  e.set('PIT_INPUT_HZ', pit?.inputHz);
  // UARTn is the n-th 16550 in the description (uart0 = COM1 = the console).
  const uarts = devicesOf(b, 'uart16550');
  uarts.forEach((u, i) => {
    e.set(`UART${i + 1}_BASE`, u.port);
    e.set(`UART${i + 1}_IRQ`, u.irq);
  });
  const clocks = [...new Set(uarts.map((u) => u.clockHz))];
  e.set('UART_INPUT_HZ', clocks.length === 1 ? clocks[0] : `one clock for every UART (board has ${clocks.join(', ')})`);
  const rtc = one('cmos-rtc');
  e.set('RTC_BASE', rtc?.port);
  e.set('RTC_IRQ', rtc?.irq);
  e.set('TARGET_EXIT_PORT', one('debug-exit')?.port);
  return e;
}

/** Every disagreement between a header and a board, one line each (empty = they agree). */
function compareHeader(headerText: string, b: BoardDescription): string[] {
  const got = parseDefines(headerText);
  const want = expectedDefines(b);
  const problems: string[] = [];
  for (const [name, value] of want) {
    if (value === undefined) {
      if (got.has(name)) problems.push(`${name} is defined but the board has no such device`);
    } else if (!got.has(name)) problems.push(`${name} missing (board: ${value})`);
    else if (got.get(name) !== value) problems.push(`${name} = ${got.get(name)}, board says ${value}`);
  }
  for (const name of got.keys()) {
    if (!want.has(name) && !SOFTWARE_SETTINGS.has(name)) problems.push(`${name} has no counterpart in the board description`);
  }
  return problems;
}

const headers = readdirSync(headerDir).filter((f) => f.endsWith('.h')).map((f) => f.slice(0, -2)).sort();

describe('RTOS target headers', () => {
  it('exist for exactly the boards in boards/', () => {
    expect(headers).toEqual(Object.keys(BOARDS).sort());
  });

  for (const name of Object.keys(BOARDS)) {
    it(`${name}.h agrees with boards/${name}/board.ts in every port, IRQ, clock and the RAM size`, () => {
      const text = readFileSync(join(headerDir, `${name}.h`), 'utf8');
      expect(compareHeader(text, BOARDS[name])).toEqual([]);
    });
  }

  it('gives the Élan SC410 its own 8254 input clock (1 189 200 Hz), not the PC one', () => {
    const d = parseDefines(readFileSync(join(headerDir, 'elan-sc410.h'), 'utf8'));
    expect(d.get('PIT_INPUT_HZ')).toBe(1_189_200);
  });

  // The compiled-in values reach the guest: a measurement program prints the clocks it was built with.
  for (const name of Object.keys(BOARDS)) {
    it(`bench-ctxsw built for ${name} reports that board's CPU and 8254 clocks and finishes`, () => {
      const image = (inject('guests').rtos ?? {})[`bench-ctxsw-${name}`];
      expect(image, `artefact bench-ctxsw-${name}`).toBeTruthy();
      const run = runGuest({ board: name, kernel: image, serialInput: '\n' });
      const pit = devicesOf(BOARDS[name], 'pit8254')[0];
      const lines = run.serial.split(/\r?\n/);
      expect(lines).toContain(`RTOSBENCH board=${name} cpu_hz=${BOARDS[name].cpu.frequencyHz} pit_hz=${pit.inputHz}`);
      expect(run.serial).toMatch(/^RTOSBENCH ctxsw\.wup_tsk n=10000 cycles_min=-?[\d.]+ cycles_mean=[\d.]+ /m);
      expect(lines).toContain('RTOSBENCH end status=ok');
      expect(run.report.endReason).toBe('exit');
      expect(run.report.guestExitValue).toBe(0);
    });
  }

  describe('the check itself', () => {
    const pc = BOARDS['pc-i486'];
    const text = readFileSync(join(headerDir, 'pc-i486.h'), 'utf8');

    it('reports a value that disagrees with the board', () => {
      const bad = text.replace(/#define PIT_INPUT_HZ\s+\S+/, '#define PIT_INPUT_HZ 1189200U');
      expect(compareHeader(bad, pc)).toEqual(['PIT_INPUT_HZ = 1189200, board says 1193182']);
    });

    it('reports a missing macro and a macro the board cannot confirm', () => {
      const bad = text.replace(/#define UART2_IRQ.*\n/, '').replace(/#endif/, '#define WATCHDOG_BASE 0x22\n#endif');
      expect(compareHeader(bad, pc)).toEqual(['UART2_IRQ missing (board: 3)', 'WATCHDOG_BASE has no counterpart in the board description']);
    });

    it('reads hexadecimal, decimal with suffix and string values', () => {
      const d = parseDefines('#define A 0x3F8 /* c */\n#define B 1843200U\n#define C "x y"\n');
      expect([...d]).toEqual([['A', 0x3f8], ['B', 1843200], ['C', 'x y']]);
    });
  });
});
