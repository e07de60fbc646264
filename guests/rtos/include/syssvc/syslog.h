/* syssvc/syslog.h: system log service (spec: system log function): masks and log output to the console. */
#ifndef TOPPERS_SYSLOG_H
#define TOPPERS_SYSLOG_H

#include "t_syslog.h"

#ifndef TOPPERS_MACRO_ONLY
typedef struct t_syslog_rlog {
	uint_t	count;		/* entries in the log buffer (always 0: lines are written at once) */
	uint_t	lost;		/* lost entries */
	uint_t	logmask;	/* priorities recorded in the buffer */
	uint_t	lowmask;	/* priorities written to the console at once */
} T_SYSLOG_RLOG;

extern void syslog_initialize(EXINF exinf);
extern ER syslog_rea_log(SYSLOG *p_syslog);
extern ER syslog_msk_log(uint_t logmask, uint_t lowmask);
extern ER syslog_ref_log(T_SYSLOG_RLOG *pk_rlog);
extern ER syslog_fls_log(void);
#endif

#endif
