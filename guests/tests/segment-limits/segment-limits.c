/* Checks QEMU 7.2 does not model, with a golden written by hand from the Intel SDM (see
   golden/segment-limits.note.md): segment limit and expand-down checks, writes through read-only
   data and code segments, use of a null data segment, and LOCK on instructions that cannot be locked. */
#include "runtime.h"

#define G_DATA 8 /* 0x40 RW, limit 0xfff */
#define G_RO 9   /* 0x48 RO, limit 0xfff */
#define G_ED 10  /* 0x50 RW expand-down, limit 0xff, B=0: valid offsets 0x100..0xffff */

static u8 window[0x1000];
volatile u32 mem; /* global: the asm refers to it by name */

/* One access through FS, which is reloaded with the flat data selector afterwards. */
#define VIA_FS(sel, insn) \
  TRY_THEN("movw %w0, %%fs\n\t" insn, "movw $0x10, %%ax\n\tmovw %%ax, %%fs", : "r"(sel) : "eax", "memory")

int test_main(void) {
  rt_puts("== segment-limits ==\n");
  gdt_set(G_DATA, (u32)window, 0xfff, ACC_P | ACC_DATA_RW | 1, 0);
  gdt_set(G_RO, (u32)window, 0xfff, ACC_P | ACC_DATA_RO | 1, 0);
  gdt_set(G_ED, (u32)window, 0x0ff, ACC_P | 0x16 | 1, 0);
  rt_puts("read byte at the limit (0xfff): allowed\n");
  VIA_FS(0x40, "movb %%fs:0xfff, %%al");
  rt_puts("read byte beyond the limit (0x1000) -> #GP(0)\n");
  VIA_FS(0x40, "movb %%fs:0x1000, %%al");
  rt_puts("dword read at 0xffe straddling the limit -> #GP(0)\n");
  VIA_FS(0x40, "movl %%fs:0xffe, %%eax");
  rt_puts("write through a read-only data segment -> #GP(0)\n");
  VIA_FS(0x48, "movb $1, %%fs:0x10");
  rt_puts("read through a read-only data segment: allowed\n");
  VIA_FS(0x48, "movb %%fs:0x10, %%al");
  rt_puts("expand-down, limit 0xff: read at 0xff -> #GP(0)\n");
  VIA_FS(0x50, "movb %%fs:0xff, %%al");
  rt_puts("expand-down, limit 0xff: read at 0x100: allowed\n");
  VIA_FS(0x50, "movb %%fs:0x100, %%al");
  rt_puts("expand-down, B=0: word read at 0xffff (past the 64 KiB top) -> #GP(0)\n");
  VIA_FS(0x50, "movw %%fs:0xffff, %%ax");
  rt_puts("write through CS -> #GP(0)\n");
  TRY("movl %%eax, %%cs:mem", : : "memory");
  rt_puts("read through a null FS -> #GP(0)\n");
  VIA_FS(0x00, "movl %%fs:0, %%eax");
  rt_puts("lock nop -> #UD\n");
  TRY(".byte 0xf0\n\tnop", : : "memory");
  rt_puts("lock mov to memory -> #UD\n");
  TRY(".byte 0xf0\n\tmovl %%eax, mem", : : "memory");
  rt_puts("lock add with a register destination -> #UD\n");
  TRY(".byte 0xf0, 0x01, 0xc3", : : "ebx", "memory"); /* lock add %eax, %ebx */
  rt_puts("lock add to memory: allowed\n");
  TRY("lock addl $1, mem", : : "memory");
  rt_printf("mem=%x\n", mem);
  rt_puts("== done ==\n");
  return 0;
}
