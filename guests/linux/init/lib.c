/* Freestanding helpers for /init: memory/string functions, buffered output, numbers, errors. */
#include "lib.h"
#include "syscalls.h"

/* `rep movsb`/`rep stosb` rather than C loops: gcc could turn a loop into a call to memcpy
   itself, which would recurse here. */
void *memcpy(void *dst, const void *src, size_t n) {
    void *d = dst;
    __asm__ volatile("rep movsb" : "+D"(d), "+S"(src), "+c"(n) : : "memory");
    return dst;
}

void *memset(void *dst, int c, size_t n) {
    void *d = dst;
    __asm__ volatile("rep stosb" : "+D"(d), "+c"(n) : "a"(c) : "memory");
    return dst;
}

size_t strlen(const char *s) {
    size_t n = 0;
    while (s[n]) n++;
    return n;
}

int strcmp(const char *a, const char *b) {
    while (*a && *a == *b) a++, b++;
    return (unsigned char)*a - (unsigned char)*b;
}

int strncmp(const char *a, const char *b, size_t n) {
    for (; n; n--, a++, b++) {
        if (*a != *b) return (unsigned char)*a - (unsigned char)*b;
        if (!*a) return 0;
    }
    return 0;
}

int is_digit(char c) { return c >= '0' && c <= '9'; }
int is_space(char c) { return c == ' ' || c == '\t'; }

static char out_buf[512];
static size_t out_len;

void out_flush(void) {
    size_t done = 0;
    while (done < out_len) {
        long r = sys_write(1, out_buf + done, out_len - done);
        if (r == -EINTR || r == -EAGAIN) continue;
        if (r <= 0) break; /* console gone: drop the output rather than spin */
        done += (size_t)r;
    }
    out_len = 0;
}

void out_char(char c) {
    if (out_len == sizeof out_buf) out_flush();
    out_buf[out_len++] = c;
}

void out_mem(const char *s, size_t n) {
    while (n--) out_char(*s++);
}

void out_str(const char *s) {
    while (*s) out_char(*s++);
}

static int format_u32(u32 v, char *tmp) {
    int n = 0;
    do {
        tmp[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    return n; /* digits in reverse order */
}

void out_u32(u32 v) {
    char tmp[10];
    int n = format_u32(v, tmp);
    while (n) out_char(tmp[--n]);
}

void out_u32_pad(u32 v, int width) {
    char tmp[10];
    int n = format_u32(v, tmp);
    for (int i = n; i < width; i++) out_char(' ');
    while (n) out_char(tmp[--n]);
}

void out_fixed3(u32 thousandths, int decimals) {
    out_u32(thousandths / 1000);
    out_char('.');
    u32 frac = thousandths % 1000;
    static const u32 div[3] = {100, 10, 1};
    for (int i = 0; i < decimals && i < 3; i++) out_char((char)('0' + frac / div[i] % 10));
}

const char *error_name(long err) {
    switch (-err) {
    case 1: return "operation not permitted";
    case 2: return "no such file or directory";
    case 3: return "no such process";
    case 4: return "interrupted";
    case 5: return "I/O error";
    case 9: return "bad file descriptor";
    case 10: return "no child processes";
    case 11: return "try again";
    case 12: return "out of memory";
    case 13: return "permission denied";
    case 14: return "bad address";
    case 16: return "device or resource busy";
    case 17: return "file exists";
    case 19: return "no such device (filesystem type not supported?)";
    case 20: return "not a directory";
    case 21: return "is a directory";
    case 22: return "invalid argument";
    case 28: return "no space left on device";
    case 30: return "read-only file system";
    case 36: return "file name too long";
    case 38: return "function not implemented";
    case 39: return "directory not empty";
    default: return 0;
    }
}

void out_error(const char *cmd, const char *what, long err) {
    out_str(cmd);
    if (what) {
        out_str(": ");
        out_str(what);
    }
    out_str(": ");
    const char *name = error_name(err);
    if (name) {
        out_str(name);
    } else {
        out_str("error ");
        out_u32((u32)-err);
    }
    out_char('\n');
}

int parse_u32(const char *s, u32 *out) {
    u32 v = 0;
    if (!*s) return -1;
    for (; *s; s++) {
        if (!is_digit(*s)) return -1;
        u32 d = (u32)(*s - '0');
        if (v > (0xffffffffu - d) / 10) return -1;
        v = v * 10 + d;
    }
    *out = v;
    return 0;
}

int parse_seconds_ms(const char *s, u32 *out_ms) {
    char whole[12];
    size_t n = 0;
    while (s[n] && s[n] != '.' && n < sizeof whole - 1) {
        whole[n] = s[n];
        n++;
    }
    whole[n] = 0;
    u32 secs;
    if (n == 0 || parse_u32(whole, &secs) || secs > 4000000) return -1;
    u32 ms = 0;
    if (s[n] == '.') {
        const char *f = s + n + 1;
        u32 scale = 100;
        if (!*f) return -1;
        for (; *f; f++) {
            if (!is_digit(*f)) return -1;
            ms += (u32)(*f - '0') * scale;
            scale /= 10;
        }
    } else if (s[n]) {
        return -1;
    }
    *out_ms = secs * 1000 + ms;
    return 0;
}

long read_file(const char *path, char *buf, size_t size) {
    long fd = sys_open(path, O_RDONLY, 0);
    if (fd < 0) return fd;
    size_t len = 0;
    while (len + 1 < size) {
        long r = sys_read(fd, buf + len, size - 1 - len);
        if (r == -EINTR) continue;
        if (r < 0) {
            sys_close(fd);
            return r;
        }
        if (r == 0) break;
        len += (size_t)r;
    }
    sys_close(fd);
    buf[len] = 0;
    return (long)len;
}
