/* wait.c: entering and leaving the waiting state, wait queues and wait timeouts (spec: waiting state, timeouts). */
#include "kernel/kernel_impl.h"

void _kernel_queue_insert_tpri(QUEUE *p_queue, TCB *p_tcb)
{
	QUEUE *e;
	for (e = p_queue->p_next; e != p_queue; e = e->p_next) {
		if (container_of(e, TCB, task_queue)->priority > p_tcb->priority) break;
	}
	queue_insert_prev(e, &p_tcb->task_queue);
}

void _kernel_make_non_wait(TCB *p_tcb)
{
	if (p_tcb->tstat == TS_WAITING) {
		p_tcb->tstat = TS_RUNNABLE;
		(void) _kernel_make_runnable(p_tcb);
	} else {
		p_tcb->tstat = TS_SUSPENDED;
	}
}

void _kernel_wait_dequeue_wobj(TCB *p_tcb)
{
	if (p_tcb->p_winfo != NULL && p_tcb->p_winfo->p_wqueue != NULL) {
		queue_delete(&p_tcb->task_queue);
		p_tcb->p_winfo->p_wqueue = NULL;
	}
}

void _kernel_wait_dequeue_tmevtb(TCB *p_tcb)
{
	if (p_tcb->tmevtb.active) _kernel_tmevtb_dequeue(&p_tcb->tmevtb);
}

static void wait_tmout(void *arg)
{
	TCB *p_tcb = (TCB *)arg;
	_kernel_wait_dequeue_wobj(p_tcb);
	p_tcb->p_winfo->wercd = E_TMOUT;
	_kernel_make_non_wait(p_tcb);
}

void _kernel_make_wait_tmout(STAT wstat, WINFO *p_winfo, TMO tmout)
{
	TCB *p_tcb = p_runtsk;
	_kernel_make_non_runnable(p_tcb);
	p_tcb->tstat = TS_WAITING;
	p_tcb->wstat = wstat;
	p_tcb->p_winfo = p_winfo;
	p_winfo->wercd = E_OK;
	if (tmout != TMO_FEVR) {
		p_tcb->tmevtb.callback = wait_tmout;
		p_tcb->tmevtb.arg = p_tcb;
		_kernel_tmevtb_enqueue_reltim(&p_tcb->tmevtb, (RELTIM) tmout);
	}
}

void _kernel_wobj_make_wait(void *p_wobjcb, QUEUE *p_queue, bool_t tpri, STAT wstat, WINFO *p_winfo, TMO tmout)
{
	TCB *p_tcb = p_runtsk;
	p_winfo->p_wobjcb = p_wobjcb;
	p_winfo->p_wqueue = p_queue;
	p_winfo->tpri = tpri;
	_kernel_make_wait_tmout(wstat, p_winfo, tmout);
	if (tpri) _kernel_queue_insert_tpri(p_queue, p_tcb);
	else queue_insert_prev(p_queue, &p_tcb->task_queue);
}

TCB *_kernel_wait_queue_take(QUEUE *p_queue)
{
	TCB *p_tcb = container_of(queue_delete_next(p_queue), TCB, task_queue);
	p_tcb->p_winfo->p_wqueue = NULL;
	return p_tcb;
}

void _kernel_wait_complete(TCB *p_tcb)
{
	_kernel_wait_dequeue_tmevtb(p_tcb);
	p_tcb->p_winfo->wercd = E_OK;
	_kernel_make_non_wait(p_tcb);
}

void _kernel_wait_release(TCB *p_tcb, ER ercd)
{
	_kernel_wait_dequeue_wobj(p_tcb);
	_kernel_wait_dequeue_tmevtb(p_tcb);
	p_tcb->p_winfo->wercd = ercd;
	_kernel_make_non_wait(p_tcb);
}

void _kernel_init_wait_queue(QUEUE *p_queue)
{
	while (!queue_empty(p_queue)) {
		TCB *p_tcb = _kernel_wait_queue_take(p_queue);
		_kernel_wait_dequeue_tmevtb(p_tcb);
		p_tcb->p_winfo->wercd = E_DLT;
		_kernel_make_non_wait(p_tcb);
	}
}

ID _kernel_wait_tskid(const QUEUE *p_queue)
{
	if (queue_empty(p_queue)) return TSK_NONE;
	return TSKID(container_of(p_queue->p_next, TCB, task_queue));
}
