/* kernel_int.h: what the generated kernel_cfg.c includes first (the tables' types and the control blocks). */
#ifndef TOPPERS_KERNEL_INT_H
#define TOPPERS_KERNEL_INT_H
#include "kernel/kernel_impl.h"
#endif
