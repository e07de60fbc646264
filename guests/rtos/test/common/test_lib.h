/* test_lib.h: check points for the conformance tests: ordered points, expected error codes, pass/fail exit through port 0xF4. */
#ifndef TEST_LIB_H
#define TEST_LIB_H

#ifndef TOPPERS_MACRO_ONLY
#include "kernel.h"
#include "t_syslog.h"

/* Must be reached in increasing order across tasks and handlers; a wrong order fails the test. */
extern void check_point(uint_t cp);
/* The last check point: prints "All check points passed." and exits with value 0. */
extern void check_finish(uint_t cp) __attribute__((noreturn));
extern void test_fail(const char *what, const char *file, int line, long a, long b) __attribute__((noreturn));

#define check_assert(exp) \
	do { if (!(exp)) test_fail("assertion failed: " #exp, __FILE__, __LINE__, 0, 0); } while (0)
#define check_ercd(ercd, expect) \
	do { long _e = (long)(ercd), _x = (long)(expect); \
		if (_e != _x) test_fail("unexpected error code " #ercd, __FILE__, __LINE__, _e, _x); } while (0)
#define check_state(cond) check_assert(cond)
#endif

#define TEST_STACK_SIZE	4096

#endif
