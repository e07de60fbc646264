/* kernel_cfg.c: hand-written configurator output for target_kernel.cfg + sample1.cfg (see kernel/CFG_CONTRACT.md). */
#include "kernel/kernel_int.h"
#include "kernel_cfg.h"
#include "target_timer.h"
#include "syssvc/syslog.h"
#include "syssvc/banner.h"
#include "syssvc/serial.h"
#include "target_serial.h"
#include "sample1.h"

const ID _kernel_tmax_tskid = (TMIN_TSKID + TNUM_TSKID - 1);
static STK_T _kernel_stack_TASK1[COUNT_STK_T(STACK_SIZE)];
static STK_T _kernel_stack_TASK2[COUNT_STK_T(STACK_SIZE)];
static STK_T _kernel_stack_TASK3[COUNT_STK_T(STACK_SIZE)];
static STK_T _kernel_stack_MAIN_TASK[COUNT_STK_T(STACK_SIZE)];
const TINIB _kernel_tinib_table[TNUM_TSKID] = {
	{ (TA_NULL), (EXINF)(1), (TASK)(task), (TASK1_PRIORITY), ROUND_STK_T(STACK_SIZE), _kernel_stack_TASK1 },
	{ (TA_NULL), (EXINF)(2), (TASK)(task), (TASK2_PRIORITY), ROUND_STK_T(STACK_SIZE), _kernel_stack_TASK2 },
	{ (TA_NULL), (EXINF)(3), (TASK)(task), (TASK3_PRIORITY), ROUND_STK_T(STACK_SIZE), _kernel_stack_TASK3 },
	{ (TA_ACT), (EXINF)(0), (TASK)(main_task), (MAIN_PRIORITY), ROUND_STK_T(STACK_SIZE), _kernel_stack_MAIN_TASK },
};
TCB _kernel_tcb_table[TNUM_TSKID];

const ID _kernel_tmax_semid = (TMIN_SEMID + TNUM_SEMID - 1);
const SEMINIB _kernel_seminib_table[TNUM_SEMID] = {
	{ (TA_TPRI), (0), (SERIAL_RCV_BUFSZ) },
	{ (TA_TPRI), (0), (SERIAL_RCV_BUFSZ) },
};
SEMCB _kernel_semcb_table[TNUM_SEMID];

const ID _kernel_tmax_flgid = (TMIN_FLGID + TNUM_FLGID - 1);
const FLGINIB _kernel_flginib_table[0];
FLGCB _kernel_flgcb_table[0];
const ID _kernel_tmax_dtqid = (TMIN_DTQID + TNUM_DTQID - 1);
const DTQINIB _kernel_dtqinib_table[0];
DTQCB _kernel_dtqcb_table[0];
const ID _kernel_tmax_pdqid = (TMIN_PDQID + TNUM_PDQID - 1);
const PDQINIB _kernel_pdqinib_table[0];
PDQCB _kernel_pdqcb_table[0];
const ID _kernel_tmax_mtxid = (TMIN_MTXID + TNUM_MTXID - 1);
const MTXINIB _kernel_mtxinib_table[0];
MTXCB _kernel_mtxcb_table[0];
const ID _kernel_tmax_mpfid = (TMIN_MPFID + TNUM_MPFID - 1);
const MPFINIB _kernel_mpfinib_table[0];
MPFCB _kernel_mpfcb_table[0];

const ID _kernel_tmax_cycid = (TMIN_CYCID + TNUM_CYCID - 1);
const CYCINIB _kernel_cycinib_table[TNUM_CYCID] = {
	{ (TA_NULL), { TNFY_HANDLER, (intptr_t)(0), (intptr_t)(cyclic_handler), 0, 0 }, (CYC_PERIOD), (0) },
};
CYCCB _kernel_cyccb_table[TNUM_CYCID];

const ID _kernel_tmax_almid = (TMIN_ALMID + TNUM_ALMID - 1);
const ALMINIB _kernel_alminib_table[TNUM_ALMID] = {
	{ (TA_NULL), { TNFY_HANDLER, (intptr_t)(0), (intptr_t)(alarm_handler), 0, 0 } },
};
ALMCB _kernel_almcb_table[TNUM_ALMID];

const uint_t _kernel_tnum_cfg_int = 3;
const INTINIB _kernel_intinib_table[3] = {
	{ (INTNO_TIMER), (TA_ENAINT | INTATR_TIMER), (INTPRI_TIMER) },
	{ (INTNO_SIO1), (INTATR_SIO), (INTPRI_SIO) },
	{ (INTNO_SIO2), (INTATR_SIO), (INTPRI_SIO) },
};
const uint_t _kernel_tnum_def_inh = 1;
const INHINIB _kernel_inhinib_table[1] = {
	{ (INHNO_TIMER), (TA_NULL), (INTHDR)(_kernel_target_hrt_handler) },
};
const uint_t _kernel_tnum_isr = TNUM_ISRID;
const ISRINIB _kernel_isrinib_table[TNUM_ISRID] = {
	{ (TA_NULL), (EXINF)(1), (INTNO_SIO1), (ISR)(sio_isr), (1) },
	{ (TA_NULL), (EXINF)(2), (INTNO_SIO2), (ISR)(sio_isr), (1) },
};
const uint_t _kernel_tnum_def_exc = 1;
const EXCINIB _kernel_excinib_table[1] = {
	{ (EXCNO_UD), (TA_NULL), (EXCHDR)(cpuexc_handler) },
};

const uint_t _kernel_tnum_inirtn = 4;
const INIRTNB _kernel_inirtnb_table[4] = {
	{ (INIRTN)(_kernel_target_hrt_initialize), (EXINF)(0) },
	{ (INIRTN)(syslog_initialize), (EXINF)(0) },
	{ (INIRTN)(print_banner), (EXINF)(0) },
	{ (INIRTN)(serial_initialize), (EXINF)(0) },
};
const uint_t _kernel_tnum_terrtn = 1;
const TERRTNB _kernel_terrtnb_table[1] = {
	{ (TERRTN)(_kernel_target_hrt_terminate), (EXINF)(0) },
};

static STK_T _kernel_istack[COUNT_STK_T(DEFAULT_ISTKSZ)];
const size_t _kernel_istksz = ROUND_STK_T(DEFAULT_ISTKSZ);
STK_T *const _kernel_istk = _kernel_istack;
