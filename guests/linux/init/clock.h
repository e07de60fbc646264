/* Monotonic time for /init: milliseconds since boot and sleeping, in 32-bit arithmetic (no
   libgcc, so no 64-bit division). */
#ifndef SHIKIRI_CLOCK_H
#define SHIKIRI_CLOCK_H
#include "lib.h"

/* CLOCK_MONOTONIC in milliseconds (wraps after 49 days; callers compare differences). */
u32 now_ms(void);
/* Sleep `ms` milliseconds on CLOCK_MONOTONIC, resuming after interruptions. */
void sleep_ms(u32 ms);

#endif
