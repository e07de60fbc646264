/* mpf.c: test of fixed-size memory pools: allocation, exhaustion, bad release (E_PAR), waiting hand-over, timeout, ini_mpf. */
#include "kernel.h"
#include "test_lib.h"
#include "kernel_cfg.h"
#include "mpf.h"

static void *b1, *b2;

void task2(EXINF exinf)
{
	void *b;
	check_point(2);
	check_ercd(get_mpf(MPF1, &b), E_OK);
	check_point(3);
	check_assert(b == b1);
	check_ercd(rel_mpf(MPF1, b), E_OK);
	ext_tsk();
}

void task1(EXINF exinf)
{
	void *b; T_RMPF r;
	check_point(1);
	check_ercd(pget_mpf(MPF1, &b1), E_OK);
	check_ercd(pget_mpf(MPF1, &b2), E_OK);
	check_assert(b1 != b2 && ((uintptr_t) b1 & 3) == 0);
	*(volatile uint32_t *) b1 = 0x12345678;
	check_ercd(pget_mpf(MPF1, &b), E_TMOUT);
	check_ercd(ref_mpf(MPF1, &r), E_OK);
	check_assert(r.fblkcnt == 0 && r.wtskid == TSK_NONE);
	check_ercd(rel_mpf(MPF1, (char *) b1 + 1), E_PAR);
	check_ercd(act_tsk(TASK2), E_OK);
	check_ercd(rel_mpf(MPF1, b1), E_OK);			/* handed to TASK2 */
	check_point(4);
	check_ercd(rel_mpf(MPF1, b1), E_PAR);			/* already free */
	check_ercd(rel_mpf(MPF1, b2), E_OK);
	check_ercd(ref_mpf(MPF1, &r), E_OK);
	check_assert(r.fblkcnt == 2);
	check_ercd(tget_mpf(MPF1, &b, 1000), E_OK);
	check_ercd(ini_mpf(MPF1), E_OK);
	check_ercd(ref_mpf(MPF1, &r), E_OK);
	check_assert(r.fblkcnt == 2);
	check_ercd(get_mpf(2, &b), E_ID);
	check_finish(5);
}
