/* task.c: task states, the ready queue and the choice of the task to run (spec: task management, scheduling rules). */
#include "kernel/kernel_impl.h"

TCB *_kernel_p_runtsk;
TCB *_kernel_p_schedtsk;
bool_t _kernel_enadsp;
bool_t _kernel_dspflg;
bool_t _kernel_kerflg;

/* One FIFO per priority; bit p of ready_primap set when queue p is not empty. */
QUEUE _kernel_ready_queue[TNUM_TPRI];
static uint16_t ready_primap;

TCB *_kernel_search_schedtsk(void)
{
	if (ready_primap == 0U) return NULL;
	uint_t pri = (uint_t)__builtin_ctz(ready_primap);
	return container_of(_kernel_ready_queue[pri].p_next, TCB, task_queue);
}

/* Put a task into the ready queue; true when it should now run instead of p_schedtsk. */
bool_t _kernel_make_runnable(TCB *p_tcb)
{
	uint_t pri = p_tcb->priority;
	queue_insert_prev(&_kernel_ready_queue[pri], &p_tcb->task_queue);
	ready_primap |= (uint16_t)(1U << pri);
	if (dspflg && (p_schedtsk == NULL || pri < p_schedtsk->priority)) {
		p_schedtsk = p_tcb;
		return true;
	}
	return false;
}

void _kernel_make_non_runnable(TCB *p_tcb)
{
	uint_t pri = p_tcb->priority;
	queue_delete(&p_tcb->task_queue);
	if (queue_empty(&_kernel_ready_queue[pri])) ready_primap &= (uint16_t)~(1U << pri);
	if (p_schedtsk == p_tcb) p_schedtsk = _kernel_search_schedtsk();
}

void _kernel_make_dormant(TCB *p_tcb)
{
	p_tcb->tstat = TS_DORMANT;
	p_tcb->bpriority = p_tcb->priority = (uint8_t)INT_PRIORITY(p_tcb->p_tinib->itskpri);
	p_tcb->wupque = 0;
	p_tcb->raster = false;
	p_tcb->enater = true;
	p_tcb->p_lastmtx = NULL;
	p_tcb->p_winfo = NULL;
	p_tcb->wstat = 0;
	activate_context(p_tcb);
}

bool_t _kernel_make_active(TCB *p_tcb)
{
	_kernel_make_dormant(p_tcb);
	p_tcb->tstat = TS_RUNNABLE;
	return _kernel_make_runnable(p_tcb);
}

/*
 * Change the current priority. A runnable task goes to the tail of its new priority's queue, or
 * to the head when the change comes from a mutex operation (spec: a task whose priority changes
 * through a mutex has the highest precedence among tasks of its new priority). A waiting task is
 * re-sorted in a priority-ordered wait queue.
 */
void _kernel_change_priority(TCB *p_tcb, uint_t newpri, bool_t mtxmode)
{
	uint_t oldpri = p_tcb->priority;
	p_tcb->priority = (uint8_t)newpri;
	if (p_tcb->tstat & TS_RUNNABLE) {
		queue_delete(&p_tcb->task_queue);
		if (queue_empty(&_kernel_ready_queue[oldpri])) ready_primap &= (uint16_t)~(1U << oldpri);
		if (mtxmode) queue_insert_next(&_kernel_ready_queue[newpri], &p_tcb->task_queue);
		else queue_insert_prev(&_kernel_ready_queue[newpri], &p_tcb->task_queue);
		ready_primap |= (uint16_t)(1U << newpri);
		if (dspflg) p_schedtsk = _kernel_search_schedtsk();
	} else if ((p_tcb->tstat & TS_WAITING) && p_tcb->p_winfo->p_wqueue != NULL && p_tcb->p_winfo->tpri) {
		queue_delete(&p_tcb->task_queue);
		_kernel_queue_insert_tpri(p_tcb->p_winfo->p_wqueue, p_tcb);
	}
}

void _kernel_rotate_ready_queue(uint_t pri)
{
	QUEUE *q = &_kernel_ready_queue[pri];
	if (!queue_empty(q) && q->p_next->p_next != q) {
		QUEUE *e = queue_delete_next(q);
		queue_insert_prev(q, e);
		if (dspflg) p_schedtsk = _kernel_search_schedtsk();
	}
}

/* Terminate a task (ext_tsk, ter_tsk, ras_ter): leave every queue, drop mutexes, reactivate if queued. */
void _kernel_task_terminate(TCB *p_tcb)
{
	if (p_tcb->tstat & TS_RUNNABLE) {
		_kernel_make_non_runnable(p_tcb);
	} else if (p_tcb->tstat & TS_WAITING) {
		_kernel_wait_dequeue_wobj(p_tcb);
		_kernel_wait_dequeue_tmevtb(p_tcb);
	}
	if (p_tcb->p_lastmtx != NULL) _kernel_mutex_release_all(p_tcb);
	_kernel_make_dormant(p_tcb);
	if (p_tcb->actque > 0U) {
		p_tcb->actque--;
		(void) _kernel_make_active(p_tcb);
	}
}

void _kernel_set_dspflg(void)
{
	dspflg = enadsp && t_get_ipm() == TIPM_ENAALL;
	if (dspflg) p_schedtsk = _kernel_search_schedtsk();
}

/* With the CPU locked: switch tasks now (task context) or on return from the interrupt. */
void _kernel_dispatch_if_needed(void)
{
	if (p_runtsk != p_schedtsk) {
		if (!sense_context()) dispatch();
		else request_dispatch_retint();
	}
}

void _kernel_initialize_task(void)
{
	p_runtsk = p_schedtsk = NULL;
	enadsp = dspflg = true;
	ready_primap = 0;
	for (uint_t i = 0; i < TNUM_TPRI; i++) queue_initialize(&_kernel_ready_queue[i]);
	for (ID id = TMIN_TSKID; id <= _kernel_tmax_tskid; id++) {
		TCB *p_tcb = get_tcb(id);
		const TINIB *ti = &_kernel_tinib_table[id - TMIN_TSKID];
		p_tcb->p_tinib = ti;
		p_tcb->actque = 0;
		if (!VALID_TPRI(ti->itskpri)) _kernel_panic("CRE_TSK: itskpri out of range, task", id);
		if (ti->task == NULL || ti->stk == NULL || ti->stksz < 256U) _kernel_panic("CRE_TSK: bad task/stack, task", id);
		if (ti->tskatr & ~(TA_ACT | TA_NOACTQUE)) _kernel_panic("CRE_TSK: reserved attribute, task", id);
		_kernel_make_dormant(p_tcb);
		queue_initialize(&p_tcb->task_queue);
		if (ti->tskatr & TA_ACT) {
			p_tcb->tstat = TS_RUNNABLE;
			(void) _kernel_make_runnable(p_tcb);
		}
	}
}
