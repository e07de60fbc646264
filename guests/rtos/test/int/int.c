/* int.c: test of interrupts: ISR chaining by priority, nesting of a higher-priority interrupt, the IPM, dis_int/ena_int/clr_int/prb_int, dispatch on return from an interrupt, CPU exceptions. */
#include "kernel.h"
#include "test_lib.h"
#include "kernel_cfg.h"
#include "int.h"

static volatile int phase;

void isr2(EXINF exinf)
{
	check_assert(exinf == 2 && sns_ctx());
	if (phase == 0) check_point(2);
	else if (phase == 1) check_point(8);
	else if (phase == 2) check_point(12);
}

void isr1(EXINF exinf)
{
	PRI ipm;
	check_assert(exinf == 1);
	if (phase == 0) {
		check_point(3);
		check_ercd(get_ipm(&ipm), E_CTX);
		check_ercd(ras_int(10), E_OK);		/* higher priority: nests at once */
		check_point(5);
	} else if (phase == 1) {
		check_point(9);
	} else if (phase == 2) {
		check_point(13);
		check_ercd(act_tsk(TASK2), E_OK);	/* dispatched on return from the interrupt */
		check_point(14);
	}
}

void inthdr10(void)
{
	check_assert(sns_ctx());
	if (phase == 0) check_point(4);
}

void exc_handler(void *p_excinf)
{
	T_EXCINF *e = (T_EXCINF *) p_excinf;
	check_point(17);
	check_assert(e->frame->vector == EXCNO_UD && !xsns_dpn(p_excinf) && sns_ctx());
	e->frame->eip += 2;					/* skip ud2 */
}

void task2(EXINF exinf)
{
	check_point(15);
	ext_tsk();
}

void task1(EXINF exinf)
{
	PRI ipm;
	check_point(1);
	check_ercd(ras_int(5), E_OK);			/* ISR2 (isrpri 1) before ISR1 (isrpri 2) */
	check_point(6);
	phase = 1;
	check_ercd(chg_ipm(-2), E_OK);			/* masks IRQ 5 */
	check_ercd(get_ipm(&ipm), E_OK); check_assert(ipm == -2);
	check_ercd(ras_int(5), E_OK);			/* stays pending */
	check_assert(prb_int(5) == true);
	check_point(7);
	check_ercd(chg_ipm(TIPM_ENAALL), E_OK);	/* delivered now */
	check_point(10);
	check_assert(prb_int(5) == false);
	check_ercd(dis_int(5), E_OK);
	check_ercd(ras_int(5), E_OK);
	check_point(11);
	phase = 2;
	check_ercd(ena_int(5), E_OK);			/* delivered now */
	check_point(16);
	phase = 3;
	check_ercd(dis_int(5), E_OK);
	check_ercd(ras_int(5), E_OK);
	check_ercd(clr_int(5), E_OK);
	check_ercd(ena_int(5), E_OK);			/* nothing left to deliver */
	check_ercd(dis_int(2), E_PAR);
	check_ercd(dis_int(6), E_OBJ);
	check_ercd(ras_int(16), E_PAR);
	check_ercd(chg_ipm(-16), E_PAR);
	check_ercd(chg_ipm(1), E_PAR);
	check_ercd(loc_cpu(), E_OK);
	check_ercd(ras_int(5), E_CTX);
	check_ercd(unl_cpu(), E_OK);
	__asm__ volatile("ud2");
	check_finish(18);
}
