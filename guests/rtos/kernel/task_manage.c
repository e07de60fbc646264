/* task_manage.c: task management, task-dependent synchronisation and task termination service calls. */
#include "kernel/kernel_impl.h"

/* TSK_SELF means the calling task, but only in task context (spec: E_ID otherwise). */
#define GET_TCB_SELF_OK(tskid, p_tcb) do { \
	if ((tskid) == TSK_SELF && !sense_context()) (p_tcb) = p_runtsk; \
	else { CHECK_ID(VALID_TSKID(tskid)); (p_tcb) = get_tcb(tskid); } } while (0)

ER act_tsk(ID tskid)
{
	TCB *p_tcb; ER ercd = E_OK;
	CHECK_UNL();
	GET_TCB_SELF_OK(tskid, p_tcb);
	lock_cpu();
	if (p_tcb->tstat == TS_DORMANT) {
		if (_kernel_make_active(p_tcb)) _kernel_dispatch_if_needed();
	} else if ((p_tcb->p_tinib->tskatr & TA_NOACTQUE) || p_tcb->actque >= TMAX_ACTCNT) {
		ercd = E_QOVR;
	} else {
		p_tcb->actque++;
	}
	unlock_cpu();
	return ercd;
}

ER_UINT can_act(ID tskid)
{
	TCB *p_tcb; ER_UINT n;
	CHECK_TSKCTX_UNL();
	GET_TCB_SELF_OK(tskid, p_tcb);
	lock_cpu();
	n = (ER_UINT) p_tcb->actque;
	p_tcb->actque = 0;
	unlock_cpu();
	return n;
}

static STAT task_state(const TCB *p_tcb)
{
	if (p_tcb->tstat == TS_DORMANT) return TTS_DMT;
	if (p_tcb == p_runtsk && (p_tcb->tstat & TS_RUNNABLE)) return TTS_RUN;
	if (p_tcb->tstat == TS_RUNNABLE) return TTS_RDY;
	if (p_tcb->tstat == TS_WAITING) return TTS_WAI;
	if (p_tcb->tstat == TS_SUSPENDED) return TTS_SUS;
	return TTS_WAS;
}

ER get_tst(ID tskid, STAT *p_tskstat)
{
	TCB *p_tcb;
	CHECK_TSKCTX_UNL();
	GET_TCB_SELF_OK(tskid, p_tcb);
	lock_cpu();
	*p_tskstat = task_state(p_tcb);
	unlock_cpu();
	return E_OK;
}

ER chg_pri(ID tskid, PRI tskpri)
{
	TCB *p_tcb; uint_t newbpri; ER ercd = E_OK;
	CHECK_TSKCTX_UNL();
	GET_TCB_SELF_OK(tskid, p_tcb);
	if (tskpri == TPRI_INI) newbpri = INT_PRIORITY(p_tcb->p_tinib->itskpri);
	else { CHECK_PAR(VALID_TPRI(tskpri)); newbpri = INT_PRIORITY(tskpri); }
	lock_cpu();
	if (p_tcb->tstat == TS_DORMANT) {
		ercd = E_OBJ;
	} else if (!_kernel_mutex_check_ceilpri(p_tcb, newbpri)) {
		ercd = E_ILUSE;
	} else {
		p_tcb->bpriority = (uint8_t)newbpri;
		uint_t newpri = _kernel_mutex_calc_priority(p_tcb);
		/* base priority changed: lowest precedence among its priority, unless a mutex holds it up */
		if (newpri == newbpri || newpri != p_tcb->priority) _kernel_change_priority(p_tcb, newpri, false);
		_kernel_dispatch_if_needed();
	}
	unlock_cpu();
	return ercd;
}

ER get_pri(ID tskid, PRI *p_tskpri)
{
	TCB *p_tcb; ER ercd = E_OK;
	CHECK_TSKCTX_UNL();
	GET_TCB_SELF_OK(tskid, p_tcb);
	lock_cpu();
	if (p_tcb->tstat == TS_DORMANT) ercd = E_OBJ;
	else *p_tskpri = EXT_TSKPRI(p_tcb->priority);
	unlock_cpu();
	return ercd;
}

ER get_inf(EXINF *p_exinf)
{
	CHECK_TSKCTX_UNL();
	*p_exinf = p_runtsk->p_tinib->exinf;
	return E_OK;
}

extern ID _kernel_wobjid(const TCB *p_tcb);

ER ref_tsk(ID tskid, T_RTSK *pk_rtsk)
{
	TCB *p_tcb;
	CHECK_TSKCTX_UNL();
	GET_TCB_SELF_OK(tskid, p_tcb);
	lock_cpu();
	STAT st = task_state(p_tcb);
	pk_rtsk->tskstat = st;
	if (st != TTS_DMT) {
		pk_rtsk->tskpri = EXT_TSKPRI(p_tcb->priority);
		pk_rtsk->tskbpri = EXT_TSKPRI(p_tcb->bpriority);
		if (p_tcb->tstat & TS_WAITING) {
			pk_rtsk->tskwait = p_tcb->wstat;
			pk_rtsk->wobjid = _kernel_wobjid(p_tcb);
			pk_rtsk->lefttmo = p_tcb->tmevtb.active ? (TMO) _kernel_tmevt_lefttim(&p_tcb->tmevtb) : TMO_FEVR;
		} else {
			pk_rtsk->tskwait = 0; pk_rtsk->wobjid = 0; pk_rtsk->lefttmo = 0;
		}
		pk_rtsk->wupcnt = p_tcb->wupque;
		pk_rtsk->raster = p_tcb->raster;
		pk_rtsk->dister = !p_tcb->enater;
	}
	pk_rtsk->actcnt = p_tcb->actque;
	unlock_cpu();
	return E_OK;
}

/* ---- Task-dependent synchronisation ---- */

ER slp_tsk(void) { return tslp_tsk(TMO_FEVR); }

ER tslp_tsk(TMO tmout)
{
	WINFO winfo; ER ercd;
	CHECK_DISPATCH();
	CHECK_TMOUT(tmout);
	lock_cpu();
	if (p_runtsk->raster) ercd = E_RASTER;
	else if (p_runtsk->wupque > 0U) { p_runtsk->wupque = 0; ercd = E_OK; }
	else if (tmout == TMO_POL) ercd = E_TMOUT;
	else {
		winfo.p_wobjcb = NULL; winfo.p_wqueue = NULL; winfo.tpri = false;
		_kernel_make_wait_tmout(TTW_SLP, &winfo, tmout);
		dispatch();
		ercd = winfo.wercd;
	}
	unlock_cpu();
	return ercd;
}

ER wup_tsk(ID tskid)
{
	TCB *p_tcb; ER ercd = E_OK;
	CHECK_UNL();
	GET_TCB_SELF_OK(tskid, p_tcb);
	lock_cpu();
	if (p_tcb->tstat == TS_DORMANT) ercd = E_OBJ;
	else if ((p_tcb->tstat & TS_WAITING) && p_tcb->wstat == TTW_SLP) {
		_kernel_wait_complete(p_tcb);
		_kernel_dispatch_if_needed();
	} else if (p_tcb->wupque < TMAX_WUPCNT) p_tcb->wupque++;
	else ercd = E_QOVR;
	unlock_cpu();
	return ercd;
}

ER_UINT can_wup(ID tskid)
{
	TCB *p_tcb; ER_UINT n;
	CHECK_TSKCTX_UNL();
	GET_TCB_SELF_OK(tskid, p_tcb);
	lock_cpu();
	if (p_tcb->tstat == TS_DORMANT) n = E_OBJ;
	else { n = (ER_UINT) p_tcb->wupque; p_tcb->wupque = 0; }
	unlock_cpu();
	return n;
}

ER rel_wai(ID tskid)
{
	TCB *p_tcb; ER ercd = E_OK;
	CHECK_UNL();
	CHECK_ID(VALID_TSKID(tskid));
	p_tcb = get_tcb(tskid);
	lock_cpu();
	if (!(p_tcb->tstat & TS_WAITING)) ercd = E_OBJ;
	else { _kernel_wait_release(p_tcb, E_RLWAI); _kernel_dispatch_if_needed(); }
	unlock_cpu();
	return ercd;
}

ER sus_tsk(ID tskid)
{
	TCB *p_tcb; ER ercd = E_OK;
	CHECK_TSKCTX_UNL();
	GET_TCB_SELF_OK(tskid, p_tcb);
	lock_cpu();
	if (p_tcb == p_runtsk && !dspflg) ercd = E_CTX;
	else if (p_tcb->tstat == TS_DORMANT) ercd = E_OBJ;
	else if (p_tcb->raster && p_tcb->enater) ercd = E_RASTER;
	else if (p_tcb->tstat == TS_RUNNABLE) {
		_kernel_make_non_runnable(p_tcb);
		p_tcb->tstat = TS_SUSPENDED;
		_kernel_dispatch_if_needed();
	} else if (p_tcb->tstat & TS_SUSPENDED) ercd = E_QOVR;
	else p_tcb->tstat |= TS_SUSPENDED;
	unlock_cpu();
	return ercd;
}

ER rsm_tsk(ID tskid)
{
	TCB *p_tcb; ER ercd = E_OK;
	CHECK_TSKCTX_UNL();
	CHECK_ID(VALID_TSKID(tskid));
	p_tcb = get_tcb(tskid);
	lock_cpu();
	if (!(p_tcb->tstat & TS_SUSPENDED)) ercd = E_OBJ;
	else if (p_tcb->tstat == TS_SUSPENDED) {
		p_tcb->tstat = TS_RUNNABLE;
		(void) _kernel_make_runnable(p_tcb);
		_kernel_dispatch_if_needed();
	} else p_tcb->tstat &= (uint8_t)~TS_SUSPENDED;
	unlock_cpu();
	return ercd;
}

ER dly_tsk(RELTIM dlytim)
{
	WINFO winfo; ER ercd;
	CHECK_DISPATCH();
	CHECK_PAR(dlytim <= TMAX_RELTIM);
	lock_cpu();
	if (p_runtsk->raster) ercd = E_RASTER;
	else {
		winfo.p_wobjcb = NULL; winfo.p_wqueue = NULL; winfo.tpri = false;
		_kernel_make_wait_tmout(TTW_DLY, &winfo, dlytim);
		dispatch();
		ercd = winfo.wercd == E_TMOUT ? E_OK : winfo.wercd;	/* the delay ending is success */
	}
	unlock_cpu();
	return ercd;
}

/* ---- Termination ---- */

ER ext_tsk(void)
{
	CHECK_TSKCTX();
	/* allowed in CPU-locked / dispatch-disabled / raised-IPM state: all are cleared (spec) */
	x86_cli();
	_kernel_lock_flag = true;
	if (t_get_ipm() != TIPM_ENAALL) t_set_ipm(TIPM_ENAALL);
	enadsp = true;
	_kernel_set_dspflg();
	_kernel_task_terminate(p_runtsk);
	_kernel_exit_and_dispatch();
}

ER ter_tsk(ID tskid)
{
	TCB *p_tcb; ER ercd = E_OK;
	CHECK_TSKCTX_UNL();
	if (tskid == TSK_SELF) return E_ILUSE;
	CHECK_ID(VALID_TSKID(tskid));
	p_tcb = get_tcb(tskid);
	if (p_tcb == p_runtsk) return E_ILUSE;
	lock_cpu();
	if (p_tcb->tstat == TS_DORMANT) ercd = E_OBJ;
	else { _kernel_task_terminate(p_tcb); _kernel_dispatch_if_needed(); }
	unlock_cpu();
	return ercd;
}

ER ras_ter(ID tskid)
{
	TCB *p_tcb; ER ercd = E_OK;
	CHECK_TSKCTX_UNL();
	if (tskid == TSK_SELF) return E_ILUSE;
	CHECK_ID(VALID_TSKID(tskid));
	p_tcb = get_tcb(tskid);
	if (p_tcb == p_runtsk) return E_ILUSE;
	lock_cpu();
	if (p_tcb->tstat == TS_DORMANT) ercd = E_OBJ;
	else if (p_tcb->enater) { _kernel_task_terminate(p_tcb); _kernel_dispatch_if_needed(); }
	else {
		p_tcb->raster = true;
		if (p_tcb->tstat & TS_WAITING) { _kernel_wait_release(p_tcb, E_RASTER); _kernel_dispatch_if_needed(); }
	}
	unlock_cpu();
	return ercd;
}

ER dis_ter(void)
{
	CHECK_TSKCTX_UNL();
	lock_cpu();
	p_runtsk->enater = false;
	unlock_cpu();
	return E_OK;
}

ER ena_ter(void)
{
	CHECK_TSKCTX_UNL();
	lock_cpu();
	p_runtsk->enater = true;
	if (p_runtsk->raster && dspflg) {
		_kernel_task_terminate(p_runtsk);
		_kernel_exit_and_dispatch();
	}
	unlock_cpu();
	return E_OK;
}

bool_t sns_ter(void)
{
	if (sense_context() || p_runtsk == NULL) return true;
	return !p_runtsk->enater;
}
