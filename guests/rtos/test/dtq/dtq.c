/* dtq.c: test of data queues and priority data queues: FIFO, direct hand-over, capacity 0, fsnd_dtq, send waiting, priority order, timeouts, ini_dtq, ini_pdq. */
#include "kernel.h"
#include "test_lib.h"
#include "kernel_cfg.h"
#include "dtq.h"

void task2(EXINF exinf)
{
	intptr_t d;
	check_point(3);
	check_ercd(rcv_dtq(DTQ1, &d), E_OK);
	check_point(5);
	check_assert(d == 10);
	check_ercd(rcv_dtq(DTQ2, &d), E_OK);
	check_point(7);
	check_assert(d == 20);
	check_ercd(snd_dtq(DTQ2, 30), E_OK);		/* waits for a receiver */
	check_point(9);
	check_ercd(snd_dtq(DTQ1, 1), E_OK);
	check_ercd(snd_dtq(DTQ1, 2), E_OK);
	check_ercd(snd_dtq(DTQ1, 3), E_OK);			/* full: waits */
	check_point(11);
	check_ercd(slp_tsk(), E_OK);
	check_ercd(rcv_dtq(DTQ1, &d), E_DLT);
	check_point(14);
	ext_tsk();
}

void task1(EXINF exinf)
{
	intptr_t d; PRI dp; T_RDTQ r; T_RPDQ rp;
	check_point(1);
	check_ercd(psnd_dtq(DTQ1, 1), E_OK);
	check_ercd(psnd_dtq(DTQ1, 2), E_OK);
	check_ercd(psnd_dtq(DTQ1, 3), E_TMOUT);
	check_ercd(fsnd_dtq(DTQ1, 3), E_OK);		/* drops 1 */
	check_ercd(ref_dtq(DTQ1, &r), E_OK);
	check_assert(r.sdtqcnt == 2);
	check_ercd(prcv_dtq(DTQ1, &d), E_OK); check_assert(d == 2);
	check_ercd(prcv_dtq(DTQ1, &d), E_OK); check_assert(d == 3);
	check_ercd(prcv_dtq(DTQ1, &d), E_TMOUT);
	check_ercd(fsnd_dtq(DTQ2, 1), E_ILUSE);
	check_ercd(snd_dtq(3, 1), E_ID);
	check_point(2);
	check_ercd(act_tsk(TASK2), E_OK);
	check_point(4);
	check_ercd(snd_dtq(DTQ1, 10), E_OK);
	check_point(6);
	check_ercd(snd_dtq(DTQ2, 20), E_OK);
	check_point(8);
	check_ercd(ref_dtq(DTQ2, &r), E_OK);
	check_assert(r.stskid == TASK2 && r.rtskid == TSK_NONE);
	check_ercd(rcv_dtq(DTQ2, &d), E_OK);		/* TASK2 released, preempts */
	check_assert(d == 30);
	check_point(10);
	check_ercd(rcv_dtq(DTQ1, &d), E_OK);		/* TASK2's 3 enters, TASK2 preempts */
	check_assert(d == 1);
	check_point(12);
	check_ercd(rcv_dtq(DTQ1, &d), E_OK); check_assert(d == 2);
	check_ercd(rcv_dtq(DTQ1, &d), E_OK); check_assert(d == 3);
	/* priority data queue */
	check_ercd(psnd_pdq(PDQ1, 100, 5), E_OK);
	check_ercd(psnd_pdq(PDQ1, 200, 1), E_OK);
	check_ercd(psnd_pdq(PDQ1, 300, 5), E_OK);
	check_ercd(psnd_pdq(PDQ1, 400, 2), E_TMOUT);
	check_ercd(psnd_pdq(PDQ1, 400, 9), E_PAR);
	check_ercd(psnd_pdq(PDQ1, 400, 0), E_PAR);
	check_ercd(ref_pdq(PDQ1, &rp), E_OK);
	check_assert(rp.spdqcnt == 3);
	check_ercd(prcv_pdq(PDQ1, &d, &dp), E_OK); check_assert(d == 200 && dp == 1);
	check_ercd(prcv_pdq(PDQ1, &d, &dp), E_OK); check_assert(d == 100 && dp == 5);
	check_ercd(prcv_pdq(PDQ1, &d, &dp), E_OK); check_assert(d == 300 && dp == 5);
	check_ercd(trcv_pdq(PDQ1, &d, &dp, 1000), E_TMOUT);
	/* the timed and waiting forms without a partner task */
	check_ercd(tsnd_dtq(DTQ1, 7, 1000), E_OK);		/* room: no wait */
	check_ercd(trcv_dtq(DTQ1, &d, 1000), E_OK); check_assert(d == 7);
	check_ercd(trcv_dtq(DTQ1, &d, 1000), E_TMOUT);		/* empty: times out */
	check_ercd(tsnd_dtq(DTQ2, 7, 1000), E_TMOUT);		/* capacity 0, no receiver */
	check_ercd(snd_pdq(PDQ1, 11, 3), E_OK);
	check_ercd(tsnd_pdq(PDQ1, 12, 2, 1000), E_OK);
	check_ercd(psnd_pdq(PDQ1, 13, 4), E_OK);		/* now full (capacity 3) */
	check_ercd(tsnd_pdq(PDQ1, 14, 1, 1000), E_TMOUT);
	check_ercd(rcv_pdq(PDQ1, &d, &dp), E_OK); check_assert(d == 12 && dp == 2);
	check_ercd(ini_pdq(PDQ1), E_OK);
	check_ercd(ref_pdq(PDQ1, &rp), E_OK); check_assert(rp.spdqcnt == 0);
	check_point(13);
	check_ercd(wup_tsk(TASK2), E_OK);			/* TASK2 waits on DTQ1 */
	check_ercd(ini_dtq(DTQ1), E_OK);
	check_finish(15);
}
