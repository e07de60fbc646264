/* Debug registers: DR0-DR3 instruction and data breakpoints (read/write and write-only, lengths),
   DR6 status bits (B0-B3, BS), DR7 enables, and RF so an instruction breakpoint does not repeat. */
#include "runtime.h"

static volatile u32 data[4];
static volatile u32 hits;
extern char bp_insn[];

static void on_db(struct frame *f) {
  u32 dr6;
  __asm__ volatile("movl %%dr6, %0" : "=r"(dr6));
  hits++;
  const char *where = f->eip == (u32)bp_insn ? "bp_insn" : "";
  if (where[0]) rt_printf("  #DB dr6&e00f=%4x eip=bp_insn\n", dr6 & 0xe00f);
  else if (rt_fault_at && f->eip - rt_fault_at < 64) rt_printf("  #DB dr6&e00f=%4x eip=insn+%2x\n", dr6 & 0xe00f, f->eip - rt_fault_at);
  else rt_printf("  #DB dr6&e00f=%4x eip=%x\n", dr6 & 0xe00f, f->eip);
  __asm__ volatile("movl %0, %%dr6" : : "r"(0u));
  f->eflags |= F_RF; /* resume without re-triggering an instruction breakpoint */
}

static void set_dr7(u32 v) { __asm__ volatile("movl %0, %%dr7" : : "r"(v)); }

int test_main(void) {
  rt_puts("== debug-registers ==\n");
  rt_hook[1] = on_db;
  __asm__ volatile("movl %0, %%dr6" : : "r"(0u));
  u32 v;
  __asm__ volatile("movl %0, %%dr0\n\tmovl %%dr0, %1" : "=r"(v) : "r"(0x12345678u) : "memory");
  rt_printf("dr0 write/read: %x\n", v);

  rt_puts("instruction breakpoint DR0 (L0, RW=00, LEN=00)\n");
  __asm__ volatile("movl %0, %%dr0" : : "r"(bp_insn));
  set_dr7(0x00000001);
  TRY("nop\n.globl bp_insn\nbp_insn:\n\tmovl $1, %%eax\n\tnop", : : "eax", "memory");
  TRY("nop\n\tcall 2f\n\tjmp 3f\n2:\n\tret\n3:", : : "memory");
  rt_printf("  hits=%d\n", hits);
  set_dr7(0);

  rt_puts("data write breakpoint DR1 on data[1] (G1, RW=01, LEN=11)\n");
  __asm__ volatile("movl %0, %%dr1" : : "r"(&data[1]));
  set_dr7(0x00000008 | (0x1 << 20) | (0x3 << 22));
  hits = 0;
  TRY("movl $5, %0\n\tnop", "=m"(data[0]) : : "memory");
  TRY("movl $6, %0\n\tnop", "=m"(data[1]) : : "memory");
  TRY("movl %0, %%eax\n\tnop", : "m"(data[1]) : "eax", "memory");
  TRY("movb $7, %0\n\tnop", "=m"(((volatile u8 *)data)[6]) : : "memory");
  rt_printf("  hits=%d\n", hits);

  rt_puts("data read/write breakpoint DR2 on data[2] byte 1 (L2, RW=11, LEN=00)\n");
  __asm__ volatile("movl %0, %%dr2" : : "r"((u8 *)&data[2] + 1));
  set_dr7(0x00000010 | (0x3 << 24) | (0x0 << 26));
  hits = 0;
  TRY("movl %0, %%eax\n\tnop", : "m"(data[2]) : "eax", "memory");
  TRY("movb %0, %%al\n\tnop", : "m"(*((volatile u8 *)&data[2])) : "eax", "memory");
  TRY("movw $1, %0\n\tnop", "=m"(*((volatile u16 *)&data[2] + 0)) : : "memory");
  rt_printf("  hits=%d\n", hits);

  /* Not compared with QEMU: two breakpoints matching one access (silicon sets B0 and B3, QEMU 7.2
     only B0) and single-step combined with a data breakpoint (QEMU reports a spurious #DB). */
  __asm__ volatile("movl %0, %%dr3" : : "r"(&data[3]));
  rt_puts("disabled in DR7: no trap\n");
  set_dr7(0);
  hits = 0;
  TRY("movl %0, %%eax\n\tnop", : "m"(data[3]) : "eax", "memory");
  rt_printf("  hits=%d\n", hits);

  rt_puts("== done ==\n");
  return 0;
}
