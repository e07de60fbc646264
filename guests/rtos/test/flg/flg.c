/* flg.c: test of eventflags: AND/OR waits, TA_WMUL, TA_CLR, E_ILUSE for a second waiter, timeout, clr_flg, ini_flg. */
#include "kernel.h"
#include "test_lib.h"
#include "kernel_cfg.h"
#include "flg.h"

static int task3_runs;

void task3(EXINF exinf)
{
	FLGPTN p;
	if (++task3_runs == 1) {
		check_point(4);
		check_ercd(wai_flg(FLG1, 0x4, TWF_ORW, &p), E_OK);
		check_point(6);
		check_assert(p == 0x5);
	} else {
		check_ercd(wai_flg(FLG2, 0x1, TWF_ORW, &p), E_ILUSE);
		check_point(10);
	}
	ext_tsk();
}

void task2(EXINF exinf)
{
	FLGPTN p; T_RFLG r;
	check_point(3);
	check_ercd(wai_flg(FLG1, 0x3, TWF_ANDW, &p), E_OK);
	check_point(8);
	check_assert(p == 0x7);
	check_ercd(wai_flg(FLG2, 0x1, TWF_ORW, &p), E_OK);
	check_point(11);
	check_assert(p == 0x3);
	check_ercd(ref_flg(FLG2, &r), E_OK);
	check_assert(r.flgptn == 0);			/* TA_CLR */
	check_ercd(twai_flg(FLG2, 0x1, TWF_ORW, &p, 20000), E_TMOUT);
	check_point(13);
	ext_tsk();
}

void task1(EXINF exinf)
{
	FLGPTN p; T_RFLG r;
	check_point(1);
	check_ercd(wai_flg(FLG1, 0, TWF_ORW, &p), E_PAR);
	check_ercd(wai_flg(FLG1, 1, 3, &p), E_PAR);
	check_ercd(pol_flg(FLG1, 1, TWF_ORW, &p), E_TMOUT);
	check_ercd(pol_flg(FLG3, 1, TWF_ANDW, &p), E_OK);
	check_assert(p == 0x1);
	check_ercd(set_flg(4, 1), E_ID);
	check_point(2);
	check_ercd(act_tsk(TASK2), E_OK);
	check_ercd(act_tsk(TASK3), E_OK);
	check_point(5);
	check_ercd(set_flg(FLG1, 0x1), E_OK);
	check_ercd(set_flg(FLG1, 0x4), E_OK);		/* TASK3 released */
	check_point(7);
	check_ercd(set_flg(FLG1, 0x2), E_OK);		/* TASK2 released */
	check_point(9);
	check_ercd(ref_flg(FLG2, &r), E_OK);
	check_assert(r.wtskid == TASK2);
	check_ercd(act_tsk(TASK3), E_OK);
	check_ercd(set_flg(FLG2, 0x3), E_OK);
	check_point(12);
	check_ercd(dly_tsk(30000), E_OK);
	check_point(14);
	check_ercd(ref_flg(FLG1, &r), E_OK);
	check_assert(r.flgptn == 0x7);
	check_ercd(clr_flg(FLG1, 0x1), E_OK);		/* keeps only the bits set in clrptn */
	check_ercd(ref_flg(FLG1, &r), E_OK);
	check_assert(r.flgptn == 0x1);
	check_ercd(ini_flg(FLG3), E_OK);
	check_ercd(ref_flg(FLG3, &r), E_OK);
	check_assert(r.flgptn == 0x1 && r.wtskid == TSK_NONE);
	check_finish(15);
}
