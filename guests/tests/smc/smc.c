/* Self-modifying code: patch an immediate and an opcode of code that already ran, run it again;
   patch the next instruction in the same block (a 486 may prefetch; a jump after the store makes it visible). */
#include "runtime.h"

extern char smc_fn[], smc_imm[], smc_op[], smc_stream[], smc_stream_imm[];
u32 smc_fn_call(void);
__asm__(".text\n"
        ".globl smc_fn, smc_imm, smc_op, smc_fn_call\n"
        "smc_fn_call:\n"
        "smc_fn:\n"
        "\tmovl $0x11111111, %eax\n"
        "smc_imm = smc_fn + 1\n"
        "smc_op:\n"
        "\taddl $1, %eax\n" /* 83 c0 01: patched to 83 e8 01 (sub) */
        "\tret\n");

/* The store and the patched instruction in one straight-line sequence, separated by a jump. */
static u32 stream(u32 v) {
  u32 r;
  __asm__ volatile("movl %1, smc_stream_imm\n\t"
                   "jmp 1f\n"
                   "1:\n"
                   ".globl smc_stream, smc_stream_imm\n"
                   "smc_stream:\n\t"
                   "movl $0, %0\n"
                   "smc_stream_imm = smc_stream + 1\n"
                   : "=a"(r) : "r"(v) : "memory");
  return r;
}

int test_main(void) {
  rt_puts("== smc ==\n");
  rt_printf("first run: %x\n", smc_fn_call());
  *(volatile u32 *)smc_imm = 0x22222222;
  rt_printf("immediate patched: %x\n", smc_fn_call());
  ((volatile u8 *)smc_op)[1] = 0xe8; /* ADD -> SUB (83 /0 -> 83 /5) */
  rt_printf("opcode patched: %x\n", smc_fn_call());
  ((volatile u8 *)smc_op)[2] = 0x10;
  rt_printf("operand patched: %x\n", smc_fn_call());
  for (u32 i = 1; i <= 3; i++) rt_printf("stream store then jump: %x\n", stream(0xabc00000 + i));
  /* A loop that rewrites its own body every iteration. */
  u32 total = 0;
  for (u32 i = 0; i < 5; i++) {
    *(volatile u32 *)smc_imm = i * 0x100;
    total += smc_fn_call();
  }
  rt_printf("loop total: %x\n", total);
  rt_puts("== done ==\n");
  return 0;
}
