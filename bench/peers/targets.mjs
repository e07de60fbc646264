// Turns a workload's `shikiri run` arguments into the same image and end marker for a peer emulator.
//
// A peer target is { kind: 'multiboot' | 'bzimage', image, cmdline?, marker, memoryMiB }:
// - `--load FILE@ADDR --entry ADDR` (raw bytes, flat 32-bit entry) is wrapped unchanged in a
//   Multiboot ELF (multiboot-elf.mjs); marker: the first write to the exit port 0xF4.
// - `--kernel ELF` with a Multiboot header boots as is; marker: port 0xF4.
// - `--kernel bzImage` boots with Shikiri's default command line for pc-i486; its marker is a
//   console dialogue known per workload (SERIAL_MARKERS), e.g. Linux's prompt, the typed input,
//   then the kernel's halt message: the same work Shikiri does before it stops at that HLT.
// Anything else gives { skip: reason }, printed instead of a figure.

import { readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { multibootElf } from './multiboot-elf.mjs';

/** The exit port (QEMU's isa-debug-exit, Shikiri's exit device): guest exit value in a byte write. */
export const EXIT_PORT = 0xf4;
/** RAM for the peers: pc-i486 has 32 MiB (boards/pc-i486/board.ts). */
const MEMORY_MIB = 32;
/**
 * Shikiri's default Linux command line on pc-i486 (defaultLinuxCommandLine in
 * src/machine/loaders/linux-bzimage.ts: the board's lpj is 82 500). Peers get the same one so the
 * kernel does the same work (no delay-loop calibration anywhere).
 */
export const LINUX_CMDLINE = 'console=ttyS0 lpj=82500';
/** Console dialogues for bzImage workloads, by workload name: wait for each text, type `send`. */
const SERIAL_MARKERS = {
  'linux-boot': (input) => [
    { wait: 'shikiri# ', send: input },
    // No ACPI: poweroff ends in machine_halt, which prints this and stops the CPU with HLT.
    { wait: 'reboot: System halted' },
  ],
};
const PC_BOARDS = new Set([undefined, 'pc-i486']);

/** Value of a `--name VALUE` option, or undefined. */
function option(args, name) {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}

function hasMultibootHeader(bytes) {
  const n = Math.min(bytes.length, 8192) - 12;
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let o = 0; o <= n; o += 4) {
    const magic = v.getUint32(o, true);
    if (magic === 0x1badb002 && ((magic + v.getUint32(o + 4, true) + v.getUint32(o + 8, true)) >>> 0) === 0) return true;
  }
  return false;
}

/** The peer target for a workload's Shikiri arguments (files written under `tmp`). */
export function peerTarget(workload, args, tmp) {
  const board = option(args, '--board');
  if (!PC_BOARDS.has(board)) return { skip: `board ${board} is not a PC; peers emulate a PC` };
  const load = option(args, '--load');
  const kernel = option(args, '--kernel');
  if (load !== undefined) {
    if (args.filter((a) => a === '--load').length > 1) return { skip: 'several --load images' };
    const at = load.lastIndexOf('@');
    const address = Number(load.slice(at + 1));
    const entry = Number(option(args, '--entry'));
    const image = join(tmp, `${basename(load.slice(0, at))}.multiboot.elf`);
    writeFileSync(image, multibootElf(readFileSync(load.slice(0, at)), address, entry));
    return { kind: 'multiboot', image, marker: { port: EXIT_PORT }, memoryMiB: MEMORY_MIB };
  }
  if (kernel !== undefined) {
    const bytes = readFileSync(kernel);
    if (bytes.length > 0x206 && bytes.toString('latin1', 0x202, 0x206) === 'HdrS') {
      const dialogue = SERIAL_MARKERS[workload.name];
      if (!dialogue) return { skip: 'bzImage workload without a known console marker for peers' };
      return { kind: 'bzimage', image: kernel, cmdline: LINUX_CMDLINE, marker: { steps: dialogue(workload.input ?? '') }, memoryMiB: MEMORY_MIB };
    }
    if (bytes.length > 4 && bytes.readUInt32BE(0) === 0x7f454c46 && hasMultibootHeader(bytes)) {
      return { kind: 'multiboot', image: kernel, marker: { port: EXIT_PORT }, memoryMiB: MEMORY_MIB };
    }
    return { skip: 'kernel image is neither a bzImage nor a Multiboot ELF' };
  }
  return { skip: 'no --load or --kernel image' };
}
