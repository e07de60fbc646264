/* ter.c: test of task termination requests: ras_ter with termination disabled (E_RASTER, waits refused) and enabled (immediate), ena_ter terminating, errors. */
#include "kernel.h"
#include "test_lib.h"
#include "kernel_cfg.h"
#include "ter.h"

static int task2_runs;

void task2(EXINF exinf)
{
	T_RTSK r;
	if (++task2_runs == 1) {
		check_point(2);
		check_ercd(dis_ter(), E_OK);
		check_assert(sns_ter());
		check_ercd(slp_tsk(), E_RASTER);		/* released by ras_ter */
		check_point(4);
		check_ercd(ref_tsk(TSK_SELF, &r), E_OK);
		check_assert(r.raster && r.dister);
		check_ercd(slp_tsk(), E_RASTER);
		check_ercd(dly_tsk(1000), E_RASTER);
		check_ercd(ena_ter(), E_OK);			/* terminates here */
		check_point(99);
	} else {
		check_point(6);
		check_ercd(slp_tsk(), E_OK);
		check_point(98);
	}
}

void task1(EXINF exinf)
{
	STAT st;
	check_point(1);
	check_assert(!sns_ter());
	check_ercd(act_tsk(TASK2), E_OK);
	check_point(3);
	check_ercd(ras_ter(TASK2), E_OK);			/* TASK2 has termination disabled */
	check_point(5);
	check_ercd(get_tst(TASK2, &st), E_OK); check_assert(st == TTS_DMT);
	check_ercd(act_tsk(TASK2), E_OK);
	check_point(7);
	check_ercd(ras_ter(TASK2), E_OK);			/* enabled: terminated at once */
	check_ercd(get_tst(TASK2, &st), E_OK); check_assert(st == TTS_DMT);
	check_ercd(ras_ter(TSK_SELF), E_ILUSE);
	check_ercd(ras_ter(TASK1), E_ILUSE);
	check_ercd(ras_ter(TASK2), E_OBJ);
	check_ercd(ras_ter(3), E_ID);
	check_finish(8);
}
