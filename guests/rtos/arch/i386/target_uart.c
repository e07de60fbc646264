/* target_uart.c: 16550 UART access for the console (polled transmit) and receive-interrupt enable. */
#include "kernel/kernel_impl.h"
#include "target_serial.h"

static const uint16_t uart_base[TNUM_PORT] = { UART1_BASE, UART2_BASE };

/* 16550 registers (offsets from the base port). */
#define UART_RBR	0	/* receive buffer (read, DLAB=0) */
#define UART_THR	0	/* transmit holding (write, DLAB=0) */
#define UART_DLL	0	/* divisor latch low (DLAB=1) */
#define UART_IER	1	/* interrupt enable (DLAB=0) */
#define UART_DLM	1	/* divisor latch high (DLAB=1) */
#define UART_FCR	2	/* FIFO control (write) */
#define UART_LCR	3
#define UART_MCR	4
#define UART_LSR	5
#define LSR_DR		0x01
#define LSR_THRE	0x20

static void uart_setup(uint16_t base)
{
	uint16_t div = (uint16_t)(UART_INPUT_HZ / 16U / CONSOLE_BAUD);
	x86_outb(base + UART_IER, 0x00);
	x86_outb(base + UART_LCR, 0x80);			/* DLAB */
	x86_outb(base + UART_DLL, (uint8_t)div);
	x86_outb(base + UART_DLM, (uint8_t)(div >> 8));
	x86_outb(base + UART_LCR, 0x03);			/* 8N1 */
	x86_outb(base + UART_FCR, 0x07);			/* FIFOs on and cleared, trigger at 1 byte */
	x86_outb(base + UART_MCR, 0x0b);			/* DTR, RTS, OUT2 (gates the IRQ line on PCs) */
}

void target_uart_init(void) { uart_setup(UART1_BASE); }

void target_uart_putc(uint_t portid, char c)
{
	uint16_t base = uart_base[portid - 1];
	uint_t spins = 0;
	while (!(x86_inb(base + UART_LSR) & LSR_THRE) && ++spins < 1000000U) { }
	x86_outb(base + UART_THR, (uint8_t)c);
}

void target_fput_log(char c)
{
	if (c == '\n') target_uart_putc(1, '\r');
	target_uart_putc(1, c);
}

void target_fput_str(const char *s) { while (*s) target_fput_log(*s++); }

void target_uart_open(uint_t portid)
{
	uint16_t base = uart_base[portid - 1];
	if (portid != 1) uart_setup(base);
	while (x86_inb(base + UART_LSR) & LSR_DR) (void) x86_inb(base + UART_RBR);
	x86_outb(base + UART_IER, 0x01);			/* received-data interrupt */
}

void target_uart_close(uint_t portid) { x86_outb(uart_base[portid - 1] + UART_IER, 0x00); }
bool_t target_uart_getready(uint_t portid) { return (x86_inb(uart_base[portid - 1] + UART_LSR) & LSR_DR) != 0; }
char target_uart_getc(uint_t portid) { return (char)x86_inb(uart_base[portid - 1] + UART_RBR); }
