/* syslog.c: system log service writing each log line to the console UART at once (no log task). */
#include "kernel/kernel_impl.h"
#include "syssvc/syslog.h"
#include "target_serial.h"
#include <stdarg.h>

extern int _toppers_format(void (*out)(char, void *), void *ctx, const char *fmt, va_list ap);

static uint_t syslog_logmask = 0xffU;	/* default: every priority is printed */
static uint_t syslog_lowmask = 0xffU;
static uint_t syslog_lost;

static void put(char c, void *ctx) { (void) ctx; target_fput_log(c); }

void syslog_initialize(EXINF exinf)
{
	(void) exinf;
	syslog_logmask = 0xffU;
	syslog_lowmask = 0xffU;
	syslog_lost = 0;
}

/* One whole line with interrupts locked, so lines from different contexts never interleave. */
void syslog(uint_t prio, const char *format, ...)
{
	if (prio > LOG_DEBUG || !(((syslog_logmask | syslog_lowmask) >> prio) & 1U)) return;
	va_list ap;
	va_start(ap, format);
	uint32_t fl = x86_eflags();
	x86_cli();
	_toppers_format(put, NULL, format, ap);
	target_fput_log('\n');
	if (fl & X86_EFLAGS_IF) x86_sti();
	va_end(ap);
}

void syslog_printf(const char *format, const LOGPAR *p_args, void (*putc)(char))
{
	/* LOGPAR arguments are machine words: print them through the formatter word by word */
	for (const char *f = format; *f; f++) {
		if (*f != '%') { putc(*f); continue; }
		char spec[16]; uint_t k = 0;
		spec[k++] = *f++;
		while (*f && k < sizeof(spec) - 2 && !(*f == 'd' || *f == 'u' || *f == 'x' || *f == 'X' || *f == 'c' || *f == 's' || *f == 'p' || *f == 'o' || *f == '%')) spec[k++] = *f++;
		if (!*f) break;
		spec[k++] = *f; spec[k] = '\0';
		char out[64];
		if (*f == '%') { putc('%'); continue; }
		extern int snprintf(char *, size_t, const char *, ...);
		snprintf(out, sizeof(out), spec, (*f == 's') ? (intptr_t) *p_args : *p_args);
		p_args++;
		for (char *o = out; *o; o++) putc(*o);
	}
}

void syslog_print(const SYSLOG *p_syslog, void (*putc)(char))
{
	if (p_syslog->logtype == LOG_TYPE_COMMENT) syslog_printf((const char *) p_syslog->logpar[0], &p_syslog->logpar[1], putc);
}

ER syslog_wri_log(uint_t prio, const SYSLOG *p_syslog)
{
	if (prio > LOG_DEBUG || !(((syslog_logmask | syslog_lowmask) >> prio) & 1U)) return E_OK;
	uint32_t fl = x86_eflags();
	x86_cli();
	syslog_print(p_syslog, target_fput_log);
	target_fput_log('\n');
	if (fl & X86_EFLAGS_IF) x86_sti();
	return E_OK;
}

ER syslog_rea_log(SYSLOG *p_syslog) { (void) p_syslog; return 0; }	/* nothing is buffered */

ER syslog_msk_log(uint_t logmask, uint_t lowmask)
{
	syslog_logmask = logmask;
	syslog_lowmask = lowmask;
	return E_OK;
}

ER syslog_ref_log(T_SYSLOG_RLOG *pk_rlog)
{
	pk_rlog->count = 0; pk_rlog->lost = syslog_lost;
	pk_rlog->logmask = syslog_logmask; pk_rlog->lowmask = syslog_lowmask;
	return E_OK;
}

ER syslog_fls_log(void) { return E_OK; }
