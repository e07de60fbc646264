/* mtx.c: test of mutexes: the priority ceiling protocol bounding priority inversion, E_ILUSE above the ceiling, LIFO unlocking, hand-over in priority order, release at task exit, timeouts. */
#include "kernel.h"
#include "test_lib.h"
#include "kernel_cfg.h"
#include "mtx.h"

static int task2_runs, task3_runs;

void task4(EXINF exinf)
{
	PRI p;
	check_point(4);
	check_ercd(loc_mtx(MTX1), E_OK);
	check_ercd(get_pri(TSK_SELF, &p), E_OK); check_assert(p == 5);
	check_ercd(unl_mtx(MTX1), E_OK);
	ext_tsk();
}

void task2(EXINF exinf)
{
	if (++task2_runs == 1) {
		check_point(5);
	} else {
		check_ercd(tloc_mtx(MTX3, 5000), E_TMOUT);
		check_point(14);
	}
	ext_tsk();
}

void task3(EXINF exinf)
{
	T_RMTX r;
	if (++task3_runs == 1) {
		check_ercd(loc_mtx(MTX1), E_ILUSE);		/* base priority 4 is above the ceiling 5 */
		check_point(7);
		check_ercd(loc_mtx(MTX2), E_OK);
		check_ercd(unl_mtx(MTX2), E_OK);
		check_ercd(unl_mtx(MTX2), E_OBJ);
		check_ercd(slp_tsk(), E_OK);
		check_ercd(loc_mtx(MTX2), E_OK);		/* waits for TASK1, then gets it */
		check_point(11);
		check_ercd(ref_mtx(MTX2, &r), E_OK);
		check_assert(r.htskid == TASK3);
	}
	ext_tsk();									/* MTX2 is released by the exit */
}

void task1(EXINF exinf)
{
	PRI p; T_RMTX r;
	/* priority inversion: low-priority TASK1 holds MTX1; medium tasks must not run before it unlocks */
	check_ercd(loc_mtx(MTX1), E_OK);
	check_point(1);
	check_ercd(get_pri(TSK_SELF, &p), E_OK); check_assert(p == 5);
	check_ercd(act_tsk(TASK2), E_OK);			/* 7: below the ceiling, waits */
	check_point(2);
	check_ercd(act_tsk(TASK4), E_OK);			/* 6: waits too */
	check_point(3);
	check_ercd(unl_mtx(MTX1), E_OK);			/* TASK4 then TASK2 run */
	check_point(6);
	check_ercd(get_pri(TSK_SELF, &p), E_OK); check_assert(p == 10);
	check_ercd(act_tsk(TASK3), E_OK);
	check_point(8);
	/* LIFO order and double locking */
	check_ercd(loc_mtx(MTX2), E_OK);
	check_ercd(loc_mtx(MTX3), E_OK);
	check_ercd(unl_mtx(MTX2), E_OBJ);
	check_ercd(loc_mtx(MTX3), E_OBJ);
	check_ercd(unl_mtx(MTX3), E_OK);
	check_point(9);
	check_ercd(wup_tsk(TASK3), E_OK);			/* TASK3 waits for MTX2 */
	check_point(10);
	check_ercd(ref_mtx(MTX2, &r), E_OK);
	check_assert(r.htskid == TASK1 && r.wtskid == TASK3);
	check_ercd(unl_mtx(MTX2), E_OK);			/* handed to TASK3, which preempts and exits */
	check_point(12);
	check_ercd(ref_mtx(MTX2, &r), E_OK);
	check_assert(r.htskid == TSK_NONE && r.wtskid == TSK_NONE);
	/* base priority changes under a ceiling */
	check_ercd(loc_mtx(MTX1), E_OK);
	check_ercd(chg_pri(TSK_SELF, 3), E_ILUSE);
	check_ercd(chg_pri(TSK_SELF, 11), E_OK);
	check_ercd(get_pri(TSK_SELF, &p), E_OK); check_assert(p == 5);
	check_ercd(unl_mtx(MTX1), E_OK);
	check_ercd(get_pri(TSK_SELF, &p), E_OK); check_assert(p == 11);
	check_point(13);
	check_ercd(loc_mtx(MTX3), E_OK);
	check_ercd(act_tsk(TASK2), E_OK);			/* times out on MTX3 */
	check_ercd(dly_tsk(10000), E_OK);
	check_point(15);
	check_ercd(unl_mtx(MTX3), E_OK);
	check_ercd(ini_mtx(MTX3), E_OK);
	check_ercd(ploc_mtx(MTX3), E_OK);			/* free: locked at once */
	check_ercd(ploc_mtx(MTX3), E_OBJ);			/* already held by the caller */
	check_ercd(unl_mtx(MTX3), E_OK);
	check_finish(16);
}
