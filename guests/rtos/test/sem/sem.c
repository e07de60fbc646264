/* sem.c: test of semaphores: counts, E_QOVR, priority-ordered waiting, timeouts, ini_sem (E_DLT), rel_wai (E_RLWAI). */
#include "kernel.h"
#include "test_lib.h"
#include "kernel_cfg.h"
#include "sem.h"

static int task3_runs;

void task3(EXINF exinf)
{
	if (++task3_runs == 1) {
		check_point(3);
		check_ercd(wai_sem(SEM2), E_OK);
		check_point(6);
	} else {
		check_point(11);
		check_ercd(wai_sem(SEM2), E_DLT);
		check_point(12);
	}
	ext_tsk();
}

void task2(EXINF exinf)
{
	T_RSEM r;
	check_point(5);
	check_ercd(ref_sem(SEM2, &r), E_OK);
	check_assert(r.wtskid == TASK3);		/* TASK3 (9) is ahead of TASK1 (10): TA_TPRI */
	check_ercd(sig_sem(SEM2), E_OK);		/* TASK3 preempts */
	check_point(7);
	check_ercd(sig_sem(SEM2), E_OK);		/* TASK1 released and preempts */
	check_point(9);
	check_ercd(slp_tsk(), E_RLWAI);
	check_finish(15);
}

void task1(EXINF exinf)
{
	T_RSEM r; SYSTIM t0, t1;
	check_point(1);
	check_ercd(pol_sem(SEM1), E_OK);
	check_ercd(pol_sem(SEM1), E_TMOUT);
	check_ercd(sig_sem(SEM1), E_OK);
	check_ercd(sig_sem(SEM1), E_QOVR);
	check_ercd(ref_sem(SEM1, &r), E_OK);
	check_assert(r.semcnt == 1 && r.wtskid == TSK_NONE);
	check_ercd(wai_sem(0), E_ID);
	check_ercd(sig_sem(3), E_ID);
	check_ercd(twai_sem(SEM1, TMO_NBLK), E_PAR);
	check_point(2);
	check_ercd(act_tsk(TASK2), E_OK);
	check_ercd(act_tsk(TASK3), E_OK);
	check_point(4);
	check_ercd(twai_sem(SEM2, 10000), E_OK);
	check_point(8);
	get_tim(&t0);
	check_ercd(twai_sem(SEM2, 5000), E_TMOUT);
	get_tim(&t1);
	check_assert(t1 - t0 >= 5000);
	check_point(10);
	check_ercd(act_tsk(TASK3), E_OK);
	check_ercd(ini_sem(SEM2), E_OK);
	check_point(13);
	check_ercd(ref_sem(SEM2, &r), E_OK);
	check_assert(r.semcnt == 0);
	check_ercd(rel_wai(TASK2), E_OK);
	check_point(14);
	check_ercd(slp_tsk(), E_OK);
}
