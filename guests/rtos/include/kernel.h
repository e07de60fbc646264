/* kernel.h: the application interface of the TOPPERS 3rd-generation (ASP3) kernel on i386. */
#ifndef TOPPERS_KERNEL_H
#define TOPPERS_KERNEL_H

#include "t_stddef.h"
#include "target_kernel.h"

#ifndef TOPPERS_MACRO_ONLY

/* Program-unit types. */
typedef void    (*TASK)(EXINF exinf);
typedef void    (*TMEHDR)(EXINF exinf);
typedef void    (*ISR)(EXINF exinf);
typedef void    (*INTHDR)(void);
typedef void    (*EXCHDR)(void *p_excinf);
typedef void    (*INIRTN)(EXINF exinf);
typedef void    (*TERRTN)(EXINF exinf);
typedef void    (*NFYHDR)(EXINF exinf);

typedef uint_t  INTNO;      /* interrupt number (8259 IRQ) */
typedef uint_t  INHNO;      /* interrupt handler number */
typedef uint_t  EXCNO;      /* CPU exception handler number (vector) */
typedef uint32_t FLGPTN;    /* eventflag bit pattern */

/* Units for memory areas the kernel allocates (stacks, fixed-size blocks, queue areas). */
typedef struct { intptr_t a; } STK_T;
typedef struct { intptr_t a; } MPF_T;

/* Reference packets (spec: ref_xxx). */
typedef struct t_rtsk {
	STAT	tskstat;	/* task state */
	PRI		tskpri;		/* current priority */
	PRI		tskbpri;	/* base priority */
	STAT	tskwait;	/* reason for waiting */
	ID		wobjid;		/* object waited for */
	TMO		lefttmo;	/* time left to the timeout */
	uint_t	actcnt;		/* queued activation requests */
	uint_t	wupcnt;		/* queued wake-up requests */
	bool_t	raster;		/* termination request raised */
	bool_t	dister;		/* termination disabled */
} T_RTSK;

typedef struct t_rsem { ID wtskid; uint_t semcnt; } T_RSEM;
typedef struct t_rflg { ID wtskid; FLGPTN flgptn; } T_RFLG;
typedef struct t_rdtq { ID stskid; ID rtskid; uint_t sdtqcnt; } T_RDTQ;
typedef struct t_rpdq { ID stskid; ID rtskid; uint_t spdqcnt; } T_RPDQ;
typedef struct t_rmtx { ID htskid; ID wtskid; } T_RMTX;
typedef struct t_rmpf { ID wtskid; uint_t fblkcnt; } T_RMPF;
typedef struct t_rcyc { STAT cycstat; RELTIM lefttim; } T_RCYC;
typedef struct t_ralm { STAT almstat; RELTIM lefttim; } T_RALM;

/* Task management. */
extern ER		act_tsk(ID tskid);
extern ER_UINT	can_act(ID tskid);
extern ER		get_tst(ID tskid, STAT *p_tskstat);
extern ER		chg_pri(ID tskid, PRI tskpri);
extern ER		get_pri(ID tskid, PRI *p_tskpri);
extern ER		get_inf(EXINF *p_exinf);
extern ER		ref_tsk(ID tskid, T_RTSK *pk_rtsk);

/* Task-dependent synchronisation. */
extern ER		slp_tsk(void);
extern ER		tslp_tsk(TMO tmout);
extern ER		wup_tsk(ID tskid);
extern ER_UINT	can_wup(ID tskid);
extern ER		rel_wai(ID tskid);
extern ER		sus_tsk(ID tskid);
extern ER		rsm_tsk(ID tskid);
extern ER		dly_tsk(RELTIM dlytim);

/* Task termination. */
extern ER		ext_tsk(void);
extern ER		ras_ter(ID tskid);
extern ER		dis_ter(void);
extern ER		ena_ter(void);
extern bool_t	sns_ter(void);
extern ER		ter_tsk(ID tskid);

/* Semaphores. */
extern ER		sig_sem(ID semid);
extern ER		wai_sem(ID semid);
extern ER		pol_sem(ID semid);
extern ER		twai_sem(ID semid, TMO tmout);
extern ER		ini_sem(ID semid);
extern ER		ref_sem(ID semid, T_RSEM *pk_rsem);

/* Eventflags. */
extern ER		set_flg(ID flgid, FLGPTN setptn);
extern ER		clr_flg(ID flgid, FLGPTN clrptn);
extern ER		wai_flg(ID flgid, FLGPTN waiptn, MODE wfmode, FLGPTN *p_flgptn);
extern ER		pol_flg(ID flgid, FLGPTN waiptn, MODE wfmode, FLGPTN *p_flgptn);
extern ER		twai_flg(ID flgid, FLGPTN waiptn, MODE wfmode, FLGPTN *p_flgptn, TMO tmout);
extern ER		ini_flg(ID flgid);
extern ER		ref_flg(ID flgid, T_RFLG *pk_rflg);

/* Data queues. */
extern ER		snd_dtq(ID dtqid, intptr_t data);
extern ER		psnd_dtq(ID dtqid, intptr_t data);
extern ER		tsnd_dtq(ID dtqid, intptr_t data, TMO tmout);
extern ER		fsnd_dtq(ID dtqid, intptr_t data);
extern ER		rcv_dtq(ID dtqid, intptr_t *p_data);
extern ER		prcv_dtq(ID dtqid, intptr_t *p_data);
extern ER		trcv_dtq(ID dtqid, intptr_t *p_data, TMO tmout);
extern ER		ini_dtq(ID dtqid);
extern ER		ref_dtq(ID dtqid, T_RDTQ *pk_rdtq);

/* Priority data queues. */
extern ER		snd_pdq(ID pdqid, intptr_t data, PRI datapri);
extern ER		psnd_pdq(ID pdqid, intptr_t data, PRI datapri);
extern ER		tsnd_pdq(ID pdqid, intptr_t data, PRI datapri, TMO tmout);
extern ER		rcv_pdq(ID pdqid, intptr_t *p_data, PRI *p_datapri);
extern ER		prcv_pdq(ID pdqid, intptr_t *p_data, PRI *p_datapri);
extern ER		trcv_pdq(ID pdqid, intptr_t *p_data, PRI *p_datapri, TMO tmout);
extern ER		ini_pdq(ID pdqid);
extern ER		ref_pdq(ID pdqid, T_RPDQ *pk_rpdq);

/* Mutexes. */
extern ER		loc_mtx(ID mtxid);
extern ER		ploc_mtx(ID mtxid);
extern ER		tloc_mtx(ID mtxid, TMO tmout);
extern ER		unl_mtx(ID mtxid);
extern ER		ini_mtx(ID mtxid);
extern ER		ref_mtx(ID mtxid, T_RMTX *pk_rmtx);

/* Fixed-size memory pools. */
extern ER		get_mpf(ID mpfid, void **p_blk);
extern ER		pget_mpf(ID mpfid, void **p_blk);
extern ER		tget_mpf(ID mpfid, void **p_blk, TMO tmout);
extern ER		rel_mpf(ID mpfid, void *blk);
extern ER		ini_mpf(ID mpfid);
extern ER		ref_mpf(ID mpfid, T_RMPF *pk_rmpf);

/* Time management. */
extern ER		set_tim(SYSTIM systim);
extern ER		get_tim(SYSTIM *p_systim);
extern ER		adj_tim(int32_t adjtim);
extern HRTCNT	fch_hrt(void);

/* Cyclic and alarm notifications. */
extern ER		sta_cyc(ID cycid);
extern ER		stp_cyc(ID cycid);
extern ER		ref_cyc(ID cycid, T_RCYC *pk_rcyc);
extern ER		sta_alm(ID almid, RELTIM almtim);
extern ER		stp_alm(ID almid);
extern ER		ref_alm(ID almid, T_RALM *pk_ralm);

/* System state. */
extern ER		rot_rdq(PRI tskpri);
extern ER		get_tid(ID *p_tskid);
extern ER		get_lod(PRI tskpri, uint_t *p_load);
extern ER		get_nth(PRI tskpri, uint_t nth, ID *p_tskid);
extern ER		loc_cpu(void);
extern ER		unl_cpu(void);
extern ER		dis_dsp(void);
extern ER		ena_dsp(void);
extern bool_t	sns_ctx(void);
extern bool_t	sns_loc(void);
extern bool_t	sns_dsp(void);
extern bool_t	sns_dpn(void);
extern bool_t	sns_ker(void);
extern ER		ext_ker(void);

/* Interrupt management. */
extern ER		dis_int(INTNO intno);
extern ER		ena_int(INTNO intno);
extern ER		clr_int(INTNO intno);
extern ER		ras_int(INTNO intno);
extern ER_BOOL	prb_int(INTNO intno);
extern ER		chg_ipm(PRI intpri);
extern ER		get_ipm(PRI *p_intpri);

/* CPU exception management. */
extern bool_t	xsns_dpn(void *p_excinf);

#endif /* TOPPERS_MACRO_ONLY */

/* Object attributes. */
#define TA_ACT			UINT_C(0x01)	/* task: activate at creation */
#define TA_NOACTQUE		UINT_C(0x02)	/* task: do not queue activation requests */
#define TA_TPRI			UINT_C(0x01)	/* wait queue in task-priority order */
#define TA_WMUL			UINT_C(0x02)	/* eventflag: several waiting tasks */
#define TA_CLR			UINT_C(0x04)	/* eventflag: clear the pattern on release */
#define TA_CEILING		UINT_C(0x03)	/* mutex: priority ceiling protocol */
#define TA_STA			UINT_C(0x02)	/* cyclic: started at creation */
#define TA_NONKERNEL	UINT_C(0x02)	/* interrupt outside kernel management */
#define TA_ENAINT		UINT_C(0x01)	/* interrupt request enabled initially */
#define TA_EDGE			UINT_C(0x02)	/* edge triggered */

/* Service-call operating modes. */
#define TWF_ORW			UINT_C(0x01)
#define TWF_ANDW		UINT_C(0x02)

/* Notification modes (T_NFYINFO). */
#define TNFY_HANDLER	UINT_C(0x00)
#define TNFY_SETVAR		UINT_C(0x01)
#define TNFY_INCVAR		UINT_C(0x02)
#define TNFY_ACTTSK		UINT_C(0x03)
#define TNFY_WUPTSK		UINT_C(0x04)
#define TNFY_SIGSEM		UINT_C(0x05)
#define TNFY_SETFLG		UINT_C(0x06)
#define TNFY_SNDDTQ		UINT_C(0x07)
#define TENFY_SETVAR	UINT_C(0x10)
#define TENFY_INCVAR	UINT_C(0x20)
#define TENFY_ACTTSK	UINT_C(0x30)
#define TENFY_WUPTSK	UINT_C(0x40)
#define TENFY_SIGSEM	UINT_C(0x50)
#define TENFY_SETFLG	UINT_C(0x60)
#define TENFY_SNDDTQ	UINT_C(0x70)

/* Object states. */
#define TTS_RUN			UINT_C(0x01)
#define TTS_RDY			UINT_C(0x02)
#define TTS_WAI			UINT_C(0x04)
#define TTS_SUS			UINT_C(0x08)
#define TTS_WAS			UINT_C(0x0c)
#define TTS_DMT			UINT_C(0x10)

#define TTW_SLP			UINT_C(0x0001)
#define TTW_DLY			UINT_C(0x0002)
#define TTW_SEM			UINT_C(0x0004)
#define TTW_FLG			UINT_C(0x0008)
#define TTW_SDTQ		UINT_C(0x0010)
#define TTW_RDTQ		UINT_C(0x0020)
#define TTW_MTX			UINT_C(0x0080)
#define TTW_SPDQ		UINT_C(0x0100)
#define TTW_RPDQ		UINT_C(0x0200)
#define TTW_MPF			UINT_C(0x2000)

#define TCYC_STP		UINT_C(0x01)
#define TCYC_STA		UINT_C(0x02)
#define TALM_STP		UINT_C(0x01)
#define TALM_STA		UINT_C(0x02)

/* Other constants. */
#define TSK_SELF		0
#define TSK_NONE		0
#define TPRI_SELF		0
#define TPRI_INI		0
#define TIPM_ENAALL		0

/* Ranges. */
#define TMIN_TPRI		1
#define TMAX_TPRI		16
#define TMIN_DPRI		1
#define TMAX_DPRI		16
#define TMIN_ISRPRI		1
#define TMAX_ISRPRI		16
#define TNUM_TPRI		(TMAX_TPRI - TMIN_TPRI + 1)
#define TMAX_ACTCNT		1U
#define TMAX_WUPCNT		1U
#define TMAX_MAXSEM		UINT_MAX
#define TBIT_FLGPTN		32

#define TMIN_TSKID		1
#define TMIN_SEMID		1
#define TMIN_FLGID		1
#define TMIN_DTQID		1
#define TMIN_PDQID		1
#define TMIN_MTXID		1
#define TMIN_MPFID		1
#define TMIN_CYCID		1
#define TMIN_ALMID		1
#define TMIN_ISRID		1

/* Kernel version (spec: TKERNEL_MAKER 0x0118 = TOPPERS project; our own product id). */
#define TKERNEL_MAKER	UINT_C(0x0118)
#define TKERNEL_PRID	UINT_C(0x0107)
#define TKERNEL_SPVER	UINT_C(0xf631)
#define TKERNEL_PRVER	UINT_C(0x3010)

/* Sizes of kernel-allocated areas, in units (COUNT_*) and in bytes (ROUND_*). */
#define COUNT_STK_T(sz)		(((sz) + sizeof(STK_T) - 1U) / sizeof(STK_T))
#define ROUND_STK_T(sz)		(COUNT_STK_T(sz) * sizeof(STK_T))
#define COUNT_MPF_T(blksz)	(((blksz) + sizeof(MPF_T) - 1U) / sizeof(MPF_T))
#define ROUND_MPF_T(blksz)	(COUNT_MPF_T(blksz) * sizeof(MPF_T))
#define TSZ_DTQMB(dtqcnt)	(sizeof(intptr_t) * (dtqcnt))
#define TCNT_DTQMB(dtqcnt)	(((TSZ_DTQMB(dtqcnt) + sizeof(MB_T) - 1U) / sizeof(MB_T)))
#define TSZ_PDQMB(pdqcnt)	(sizeof(intptr_t) * 3U * (pdqcnt))
#define TCNT_PDQMB(pdqcnt)	(((TSZ_PDQMB(pdqcnt) + sizeof(MB_T) - 1U) / sizeof(MB_T)))
#define TSZ_MPFMB(blkcnt)	(sizeof(uint_t) * (blkcnt))
#define TCNT_MPFMB(blkcnt)	(((TSZ_MPFMB(blkcnt) + sizeof(MB_T) - 1U) / sizeof(MB_T)))


#endif /* TOPPERS_KERNEL_H */
