// Boots the built Linux guest in QEMU (the reference machine) and checks the /init shell.
//
// `node guests/linux/qemu-check.mjs`            build (or reuse) the image, boot it, run every
//                                               shell command and check its output; print timings
// `node guests/linux/qemu-check.mjs --time N`   also boot N more times and print the median time
//                                               from QEMU process start to the first prompt
// `... --bare`                                 add `-vga none -nic none`: no VGA BIOS or NIC option
//                                               ROM in 0xC0000-0xFFFFF, so the kernel's ROM scan
//                                               (probe_roms) finds nothing, as on Shikiri's board
// `node guests/linux/qemu-check.mjs --count`    count executed instructions from the 32-bit
//                                               entry (0x100000) to /init's first instruction and
//                                               to the first prompt, from a one-instruction-per-
//                                               block exec trace (slow: about a minute)
// Needs qemu-system-i386 (Debian package qemu-system-x86).

import { execFileSync, spawn } from 'node:child_process';
import { createReadStream, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from './build.mjs';

const PROMPT = 'shikiri# ';
const QEMU = 'qemu-system-i386';
/** An FPU-less 486 as close as QEMU gets (guest-facts.md). */
const MACHINE = ['-cpu', '486,-fpu,-vme,-pse', '-m', '32', '-display', 'none', '-monitor', 'none', '-no-reboot'];
if (process.argv.includes('--bare')) MACHINE.push('-vga', 'none', '-nic', 'none');
const APPEND = 'console=ttyS0 lpj=1000000';

/** Commands and what their output must match. `send` is typed as is (raw bytes, then CR). */
const SCRIPT = [
  { send: 'uname -a', expect: [/^Linux \S+ 6\.1\.\d+ #1 .*\bi486$/m] },
  { send: 'echo hello  "big   world"', expect: [/^hello big   world$/m] },
  // Line editing: DEL (0x7f) and BS (0x08) both erase one character and echo "\b \b".
  { send: 'echx\x7fo ab\x08c', expect: [/echx\x08 \x08o ab\x08 \x08c\n/, /^ac$/m], label: 'line editing' },
  { send: 'help', expect: [/stress cpu\|mem\|syscall\|fork/, /poweroff/] },
  { send: 'ls /', expect: [/^proc\/$/m, /^sys\/$/m, /^dev\/$/m, /^init$/m] },
  { send: 'mount', expect: [/^proc \/proc proc /m, /^sysfs \/sys sysfs /m] },
  { send: 'cat /proc/version', expect: [/^Linux version 6\.1\.\d+ \(shikiri@shikiri\)/m] },
  { send: 'mkdir /tmp /tmp/a', expect: [] },
  { send: 'ls /tmp', expect: [/^a\/$/m] },
  { send: 'cd /proc', expect: [] },
  { send: 'pwd', expect: [/^\/proc$/m] },
  { send: 'ls', expect: [/^meminfo$/m, /^1\/$/m] },
  { send: 'cd', expect: [] },
  { send: 'uptime', expect: [/^up \d+\.\d\d s, \d+ processes, load average: \d+\.\d\d, /m] },
  { send: 'free', expect: [/^Mem:\s+\d+\s+\d+\s+\d+\s+\d+\s+\d+$/m] },
  { send: 'ps', expect: [/^\s+1\s+0 [RS]\s+\d+\.\d\d\s+\d+ \/init$/m, /\[kthreadd\]$/m] },
  { send: 'dmesg', expect: [/^\[\s+\d+\.\d+\] Linux version 6\.1/m, /x86\/fpu: No FPU detected/, /Run \/init as init process/] },
  { send: 'uname -r -m', expect: [/^6\.1\.\d+ i486$/m] },
  { send: 'sleep 0.3', expect: [] },
  { send: 'stress cpu 1', expect: [/^stress cpu: 1\.\d\d s, \d+ rounds \(\d+\/s\)$/m] },
  { send: 'stress mem 1 512', expect: [/^stress mem: 1\.\d\d s, 512 KiB, \d+ rounds \(\d+\/s\)$/m] },
  { send: 'stress syscall 1', expect: [/^stress syscall: 1\.\d\d s, \d+ calls \(\d+\/s\)$/m] },
  { send: 'stress fork 1', expect: [/^stress fork: 1\.\d\d s, \d+ children \(\d+\/s\)$/m] },
  { send: 'ps', expect: [/^\s+1\s+0 [RS]/m], reject: [/ Z /] },
  { send: 'stress fly 1', expect: [/^stress: unknown mode fly/m] },
  { send: 'stress cpu', expect: [/^stress: usage:/m] },
  { send: 'sleep x', expect: [/^sleep: usage:/m] },
  { send: 'cat /nonexistent', expect: [/^cat: \/nonexistent: no such file or directory$/m] },
  { send: 'mount nosuchfs /tmp', expect: [/^mount: \/tmp: no such device/m] },
  { send: 'bogus', expect: [/^bogus: unknown command \(try help\)$/m] },
  { send: 'echo "unterminated', expect: [/^shell: unterminated quote/m] },
];

/** A QEMU running the image with its serial port on pipes. */
function startQemu(bzImage, extra = []) {
  const started = process.hrtime.bigint();
  const child = spawn(QEMU, [...MACHINE, '-kernel', bzImage, '-append', APPEND, '-serial', 'stdio', ...extra], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let out = '';
  let waiters = [];
  const exited = new Promise((resolve) => child.on('close', (code) => resolve(code)));
  const onData = (d) => {
    out += d.toString('latin1');
    waiters = waiters.filter((w) => !w());
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', (d) => { out += d.toString('latin1'); });
  /** Resolve with the output from `from` once `text` appears after it (or fail after `ms`). */
  const waitFor = (text, from, ms) => new Promise((resolve, reject) => {
    const check = () => {
      const at = out.indexOf(text, from);
      if (at < 0) return false;
      clearTimeout(timer);
      resolve({ at, end: at + text.length, ms: Number(process.hrtime.bigint() - started) / 1e6 });
      return true;
    };
    const timer = setTimeout(() => {
      waiters = waiters.filter((w) => w !== check);
      reject(new Error(`timed out after ${ms} ms waiting for ${JSON.stringify(text)}; output tail:\n${out.slice(-2000)}`));
    }, ms);
    if (!check()) waiters.push(check);
  });
  return { child, exited, waitFor, output: () => out, send: (s) => child.stdin.write(s) };
}

async function checkShell(bzImage) {
  const q = startQemu(bzImage);
  const failures = [];
  try {
    const banner = await q.waitFor('Shikiri Linux init\r\n', 0, 20000);
    const prompt = await q.waitFor(PROMPT, banner.end, 20000);
    let pos = prompt.end;
    console.log(`boot: first prompt after ${Math.round(prompt.ms)} ms (QEMU process start)`);
    for (const step of SCRIPT) {
      q.send(`${step.send}\r`);
      const next = await q.waitFor(PROMPT, pos, 30000);
      const text = q.output().slice(pos, next.at).replace(/\r\n/g, '\n');
      pos = next.end;
      const name = step.label || step.send.replace(/[\x00-\x1f\x7f]/g, '?');
      const missing = step.expect.filter((re) => !re.test(text));
      const unwanted = (step.reject || []).filter((re) => re.test(text));
      if (missing.length || unwanted.length) {
        failures.push(name);
        console.log(`FAIL ${name}: ${missing.map(String).concat(unwanted.map((r) => `unwanted ${r}`)).join(', ')}\n${text}`);
      } else {
        console.log(`ok   ${name}`);
      }
    }
    // reboot(2) RESTART: the kernel resets through the keyboard controller; -no-reboot exits QEMU.
    q.send('reboot\r');
    const code = await Promise.race([q.exited, new Promise((r) => setTimeout(() => r('timeout'), 10000))]);
    if (code === 'timeout') {
      failures.push('reboot');
      console.log('FAIL reboot: QEMU did not exit');
    } else {
      console.log(`ok   reboot (QEMU exited with ${code})`);
    }
  } finally {
    q.child.kill();
  }
  return failures;
}

async function checkPoweroff(bzImage) {
  const q = startQemu(bzImage);
  try {
    await q.waitFor(PROMPT, 0, 20000);
    q.send('poweroff\r');
    await q.waitFor('reboot: System halted', 0, 10000);
    console.log('ok   poweroff (kernel: "reboot: System halted"; no ACPI, so the CPU halts and QEMU stays up)');
    return [];
  } catch (e) {
    console.log(`FAIL poweroff: ${e.message}`);
    return ['poweroff'];
  } finally {
    q.child.kill();
  }
}

async function bootTimes(bzImage, n) {
  const times = [];
  for (let i = 0; i < n; i++) {
    const q = startQemu(bzImage);
    try {
      times.push((await q.waitFor(PROMPT, 0, 20000)).ms);
    } finally {
      q.child.kill();
      await q.exited;
    }
  }
  times.sort((a, b) => a - b);
  console.log(`boot to prompt over ${n} runs: median ${Math.round(times[n >> 1])} ms (min ${Math.round(times[0])}, max ${Math.round(times[n - 1])})`);
}

/** Address of /init's entry and of the `int $0x80` that reads the console (the prompt wait). */
function initAddresses(init) {
  const header = execFileSync('readelf', ['-h', init], { encoding: 'utf8' });
  const entry = Number(/Entry point address:\s+(0x[0-9a-f]+)/.exec(header)[1]);
  const dis = execFileSync('objdump', ['-d', '--no-show-raw-insn', init], { encoding: 'utf8' });
  const body = /<next_byte>:\n([\s\S]*?)\n\n/.exec(dis);
  const int80 = body && /^\s*([0-9a-f]+):\s+int\s+\$0x80/m.exec(body[1]);
  if (!int80) throw new Error('cannot find the read system call in next_byte (was it inlined?)');
  return { entry, read: parseInt(int80[1], 16) };
}

/** [start, end) of a kernel function from System.map (virtual addresses, as QEMU traces them). */
function symbolRange(systemMap, name) {
  const lines = readFileSync(systemMap, 'utf8').split('\n');
  const i = lines.findIndex((l) => l.endsWith(` ${name}`));
  if (i < 0) return [0, 0];
  return [parseInt(lines[i].split(' ')[0], 16), parseInt(lines[i + 1].split(' ')[0], 16)];
}

async function countInstructions(artefacts) {
  const { entry, read } = initAddresses(artefacts.init);
  const delay = symbolRange(artefacts.systemMap, 'delay_loop');
  const hex = (a) => a.toString(16).padStart(8, '0');
  // The compressed part starts at 0x100000; after LZ4 decompression the decompressor jumps to
  // 0x100000 again, now the kernel proper (startup_32 of vmlinux).
  const marks = { entry: `/${hex(0x100000)}/`, init: `/${hex(entry)}/`, prompt: `/${hex(read)}/` };
  // One instruction per translation block and no chaining: every executed instruction is one
  // "Trace ... [cs_base/pc/flags/cflags]" line (each iteration of a REP string instruction counts
  // as one, as with -icount). Lines are counted as they stream from QEMU's log, never stored.
  // The log goes through a FIFO: Node's stdio pipes are socket pairs, which QEMU cannot open.
  const tmp = mkdtempSync(join(tmpdir(), 'shikiri-count-'));
  const fifo = join(tmp, 'trace');
  execFileSync('mkfifo', [fifo]);
  // -icount shift=0: virtual time advances 1 ns per instruction, so timer interrupts arrive at
  // the same instruction counts however slowly the traced run goes (without it, every wall-clock
  // 10 ms of the slow trace adds a timer tick and the count grows by millions).
  const q = startQemu(artefacts.bzImage, ['-icount', 'shift=0,sleep=off', '-singlestep', '-d', 'nochain,exec', '-D', fifo]);
  const trace = createReadStream(fifo, { highWaterMark: 1 << 20 });
  let lines = 0;
  let delayLines = 0;
  const at = {};
  let rest = '';
  const done = new Promise((resolve, reject) => {
    q.exited.then((code) => reject(new Error(`QEMU exited (${code}) after ${lines} traced instructions: ${q.output().slice(-300)}`)));
    trace.on('data', (d) => {
      const text = rest + d.toString('latin1');
      let from = 0;
      for (;;) {
        const nl = text.indexOf('\n', from);
        if (nl < 0) break;
        if (text.startsWith('Trace', from)) {
          lines++;
          const line = text.slice(from, nl);
          const slash = line.indexOf('/');
          const pc = parseInt(line.slice(slash + 1, slash + 9), 16);
          if (pc >= delay[0] && pc < delay[1]) delayLines++;
          if (line.includes(marks.entry)) {
            if (at.entry === undefined) at.entry = lines;
            else if (at.kernel === undefined) at.kernel = lines;
          } else if (at.kernel !== undefined && at.init === undefined && line.includes(marks.init)) {
            at.init = lines;
          } else if (at.init !== undefined && line.includes(marks.prompt)) {
            at.prompt = lines;
            resolve();
          }
        }
        from = nl + 1;
      }
      rest = text.slice(from);
    });
  });
  let timer;
  try {
    await Promise.race([done, new Promise((_, rej) => { timer = setTimeout(() => rej(new Error('count timed out')), 600000); })]);
  } finally {
    clearTimeout(timer);
    q.child.kill();
    trace.destroy();
    rmSync(tmp, { recursive: true, force: true });
  }
  const m = (n) => `${(n / 1e6).toFixed(2)} M`;
  console.log([
    `instructions (QEMU exec trace, one per REP iteration):`,
    `  firmware + real-mode setup before 0x100000  ${m(at.entry)}  (not run by Shikiri's loader)`,
    `  32-bit entry -> kernel proper (decompressor) ${m(at.kernel - at.entry)}`,
    `  kernel proper -> /init first instruction     ${m(at.init - at.kernel)}`,
    `  /init start -> first prompt read             ${m(at.prompt - at.init)}`,
    `  total 32-bit entry -> prompt                 ${m(at.prompt - at.entry)}`,
    `  of which in delay_loop (udelay/mdelay)       ${m(delayLines)}`,
  ].join('\n'));
}

async function main() {
  const args = process.argv.slice(2);
  const { artefacts } = await build();
  if (args.includes('--count')) {
    await countInstructions(artefacts);
    return;
  }
  const failures = [...await checkShell(artefacts.bzImage), ...await checkPoweroff(artefacts.bzImage)];
  const t = args.indexOf('--time');
  if (t >= 0) await bootTimes(artefacts.bzImage, Number(args[t + 1]) || 5);
  if (failures.length) {
    console.log(`${failures.length} check(s) failed: ${failures.join(', ')}`);
    process.exit(1);
  }
  console.log('all checks passed');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().catch((e) => {
    console.error(`qemu-check: ${e.message}`);
    process.exit(1);
  });
}
