/*
 * target_timer.c: the high-resolution timer on 8254 channel 0.
 *
 * Choice: a periodic tick in mode 2 (rate generator) with a reload of HRT_RELOAD input clocks
 * (1193 / 1193182 Hz = 999.85 us). Every tick adds HRT_RELOAD to a 64-bit count of input clocks;
 * the current time in microseconds is that count plus the clocks already counted down in the
 * current period (read with a counter-latch command), converted with 64-bit arithmetic. So
 * fch_hrt/get_tim have 1 us resolution (0.84 us per input clock), while time events (timeouts,
 * cyclic and alarm notifications) are checked once per tick: an event fires on the first tick at
 * or after its due time, i.e. at most one period late and never early. Mode 2 never needs
 * reprogramming, so no clocks are lost and the time base does not drift.
 */
#include "kernel/kernel_impl.h"
#include "target_board.h"
#include "target_timer.h"

#define HRT_RELOAD	1193U		/* input clocks per tick */

static volatile uint64_t tick_clocks;		/* input clocks counted at the last tick */
static uint64_t last_us;					/* last value returned, for monotonicity */

void _kernel_target_hrt_initialize(EXINF exinf)
{
	(void) exinf;
	tick_clocks = 0;
	last_us = 0;
	x86_outb(PIT_BASE + 3, 0x34);			/* channel 0, lobyte/hibyte, mode 2, binary */
	x86_outb(PIT_BASE, (uint8_t)(HRT_RELOAD & 0xff));
	x86_outb(PIT_BASE, (uint8_t)(HRT_RELOAD >> 8));
}

void _kernel_target_hrt_terminate(EXINF exinf)
{
	(void) exinf;
	x86_outb(PIT_BASE + 3, 0x30);			/* mode 0, no count written: output stays low */
}

uint64_t _kernel_target_hrt_us(void)
{
	uint32_t fl = x86_eflags();
	x86_cli();
	x86_outb(PIT_BASE + 3, 0x00);			/* latch channel 0 */
	uint32_t lo = x86_inb(PIT_BASE);
	uint32_t hi = x86_inb(PIT_BASE);
	uint32_t count = lo | (hi << 8);
	if (count == 0U || count > HRT_RELOAD) count = HRT_RELOAD;
	uint32_t elapsed = HRT_RELOAD - count;
	/* a tick that has happened but not yet been counted (IRR 0 set): the counter has reloaded */
	x86_outb(PIC_MASTER, 0x0a);
	if ((x86_inb(PIC_MASTER) & 1U) && elapsed < HRT_RELOAD / 2U) elapsed += HRT_RELOAD;
	uint64_t us = ((tick_clocks + elapsed) * 1000000ULL) / PIT_INPUT_HZ;
	if (us < last_us) us = last_us;
	last_us = us;
	if (fl & X86_EFLAGS_IF) x86_sti();
	return us;
}

void _kernel_target_hrt_handler(void)
{
	uint32_t fl = x86_eflags();
	x86_cli();
	tick_clocks += HRT_RELOAD;
	if (fl & X86_EFLAGS_IF) x86_sti();
	_kernel_signal_time();
}
