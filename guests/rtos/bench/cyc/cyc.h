/* cyc.h: entry points and parameters of the cyclic handler jitter measurement. */
#define CYC_PERIOD		1000U		/* us */
#define CYC_PHASE		1000U		/* us: first start, from the start of the kernel's time base */
#define CYC_PERIODS		10000U		/* periods measured idle */
#define CYC_LOAD_PERIODS	1000U	/* further periods measured under load */
#define MAIN_PRIORITY	5
#define LOAD_PRIORITY	10

#ifndef TOPPERS_MACRO_ONLY
#include "kernel.h"
extern void main_task(EXINF exinf);
extern void load_task(EXINF exinf);
extern void cyc_handler(EXINF exinf);
extern void bench_cyc_initialize(EXINF exinf);
#endif
