/** A DM&P Vortex86SX SoC board (ICOP VSX-6116-class CPU module): 300 MHz 486SX-class core, 128 MiB. */

import type { BoardDescription } from '../../src/machine/board-description.js';

/**
 * `vortex86sx`: a board built around the DM&P Vortex86SX system-on-chip, as on ICOP's VSX-6116-V2
 * and VSX-6118-V2 CPU modules ("DM&P Vortex86SX 300MHz", "128MB DDR2 Onboard").
 *
 * CPU: Vortex86SX, a 486SX-compatible core at 300 MHz with no x87 FPU (the SX part of the
 * Vortex86 line; the DX adds the FPU). Linux identifies it by the CPUID vendor "Vortex86 SoC"
 * (arch/x86/kernel/cpu/vortex.c).
 *
 * Devices: the SoC's south bridge integrates the legacy PC core logic (two 8259A-compatible
 * PICs, an 8254-compatible PIT and an MC146818-compatible RTC at their AT ports) and 16550A-
 * compatible UARTs. The UARTs' base addresses and IRQs are programmable through south-bridge
 * configuration registers; the module BIOS sets the PC defaults COM1 = 3F8h/IRQ4 and
 * COM2 = 2F8h/IRQ3, which Linux's 8250 driver probes as ttyS0/ttyS1 (the VSX-6116-V2 "2S"
 * module brings out exactly these two). Further SoC UARTs (COM3/COM4) are not modelled.
 * The debug ports (0xE9, 0xF4, 0x80) are Shikiri's test instruments, not SoC features.
 *
 * Memory map: as `pc-i486` (640 KiB + hole + extended memory), RAM to 128 MiB.
 */
export const board: BoardDescription = {
  name: 'vortex86sx',
  summary: 'DM&P Vortex86SX SoC board: 486SX-class core 300 MHz (no FPU), 128 MiB DDR2, on-chip PC core logic and UARTs',
  references: [
    'DM&P Vortex86SX System-on-Chip datasheet (DM&P Electronics Inc.)',
    'ICOP VSX-6116-V2 CPU module User\'s Manual, IUM6116-V2000-01 Ver.1.0A (2010)',
    'ICOP VSX-6118-V2 CPU module User\'s Manual, IUM6118-V2000-01 Ver.1.2A (2010)',
    'Linux arch/x86/kernel/cpu/vortex.c (CPUID vendor "Vortex86 SoC")',
    'National Semiconductor PC16550D UART datasheet',
  ],
  cpu: { model: 'vortex86sx', frequencyHz: 300_000_000, fpu: false },
  memory: {
    ram: [
      { base: 0x0000_0000, size: 0x000a_0000 }, // conventional 640 KiB
      { base: 0x0010_0000, size: 0x07f0_0000 }, // extended memory, 1 MiB .. 128 MiB
    ],
    rom: [
      { base: 0x000f_0000, size: 0x1_0000 }, // BIOS flash window (real-mode F000 segment)
      { base: 0xffff_0000, size: 0x1_0000 }, // its alias at the reset vector
    ],
  },
  devices: [
    { name: 'pic-master', kind: 'pic8259', port: 0x20, role: 'master' },
    { name: 'pic-slave', kind: 'pic8259', port: 0xa0, role: 'slave', cascadeInput: 2 },
    // The south bridge's 8254 runs from the standard 14.31818 MHz / 12 = 1.193182 MHz.
    { name: 'pit', kind: 'pit8254', port: 0x40, irq: 0, inputHz: 1_193_182, portB: 0x61 },
    { name: 'rtc', kind: 'cmos-rtc', port: 0x70, irq: 8, startTime: '2024-01-01T00:00:00Z' },
    // On-chip 16550A UARTs at the BIOS defaults, 1.8432 MHz baud clock (115200 with divisor 1).
    { name: 'uart0', kind: 'uart16550', port: 0x3f8, irq: 4, clockHz: 1_843_200, timing: 'instant' },
    { name: 'uart1', kind: 'uart16550', port: 0x2f8, irq: 3, clockHz: 1_843_200, timing: 'instant' },
    { name: 'kbc', kind: 'kbc-reset', port: 0x60 },
    { name: 'port92', kind: 'fast-reset', port: 0x92 },
    { name: 'debugcon', kind: 'debug-console', port: 0xe9 },
    { name: 'debug-exit', kind: 'debug-exit', port: 0xf4 },
    { name: 'post', kind: 'post-code', port: 0x80 },
  ],
  reset: { onReset: 'end', onTripleFault: 'stop' },
};
