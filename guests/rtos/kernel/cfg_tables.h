/* cfg_tables.h: the tables the configurator-generated kernel_cfg.c defines and the kernel reads (see CFG_CONTRACT.md). */
#ifndef TOPPERS_CFG_TABLES_H
#define TOPPERS_CFG_TABLES_H

#include "kernel.h"

/*
 * Every generated table is plain data: the kernel validates it and links it up at start-up
 * (kernel/startup.c), so the configurator never has to evaluate C expressions to order or group
 * entries. Field comments name the static-API parameter each field comes from.
 */

/* Control blocks: defined in kernel/kernel_impl.h; kernel_cfg.c only allocates arrays of them. */
typedef struct task_control_block			TCB;
typedef struct semaphore_control_block		SEMCB;
typedef struct eventflag_control_block		FLGCB;
typedef struct dataqueue_control_block		DTQCB;
typedef struct pridataq_control_block		PDQCB;
typedef struct mutex_control_block			MTXCB;
typedef struct fixedmempool_control_block	MPFCB;
typedef struct cyclic_control_block			CYCCB;
typedef struct alarm_control_block			ALMCB;

/* Management blocks the configurator allocates per data queue / priority data queue / pool. */
typedef struct dataqueue_management_block {
	intptr_t	data;
} DTQMB;

typedef struct pridataq_management_block {
	struct pridataq_management_block *p_next;
	intptr_t	data;
	PRI			datapri;
} PDQMB;

typedef struct fixedmempool_management_block {
	uint_t		next;		/* kernel-private free-list link */
} MPFMB;

/* CRE_TSK(ID, { tskatr, exinf, task, itskpri, stksz, stk }) */
typedef struct task_initialization_block {
	ATR			tskatr;		/* TA_ACT / TA_NOACTQUE */
	EXINF		exinf;
	TASK		task;		/* main routine */
	PRI			itskpri;	/* initial priority, external value TMIN_TPRI..TMAX_TPRI */
	size_t		stksz;		/* stack size in bytes, ROUND_STK_T(stksz) */
	STK_T		*stk;		/* lowest address of the stack area */
} TINIB;

/* CRE_SEM(ID, { sematr, isemcnt, maxsem }) */
typedef struct semaphore_initialization_block {
	ATR			sematr;		/* TA_TPRI or TA_NULL (FIFO) */
	uint_t		isemcnt;
	uint_t		maxsem;
} SEMINIB;

/* CRE_FLG(ID, { flgatr, iflgptn }) */
typedef struct eventflag_initialization_block {
	ATR			flgatr;		/* TA_TPRI | TA_WMUL | TA_CLR */
	FLGPTN		iflgptn;
} FLGINIB;

/* CRE_DTQ(ID, { dtqatr, dtqcnt, dtqmb }) -- dtqmb must be NULL in the .cfg */
typedef struct dataqueue_initialization_block {
	ATR			dtqatr;		/* TA_TPRI or TA_NULL (send-wait queue order) */
	uint_t		dtqcnt;		/* capacity in data items */
	DTQMB		*p_dtqmb;	/* _kernel_dtqmb_<NAME>, or NULL when dtqcnt == 0 */
} DTQINIB;

/* CRE_PDQ(ID, { pdqatr, pdqcnt, maxdpri, pdqmb }) -- pdqmb must be NULL in the .cfg */
typedef struct pridataq_initialization_block {
	ATR			pdqatr;		/* TA_TPRI or TA_NULL */
	uint_t		pdqcnt;		/* capacity in data items */
	PRI			maxdpri;	/* highest data priority accepted, TMIN_DPRI..TMAX_DPRI */
	PDQMB		*p_pdqmb;	/* _kernel_pdqmb_<NAME>, or NULL when pdqcnt == 0 */
} PDQINIB;

/* CRE_MTX(ID, { mtxatr, ceilpri }) */
typedef struct mutex_initialization_block {
	ATR			mtxatr;		/* TA_NULL (FIFO), TA_TPRI or TA_CEILING */
	PRI			ceilpri;	/* external priority; only meaningful with TA_CEILING, else 0 */
} MTXINIB;

/* CRE_MPF(ID, { mpfatr, blkcnt, blksz, mpf, mpfmb }) -- mpf and mpfmb NULL in the .cfg */
typedef struct fixedmempool_initialization_block {
	ATR			mpfatr;		/* TA_TPRI or TA_NULL */
	uint_t		blkcnt;
	uint_t		blksz;		/* ROUND_MPF_T(blksz) */
	void		*mpf;		/* _kernel_mpf_<NAME>: blkcnt * COUNT_MPF_T(blksz) MPF_T */
	MPFMB		*p_mpfmb;	/* _kernel_mpfmb_<NAME>: blkcnt MPFMB */
} MPFINIB;

/*
 * A notification (T_NFYINFO of CRE_CYC / CRE_ALM) flattened into four words. Which words are
 * used depends on nfymode = (normal mode | error mode):
 *   TNFY_HANDLER  par1 = exinf,  par2 = (intptr_t) handler (NFYHDR)
 *   TNFY_SETVAR   par1 = (intptr_t) p_var (intptr_t *),  par2 = value
 *   TNFY_INCVAR   par1 = (intptr_t) p_var (intptr_t *)
 *   TNFY_ACTTSK / TNFY_WUPTSK   par1 = tskid
 *   TNFY_SIGSEM   par1 = semid
 *   TNFY_SETFLG   par1 = flgid,  par2 = flgptn
 *   TNFY_SNDDTQ   par1 = dtqid,  par2 = data
 *   TENFY_SETVAR / TENFY_INCVAR  epar1 = (intptr_t) p_var (error code stored / var incremented)
 *   TENFY_ACTTSK / TENFY_WUPTSK  epar1 = tskid
 *   TENFY_SIGSEM  epar1 = semid
 *   TENFY_SETFLG  epar1 = flgid,  epar2 = flgptn
 *   TENFY_SNDDTQ  epar1 = dtqid   (the error code is sent as the data)
 * Unused words are 0.
 */
typedef struct notification_initialization_block {
	MODE		nfymode;
	intptr_t	par1;
	intptr_t	par2;
	intptr_t	epar1;
	intptr_t	epar2;
} NFYINIB;

/* CRE_CYC(ID, { cycatr, nfyinfo, cyctim, cycphs }) */
typedef struct cyclic_initialization_block {
	ATR			cycatr;		/* TA_STA or TA_NULL */
	NFYINIB		nfy;
	RELTIM		cyctim;		/* period in microseconds, > 0 */
	RELTIM		cycphs;		/* phase in microseconds */
} CYCINIB;

/* CRE_ALM(ID, { almatr, nfyinfo }) */
typedef struct alarm_initialization_block {
	ATR			almatr;		/* TA_NULL */
	NFYINIB		nfy;
} ALMINIB;

/* CFG_INT(intno, { intatr, intpri }) */
typedef struct interrupt_initialization_block {
	INTNO		intno;
	ATR			intatr;		/* TA_ENAINT | TA_EDGE */
	PRI			intpri;		/* TMIN_INTPRI..TMAX_INTPRI */
} INTINIB;

/* DEF_INH(inhno, { inhatr, inthdr }) */
typedef struct interrupt_handler_initialization_block {
	INHNO		inhno;
	ATR			inhatr;		/* TA_NULL */
	INTHDR		inthdr;
} INHINIB;

/* CRE_ISR(ID, { isratr, exinf, intno, isr, isrpri }) -- same field order as T_CISR */
typedef struct isr_initialization_block {
	ATR			isratr;		/* TA_NULL */
	EXINF		exinf;
	INTNO		intno;
	ISR			isr;
	PRI			isrpri;		/* TMIN_ISRPRI..TMAX_ISRPRI; lower runs first */
} ISRINIB;

/* DEF_EXC(excno, { excatr, exchdr }) */
typedef struct exception_handler_initialization_block {
	EXCNO		excno;
	ATR			excatr;		/* TA_NULL */
	EXCHDR		exchdr;
} EXCINIB;

/* ATT_INI({ iniatr, exinf, inirtn }) and ATT_TER({ teratr, exinf, terrtn }) */
typedef struct initialization_routine_block {
	INIRTN		inirtn;
	EXINF		exinf;
} INIRTNB;

typedef struct termination_routine_block {
	TERRTN		terrtn;
	EXINF		exinf;
} TERRTNB;

/* ---- What kernel_cfg.c defines (names are fixed; see CFG_CONTRACT.md). The control-block
 * arrays (_kernel_tcb_table, _kernel_semcb_table, ...) are declared in kernel_impl.h. ---- */

extern const ID			_kernel_tmax_tskid;
extern const TINIB		_kernel_tinib_table[];

extern const ID			_kernel_tmax_semid;
extern const SEMINIB	_kernel_seminib_table[];

extern const ID			_kernel_tmax_flgid;
extern const FLGINIB	_kernel_flginib_table[];

extern const ID			_kernel_tmax_dtqid;
extern const DTQINIB	_kernel_dtqinib_table[];

extern const ID			_kernel_tmax_pdqid;
extern const PDQINIB	_kernel_pdqinib_table[];

extern const ID			_kernel_tmax_mtxid;
extern const MTXINIB	_kernel_mtxinib_table[];

extern const ID			_kernel_tmax_mpfid;
extern const MPFINIB	_kernel_mpfinib_table[];

extern const ID			_kernel_tmax_cycid;
extern const CYCINIB	_kernel_cycinib_table[];

extern const ID			_kernel_tmax_almid;
extern const ALMINIB	_kernel_alminib_table[];

extern const uint_t		_kernel_tnum_cfg_int;
extern const INTINIB	_kernel_intinib_table[];

extern const uint_t		_kernel_tnum_def_inh;
extern const INHINIB	_kernel_inhinib_table[];

extern const uint_t		_kernel_tnum_isr;			/* == TNUM_ISRID */
extern const ISRINIB	_kernel_isrinib_table[];

extern const uint_t		_kernel_tnum_def_exc;
extern const EXCINIB	_kernel_excinib_table[];

extern const uint_t		_kernel_tnum_inirtn;
extern const INIRTNB	_kernel_inirtnb_table[];	/* called in definition order */

extern const uint_t		_kernel_tnum_terrtn;
extern const TERRTNB	_kernel_terrtnb_table[];	/* definition order; called last-first */

/* DEF_ICS({ istksz, istk }): the kernel's non-task-context stack. */
extern const size_t		_kernel_istksz;
extern STK_T *const		_kernel_istk;

/* Default non-task-context stack size when the .cfg has no DEF_ICS (bytes). */
#define DEFAULT_ISTKSZ	8192U

#endif /* TOPPERS_CFG_TABLES_H */
