// Linux 6.1 (our config and /init) boots on every board and its shell works through the UART.
import { describe, expect, inject, it } from 'vitest';
import { BOARDS } from '../../boards/index.js';
import { createHash } from 'node:crypto';
import { ConsoleDriver } from '../helpers/console-driver.js';
import { runGuest } from '../helpers/run-guest.js';

const PROMPT = 'shikiri# ';

describe('Linux guest', () => {
  const linux = inject('guests').linux;

  it('is built by the test setup (bzImage and vmlinux)', () => {
    expect(linux?.bzImage).toBeTruthy();
    expect(linux?.vmlinux).toBeTruthy();
  });

  it('boots to the shell on pc-i486 and answers uname, /proc/meminfo, ps and stress, then powers off with end reason halt', { timeout: 600_000 }, () => {
    const d = new ConsoleDriver({ board: 'pc-i486', kernel: linux.bzImage });
    const boot = d.waitFor(PROMPT, 20);
    expect(boot).toContain('Linux version 6.1');
    expect(boot).toContain('x86/fpu: No FPU detected');
    expect(boot).toMatch(/ttyS0 at I\/O 0x3f8 \(irq = 4.*\) is a 16550A/);
    expect(boot).toMatch(/ttyS1 at I\/O 0x2f8 \(irq = 3.*\) is a 16550A/);

    d.send('uname -a');
    expect(d.waitFor(PROMPT)).toMatch(/Linux \S+ 6\.1\.\d+.* i486/);

    d.send('cat /proc/meminfo');
    const mem = d.waitFor(PROMPT);
    const total = Number(/MemTotal:\s+(\d+) kB/.exec(mem)?.[1]);
    expect(total).toBeGreaterThan(20 * 1024); // 32 MiB board, less the kernel
    expect(total).toBeLessThanOrEqual(32 * 1024);

    d.send('ps');
    expect(d.waitFor(PROMPT)).toMatch(/\b1\b.*init/);

    d.send('stress cpu 1');
    const stress = d.waitFor(PROMPT, 10);
    expect(stress).not.toMatch(/unknown command|error/i);

    d.send('poweroff');
    expect(d.runToEnd(10)).toBe('halt');
    expect(d.machine.report().exitCode).toBe(0);
  });

  it('ends with end reason reset on `reboot`', { timeout: 600_000 }, () => {
    const d = new ConsoleDriver({ board: 'pc-i486', kernel: linux.bzImage });
    d.waitFor(PROMPT, 20);
    d.send('reboot');
    expect(d.runToEnd(10)).toBe('reset');
  });

  it('boots the vmlinux ELF the same way', { timeout: 600_000 }, () => {
    const d = new ConsoleDriver({ board: 'pc-i486', kernel: linux.vmlinux });
    d.waitFor(PROMPT, 20);
    d.send('poweroff');
    expect(d.runToEnd(10)).toBe('halt');
  });

  it('runs deterministically: the same image and piped input give the same run, bit for bit', { timeout: 600_000 }, () => {
    const once = () => {
      const r = runGuest({ board: 'pc-i486', kernel: linux.bzImage, serialInput: 'ls /proc\rstress syscall 1\rpoweroff\r', maxTimeSeconds: 30 });
      return {
        serial: r.serial,
        endReason: r.report.endReason,
        instructions: r.report.instructions,
        cycles: r.report.cycles,
        ram: createHash('sha256').update(r.machine.bus.ram).digest('hex'),
        cpu: JSON.stringify(r.machine.cpu.saveState()),
      };
    };
    const a = once();
    const b = once();
    expect(a.endReason).toBe('halt');
    expect(a.serial).toContain('shikiri# ');
    expect(b).toEqual(a);
  });

  for (const board of Object.keys(BOARDS).filter((b) => b !== 'pc-i486')) {
    it(`boots to the shell on ${board}`, { timeout: 600_000 }, () => {
      const d = new ConsoleDriver({ board, kernel: linux.bzImage });
      d.waitFor(PROMPT, 20);
      d.send('cat /proc/meminfo');
      expect(d.waitFor(PROMPT)).toMatch(/MemTotal:\s+\d+ kB/);
      d.send('poweroff');
      expect(d.runToEnd(10)).toBe('halt');
    });
  }
});
