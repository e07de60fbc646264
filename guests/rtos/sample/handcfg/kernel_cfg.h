/* kernel_cfg.h: hand-written configurator output for sample1.cfg (kept until the configurator generates it). */
#ifndef TOPPERS_KERNEL_CFG_H
#define TOPPERS_KERNEL_CFG_H

#define TNUM_TSKID	4
#define TNUM_SEMID	2
#define TNUM_FLGID	0
#define TNUM_DTQID	0
#define TNUM_PDQID	0
#define TNUM_MTXID	0
#define TNUM_MPFID	0
#define TNUM_CYCID	1
#define TNUM_ALMID	1
#define TNUM_ISRID	2

#define SERIAL_RCV_SEM1	1
#define SERIAL_RCV_SEM2	2
#define SERIAL_ISR1		1
#define SERIAL_ISR2		2
#define TASK1			1
#define TASK2			2
#define TASK3			3
#define MAIN_TASK		4
#define CYCHDR1			1
#define ALMHDR1			1

#endif
