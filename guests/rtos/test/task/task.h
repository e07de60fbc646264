/* task.h: entry points of the task-management test. */
#ifndef TOPPERS_MACRO_ONLY
#include "kernel.h"
extern void task1(EXINF exinf);
extern void task2(EXINF exinf);
extern void task3(EXINF exinf);
#endif
