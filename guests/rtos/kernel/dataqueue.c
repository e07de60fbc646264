/* dataqueue.c: data queues (spec: data queues; FIFO ring of intptr_t, send-wait and receive-wait queues). */
#include "kernel/kernel_impl.h"

#define VALID_DTQID(id)	(TMIN_DTQID <= (id) && (id) <= _kernel_tmax_dtqid)
#define get_dtqcb(id)	(&_kernel_dtqcb_table[(id) - TMIN_DTQID])

void _kernel_initialize_dataqueue(void)
{
	for (ID id = TMIN_DTQID; id <= _kernel_tmax_dtqid; id++) {
		DTQCB *p = get_dtqcb(id);
		p->p_dtqinib = &_kernel_dtqinib_table[id - TMIN_DTQID];
		if (p->p_dtqinib->dtqatr & ~TA_TPRI) _kernel_panic("CRE_DTQ: reserved attribute, data queue", id);
		if (p->p_dtqinib->dtqcnt > 0U && p->p_dtqinib->p_dtqmb == NULL) _kernel_panic("CRE_DTQ: no buffer, data queue", id);
		queue_initialize(&p->swait_queue);
		queue_initialize(&p->rwait_queue);
		p->count = p->head = p->tail = 0U;
	}
}

static void enqueue_data(DTQCB *p, intptr_t data)
{
	p->p_dtqinib->p_dtqmb[p->tail].data = data;
	p->tail = (p->tail + 1U == p->p_dtqinib->dtqcnt) ? 0U : p->tail + 1U;
	p->count++;
}

static intptr_t dequeue_data(DTQCB *p)
{
	intptr_t d = p->p_dtqinib->p_dtqmb[p->head].data;
	p->head = (p->head + 1U == p->p_dtqinib->dtqcnt) ? 0U : p->head + 1U;
	p->count--;
	return d;
}

/* Hand data to a waiting receiver or store it; false when the sender has to wait. */
static bool_t send_data(DTQCB *p, intptr_t data)
{
	if (!queue_empty(&p->rwait_queue)) {
		TCB *t = _kernel_wait_queue_take(&p->rwait_queue);
		((WINFO_DTQ *) t->p_winfo)->data = data;
		_kernel_wait_complete(t);
		return true;
	}
	if (p->count < p->p_dtqinib->dtqcnt) { enqueue_data(p, data); return true; }
	return false;
}

static bool_t receive_data(DTQCB *p, intptr_t *p_data)
{
	if (p->count > 0U) {
		*p_data = dequeue_data(p);
		if (!queue_empty(&p->swait_queue)) {
			TCB *t = _kernel_wait_queue_take(&p->swait_queue);
			enqueue_data(p, ((WINFO_DTQ *) t->p_winfo)->data);
			_kernel_wait_complete(t);
		}
		return true;
	}
	if (!queue_empty(&p->swait_queue)) {		/* capacity 0: take straight from a sender */
		TCB *t = _kernel_wait_queue_take(&p->swait_queue);
		*p_data = ((WINFO_DTQ *) t->p_winfo)->data;
		_kernel_wait_complete(t);
		return true;
	}
	return false;
}

static ER snd(ID dtqid, intptr_t data, TMO tmout, bool_t polling)
{
	DTQCB *p; WINFO_DTQ winfo; ER ercd;
	if (polling) CHECK_UNL(); else CHECK_DISPATCH();
	CHECK_ID(VALID_DTQID(dtqid));
	CHECK_TMOUT(tmout);
	p = get_dtqcb(dtqid);
	lock_cpu();
	if (!polling && p_runtsk->raster) ercd = E_RASTER;
	else if (send_data(p, data)) { _kernel_dispatch_if_needed(); ercd = E_OK; }
	else if (tmout == TMO_POL) ercd = E_TMOUT;
	else {
		winfo.data = data;
		_kernel_wobj_make_wait(p, &p->swait_queue, (p->p_dtqinib->dtqatr & TA_TPRI) != 0, TTW_SDTQ, &winfo.winfo, tmout);
		dispatch();
		ercd = winfo.winfo.wercd;
	}
	unlock_cpu();
	return ercd;
}

ER snd_dtq(ID dtqid, intptr_t data) { return snd(dtqid, data, TMO_FEVR, false); }
ER psnd_dtq(ID dtqid, intptr_t data) { return snd(dtqid, data, TMO_POL, true); }
ER tsnd_dtq(ID dtqid, intptr_t data, TMO tmout) { return snd(dtqid, data, tmout, false); }

ER fsnd_dtq(ID dtqid, intptr_t data)
{
	DTQCB *p;
	CHECK_UNL();
	CHECK_ID(VALID_DTQID(dtqid));
	p = get_dtqcb(dtqid);
	CHECK_ILUSE(p->p_dtqinib->dtqcnt > 0U);
	lock_cpu();
	if (!send_data(p, data)) {
		(void) dequeue_data(p);			/* full: drop the oldest */
		enqueue_data(p, data);
	}
	_kernel_dispatch_if_needed();
	unlock_cpu();
	return E_OK;
}

static ER rcv(ID dtqid, intptr_t *p_data, TMO tmout, bool_t polling)
{
	DTQCB *p; WINFO_DTQ winfo; ER ercd;
	if (polling) CHECK_TSKCTX_UNL(); else CHECK_DISPATCH();
	CHECK_ID(VALID_DTQID(dtqid));
	CHECK_TMOUT(tmout);
	p = get_dtqcb(dtqid);
	lock_cpu();
	if (!polling && p_runtsk->raster) ercd = E_RASTER;
	else if (receive_data(p, p_data)) { _kernel_dispatch_if_needed(); ercd = E_OK; }
	else if (tmout == TMO_POL) ercd = E_TMOUT;
	else {
		_kernel_wobj_make_wait(p, &p->rwait_queue, false, TTW_RDTQ, &winfo.winfo, tmout);
		dispatch();
		ercd = winfo.winfo.wercd;
		if (ercd == E_OK) *p_data = winfo.data;
	}
	unlock_cpu();
	return ercd;
}

ER rcv_dtq(ID dtqid, intptr_t *p_data) { return rcv(dtqid, p_data, TMO_FEVR, false); }
ER prcv_dtq(ID dtqid, intptr_t *p_data) { return rcv(dtqid, p_data, TMO_POL, true); }
ER trcv_dtq(ID dtqid, intptr_t *p_data, TMO tmout) { return rcv(dtqid, p_data, tmout, false); }

ER ini_dtq(ID dtqid)
{
	DTQCB *p;
	CHECK_TSKCTX_UNL();
	CHECK_ID(VALID_DTQID(dtqid));
	p = get_dtqcb(dtqid);
	lock_cpu();
	_kernel_init_wait_queue(&p->swait_queue);
	_kernel_init_wait_queue(&p->rwait_queue);
	p->count = p->head = p->tail = 0U;
	_kernel_dispatch_if_needed();
	unlock_cpu();
	return E_OK;
}

ER ref_dtq(ID dtqid, T_RDTQ *pk_rdtq)
{
	DTQCB *p;
	CHECK_TSKCTX_UNL();
	CHECK_ID(VALID_DTQID(dtqid));
	p = get_dtqcb(dtqid);
	lock_cpu();
	pk_rdtq->stskid = _kernel_wait_tskid(&p->swait_queue);
	pk_rdtq->rtskid = _kernel_wait_tskid(&p->rwait_queue);
	pk_rdtq->sdtqcnt = p->count;
	unlock_cpu();
	return E_OK;
}
