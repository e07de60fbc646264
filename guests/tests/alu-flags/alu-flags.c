/* ALU and flags: ADD/ADC/SUB/SBB/CMP/AND/OR/XOR/TEST/INC/DEC/NEG/NOT on 8/16/32-bit edge values. */
/* Flags are printed masked to the bits each instruction defines (Intel SDM vol. 2: AF is undefined
   after AND/OR/XOR/TEST; every other listed status flag is defined). */
#include "runtime.h"

static const u32 v8[] = {0, 1, 0x0f, 0x10, 0x7f, 0x80, 0x81, 0xfe, 0xff};
static const u32 v16[] = {0, 1, 0xff, 0x100, 0x7fff, 0x8000, 0x8001, 0xfffe, 0xffff};
static const u32 v32[] = {0, 1, 0xffff, 0x7fffffff, 0x80000000, 0x80000001, 0xfffffffe, 0xffffffff, 0x12345678};
#define N 9

#define LOGIC_MASK (F_ARITH & ~F_AF)

/* Two-operand register form: DEST op= SRC with EFLAGS = fin before, returns DEST and EFLAGS after. */
#define OP2(name, insn, T, cons)                                                                  \
  static u32 name(u32 a, u32 b, u32 fin, u32 *fout) {                                            \
    T d = (T)a, s = (T)b;                                                                        \
    u32 f;                                                                                       \
    __asm__ volatile("pushl %[fi]\n\tpopfl\n\t" insn " %[s], %[d]\n\tpushfl\n\tpopl %[fo]"      \
                     : [d] "+" cons(d), [fo] "=&r"(f)                                           \
                     : [s] cons(s), [fi] "r"(fin)                                                \
                     : "cc");                                                                    \
    *fout = f;                                                                                   \
    return d;                                                                                    \
  }
#define OP1(name, insn, T, cons)                                                                  \
  static u32 name(u32 a, u32 b, u32 fin, u32 *fout) {                                            \
    T d = (T)a;                                                                                  \
    u32 f;                                                                                       \
    (void)b;                                                                                     \
    __asm__ volatile("pushl %[fi]\n\tpopfl\n\t" insn " %[d]\n\tpushfl\n\tpopl %[fo]"            \
                     : [d] "+" cons(d), [fo] "=&r"(f)                                           \
                     : [fi] "r"(fin)                                                             \
                     : "cc");                                                                    \
    *fout = f;                                                                                   \
    return d;                                                                                    \
  }

#define SIZES2(op)                  \
  OP2(op##8, #op "b", u8, "q")      \
  OP2(op##16, #op "w", u16, "r")    \
  OP2(op##32, #op "l", u32, "r")
#define SIZES1(op)                  \
  OP1(op##8, #op "b", u8, "q")      \
  OP1(op##16, #op "w", u16, "r")    \
  OP1(op##32, #op "l", u32, "r")

SIZES2(add) SIZES2(adc) SIZES2(sub) SIZES2(sbb) SIZES2(cmp)
SIZES2(and) SIZES2(or) SIZES2(xor) SIZES2(test)
SIZES1(inc) SIZES1(dec) SIZES1(neg) SIZES1(not)

typedef u32 (*opfn)(u32, u32, u32, u32 *);
struct op { const char *name; opfn f[3]; u32 mask; int unary; int carry; };

#define ENTRY(op, mask, unary, carry) {#op, {op##8, op##16, op##32}, mask, unary, carry}
static const struct op ops[] = {
  ENTRY(add, F_ARITH, 0, 0), ENTRY(adc, F_ARITH, 0, 1), ENTRY(sub, F_ARITH, 0, 0),
  ENTRY(sbb, F_ARITH, 0, 1), ENTRY(cmp, F_ARITH, 0, 0), ENTRY(and, LOGIC_MASK, 0, 0),
  ENTRY(or, LOGIC_MASK, 0, 0), ENTRY(xor, LOGIC_MASK, 0, 0), ENTRY(test, LOGIC_MASK, 0, 0),
  ENTRY(inc, F_ARITH, 1, 1), ENTRY(dec, F_ARITH, 1, 1), ENTRY(neg, F_ARITH, 1, 0),
  ENTRY(not, F_ARITH, 1, 1),
};

static const int digits[3] = {2, 4, 8};
static const int bits[3] = {8, 16, 32};
static const u32 *const vals[3] = {v8, v16, v32};

/* Flags before each operation: all arithmetic flags clear (plus reserved bit 1), or all set. */
static const u32 fins[2] = {0x002, 0x002 | F_ARITH};

static void run_op(const struct op *o) {
  for (int sz = 0; sz < 3; sz++) {
    int w = digits[sz];
    for (int i = 0; i < N; i++) {
      for (int j = 0; j < (o->unary ? 1 : N); j++) {
        int nf = o->carry ? 2 : 1;
        for (int k = 0; k < nf; k++) {
          u32 fin = o->carry ? fins[k] : fins[(i + j) & 1];
          u32 a = vals[sz][i], b = vals[sz][j], fo;
          u32 r = o->f[sz](a, b, fin, &fo);
          rt_printf("%s%d ", o->name, bits[sz]);
          if (o->unary) { rt_hex(a, w); }
          else { rt_hex(a, w); rt_putc(' '); rt_hex(b, w); }
          rt_printf(" f%4x -> ", fin & F_ARITH);
          rt_hex(r, w);
          rt_printf(" f%4x\n", fo & o->mask);
        }
      }
    }
  }
}

/* Immediate and memory operand encodings (ModRM memory forms, imm8 sign-extended 0x83 group). */
static u32 mem32;
static u16 mem16;
static u8 mem8;

#define FORM(label, insn, var, init, fin)                                                      \
  do {                                                                                          \
    u32 f;                                                                                      \
    var = init;                                                                                 \
    __asm__ volatile("pushl %[fi]\n\tpopfl\n\t" insn "\n\tpushfl\n\tpopl %[fo]"                \
                     : [fo] "=&r"(f) : [fi] "r"((u32)(fin)) : "cc", "memory", "eax");            \
    rt_printf("%s -> %x f%4x\n", label, (u32)var, f & F_ARITH);                                  \
  } while (0)

static void forms(void) {
  FORM("addl $-1, mem32", "addl $-1, mem32", mem32, 1, 0x2);
  FORM("addl $0x7f, mem32", "addl $0x7f, mem32", mem32, 0x7fffff81, 0x2);
  FORM("subl $-128, mem32", "subl $-128, mem32", mem32, 0x7fffff80, 0x2);
  FORM("adcl $0x12345678, mem32", "adcl $0x12345678, mem32", mem32, 0xedcba987, 0x3);
  FORM("sbbw $1, mem16", "sbbw $1, mem16", mem16, 0x8001, 0x3);
  FORM("andl $0xffffff80, mem32", "andl $0xffffff80, mem32", mem32, 0x12345678, 0x2);
  FORM("orb $0x80, mem8", "orb $0x80, mem8", mem8, 0x01, 0x2);
  FORM("xorw $0xffff, mem16", "xorw $0xffff, mem16", mem16, 0x5555, 0x2);
  FORM("cmpb $0x80, mem8", "cmpb $0x80, mem8", mem8, 0x7f, 0x2);
  FORM("testl $0x80000000, mem32", "testl $0x80000000, mem32", mem32, 0x80000000, 0x2);
  FORM("incb mem8", "incb mem8", mem8, 0x7f, 0x3);
  FORM("decw mem16", "decw mem16", mem16, 0x8000, 0x2);
  FORM("negl mem32", "negl mem32", mem32, 0x80000000, 0x2);
  FORM("notb mem8", "notb mem8", mem8, 0x5a, 0x8d7);
  FORM("movl $5,%eax; addl %eax, mem32", "movl $5, %%eax\n\taddl %%eax, mem32", mem32, 0xfffffffb, 0x2);
  FORM("movl $5,%eax; subl mem32, %eax", "movl $5, %%eax\n\tsubl mem32, %%eax\n\tmovl %%eax, mem32", mem32, 6, 0x2);
  FORM("movb $0x80,%al; addb $0x80,%al", "movb $0x80, %%al\n\taddb $0x80, %%al\n\tmovb %%al, mem8", mem8, 0, 0x2);
  FORM("movw $0x7fff,%ax; addw $1,%ax", "movw $0x7fff, %%ax\n\taddw $1, %%ax\n\tmovw %%ax, mem16", mem16, 0, 0x2);
  FORM("movl $0,%eax; sbbl $0,%eax", "movl $0, %%eax\n\tsbbl $0, %%eax\n\tmovl %%eax, mem32", mem32, 0, 0x3);
  FORM("movb $0xf0,%ah; cmpb $0x10,%ah", "movb $0xf0, %%ah\n\tcmpb $0x10, %%ah\n\tmovb %%ah, mem8", mem8, 0, 0x2);
  /* Flags a logic op must leave alone: DF, IF (0 here) and TF stay; the reserved bit reads 1. */
  {
    u32 f;
    __asm__ volatile("pushl $0x8d7\n\tpopfl\n\tstd\n\txorl %%eax, %%eax\n\tpushfl\n\tpopl %0\n\tcld" : "=r"(f) : : "eax", "cc");
    rt_printf("std; xor eax,eax -> flags %x\n", f & ~F_AF);
  }
}

int test_main(void) {
  rt_puts("== alu-flags ==\n");
  for (unsigned i = 0; i < sizeof ops / sizeof ops[0]; i++) run_op(&ops[i]);
  forms();
  rt_puts("== done ==\n");
  return 0;
}
