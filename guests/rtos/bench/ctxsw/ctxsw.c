/*
 * ctxsw.c: task context switch time. LOW_TASK wakes the sleeping HIGH_TASK (wup_tsk), which
 * preempts it at once; HIGH_TASK goes back to sleep (slp_tsk) and LOW_TASK resumes. Figures:
 *   ctxsw.wup_tsk  from LOW_TASK calling wup_tsk to HIGH_TASK returning from slp_tsk
 *   ctxsw.slp_tsk  from HIGH_TASK calling slp_tsk to LOW_TASK returning from wup_tsk
 * each a service call plus one dispatch, stopwatch cost subtracted. The kernel's timer interrupt
 * is masked (dis_int) during the rounds so that no tick falls into a sample.
 */
#include "kernel.h"
#include "kernel_cfg.h"
#include "target_timer.h"
#include "bench_lib.h"
#include "ctxsw.h"

static volatile uint16_t t_wup, t_slp;		/* stopwatch at the call that switches away */
static BENCH_STAT st_read, st_wup, st_slp;

void high_task(EXINF exinf)
{
	(void) exinf;
	for (;;) {
		BENCH_CHECK(slp_tsk());
		uint16_t t = bench_now();
		bench_stat_add(&st_wup, BENCH_COUNTS(t_wup, t));
		t_slp = bench_now();
	}
}

void low_task(EXINF exinf)
{
	(void) exinf;
	bench_header();
	bench_stopwatch_start();
	int32_t cal = bench_calibrate(CTXSW_ROUNDS);
	bench_stat_init(&st_read, "stopwatch.read", PIT_INPUT_HZ, 0);
	bench_stat_add_mu(&st_read, cal);
	bench_stat_init(&st_wup, "ctxsw.wup_tsk", PIT_INPUT_HZ, cal);
	bench_stat_init(&st_slp, "ctxsw.slp_tsk", PIT_INPUT_HZ, cal);
	BENCH_CHECK(dis_int(INTNO_TIMER));
	for (uint32_t i = 0; i < CTXSW_ROUNDS; i++) {
		bench_dither(i);
		t_wup = bench_now();
		BENCH_CHECK(wup_tsk(HIGH_TASK));
		uint16_t t = bench_now();
		bench_stat_add(&st_slp, BENCH_COUNTS(t_slp, t));
	}
	BENCH_CHECK(ena_int(INTNO_TIMER));
	bench_report(&st_read);
	bench_report(&st_wup);
	bench_report(&st_slp);
	bench_finish(st_wup.n == CTXSW_ROUNDS && st_slp.n == CTXSW_ROUNDS);
}
