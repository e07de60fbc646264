/* sem.h: entry points and parameters of the semaphore measurement. */
#define SEM_ROUNDS		10000		/* signal/wait round trips */
#define LOW_PRIORITY	10
#define HIGH_PRIORITY	5

#ifndef TOPPERS_MACRO_ONLY
#include "kernel.h"
extern void low_task(EXINF exinf);
extern void high_task(EXINF exinf);
#endif
