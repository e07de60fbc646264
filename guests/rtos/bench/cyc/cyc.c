/*
 * cyc.c: cyclic handler jitter. CYC1 starts with the kernel (TA_STA), so its k-th start is due at
 * CYC_PHASE + k * CYC_PERIOD us on the kernel's time base (fch_hrt). The handler's first action
 * reads fch_hrt; its deviation from the due time is the figure (the kernel never starts a handler
 * early). Figures:
 *   cyc.deviation       over CYC_PERIODS periods with the CPU idle in between (HLT)
 *   cyc.deviation_load  over CYC_LOAD_PERIODS further periods while LOAD_TASK runs service calls,
 *                       short CPU-locked sections and long instructions without pause
 *   cyc.tick_to_handler from the timer tick (counter 0 reloading, IRQ 0) to the handler's first
 *                       read of counter 0, periods without load
 *   cyc.tick_to_handler_load  the same under load
 * The program never reads the console: give the run one byte of console input, which then stays
 * pending, or Shikiri ends a run whose input is closed and drained once its CPU has halted for a
 * virtual second (`input-end`), long before the 10 s of idle periods are over.
 * The deviation has the resolution of fch_hrt (1 us); tick_to_handler that of a count. This
 * kernel checks time events once per tick (arch/i386/target_timer.c: 1193 input clocks), so
 * the deviation spans up to one tick period; tick_to_handler is the kernel's own share.
 */
#include "kernel.h"
#include "kernel_cfg.h"
#include "sil.h"
#include "bench_lib.h"
#include "cyc.h"

/* Counter 0's reload in mode 2, as programmed by arch/i386/target_timer.c (HRT_RELOAD). */
#define KERNEL_TICK_COUNTS	1193U

static volatile uint32_t fired;
static volatile bool_t bad_count;
static BENCH_STAT st_dev, st_dev_load, st_tick, st_tick_load;

void cyc_handler(EXINF exinf)
{
	(void) exinf;
	HRTCNT now = fch_hrt();
	uint16_t c0 = bench_counter0();
	uint32_t k = fired;
	uint32_t due = CYC_PHASE + k * CYC_PERIOD;
	if (k < CYC_PERIODS) {
		bench_stat_add(&st_dev, now - due);
		if (c0 == 0U || c0 > KERNEL_TICK_COUNTS) bad_count = true;
		else bench_stat_add(&st_tick, KERNEL_TICK_COUNTS - c0);
	} else if (k < CYC_PERIODS + CYC_LOAD_PERIODS) {
		bench_stat_add(&st_dev_load, now - due);
		if (c0 == 0U || c0 > KERNEL_TICK_COUNTS) bad_count = true;
		else bench_stat_add(&st_tick_load, KERNEL_TICK_COUNTS - c0);
	}
	fired = k + 1U;
	if (k + 1U == CYC_PERIODS || k + 1U == CYC_PERIODS + CYC_LOAD_PERIODS) (void) wup_tsk(MAIN_TASK);
}

/*
 * Load, forever: semaphore calls, a CPU-locked section of about 200 cycles, and 16 32-bit
 * divisions (24 cycles each in the CPU model: an interrupt waits for the one in progress).
 * Dividing EDX:EAX by ECX leaves the remainder in EDX below ECX, so no division overflows.
 */
void load_task(EXINF exinf)
{
	(void) exinf;
	volatile uint32_t work = 0;
	for (;;) {
		BENCH_CHECK(sig_sem(LOAD_SEM));
		BENCH_CHECK(wai_sem(LOAD_SEM));
		BENCH_CHECK(loc_cpu());
		for (uint32_t i = 0; i < 40U; i++) work += i;
		BENCH_CHECK(unl_cpu());
		__asm__ volatile("movl $7, %%ecx\n\txorl %%edx, %%edx\n\tmovl $0x7fffffff, %%eax\n\t"
			".rept 16\n\tdivl %%ecx\n\t.endr" ::: "eax", "ecx", "edx", "cc");
	}
}

/* Before the kernel starts time (ATT_INI runs before the cyclic handler can fire). */
void bench_cyc_initialize(EXINF exinf)
{
	(void) exinf;
	bench_stat_init(&st_dev, "cyc.deviation", 1000000U, 0);
	bench_stat_init(&st_dev_load, "cyc.deviation_load", 1000000U, 0);
	bench_stat_init(&st_tick, "cyc.tick_to_handler", PIT_INPUT_HZ, 0);
	bench_stat_init(&st_tick_load, "cyc.tick_to_handler_load", PIT_INPUT_HZ, 0);
}

void main_task(EXINF exinf)
{
	(void) exinf;
	bench_header();
	BENCH_CHECK(slp_tsk());					/* woken after CYC_PERIODS periods */
	BENCH_CHECK(act_tsk(LOAD_TASK));
	BENCH_CHECK(slp_tsk());					/* and after the loaded ones */
	BENCH_CHECK(stp_cyc(CYC1));
	BENCH_CHECK(ter_tsk(LOAD_TASK));
	bench_report(&st_dev);
	bench_report(&st_dev_load);
	bench_report(&st_tick);
	bench_report(&st_tick_load);
	bench_finish(!bad_count && st_dev.n == CYC_PERIODS && st_dev_load.n == CYC_LOAD_PERIODS && st_tick.n == CYC_PERIODS);
}
