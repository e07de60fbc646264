/* format.c: printf-style formatting shared by syslog() and snprintf(), with 32- and 64-bit integer conversions. */
#include "t_stddef.h"
#include <stdarg.h>

extern int _toppers_format(void (*out)(char, void *), void *ctx, const char *fmt, va_list ap);

static void out_str(void (*out)(char, void *), void *ctx, const char *s, int len, int width, bool_t left, int *n)
{
	int pad = width > len ? width - len : 0;
	if (!left) while (pad-- > 0) { out(' ', ctx); (*n)++; }
	for (int i = 0; i < len; i++) { out(s[i], ctx); (*n)++; }
	if (left) while (pad-- > 0) { out(' ', ctx); (*n)++; }
}

int _toppers_format(void (*out)(char, void *), void *ctx, const char *fmt, va_list ap)
{
	int n = 0;
	char buf[24];
	for (; *fmt != '\0'; fmt++) {
		if (*fmt != '%') { out(*fmt, ctx); n++; continue; }
		fmt++;
		bool_t left = false, zero = false, plus = false, space = false, alt = false;
		for (;; fmt++) {
			if (*fmt == '-') left = true;
			else if (*fmt == '0') zero = true;
			else if (*fmt == '+') plus = true;
			else if (*fmt == ' ') space = true;
			else if (*fmt == '#') alt = true;
			else break;
		}
		int width = 0;
		if (*fmt == '*') { width = va_arg(ap, int); if (width < 0) { left = true; width = -width; } fmt++; }
		else while (*fmt >= '0' && *fmt <= '9') width = width * 10 + (*fmt++ - '0');
		int size = 0;	/* 0: int, 2: 64-bit */
		for (;; fmt++) {
			if (*fmt == 'l') { size = (fmt[1] == 'l') ? 2 : 0; if (fmt[1] == 'l') fmt++; }
			else if (*fmt == 'j' || *fmt == 'q') size = 2;
			else if (*fmt == 'h' || *fmt == 'z' || *fmt == 't') { }
			else break;
		}
		char c = *fmt;
		if (c == '\0') break;
		switch (c) {
		case 'd': case 'i': case 'u': case 'x': case 'X': case 'o': case 'p': {
			uint64_t v; bool_t neg = false;
			if (c == 'p') { v = (uintptr_t) va_arg(ap, void *); alt = true; c = 'x'; }
			else if (c == 'd' || c == 'i') {
				int64_t s = size == 2 ? va_arg(ap, long long) : (int64_t) va_arg(ap, int);
				neg = s < 0; v = neg ? (uint64_t)(-(s + 1)) + 1U : (uint64_t) s;
			} else v = size == 2 ? va_arg(ap, unsigned long long) : (uint64_t) va_arg(ap, unsigned int);
			uint_t base = (c == 'x' || c == 'X') ? 16U : (c == 'o') ? 8U : 10U;
			const char *digits = (c == 'X') ? "0123456789ABCDEF" : "0123456789abcdef";
			int len = 0;
			do { buf[sizeof(buf) - 1 - len++] = digits[v % base]; v /= base; } while (v != 0U);
			char sign = neg ? '-' : plus ? '+' : space ? ' ' : 0;
			const char *prefix = (alt && base == 16U) ? (c == 'X' ? "0X" : "0x") : "";
			int plen = (int)(sign != 0) + (int) (prefix[0] ? 2 : 0);
			int pad = width > len + plen ? width - len - plen : 0;
			if (!left && !zero) while (pad > 0) { out(' ', ctx); n++; pad--; }
			if (sign) { out(sign, ctx); n++; }
			for (const char *q = prefix; *q; q++) { out(*q, ctx); n++; }
			if (!left && zero) while (pad > 0) { out('0', ctx); n++; pad--; }
			for (int i = 0; i < len; i++) { out(buf[sizeof(buf) - len + i], ctx); n++; }
			while (pad > 0) { out(' ', ctx); n++; pad--; }
			break;
		}
		case 'c': buf[0] = (char) va_arg(ap, int); out_str(out, ctx, buf, 1, width, left, &n); break;
		case 's': {
			const char *s = va_arg(ap, const char *);
			if (s == NULL) s = "(null)";
			int len = 0; while (s[len]) len++;
			out_str(out, ctx, s, len, width, left, &n);
			break;
		}
		case '%': out('%', ctx); n++; break;
		default: out('%', ctx); out(c, ctx); n += 2; break;
		}
	}
	return n;
}
