/*
 * sample1.c: the sample application: three worker tasks of different priorities doing periodic
 * work, a cyclic handler that rotates the ready queue, an alarm, a CPU exception handler, and a
 * command loop reading single-letter commands from the console (type 'h' for the list).
 */
#include "kernel.h"
#include "t_syslog.h"
#include "t_stdlib.h"
#include "syssvc/serial.h"
#include "syssvc/syslog.h"
#include "kernel_cfg.h"
#include "sample1.h"

#define SVC(call)	svc_perror(#call, (call))

static ER svc_perror(const char *what, ER ercd)
{
	if (ercd < 0) syslog(LOG_ERROR, "%s failed: %d", what, ercd);
	return ercd;
}

static volatile uint32_t work_count[4];		/* loop iterations per worker task */
static volatile uint32_t cyc_count, alm_count;
static volatile uint32_t checksum;

/* Worker: some computation, a report every 4th round, then wait for its period. */
void task(EXINF exinf)
{
	int_t n = (int_t) exinf;
	RELTIM period = 500000U * (RELTIM) n;		/* 0.5 s, 1 s, 1.5 s */
	syslog(LOG_NOTICE, "task%d is activated.", n);
	for (;;) {
		for (uint32_t i = 0; i < 20000U; i++) checksum = checksum * 31U + i + (uint32_t) n;
		work_count[n]++;
		if ((work_count[n] & 3U) == 0U) {
			PRI pri = 0;
			(void) get_pri(TSK_SELF, &pri);
			syslog(LOG_INFO, "task%d is running (%u rounds, priority %d).", n, work_count[n], pri);
		}
		ER ercd = dly_tsk(period);
		if (ercd == E_RLWAI) syslog(LOG_NOTICE, "task%d: delay released (rel_wai).", n);
		else if (ercd == E_RASTER) { syslog(LOG_NOTICE, "task%d: termination requested, exiting.", n); (void) ext_tsk(); }
	}
}

/* Cyclic handler: count and rotate the mid-priority ready queue (round-robin among equals). */
void cyclic_handler(EXINF exinf)
{
	(void) exinf;
	cyc_count++;
	(void) rot_rdq(MID_PRIORITY);
	syslog(LOG_INFO, "cyclic handler: round %u.", cyc_count);
}

void alarm_handler(EXINF exinf)
{
	(void) exinf;
	alm_count++;
	syslog(LOG_NOTICE, "alarm handler: fired (%u), waking task1.", alm_count);
	(void) wup_tsk(TASK1);
}

/* #UD handler: report and resume after the 2-byte ud2 instruction. */
void cpuexc_handler(void *p_excinf)
{
	T_EXCINF *e = (T_EXCINF *) p_excinf;
	syslog(LOG_NOTICE, "CPU exception handler: vector %u at 0x%08x, xsns_dpn=%d, sns_ctx=%d.",
		e->frame->vector, e->frame->eip, xsns_dpn(p_excinf), sns_ctx());
	e->frame->eip += 2U;
}

static void help(void)
{
	syslog(LOG_NOTICE, "Commands (worker selected with 1/2/3):");
	syslog(LOG_NOTICE, "  a act_tsk   A can_act   t ter_tsk   x ras_ter   u sus_tsk   m rsm_tsk");
	syslog(LOG_NOTICE, "  w wup_tsk   W can_wup   l rel_wai   > raise prio  = initial prio  < lower prio");
	syslog(LOG_NOTICE, "  g get_pri   r ref_tsk (all)   s statistics   c/C sta_cyc/stp_cyc   b/B sta_alm/stp_alm");
	syslog(LOG_NOTICE, "  v fch_hrt/get_tim   z CPU exception (ud2)   d dis_dsp+ena_dsp   q ext_ker   h help");
}

static void statistics(void)
{
	SYSTIM now;
	(void) get_tim(&now);
	syslog(LOG_NOTICE, "time %llu us, rounds: task1 %u task2 %u task3 %u, cyclic %u, alarm %u, checksum 0x%08x",
		now, work_count[1], work_count[2], work_count[3], cyc_count, alm_count, checksum);
}

static void report_tasks(void)
{
	static const char *const names[] = { "?", "TASK1", "TASK2", "TASK3", "MAIN" };
	for (ID id = TASK1; id <= MAIN_TASK; id++) {
		T_RTSK r;
		if (SVC(ref_tsk(id, &r)) != E_OK) continue;
		syslog(LOG_NOTICE, "%-6s state 0x%02x pri %d base %d wait 0x%x lefttmo %d actcnt %u wupcnt %u raster %d dister %d",
			names[id], r.tskstat, r.tskpri, r.tskbpri, r.tskwait, (int) r.lefttmo, r.actcnt, r.wupcnt, r.raster, r.dister);
	}
}

void main_task(EXINF exinf)
{
	(void) exinf;
	char c;
	ID tskid = TASK1;
	int_t tskno = 1;

	syslog(LOG_NOTICE, "Sample program starts (exinf = %d).", (int_t) exinf);
	SVC(serial_opn_por(TASK_PORTID));
	SVC(serial_ctl_por(TASK_PORTID, IOCTL_CRLF));
	SVC(act_tsk(TASK1));
	SVC(act_tsk(TASK2));
	SVC(act_tsk(TASK3));
	SVC(sta_cyc(CYCHDR1));
	help();

	for (;;) {
		if (serial_rea_dat(TASK_PORTID, &c, 1) <= 0) continue;
		switch (c) {
		case '1': case '2': case '3':
			tskno = c - '0'; tskid = TASK1 + (tskno - 1);
			syslog(LOG_NOTICE, "selected task%d.", tskno);
			break;
		case 'a': syslog(LOG_NOTICE, "act_tsk(%d) = %d", tskno, act_tsk(tskid)); break;
		case 'A': syslog(LOG_NOTICE, "can_act(%d) = %d", tskno, can_act(tskid)); break;
		case 't': syslog(LOG_NOTICE, "ter_tsk(%d) = %d", tskno, ter_tsk(tskid)); break;
		case 'x': syslog(LOG_NOTICE, "ras_ter(%d) = %d", tskno, ras_ter(tskid)); break;
		case 'u': syslog(LOG_NOTICE, "sus_tsk(%d) = %d", tskno, sus_tsk(tskid)); break;
		case 'm': syslog(LOG_NOTICE, "rsm_tsk(%d) = %d", tskno, rsm_tsk(tskid)); break;
		case 'w': syslog(LOG_NOTICE, "wup_tsk(%d) = %d", tskno, wup_tsk(tskid)); break;
		case 'W': syslog(LOG_NOTICE, "can_wup(%d) = %d", tskno, can_wup(tskid)); break;
		case 'l': syslog(LOG_NOTICE, "rel_wai(%d) = %d", tskno, rel_wai(tskid)); break;
		case '>': syslog(LOG_NOTICE, "chg_pri(%d, HIGH) = %d", tskno, chg_pri(tskid, HIGH_PRIORITY)); break;
		case '=': syslog(LOG_NOTICE, "chg_pri(%d, TPRI_INI) = %d", tskno, chg_pri(tskid, TPRI_INI)); break;
		case '<': syslog(LOG_NOTICE, "chg_pri(%d, LOW) = %d", tskno, chg_pri(tskid, LOW_PRIORITY + 2)); break;
		case 'g': { PRI p = 0; ER e = get_pri(tskid, &p); syslog(LOG_NOTICE, "get_pri(%d) = %d, priority %d", tskno, e, p); break; }
		case 'r': report_tasks(); break;
		case 's': statistics(); break;
		case 'c': syslog(LOG_NOTICE, "sta_cyc = %d", sta_cyc(CYCHDR1)); break;
		case 'C': syslog(LOG_NOTICE, "stp_cyc = %d", stp_cyc(CYCHDR1)); break;
		case 'b': syslog(LOG_NOTICE, "sta_alm(5 s) = %d", sta_alm(ALMHDR1, ALM_TIME)); break;
		case 'B': syslog(LOG_NOTICE, "stp_alm = %d", stp_alm(ALMHDR1)); break;
		case 'v': {
			HRTCNT h1 = fch_hrt(), h2 = fch_hrt();
			SYSTIM t; (void) get_tim(&t);
			syslog(LOG_NOTICE, "fch_hrt = %u, %u; get_tim = %llu", h1, h2, t);
			break;
		}
		case 'z':
			syslog(LOG_NOTICE, "raising a CPU exception (ud2)...");
			__asm__ volatile("ud2");
			syslog(LOG_NOTICE, "returned from the CPU exception handler.");
			break;
		case 'd':
			SVC(dis_dsp());
			syslog(LOG_NOTICE, "dispatch disabled: sns_dsp=%d sns_dpn=%d", sns_dsp(), sns_dpn());
			SVC(ena_dsp());
			break;
		case 'q':
			syslog(LOG_NOTICE, "Sample program ends.");
			SVC(ext_ker());
			break;
		case 'h': case '?': help(); break;
		case '\r': case '\n': break;
		default: syslog(LOG_NOTICE, "unknown command '%c' (h for help)", c); break;
		}
	}
}
