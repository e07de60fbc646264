/* interrupt.c: interrupt management (spec: interrupt management; CFG_INT, DEF_INH, CRE_ISR) and CPU exception handler tables. */
#include "kernel/kernel_impl.h"

extern void _kernel_config_int(INTNO intno, ATR intatr, PRI intpri);
extern void _kernel_disable_int(INTNO intno);
extern void _kernel_enable_int(INTNO intno);
extern bool_t _kernel_probe_int(INTNO intno);
extern void _kernel_clear_int(INTNO intno);
extern void _kernel_raise_int(INTNO intno);

INTHDR _kernel_inh_table[TNUM_INTNO];
EXCHDR _kernel_exc_table[TNUM_EXCNO];

/* ISRs sorted by (intno, isrpri, definition order); isr_first[intno]..+isr_count[intno]. */
#define TMAX_ISR	64
static const ISRINIB *isr_sorted[TMAX_ISR];
static uint8_t isr_first[TNUM_INTNO], isr_count[TNUM_INTNO];

static void call_isrs(uint_t intno)
{
	for (uint_t i = 0; i < isr_count[intno]; i++) {
		const ISRINIB *r = isr_sorted[isr_first[intno] + i];
		(*r->isr)(r->exinf);
		if (t_sense_lock()) t_unlock_cpu();		/* an ISR that left the CPU locked (spec) */
	}
}

#define ISR_CALLER(n) static void isr_caller_##n(void) { call_isrs(n); }
ISR_CALLER(0) ISR_CALLER(1) ISR_CALLER(2) ISR_CALLER(3) ISR_CALLER(4) ISR_CALLER(5) ISR_CALLER(6) ISR_CALLER(7)
ISR_CALLER(8) ISR_CALLER(9) ISR_CALLER(10) ISR_CALLER(11) ISR_CALLER(12) ISR_CALLER(13) ISR_CALLER(14) ISR_CALLER(15)
static const INTHDR isr_callers[TNUM_INTNO] = {
	isr_caller_0, isr_caller_1, isr_caller_2, isr_caller_3, isr_caller_4, isr_caller_5, isr_caller_6, isr_caller_7,
	isr_caller_8, isr_caller_9, isr_caller_10, isr_caller_11, isr_caller_12, isr_caller_13, isr_caller_14, isr_caller_15,
};

void _kernel_initialize_interrupt(void)
{
	for (uint_t i = 0; i < _kernel_tnum_cfg_int; i++) {
		const INTINIB *p = &_kernel_intinib_table[i];
		if (!VALID_INTNO(p->intno)) _kernel_panic("CFG_INT: bad intno", (intptr_t) p->intno);
		if (_kernel_intno_configured(p->intno)) _kernel_panic("CFG_INT: configured twice, intno", (intptr_t) p->intno);
		if (p->intatr & ~TARGET_INTATR) _kernel_panic("CFG_INT: reserved attribute, intno", (intptr_t) p->intno);
		if (p->intpri < TMIN_INTPRI || p->intpri > TMAX_INTPRI) _kernel_panic("CFG_INT: bad intpri, intno", (intptr_t) p->intno);
		_kernel_config_int(p->intno, p->intatr, p->intpri);
	}
	for (uint_t i = 0; i < _kernel_tnum_def_inh; i++) {
		const INHINIB *p = &_kernel_inhinib_table[i];
		if (!VALID_INTNO(p->inhno) || !_kernel_intno_configured(p->inhno)) _kernel_panic("DEF_INH: bad or unconfigured inhno", (intptr_t) p->inhno);
		if (_kernel_inh_table[p->inhno] != NULL) _kernel_panic("DEF_INH: defined twice, inhno", (intptr_t) p->inhno);
		_kernel_inh_table[p->inhno] = p->inthdr;
	}
	uint_t n = _kernel_tnum_isr;
	if (n > TMAX_ISR) _kernel_panic("CRE_ISR: too many ISRs", (intptr_t) n);
	uint_t k = 0;
	for (uint_t intno = 0; intno < TNUM_INTNO; intno++) {
		isr_first[intno] = (uint8_t) k;
		for (PRI pri = TMIN_ISRPRI; pri <= TMAX_ISRPRI; pri++) {
			for (uint_t i = 0; i < n; i++) {
				const ISRINIB *r = &_kernel_isrinib_table[i];
				if (r->intno == intno && r->isrpri == pri) isr_sorted[k++] = r;
			}
		}
		isr_count[intno] = (uint8_t)(k - isr_first[intno]);
		if (isr_count[intno] > 0U) {
			if (!_kernel_intno_configured(intno)) _kernel_panic("CRE_ISR: intno without CFG_INT", (intptr_t) intno);
			if (_kernel_inh_table[intno] != NULL) _kernel_panic("CRE_ISR: intno also has DEF_INH", (intptr_t) intno);
			_kernel_inh_table[intno] = isr_callers[intno];
		}
	}
	if (k != n) _kernel_panic("CRE_ISR: bad intno or isrpri in an ISR", (intptr_t)(n - k));
	t_set_ipm(TIPM_ENAALL);		/* writes the 8259 masks computed above */
}

void _kernel_initialize_exception(void)
{
	for (uint_t i = 0; i < _kernel_tnum_def_exc; i++) {
		const EXCINIB *p = &_kernel_excinib_table[i];
		if (p->excno > TMAX_EXCNO || _kernel_exc_table[p->excno] != NULL) _kernel_panic("DEF_EXC: bad or duplicate excno", (intptr_t) p->excno);
		_kernel_exc_table[p->excno] = p->exchdr;
	}
}

#define CHECK_INTNO(n)	do { CHECK_PAR(VALID_INTNO(n)); if (!_kernel_intno_configured(n)) return E_OBJ; } while (0)

ER dis_int(INTNO intno)
{
	CHECK_INTNO(intno);
	uint32_t fl = x86_eflags(); x86_cli();
	_kernel_disable_int(intno);
	if (fl & X86_EFLAGS_IF) x86_sti();
	return E_OK;
}

ER ena_int(INTNO intno)
{
	CHECK_INTNO(intno);
	uint32_t fl = x86_eflags(); x86_cli();
	_kernel_enable_int(intno);
	if (fl & X86_EFLAGS_IF) x86_sti();
	_kernel_deliver_soft_interrupts();
	return E_OK;
}

ER clr_int(INTNO intno)
{
	CHECK_INTNO(intno);
	uint32_t fl = x86_eflags(); x86_cli();
	_kernel_clear_int(intno);
	if (fl & X86_EFLAGS_IF) x86_sti();
	return E_OK;
}

ER ras_int(INTNO intno)
{
	CHECK_UNL();
	CHECK_INTNO(intno);
	lock_cpu();
	_kernel_raise_int(intno);
	unlock_cpu();
	_kernel_deliver_soft_interrupts();
	return E_OK;
}

ER_BOOL prb_int(INTNO intno)
{
	CHECK_INTNO(intno);
	uint32_t fl = x86_eflags(); x86_cli();
	bool_t r = _kernel_probe_int(intno);
	if (fl & X86_EFLAGS_IF) x86_sti();
	return r ? true : false;
}

ER chg_ipm(PRI intpri)
{
	CHECK_TSKCTX_UNL();
	CHECK_PAR(TMIN_INTPRI <= intpri && intpri <= TIPM_ENAALL);
	lock_cpu();
	t_set_ipm(intpri);
	_kernel_set_dspflg();
	if (!dspflg && enadsp) p_schedtsk = p_runtsk;
	_kernel_dispatch_if_needed();
	unlock_cpu();
	_kernel_deliver_soft_interrupts();
	return E_OK;
}

ER get_ipm(PRI *p_intpri)
{
	CHECK_TSKCTX_UNL();
	*p_intpri = t_get_ipm();
	return E_OK;
}
