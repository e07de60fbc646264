/* time.h: entry points of the time test. */
#include "target_exception.h"
#ifndef TOPPERS_MACRO_ONLY
#include "kernel.h"
extern void task1(EXINF); extern void task2(EXINF); extern void cyc_handler(EXINF); extern void alm_handler(EXINF); extern intptr_t var, err, cnt;
#endif
