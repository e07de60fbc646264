// Peer engine: QEMU's TCG (Debian's qemu-system-i386), one new process per run, timed from spawn.
//
// Machine: `-cpu 486` without the FPU, VME and PSE (the features Shikiri's 486SX lacks, as in
// guests/linux/qemu-check.mjs), 32 MiB, `-nodefaults` (no NIC option ROM, VGA or drives for
// SeaBIOS to set up), 16550s at COM1 and COM2, isa-debug-exit on port 0xF4. QEMU boots the image through SeaBIOS and its
// own Multiboot / Linux option ROM (`-kernel`). A port marker ends the run when QEMU exits (exit
// status (value << 1) | 1); a console dialogue types into and reads COM1 on stdio, and the run ends
// at the last text (QEMU is then killed: its teardown is not counted).

import { spawn, spawnSync } from 'node:child_process';

const QEMU = 'qemu-system-i386';
const MACHINE = ['-accel', 'tcg', '-cpu', '486,-fpu,-vme,-pse', '-nodefaults', '-display', 'none', '-monitor', 'none', '-no-reboot'];

/** Null when QEMU can run, else why not. */
export function qemuMissing() {
  const r = spawnSync(QEMU, ['--version'], { encoding: 'utf8' });
  if (r.error) return `${QEMU} not installed (Debian package qemu-system-x86)`;
  if (r.status !== 0) return `${QEMU} --version failed: ${r.stderr.trim()}`;
  return null;
}

/** QEMU's version line, for the JSON. */
export function qemuVersion() {
  return spawnSync(QEMU, ['--version'], { encoding: 'utf8' }).stdout.split('\n')[0].trim();
}

/** One run: resolves { wallMs, exitValue? } or rejects with the reason and the console tail. */
export function qemuRun(target, timeoutMs) {
  const args = [
    ...MACHINE, '-m', String(target.memoryMiB), '-device', 'isa-debug-exit,iobase=0xf4,iosize=1',
    '-kernel', target.image, ...(target.cmdline ? ['-append', target.cmdline] : []),
    // COM1 and COM2 as on every Shikiri board (the RTOS measurements use COM2's interrupt); COM1
    // is on stdio for a console dialogue, else dropped, and COM2 is always dropped.
    '-serial', target.marker.steps ? 'stdio' : 'null', '-serial', 'null',
  ];
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const elapsed = () => Number(process.hrtime.bigint() - t0) / 1e6;
    const child = spawn(QEMU, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    let done = false;
    const end = (fn) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      fn();
    };
    const timer = setTimeout(() => end(() => {
      child.kill('SIGKILL');
      reject(new Error(`no marker after ${timeoutMs} ms; console tail: ${JSON.stringify(out.slice(-300))}`));
    }), timeoutMs);
    child.on('error', (e) => end(() => reject(e)));
    child.stderr.on('data', (d) => { err += d.toString('latin1'); });
    const steps = [...(target.marker.steps ?? [])];
    let from = 0;
    child.stdout.on('data', (d) => {
      out += d.toString('latin1');
      while (steps.length && !done) {
        const at = out.indexOf(steps[0].wait, from);
        if (at < 0) return;
        from = at + steps[0].wait.length;
        const step = steps.shift();
        if (step.send !== undefined) child.stdin.write(step.send);
        else if (!steps.length) {
          const wallMs = elapsed();
          end(() => {
            child.kill('SIGKILL');
            child.on('close', () => resolve({ wallMs }));
          });
        }
      }
    });
    child.on('close', (code, signal) => {
      if (done) return;
      const wallMs = elapsed();
      end(() => {
        // isa-debug-exit: status (value << 1) | 1; anything else is not the marker.
        if (target.marker.port !== undefined && code !== null && code & 1) resolve({ wallMs, exitValue: code >> 1 });
        else reject(new Error(`QEMU ended (status ${code}, signal ${signal}) before the marker: ${err.trim().slice(-300)}`));
      });
    });
  });
}
