/** The default reference board: an ISA-era PC/AT-compatible board with an Intel 486SX at 33 MHz and 32 MiB. */

import type { BoardDescription } from '../../src/machine/board-description.js';

/**
 * `pc-i486`: the board every test and guest targets first.
 *
 * CPU: i486SX at 33 MHz, the fastest 486SX speed grade (Intel486 SX Microprocessor datasheet,
 * order 240950: 16/20/25/33 MHz parts). No x87 FPU, as on every round-1 board; Linux built for
 * M486SX emulates x87 for user code. The clock is the nominal 33 MHz (real boards ran 33.33 MHz)
 * so that `lpj` comes out as a round 82 500 (see `defaultLinuxCommandLine`).
 *
 * Memory map (physical), the PC truth rather than flat RAM:
 * - RAM 0x00000000-0x0009FFFF: conventional 640 KiB.
 * - hole 0x000A0000-0x000EFFFF: VGA/adapter space, unmapped (reads 0xFF).
 * - ROM  0x000F0000-0x000FFFFF: 64 KiB system ROM window (`--rom`), empty otherwise.
 * - RAM 0x00100000-0x01FFFFFF: extended memory up to 32 MiB.
 * - ROM  0xFFFF0000-0xFFFFFFFF: alias of the system ROM at the top of 4 GiB (486 reset fetch).
 * Linux gets the same map as e820 entries from the loader.
 *
 * Devices: the legacy PC set at the IBM PC/AT ports and IRQs (IBM PC AT Technical Reference,
 * 6280070, "System I/O address map" and "Interrupt assignments"), plus QEMU-compatible debug
 * ports (isa-debugcon 0xE9, isa-debug-exit 0xF4) and the POST-code latch at 0x80.
 */
export const board: BoardDescription = {
  name: 'pc-i486',
  summary: 'Reference PC/AT-compatible board: Intel 486SX 33 MHz (no FPU), 32 MiB RAM, legacy PC devices',
  references: [
    'Intel486 SX Microprocessor datasheet (order 240950)',
    'Intel486 Microprocessor Family Programmer\'s Reference Manual (order 240486)',
    'IBM Personal Computer AT Technical Reference (6280070): I/O map, IRQ assignments',
    'Intel 8259A Programmable Interrupt Controller datasheet (231468)',
    'Intel 82C54 CHMOS Programmable Interval Timer datasheet (231244)',
    'National Semiconductor PC16550D UART datasheet',
    'Motorola MC146818A Real-Time Clock Plus RAM datasheet',
  ],
  cpu: { model: 'i486sx', frequencyHz: 33_000_000, fpu: false },
  memory: {
    ram: [
      { base: 0x0000_0000, size: 0x000a_0000 }, // conventional 640 KiB
      { base: 0x0010_0000, size: 0x01f0_0000 }, // extended memory, 1 MiB .. 32 MiB
    ],
    rom: [
      { base: 0x000f_0000, size: 0x1_0000 }, // system ROM, real-mode F000:0000-F000:FFFF
      { base: 0xffff_0000, size: 0x1_0000 }, // its alias under 4 GiB, where the 486 fetches after RESET
    ],
  },
  devices: [
    { name: 'pic-master', kind: 'pic8259', port: 0x20, role: 'master' },
    { name: 'pic-slave', kind: 'pic8259', port: 0xa0, role: 'slave', cascadeInput: 2 },
    // 8254 clocked at 14.31818 MHz / 12 = 1.193182 MHz (PC/AT); port B at 0x61 gates counter 2.
    { name: 'pit', kind: 'pit8254', port: 0x40, irq: 0, inputHz: 1_193_182, portB: 0x61 },
    { name: 'rtc', kind: 'cmos-rtc', port: 0x70, irq: 8, startTime: '2024-01-01T00:00:00Z' },
    // COM1/COM2 with the 1.8432 MHz reference clock (divisor 1 = 115200 baud).
    { name: 'uart0', kind: 'uart16550', port: 0x3f8, irq: 4, clockHz: 1_843_200, timing: 'instant' },
    { name: 'uart1', kind: 'uart16550', port: 0x2f8, irq: 3, clockHz: 1_843_200, timing: 'instant' },
    { name: 'kbc', kind: 'kbc-reset', port: 0x60 }, // 8042: command 0xFE on 0x64 pulses RESET
    { name: 'port92', kind: 'fast-reset', port: 0x92 }, // system control port A, bit 0 fast reset
    { name: 'debugcon', kind: 'debug-console', port: 0xe9 },
    { name: 'debug-exit', kind: 'debug-exit', port: 0xf4 },
    { name: 'post', kind: 'post-code', port: 0x80 },
  ],
  // A reboot ends the run (tests want the exit); a triple fault stops with its own reason
  // rather than looping through resets.
  reset: { onReset: 'end', onTripleFault: 'stop' },
};
