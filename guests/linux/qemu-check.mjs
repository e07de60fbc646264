// Boots the built Linux guest in QEMU (the reference machine) and checks the /init shell.
//
// `node guests/linux/qemu-check.mjs`            build (or reuse) the image, boot it, run every
//                                               shell command and check its output; print timings
// `node guests/linux/qemu-check.mjs --time N`   also boot N more times and print the median time
//                                               from QEMU process start to the first prompt
// `node guests/linux/qemu-check.mjs --count`    count executed instructions from the 32-bit
//                                               entry (0x100000) to /init's first instruction and
//                                               to the first prompt, from a one-instruction-per-
//                                               block exec trace (slow: about a minute)
// Needs qemu-system-i386 (Debian package qemu-system-x86).

import { execFileSync, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { build } from './build.mjs';

const PROMPT = 'shikiri# ';
const QEMU = 'qemu-system-i386';
/** An FPU-less 486 as close as QEMU gets (guest-facts.md). */
const MACHINE = ['-cpu', '486,-fpu,-vme,-pse', '-m', '32', '-display', 'none', '-monitor', 'none', '-no-reboot'];
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

async function countInstructions(artefacts) {
  const { entry, read } = initAddresses(artefacts.init);
  const want = (a) => `/${a.toString(16).padStart(8, '0')}/`;
  const marks = { kernel: want(0x100000), init: want(entry), prompt: want(read) };
  // One instruction per translation block and no chaining: every executed instruction is one
  // "Trace" line. Lines are counted as they stream from QEMU's log, never stored.
  const q = startQemu(artefacts.bzImage, ['-singlestep', '-d', 'nochain,exec', '-D', '/dev/stderr']);
  q.child.stderr.removeAllListeners('data');
  let lines = 0;
  let start = -1;
  const found = {};
  let rest = '';
  const done = new Promise((resolve) => {
    q.child.stderr.on('data', (d) => {
      const text = rest + d.toString('latin1');
      let from = 0;
      for (;;) {
        const nl = text.indexOf('\n', from);
        if (nl < 0) break;
        if (text.startsWith('Trace', from)) {
          lines++;
          const line = text.slice(from, nl);
          if (start < 0 && line.includes(marks.kernel)) start = lines;
          else if (start >= 0 && !found.init && line.includes(marks.init)) found.init = lines - start;
          else if (found.init && line.includes(marks.prompt)) {
            found.prompt = lines - start;
            resolve();
          }
        }
        from = nl + 1;
      }
      rest = text.slice(from);
    });
  });
  await Promise.race([done, new Promise((_, rej) => setTimeout(() => rej(new Error('count timed out')), 600000))]);
  q.child.kill();
  console.log(`instructions from the 32-bit entry (0x100000): to /init's first instruction ${(found.init / 1e6).toFixed(2)} M, ` +
    `to the first prompt (console read) ${(found.prompt / 1e6).toFixed(2)} M; SeaBIOS + real-mode setup before it: ${(start / 1e6).toFixed(2)} M`);
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
