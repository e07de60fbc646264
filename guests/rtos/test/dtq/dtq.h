/* dtq.h: entry points of the dtq test. */
#ifndef TOPPERS_MACRO_ONLY
#include "kernel.h"
extern void task1(EXINF); extern void task2(EXINF);
#endif
