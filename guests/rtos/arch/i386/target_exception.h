/* target_exception.h: CPU exception numbers of the i386 and what an exception handler's p_excinf points to. */
#ifndef TOPPERS_TARGET_EXCEPTION_H
#define TOPPERS_TARGET_EXCEPTION_H

#define EXCNO_DIVERR	0	/* #DE divide error */
#define EXCNO_DEBUG		1
#define EXCNO_BREAK		3	/* #BP int3 */
#define EXCNO_OVERFLOW	4
#define EXCNO_BOUND		5
#define EXCNO_UD		6	/* #UD invalid opcode */
#define EXCNO_NM		7
#define EXCNO_DF		8
#define EXCNO_TS		10
#define EXCNO_NP		11
#define EXCNO_SS		12
#define EXCNO_GP		13	/* #GP general protection */
#define EXCNO_PF		14

#ifndef TOPPERS_MACRO_ONLY
#include <stdint.h>
/* Registers saved on exception entry (pushal order, then vector, error code and the CPU's frame). */
typedef struct {
	uint32_t edi, esi, ebp, esp_unused, ebx, edx, ecx, eax;
	uint32_t vector, errcode, eip, cs, eflags;
} T_FRAME;

/* p_excinf of an exception handler. A handler may change frame->eip to resume elsewhere. */
typedef struct {
	T_FRAME	*frame;
	uint32_t nest;		/* interrupt nesting when the exception happened (0 = task context) */
	int		ipm;
	int		lock;
	int		enadsp;
} T_EXCINF;
#endif

#endif
