/*
 * irq.c: interrupt latency, from a device raising its interrupt request through the 8259 to the
 * first instruction of the ISR, and on to the task the ISR wakes.
 *
 * Part 1, UART (IRQ_SAMPLES times): MAIN_TASK reads the stopwatch and enables the THR-empty
 * interrupt of the second 16550 (IER.ETBEI with the THR empty raises it at once, PC16550D data
 * sheet); the ISR (CRE_ISR on UART2_IRQ) reads the stopwatch first, disables the interrupt and
 * wakes WAKE_TASK, which reads the stopwatch when it returns from slp_tsk. The start of each
 * sample falls at a different phase of the 8254 count, so the means resolve single cycles.
 *   irq.uart_to_isr   from the IER write to the ISR's first stopwatch read
 *   irq.uart_to_task  from the IER write to WAKE_TASK returning from slp_tsk
 *
 * Part 2, 8254 one-shot (PIT_SAMPLES times): counter 0 (the kernel's timer, IRQ 0) is programmed
 * in mode 0 with a count of a few hundred; at terminal count OUT rises (IRQ 0) and the counter
 * goes on counting down from 0 (wrapping to FFFFh), so the handler's first read of counter 0 gives
 * the counts elapsed since the expiry directly. For this part the program's handler replaces the
 * kernel's timer handler in the kernel's interrupt handler table (kernel/interrupt.c), with the
 * CPU locked; the part runs last, so the kernel's time base is never needed again.
 *   irq.pit_to_inh    from the expiry to the interrupt handler's first counter read
 *   irq.pit_to_task   from the expiry to WAKE_TASK returning from slp_tsk
 * The expiry is on a count edge and every sample is the same path, so these are whole counts:
 * the true value lies in [k, k + 1) counts; the figures give k + 0.5 and res_cycles says how
 * wide a count is.
 */
#include "kernel.h"
#include "kernel_cfg.h"
#include "sil.h"
#include "target_timer.h"
#include "bench_lib.h"
#include "irq.h"

enum { IDLE, ARMED, FIRED, DONE };
static volatile uint32_t state;
static volatile uint32_t part;				/* 1 UART, 2 one-shot */
static volatile uint16_t t_raise, t_isr, pit_isr_count;
static volatile uint16_t oneshot_count;
static BENCH_STAT st_isr, st_task, st_pit_isr, st_pit_task;

void bench_isr(EXINF exinf)
{
	(void) exinf;
	uint16_t t = bench_now();
	x86_outb(UART2_BASE + 1, 0x00);			/* IER = 0: THR-empty interrupt off */
	if (state == ARMED) {
		t_isr = t;
		state = FIRED;
		(void) wup_tsk(WAKE_TASK);
	}
}

/* IRQ 0 handler during part 2. */
static void oneshot_handler(void)
{
	uint16_t v = bench_counter0();
	/* a tick latched before the switch to mode 0 arrives with the count not yet expired */
	if (state != ARMED || (v != 0U && v <= oneshot_count)) return;
	pit_isr_count = v;
	state = FIRED;
	(void) wup_tsk(WAKE_TASK);
}

void wake_task(EXINF exinf)
{
	(void) exinf;
	for (;;) {
		BENCH_CHECK(slp_tsk());
		if (part == 1) {
			uint16_t t = bench_now();
			bench_stat_add(&st_isr, BENCH_COUNTS(t_raise, t_isr));
			bench_stat_add(&st_task, BENCH_COUNTS(t_raise, t));
		} else {
			uint16_t v = bench_counter0();
			bench_stat_add(&st_pit_isr, (uint16_t)(0U - pit_isr_count));
			bench_stat_add(&st_pit_task, (uint16_t)(0U - v));
		}
		state = DONE;
	}
}

extern INTHDR _kernel_inh_table[];

void main_task(EXINF exinf)
{
	(void) exinf;
	bench_header();
	bench_stopwatch_start();
	int32_t cal = bench_calibrate(IRQ_SAMPLES);
	bench_stat_init(&st_isr, "irq.uart_to_isr", PIT_INPUT_HZ, cal);
	bench_stat_init(&st_task, "irq.uart_to_task", PIT_INPUT_HZ, cal);
	bench_stat_init(&st_pit_isr, "irq.pit_to_inh", PIT_INPUT_HZ, -500);
	bench_stat_init(&st_pit_task, "irq.pit_to_task", PIT_INPUT_HZ, -500);

	/* Part 1. MCR.OUT2 connects the UART's interrupt output to the 8259 on a PC. */
	x86_outb(UART2_BASE + 3, 0x03);			/* LCR: 8N1, DLAB off */
	x86_outb(UART2_BASE + 1, 0x00);
	x86_outb(UART2_BASE + 4, 0x08);			/* MCR: OUT2 */
	BENCH_CHECK(dis_int(INTNO_TIMER));
	part = 1;
	for (uint32_t i = 0; i < IRQ_SAMPLES; i++) {
		bench_dither(i);
		state = ARMED;
		t_raise = bench_now();
		x86_outb(UART2_BASE + 1, 0x02);		/* IER.ETBEI: the THR is empty, so this raises IRQ */
		while (state != DONE) { }
	}

	/* Part 2. */
	SIL_PRE_LOC;
	SIL_LOC_INT();
	_kernel_inh_table[INTNO_TIMER] = oneshot_handler;
	SIL_UNL_INT();
	BENCH_CHECK(ena_int(INTNO_TIMER));
	part = 2;
	for (uint32_t i = 0; i < PIT_SAMPLES; i++) {
		SIL_LOC_INT();
		state = ARMED;
		oneshot_count = (uint16_t)(200U + (i * 13U) % 97U);
		x86_outb(PIT_BASE + 3, 0x30);			/* counter 0, LSB then MSB, mode 0: OUT low */
		x86_outb(PIT_BASE, (uint8_t)(oneshot_count & 0xffU));
		x86_outb(PIT_BASE, (uint8_t)(oneshot_count >> 8));
		SIL_UNL_INT();
		while (state != DONE) { }
	}
	BENCH_CHECK(dis_int(INTNO_TIMER));

	bench_report(&st_isr);
	bench_report(&st_task);
	bench_report(&st_pit_isr);
	bench_report(&st_pit_task);
	bench_finish(st_isr.n == IRQ_SAMPLES && st_pit_isr.n == PIT_SAMPLES);
}
