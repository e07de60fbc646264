/* MUL/IMUL (one-, two- and three-operand forms) and DIV/IDIV including #DE on zero and overflow. */
/* Flags: after MUL/IMUL only CF and OF are defined; after DIV/IDIV none are (Intel SDM vol. 2),
   so only CF|OF are printed for multiplies and no flags for divides. On #DE the destination
   registers keep their old values (the fault happens before any write). */
#include "runtime.h"

#define CO (F_CF | F_OF)
static const u32 v32[] = {0, 1, 2, 0x7fffffff, 0x80000000, 0xffffffff, 0x10000, 0x12345678, 0xfffffff0};
static const u32 v16[] = {0, 1, 2, 0x7fff, 0x8000, 0xffff, 0x100, 0x1234, 0xfff0};
static const u32 v8[] = {0, 1, 2, 0x7f, 0x80, 0xff, 0x10, 0x12, 0xf0};
#define N 9

static void one_operand(void) {
  for (int i = 0; i < N; i++)
    for (int j = 0; j < N; j++) {
      u32 a, d, f;
      a = v32[i]; d = 0xdeadbeef;
      __asm__ volatile("mull %[s]\n\tpushfl\n\tpopl %[f]" : "+a"(a), "+d"(d), [f] "=r"(f) : [s] "r"(v32[j]) : "cc");
      rt_printf("mul32 %x %x -> %x:%x f%4x\n", v32[i], v32[j], d, a, f & CO);
      a = v32[i]; d = 0xdeadbeef;
      __asm__ volatile("imull %[s]\n\tpushfl\n\tpopl %[f]" : "+a"(a), "+d"(d), [f] "=r"(f) : [s] "r"(v32[j]) : "cc");
      rt_printf("imul32 %x %x -> %x:%x f%4x\n", v32[i], v32[j], d, a, f & CO);
      a = 0xcafe0000 | v16[i]; d = 0xbeef0000;
      __asm__ volatile("mulw %w[s]\n\tpushfl\n\tpopl %[f]" : "+a"(a), "+d"(d), [f] "=r"(f) : [s] "r"(v16[j]) : "cc");
      rt_printf("mul16 %4x %4x -> %x:%x f%4x\n", v16[i], v16[j], d, a, f & CO);
      a = 0xcafe0000 | v16[i]; d = 0xbeef0000;
      __asm__ volatile("imulw %w[s]\n\tpushfl\n\tpopl %[f]" : "+a"(a), "+d"(d), [f] "=r"(f) : [s] "r"(v16[j]) : "cc");
      rt_printf("imul16 %4x %4x -> %x:%x f%4x\n", v16[i], v16[j], d, a, f & CO);
      a = 0xcafeba00 | v8[i];
      __asm__ volatile("mulb %b[s]\n\tpushfl\n\tpopl %[f]" : "+a"(a), [f] "=r"(f) : [s] "q"(v8[j]) : "cc");
      rt_printf("mul8 %2x %2x -> %x f%4x\n", v8[i], v8[j], a, f & CO);
      a = 0xcafeba00 | v8[i];
      __asm__ volatile("imulb %b[s]\n\tpushfl\n\tpopl %[f]" : "+a"(a), [f] "=r"(f) : [s] "q"(v8[j]) : "cc");
      rt_printf("imul8 %2x %2x -> %x f%4x\n", v8[i], v8[j], a, f & CO);
      u32 r = v32[i];
      __asm__ volatile("imull %[s], %[r]\n\tpushfl\n\tpopl %[f]" : [r] "+r"(r), [f] "=r"(f) : [s] "r"(v32[j]) : "cc");
      rt_printf("imul32 r,r %x %x -> %x f%4x\n", v32[i], v32[j], r, f & CO);
      r = 0x55550000 | v16[i];
      __asm__ volatile("imulw %w[s], %w[r]\n\tpushfl\n\tpopl %[f]" : [r] "+r"(r), [f] "=r"(f) : [s] "r"(v16[j]) : "cc");
      rt_printf("imul16 r,r %4x %4x -> %x f%4x\n", v16[i], v16[j], r, f & CO);
    }
  static u32 m = 0x40000001;
  for (int i = 0; i < N; i++) {
    u32 r = 0x11111111, f;
    __asm__ volatile("imull $-3, %[s], %[r]\n\tpushfl\n\tpopl %[f]" : [r] "=&r"(r), [f] "=r"(f) : [s] "r"(v32[i]) : "cc");
    rt_printf("imul r,r,-3 %x -> %x f%4x\n", v32[i], r, f & CO);
    __asm__ volatile("imull $0x10001, %[s], %[r]\n\tpushfl\n\tpopl %[f]" : [r] "=&r"(r), [f] "=r"(f) : [s] "r"(v32[i]) : "cc");
    rt_printf("imul r,r,0x10001 %x -> %x f%4x\n", v32[i], r, f & CO);
    r = 0x22220000;
    __asm__ volatile("imulw $0x7f, %w[s], %w[r]\n\tpushfl\n\tpopl %[f]" : [r] "+r"(r), [f] "=r"(f) : [s] "r"(v16[i]) : "cc");
    rt_printf("imul16 r,r,0x7f %4x -> %x f%4x\n", v16[i], r, f & CO);
    r = v32[i];
    __asm__ volatile("imull %[m], %[r]\n\tpushfl\n\tpopl %[f]" : [r] "+r"(r), [f] "=r"(f) : [m] "m"(m) : "cc");
    rt_printf("imul r,mem %x -> %x f%4x\n", v32[i], r, f & CO);
  }
}

struct dv { u32 hi, lo, div; };
static const struct dv d32[] = {
  {0, 100, 7}, {0, 0xffffffff, 1}, {0, 0xffffffff, 0xffffffff}, {0x7fffffff, 0xffffffff, 0xffffffff},
  {1, 0, 2}, {0xffffffff, 0xffffffff, 0xffffffff}, {0xffffffff, 0xfffffff9, 2}, {0, 5, 0},
  {1, 0, 1}, {0xffffffff, 0x80000000, 0xffffffff}, {0, 0x80000000, 0xffffffff}, {0xffffffff, 0, 0x80000000},
  {0x3fffffff, 0xffffffff, 0x80000000}, {0xc0000000, 0x00000000, 0x80000000}, {0x12345678, 0x9abcdef0, 0x87654321},
};

static void divides(void) {
  for (unsigned i = 0; i < sizeof d32 / sizeof d32[0]; i++) {
    u32 a = d32[i].lo, d = d32[i].hi;
    rt_printf("div32 %x:%x / %x\n", d, a, d32[i].div);
    TRY("divl %[s]", "+a"(a), "+d"(d) : [s] "r"(d32[i].div) : "cc");
    rt_printf("  -> q=%x r=%x\n", a, d);
    a = d32[i].lo; d = d32[i].hi;
    rt_printf("idiv32 %x:%x / %x\n", d, a, d32[i].div);
    TRY("idivl %[s]", "+a"(a), "+d"(d) : [s] "r"(d32[i].div) : "cc");
    rt_printf("  -> q=%x r=%x\n", a, d);
    /* 16-bit: DX:AX / r16 using the low halves. */
    a = 0xaaaa0000 | (d32[i].lo & 0xffff); d = 0xbbbb0000 | (d32[i].hi & 0xffff);
    rt_printf("div16 %4x:%4x / %4x\n", d & 0xffff, a & 0xffff, d32[i].div & 0xffff);
    TRY("divw %w[s]", "+a"(a), "+d"(d) : [s] "r"(d32[i].div) : "cc");
    rt_printf("  -> %x %x\n", a, d);
    a = 0xaaaa0000 | (d32[i].lo & 0xffff); d = 0xbbbb0000 | (d32[i].hi & 0xffff);
    rt_printf("idiv16 %4x:%4x / %4x\n", d & 0xffff, a & 0xffff, d32[i].div & 0xffff);
    TRY("idivw %w[s]", "+a"(a), "+d"(d) : [s] "r"(d32[i].div) : "cc");
    rt_printf("  -> %x %x\n", a, d);
    /* 8-bit: AX / r8. */
    a = 0xcccc0000 | (d32[i].lo & 0xffff);
    rt_printf("div8 %4x / %2x\n", a & 0xffff, d32[i].div & 0xff);
    TRY("divb %b[s]", "+a"(a) : [s] "q"(d32[i].div) : "cc");
    rt_printf("  -> %x\n", a);
    a = 0xcccc0000 | (d32[i].lo & 0xffff);
    rt_printf("idiv8 %4x / %2x\n", a & 0xffff, d32[i].div & 0xff);
    TRY("idivb %b[s]", "+a"(a) : [s] "q"(d32[i].div) : "cc");
    rt_printf("  -> %x\n", a);
  }
  /* Signed edge cases that must fault or must not. */
  u32 a = 0xff80, d = 0;
  rt_puts("idiv8 ff80 / ff (-128 / -1 = 128 overflows)\n");
  TRY("idivb %b[s]", "+a"(a) : [s] "q"(0xff) : "cc");
  rt_printf("  -> %x\n", a);
  a = 0xff81;
  rt_puts("idiv8 ff81 / ff (-127 / -1 = 127 fits)\n");
  TRY("idivb %b[s]", "+a"(a) : [s] "q"(0xff) : "cc");
  rt_printf("  -> %x\n", a);
  a = 0x8000; d = 0xffff;
  rt_puts("idiv16 ffff:8000 / 8000 = 1\n");
  TRY("idivw %w[s]", "+a"(a), "+d"(d) : [s] "r"(0x8000) : "cc");
  rt_printf("  -> %x %x\n", a, d);
  static u32 mdiv = 3;
  a = 10; d = 0;
  TRY("divl %[m]", "+a"(a), "+d"(d) : [m] "m"(mdiv) : "cc");
  rt_printf("div mem 10/3 -> %x %x\n", a, d);
}

int test_main(void) {
  rt_puts("== muldiv ==\n");
  one_operand();
  divides();
  rt_puts("== done ==\n");
  return 0;
}
