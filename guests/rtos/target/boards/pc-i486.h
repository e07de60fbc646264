/* pc-i486.h: board facts for the 486SX-class PC, 32 MiB target (ports, IRQs, clocks, RAM). */
#ifndef TOPPERS_BOARD_PC_I486_H
#define TOPPERS_BOARD_PC_I486_H

#define TARGET_BOARD_NAME	"pc-i486"
#define TARGET_BOARD_DESC	"486SX-class PC, 32 MiB"
#define CPU_CLOCK_HZ		33000000U		/* core clock, for busy-wait calibration only */
#define RAM_SIZE			33554432U		/* bytes of RAM from address 0 */

/* PC legacy set */
#define PIC_MASTER			0x20		/* 8259 master command port (data at +1) */
#define PIC_SLAVE			0xA0		/* 8259 slave command port (data at +1) */
#define PIT_BASE			0x40		/* 8254 channel 0 data; mode register at PIT_BASE + 3 */
#define PIT_INPUT_HZ		1193182U	/* 8254 input clock */
#define UART1_BASE			0x3F8		/* console UART (16550) */
#define UART1_IRQ			4
#define UART2_BASE			0x2F8
#define UART2_IRQ			3
#define UART_INPUT_HZ		1843200U	/* 16550 reference clock */
#define CONSOLE_BAUD		115200U
#define RTC_BASE			0x70
#define TARGET_EXIT_PORT	0xF4		/* isa-debug-exit / Shikiri exit port */

#endif
