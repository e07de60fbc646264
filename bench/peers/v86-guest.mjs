// One benchmark run on v86 in its own Node process: boot an image, exit at the workload's marker.
//
// `node bench/peers/v86-guest.mjs SPEC_JSON` where SPEC_JSON is
//   { kind: 'multiboot' | 'bzimage', image, cmdline?, jit: boolean, memoryMiB,
//     marker: { port: 0xF4 } | { steps: [{ wait: TEXT, send?: TEXT }, ...] }, timeoutMs }
// A port marker ends the run at the first write to that port; serial steps wait for each text in
// turn on COM1, type `send` when given, and end the run when the last text appears.
// The parent (bench/peers/v86.mjs) times this process from spawn to exit, as it times Shikiri.
// On the marker this prints one JSON line ({ ok, exitValue?, serialBytes }) and exits 0; on a
// timeout it prints the serial tail on stderr and exits 3. Firmware: Debian's SeaBIOS
// (bios.bin, vgabios-stdvga.bin), which v86 runs before its Multiboot / Linux option ROM.

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { V86 } from 'v86';
import { SEABIOS, VGABIOS } from './v86-firmware.mjs';

/** An ArrayBuffer holding exactly the file's bytes (v86 takes `{ buffer }` images). */
function fileBuffer(path) {
  const b = readFileSync(path);
  return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength);
}

function main() {
  const spec = JSON.parse(process.argv[2]);
  const require = createRequire(import.meta.url);
  const wasmPath = join(dirname(require.resolve('v86')), 'v86.wasm');
  const options = {
    wasm_path: wasmPath,
    memory_size: spec.memoryMiB * 1024 * 1024,
    bios: { buffer: fileBuffer(SEABIOS) },
    vga_bios: { buffer: fileBuffer(VGABIOS) },
    autostart: true,
    disable_jit: !spec.jit,
    acpi: false,
    uart1: true, // COM2 (0x2F8, IRQ 3), as on every Shikiri board; COM1 is always there
    disable_keyboard: true,
    disable_mouse: true,
    disable_speaker: true,
  };
  if (spec.kind === 'multiboot') options.multiboot = { buffer: fileBuffer(spec.image) };
  else {
    options.bzimage = { buffer: fileBuffer(spec.image) };
    options.cmdline = spec.cmdline;
  }

  let serial = '';
  const finish = (result) => {
    process.stdout.write(JSON.stringify({ ok: true, serialBytes: serial.length, ...result }) + '\n', () => process.exit(0));
  };
  const timer = setTimeout(() => {
    process.stderr.write(`v86: no marker after ${spec.timeoutMs} ms; serial tail:\n${serial.slice(-600)}\n`);
    process.exit(3);
  }, spec.timeoutMs);
  timer.unref?.();

  const emulator = new V86(options);
  if (spec.marker.port !== undefined) {
    // emulator-ready is sent from inside init, before autostart runs the CPU: replacing the port's
    // write handler here (v86's own Multiboot ROM throws on 0xF4) catches the first write.
    emulator.add_listener('emulator-ready', () => {
      const onWrite = (value) => {
        emulator.stop();
        finish({ exitValue: value & 0xff });
      };
      emulator.v86.cpu.io.register_write(spec.marker.port, {}, onWrite, onWrite, onWrite);
    });
  }
  // Serial bytes: kept for the marker search and for the diagnostic tail on a timeout.
  const steps = [...(spec.marker.steps ?? [])];
  let from = 0;
  /** Milliseconds from this process's time origin to each serial step (diagnostics only). */
  const stepMs = [];
  emulator.add_listener('serial0-output-byte', (byte) => {
    serial += String.fromCharCode(byte);
    if (!steps.length) return;
    const at = serial.indexOf(steps[0].wait, Math.max(from, serial.length - steps[0].wait.length));
    if (at < 0) return;
    from = at + steps[0].wait.length;
    const step = steps.shift();
    stepMs.push(Math.round(performance.now()));
    if (step.send !== undefined) emulator.serial0_send(step.send);
    else if (!steps.length) {
      emulator.stop();
      finish({ stepMs });
    }
  });
}

main();
