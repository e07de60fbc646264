/* time.c: test of time management: dly_tsk and timeouts against get_tim, fch_hrt, cyclic and alarm notifications with every notification mode, set_tim/adj_tim. */
#include "kernel.h"
#include "test_lib.h"
#include "kernel_cfg.h"
#include "time.h"

intptr_t var, err, cnt;
static volatile uint_t cyc_count, alm_count;

void cyc_handler(EXINF exinf) { check_assert(exinf == 7 && sns_ctx()); cyc_count++; }
void alm_handler(EXINF exinf) { check_assert(exinf == 8); alm_count++; }

void task2(EXINF exinf)
{
	check_point(5);
	ext_tsk();
}

void task1(EXINF exinf)
{
	SYSTIM t0, t1; HRTCNT h0, h1; T_RCYC rc; T_RALM ra; intptr_t d; FLGPTN p;
	check_point(1);
	check_ercd(get_tim(&t0), E_OK);
	check_ercd(dly_tsk(10000), E_OK);
	check_ercd(get_tim(&t1), E_OK);
	check_assert(t1 - t0 >= 10000 && t1 - t0 <= 12000);		/* tick: ~1 ms */
	check_ercd(tslp_tsk(5000), E_TMOUT);
	check_ercd(get_tim(&t0), E_OK);
	check_assert(t0 - t1 >= 5000 && t0 - t1 <= 7000);
	h0 = fch_hrt(); h1 = fch_hrt();
	check_assert(h1 >= h0 && h1 - h0 < 1000);
	check_ercd(dly_tsk(TMAX_RELTIM + 1U), E_PAR);
	check_ercd(tslp_tsk(TMO_POL), E_TMOUT);
	check_point(2);
	/* cyclic: period 10 ms, phase 0 */
	check_ercd(sta_cyc(CYC1), E_OK);
	check_ercd(dly_tsk(55000), E_OK);
	check_ercd(stp_cyc(CYC1), E_OK);
	check_assert(cyc_count >= 5 && cyc_count <= 6);
	check_ercd(ref_cyc(CYC1, &rc), E_OK);
	check_assert(rc.cycstat == TCYC_STP);
	check_point(3);
	/* alarm: stopped before it fires, then fires once */
	check_ercd(sta_alm(ALM1, 20000), E_OK);
	check_ercd(ref_alm(ALM1, &ra), E_OK);
	check_assert(ra.almstat == TALM_STA && ra.lefttim <= 20000 && ra.lefttim > 15000);
	check_ercd(stp_alm(ALM1), E_OK);
	check_ercd(sta_alm(ALM1, 1000), E_OK);
	check_ercd(dly_tsk(5000), E_OK);
	check_assert(alm_count == 1);
	check_ercd(sta_alm(9, 1000), E_ID);
	check_point(4);
	/* notification modes */
	check_ercd(sta_alm(ALM2, 1000), E_OK);		/* activates TASK2 */
	check_ercd(dly_tsk(3000), E_OK);
	check_point(6);
	check_ercd(sta_alm(ALM3, 1000), E_OK);
	check_ercd(sta_alm(ALM4, 1000), E_OK);		/* TASK3 dormant: E_OBJ stored in err */
	check_ercd(sta_alm(ALM8, 1000), E_OK);
	check_ercd(dly_tsk(3000), E_OK);
	check_assert(var == 42 && err == E_OBJ && cnt == 1);
	check_ercd(sta_alm(ALM5, 1000), E_OK);
	check_ercd(wai_sem(SEM1), E_OK);
	check_ercd(sta_alm(ALM6, 1000), E_OK);
	check_ercd(wai_flg(FLG1, 0x4, TWF_ORW, &p), E_OK);
	check_assert(p == 0x5);
	check_ercd(sta_alm(ALM7, 1000), E_OK);
	check_ercd(rcv_dtq(DTQ1, &d), E_OK);
	check_assert(d == 77);
	check_point(7);
	/* system time */
	check_ercd(set_tim(1000000000ULL), E_OK);
	check_ercd(get_tim(&t0), E_OK);
	check_assert(t0 >= 1000000000ULL && t0 < 1000001000ULL);
	check_ercd(adj_tim(2000000), E_PAR);
	check_ercd(adj_tim(500000), E_OK);
	check_ercd(get_tim(&t1), E_OK);
	check_assert(t1 >= t0 + 500000);
	check_finish(8);
}
