/* ctxsw.h: entry points and parameters of the task context switch measurement. */
#define CTXSW_ROUNDS	10000		/* wake-up/sleep round trips */
#define LOW_PRIORITY	10
#define HIGH_PRIORITY	5

#ifndef TOPPERS_MACRO_ONLY
#include "kernel.h"
extern void low_task(EXINF exinf);
extern void high_task(EXINF exinf);
#endif
