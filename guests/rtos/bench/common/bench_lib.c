/* bench_lib.c: the measurement programs' stopwatch (8254 counter 2), statistics and result lines. */
#include "kernel.h"
#include "t_syslog.h"
#include "t_stdlib.h"
#include "bench_lib.h"

void bench_stopwatch_start(void)
{
	uint8_t b = x86_inb(PIT_PORTB);
	x86_outb(PIT_PORTB, (uint8_t)((b & ~0x02U) | 0x01U));	/* gate 2 high, speaker data off */
	x86_outb(PIT_BASE + 3, 0xB4);			/* counter 2, LSB then MSB, mode 2, binary */
	x86_outb(PIT_BASE + 2, 0x00);			/* count 0 = 65536 */
	x86_outb(PIT_BASE + 2, 0x00);
}

void bench_stat_init(BENCH_STAT *s, const char *name, uint32_t unit_hz, int32_t offset_mu)
{
	s->name = name;
	s->unit_hz = unit_hz;
	s->offset_mu = offset_mu;
	s->n = 0;
	s->sum_mu = 0;
	s->min_mu = INT32_MAX;
	s->max_mu = INT32_MIN;
}

void bench_stat_add_mu(BENCH_STAT *s, int32_t mu)
{
	int32_t v = mu - s->offset_mu;
	s->n++;
	s->sum_mu += v;
	if (v < s->min_mu) s->min_mu = v;
	if (v > s->max_mu) s->max_mu = v;
}

void bench_stat_add(BENCH_STAT *s, uint32_t units)
{
	bench_stat_add_mu(s, (int32_t)(units * 1000U));
}

int32_t bench_calibrate(uint32_t n)
{
	uint64_t sum = 0;
	for (uint32_t i = 0; i < n; i++) {
		uint16_t a = bench_now();
		uint16_t b = bench_now();
		sum += BENCH_COUNTS(a, b);
		bench_dither(i);
	}
	return (int32_t)((sum * 1000U) / n);
}

void bench_dither(uint32_t i)
{
	for (volatile uint32_t k = (i * 7U) % 61U; k > 0U; k--) { }
}

/* Rounded quotient of a signed dividend by a positive divisor. */
static int64_t div_round(int64_t a, int64_t b)
{
	return a >= 0 ? (a + b / 2) / b : -((-a + b / 2) / b);
}

/* Tenths of a CPU cycle in `mu` milli-units of a unit_hz clock. */
static int64_t mu_to_cycles10(int64_t mu, uint32_t unit_hz)
{
	return div_round(mu * (int64_t) CPU_CLOCK_HZ, (int64_t) unit_hz * 100);
}

static int64_t mu_to_ns(int64_t mu, uint32_t unit_hz)
{
	return div_round(mu * 1000000, (int64_t) unit_hz);
}

/* "-12.3" from -123 tenths. */
static const char *tenths(char *buf, size_t size, int64_t v)
{
	const char *sign = v < 0 ? "-" : "";
	uint64_t a = (uint64_t)(v < 0 ? -v : v);
	snprintf(buf, size, "%s%llu.%llu", sign, (unsigned long long)(a / 10U), (unsigned long long)(a % 10U));
	return buf;
}

void bench_header(void)
{
	syslog(LOG_NOTICE, "RTOSBENCH board=%s cpu_hz=%u pit_hz=%u", TARGET_BOARD_NAME, (uint_t) CPU_CLOCK_HZ, (uint_t) PIT_INPUT_HZ);
}

void bench_report(const BENCH_STAT *s)
{
	char a[24], b[24], c[24], r[24];
	if (s->n == 0U) {
		syslog(LOG_NOTICE, "RTOSBENCH %s n=0", s->name);
		return;
	}
	int64_t mean_mu = div_round(s->sum_mu, (int64_t) s->n);
	syslog(LOG_NOTICE, "RTOSBENCH %s n=%u cycles_min=%s cycles_mean=%s cycles_max=%s ns_min=%lld ns_mean=%lld ns_max=%lld res_cycles=%s",
		s->name, (uint_t) s->n,
		tenths(a, sizeof(a), mu_to_cycles10(s->min_mu, s->unit_hz)),
		tenths(b, sizeof(b), mu_to_cycles10(mean_mu, s->unit_hz)),
		tenths(c, sizeof(c), mu_to_cycles10(s->max_mu, s->unit_hz)),
		(long long) mu_to_ns(s->min_mu, s->unit_hz), (long long) mu_to_ns(mean_mu, s->unit_hz),
		(long long) mu_to_ns(s->max_mu, s->unit_hz),
		tenths(r, sizeof(r), mu_to_cycles10(1000, s->unit_hz)));
}

void bench_finish(bool_t ok)
{
	syslog(LOG_NOTICE, "RTOSBENCH end status=%s", ok ? "ok" : "failed");
	x86_cli();
	x86_outb(TARGET_EXIT_PORT, ok ? 0U : 1U);
	for (;;) x86_hlt();
}

void bench_fail(const char *what, ER ercd)
{
	syslog(LOG_ERROR, "RTOSBENCH error %s returned %d", what, (int) ercd);
	bench_finish(false);
}
