/* time_event.c: time events, system time, notifications, cyclic and alarm notifications (spec: time management). */
#include "kernel/kernel_impl.h"
#include "target_timer.h"

extern uint64_t _kernel_target_hrt_us(void);	/* microseconds since the timer started, monotonic */

static QUEUE tmevt_list;			/* TMEVTB sorted by evttim, earliest first */
int64_t _kernel_systim_offset;

EVTTIM _kernel_current_evttim(void) { return _kernel_target_hrt_us(); }

void _kernel_initialize_tmevt(void)
{
	queue_initialize(&tmevt_list);
	_kernel_systim_offset = 0;
}

void _kernel_tmevtb_enqueue_at(TMEVTB *p, EVTTIM evttim)
{
	QUEUE *e;
	p->evttim = evttim;
	for (e = tmevt_list.p_next; e != &tmevt_list; e = e->p_next) {
		if (container_of(e, TMEVTB, queue)->evttim > evttim) break;
	}
	queue_insert_prev(e, &p->queue);
	p->active = true;
}

/* The event happens no earlier than `time` microseconds from now (+1 covers the part of the current microsecond already gone). */
void _kernel_tmevtb_enqueue_reltim(TMEVTB *p, RELTIM time)
{
	_kernel_tmevtb_enqueue_at(p, _kernel_current_evttim() + (EVTTIM) time + 1U);
}

void _kernel_tmevtb_dequeue(TMEVTB *p)
{
	if (p->active) { queue_delete(&p->queue); p->active = false; }
}

RELTIM _kernel_tmevt_lefttim(const TMEVTB *p)
{
	EVTTIM now = _kernel_current_evttim();
	if (p->evttim <= now) return 0U;
	EVTTIM left = p->evttim - now - 1U;
	return left > TMAX_RELTIM ? TMAX_RELTIM : (RELTIM) left;
}

/* From the timer interrupt: run every event that is due (with the CPU locked). */
void _kernel_signal_time(void)
{
	lock_cpu();
	EVTTIM now = _kernel_current_evttim();
	while (!queue_empty(&tmevt_list)) {
		TMEVTB *p = container_of(tmevt_list.p_next, TMEVTB, queue);
		if (p->evttim > now) break;
		queue_delete(&p->queue);
		p->active = false;
		(*p->callback)(p->arg);
	}
	_kernel_dispatch_if_needed();
	unlock_cpu();
}

/* ---- System time ---- */
ER set_tim(SYSTIM systim)
{
	CHECK_TSKCTX_UNL();
	lock_cpu();
	_kernel_systim_offset = (int64_t)(systim - _kernel_current_evttim());
	unlock_cpu();
	return E_OK;
}

ER get_tim(SYSTIM *p_systim)
{
	CHECK_TSKCTX_UNL();
	lock_cpu();
	*p_systim = (SYSTIM)((int64_t)_kernel_current_evttim() + _kernel_systim_offset);
	unlock_cpu();
	return E_OK;
}

/* adj_tim: -1 s .. +1 s (spec TMIN_ADJTIM/TMAX_ADJTIM); shifts the system time only. */
ER adj_tim(int32_t adjtim)
{
	CHECK_UNL();
	CHECK_PAR(-1000000 <= adjtim && adjtim <= 1000000);
	lock_cpu();
	_kernel_systim_offset += adjtim;
	unlock_cpu();
	return E_OK;
}

HRTCNT fch_hrt(void)
{
	return (HRTCNT) _kernel_current_evttim();
}

/* ---- Notifications ---- */
static void error_notify(const NFYINIB *n, ER ercd)
{
	switch (n->nfymode & 0xf0U) {
	case TENFY_SETVAR: *(intptr_t *) n->epar1 = (intptr_t) ercd; break;
	case TENFY_INCVAR: (void) loc_cpu(); (*(intptr_t *) n->epar1)++; (void) unl_cpu(); break;
	case TENFY_ACTTSK: (void) act_tsk((ID) n->epar1); break;
	case TENFY_WUPTSK: (void) wup_tsk((ID) n->epar1); break;
	case TENFY_SIGSEM: (void) sig_sem((ID) n->epar1); break;
	case TENFY_SETFLG: (void) set_flg((ID) n->epar1, (FLGPTN) n->epar2); break;
	case TENFY_SNDDTQ: (void) psnd_dtq((ID) n->epar1, (intptr_t) ercd); break;
	default: break;
	}
}

void _kernel_notify(const NFYINIB *n)
{
	ER ercd = E_OK;
	switch (n->nfymode & 0x0fU) {
	case TNFY_HANDLER: (*(NFYHDR) n->par2)((EXINF) n->par1); break;
	case TNFY_SETVAR: *(intptr_t *) n->par1 = n->par2; break;
	case TNFY_INCVAR: (void) loc_cpu(); (*(intptr_t *) n->par1)++; (void) unl_cpu(); break;
	case TNFY_ACTTSK: ercd = act_tsk((ID) n->par1); break;
	case TNFY_WUPTSK: ercd = wup_tsk((ID) n->par1); break;
	case TNFY_SIGSEM: ercd = sig_sem((ID) n->par1); break;
	case TNFY_SETFLG: ercd = set_flg((ID) n->par1, (FLGPTN) n->par2); break;
	case TNFY_SNDDTQ: ercd = psnd_dtq((ID) n->par1, n->par2); break;
	default: break;
	}
	if (ercd != E_OK) error_notify(n, ercd);
}

static void check_nfy(const NFYINIB *n, const char *what, ID id)
{
	MODE m = n->nfymode & 0x0fU, e = n->nfymode & 0xf0U;
	if (m > TNFY_SNDDTQ || (n->nfymode & ~0x7fU) != 0U || (m == TNFY_HANDLER && e != 0U)
			|| (m == TNFY_HANDLER && n->par2 == 0)) _kernel_panic(what, id);
}

/* ---- Cyclic notifications ---- */
#define VALID_CYCID(id)	(TMIN_CYCID <= (id) && (id) <= _kernel_tmax_cycid)
#define get_cyccb(id)	(&_kernel_cyccb_table[(id) - TMIN_CYCID])

static void cyclic_fire(void *arg)
{
	CYCCB *p = (CYCCB *) arg;
	/* next period counted from this one's due time, so the period does not drift */
	_kernel_tmevtb_enqueue_at(&p->tmevtb, p->tmevtb.evttim + p->p_cycinib->cyctim);
	unlock_cpu();
	_kernel_notify(&p->p_cycinib->nfy);
	lock_cpu();
}

void _kernel_initialize_cyclic(void)
{
	for (ID id = TMIN_CYCID; id <= _kernel_tmax_cycid; id++) {
		CYCCB *p = get_cyccb(id);
		p->p_cycinib = &_kernel_cycinib_table[id - TMIN_CYCID];
		if (p->p_cycinib->cycatr & ~TA_STA) _kernel_panic("CRE_CYC: reserved attribute, cyclic", id);
		if (p->p_cycinib->cyctim == 0U || p->p_cycinib->cyctim > TMAX_RELTIM || p->p_cycinib->cycphs > TMAX_RELTIM) _kernel_panic("CRE_CYC: bad cyctim/cycphs, cyclic", id);
		check_nfy(&p->p_cycinib->nfy, "CRE_CYC: bad notification, cyclic", id);
		p->tmevtb.callback = cyclic_fire;
		p->tmevtb.arg = p;
		p->tmevtb.active = false;
		p->cycsta = (p->p_cycinib->cycatr & TA_STA) != 0U;
		if (p->cycsta) _kernel_tmevtb_enqueue_at(&p->tmevtb, (EVTTIM) p->p_cycinib->cycphs);
	}
}

ER sta_cyc(ID cycid)
{
	CYCCB *p;
	CHECK_UNL();
	CHECK_ID(VALID_CYCID(cycid));
	p = get_cyccb(cycid);
	lock_cpu();
	_kernel_tmevtb_dequeue(&p->tmevtb);
	p->cycsta = true;
	_kernel_tmevtb_enqueue_reltim(&p->tmevtb, p->p_cycinib->cycphs);
	unlock_cpu();
	return E_OK;
}

ER stp_cyc(ID cycid)
{
	CYCCB *p;
	CHECK_UNL();
	CHECK_ID(VALID_CYCID(cycid));
	p = get_cyccb(cycid);
	lock_cpu();
	p->cycsta = false;
	_kernel_tmevtb_dequeue(&p->tmevtb);
	unlock_cpu();
	return E_OK;
}

ER ref_cyc(ID cycid, T_RCYC *pk_rcyc)
{
	CYCCB *p;
	CHECK_TSKCTX_UNL();
	CHECK_ID(VALID_CYCID(cycid));
	p = get_cyccb(cycid);
	lock_cpu();
	pk_rcyc->cycstat = p->cycsta ? TCYC_STA : TCYC_STP;
	pk_rcyc->lefttim = p->cycsta ? _kernel_tmevt_lefttim(&p->tmevtb) : 0U;
	unlock_cpu();
	return E_OK;
}

/* ---- Alarm notifications ---- */
#define VALID_ALMID(id)	(TMIN_ALMID <= (id) && (id) <= _kernel_tmax_almid)
#define get_almcb(id)	(&_kernel_almcb_table[(id) - TMIN_ALMID])

static void alarm_fire(void *arg)
{
	ALMCB *p = (ALMCB *) arg;
	p->almsta = false;
	unlock_cpu();
	_kernel_notify(&p->p_alminib->nfy);
	lock_cpu();
}

void _kernel_initialize_alarm(void)
{
	for (ID id = TMIN_ALMID; id <= _kernel_tmax_almid; id++) {
		ALMCB *p = get_almcb(id);
		p->p_alminib = &_kernel_alminib_table[id - TMIN_ALMID];
		if (p->p_alminib->almatr != TA_NULL) _kernel_panic("CRE_ALM: reserved attribute, alarm", id);
		check_nfy(&p->p_alminib->nfy, "CRE_ALM: bad notification, alarm", id);
		p->tmevtb.callback = alarm_fire;
		p->tmevtb.arg = p;
		p->tmevtb.active = false;
		p->almsta = false;
	}
}

ER sta_alm(ID almid, RELTIM almtim)
{
	ALMCB *p;
	CHECK_UNL();
	CHECK_ID(VALID_ALMID(almid));
	CHECK_PAR(almtim <= TMAX_RELTIM);
	p = get_almcb(almid);
	lock_cpu();
	_kernel_tmevtb_dequeue(&p->tmevtb);
	p->almsta = true;
	_kernel_tmevtb_enqueue_reltim(&p->tmevtb, almtim);
	unlock_cpu();
	return E_OK;
}

ER stp_alm(ID almid)
{
	ALMCB *p;
	CHECK_UNL();
	CHECK_ID(VALID_ALMID(almid));
	p = get_almcb(almid);
	lock_cpu();
	p->almsta = false;
	_kernel_tmevtb_dequeue(&p->tmevtb);
	unlock_cpu();
	return E_OK;
}

ER ref_alm(ID almid, T_RALM *pk_ralm)
{
	ALMCB *p;
	CHECK_TSKCTX_UNL();
	CHECK_ID(VALID_ALMID(almid));
	p = get_almcb(almid);
	lock_cpu();
	pk_ralm->almstat = p->almsta ? TALM_STA : TALM_STP;
	pk_ralm->lefttim = p->almsta ? _kernel_tmevt_lefttim(&p->tmevtb) : 0U;
	unlock_cpu();
	return E_OK;
}
