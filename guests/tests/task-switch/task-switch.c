/* Hardware task switches: JMP and CALL to a TSS, CALL through a GDT task gate, INT through an IDT
   task gate, IRET back through the back link; busy bits, NT, back link and saved registers. */
#include "runtime.h"

#define G_TB 8     /* 0x40 TSS B (JMP) */
#define G_TC 9     /* 0x48 TSS C (CALL) */
#define G_TD 10    /* 0x50 TSS D (task gate in GDT and IDT) */
#define G_GATE 11  /* 0x58 GDT task gate -> TSS D */

static struct tss32 tb, tc, td;
static u8 stacks[3][2048] __attribute__((aligned(16)));

static u32 type_of(int idx) { return rt_gdt[idx].access & 0x0f; }

static void show(const char *who) {
  u32 f;
  u16 tr;
  __asm__ volatile("pushfl\n\tpopl %0\n\tstr %1" : "=r"(f), "=r"(tr));
  rt_printf("  in %s: tr=%4x nt=%d types A=%x B=%x C=%x D=%x\n", who, tr, (f >> 14) & 1, type_of(5), type_of(G_TB), type_of(G_TC), type_of(G_TD));
}

static void body_b(void) {
  show("B (jmp)");
  rt_printf("  A's saved eax=%x ebx=%x link=%4x\n", rt_tss.eax, rt_tss.ebx, rt_tss.link);
  __asm__ volatile("ljmp $0x28, $0");
}

static void body_c(void) {
  show("C (call)");
  rt_printf("  C's link=%4x; A's saved eflags.nt=%d\n", tc.link, (rt_tss.eflags >> 14) & 1);
  rt_puts("  call to the busy TSS A -> #GP(0x28)\n");
  TRY("lcall $0x28, $0", : : "memory");
  __asm__ volatile("iret");
}

static void body_d(void) {
  for (;;) {
    show("D (task gate)");
    rt_printf("  D's link=%4x\n", td.link);
    __asm__ volatile("iret");
  }
}

static void init_tss(struct tss32 *t, void (*body)(void), u8 *stack_top) {
  t->eip = (u32)body;
  t->esp = (u32)stack_top;
  t->eflags = 0x2;
  t->cs = SEL_CODE32;
  t->ss = t->ds = t->es = t->fs = t->gs = SEL_DATA32;
  t->cr3 = read_cr3();
  t->iomap = sizeof(struct tss32);
  t->ss0 = SEL_DATA32;
  t->esp0 = (u32)stack_top;
}

int test_main(void) {
  rt_puts("== task-switch ==\n");
  init_tss(&tb, body_b, stacks[0] + 2048);
  init_tss(&tc, body_c, stacks[1] + 2048);
  init_tss(&td, body_d, stacks[2] + 2048);
  gdt_set(G_TB, (u32)&tb, sizeof tb - 1, ACC_P | 0x09, 0);
  gdt_set(G_TC, (u32)&tc, sizeof tc - 1, ACC_P | 0x09, 0);
  gdt_set(G_TD, (u32)&td, sizeof td - 1, ACC_P | 0x09, 0);
  /* Task gate: TSS selector in bytes 2..3, type 5 (Intel SDM vol. 3 7.2.5). */
  gdt_set(G_GATE, G_TD << 3, 0, ACC_P | 0x05, 0);
  idt_set(0x60, G_TD << 3, 0, GATE_TASK);
  show("A");

  rt_puts("jmp to TSS B\n");
  __asm__ volatile("movl $0xaaaa0001, %%eax\n\tmovl $0xbbbb0002, %%ebx\n\tljmp $0x40, $0" : : : "eax", "ebx", "memory");
  show("A after B jumped back");
  rt_printf("  B's saved eip moved: %d, B's link=%4x\n", tb.eip != (u32)body_b, tb.link);

  rt_puts("call to TSS C\n");
  __asm__ volatile("lcall $0x48, $0" ::: "memory");
  show("A after C's iret");

  rt_puts("call through the GDT task gate to D\n");
  __asm__ volatile("lcall $0x58, $0" ::: "memory");
  show("A after D's iret");
  rt_puts("int $0x60 through the IDT task gate to D\n");
  __asm__ volatile("int $0x60" ::: "memory");
  show("A after D's iret");
  rt_puts("jmp to TSS B with a limit below 0x67 -> #TS(0x40)\n");
  gdt_set(G_TB, (u32)&tb, 0x60, ACC_P | 0x09, 0);
  TRY("ljmp $0x40, $0", : : "memory");
  rt_puts("iret with NT=0 in A: a plain return (no task switch)\n");
  __asm__ volatile("pushfl\n\tpushl %%cs\n\tpushl $1f\n\tiret\n1:" ::: "memory");
  show("A");
  rt_puts("== done ==\n");
  return 0;
}
