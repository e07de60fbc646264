/* t_syslog.h: system log priorities, types and the syslog() interface (spec: system log). */
#ifndef TOPPERS_T_SYSLOG_H
#define TOPPERS_T_SYSLOG_H

#include "t_stddef.h"

/* Log types */
#define LOG_TYPE_COMMENT	UINT_C(0x01)
#define LOG_TYPE_ASSERT		UINT_C(0x02)
#define LOG_TYPE_INH		UINT_C(0x11)
#define LOG_TYPE_ISR		UINT_C(0x12)
#define LOG_TYPE_CYC		UINT_C(0x13)
#define LOG_TYPE_ALM		UINT_C(0x14)
#define LOG_TYPE_EXC		UINT_C(0x16)
#define LOG_TYPE_TSKSTAT	UINT_C(0x21)
#define LOG_TYPE_DSP		UINT_C(0x31)
#define LOG_TYPE_SVC		UINT_C(0x41)
#define LOG_ENTER			UINT_C(0x00)
#define LOG_LEAVE			UINT_C(0x80)

/* Log priorities */
#define LOG_EMERG		UINT_C(0)
#define LOG_ALERT		UINT_C(1)
#define LOG_CRIT		UINT_C(2)
#define LOG_ERROR		UINT_C(3)
#define LOG_WARNING		UINT_C(4)
#define LOG_NOTICE		UINT_C(5)
#define LOG_INFO		UINT_C(6)
#define LOG_DEBUG		UINT_C(7)

#define LOG_MASK(prio)	(1U << (prio))
#define LOG_UPTO(prio)	((1U << ((prio) + 1)) - 1)

#define TMAX_LOGINFO	6

#ifndef TOPPERS_MACRO_ONLY
typedef intptr_t LOGPAR;
typedef struct {
	uint_t	logtype;
	HRTCNT	logtim;
	LOGPAR	logpar[TMAX_LOGINFO];
} SYSLOG;

/*
 * syslog(prio, format, ...): formats immediately and writes one line to the console. Conversions:
 * %d %i %u %x %X %o %c %s %p %%, flags '-' '0' '+' ' ', field width (or *), and size modifiers
 * hh h l (32-bit on i386) ll j (64-bit) z t.
 */
extern void syslog(uint_t prio, const char *format, ...) __attribute__((format(printf, 2, 3)));
extern ER syslog_wri_log(uint_t prio, const SYSLOG *p_syslog);
extern void syslog_print(const SYSLOG *p_syslog, void (*putc)(char));
extern void syslog_printf(const char *format, const LOGPAR *p_args, void (*putc)(char));
#endif

#define syslog_0(prio, format)							syslog(prio, format)
#define syslog_1(prio, format, a1)						syslog(prio, format, a1)
#define syslog_2(prio, format, a1, a2)					syslog(prio, format, a1, a2)
#define syslog_3(prio, format, a1, a2, a3)				syslog(prio, format, a1, a2, a3)
#define syslog_4(prio, format, a1, a2, a3, a4)			syslog(prio, format, a1, a2, a3, a4)
#define syslog_5(prio, format, a1, a2, a3, a4, a5)		syslog(prio, format, a1, a2, a3, a4, a5)

#endif /* TOPPERS_T_SYSLOG_H */
