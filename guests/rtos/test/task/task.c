/* task.c: test of task management and scheduling: activation queueing, states, priorities, preemption, ready-queue rotation, sleep/wake, suspend/resume, termination, dispatch disabling. */
#include "kernel.h"
#include "test_lib.h"
#include "kernel_cfg.h"
#include "task.h"

static int task3_runs;

void task3(EXINF exinf)
{
	PRI pri;
	task3_runs++;
	if (task3_runs == 1) {
		check_point(5);
		check_ercd(get_pri(TSK_SELF, &pri), E_OK);
		check_assert(pri == 5);
	} else {
		check_point(15);
	}
	check_ercd(ext_tsk(), E_OK);
}

void task2(EXINF exinf)
{
	check_point(7);
	check_ercd(slp_tsk(), E_OK);		/* woken by wup_tsk, runs after chg_pri raised it */
	check_point(10);
	check_ercd(chg_pri(TSK_SELF, TPRI_INI), E_OK);	/* back to 10, behind TASK1 */
	check_point(99);					/* never: TASK1 terminates this task */
}

void task1(EXINF exinf)
{
	STAT st; PRI pri; uint_t load; ID tid; T_RTSK rtsk; EXINF inf;

	check_point(1);
	check_ercd(get_inf(&inf), E_OK);
	check_assert(inf == 1);
	check_ercd(act_tsk(TASK2), E_OK);		/* same priority: no preemption */
	check_point(2);
	check_ercd(act_tsk(TASK2), E_OK);		/* queued */
	check_ercd(act_tsk(TASK2), E_QOVR);
	check_ercd(can_act(TASK2), 1);
	check_ercd(can_act(TASK2), 0);
	check_point(3);
	check_ercd(get_tst(TASK2, &st), E_OK); check_assert(st == TTS_RDY);
	check_ercd(get_tst(TSK_SELF, &st), E_OK); check_assert(st == TTS_RUN);
	check_ercd(get_tst(TASK4, &st), E_OK); check_assert(st == TTS_DMT);
	check_ercd(act_tsk(0x100), E_ID);
	check_ercd(act_tsk(-1), E_ID);
	check_ercd(chg_pri(TASK4, 5), E_OBJ);
	check_ercd(chg_pri(TSK_SELF, 17), E_PAR);
	check_ercd(chg_pri(TSK_SELF, -1), E_PAR);
	check_ercd(get_pri(TASK4, &pri), E_OBJ);
	check_ercd(wup_tsk(TASK4), E_OBJ);
	check_point(4);
	check_ercd(act_tsk(TASK3), E_OK);		/* higher priority: runs at once */
	check_point(6);
	check_ercd(rot_rdq(10), E_OK);			/* TASK2 runs, sleeps */
	check_point(8);
	check_ercd(get_tst(TASK2, &st), E_OK); check_assert(st == TTS_WAI);
	check_ercd(ref_tsk(TASK2, &rtsk), E_OK);
	check_assert(rtsk.tskwait == TTW_SLP && rtsk.lefttmo == TMO_FEVR);
	check_ercd(wup_tsk(TASK2), E_OK);		/* same priority: TASK2 goes behind */
	check_point(9);
	check_ercd(wup_tsk(TASK2), E_OK);		/* not sleeping: queued */
	check_ercd(wup_tsk(TASK2), E_QOVR);
	check_ercd(can_wup(TASK2), 1);
	check_ercd(chg_pri(TASK2, 5), E_OK);	/* TASK2 preempts */
	check_point(11);
	check_ercd(get_pri(TASK2, &pri), E_OK); check_assert(pri == 10);
	check_ercd(sus_tsk(TASK2), E_OK);
	check_ercd(get_tst(TASK2, &st), E_OK); check_assert(st == TTS_SUS);
	check_ercd(sus_tsk(TASK2), E_QOVR);
	check_ercd(rsm_tsk(TASK2), E_OK);
	check_ercd(rsm_tsk(TASK2), E_OBJ);
	check_point(12);
	check_ercd(ter_tsk(TASK2), E_OK);
	check_ercd(get_tst(TASK2, &st), E_OK); check_assert(st == TTS_DMT);
	check_ercd(ter_tsk(TSK_SELF), E_ILUSE);
	check_ercd(ter_tsk(TASK1), E_ILUSE);
	check_ercd(ter_tsk(TASK2), E_OBJ);
	check_ercd(rel_wai(TASK2), E_OBJ);
	check_point(13);
	check_ercd(dis_dsp(), E_OK);
	check_assert(sns_dsp() && sns_dpn() && !sns_ctx() && !sns_loc());
	check_ercd(slp_tsk(), E_CTX);
	check_ercd(act_tsk(TASK3), E_OK);		/* dispatch pending */
	check_point(14);
	check_ercd(ena_dsp(), E_OK);			/* TASK3 runs now */
	check_point(16);
	check_ercd(get_lod(10, &load), E_OK); check_assert(load == 1);
	check_ercd(get_nth(10, 0, &tid), E_OK); check_assert(tid == TASK1);
	check_ercd(get_nth(10, 1, &tid), E_OK); check_assert(tid == TSK_NONE);
	check_ercd(get_tid(&tid), E_OK); check_assert(tid == TASK1);
	check_ercd(loc_cpu(), E_OK);
	check_assert(sns_loc());
	check_ercd(act_tsk(TASK3), E_CTX);
	check_ercd(unl_cpu(), E_OK);
	check_ercd(ref_tsk(TSK_SELF, &rtsk), E_OK);
	check_assert(rtsk.tskstat == TTS_RUN && rtsk.tskpri == 10 && rtsk.tskbpri == 10 && !rtsk.raster && !rtsk.dister);
	check_assert(!sns_ker());
	check_finish(17);
}
