/* syssvc/banner.h: the kernel start-up banner (an initialisation routine). */
#ifndef TOPPERS_BANNER_H
#define TOPPERS_BANNER_H
#include "kernel.h"
#ifndef TOPPERS_MACRO_ONLY
extern void print_banner(EXINF exinf);
#endif
#endif
