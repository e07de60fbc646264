/* pridataq.c: priority data queues (spec: priority data queues; data kept in data-priority order, FIFO among equals). */
#include "kernel/kernel_impl.h"

#define VALID_PDQID(id)	(TMIN_PDQID <= (id) && (id) <= _kernel_tmax_pdqid)
#define get_pdqcb(id)	(&_kernel_pdqcb_table[(id) - TMIN_PDQID])

void _kernel_initialize_pridataq(void)
{
	for (ID id = TMIN_PDQID; id <= _kernel_tmax_pdqid; id++) {
		PDQCB *p = get_pdqcb(id);
		p->p_pdqinib = &_kernel_pdqinib_table[id - TMIN_PDQID];
		if (p->p_pdqinib->pdqatr & ~TA_TPRI) _kernel_panic("CRE_PDQ: reserved attribute, priority data queue", id);
		if (p->p_pdqinib->maxdpri < TMIN_DPRI || p->p_pdqinib->maxdpri > TMAX_DPRI) _kernel_panic("CRE_PDQ: maxdpri out of range, priority data queue", id);
		if (p->p_pdqinib->pdqcnt > 0U && p->p_pdqinib->p_pdqmb == NULL) _kernel_panic("CRE_PDQ: no buffer, priority data queue", id);
		queue_initialize(&p->swait_queue);
		queue_initialize(&p->rwait_queue);
		p->count = 0U; p->p_head = NULL; p->unused = 0U; p->p_freelist = NULL;
	}
}

static void enqueue_data(PDQCB *p, intptr_t data, PRI datapri)
{
	PDQMB *mb;
	if (p->p_freelist != NULL) { mb = p->p_freelist; p->p_freelist = mb->p_next; }
	else mb = &p->p_pdqinib->p_pdqmb[p->unused++];
	mb->data = data; mb->datapri = datapri;
	PDQMB **pp = &p->p_head;
	while (*pp != NULL && (*pp)->datapri <= datapri) pp = &(*pp)->p_next;
	mb->p_next = *pp;
	*pp = mb;
	p->count++;
}

static void dequeue_data(PDQCB *p, intptr_t *p_data, PRI *p_datapri)
{
	PDQMB *mb = p->p_head;
	p->p_head = mb->p_next;
	*p_data = mb->data; *p_datapri = mb->datapri;
	mb->p_next = p->p_freelist;
	p->p_freelist = mb;
	p->count--;
}

static bool_t send_data(PDQCB *p, intptr_t data, PRI datapri)
{
	if (!queue_empty(&p->rwait_queue)) {
		TCB *t = _kernel_wait_queue_take(&p->rwait_queue);
		WINFO_PDQ *w = (WINFO_PDQ *) t->p_winfo;
		w->data = data; w->datapri = datapri;
		_kernel_wait_complete(t);
		return true;
	}
	if (p->count < p->p_pdqinib->pdqcnt) { enqueue_data(p, data, datapri); return true; }
	return false;
}

static bool_t receive_data(PDQCB *p, intptr_t *p_data, PRI *p_datapri)
{
	if (p->count > 0U) {
		dequeue_data(p, p_data, p_datapri);
		if (!queue_empty(&p->swait_queue)) {
			TCB *t = _kernel_wait_queue_take(&p->swait_queue);
			WINFO_PDQ *w = (WINFO_PDQ *) t->p_winfo;
			enqueue_data(p, w->data, w->datapri);
			_kernel_wait_complete(t);
		}
		return true;
	}
	if (!queue_empty(&p->swait_queue)) {
		TCB *t = _kernel_wait_queue_take(&p->swait_queue);
		WINFO_PDQ *w = (WINFO_PDQ *) t->p_winfo;
		*p_data = w->data; *p_datapri = w->datapri;
		_kernel_wait_complete(t);
		return true;
	}
	return false;
}

static ER snd(ID pdqid, intptr_t data, PRI datapri, TMO tmout, bool_t polling)
{
	PDQCB *p; WINFO_PDQ winfo; ER ercd;
	if (polling) CHECK_UNL(); else CHECK_DISPATCH();
	CHECK_ID(VALID_PDQID(pdqid));
	CHECK_TMOUT(tmout);
	p = get_pdqcb(pdqid);
	CHECK_PAR(TMIN_DPRI <= datapri && datapri <= p->p_pdqinib->maxdpri);
	lock_cpu();
	if (!polling && p_runtsk->raster) ercd = E_RASTER;
	else if (send_data(p, data, datapri)) { _kernel_dispatch_if_needed(); ercd = E_OK; }
	else if (tmout == TMO_POL) ercd = E_TMOUT;
	else {
		winfo.data = data; winfo.datapri = datapri;
		_kernel_wobj_make_wait(p, &p->swait_queue, (p->p_pdqinib->pdqatr & TA_TPRI) != 0, TTW_SPDQ, &winfo.winfo, tmout);
		dispatch();
		ercd = winfo.winfo.wercd;
	}
	unlock_cpu();
	return ercd;
}

ER snd_pdq(ID pdqid, intptr_t data, PRI datapri) { return snd(pdqid, data, datapri, TMO_FEVR, false); }
ER psnd_pdq(ID pdqid, intptr_t data, PRI datapri) { return snd(pdqid, data, datapri, TMO_POL, true); }
ER tsnd_pdq(ID pdqid, intptr_t data, PRI datapri, TMO tmout) { return snd(pdqid, data, datapri, tmout, false); }

static ER rcv(ID pdqid, intptr_t *p_data, PRI *p_datapri, TMO tmout, bool_t polling)
{
	PDQCB *p; WINFO_PDQ winfo; ER ercd;
	if (polling) CHECK_TSKCTX_UNL(); else CHECK_DISPATCH();
	CHECK_ID(VALID_PDQID(pdqid));
	CHECK_TMOUT(tmout);
	p = get_pdqcb(pdqid);
	lock_cpu();
	if (!polling && p_runtsk->raster) ercd = E_RASTER;
	else if (receive_data(p, p_data, p_datapri)) { _kernel_dispatch_if_needed(); ercd = E_OK; }
	else if (tmout == TMO_POL) ercd = E_TMOUT;
	else {
		_kernel_wobj_make_wait(p, &p->rwait_queue, false, TTW_RPDQ, &winfo.winfo, tmout);
		dispatch();
		ercd = winfo.winfo.wercd;
		if (ercd == E_OK) { *p_data = winfo.data; *p_datapri = winfo.datapri; }
	}
	unlock_cpu();
	return ercd;
}

ER rcv_pdq(ID pdqid, intptr_t *p_data, PRI *p_datapri) { return rcv(pdqid, p_data, p_datapri, TMO_FEVR, false); }
ER prcv_pdq(ID pdqid, intptr_t *p_data, PRI *p_datapri) { return rcv(pdqid, p_data, p_datapri, TMO_POL, true); }
ER trcv_pdq(ID pdqid, intptr_t *p_data, PRI *p_datapri, TMO tmout) { return rcv(pdqid, p_data, p_datapri, tmout, false); }

ER ini_pdq(ID pdqid)
{
	PDQCB *p;
	CHECK_TSKCTX_UNL();
	CHECK_ID(VALID_PDQID(pdqid));
	p = get_pdqcb(pdqid);
	lock_cpu();
	_kernel_init_wait_queue(&p->swait_queue);
	_kernel_init_wait_queue(&p->rwait_queue);
	p->count = 0U; p->p_head = NULL; p->unused = 0U; p->p_freelist = NULL;
	_kernel_dispatch_if_needed();
	unlock_cpu();
	return E_OK;
}

ER ref_pdq(ID pdqid, T_RPDQ *pk_rpdq)
{
	PDQCB *p;
	CHECK_TSKCTX_UNL();
	CHECK_ID(VALID_PDQID(pdqid));
	p = get_pdqcb(pdqid);
	lock_cpu();
	pk_rpdq->stskid = _kernel_wait_tskid(&p->swait_queue);
	pk_rpdq->rtskid = _kernel_wait_tskid(&p->rwait_queue);
	pk_rpdq->spdqcnt = p->count;
	unlock_cpu();
	return E_OK;
}
