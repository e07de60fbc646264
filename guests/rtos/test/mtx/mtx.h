/* mtx.h: entry points of the mtx test. */
#ifndef TOPPERS_MACRO_ONLY
#include "kernel.h"
extern void task1(EXINF); extern void task2(EXINF); extern void task3(EXINF); extern void task4(EXINF);
#endif
