/* semaphore.c: counting semaphores (spec: semaphores). */
#include "kernel/kernel_impl.h"

#define VALID_SEMID(id)	(TMIN_SEMID <= (id) && (id) <= _kernel_tmax_semid)
#define get_semcb(id)	(&_kernel_semcb_table[(id) - TMIN_SEMID])

void _kernel_initialize_semaphore(void)
{
	for (ID id = TMIN_SEMID; id <= _kernel_tmax_semid; id++) {
		SEMCB *p = get_semcb(id);
		p->p_seminib = &_kernel_seminib_table[id - TMIN_SEMID];
		if (p->p_seminib->sematr & ~TA_TPRI) _kernel_panic("CRE_SEM: reserved attribute, semaphore", id);
		if (p->p_seminib->maxsem == 0U || p->p_seminib->isemcnt > p->p_seminib->maxsem) _kernel_panic("CRE_SEM: bad count, semaphore", id);
		queue_initialize(&p->wait_queue);
		p->semcnt = p->p_seminib->isemcnt;
	}
}

ER sig_sem(ID semid)
{
	SEMCB *p; ER ercd = E_OK;
	CHECK_UNL();
	CHECK_ID(VALID_SEMID(semid));
	p = get_semcb(semid);
	lock_cpu();
	if (!queue_empty(&p->wait_queue)) {
		_kernel_wait_complete(_kernel_wait_queue_take(&p->wait_queue));
		_kernel_dispatch_if_needed();
	} else if (p->semcnt < p->p_seminib->maxsem) p->semcnt++;
	else ercd = E_QOVR;
	unlock_cpu();
	return ercd;
}

static ER wait_sem(ID semid, TMO tmout)
{
	SEMCB *p; WINFO_SEM winfo; ER ercd;
	CHECK_DISPATCH();
	CHECK_ID(VALID_SEMID(semid));
	CHECK_TMOUT(tmout);
	p = get_semcb(semid);
	lock_cpu();
	if (p_runtsk->raster) ercd = E_RASTER;
	else if (p->semcnt >= 1U) { p->semcnt--; ercd = E_OK; }
	else if (tmout == TMO_POL) ercd = E_TMOUT;
	else {
		_kernel_wobj_make_wait(p, &p->wait_queue, (p->p_seminib->sematr & TA_TPRI) != 0, TTW_SEM, &winfo.winfo, tmout);
		dispatch();
		ercd = winfo.winfo.wercd;
	}
	unlock_cpu();
	return ercd;
}

ER wai_sem(ID semid) { return wait_sem(semid, TMO_FEVR); }
ER twai_sem(ID semid, TMO tmout) { return wait_sem(semid, tmout); }

ER pol_sem(ID semid)
{
	SEMCB *p; ER ercd;
	CHECK_TSKCTX_UNL();
	CHECK_ID(VALID_SEMID(semid));
	p = get_semcb(semid);
	lock_cpu();
	if (p->semcnt >= 1U) { p->semcnt--; ercd = E_OK; }
	else ercd = E_TMOUT;
	unlock_cpu();
	return ercd;
}

ER ini_sem(ID semid)
{
	SEMCB *p;
	CHECK_TSKCTX_UNL();
	CHECK_ID(VALID_SEMID(semid));
	p = get_semcb(semid);
	lock_cpu();
	_kernel_init_wait_queue(&p->wait_queue);
	p->semcnt = p->p_seminib->isemcnt;
	_kernel_dispatch_if_needed();
	unlock_cpu();
	return E_OK;
}

ER ref_sem(ID semid, T_RSEM *pk_rsem)
{
	SEMCB *p;
	CHECK_TSKCTX_UNL();
	CHECK_ID(VALID_SEMID(semid));
	p = get_semcb(semid);
	lock_cpu();
	pk_rsem->wtskid = _kernel_wait_tskid(&p->wait_queue);
	pk_rsem->semcnt = p->semcnt;
	unlock_cpu();
	return E_OK;
}
