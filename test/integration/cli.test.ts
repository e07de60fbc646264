// The `shikiri` command end to end: subcommands, exit codes, errors, reports, piped input.
import { describe, expect, inject, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const CLI = join(__dirname, '..', '..', 'dist', 'cli.js');

function shikiri(args: string[], input = '', env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [CLI, ...args], { input, encoding: 'latin1', timeout: 300_000, env: { ...process.env, ...env } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('shikiri CLI', () => {
  const guests = inject('guests');
  const tmp = mkdtempSync(join(tmpdir(), 'shikiri-cli-'));

  it('prints usage with --help everywhere, exit code 0', () => {
    for (const args of [['--help'], ['run', '--help'], ['boards', '--help'], ['board', '--help'], ['start', '--help'], ['disasm', '--help'], ['rtos-cfg', '--help']]) {
      const r = shikiri(args);
      expect(r.code, args.join(' ')).toBe(0);
      expect(r.stdout, args.join(' ')).toMatch(/usage/i);
    }
  });

  it('`start` runs through the launcher: the demo, and (when built) Linux to its prompt and power-off', () => {
    // The launcher runs the CLI as a vm.Script, where the guest builder's import() needs its help.
    const demo = shikiri(['start', '--demo']);
    expect(demo.stderr).not.toMatch(/internal error/);
    expect(demo.code).toBe(67); // guest exit value 0x21
    expect(demo.stdout).toContain('done: exit value 0x21 through port 0xf4');
    if (!guests.linux) return;
    const linux = shikiri(['start'], 'uname -a\npoweroff\n');
    expect(linux.code).toBe(0);
    expect(linux.stdout).toMatch(/^Linux \S+ 6\.1\.\d+ .* i486$/m);
    expect(linux.stdout).toContain('reboot: System halted');
  });

  it('runs as an executable through its #! line (Node with its worker pool sized to the machine)', () => {
    expect(readFileSync(CLI, 'latin1').split('\n', 1)[0]).toBe('#!/usr/bin/env -S node --v8-pool-size=0');
    const r = spawnSync(CLI, ['start', '--demo'], { encoding: 'latin1', timeout: 300_000 });
    expect(r.error).toBeUndefined();
    expect(r.stderr).not.toMatch(/internal error/);
    expect(r.status).toBe(67);
    expect(r.stdout).toContain('done: exit value 0x21 through port 0xf4');
  });

  it('fails at once with the reason when the guest cache folder cannot be made', () => {
    // A folder under /proc cannot be created; Node's recursive mkdir would retry it for ever.
    const r = shikiri(['start', '--demo'], '', { SHIKIRI_CACHE: '/proc/shikiri-no-such/cache' });
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/cannot create the guest cache folder \/proc\/shikiri-no-such\/cache \(ENOENT\); set SHIKIRI_CACHE/);
  });

  it('lists the boards and prints a validated description', () => {
    const list = shikiri(['boards']);
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/^pc-i486 .*\(default\)$/m);
    expect(list.stdout).toMatch(/^vortex86sx /m);
    expect(list.stdout).toMatch(/^elan-sc410 /m);
    const one = shikiri(['board', 'vortex86sx']);
    expect(JSON.parse(one.stdout)).toMatchObject({ name: 'vortex86sx', cpu: { frequencyHz: 300_000_000 } });
  });

  it('rejects usage errors with one line and exit code 2', () => {
    for (const [args, msg] of [
      [['frobnicate'], /unknown command 'frobnicate'/],
      [['run', '--board', 'nope', '--kernel', 'x'], /unknown board 'nope' \(known: pc-i486/],
      [['run', '--kernel', 'x', '--max-time', 'soon'], /--max-time: 'soon' is not a number/],
      [['run', '--bogus'], /unknown option '--bogus'/],
      [['run'], /no image given/],
      [['run', '--kernel', 'x', '--engine', 'turbo'], /--engine: 'turbo' is not interp, jit, wasm/],
      [['run', '--kernel', 'x', '--jit-threshold', '0'], /--jit-threshold/],
    ] as const) {
      const r = shikiri([...args]);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(msg);
    }
  });

  it('runs the demo on either engine with the same output and report, naming the engine in the report', () => {
    const runs = (['interp', 'jit'] as const).map((engine) => {
      const report = join(tmp, `demo-${engine}.json`);
      const r = shikiri(['run', '--kernel', guests.tests!.demo, '--engine', engine, '--jit-threshold', '1', '--report', report, '--quiet']);
      const { wallMs: _w, mips: _m, host: _h, compiledBlocks, ...rest } = JSON.parse(readFileSync(report, 'utf8'));
      return { code: r.code, stdout: r.stdout, rest, compiledBlocks };
    });
    expect(runs[0].rest.engine).toBe('interp');
    expect(runs[1].rest.engine).toBe('jit');
    expect(runs[1].compiledBlocks).toBeGreaterThan(0);
    expect(runs[1].code).toBe(runs[0].code);
    expect(runs[1].stdout).toBe(runs[0].stdout);
    expect({ ...runs[1].rest, engine: 'interp' }).toEqual(runs[0].rest);
  });

  it('keeps a V8 code cache of itself in SHIKIRI_CACHE once a command has run a machine, and runs the same with or without it', () => {
    const cache = mkdtempSync(join(tmpdir(), 'shikiri-v8-'));
    const files = () => readdirSync(cache).filter((f) => f.startsWith('v8-cli-'));
    expect(shikiri(['boards'], '', { SHIKIRI_CACHE: cache }).code).toBe(0);
    expect(shikiri(['run', '--help'], '', { SHIKIRI_CACHE: cache }).code).toBe(0);
    expect(files()).toEqual([]); // nothing worth caching has run yet
    const demo = ['run', '--kernel', guests.tests!.demo, '--quiet'];
    const first = shikiri(demo, '', { SHIKIRI_CACHE: cache });
    expect(files()).toHaveLength(1);
    const second = shikiri(demo, '', { SHIKIRI_CACHE: cache });
    expect(second.code).toBe(first.code);
    expect(second.stdout).toBe(first.stdout);
    // A cache directory that cannot be created costs nothing but the cache.
    const blocked = join(cache, 'a-file');
    writeFileSync(blocked, '');
    const third = shikiri(demo, '', { SHIKIRI_CACHE: join(blocked, 'sub') });
    expect(third.code).toBe(first.code);
    expect(third.stdout).toBe(first.stdout);
  });

  it('rejects a missing or malformed image with a message naming the file, exit code 4', () => {
    const missing = shikiri(['run', '--kernel', join(tmp, 'absent.elf')]);
    expect(missing.code).toBe(4);
    expect(missing.stderr).toMatch(/absent\.elf.*no such file/);
    const junk = join(tmp, 'junk.bin');
    writeFileSync(junk, 'this is not a kernel');
    const bad = shikiri(['run', '--kernel', junk]);
    expect(bad.code).toBe(4);
    expect(bad.stderr).toMatch(/junk\.bin.*unknown image format/);
  });

  it('runs the demo: exit-port code (v << 1) | 1, consoles, and a versioned run report', () => {
    const report = join(tmp, 'demo.json');
    const debug = join(tmp, 'debugcon.txt');
    const r = shikiri(['run', '--kernel', guests.tests.demo, '--debugcon', `file:${debug}`, '--report', report]);
    expect(r.code).toBe((0x21 << 1) | 1);
    expect(r.stdout).toMatch(/Shikiri demo/);
    expect(readFileSync(debug, 'latin1')).toMatch(/Shikiri demo/);
    const rep = JSON.parse(readFileSync(report, 'utf8'));
    expect(rep).toMatchObject({ version: 1, board: 'pc-i486', endReason: 'exit', exitCode: 0x43, guestExitValue: 0x21 });
    expect(rep.instructions).toBeGreaterThan(1000);
    expect(rep.virtualTimeNs).toBeGreaterThan(90e6); // ten 100 Hz ticks
    expect(Array.isArray(rep.unmapped)).toBe(true);
  });

  it('ends with input-end (exit code 0) once piped input is used up and the guest idles', () => {
    const report = join(tmp, 'rtos.json');
    const r = shikiri(['run', '--multiboot', guests.rtos.sample, '--report', report, '--max-time', '30'], 's');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/rounds: task1/);
    expect(JSON.parse(readFileSync(report, 'utf8')).endReason).toBe('input-end');
  });

  it('stops at --max-time with exit code 8, and at --max-instructions', () => {
    expect(shikiri(['run', '--multiboot', guests.rtos.sample, '--max-time', '0.5', '--serial', 'none']).code).toBe(8);
    const report = join(tmp, 'limit.json');
    expect(shikiri(['run', '--multiboot', guests.rtos.sample, '--max-instructions', '12345', '--serial', 'none', '--report', report]).code).toBe(8);
    expect(JSON.parse(readFileSync(report, 'utf8'))).toMatchObject({ endReason: 'instruction-limit', instructions: 12345 });
  });

  it('writes a per-instruction trace with --trace', () => {
    const trace = join(tmp, 'trace.txt');
    shikiri(['run', '--kernel', guests.tests.demo, '--serial', 'none', '--max-instructions', '50', '--trace', trace]);
    const lines = readFileSync(trace, 'latin1').trim().split('\n');
    expect(lines).toHaveLength(50);
    expect(lines[0]).toMatch(/^EIP=[0-9a-f]{8} EAX=2badb002 EBX=[0-9a-f]{8} ECX=[0-9a-f]{8} EDX=[0-9a-f]{8} ESI=[0-9a-f]{8} EDI=[0-9a-f]{8} EBP=[0-9a-f]{8} ESP=[0-9a-f]{8} EFL=[0-9a-f]{8} CR0=[0-9a-f]{8} CR3=[0-9a-f]{8}$/);
  });

  it('disassembles a flat binary', () => {
    const bin = join(tmp, 'code.bin');
    writeFileSync(bin, Uint8Array.from([0xb8, 0x34, 0x12, 0x00, 0x00, 0xf4]));
    const r = shikiri(['disasm', bin, '--org', '0x1000']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/1000.*mov\s+eax,\s*0x1234/i);
    expect(r.stdout).toMatch(/1005.*hlt/i);
  });
});
