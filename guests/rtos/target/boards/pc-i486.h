/* pc-i486.h: board facts for the 486SX-class PC, 32 MiB target (ports, IRQs, clocks, RAM). */
/* Every value mirrors boards/pc-i486/board.ts; test/integration/rtos-target.test.ts checks them. */
#ifndef TOPPERS_BOARD_PC_I486_H
#define TOPPERS_BOARD_PC_I486_H

#define TARGET_BOARD_NAME	"pc-i486"
#define TARGET_BOARD_DESC	"486SX-class PC, 32 MiB"
#define CPU_CLOCK_HZ		33000000U		/* core clock, Hz (busy-wait calibration, benchmark cycle figures) */
#define RAM_SIZE			33554432U		/* bytes: top of RAM (RAM from 0 with the 640 KiB..1 MiB hole) */

/* PC legacy set */
#define PIC_MASTER			0x20		/* 8259 master command port (data at +1) */
#define PIC_SLAVE			0xA0		/* 8259 slave command port (data at +1) */
#define PIT_BASE			0x40		/* 8254 channel 0 data; mode register at PIT_BASE + 3 */
#define PIT_IRQ				0			/* driven by counter 0's OUT */
#define PIT_PORTB			0x61		/* system control port B: bit 0 gate of counter 2, bit 1 speaker, bit 5 OUT 2 */
#define PIT_INPUT_HZ		1193182U	/* 8254 input clock, Hz */
#define UART1_BASE			0x3F8		/* console UART (16550) */
#define UART1_IRQ			4
#define UART2_BASE			0x2F8
#define UART2_IRQ			3
#define UART_INPUT_HZ		1843200U	/* 16550 reference clock, Hz */
#define CONSOLE_BAUD		115200U
#define RTC_BASE			0x70		/* MC146818 index port (data at +1) */
#define RTC_IRQ				8
#define TARGET_EXIT_PORT	0xF4		/* isa-debug-exit / Shikiri exit port */

#endif
