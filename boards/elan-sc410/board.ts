/** A board on the AMD Élan SC410 microcontroller: Am486 core without FPU at 100 MHz, 16 MiB, on-chip watchdog. */

import type { BoardDescription } from '../../src/machine/board-description.js';

/**
 * `elan-sc410`: a single-board computer on the AMD ÉlanSC410, the ÉlanSC400 family member without
 * the PC Card and LCD controllers (ÉlanSC400 and ÉlanSC410 Microcontrollers Data Sheet, AMD
 * order 21028; User's Manual, order 21030).
 *
 * CPU: a low-voltage Am486 core without an x87 FPU, 100 MHz top speed grade (clock tripled from
 * 33 MHz; Linux's elanfreq driver lists 99 MHz as the highest CPU clock setting).
 *
 * On-chip devices modelled (all at their PC/AT ports, as the data sheet's I/O map lists them):
 * - two 8259A-compatible interrupt controllers (master 20h, slave A0h on IRQ 2);
 * - an 8254-compatible timer whose input is derived from the 32.768 kHz crystal by PLL and is
 *   1.1892 MHz, not the PC's 1.193182 MHz (Linux: `PIT_TICK_RATE 1189200`, commented "AMD Elan has
 *   different frequency!", in arch/x86/include/asm/timex.h under CONFIG_X86_ELAN). A kernel
 *   built for M486SX assumes 1.193182 MHz, so its clock runs 0.33 % fast, as on silicon;
 * - the MC146818-compatible RTC at 70h/71h (IRQ 8);
 * - one 16550-compatible UART (COM1, 3F8h, IRQ 4);
 * - the watchdog timer, programmed through the Chip Setup and Control (CSC) index/data register
 *   pair at ports 22h/23h (the same pair Linux's elanfreq driver uses: REG_CSCIR 0x22,
 *   REG_CSCDR 0x23); the device model `watchdog`/`elan-sc410` decodes both ports.
 * Board-level additions: a second 16550 at COM2 (2F8h, IRQ 3) on the ISA bus for the link to the
 * RTOS partition, and Shikiri's debug ports (0xE9, 0xF4, 0x80).
 *
 * Memory map: as `pc-i486`, RAM to 16 MiB (the SC410's DRAM controller addresses up to 64 MiB).
 */
export const board: BoardDescription = {
  name: 'elan-sc410',
  summary: 'AMD Élan SC410 board: Am486 core 100 MHz (no FPU), 16 MiB, on-chip PC core logic, UART and watchdog',
  references: [
    'AMD ÉlanSC400 and ÉlanSC410 Microcontrollers Data Sheet (order 21028)',
    'AMD ÉlanSC400 and ÉlanSC410 Microcontrollers User\'s Manual (order 21030)',
    'Linux arch/x86/include/asm/timex.h (PIT_TICK_RATE 1189200 for CONFIG_X86_ELAN)',
    'Linux drivers/cpufreq/elanfreq.c (CSC index/data ports 22h/23h; CPU clocks up to 99 MHz)',
    'National Semiconductor PC16550D UART datasheet',
  ],
  cpu: { model: 'elan-sc410', frequencyHz: 100_000_000, fpu: false },
  memory: {
    ram: [
      { base: 0x0000_0000, size: 0x000a_0000 }, // conventional 640 KiB
      { base: 0x0010_0000, size: 0x00f0_0000 }, // extended memory, 1 MiB .. 16 MiB
    ],
    rom: [
      { base: 0x000f_0000, size: 0x1_0000 }, // BIOS ROM window (ROMCS0 decode of the F000 segment)
      { base: 0xffff_0000, size: 0x1_0000 }, // its alias at the reset vector
    ],
  },
  devices: [
    { name: 'pic-master', kind: 'pic8259', port: 0x20, role: 'master' },
    { name: 'pic-slave', kind: 'pic8259', port: 0xa0, role: 'slave', cascadeInput: 2 },
    { name: 'pit', kind: 'pit8254', port: 0x40, irq: 0, inputHz: 1_189_200, portB: 0x61 },
    { name: 'rtc', kind: 'cmos-rtc', port: 0x70, irq: 8, startTime: '2024-01-01T00:00:00Z' },
    { name: 'uart0', kind: 'uart16550', port: 0x3f8, irq: 4, clockHz: 1_843_200, timing: 'instant' },
    { name: 'uart1', kind: 'uart16550', port: 0x2f8, irq: 3, clockHz: 1_843_200, timing: 'instant' },
    { name: 'kbc', kind: 'kbc-reset', port: 0x60 },
    { name: 'port92', kind: 'fast-reset', port: 0x92 },
    { name: 'watchdog', kind: 'watchdog', port: 0x22, model: 'elan-sc410' },
    { name: 'debugcon', kind: 'debug-console', port: 0xe9 },
    { name: 'debug-exit', kind: 'debug-exit', port: 0xf4 },
    { name: 'post', kind: 'post-code', port: 0x80 },
  ],
  reset: { onReset: 'end', onTripleFault: 'stop' },
};
