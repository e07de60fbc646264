/* int.h: entry points of the int test. */
#include "target_exception.h"
#ifndef TOPPERS_MACRO_ONLY
#include "kernel.h"
extern void task1(EXINF); extern void task2(EXINF); extern void isr1(EXINF); extern void isr2(EXINF); extern void inthdr10(void); extern void exc_handler(void *);
#endif
