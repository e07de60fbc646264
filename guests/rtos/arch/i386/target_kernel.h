/* target_kernel.h: i386 PC target definitions that kernel.h exposes to applications. */
#ifndef TOPPERS_TARGET_KERNEL_H
#define TOPPERS_TARGET_KERNEL_H

/*
 * Interrupt numbers (INTNO) and interrupt handler numbers (INHNO) are the 8259 IRQ numbers
 * 0..15 (IRQ 2 is the cascade and cannot be used). CPU exception handler numbers (EXCNO) are the
 * i386 exception vectors 0..31.
 */
#define TMIN_INTNO      0
#define TMAX_INTNO      15
#define TNUM_INTNO      16
#define TMIN_INHNO      0
#define TMAX_INHNO      15
#define TMIN_EXCNO      0
#define TMAX_EXCNO      31
#define TNUM_EXCNO      32

/*
 * Interrupt priorities: -15 (highest) .. -1 (lowest). The interrupt priority mask (IPM) value p
 * masks every interrupt whose priority is p or lower (numerically >= p); TIPM_ENAALL (0) masks
 * none. The 8259 mask registers are computed from the IPM, so every level is a real hardware mask.
 */
#define TMIN_INTPRI     (-15)
#define TMAX_INTPRI     (-1)
#define TIPM_LOCK       TMIN_INTPRI     /* all interrupts are kernel-managed */

/* Interrupt attributes available on this target. */
#define TA_POSEDGE      TA_EDGE         /* the PC 8259 is edge triggered */

/* High-resolution timer (see docs/rtos-guide.md): microsecond count, wraps at 2^32. */
#define TCYC_HRTCNT     0               /* 0: the full 32-bit range */
#define TSTEP_HRTCNT    1U

#endif /* TOPPERS_TARGET_KERNEL_H */
