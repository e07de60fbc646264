/*
 * sem.c: semaphore signal-to-wakeup time. HIGH_TASK waits on SEM_WAKE; LOW_TASK signals it and
 * is preempted at once; HIGH_TASK waits again and LOW_TASK resumes. Figures:
 *   sem.sig_to_wakeup  from LOW_TASK calling sig_sem to HIGH_TASK returning from wai_sem
 *   sem.wai_to_switch  from HIGH_TASK calling wai_sem (it blocks) to LOW_TASK returning from sig_sem
 *   sem.sig_no_waiter  sig_sem with nobody waiting (count 0 -> 1), no dispatch
 *   sem.wai_available  wai_sem on a count of 1 (does not block), no dispatch
 * stopwatch cost subtracted; the kernel's timer interrupt is masked during the rounds.
 */
#include "kernel.h"
#include "kernel_cfg.h"
#include "target_timer.h"
#include "bench_lib.h"
#include "sem.h"

static volatile uint16_t t_sig, t_wai;
static BENCH_STAT st_wake, st_block, st_sig, st_wai;

void high_task(EXINF exinf)
{
	(void) exinf;
	for (;;) {
		BENCH_CHECK(wai_sem(SEM_WAKE));
		uint16_t t = bench_now();
		bench_stat_add(&st_wake, BENCH_COUNTS(t_sig, t));
		t_wai = bench_now();
	}
}

void low_task(EXINF exinf)
{
	(void) exinf;
	bench_header();
	bench_stopwatch_start();
	int32_t cal = bench_calibrate(SEM_ROUNDS);
	bench_stat_init(&st_wake, "sem.sig_to_wakeup", PIT_INPUT_HZ, cal);
	bench_stat_init(&st_block, "sem.wai_to_switch", PIT_INPUT_HZ, cal);
	bench_stat_init(&st_sig, "sem.sig_no_waiter", PIT_INPUT_HZ, cal);
	bench_stat_init(&st_wai, "sem.wai_available", PIT_INPUT_HZ, cal);
	BENCH_CHECK(dis_int(INTNO_TIMER));
	for (uint32_t i = 0; i < SEM_ROUNDS; i++) {
		bench_dither(i);
		t_sig = bench_now();
		BENCH_CHECK(sig_sem(SEM_WAKE));
		uint16_t t = bench_now();
		bench_stat_add(&st_block, BENCH_COUNTS(t_wai, t));
		bench_dither(i + 1U);
		uint16_t a = bench_now();
		BENCH_CHECK(sig_sem(SEM_FREE));
		uint16_t b = bench_now();
		BENCH_CHECK(wai_sem(SEM_FREE));
		uint16_t c = bench_now();
		bench_stat_add(&st_sig, BENCH_COUNTS(a, b));
		bench_stat_add(&st_wai, BENCH_COUNTS(b, c));
	}
	BENCH_CHECK(ena_int(INTNO_TIMER));
	bench_report(&st_wake);
	bench_report(&st_block);
	bench_report(&st_sig);
	bench_report(&st_wai);
	bench_finish(st_wake.n == SEM_ROUNDS && st_block.n == SEM_ROUNDS);
}
