/* Shell commands on the kernel and processes: uname, uptime, free, ps, dmesg, sleep, poweroff,
   reboot. Process and memory figures come from /proc (mounted at start). */
#include "clock.h"
#include "commands.h"
#include "lib.h"
#include "syscalls.h"

static char text[4096];

int cmd_uname(int argc, char **argv) {
    struct new_utsname u;
    long r = sys_uname(&u);
    if (r < 0) {
        out_error("uname", 0, r);
        return 1;
    }
    const char *fields[5] = {u.sysname, u.nodename, u.release, u.version, u.machine};
    const char *letters = "snrvm";
    int want[5] = {0, 0, 0, 0, 0}, any = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (a[0] != '-' || !a[1]) goto usage;
        for (a++; *a; a++) {
            if (*a == 'a') {
                for (int k = 0; k < 5; k++) want[k] = 1;
            } else {
                int k = 0;
                while (letters[k] && letters[k] != *a) k++;
                if (!letters[k]) goto usage;
                want[k] = 1;
            }
            any = 1;
        }
    }
    if (!any) want[0] = 1;
    int first = 1;
    for (int k = 0; k < 5; k++) {
        if (!want[k]) continue;
        if (!first) out_char(' ');
        out_str(fields[k]);
        first = 0;
    }
    out_char('\n');
    return 0;
usage:
    out_str("uname: usage: uname [-asnrvm]\n");
    return 1;
}

/* Load average in thousandths from the kernel's 16.16 fixed point. */
static u32 load_thousandths(unsigned long l) {
    return (u32)((l >> 6) * 1000u) >> 10;
}

int cmd_uptime(int argc, char **argv) {
    (void)argc, (void)argv;
    struct sysinfo si;
    long r = sys_sysinfo(&si);
    if (r < 0) {
        out_error("uptime", 0, r);
        return 1;
    }
    out_str("up ");
    /* /proc/uptime has hundredths of a second; sysinfo only whole seconds. */
    long n = read_file("/proc/uptime", text, sizeof text);
    if (n > 0) {
        char *p = text;
        while (*p && *p != ' ') out_char(*p++);
    } else {
        out_u32((u32)si.uptime);
    }
    out_str(" s, ");
    out_u32(si.procs);
    out_str(" processes, load average: ");
    for (int i = 0; i < 3; i++) {
        if (i) out_str(", ");
        out_fixed3(load_thousandths(si.loads[i]), 2);
    }
    out_char('\n');
    return 0;
}

/* Value in kB of the /proc/meminfo line `key` ("MemFree"), or 0 when absent. */
static u32 meminfo_kb(const char *info, const char *key) {
    size_t klen = strlen(key);
    for (const char *p = info; *p;) {
        if (strncmp(p, key, klen) == 0 && p[klen] == ':') {
            p += klen + 1;
            while (is_space(*p)) p++;
            u32 v = 0;
            while (is_digit(*p)) v = v * 10 + (u32)(*p++ - '0');
            return v;
        }
        while (*p && *p != '\n') p++;
        if (*p) p++;
    }
    return 0;
}

int cmd_free(int argc, char **argv) {
    (void)argc, (void)argv;
    long n = read_file("/proc/meminfo", text, sizeof text);
    if (n < 0) {
        out_error("free", "/proc/meminfo", n);
        return 1;
    }
    u32 total = meminfo_kb(text, "MemTotal"), free = meminfo_kb(text, "MemFree");
    u32 cache = meminfo_kb(text, "Buffers") + meminfo_kb(text, "Cached");
    u32 avail = meminfo_kb(text, "MemAvailable");
    u32 used = total - free - cache;
    out_str("KiB          total       used       free buff/cache  available\n");
    out_str("Mem:   ");
    u32 cols[5] = {total, used, free, cache, avail};
    for (int i = 0; i < 5; i++) out_u32_pad(cols[i], 11);
    out_char('\n');
    return 0;
}

/* Word `index` (0-based) after the ")" that closes the command name in /proc/<pid>/stat. */
static const char *stat_field(const char *after_comm, int index, u32 *value) {
    const char *p = after_comm;
    for (int i = 0; i <= index; i++) {
        while (*p == ' ') p++;
        if (i == index) break;
        while (*p && *p != ' ') p++;
    }
    *value = 0;
    while (is_digit(*p)) *value = *value * 10 + (u32)(*p++ - '0');
    return p;
}

static void ps_one(const char *pid) {
    static char path[40], stat[512], cmdline[128];
    char *w = path;
    for (const char *s = "/proc/"; *s;) *w++ = *s++;
    for (const char *s = pid; *s && w < path + 24;) *w++ = *s++;
    char *tail = w;
    for (const char *s = "/stat"; *s;) *w++ = *s++;
    *w = 0;
    if (read_file(path, stat, sizeof stat) <= 0) return; /* exited meanwhile */
    char *open = stat, *close = 0;
    while (*open && *open != '(') open++;
    for (char *p = open; *p; p++)
        if (*p == ')') close = p;
    if (!*open || !close) return;
    const char *after = close + 1;
    while (*after == ' ') after++;
    char state = *after;
    u32 ppid, utime, stime, rss;
    stat_field(after, 1, &ppid);
    stat_field(after, 11, &utime);
    stat_field(after, 12, &stime);
    stat_field(after, 21, &rss);

    w = tail;
    for (const char *s = "/cmdline"; *s;) *w++ = *s++;
    *w = 0;
    long n = read_file(path, cmdline, sizeof cmdline);
    while (n > 0 && cmdline[n - 1] == 0) n--; /* arguments end in NUL; drop the last one */

    u32 p;
    parse_u32(pid, &p);
    out_u32_pad(p, 5);
    out_u32_pad(ppid, 6);
    out_char(' ');
    out_char(state);
    /* utime + stime are in USER_HZ (100 per second) ticks: print seconds with hundredths. */
    u32 ticks = utime + stime;
    out_u32_pad(ticks / 100, 6);
    out_char('.');
    out_char((char)('0' + ticks / 10 % 10));
    out_char((char)('0' + ticks % 10));
    out_u32_pad(rss * 4, 8);
    out_char(' ');
    if (n > 0) {
        for (long i = 0; i < n; i++) out_char(cmdline[i] ? cmdline[i] : ' ');
    } else {
        out_char('[');
        out_mem(open + 1, (size_t)(close - open - 1));
        out_char(']');
    }
    out_char('\n');
}

int cmd_ps(int argc, char **argv) {
    (void)argc, (void)argv;
    static char dirbuf[2048] __attribute__((aligned(8)));
    long fd = sys_open("/proc", O_RDONLY | O_DIRECTORY, 0);
    if (fd < 0) {
        out_error("ps", "/proc", fd);
        return 1;
    }
    out_str("  PID  PPID S     TIME  RSS(K) COMMAND\n");
    for (;;) {
        long n = sys_getdents64(fd, dirbuf, sizeof dirbuf);
        if (n <= 0) break;
        for (long off = 0; off < n;) {
            struct linux_dirent64 *d = (struct linux_dirent64 *)(dirbuf + off);
            off += d->d_reclen;
            if (is_digit(d->d_name[0])) ps_one(d->d_name);
        }
    }
    sys_close(fd);
    return 0;
}

int cmd_dmesg(int argc, char **argv) {
    (void)argc, (void)argv;
    static char log[65536];
    long size = sys_syslog(SYSLOG_ACTION_SIZE_BUFFER, 0, 0);
    if (size < 0) {
        out_error("dmesg", 0, size);
        return 1;
    }
    if (size > (long)sizeof log) size = sizeof log;
    long n = sys_syslog(SYSLOG_ACTION_READ_ALL, log, size);
    if (n < 0) {
        out_error("dmesg", 0, n);
        return 1;
    }
    /* Records start with "<level>"; print them without it, as dmesg(1) does. */
    int line_start = 1;
    for (long i = 0; i < n; i++) {
        if (line_start && log[i] == '<') {
            long j = i + 1;
            while (j < n && is_digit(log[j])) j++;
            if (j < n && log[j] == '>') {
                i = j;
                line_start = 0;
                continue;
            }
        }
        out_char(log[i]);
        line_start = log[i] == '\n';
    }
    return 0;
}

int cmd_sleep(int argc, char **argv) {
    u32 ms;
    if (argc != 2 || parse_seconds_ms(argv[1], &ms)) {
        out_str("sleep: usage: sleep SECONDS (e.g. 2 or 0.5)\n");
        return 1;
    }
    out_flush();
    sleep_ms(ms);
    return 0;
}

static int power(const char *name, const char *message, unsigned cmd) {
    out_str(message);
    out_flush();
    long r = sys_reboot(cmd);
    /* Only reached on failure. */
    out_error(name, 0, r);
    return 1;
}

int cmd_poweroff(int argc, char **argv) {
    (void)argc, (void)argv;
    return power("poweroff", "Shikiri Linux init: powering off\n", LINUX_REBOOT_CMD_POWER_OFF);
}

int cmd_reboot(int argc, char **argv) {
    (void)argc, (void)argv;
    return power("reboot", "Shikiri Linux init: rebooting\n", LINUX_REBOOT_CMD_RESTART);
}
