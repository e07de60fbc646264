/* bench_lib.h: stopwatch on 8254 counter 2, sample statistics and the RTOSBENCH result lines of the measurement programs. */
#ifndef BENCH_LIB_H
#define BENCH_LIB_H

#define BENCH_STACK_SIZE	4096

#ifndef TOPPERS_MACRO_ONLY
#include "kernel.h"
#include "target_board.h"
#include "x86.h"

/*
 * The stopwatch: 8254 counter 2 free-running in mode 2 with the maximum count (65536), gated on
 * through port B. It counts down at PIT_INPUT_HZ (one count = 0.84 us on a PC), so the counts
 * between two reads are (uint16_t)(earlier - later) for intervals up to 55 ms. Counter 2 drives
 * no interrupt, so the kernel's timer (counter 0) is undisturbed. A single sample has a
 * resolution of one count (CPU_CLOCK_HZ / PIT_INPUT_HZ cycles); the means over many samples are
 * finer because the start of each interval falls at a different phase of the count (the
 * programs vary the gap between samples for that).
 */
extern void bench_stopwatch_start(void);

/* Latch and read counter 2 (3 port accesses; their cost is measured by bench_calibrate()). */
static inline uint16_t bench_now(void)
{
	x86_outb(PIT_BASE + 3, 0x80);			/* counter latch command, counter 2 */
	uint16_t lo = x86_inb(PIT_BASE + 2);
	uint16_t hi = x86_inb(PIT_BASE + 2);
	return (uint16_t)(lo | (hi << 8));
}

/* Latch and read counter 0 (the kernel's timer, or a one-shot programmed by a measurement). */
static inline uint16_t bench_counter0(void)
{
	x86_outb(PIT_BASE + 3, 0x00);
	uint16_t lo = x86_inb(PIT_BASE);
	uint16_t hi = x86_inb(PIT_BASE);
	return (uint16_t)(lo | (hi << 8));
}

/* Counts from stopwatch reading `t0` to the later reading `t1`. */
#define BENCH_COUNTS(t0, t1)	((uint32_t)(uint16_t)((t0) - (t1)))

/*
 * Statistics of one figure. Values are kept in milli-units of `unit_hz` (a PIT count or a
 * microsecond), so that a fractional offset (the stopwatch's own cost) can be subtracted.
 */
typedef struct bench_stat {
	const char	*name;
	uint32_t	unit_hz;		/* PIT_INPUT_HZ for stopwatch counts, 1000000 for microseconds */
	int32_t		offset_mu;		/* subtracted from every sample, milli-units */
	uint32_t	n;
	int64_t		sum_mu;
	int32_t		min_mu, max_mu;
} BENCH_STAT;

extern void bench_stat_init(BENCH_STAT *s, const char *name, uint32_t unit_hz, int32_t offset_mu);
/* Add one sample of `units` whole units (counts or microseconds). */
extern void bench_stat_add(BENCH_STAT *s, uint32_t units);
/* Add one sample given in milli-units. */
extern void bench_stat_add_mu(BENCH_STAT *s, int32_t mu);

/*
 * Mean cost of one stopwatch reading in milli-counts: the counts between the latches of two
 * back-to-back bench_now() calls, averaged over `n` pairs. Subtract it from intervals measured
 * between two bench_now() calls.
 */
extern int32_t bench_calibrate(uint32_t n);

/* A small busy wait of `i mod 61` loop rounds between samples, to vary their phase against the PIT count. */
extern void bench_dither(uint32_t i);

/*
 * Result lines on the console (syslog), one per figure, fixed format:
 *   RTOSBENCH board=<name> cpu_hz=<Hz> pit_hz=<Hz>                        (first line)
 *   RTOSBENCH <figure> n=<samples> cycles_min=<c> cycles_mean=<c> cycles_max=<c>
 *             ns_min=<ns> ns_mean=<ns> ns_max=<ns> res_cycles=<c>          (one line)
 *   RTOSBENCH end status=ok                                               (last line)
 * Cycles have one decimal; res_cycles is the resolution of one sample.
 */
extern void bench_header(void);
extern void bench_report(const BENCH_STAT *s);
/* Print the end line and leave through the exit port with value 0 (or 1 after a failure). */
extern void bench_finish(bool_t ok) __attribute__((noreturn));
/* Report a failed service call and finish with value 1. */
extern void bench_fail(const char *what, ER ercd) __attribute__((noreturn));
#define BENCH_CHECK(call)	do { ER _e = (call); if (_e < 0) bench_fail(#call, _e); } while (0)
#endif

#endif
