/* Real mode: switch from protected mode back to real mode, run 16-bit code with IVT interrupts
   (INT n, #DE, INT3), operand/address-size prefixes and segment arithmetic, then return. */
#include "runtime.h"

extern char rm_blob[], rm_res[], rm_div[], rm_after_int3[];
void rm_run(void);

int test_main(void) {
  rt_puts("== real-mode ==\n");
  rm_run();
  idt_load(sizeof(rt_idt) - 1);
  u16 *r = (u16 *)(0x7000 + (rm_res - rm_blob));
  rt_puts("back in protected mode\n");
  rt_printf("real mode: cr0 low=%4x cs=%4x\n", r[0], r[1]);
  rt_printf("int 0x30: ax=%4x, flags in handler=%4x\n", r[2], r[3]);
  rt_printf("#DE: pushed ip is the div: %d\n", r[4] == (u16)(rm_div - rm_blob));
  rt_printf("int3: pushed ip is after int3: %d\n", r[5] == (u16)(rm_after_int3 - rm_blob));
  rt_printf("32-bit operand: %x\n", *(u32 *)&r[6]);
  rt_printf("32-bit address [ebx+res]: %4x; es=0710 alias: %4x\n", r[8], r[9]);
  rt_printf("far call: ax=%4x; pusha/popa sp delta=%4x\n", r[10], r[11]);
  rt_printf("cr0.pe now=%d\n", read_cr0() & 1);
  rt_puts("== done ==\n");
  return 0;
}
