/* flg.h: entry points of the flg test. */
#ifndef TOPPERS_MACRO_ONLY
#include "kernel.h"
extern void task1(EXINF); extern void task2(EXINF); extern void task3(EXINF);
#endif
