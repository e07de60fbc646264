/* banner.c: prints the kernel banner at start-up (initialisation routine from banner.cfg). */
#include "kernel.h"
#include "t_syslog.h"
#include "syssvc/banner.h"
#include "target_board.h"

void print_banner(EXINF exinf)
{
	(void) exinf;
	syslog(LOG_NOTICE, "\nShikiri RTOS kernel (TOPPERS 3rd-generation ASP3 API, spec %x.%x) for i386",
		(uint_t)(TKERNEL_SPVER >> 12) & 0xfU, (uint_t)(TKERNEL_SPVER >> 4) & 0xffU);
	syslog(LOG_NOTICE, "Board: %s (%s), CPU clock %u MHz, RAM %u MiB\n", TARGET_BOARD_NAME, TARGET_BOARD_DESC,
		CPU_CLOCK_HZ / 1000000U, RAM_SIZE >> 20);
}
