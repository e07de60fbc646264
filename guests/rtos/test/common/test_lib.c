/* test_lib.c: check-point bookkeeping and the test exit protocol (value 0 = pass, nonzero = fail, written to port 0xF4). */
#include "kernel.h"
#include "sil.h"
#include "t_syslog.h"
#include "test_lib.h"
#include "target_board.h"

static volatile uint_t check_count;

static void test_exit(uint8_t code) __attribute__((noreturn));
static void test_exit(uint8_t code)
{
	SIL_PRE_LOC;
	SIL_LOC_INT();
	sil_wrb_iop(TARGET_EXIT_PORT, code);
	for (;;) __asm__ volatile("hlt");
}

void test_fail(const char *what, const char *file, int line, long a, long b)
{
	syslog(LOG_ERROR, "## %s:%d: %s (got %ld, expected %ld) after check point %u", file, line, what, a, b, check_count);
	test_exit(0x10);
}

void check_point(uint_t cp)
{
	SIL_PRE_LOC;
	SIL_LOC_INT();
	uint_t expected = check_count + 1U;
	bool_t ok = (cp == expected);
	check_count = cp;
	SIL_UNL_INT();
	if (!ok) {
		syslog(LOG_ERROR, "## Check point %u reached out of order (expected %u).", cp, expected);
		test_exit(0x20);
	}
	syslog(LOG_NOTICE, "Check point %u passed.", cp);
}

void check_finish(uint_t cp)
{
	check_point(cp);
	syslog(LOG_NOTICE, "All check points passed.");
	test_exit(0);
}
