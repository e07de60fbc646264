/* core_kernel_impl.c: i386 PC port: IDT, 8259 pair and the interrupt priority mask, interrupt/exception dispatch, exit. */
#include "kernel/kernel_impl.h"
#include "target_board.h"
#include "target_serial.h"
#include "t_syslog.h"
#include "target_exception.h"

volatile bool_t _kernel_lock_flag = true;
volatile uint_t _kernel_intnest = 0;
volatile bool_t _kernel_reqflg = false;
volatile PRI _kernel_ipm = TIPM_ENAALL;
void *_kernel_istkpt;				/* top of the non-task stack (used by core_support.S) */

/* ---- IDT ---- */
typedef struct { uint16_t off_lo, sel; uint8_t zero, type; uint16_t off_hi; } __attribute__((packed)) IDT_GATE;
static IDT_GATE idt[48];
extern const uint32_t _kernel_vector_table[48];

static void idt_initialize(void)
{
	for (uint_t i = 0; i < 48; i++) {
		idt[i].off_lo = (uint16_t)_kernel_vector_table[i];
		idt[i].off_hi = (uint16_t)(_kernel_vector_table[i] >> 16);
		idt[i].sel = 0x08;
		idt[i].zero = 0;
		idt[i].type = 0x8E;			/* present, ring 0, 32-bit interrupt gate (clears IF) */
	}
	struct { uint16_t limit; uint32_t base; } __attribute__((packed)) d = { sizeof(idt) - 1, (uint32_t)idt };
	__asm__ volatile("lidt %0" :: "m"(d));
}

/* ---- 8259 pair (PIC_MASTER / PIC_SLAVE from the board header) ---- */
/*
 * Interrupt priority mask mapping: the IPM is a number p in TMIN_INTPRI..0. IRQ i with configured
 * priority intpri[i] is masked in the 8259 IMR exactly when intpri[i] >= p (and always when it is
 * not configured or disabled by dis_int). Entering a handler raises the IPM to that interrupt's
 * priority, so only strictly higher-priority interrupts nest. IRQ 2 (cascade) is never masked.
 */
static PRI intpri_of[TNUM_INTNO];			/* 0 = not configured */
static uint16_t ipm_mask_table[1 - TMIN_INTPRI];	/* index -ipm */
static uint16_t dis_mask = 0xffffU;			/* bit set = disabled (dis_int / not TA_ENAINT) */
static volatile uint16_t soft_pending;		/* ras_int requests not yet delivered */
static volatile uint16_t soft_active;		/* a software delivery in progress */

static void pic_write_mask(void)
{
	uint16_t m = (uint16_t)(ipm_mask_table[-_kernel_ipm] | dis_mask);
	m &= (uint16_t)~(1U << 2);
	x86_outb(PIC_MASTER + 1, (uint8_t)m);
	x86_outb(PIC_SLAVE + 1, (uint8_t)(m >> 8));
}

void _kernel_set_ipm(PRI ipm)
{
	_kernel_ipm = ipm;
	pic_write_mask();
}

static void pic_initialize(void)
{
	x86_outb(PIC_MASTER, 0x11);		/* ICW1: edge, cascade, ICW4 needed */
	x86_outb(PIC_MASTER + 1, 0x20);	/* ICW2: vectors 32..39 */
	x86_outb(PIC_MASTER + 1, 0x04);	/* ICW3: slave on IRQ 2 */
	x86_outb(PIC_MASTER + 1, 0x01);	/* ICW4: 8086 mode, normal EOI */
	x86_outb(PIC_SLAVE, 0x11);
	x86_outb(PIC_SLAVE + 1, 0x28);	/* vectors 40..47 */
	x86_outb(PIC_SLAVE + 1, 0x02);
	x86_outb(PIC_SLAVE + 1, 0x01);
	x86_outb(PIC_MASTER + 1, 0xfb);
	x86_outb(PIC_SLAVE + 1, 0xff);
}

static uint16_t pic_read_reg(uint8_t ocw3)
{
	x86_outb(PIC_MASTER, ocw3);
	x86_outb(PIC_SLAVE, ocw3);
	return (uint16_t)(x86_inb(PIC_MASTER) | (x86_inb(PIC_SLAVE) << 8));
}
#define pic_read_irr()	pic_read_reg(0x0a)
#define pic_read_isr()	pic_read_reg(0x0b)

static void pic_eoi(uint_t irq)
{
	if (irq >= 8) {
		x86_outb(PIC_SLAVE, (uint8_t)(0x60 + (irq - 8)));
		x86_outb(PIC_MASTER, 0x62);
	} else {
		x86_outb(PIC_MASTER, (uint8_t)(0x60 + irq));
	}
}

/* Called by kernel/interrupt.c while initialising from the CFG_INT table. */
void _kernel_config_int(INTNO intno, ATR intatr, PRI intpri)
{
	intpri_of[intno] = intpri;
	if (intatr & TA_ENAINT) dis_mask &= (uint16_t)~(1U << intno);
	for (int k = 0; k <= -TMIN_INTPRI; k++) {
		PRI ipm = (PRI)-k;
		if (ipm != 0 && intpri >= ipm) ipm_mask_table[k] |= (uint16_t)(1U << intno);
	}
}

bool_t _kernel_intno_configured(INTNO intno) { return intno < TNUM_INTNO && intpri_of[intno] != 0; }
PRI _kernel_intpri(INTNO intno) { return intpri_of[intno]; }

void _kernel_disable_int(INTNO intno) { dis_mask |= (uint16_t)(1U << intno); pic_write_mask(); }
void _kernel_enable_int(INTNO intno) { dis_mask &= (uint16_t)~(1U << intno); pic_write_mask(); }
bool_t _kernel_probe_int(INTNO intno) { return ((pic_read_irr() | soft_pending) >> intno) & 1U; }
void _kernel_clear_int(INTNO intno) { soft_pending &= (uint16_t)~(1U << intno); }
void _kernel_raise_int(INTNO intno) { soft_pending |= (uint16_t)(1U << intno); }

/*
 * Deliver pending ras_int requests that the current state allows (CPU unlocked, enabled, priority
 * above the IPM), highest priority first, by executing `int` on the interrupt's own vector: the
 * handler then runs exactly as for a hardware request. Called wherever a mask is lowered.
 */
extern const uint8_t _kernel_softint_table[];
void _kernel_deliver_soft_interrupts(void)
{
	for (;;) {
		uint32_t fl = x86_eflags();
		x86_cli();
		int best = -1;
		if (!_kernel_lock_flag) {
			for (uint_t i = 0; i < TNUM_INTNO; i++) {
				if (((soft_pending >> i) & 1U) && !((dis_mask >> i) & 1U) && intpri_of[i] != 0
						&& intpri_of[i] < _kernel_ipm && (best < 0 || intpri_of[i] < intpri_of[best])) {
					best = (int)i;
				}
			}
		}
		if (best >= 0) {
			soft_pending &= (uint16_t)~(1U << best);
			soft_active |= (uint16_t)(1U << best);
			((void (*)(void))(_kernel_softint_table + 4 * best))();
		}
		if (fl & X86_EFLAGS_IF) x86_sti();
		if (best < 0) return;
	}
}

/* ---- Interrupt and exception handling ---- */

extern INTHDR _kernel_inh_table[TNUM_INTNO];
extern EXCHDR _kernel_exc_table[TNUM_EXCNO];

static void irq_handler(uint_t irq)
{
	uint16_t bit = (uint16_t)(1U << irq);
	bool_t soft = (soft_active & bit) != 0;
	soft_active &= (uint16_t)~bit;
	if (!soft) {
		/* spurious IRQ 7 / 15: the in-service bit is not set */
		if ((irq == 7 || irq == 15) && !((pic_read_isr() >> irq) & 1U)) {
			if (irq == 15) x86_outb(PIC_MASTER, 0x62);
			return;
		}
	}
	PRI saved_ipm = _kernel_ipm;
	if (intpri_of[irq] != 0) _kernel_set_ipm(intpri_of[irq]);
	if (!soft) pic_eoi(irq);
	INTHDR h = _kernel_inh_table[irq];
	_kernel_lock_flag = false;
	x86_sti();
	if (h != NULL) (*h)();
	x86_cli();
	_kernel_lock_flag = false;		/* a handler that left the CPU locked is unlocked (spec) */
	_kernel_set_ipm(saved_ipm);
	_kernel_deliver_soft_interrupts();
	x86_cli();
}

static const char *const exc_names[20] = {
	"divide error", "debug", "NMI", "breakpoint", "overflow", "bound", "invalid opcode",
	"device not available", "double fault", "coprocessor overrun", "invalid TSS",
	"segment not present", "stack fault", "general protection", "page fault", "reserved",
	"x87 error", "alignment check", "machine check", "SIMD"
};

static void exc_handler(T_FRAME *f)
{
	bool_t saved_lock = _kernel_lock_flag;
	T_EXCINF info = { f, _kernel_intnest - 1, _kernel_ipm, !(f->eflags & X86_EFLAGS_IF) || _kernel_lock_flag, _kernel_enadsp };
	EXCHDR h = _kernel_exc_table[f->vector];
	if (h == NULL) {
		target_fput_str("\r\nUnhandled CPU exception: ");
		target_fput_str(f->vector < 20 ? exc_names[f->vector] : "reserved");
		syslog(LOG_EMERG, "Unhandled CPU exception %u (%s) at eip=0x%08x error=0x%x eflags=0x%08x",
			f->vector, f->vector < 20 ? exc_names[f->vector] : "reserved", f->eip, f->errcode, f->eflags);
		syslog(LOG_EMERG, "eax=%08x ebx=%08x ecx=%08x edx=%08x esi=%08x edi=%08x ebp=%08x",
			f->eax, f->ebx, f->ecx, f->edx, f->esi, f->edi, f->ebp);
		_kernel_target_exit(3);
	}
	(*h)(&info);
	x86_cli();
	_kernel_lock_flag = saved_lock;
}

void _kernel_common_handler(T_FRAME *f)
{
	if (f->vector >= 32) irq_handler(f->vector - 32);
	else exc_handler(f);
}

bool_t xsns_dpn(void *p_excinf)
{
	const T_EXCINF *e = (const T_EXCINF *)p_excinf;
	return e->nest > 0 || e->lock || e->ipm != TIPM_ENAALL || !e->enadsp;
}

/* On the outermost interrupt return with a dispatch request (core_support.S). */
void _kernel_ret_int_dispatch(void)
{
	if (_kernel_dspflg && p_runtsk != p_schedtsk && p_runtsk != NULL) {
		_kernel_lock_flag = true;
		dispatch();
		_kernel_lock_flag = false;
	}
}

/* First C code of a task activation: unlock the CPU, run the main routine, then ext_tsk. */
void _kernel_task_start(void)
{
	t_unlock_cpu();
	_kernel_deliver_soft_interrupts();
	(*p_runtsk->p_tinib->task)(p_runtsk->p_tinib->exinf);
	(void) ext_tsk();
	_kernel_panic("ext_tsk returned", 0);
}

void _kernel_core_initialize(void)
{
	_kernel_istkpt = (void *)(((uintptr_t)_kernel_istk + _kernel_istksz) & ~(uintptr_t)15);
	idt_initialize();
	pic_initialize();
	_kernel_ipm = TIPM_ENAALL;
}

void _kernel_core_terminate(void)
{
	x86_outb(PIC_MASTER + 1, 0xff);
	x86_outb(PIC_SLAVE + 1, 0xff);
}

/*
 * Leave the program: write to the isa-debug-exit / Shikiri exit port (the process exit code
 * becomes (code << 1) | 1), then halt for boards without such a port.
 */
void _kernel_target_exit(int code)
{
	x86_cli();
	x86_outb(TARGET_EXIT_PORT, (uint8_t)code);
	for (;;) x86_hlt();
}

/* Boot entry from core_support.S. */
void _kernel_target_boot(uint32_t magic, uint32_t mbi)
{
	(void) magic; (void) mbi;
	target_uart_init();
	_kernel_sta_ker();
}
