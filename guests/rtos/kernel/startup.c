/* startup.c: kernel start (sta_ker), ext_ker, fatal-error stop, and helpers that need every object table. */
#include "kernel/kernel_impl.h"
#include "t_syslog.h"
#include "target_serial.h"

void _kernel_sta_ker(void)
{
	kerflg = false;
	_kernel_core_initialize();
	_kernel_initialize_tmevt();
	_kernel_initialize_task();
	_kernel_initialize_semaphore();
	_kernel_initialize_eventflag();
	_kernel_initialize_dataqueue();
	_kernel_initialize_pridataq();
	_kernel_initialize_mutex();
	_kernel_initialize_mempfix();
	_kernel_initialize_cyclic();
	_kernel_initialize_alarm();
	_kernel_initialize_interrupt();
	_kernel_initialize_exception();
	/* initialisation routines: non-task context, CPU locked, definition order (spec) */
	_kernel_intnest = 1;
	for (uint_t i = 0; i < _kernel_tnum_inirtn; i++) {
		(*_kernel_inirtnb_table[i].inirtn)(_kernel_inirtnb_table[i].exinf);
	}
	_kernel_intnest = 0;
	kerflg = true;
	_kernel_start_dispatch();
}

void _kernel_exit_kernel(void)
{
	x86_cli();
	_kernel_lock_flag = true;
	kerflg = false;
	_kernel_intnest = 1;
	/* termination routines: reverse definition order (spec) */
	for (uint_t i = _kernel_tnum_terrtn; i > 0U; i--) {
		(*_kernel_terrtnb_table[i - 1U].terrtn)(_kernel_terrtnb_table[i - 1U].exinf);
	}
	_kernel_core_terminate();
	_kernel_target_exit(0);
}

void _kernel_panic(const char *what, intptr_t detail)
{
	x86_cli();
	syslog(LOG_EMERG, "kernel: fatal configuration/kernel error: %s %d", what, (int) detail);
	_kernel_target_exit(4);
}

void TOPPERS_assert_fail(const char *expr, const char *file, int_t line)
{
	syslog(LOG_EMERG, "%s:%u: Assertion '%s' failed.", file, (uint_t) line, expr);
}

void TOPPERS_assert_abort(void)
{
	_kernel_target_exit(5);
}

extern ID _kernel_mutex_id(const void *p);

/* The ID of the object a waiting task waits for (ref_tsk). */
ID _kernel_wobjid(const TCB *p_tcb)
{
	const void *o = p_tcb->p_winfo->p_wobjcb;
	switch (p_tcb->wstat) {
	case TTW_SEM: return (ID)((const SEMCB *) o - _kernel_semcb_table) + TMIN_SEMID;
	case TTW_FLG: return (ID)((const FLGCB *) o - _kernel_flgcb_table) + TMIN_FLGID;
	case TTW_SDTQ: case TTW_RDTQ: return (ID)((const DTQCB *) o - _kernel_dtqcb_table) + TMIN_DTQID;
	case TTW_SPDQ: case TTW_RPDQ: return (ID)((const PDQCB *) o - _kernel_pdqcb_table) + TMIN_PDQID;
	case TTW_MTX: return _kernel_mutex_id(o);
	case TTW_MPF: return (ID)((const MPFCB *) o - _kernel_mpfcb_table) + TMIN_MPFID;
	default: return 0;
	}
}
