// The acceptance demo (guests/tests/demo) tells its story on COM1 and port 0xE9 and ends with exit value 0x21.
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { runGuest } from '../helpers/run-guest.js';

const TICKS_WANTED = 10;
const EXIT_VALUE = 0x21;

/** The RTC start time configured on the default board, if the board file exists and declares one. */
async function boardStartTime(): Promise<string | undefined> {
  const file = fileURLToPath(new URL('../../boards/pc-i486/board.ts', import.meta.url));
  if (!existsSync(file)) return undefined;
  const mod = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  for (const value of Object.values(mod)) {
    const devices = (value as { devices?: unknown })?.devices;
    if (!Array.isArray(devices)) continue;
    const rtc = devices.find((d) => (d as { kind?: string }).kind === 'cmos-rtc') as { startTime?: string } | undefined;
    if (rtc?.startTime) return rtc.startTime;
  }
  return undefined;
}

describe('acceptance demo on the default board', () => {
  let result: Awaited<ReturnType<typeof runGuest>>;

  beforeAll(async () => {
    const kernel = inject('guests').tests?.demo;
    expect(kernel, 'guest artefact tests/demo').toBeTruthy();
    result = await runGuest({ board: 'pc-i486', kernel: kernel!, maxTimeSeconds: 60, maxInstructions: 100_000_000 });
  });

  it('prints its banner on the serial port (CR LF line ends) and on the debug console', () => {
    expect(result.serial).toContain('Shikiri demo: a bare-metal program on a simulated i486 board\r\n');
    expect(result.debugcon).toContain('Shikiri demo: a bare-metal program on a simulated i486 board\n');
  });

  it('tells the same story on both consoles', () => {
    expect(result.serial.replace(/\r\n/g, '\n')).toBe(result.debugcon);
  });

  it(`takes at least ${TICKS_WANTED} timer interrupts through the 8259 from the 8254 at 100 Hz`, () => {
    const m = /timer: (\d+) ticks taken/.exec(result.debugcon);
    expect(m, result.debugcon).not.toBeNull();
    expect(Number(m![1])).toBeGreaterThanOrEqual(TICKS_WANTED);
  });

  it('reads the RTC and prints the board start date (time may have advanced by the run)', async () => {
    const m = /RTC: (\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})/.exec(result.debugcon);
    expect(m, result.debugcon).not.toBeNull();
    const [year, month, day, hour, minute, second] = m!.slice(1).map(Number);
    expect(month).toBeGreaterThanOrEqual(1);
    expect(month).toBeLessThanOrEqual(12);
    expect(day).toBeGreaterThanOrEqual(1);
    expect(day).toBeLessThanOrEqual(31);
    expect(hour).toBeLessThan(24);
    expect(minute).toBeLessThan(60);
    expect(second).toBeLessThan(60);
    const start = await boardStartTime();
    if (start === undefined) {
      expect(year).toBeGreaterThanOrEqual(1990);
      expect(year).toBeLessThanOrEqual(2099);
      return;
    }
    // The demo runs for a fraction of a (virtual) second: the clock reads the start time or one second later.
    const printed = Date.UTC(year, month - 1, day, hour, minute, second);
    const configured = Math.floor(Date.parse(start) / 1000) * 1000;
    expect(printed - configured).toBeGreaterThanOrEqual(0);
    expect(printed - configured).toBeLessThanOrEqual(2000);
  });

  it('ends through port 0xF4 with value 0x21 (exit code 0x43)', () => {
    expect(result.report.endReason).toBe('exit');
    expect(result.report.guestExitValue).toBe(EXIT_VALUE);
    expect(result.report.exitCode).toBe((EXIT_VALUE << 1) | 1);
  });
});
