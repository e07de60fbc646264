/* Exceptions: #UD, #DE, #BR (BOUND), INTO, INT3, INT n, IDT limit #GP, #NM with CR0.EM/TS/MP, #DF, TF single-step. */
/* QEMU differences avoided here: LOCK on non-lockable instructions (QEMU does not always raise #UD,
   see segment-limits for the hand-written case) and RDTSC/CPUID (QEMU runs them on a 486 model). */
#include "runtime.h"

static volatile u32 steps;
static u32 step_eips[16];
extern char step_start[];

static void on_debug(struct frame *f) {
  u32 dr6;
  __asm__ volatile("movl %%dr6, %0" : "=r"(dr6));
  if (steps < 16) step_eips[steps] = f->eip;
  steps++;
  rt_printf("  #DB eip=%p dr6&e00f=%4x tf=%d\n", f->eip, dr6 & 0xe00f, (f->eflags >> 8) & 1);
  __asm__ volatile("movl %0, %%dr6" : : "r"(0u));
}

static void on_double_fault(struct frame *f) {
  /* #DF is an abort: the saved CS:EIP are undefined (Intel SDM vol. 3 6.15), so print only the error code. */
  rt_printf("  #DF err=%4x\n", f->err);
  f->eip = rt_resume;
  rt_resume = 0;
}

static void on_int40(struct frame *f) {
  rt_printf("  INT 40 handler: eax=%x eflags.if=%d\n", f->eax, (f->eflags >> 9) & 1);
}

static void single_step(void) {
  rt_puts("single-step: TF set by POPF traps after each following instruction\n");
  rt_hook[1] = on_debug;
  rt_base = (u32)step_start;
  __asm__ volatile(
      "pushfl\n\torl $0x100, (%%esp)\n\tpopfl\n"
      ".globl step_start\nstep_start:\n\t"
      "movl $1, %%eax\n\t"
      "addl $2, %%eax\n\t"
      "nop\n\t"
      "pushfl\n\tandl $0xfffffeff, (%%esp)\n\tpopfl\n\t"
      "movl $3, %%eax\n\t"
      : : : "eax", "cc", "memory");
  rt_printf("  steps=%d\n", steps);
  /* INT n clears TF in the handler: exactly one #DB after the INT returns (the IRET restores TF). */
  steps = 0;
  rt_hook[0x40] = on_int40;
  __asm__ volatile(
      "pushfl\n\torl $0x100, (%%esp)\n\tpopfl\n\t"
      "movl $0x40404040, %%eax\n\t"
      "int $0x40\n\t"
      "pushfl\n\tandl $0xfffffeff, (%%esp)\n\tpopfl\n\t"
      : : : "eax", "cc", "memory");
  rt_printf("  steps around INT 40: %d\n", steps);
  rt_hook[1] = 0;
}

static struct { s32 lo, hi; } bounds32 = {-5, 100};
static struct { s16 lo, hi; } bounds16 = {10, 20};

int test_main(void) {
  rt_puts("== exceptions ==\n");
  rt_puts("ud2\n");
  TRY("ud2", : : "memory");
  rt_puts("0f ff (undefined opcode)\n");
  TRY(".byte 0x0f, 0xff", : : "memory");
  rt_puts("cmovz (not on a 486)\n");
  TRY("cmovzl %%eax, %%eax", : : "memory");
  rt_puts("mov cr1\n");
  TRY("movl %%cr1, %%eax", : : "eax", "memory");
  rt_puts("lea with a register operand (8d c0)\n");
  TRY(".byte 0x8d, 0xc0", : : "eax", "memory");
  rt_puts("les with a register operand (c4 c0)\n");
  TRY(".byte 0xc4, 0xc0", : : "eax", "memory");
  rt_puts("div by zero\n");
  TRY("xorl %%edx, %%edx\n\tmovl $1, %%eax\n\txorl %%ecx, %%ecx\n\tdivl %%ecx", : : "eax", "ecx", "edx", "memory");
  static const s32 idx[] = {-6, -5, 0, 100, 101, 0x7fffffff};
  for (int i = 0; i < 6; i++) {
    rt_printf("bound32 %x in [-5,100]\n", (u32)idx[i]);
    TRY("boundl %0, %1", : "r"(idx[i]), "m"(bounds32) : "memory");
  }
  static const s16 idx16[] = {9, 10, 20, 21};
  for (int i = 0; i < 4; i++) {
    rt_printf("bound16 %4x in [10,20]\n", (u32)(u16)idx16[i]);
    TRY("boundw %w0, %1", : "r"(idx16[i]), "m"(bounds16) : "memory");
  }
  rt_puts("into with OF=0\n");
  TRY("xorl %%eax, %%eax\n\tinto", : : "eax", "cc", "memory");
  rt_puts("into with OF=1 (trap: eip after INTO)\n");
  TRY("movb $0x7f, %%al\n\taddb $1, %%al\n\tinto\n\tnop", : : "eax", "cc", "memory");
  rt_puts("int3 (trap)\n");
  TRY("int3", : : "memory");
  rt_puts("int $3 (cd 03)\n");
  TRY(".byte 0xcd, 0x03", : : "memory");
  rt_puts("int $0x40 to a hooked handler\n");
  rt_hook[0x40] = on_int40;
  TRY("movl $0x1234, %%eax\n\tint $0x40", : : "eax", "memory");
  rt_hook[0x40] = 0;
  rt_puts("int $0x50 beyond the IDT limit -> #GP(0x50*8+2)\n");
  idt_load(0x50 * 8 - 1);
  TRY("int $0x50", : : "memory");
  idt_load(sizeof(rt_idt) - 1);
  rt_puts("int $0x51 through a not-present gate -> #NP(0x51*8+2)\n");
  rt_idt[0x51].type &= 0x7f;
  TRY("int $0x51", : : "memory");
  rt_idt[0x51].type |= 0x80;
  rt_puts("int $0x52 through a gate of a reserved type -> #GP(0x52*8+2)\n");
  rt_idt[0x52].type = 0x80 | 0x01; /* type 1 = available 16-bit TSS: not a gate */
  TRY("int $0x52", : : "memory");
  idt_set(0x52, SEL_CODE32, (u32)rt_isr_table + 16 * 0x52, GATE_INT32);

  /* #NM (Intel SDM vol. 3 2.5, table 9-2): ESC with EM=1, or with TS=1; WAIT only with MP=1 and TS=1. */
  u32 cr0 = read_cr0();
  write_cr0((cr0 | 0x4) & ~0xau); /* EM=1 TS=0 MP=0 */
  rt_puts("fninit with EM=1\n");
  TRY("fninit", : : "memory");
  rt_puts("wait with EM=1 TS=0\n");
  TRY("fwait", : : "memory");
  write_cr0((cr0 | 0x4 | 0x8) & ~0x2u); /* EM=1 TS=1 MP=0 */
  rt_puts("wait with EM=1 TS=1 MP=0\n");
  TRY("fwait", : : "memory");
  write_cr0((cr0 | 0x4 | 0x8 | 0x2)); /* EM=1 TS=1 MP=1 */
  rt_puts("wait with TS=1 MP=1\n");
  TRY("fwait", : : "memory");
  rt_puts("fnstsw with TS=1 MP=1\n");
  TRY("fnstsw %%ax", : : "eax", "memory");
  rt_puts("clts\n");
  __asm__ volatile("clts");
  rt_printf("  cr0 & e = %x\n", read_cr0() & 0xe);
  write_cr0((cr0 | 0x4) & ~0xau);

  /* #DF: #DE whose gate is not present raises #NP while delivering it; both are contributory. */
  rt_puts("#DE through a not-present gate -> #DF(0)\n");
  rt_hook[8] = on_double_fault;
  rt_idt[0].type &= 0x7f;
  TRY("xorl %%edx, %%edx\n\txorl %%ecx, %%ecx\n\tmovl $1, %%eax\n\tdivl %%ecx", : : "eax", "ecx", "edx", "memory");
  rt_idt[0].type |= 0x80;
  rt_puts("#GP through a not-present #GP gate -> #DF(0)\n");
  rt_idt[13].type &= 0x7f;
  TRY("int $0x50", : : "memory"); /* fine: within limit, DPL 0 gate at CPL 0 */
  idt_load(0x50 * 8 - 1);
  TRY("int $0x50", : : "memory");
  idt_load(sizeof(rt_idt) - 1);
  rt_idt[13].type |= 0x80;
  rt_puts("#DE with its gate present again\n");
  TRY("xorl %%edx, %%edx\n\txorl %%ecx, %%ecx\n\tmovl $1, %%eax\n\tdivl %%ecx", : : "eax", "ecx", "edx", "memory");
  rt_hook[8] = 0;

  single_step();
  rt_printf("faults taken: %d\n", rt_faults);
  rt_puts("== done ==\n");
  return 0;
}
