/* target_timer.h: the kernel's high-resolution timer on 8254 channel 0 (IRQ 0), names used by target_kernel.cfg. */
#ifndef TOPPERS_TARGET_TIMER_H
#define TOPPERS_TARGET_TIMER_H

#define INHNO_TIMER     0       /* 8254 channel 0 drives IRQ 0 */
#define INTNO_TIMER     0
#define INTPRI_TIMER    (-6)
#define INTATR_TIMER    (TA_EDGE)

#ifndef TOPPERS_MACRO_ONLY
#include "kernel.h"
extern void _kernel_target_hrt_initialize(EXINF exinf);
extern void _kernel_target_hrt_terminate(EXINF exinf);
extern void _kernel_target_hrt_handler(void);
#endif

#endif /* TOPPERS_TARGET_TIMER_H */
