/* target_serial.h: the 16550 UARTs of the PC target: polled console output and the receive ISR for syssvc/serial. */
#ifndef TOPPERS_TARGET_SERIAL_H
#define TOPPERS_TARGET_SERIAL_H

#include "target_board.h"

#define TNUM_PORT		2				/* serial ports: 1 = UART1 (console), 2 = UART2 */
#define INTNO_SIO1		UART1_IRQ
#define INTNO_SIO2		UART2_IRQ
#define INTPRI_SIO		(-4)
#define INTATR_SIO		(TA_ENAINT | TA_EDGE)

#ifndef TOPPERS_MACRO_ONLY
#include "kernel.h"
extern void target_uart_init(void);				/* console UART, polled; before the kernel starts */
extern void target_fput_log(char c);			/* one console character, polled */
extern void target_fput_str(const char *s);
extern void target_uart_open(uint_t portid);	/* enables the receive interrupt */
extern void target_uart_close(uint_t portid);
extern void target_uart_putc(uint_t portid, char c);
extern bool_t target_uart_getready(uint_t portid);
extern char target_uart_getc(uint_t portid);
#endif

#endif
