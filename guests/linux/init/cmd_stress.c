/* `stress cpu|mem|syscall|fork SECONDS [KIB]`: load generators for the isolation tests.
 *
 * Each mode runs for SECONDS of monotonic time in PID 1 itself (fork mode creates short-lived
 * children), then prints one summary line with the work done and its rate, e.g.
 *   stress cpu: 10.00 s, 5320 rounds (532/s)
 * cpu      integer arithmetic only (a round is 10000 multiply-adds), one clock read per round
 * mem      KIB (default 4096) of heap from brk(2), every 4 KiB page written in turn, repeatedly
 *          (a round is one pass over all pages); the memory is returned afterwards
 * syscall  getppid(2) in a loop (a round is one call): kernel entry/exit cost
 * fork     fork(2) a child that exits at once, then wait4(2) for it (a round is one child)
 */
#include "clock.h"
#include "commands.h"
#include "lib.h"
#include "syscalls.h"

#define PAGE 4096u
#define MAX_SECONDS 3600u

static volatile u32 sink; /* keeps the cpu loop from being optimised away */

static u32 stress_cpu(u32 start, u32 ms) {
    u32 rounds = 0, x = sink;
    do {
        for (int i = 0; i < 10000; i++) x = x * 1103515245u + 12345u;
        sink = x;
        rounds++;
    } while (now_ms() - start < ms);
    return rounds;
}

static long stress_mem(u32 start, u32 ms, u32 kib, u32 *rounds) {
    long base = sys_brk(0);
    u32 bytes = kib * 1024u;
    long end = sys_brk(base + (long)bytes);
    if (end < base + (long)bytes) return -12; /* ENOMEM: brk returns the old break on failure */
    volatile unsigned char *mem = (volatile unsigned char *)base;
    u32 pass = 0;
    do {
        pass++;
        for (u32 off = 0; off < bytes; off += PAGE) {
            mem[off] = (unsigned char)pass;
            if ((off / PAGE) % 64 == 63 && now_ms() - start >= ms) break;
        }
    } while (now_ms() - start < ms);
    sys_brk(base);
    *rounds = pass;
    return 0;
}

static u32 stress_syscall(u32 start, u32 ms) {
    u32 rounds = 0;
    do {
        for (int i = 0; i < 1000; i++) sys_getppid();
        rounds += 1000;
    } while (now_ms() - start < ms);
    return rounds;
}

static long stress_fork(u32 start, u32 ms, u32 *rounds) {
    u32 n = 0;
    do {
        long pid = sys_fork();
        if (pid == 0) {
            sys_exit(0); /* child: leave at once, without touching PID 1's buffers */
            for (;;) {
            }
        }
        if (pid < 0) {
            *rounds = n;
            return pid;
        }
        int status;
        while (sys_wait4(pid, &status, 0) == -EINTR) {
        }
        n++;
    } while (now_ms() - start < ms);
    *rounds = n;
    return 0;
}

int cmd_stress(int argc, char **argv) {
    u32 ms, kib = 4096;
    if (argc < 3 || argc > 4 || parse_seconds_ms(argv[2], &ms) || ms == 0 || ms > MAX_SECONDS * 1000 ||
        (argc == 4 && (parse_u32(argv[3], &kib) || kib == 0 || kib > 1024 * 1024))) {
        out_str("stress: usage: stress cpu|mem|syscall|fork SECONDS [KIB for mem] (SECONDS up to 3600)\n");
        return 1;
    }
    const char *mode = argv[1];
    int which = strcmp(mode, "cpu") == 0 ? 0 : strcmp(mode, "mem") == 0 ? 1 : strcmp(mode, "syscall") == 0 ? 2
              : strcmp(mode, "fork") == 0 ? 3 : -1;
    if (which < 0) {
        out_str("stress: unknown mode ");
        out_str(mode);
        out_str(" (cpu, mem, syscall or fork)\n");
        return 1;
    }
    out_str("stress ");
    out_str(mode);
    out_str(": running for ");
    out_fixed3(ms, 2);
    out_str(" s\n");
    out_flush();

    u32 start = now_ms(), rounds = 0;
    long err = 0;
    switch (which) {
    case 0: rounds = stress_cpu(start, ms); break;
    case 1: err = stress_mem(start, ms, kib, &rounds); break;
    case 2: rounds = stress_syscall(start, ms); break;
    case 3: err = stress_fork(start, ms, &rounds); break;
    }
    u32 elapsed = now_ms() - start;
    if (err < 0) {
        out_error("stress", mode, err);
        return 1;
    }
    if (elapsed == 0) elapsed = 1;
    out_str("stress ");
    out_str(mode);
    out_str(": ");
    out_fixed3(elapsed, 2);
    out_str(" s, ");
    if (which == 1) {
        out_u32(kib);
        out_str(" KiB, ");
    }
    out_u32(rounds);
    out_str(which == 2 ? " calls" : which == 3 ? " children" : " rounds");
    /* rounds * 1000 / elapsed without 64-bit division (no libgcc). */
    u32 rate = rounds / elapsed * 1000u + (rounds % elapsed) * 1000u / elapsed;
    out_str(" (");
    out_u32(rate);
    out_str("/s)\n");
    return 0;
}
