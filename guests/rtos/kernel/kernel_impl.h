/* kernel_impl.h: kernel-internal types (control blocks, queues, wait information) and helpers shared by the kernel sources. */
#ifndef TOPPERS_KERNEL_IMPL_H
#define TOPPERS_KERNEL_IMPL_H

#include "kernel.h"
#include "kernel/cfg_tables.h"

/* ---- Doubly linked circular queue with a header node ---- */
typedef struct queue {
	struct queue *p_next;
	struct queue *p_prev;
} QUEUE;

static inline void queue_initialize(QUEUE *q) { q->p_next = q; q->p_prev = q; }
/* Insert p_entry just before p_queue (at the tail when p_queue is the header). */
static inline void queue_insert_prev(QUEUE *p_queue, QUEUE *p_entry) {
	p_entry->p_prev = p_queue->p_prev; p_entry->p_next = p_queue;
	p_queue->p_prev->p_next = p_entry; p_queue->p_prev = p_entry;
}
static inline void queue_insert_next(QUEUE *p_queue, QUEUE *p_entry) {
	queue_insert_prev(p_queue->p_next, p_entry);
}
static inline void queue_delete(QUEUE *p_entry) {
	p_entry->p_prev->p_next = p_entry->p_next; p_entry->p_next->p_prev = p_entry->p_prev;
}
static inline QUEUE *queue_delete_next(QUEUE *p_queue) {
	QUEUE *e = p_queue->p_next; queue_delete(e); return e;
}
static inline bool_t queue_empty(const QUEUE *q) { return q->p_next == q; }

#define container_of(ptr, type, member) ((type *)((char *)(ptr) - offsetof(type, member)))

/* ---- Time events (kernel/time_event.c) ---- */
typedef uint64_t EVTTIM;	/* microseconds since the kernel started, monotonic */
typedef void (*CBACK)(void *arg);

typedef struct time_event_block {
	QUEUE		queue;		/* link in the time event list, sorted by evttim */
	EVTTIM		evttim;		/* when the event occurs */
	CBACK		callback;
	void		*arg;
	bool_t		active;
} TMEVTB;

extern EVTTIM _kernel_current_evttim(void);			/* precise now from the timer */
extern void _kernel_tmevtb_enqueue_at(TMEVTB *p_tmevtb, EVTTIM evttim);
extern void _kernel_tmevtb_enqueue_reltim(TMEVTB *p_tmevtb, RELTIM time);	/* fires >= time us from now */
extern void _kernel_tmevtb_dequeue(TMEVTB *p_tmevtb);
extern RELTIM _kernel_tmevt_lefttim(const TMEVTB *p_tmevtb);
extern void _kernel_signal_time(void);				/* called from the timer interrupt */
extern void _kernel_initialize_tmevt(void);
extern int64_t _kernel_systim_offset;				/* system time = event time + offset */

/* ---- Tasks ---- */
#define TS_DORMANT		0x00U
#define TS_RUNNABLE		0x01U
#define TS_WAITING		0x02U
#define TS_SUSPENDED	0x04U

typedef struct task_context_block {
	void		*sp;		/* saved stack pointer */
	void		*pc;		/* where to resume */
} TSKCTXB;

/* What a waiting task waits for; extended per object type. */
typedef struct wait_information {
	ER			wercd;		/* result delivered when the wait ends */
	void		*p_wobjcb;	/* object control block waited on, NULL for slp/dly */
	QUEUE		*p_wqueue;	/* wait queue the task is linked into, NULL when not in one */
	bool_t		tpri;		/* that queue is in task-priority order */
} WINFO;

struct task_control_block {
	TSKCTXB		tskctxb;		/* must stay first: core_support.S uses offsets 0 (sp) and 4 (pc) */
	QUEUE		task_queue;		/* ready queue or object wait queue link */
	const TINIB	*p_tinib;
	uint8_t		tstat;			/* TS_* bits */
	uint8_t		bpriority;		/* base priority, internal 0..15 */
	uint8_t		priority;		/* current priority, internal 0..15 */
	uint8_t		actque;			/* queued activation requests (0/1) */
	uint8_t		wupque;			/* queued wake-up requests (0/1) */
	uint8_t		raster;			/* termination requested */
	uint8_t		enater;			/* termination enabled */
	STAT		wstat;			/* TTW_* while waiting */
	WINFO		*p_winfo;
	MTXCB		*p_lastmtx;		/* most recently locked mutex (stack of held mutexes) */
	TMEVTB		tmevtb;			/* timeout of the current wait */
};

#define INT_PRIORITY(x)		((uint_t)((x) - TMIN_TPRI))
#define EXT_TSKPRI(x)		((PRI)(x) + TMIN_TPRI)
#define TSKID(p_tcb)		((ID)(((p_tcb) - _kernel_tcb_table) + TMIN_TSKID))
#define get_tcb(id)			(&_kernel_tcb_table[(id) - TMIN_TSKID])
#define VALID_TSKID(id)		(TMIN_TSKID <= (id) && (id) <= _kernel_tmax_tskid)

extern TCB *_kernel_p_runtsk;		/* running task, NULL while idle */
extern TCB *_kernel_p_schedtsk;	/* task that should run */
extern bool_t _kernel_enadsp;		/* dispatch enabled (dis_dsp/ena_dsp) */
extern bool_t _kernel_dspflg;		/* dispatch allowed: enadsp && IPM == TIPM_ENAALL */
extern bool_t _kernel_kerflg;		/* kernel running */
#define p_runtsk	_kernel_p_runtsk
#define p_schedtsk	_kernel_p_schedtsk
#define enadsp		_kernel_enadsp
#define dspflg		_kernel_dspflg
#define kerflg		_kernel_kerflg

extern void _kernel_initialize_task(void);
extern TCB *_kernel_search_schedtsk(void);
extern bool_t _kernel_make_runnable(TCB *p_tcb);
extern void _kernel_make_non_runnable(TCB *p_tcb);
extern void _kernel_make_dormant(TCB *p_tcb);
extern bool_t _kernel_make_active(TCB *p_tcb);
extern void _kernel_change_priority(TCB *p_tcb, uint_t newpri, bool_t mtxmode);
extern void _kernel_rotate_ready_queue(uint_t pri);
extern void _kernel_task_terminate(TCB *p_tcb);
extern void _kernel_set_dspflg(void);
extern void _kernel_dispatch_if_needed(void);
extern QUEUE _kernel_ready_queue[TNUM_TPRI];

/* ---- Waiting (kernel/wait.c) ---- */

extern void _kernel_make_wait_tmout(STAT wstat, WINFO *p_winfo, TMO tmout);
extern void _kernel_make_non_wait(TCB *p_tcb);
extern void _kernel_wait_dequeue_wobj(TCB *p_tcb);
extern void _kernel_wait_dequeue_tmevtb(TCB *p_tcb);
extern void _kernel_wait_complete(TCB *p_tcb);
extern void _kernel_wait_release(TCB *p_tcb, ER ercd);
extern void _kernel_wobj_make_wait(void *p_wobjcb, QUEUE *p_queue, bool_t tpri, STAT wstat, WINFO *p_winfo, TMO tmout);
extern TCB *_kernel_wait_queue_take(QUEUE *p_queue);	/* unlink the first waiting task */
extern void _kernel_queue_insert_tpri(QUEUE *p_queue, TCB *p_tcb);
extern void _kernel_init_wait_queue(QUEUE *p_queue);	/* releases all with E_DLT */
extern ID _kernel_wait_tskid(const QUEUE *p_queue);

/* ---- Mutexes (kernel/mutex.c) ---- */
extern bool_t _kernel_mutex_check_ceilpri(TCB *p_tcb, uint_t bpriority);
extern uint_t _kernel_mutex_calc_priority(TCB *p_tcb);
extern void _kernel_mutex_release_all(TCB *p_tcb);

/* ---- Notifications (kernel/time_event.c) ---- */
extern void _kernel_notify(const NFYINIB *p_nfy);

/* ---- Start-up and objects ---- */
extern void _kernel_initialize_semaphore(void);
extern void _kernel_initialize_eventflag(void);
extern void _kernel_initialize_dataqueue(void);
extern void _kernel_initialize_pridataq(void);
extern void _kernel_initialize_mutex(void);
extern void _kernel_initialize_mempfix(void);
extern void _kernel_initialize_cyclic(void);
extern void _kernel_initialize_alarm(void);
extern void _kernel_initialize_interrupt(void);
extern void _kernel_initialize_exception(void);
extern void _kernel_sta_ker(void) __attribute__((noreturn));
extern void _kernel_exit_kernel(void) __attribute__((noreturn));
extern void _kernel_panic(const char *what, intptr_t detail) __attribute__((noreturn));

/* Control blocks of the synchronisation objects. */
struct semaphore_control_block {
	QUEUE		wait_queue;
	const SEMINIB *p_seminib;
	uint_t		semcnt;
};
struct eventflag_control_block {
	QUEUE		wait_queue;
	const FLGINIB *p_flginib;
	FLGPTN		flgptn;
};
struct dataqueue_control_block {
	QUEUE		swait_queue;	/* send-waiting tasks */
	const DTQINIB *p_dtqinib;
	QUEUE		rwait_queue;	/* receive-waiting tasks (FIFO) */
	uint_t		count;
	uint_t		head;
	uint_t		tail;
};
struct pridataq_control_block {
	QUEUE		swait_queue;
	const PDQINIB *p_pdqinib;
	QUEUE		rwait_queue;
	uint_t		count;
	PDQMB		*p_head;		/* stored data, priority order */
	uint_t		unused;			/* first never-used management block */
	PDQMB		*p_freelist;
};
struct mutex_control_block {
	QUEUE		wait_queue;
	const MTXINIB *p_mtxinib;
	TCB			*p_loctsk;		/* holder, NULL when unlocked */
	MTXCB		*p_prevmtx;		/* previous mutex held by the same task */
};
struct fixedmempool_control_block {
	QUEUE		wait_queue;
	const MPFINIB *p_mpfinib;
	uint_t		fblkcnt;
	uint_t		unused;
	uint_t		freelist;
};
struct cyclic_control_block {
	const CYCINIB *p_cycinib;
	bool_t		cycsta;
	TMEVTB		tmevtb;
};
struct alarm_control_block {
	const ALMINIB *p_alminib;
	bool_t		almsta;
	TMEVTB		tmevtb;
};


/* Control-block arrays allocated by kernel_cfg.c. */
extern TCB _kernel_tcb_table[];
extern SEMCB _kernel_semcb_table[];
extern FLGCB _kernel_flgcb_table[];
extern DTQCB _kernel_dtqcb_table[];
extern PDQCB _kernel_pdqcb_table[];
extern MTXCB _kernel_mtxcb_table[];
extern MPFCB _kernel_mpfcb_table[];
extern CYCCB _kernel_cyccb_table[];
extern ALMCB _kernel_almcb_table[];

/* Per-object wait information. */
typedef struct { WINFO winfo; } WINFO_SEM;
typedef struct { WINFO winfo; FLGPTN waiptn; MODE wfmode; FLGPTN flgptn; } WINFO_FLG;
typedef struct { WINFO winfo; intptr_t data; } WINFO_DTQ;
typedef struct { WINFO winfo; intptr_t data; PRI datapri; } WINFO_PDQ;
typedef struct { WINFO winfo; } WINFO_MTX;
typedef struct { WINFO winfo; void *blk; } WINFO_MPF;

/* The target port. */
#include "core_kernel_impl.h"

/* ---- Error checks (spec: the order of checks is context, ID, parameter, state) ---- */
#define CHECK_TSKCTX()		do { if (sense_context()) return E_CTX; } while (0)
#define CHECK_UNL()			do { if (t_sense_lock()) return E_CTX; } while (0)
#define CHECK_TSKCTX_UNL()	do { if (sense_context() || t_sense_lock()) return E_CTX; } while (0)
#define CHECK_DISPATCH()	do { if (sense_context() || t_sense_lock() || !dspflg) return E_CTX; } while (0)
#define CHECK_ID(exp)		do { if (!(exp)) return E_ID; } while (0)
#define CHECK_PAR(exp)		do { if (!(exp)) return E_PAR; } while (0)
#define CHECK_ILUSE(exp)	do { if (!(exp)) return E_ILUSE; } while (0)
#define CHECK_NOSPT(exp)	do { if (!(exp)) return E_NOSPT; } while (0)
#define VALID_TMOUT(t)		((t) <= TMAX_RELTIM || (t) == TMO_FEVR)
#define CHECK_TMOUT(t)		CHECK_PAR(VALID_TMOUT(t))
#define VALID_TPRI(p)		(TMIN_TPRI <= (p) && (p) <= TMAX_TPRI)

#endif /* TOPPERS_KERNEL_IMPL_H */
