/* Virtual-8086 mode: enter through IRET with VM=1, IOPL-sensitive instructions (CLI/STI/PUSHF/POPF/INT n)
   raise #GP at IOPL 0 and run at IOPL 3, INT n at IOPL 3 goes through the protected-mode IDT,
   I/O is checked against the TSS bitmap whatever IOPL is, HLT raises #GP; segment loads are real-mode style. */
#include "runtime.h"

extern char v86_blob[], v86_blob_end[], v86_iopl0[], v86_iopl3[], v86_res[];
extern char rt_user_resume[];
void v86_call(u32 ip, u32 eflags);

static void on_gp(struct frame *f) {
  if (!(f->eflags & F_VM)) { rt_print_fault(f); rt_exit(0x7e); }
  u8 *ip = (u8 *)((f->cs & 0xffff) * 16 + (f->eip & 0xffff));
  rt_printf("  #GP from v86 err=%4x cs:ip=%4x:%4x opcode=%2x iopl=%d\n", f->err, f->cs & 0xffff, f->eip & 0xffff, ip[0], (f->eflags >> 12) & 3);
  if (ip[0] == 0xf4) { /* HLT: leave V86 */
    f->eip = (u32)rt_user_resume;
    f->cs = SEL_CODE32;
    f->eflags = 0x2;
    f->ds = f->es = f->fs = f->gs = SEL_DATA32;
    return;
  }
  /* Skip the instruction: INT n and IN imm8 are 2 bytes, the others here 1. */
  f->eip += (ip[0] == 0xcd || ip[0] == 0xe4) ? 2 : 1;
}

static void on_int31(struct frame *f) {
  rt_printf("  INT 31 from v86: vm=%d cs=%4x ss:sp=%4x:%4x ds=%4x es=%4x fs=%4x gs=%4x ax=%4x seg regs now ds=%4x\n", (f->eflags >> 17) & 1,
            f->cs & 0xffff, f->ss & 0xffff, f->esp & 0xffff, f->v86_ds & 0xffff, f->v86_es & 0xffff, f->v86_fs & 0xffff,
            f->v86_gs & 0xffff, f->eax & 0xffff, f->ds & 0xffff);
  f->eax += 0x31;
}

int test_main(void) {
  rt_puts("== v86 ==\n");
  for (u32 i = 0; i < (u32)(v86_blob_end - v86_blob); i++) ((volatile u8 *)0x7000)[i] = (u8)v86_blob[i];
  *(volatile u16 *)0x8000 = 0xcafe;
  u16 *res = (u16 *)(0x7000 + (v86_res - v86_blob));
  rt_hook[13] = on_gp;
  rt_hook[0x31] = on_int31;
  idt_set(0x31, SEL_CODE32, (u32)rt_isr_table + 16 * 0x31, GATE_INT32 | ACC_DPL(3));
  rt_puts("v86 with IOPL 0\n");
  v86_call((u32)(v86_iopl0 - v86_blob), F_VM | 0x0002);
  rt_printf("  read 0800:0000 = %4x\n", res[0]);
  rt_puts("v86 with IOPL 3\n");
  v86_call((u32)(v86_iopl3 - v86_blob), F_VM | 0x3002);
  rt_printf("  pushf image=%4x, ax after INT 31=%4x\n", res[1], res[2]);
  rt_puts("== done ==\n");
  return 0;
}
