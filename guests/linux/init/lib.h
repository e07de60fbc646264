/* Freestanding helpers for /init: memory and string functions, buffered console output,
   number formatting and parsing, error names, whole-file reads. No libc exists in the guest. */
#ifndef SHIKIRI_LIB_H
#define SHIKIRI_LIB_H

typedef unsigned int u32;
typedef unsigned long long u64;
typedef unsigned int size_t;

/* gcc may emit calls to these for struct copies even in freestanding code, so they keep their
   standard names. */
void *memcpy(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
size_t strlen(const char *s);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);

/* Console output through a small buffer: one write(2) per flush instead of one per piece. */
void out_char(char c);
void out_str(const char *s);
void out_mem(const char *s, size_t n);
void out_u32(u32 v);
/* Right-aligned in `width` columns (padding with spaces). */
void out_u32_pad(u32 v, int width);
/* `v` thousandths printed as an integer part and `decimals` (1..3) digits. */
void out_fixed3(u32 thousandths, int decimals);
void out_flush(void);

/* One-line error: "<cmd>: <what>: <error name>\n". `err` is a negative errno as returned by
   a system call. */
void out_error(const char *cmd, const char *what, long err);
const char *error_name(long err);

/* Parse a decimal unsigned integer; returns 0 on success, -1 on bad syntax or overflow. */
int parse_u32(const char *s, u32 *out);
/* Parse "S" or "S.fff" seconds into milliseconds; returns 0 on success. */
int parse_seconds_ms(const char *s, u32 *out_ms);

/* Read a whole (small) file into buf, NUL terminated; returns its length or a negative errno. */
long read_file(const char *path, char *buf, size_t size);

int is_digit(char c);
int is_space(char c);

#endif
