/* mempfix.c: fixed-size memory pools (spec: fixed-size memory pools). */
#include "kernel/kernel_impl.h"

#define VALID_MPFID(id)	(TMIN_MPFID <= (id) && (id) <= _kernel_tmax_mpfid)
#define get_mpfcb(id)	(&_kernel_mpfcb_table[(id) - TMIN_MPFID])
#define INDEX_NULL		(~0U)		/* end of the free list */
#define INDEX_ALLOC		(~1U)		/* block handed out */

void _kernel_initialize_mempfix(void)
{
	for (ID id = TMIN_MPFID; id <= _kernel_tmax_mpfid; id++) {
		MPFCB *p = get_mpfcb(id);
		p->p_mpfinib = &_kernel_mpfinib_table[id - TMIN_MPFID];
		const MPFINIB *ib = p->p_mpfinib;
		if (ib->mpfatr & ~TA_TPRI) _kernel_panic("CRE_MPF: reserved attribute, pool", id);
		if (ib->blkcnt == 0U || ib->blksz == 0U || ib->mpf == NULL || ib->p_mpfmb == NULL) _kernel_panic("CRE_MPF: bad size or area, pool", id);
		queue_initialize(&p->wait_queue);
		p->fblkcnt = ib->blkcnt; p->unused = 0U; p->freelist = INDEX_NULL;
	}
}

static bool_t get_block(MPFCB *p, void **p_blk)
{
	uint_t idx;
	const MPFINIB *ib = p->p_mpfinib;
	if (p->freelist != INDEX_NULL) { idx = p->freelist; p->freelist = ib->p_mpfmb[idx].next; }
	else if (p->unused < ib->blkcnt) idx = p->unused++;
	else return false;
	ib->p_mpfmb[idx].next = INDEX_ALLOC;
	p->fblkcnt--;
	*p_blk = (char *) ib->mpf + (size_t) idx * ib->blksz;
	return true;
}

static ER get(ID mpfid, void **p_blk, TMO tmout, bool_t polling)
{
	MPFCB *p; WINFO_MPF winfo; ER ercd;
	if (polling) CHECK_TSKCTX_UNL(); else CHECK_DISPATCH();
	CHECK_ID(VALID_MPFID(mpfid));
	CHECK_TMOUT(tmout);
	p = get_mpfcb(mpfid);
	lock_cpu();
	if (!polling && p_runtsk->raster) ercd = E_RASTER;
	else if (get_block(p, p_blk)) ercd = E_OK;
	else if (tmout == TMO_POL) ercd = E_TMOUT;
	else {
		_kernel_wobj_make_wait(p, &p->wait_queue, (p->p_mpfinib->mpfatr & TA_TPRI) != 0, TTW_MPF, &winfo.winfo, tmout);
		dispatch();
		ercd = winfo.winfo.wercd;
		if (ercd == E_OK) *p_blk = winfo.blk;
	}
	unlock_cpu();
	return ercd;
}

ER get_mpf(ID mpfid, void **p_blk) { return get(mpfid, p_blk, TMO_FEVR, false); }
ER pget_mpf(ID mpfid, void **p_blk) { return get(mpfid, p_blk, TMO_POL, true); }
ER tget_mpf(ID mpfid, void **p_blk, TMO tmout) { return get(mpfid, p_blk, tmout, false); }

ER rel_mpf(ID mpfid, void *blk)
{
	MPFCB *p; ER ercd = E_OK;
	CHECK_UNL();
	CHECK_ID(VALID_MPFID(mpfid));
	p = get_mpfcb(mpfid);
	const MPFINIB *ib = p->p_mpfinib;
	uintptr_t off = (uintptr_t) blk - (uintptr_t) ib->mpf;
	CHECK_PAR((uintptr_t) blk >= (uintptr_t) ib->mpf && off < (uintptr_t) ib->blksz * ib->blkcnt && off % ib->blksz == 0U);
	uint_t idx = (uint_t)(off / ib->blksz);
	lock_cpu();
	if (ib->p_mpfmb[idx].next != INDEX_ALLOC) ercd = E_PAR;		/* not handed out */
	else if (!queue_empty(&p->wait_queue)) {
		TCB *t = _kernel_wait_queue_take(&p->wait_queue);
		((WINFO_MPF *) t->p_winfo)->blk = blk;
		_kernel_wait_complete(t);
		_kernel_dispatch_if_needed();
	} else {
		ib->p_mpfmb[idx].next = p->freelist;
		p->freelist = idx;
		p->fblkcnt++;
	}
	unlock_cpu();
	return ercd;
}

ER ini_mpf(ID mpfid)
{
	MPFCB *p;
	CHECK_TSKCTX_UNL();
	CHECK_ID(VALID_MPFID(mpfid));
	p = get_mpfcb(mpfid);
	lock_cpu();
	_kernel_init_wait_queue(&p->wait_queue);
	p->fblkcnt = p->p_mpfinib->blkcnt; p->unused = 0U; p->freelist = INDEX_NULL;
	_kernel_dispatch_if_needed();
	unlock_cpu();
	return E_OK;
}

ER ref_mpf(ID mpfid, T_RMPF *pk_rmpf)
{
	MPFCB *p;
	CHECK_TSKCTX_UNL();
	CHECK_ID(VALID_MPFID(mpfid));
	p = get_mpfcb(mpfid);
	lock_cpu();
	pk_rmpf->wtskid = _kernel_wait_tskid(&p->wait_queue);
	pk_rmpf->fblkcnt = p->fblkcnt;
	unlock_cpu();
	return E_OK;
}
