/* irq.h: entry points and parameters of the interrupt latency measurement. */
#define IRQ_SAMPLES		10000		/* interrupts raised through the UART */
#define PIT_SAMPLES		2000		/* one-shot expiries of 8254 counter 0 */
#define MAIN_PRIORITY	10
#define WAKE_PRIORITY	5
#define INTPRI_BENCH	(-2)

#ifndef TOPPERS_MACRO_ONLY
#include "kernel.h"
extern void main_task(EXINF exinf);
extern void wake_task(EXINF exinf);
extern void bench_isr(EXINF exinf);
#endif
