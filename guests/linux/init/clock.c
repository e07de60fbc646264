/* Monotonic time for /init through clock_gettime64/clock_nanosleep_time64. */
#include "clock.h"
#include "syscalls.h"

#define TIMER_ABSTIME 1

u32 now_ms(void) {
    struct timespec64 ts;
    if (sys_clock_gettime64(CLOCK_MONOTONIC, &ts) < 0) return 0;
    return (u32)ts.tv_sec * 1000u + (u32)ts.tv_nsec / 1000000u;
}

void sleep_ms(u32 ms) {
    struct timespec64 until;
    if (sys_clock_gettime64(CLOCK_MONOTONIC, &until) < 0) return;
    /* Absolute deadline, so an interrupted sleep resumes without drifting. */
    u32 nsec = (u32)until.tv_nsec + (ms % 1000) * 1000000u;
    until.tv_sec += ms / 1000 + nsec / 1000000000u;
    until.tv_nsec = nsec % 1000000000u;
    while (sys_clock_nanosleep64(CLOCK_MONOTONIC, TIMER_ABSTIME, &until, 0) == -EINTR) {
    }
}
