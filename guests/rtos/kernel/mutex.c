/* mutex.c: mutexes with FIFO, priority-ordered (TA_TPRI) and priority-ceiling (TA_CEILING) protocols. */
#include "kernel/kernel_impl.h"

#define VALID_MTXID(id)	(TMIN_MTXID <= (id) && (id) <= _kernel_tmax_mtxid)
#define get_mtxcb(id)	(&_kernel_mtxcb_table[(id) - TMIN_MTXID])
#define MTXID(p)		((ID)((p) - _kernel_mtxcb_table) + TMIN_MTXID)
#define IS_CEILING(p)	((p)->p_mtxinib->mtxatr == TA_CEILING)
#define CEILPRI(p)		INT_PRIORITY((p)->p_mtxinib->ceilpri)

void _kernel_initialize_mutex(void)
{
	for (ID id = TMIN_MTXID; id <= _kernel_tmax_mtxid; id++) {
		MTXCB *p = get_mtxcb(id);
		p->p_mtxinib = &_kernel_mtxinib_table[id - TMIN_MTXID];
		ATR a = p->p_mtxinib->mtxatr;
		if (a != TA_NULL && a != TA_TPRI && a != TA_CEILING) _kernel_panic("CRE_MTX: reserved attribute, mutex", id);
		if (a == TA_CEILING && !VALID_TPRI(p->p_mtxinib->ceilpri)) _kernel_panic("CRE_MTX: ceilpri out of range, mutex", id);
		queue_initialize(&p->wait_queue);
		p->p_loctsk = NULL; p->p_prevmtx = NULL;
	}
}

/* Current priority = base priority raised to the ceilings of the held TA_CEILING mutexes. */
uint_t _kernel_mutex_calc_priority(TCB *p_tcb)
{
	uint_t pri = p_tcb->bpriority;
	for (MTXCB *m = p_tcb->p_lastmtx; m != NULL; m = m->p_prevmtx) {
		if (IS_CEILING(m) && CEILPRI(m) < pri) pri = CEILPRI(m);
	}
	return pri;
}

/* May p_tcb get base priority bpri? Not above the ceiling of a mutex it holds or waits for. */
bool_t _kernel_mutex_check_ceilpri(TCB *p_tcb, uint_t bpri)
{
	for (MTXCB *m = p_tcb->p_lastmtx; m != NULL; m = m->p_prevmtx) {
		if (IS_CEILING(m) && bpri < CEILPRI(m)) return false;
	}
	if ((p_tcb->tstat & TS_WAITING) && p_tcb->wstat == TTW_MTX) {
		MTXCB *m = (MTXCB *) p_tcb->p_winfo->p_wobjcb;
		if (IS_CEILING(m) && bpri < CEILPRI(m)) return false;
	}
	return true;
}

static void grant(MTXCB *p, TCB *p_tcb)
{
	p->p_loctsk = p_tcb;
	p->p_prevmtx = p_tcb->p_lastmtx;
	p_tcb->p_lastmtx = p;
	if (IS_CEILING(p) && CEILPRI(p) < p_tcb->priority) _kernel_change_priority(p_tcb, CEILPRI(p), true);
}

/* Give the mutex to its first waiter, or free it. */
static void hand_over(MTXCB *p)
{
	if (!queue_empty(&p->wait_queue)) {
		TCB *t = _kernel_wait_queue_take(&p->wait_queue);
		grant(p, t);
		_kernel_wait_complete(t);
	} else {
		p->p_loctsk = NULL;
	}
}

void _kernel_mutex_release_all(TCB *p_tcb)
{
	while (p_tcb->p_lastmtx != NULL) {
		MTXCB *m = p_tcb->p_lastmtx;
		p_tcb->p_lastmtx = m->p_prevmtx;
		hand_over(m);
	}
}

static ER lock(ID mtxid, TMO tmout, bool_t polling)
{
	MTXCB *p; WINFO_MTX winfo; ER ercd;
	if (polling) CHECK_TSKCTX_UNL(); else CHECK_DISPATCH();
	CHECK_ID(VALID_MTXID(mtxid));
	CHECK_TMOUT(tmout);
	p = get_mtxcb(mtxid);
	lock_cpu();
	if (IS_CEILING(p) && p_runtsk->bpriority < CEILPRI(p)) ercd = E_ILUSE;
	else if (!polling && p_runtsk->raster) ercd = E_RASTER;
	else if (p->p_loctsk == NULL) { grant(p, p_runtsk); ercd = E_OK; }
	else if (p->p_loctsk == p_runtsk) ercd = E_OBJ;
	else if (tmout == TMO_POL) ercd = E_TMOUT;
	else {
		_kernel_wobj_make_wait(p, &p->wait_queue, (p->p_mtxinib->mtxatr & TA_TPRI) != 0, TTW_MTX, &winfo.winfo, tmout);
		dispatch();
		ercd = winfo.winfo.wercd;
	}
	unlock_cpu();
	return ercd;
}

ER loc_mtx(ID mtxid) { return lock(mtxid, TMO_FEVR, false); }
ER ploc_mtx(ID mtxid) { return lock(mtxid, TMO_POL, true); }
ER tloc_mtx(ID mtxid, TMO tmout) { return lock(mtxid, tmout, false); }

ER unl_mtx(ID mtxid)
{
	MTXCB *p; ER ercd = E_OK;
	CHECK_TSKCTX_UNL();
	CHECK_ID(VALID_MTXID(mtxid));
	p = get_mtxcb(mtxid);
	lock_cpu();
	if (p->p_loctsk != p_runtsk || p_runtsk->p_lastmtx != p) ercd = E_OBJ;	/* not held, or not the last locked */
	else {
		p_runtsk->p_lastmtx = p->p_prevmtx;
		uint_t newpri = _kernel_mutex_calc_priority(p_runtsk);
		if (newpri != p_runtsk->priority) _kernel_change_priority(p_runtsk, newpri, true);
		hand_over(p);
		_kernel_dispatch_if_needed();
	}
	unlock_cpu();
	return ercd;
}

ER ini_mtx(ID mtxid)
{
	MTXCB *p;
	CHECK_TSKCTX_UNL();
	CHECK_ID(VALID_MTXID(mtxid));
	p = get_mtxcb(mtxid);
	lock_cpu();
	_kernel_init_wait_queue(&p->wait_queue);
	TCB *h = p->p_loctsk;
	if (h != NULL) {
		MTXCB **pp = &h->p_lastmtx;
		while (*pp != p) pp = &(*pp)->p_prevmtx;
		*pp = p->p_prevmtx;
		p->p_loctsk = NULL;
		uint_t newpri = _kernel_mutex_calc_priority(h);
		if (newpri != h->priority) _kernel_change_priority(h, newpri, true);
	}
	_kernel_dispatch_if_needed();
	unlock_cpu();
	return E_OK;
}

ER ref_mtx(ID mtxid, T_RMTX *pk_rmtx)
{
	MTXCB *p;
	CHECK_TSKCTX_UNL();
	CHECK_ID(VALID_MTXID(mtxid));
	p = get_mtxcb(mtxid);
	lock_cpu();
	pk_rmtx->htskid = p->p_loctsk != NULL ? TSKID(p->p_loctsk) : TSK_NONE;
	pk_rmtx->wtskid = _kernel_wait_tskid(&p->wait_queue);
	unlock_cpu();
	return E_OK;
}

ID _kernel_mutex_id(const void *p) { return MTXID((const MTXCB *) p); }
