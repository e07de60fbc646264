/* Privilege levels: ring 3 via IRET, TSS stack switch on interrupts, call gate with parameter copy,
   INT gate DPL checks, privileged instructions at CPL 3, the I/O permission bitmap, segment nulling on return. */
#include "runtime.h"

#define G_GATE 8        /* 0x40: call gate DPL 3 -> 0x08:gate_target, 2 dwords */
#define G_GATE0 9       /* 0x48: call gate DPL 0 */
#define G_TSS2 10       /* 0x50: TSS with an I/O bitmap */

extern char gate_target[];
extern u32 gate_rec[8];

static struct {
  struct tss32 t;
  u8 iomap[8192 + 1]; /* one bit per port, then the 0xFF terminator byte (Intel SDM vol. 1 19.5.2) */
} __attribute__((packed, aligned(16))) tss2;

static volatile u32 hook_cs, hook_ss, hook_esp, hook_here;

static void on_int82(struct frame *f) {
  u32 here;
  __asm__ volatile("movl %%esp, %0" : "=r"(here));
  hook_cs = f->cs & 0xffff;
  hook_ss = f->ss & 0xffff;
  hook_esp = f->esp;
  hook_here = (u32)f + sizeof(u32) * 17 + 8; /* the CPU's frame ends here: ESP0 */
  (void)here;
}

static volatile u32 gate_esp_before;

static void call_gate(u32 sel) {
  static struct { u32 off; u16 sel; } __attribute__((packed)) ptr;
  ptr.off = 0x12345678; /* ignored: the gate gives the offset */
  ptr.sel = (u16)sel;
  /* EBX keeps ESP: a faulting LCALL leaves the two pushed parameters on the stack. */
  TRY_THEN("movl %%esp, %%ebx\n\tmovl %%esp, gate_esp_before\n\tpushl $0x22222222\n\tpushl $0x11111111\n\tlcall *%0", "movl %%ebx, %%esp", : "m"(ptr) : "ebx", "memory");
}

static void user1(void) {
  u16 cs, ss, es;
  __asm__ volatile("movw %%cs, %0\n\tmovw %%ss, %1" : "=r"(cs), "=r"(ss));
  rt_printf("ring 3: cs=%4x ss=%4x cpl=%d\n", cs, ss, cs & 3);
  rt_puts("int $0x82 (DPL 3 gate): stack switch to TSS.ESP0\n");
  __asm__ volatile("int $0x82" ::: "memory");
  rt_printf("  handler saw cs=%4x ss=%4x esp=%p, frame top = esp0: %d\n", hook_cs, hook_ss, hook_esp, hook_here == *rt_tss_esp0);
  rt_puts("int $0x83 (DPL 0 gate) -> #GP(0x83*8+2)\n");
  TRY("int $0x83", : : "memory");
  rt_puts("int3 through a DPL 0 gate -> #GP(3*8+2)\n");
  TRY("int3", : : "memory");
  rt_puts("call gate DPL 3 with 2 parameters\n");
  call_gate(0x43);
  u32 esp_before = gate_esp_before;
  __asm__ volatile("movw %%es, %0" : "=r"(es));
  rt_printf("  target: esp=esp0-%x ss=%4x cs=%4x ret cs=%4x params %x %x caller ss=%4x\n", 
            *rt_tss_esp0 - gate_rec[0], gate_rec[1] & 0xffff, gate_rec[1] >> 16, gate_rec[3] & 0xffff, gate_rec[4], gate_rec[5], gate_rec[7] & 0xffff);
  rt_printf("  caller esp at the gate = esp before the pushes - 8: %d; es after return=%4x\n", gate_rec[6] == esp_before - 8, es);
  __asm__ volatile("movw %w0, %%es" : : "r"(SEL_UDATA));
  rt_puts("call gate DPL 0 from CPL 3 -> #GP(0x48)\n");
  call_gate(0x4b);
  rt_puts("privileged instructions at CPL 3\n");
  TRY("hlt", : : "memory");
  TRY("movl %%cr0, %%eax", : : "eax", "memory");
  TRY("lgdt (%%esp)", : : "memory");
  TRY("clts", : : "memory");
  TRY("movl %%dr7, %%eax", : : "eax", "memory");
  TRY("invlpg (%%esp)", : : "memory");
  rt_puts("mov ds, DPL 0 data at CPL 3 -> #GP(0x10)\n");
  TRY("movw %w0, %%ds", : "r"(SEL_DATA32) : "memory");
  rt_puts("mov ss, ring-0 data with RPL 3 -> #GP(0x10)\n");
  TRY("movw %w0, %%ss", : "r"(SEL_DATA32 | 3) : "memory");
  rt_puts("ljmp to ring-0 code -> #GP(0x08)\n");
  TRY("ljmp $0x08, $0", : : "memory");
}

static void user_iopl0(void) {
  u32 f;
  rt_puts("ring 3, IOPL 0, I/O bitmap allows 0xe9 only\n");
  rt_puts("  cli -> #GP(0)\n");
  TRY("cli", : : "memory");
  rt_puts("  sti -> #GP(0)\n");
  TRY("sti", : : "memory");
  __asm__ volatile("pushfl\n\torl $0x3200, (%%esp)\n\tpopfl\n\tpushfl\n\tpopl %0" : "=r"(f) : : "cc");
  rt_printf("  popf cannot set IOPL or IF at CPL 3: iopl=%d if=%d\n", (f >> 12) & 3, (f >> 9) & 1);
  rt_puts("  inb 0x80 -> #GP(0)\n");
  TRY("inb $0x80, %%al", : : "eax", "memory");
  rt_puts("  outw to 0xe8 (0xe8 denied, 0xe9 allowed) -> #GP(0)\n");
  TRY("movw $0xe8, %%dx\n\toutw %%ax, %%dx", : : "edx", "memory");
  rt_puts("  outb to 0xe9 is allowed (this text)\n");
  rt_puts("  insb from 0x3f8 (denied) -> #GP(0)\n");
  TRY("movw $0x3f8, %%dx\n\tmovl %0, %%edi\n\tinsb", : "r"(rt_user_stack) : "edx", "edi", "memory");
}

int test_main(void) {
  rt_puts("== rings-callgates ==\n");
  /* Call gates: type 0xC, DPL 3 (or 0), selector 0x08, parameter count 2 (Intel SDM vol. 3 5.8.3). */
  u32 off = (u32)gate_target;
  struct gdt_entry *g = &rt_gdt[G_GATE];
  g->limit_lo = (u16)off; g->base_lo = SEL_CODE32; g->base_mid = 2; g->access = ACC_P | ACC_DPL(3) | 0x0c;
  g->limit_hi_flags = (u8)(off >> 16); g->base_hi = (u8)(off >> 24);
  rt_gdt[G_GATE0] = *g;
  rt_gdt[G_GATE0].access = ACC_P | 0x0c;
  idt_set(0x82, SEL_CODE32, (u32)rt_isr_table + 16 * 0x82, GATE_INT32 | ACC_DPL(3));
  idt_set(3, SEL_CODE32, (u32)rt_isr_table + 16 * 3, GATE_TRAP32); /* DPL 0 for this test */
  rt_hook[0x82] = on_int82;
  rt_base = (u32)rt_user_stack_top;
  rt_user_call(user1, EFL_IOPL3);
  rt_puts("back in ring 0\n");

  /* A TSS with an I/O bitmap: only port 0xe9 allowed. */
  tss2.t.ss0 = SEL_DATA32;
  tss2.t.iomap = sizeof(struct tss32);
  for (int i = 0; i < 8192; i++) tss2.iomap[i] = 0xff;
  tss2.iomap[8192] = 0xff;
  tss2.iomap[0xe9 / 8] &= (u8)~(1 << (0xe9 % 8));
  gdt_set(G_TSS2, (u32)&tss2, sizeof(tss2) - 1, ACC_P | 0x09, 0);
  __asm__ volatile("ltr %w0" : : "r"(G_TSS2 << 3));
  rt_tss_esp0 = &tss2.t.esp0;
  rt_user_call(user_iopl0, 0x0002);
  rt_puts("back in ring 0\n");
  rt_printf("tss2 busy: type=%x\n", rt_gdt[G_TSS2].access & 0x0f);
  rt_puts("== done ==\n");
  return 0;
}
