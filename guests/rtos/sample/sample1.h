/* sample1.h: priorities, stack sizes and entry points of the sample application. */
#ifndef SAMPLE1_H
#define SAMPLE1_H

#include "target_exception.h"

#define MAIN_PRIORITY	5		/* the command task: above the workers */
#define HIGH_PRIORITY	9
#define MID_PRIORITY	10
#define LOW_PRIORITY	11
#define TASK1_PRIORITY	10
#define TASK2_PRIORITY	11
#define TASK3_PRIORITY	12
#define STACK_SIZE		4096
#define CYC_PERIOD		2000000	/* cyclic handler period: 2 s */
#define ALM_TIME		5000000	/* alarm: 5 s after 'b' */
#define TASK_PORTID		1

#ifndef TOPPERS_MACRO_ONLY
#include "kernel.h"
extern void task(EXINF exinf);
extern void main_task(EXINF exinf);
extern void cyclic_handler(EXINF exinf);
extern void alarm_handler(EXINF exinf);
extern void cpuexc_handler(void *p_excinf);
#endif

#endif
