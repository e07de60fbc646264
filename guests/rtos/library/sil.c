/* sil.c: sil_dly_nse, a busy wait calibrated from the board's CPU clock (about two clocks per loop iteration). */
#include "sil.h"
#include "target_board.h"

void sil_dly_nse(ulong_t dlytim)
{
	volatile uint32_t n = (uint32_t)(((uint64_t) dlytim * (CPU_CLOCK_HZ / 1000000U)) / 2000U) + 1U;
	while (n-- > 0U) { }
}
