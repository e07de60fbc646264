/* sil.h: system interface layer (spec: SIL): memory/port access, interrupt lock for short sections, busy delay. */
#ifndef TOPPERS_SIL_H
#define TOPPERS_SIL_H

#include "t_stddef.h"

#define SIL_ENDIAN_LITTLE	1

#ifndef TOPPERS_MACRO_ONLY
#include "x86.h"

/* All-interrupt lock (saves and restores IF). */
#define SIL_PRE_LOC		uint32_t TOPPERS_sil_flags
#define SIL_LOC_INT()	((void)(TOPPERS_sil_flags = x86_eflags(), x86_cli()))
#define SIL_UNL_INT()	((void)((TOPPERS_sil_flags & X86_EFLAGS_IF) ? x86_sti() : (void) 0))

static inline uint8_t sil_reb_mem(const volatile uint8_t *mem) { return *mem; }
static inline void sil_wrb_mem(volatile uint8_t *mem, uint8_t data) { *mem = data; }
static inline uint16_t sil_reh_mem(const volatile uint16_t *mem) { return *mem; }
static inline void sil_wrh_mem(volatile uint16_t *mem, uint16_t data) { *mem = data; }
static inline uint32_t sil_rew_mem(const volatile uint32_t *mem) { return *mem; }
static inline void sil_wrw_mem(volatile uint32_t *mem, uint32_t data) { *mem = data; }

/* I/O port space (x86 only). */
static inline uint8_t sil_reb_iop(uint16_t port) { return x86_inb(port); }
static inline void sil_wrb_iop(uint16_t port, uint8_t data) { x86_outb(port, data); }
static inline uint16_t sil_reh_iop(uint16_t port) { return x86_inw(port); }
static inline void sil_wrh_iop(uint16_t port, uint16_t data) { x86_outw(port, data); }
static inline uint32_t sil_rew_iop(uint16_t port) { return x86_inl(port); }
static inline void sil_wrw_iop(uint16_t port, uint32_t data) { x86_outl(port, data); }

/* Busy wait of at least dlytim nanoseconds (each port-0x80 write takes about 1 us on an ISA bus). */
extern void sil_dly_nse(ulong_t dlytim);
#endif

#endif /* TOPPERS_SIL_H */
