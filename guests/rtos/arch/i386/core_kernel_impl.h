/* core_kernel_impl.h: i386 processor-dependent part of the kernel (CPU lock, IPM, contexts, dispatcher entry points). */
#ifndef TOPPERS_CORE_KERNEL_IMPL_H
#define TOPPERS_CORE_KERNEL_IMPL_H

#include "x86.h"

/*
 * CPU lock state = EFLAGS.IF clear, plus lock_flag so sns_loc() reports what the application did
 * (all interrupts are kernel-managed on this target, so CLI is exactly "mask all kernel-managed
 * interrupts").
 */
extern volatile bool_t _kernel_lock_flag;
extern volatile uint_t _kernel_intnest;		/* >0 while in non-task context */
extern volatile bool_t _kernel_reqflg;		/* dispatch requested on return from interrupt */
extern volatile PRI _kernel_ipm;			/* current interrupt priority mask */

static inline void t_lock_cpu(void) { x86_cli(); _kernel_lock_flag = true; }
static inline void t_unlock_cpu(void) { _kernel_lock_flag = false; x86_sti(); }
static inline bool_t t_sense_lock(void) { return _kernel_lock_flag; }
#define lock_cpu()		t_lock_cpu()
#define unlock_cpu()	t_unlock_cpu()
static inline bool_t sense_context(void) { return _kernel_intnest > 0; }

extern void _kernel_set_ipm(PRI ipm);	/* rewrites the 8259 masks */
static inline PRI t_get_ipm(void) { return _kernel_ipm; }
#define t_set_ipm(p)	_kernel_set_ipm(p)

/* Dispatcher (core_support.S). */
extern void _kernel_dispatch(void);					/* task context, CPU locked */
extern void _kernel_start_dispatch(void) __attribute__((noreturn));
extern void _kernel_exit_and_dispatch(void) __attribute__((noreturn));
extern void _kernel_start_r(void);
#define dispatch()			_kernel_dispatch()
#define request_dispatch_retint()	(_kernel_reqflg = true)

/* Prepare a dormant task to start at its main routine. */
static inline void activate_context(TCB *p_tcb) {
	uintptr_t top = ((uintptr_t)p_tcb->p_tinib->stk + p_tcb->p_tinib->stksz) & ~(uintptr_t)15;
	p_tcb->tskctxb.sp = (void *)top;
	p_tcb->tskctxb.pc = (void *)_kernel_start_r;
}

/* Interrupt attributes the target accepts. */
#define TARGET_INTATR	(TA_ENAINT | TA_EDGE)
#define VALID_INTNO(n)	((n) <= TMAX_INTNO && (n) != 2U)

extern void _kernel_core_initialize(void);
extern void _kernel_core_terminate(void);
extern void _kernel_deliver_soft_interrupts(void);
extern bool_t _kernel_intno_configured(INTNO intno);
extern void _kernel_target_exit(int code) __attribute__((noreturn));

#endif /* TOPPERS_CORE_KERNEL_IMPL_H */
