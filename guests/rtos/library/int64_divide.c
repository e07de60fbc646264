/*
 * 64-bit division helpers that gcc calls on i386 (__udivdi3 and friends), written for the
 * i486. Debian's 32-bit libgcc is built for i686 with CET, so its routines begin with ENDBR32
 * (F3 0F 1E FB), which a 486 does not know and answers with #UD; the RTOS therefore links
 * these instead of libgcc.
 *
 * Method: restoring shift-subtract division, with a fast path when the divisor fits in 32 bits
 * and the dividend's high half is below it (one hardware DIV).
 */
#include <stdint.h>

uint64_t __udivmoddi4(uint64_t n, uint64_t d, uint64_t *rem);
uint64_t __udivdi3(uint64_t n, uint64_t d);
uint64_t __umoddi3(uint64_t n, uint64_t d);
int64_t __divdi3(int64_t n, int64_t d);
int64_t __moddi3(int64_t n, int64_t d);
int64_t __divmoddi4(int64_t n, int64_t d, int64_t *rem);

/* 64 / 32 when the quotient fits in 32 bits: EDX:EAX / divisor (Intel SDM, DIV). */
static inline uint32_t div_64_32(uint32_t hi, uint32_t lo, uint32_t d, uint32_t *r)
{
	uint32_t q, rr;
	__asm__("divl %4" : "=a"(q), "=d"(rr) : "a"(lo), "d"(hi), "rm"(d));
	*r = rr;
	return q;
}

uint64_t __udivmoddi4(uint64_t n, uint64_t d, uint64_t *rem)
{
	uint64_t q = 0;
	if (d == 0) {
		/* Division by zero: raise #DE as the hardware would for a 32-bit DIV. */
		volatile uint32_t zero = 0;
		return (uint32_t)n / zero;
	}
	if ((d >> 32) == 0) {
		uint32_t dd = (uint32_t)d, r;
		uint32_t hi = (uint32_t)(n >> 32), lo = (uint32_t)n;
		uint32_t qhi = hi / dd;
		hi = hi % dd;
		uint32_t qlo = div_64_32(hi, lo, dd, &r);
		if (rem)
			*rem = r;
		return ((uint64_t)qhi << 32) | qlo;
	}
	if (n < d) {
		if (rem)
			*rem = n;
		return 0;
	}
	/* Align the divisor's top bit with the dividend's, then subtract bit by bit. */
	int shift = __builtin_clzll(d) - __builtin_clzll(n);
	d <<= shift;
	for (int i = 0; i <= shift; i++) {
		q <<= 1;
		if (n >= d) {
			n -= d;
			q |= 1;
		}
		d >>= 1;
	}
	if (rem)
		*rem = n;
	return q;
}

uint64_t __udivdi3(uint64_t n, uint64_t d)
{
	return __udivmoddi4(n, d, 0);
}

uint64_t __umoddi3(uint64_t n, uint64_t d)
{
	uint64_t r;
	__udivmoddi4(n, d, &r);
	return r;
}

int64_t __divmoddi4(int64_t n, int64_t d, int64_t *rem)
{
	int neg_q = (n < 0) != (d < 0);
	int neg_r = n < 0;
	uint64_t un = n < 0 ? -(uint64_t)n : (uint64_t)n;
	uint64_t ud = d < 0 ? -(uint64_t)d : (uint64_t)d;
	uint64_t ur;
	uint64_t uq = __udivmoddi4(un, ud, &ur);
	if (rem)
		*rem = neg_r ? -(int64_t)ur : (int64_t)ur;
	return neg_q ? -(int64_t)uq : (int64_t)uq;
}

int64_t __divdi3(int64_t n, int64_t d)
{
	return __divmoddi4(n, d, 0);
}

int64_t __moddi3(int64_t n, int64_t d)
{
	int64_t r;
	__divmoddi4(n, d, &r);
	return r;
}
