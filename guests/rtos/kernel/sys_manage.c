/* sys_manage.c: system state management service calls (spec: system state management). */
#include "kernel/kernel_impl.h"

ER rot_rdq(PRI tskpri)
{
	uint_t pri;
	CHECK_UNL();
	if (tskpri == TPRI_SELF && !sense_context()) pri = p_runtsk->bpriority;
	else { CHECK_PAR(VALID_TPRI(tskpri)); pri = INT_PRIORITY(tskpri); }
	lock_cpu();
	_kernel_rotate_ready_queue(pri);
	_kernel_dispatch_if_needed();
	unlock_cpu();
	return E_OK;
}

ER get_tid(ID *p_tskid)
{
	CHECK_UNL();
	*p_tskid = p_runtsk != NULL ? TSKID(p_runtsk) : TSK_NONE;
	return E_OK;
}

static ER ready_pri(PRI tskpri, uint_t *p_pri)
{
	if (tskpri == TPRI_SELF) *p_pri = p_runtsk->bpriority;
	else { CHECK_PAR(VALID_TPRI(tskpri)); *p_pri = INT_PRIORITY(tskpri); }
	return E_OK;
}

ER get_lod(PRI tskpri, uint_t *p_load)
{
	uint_t pri, n = 0; ER ercd;
	CHECK_TSKCTX_UNL();
	if ((ercd = ready_pri(tskpri, &pri)) != E_OK) return ercd;
	lock_cpu();
	for (QUEUE *e = _kernel_ready_queue[pri].p_next; e != &_kernel_ready_queue[pri]; e = e->p_next) n++;
	*p_load = n;
	unlock_cpu();
	return E_OK;
}

ER get_nth(PRI tskpri, uint_t nth, ID *p_tskid)
{
	uint_t pri, n = 0; ER ercd;
	CHECK_TSKCTX_UNL();
	if ((ercd = ready_pri(tskpri, &pri)) != E_OK) return ercd;
	lock_cpu();
	*p_tskid = TSK_NONE;
	for (QUEUE *e = _kernel_ready_queue[pri].p_next; e != &_kernel_ready_queue[pri]; e = e->p_next, n++) {
		if (n == nth) { *p_tskid = TSKID(container_of(e, TCB, task_queue)); break; }
	}
	unlock_cpu();
	return E_OK;
}

ER loc_cpu(void)
{
	if (!t_sense_lock()) t_lock_cpu();
	return E_OK;
}

ER unl_cpu(void)
{
	if (t_sense_lock()) {
		t_unlock_cpu();
		_kernel_deliver_soft_interrupts();
	}
	return E_OK;
}

ER dis_dsp(void)
{
	CHECK_TSKCTX_UNL();
	lock_cpu();
	enadsp = false;
	dspflg = false;
	unlock_cpu();
	return E_OK;
}

ER ena_dsp(void)
{
	CHECK_TSKCTX_UNL();
	lock_cpu();
	enadsp = true;
	_kernel_set_dspflg();
	_kernel_dispatch_if_needed();
	unlock_cpu();
	return E_OK;
}

bool_t sns_ctx(void) { return sense_context(); }
bool_t sns_loc(void) { return t_sense_lock(); }
bool_t sns_dsp(void) { return !enadsp; }
bool_t sns_dpn(void) { return sense_context() || t_sense_lock() || !dspflg; }
bool_t sns_ker(void) { return !kerflg; }

ER ext_ker(void)
{
	_kernel_exit_kernel();
}
