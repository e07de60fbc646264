/* t_stdlib.c: the freestanding C library functions declared in t_stdlib.h (gcc may also emit calls to mem*). */
#include "t_stdlib.h"

void *memcpy(void *dst, const void *src, size_t n) { char *d = dst; const char *s = src; while (n--) *d++ = *s++; return dst; }
void *memmove(void *dst, const void *src, size_t n)
{
	char *d = dst; const char *s = src;
	if (d < s) while (n--) *d++ = *s++;
	else { d += n; s += n; while (n--) *--d = *--s; }
	return dst;
}
void *memset(void *dst, int c, size_t n) { char *d = dst; while (n--) *d++ = (char) c; return dst; }
int memcmp(const void *a, const void *b, size_t n)
{
	const unsigned char *x = a, *y = b;
	for (; n; n--, x++, y++) if (*x != *y) return *x - *y;
	return 0;
}
size_t strlen(const char *s) { size_t n = 0; while (s[n]) n++; return n; }
int strcmp(const char *a, const char *b) { while (*a && *a == *b) { a++; b++; } return (unsigned char) *a - (unsigned char) *b; }
int strncmp(const char *a, const char *b, size_t n)
{
	for (; n; n--, a++, b++) { if (*a != *b || !*a) return (unsigned char) *a - (unsigned char) *b; }
	return 0;
}
char *strcpy(char *dst, const char *src) { char *d = dst; while ((*d++ = *src++)) { } return dst; }
int abs(int v) { return v < 0 ? -v : v; }

long strtol(const char *s, char **endp, int base)
{
	long v = 0; int neg = 0;
	while (*s == ' ' || *s == '\t') s++;
	if (*s == '-' || *s == '+') neg = (*s++ == '-');
	if ((base == 0 || base == 16) && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) { s += 2; base = 16; }
	else if (base == 0) base = (s[0] == '0') ? 8 : 10;
	for (;; s++) {
		int d = (*s >= '0' && *s <= '9') ? *s - '0' : (*s >= 'a' && *s <= 'z') ? *s - 'a' + 10 : (*s >= 'A' && *s <= 'Z') ? *s - 'A' + 10 : 99;
		if (d >= base) break;
		v = v * base + d;
	}
	if (endp) *endp = (char *) s;
	return neg ? -v : v;
}
int atoi(const char *s) { return (int) strtol(s, NULL, 10); }

extern int _toppers_format(void (*out)(char, void *), void *ctx, const char *fmt, va_list ap);
typedef struct { char *buf; size_t size, pos; } SNBUF;
static void sn_out(char c, void *ctx) { SNBUF *b = ctx; if (b->pos + 1 < b->size) b->buf[b->pos] = c; b->pos++; }
int vsnprintf(char *buf, size_t size, const char *format, va_list ap)
{
	SNBUF b = { buf, size, 0 };
	int n = _toppers_format(sn_out, &b, format, ap);
	if (size > 0) buf[b.pos < size ? b.pos : size - 1] = '\0';
	return n;
}
int snprintf(char *buf, size_t size, const char *format, ...)
{
	va_list ap; va_start(ap, format);
	int n = vsnprintf(buf, size, format, ap);
	va_end(ap);
	return n;
}
