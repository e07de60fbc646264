/* eventflag.c: eventflags (spec: eventflags; TA_WMUL, TA_CLR, TWF_ORW/TWF_ANDW). */
#include "kernel/kernel_impl.h"

#define VALID_FLGID(id)	(TMIN_FLGID <= (id) && (id) <= _kernel_tmax_flgid)
#define get_flgcb(id)	(&_kernel_flgcb_table[(id) - TMIN_FLGID])

void _kernel_initialize_eventflag(void)
{
	for (ID id = TMIN_FLGID; id <= _kernel_tmax_flgid; id++) {
		FLGCB *p = get_flgcb(id);
		p->p_flginib = &_kernel_flginib_table[id - TMIN_FLGID];
		if (p->p_flginib->flgatr & ~(TA_TPRI | TA_WMUL | TA_CLR)) _kernel_panic("CRE_FLG: reserved attribute, eventflag", id);
		queue_initialize(&p->wait_queue);
		p->flgptn = p->p_flginib->iflgptn;
	}
}

static bool_t flg_cond(FLGPTN flgptn, FLGPTN waiptn, MODE wfmode)
{
	return (wfmode & TWF_ORW) ? (flgptn & waiptn) != 0U : (flgptn & waiptn) == waiptn;
}

ER set_flg(ID flgid, FLGPTN setptn)
{
	FLGCB *p;
	CHECK_UNL();
	CHECK_ID(VALID_FLGID(flgid));
	p = get_flgcb(flgid);
	lock_cpu();
	p->flgptn |= setptn;
	QUEUE *e = p->wait_queue.p_next;
	while (e != &p->wait_queue) {
		TCB *t = container_of(e, TCB, task_queue);
		WINFO_FLG *w = (WINFO_FLG *) t->p_winfo;
		e = e->p_next;
		if (flg_cond(p->flgptn, w->waiptn, w->wfmode)) {
			queue_delete(&t->task_queue);
			w->winfo.p_wqueue = NULL;
			w->flgptn = p->flgptn;
			_kernel_wait_complete(t);
			if (p->p_flginib->flgatr & TA_CLR) { p->flgptn = 0U; break; }
		}
	}
	_kernel_dispatch_if_needed();
	unlock_cpu();
	return E_OK;
}

ER clr_flg(ID flgid, FLGPTN clrptn)
{
	FLGCB *p;
	CHECK_UNL();
	CHECK_ID(VALID_FLGID(flgid));
	p = get_flgcb(flgid);
	lock_cpu();
	p->flgptn &= clrptn;
	unlock_cpu();
	return E_OK;
}

static ER wait_flg(ID flgid, FLGPTN waiptn, MODE wfmode, FLGPTN *p_flgptn, TMO tmout, bool_t polling)
{
	FLGCB *p; WINFO_FLG winfo; ER ercd;
	if (polling) CHECK_TSKCTX_UNL(); else CHECK_DISPATCH();
	CHECK_ID(VALID_FLGID(flgid));
	CHECK_PAR(waiptn != 0U);
	CHECK_PAR(wfmode == TWF_ORW || wfmode == TWF_ANDW);
	CHECK_TMOUT(tmout);
	p = get_flgcb(flgid);
	lock_cpu();
	if (!polling && p_runtsk->raster) ercd = E_RASTER;
	else if (!(p->p_flginib->flgatr & TA_WMUL) && !queue_empty(&p->wait_queue)) ercd = E_ILUSE;
	else if (flg_cond(p->flgptn, waiptn, wfmode)) {
		*p_flgptn = p->flgptn;
		if (p->p_flginib->flgatr & TA_CLR) p->flgptn = 0U;
		ercd = E_OK;
	} else if (tmout == TMO_POL) ercd = E_TMOUT;
	else {
		winfo.waiptn = waiptn; winfo.wfmode = wfmode;
		_kernel_wobj_make_wait(p, &p->wait_queue, (p->p_flginib->flgatr & TA_TPRI) != 0, TTW_FLG, &winfo.winfo, tmout);
		dispatch();
		ercd = winfo.winfo.wercd;
		if (ercd == E_OK) *p_flgptn = winfo.flgptn;
	}
	unlock_cpu();
	return ercd;
}

ER wai_flg(ID flgid, FLGPTN waiptn, MODE wfmode, FLGPTN *p_flgptn) { return wait_flg(flgid, waiptn, wfmode, p_flgptn, TMO_FEVR, false); }
ER pol_flg(ID flgid, FLGPTN waiptn, MODE wfmode, FLGPTN *p_flgptn) { return wait_flg(flgid, waiptn, wfmode, p_flgptn, TMO_POL, true); }
ER twai_flg(ID flgid, FLGPTN waiptn, MODE wfmode, FLGPTN *p_flgptn, TMO tmout) { return wait_flg(flgid, waiptn, wfmode, p_flgptn, tmout, false); }

ER ini_flg(ID flgid)
{
	FLGCB *p;
	CHECK_TSKCTX_UNL();
	CHECK_ID(VALID_FLGID(flgid));
	p = get_flgcb(flgid);
	lock_cpu();
	_kernel_init_wait_queue(&p->wait_queue);
	p->flgptn = p->p_flginib->iflgptn;
	_kernel_dispatch_if_needed();
	unlock_cpu();
	return E_OK;
}

ER ref_flg(ID flgid, T_RFLG *pk_rflg)
{
	FLGCB *p;
	CHECK_TSKCTX_UNL();
	CHECK_ID(VALID_FLGID(flgid));
	p = get_flgcb(flgid);
	lock_cpu();
	pk_rflg->wtskid = _kernel_wait_tskid(&p->wait_queue);
	pk_rflg->flgptn = p->flgptn;
	unlock_cpu();
	return E_OK;
}
