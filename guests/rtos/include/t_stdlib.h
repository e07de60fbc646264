/* t_stdlib.h: the small freestanding C library the kernel and applications use (string, memory, conversions). */
#ifndef TOPPERS_T_STDLIB_H
#define TOPPERS_T_STDLIB_H

#include "t_stddef.h"

#ifndef TOPPERS_MACRO_ONLY
extern void *memcpy(void *dst, const void *src, size_t n);
extern void *memmove(void *dst, const void *src, size_t n);
extern void *memset(void *dst, int c, size_t n);
extern int memcmp(const void *a, const void *b, size_t n);
extern size_t strlen(const char *s);
extern int strcmp(const char *a, const char *b);
extern int strncmp(const char *a, const char *b, size_t n);
extern char *strcpy(char *dst, const char *src);
extern long strtol(const char *s, char **endp, int base);
extern int atoi(const char *s);
extern int abs(int v);
/* Format into buf (at most size-1 characters and a NUL); same conversions as syslog(). */
extern int snprintf(char *buf, size_t size, const char *format, ...) __attribute__((format(printf, 3, 4)));
#include <stdarg.h>
extern int vsnprintf(char *buf, size_t size, const char *format, va_list ap);
#endif

#endif /* TOPPERS_T_STDLIB_H */
