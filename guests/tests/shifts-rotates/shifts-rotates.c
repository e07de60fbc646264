/* Shifts and rotates: SHL/SHR/SAR/ROL/ROR/RCL/RCR by CL (0, 1, size, above size, masked) and by 1/imm. */
/* Flags masked to what Intel SDM vol. 2 defines: count 0 changes nothing; OF only for count 1;
   AF undefined for a nonzero shift count; CF undefined for SHL/SHR when count >= operand size;
   rotates touch only CF and OF (OF defined only for count 1). */
#include "runtime.h"

#define SH(name, insn, T, cons)                                                               \
  static u32 name(u32 a, u32 cnt, u32 fin, u32 *fout) {                                      \
    T d = (T)a;                                                                              \
    u32 f;                                                                                   \
    __asm__ volatile("pushl %[fi]\n\tpopfl\n\t" insn " %%cl, %[d]\n\tpushfl\n\tpopl %[fo]"  \
                     : [d] "+" cons(d), [fo] "=&r"(f)                                       \
                     : "c"(cnt), [fi] "r"(fin)                                               \
                     : "cc");                                                                \
    *fout = f;                                                                               \
    return d;                                                                                \
  }
#define SIZES(op) SH(op##8, #op "b", u8, "q") SH(op##16, #op "w", u16, "r") SH(op##32, #op "l", u32, "r")
SIZES(shl) SIZES(shr) SIZES(sar) SIZES(rol) SIZES(ror) SIZES(rcl) SIZES(rcr)

typedef u32 (*shfn)(u32, u32, u32, u32 *);
struct op { const char *name; shfn f[3]; int kind; }; /* kind 0 shift, 1 SHL/SHR (CF undefined at >= size), 2 rotate */
#define E(op, kind) {#op, {op##8, op##16, op##32}, kind}
static const struct op ops[] = { E(shl, 1), E(shr, 1), E(sar, 0), E(rol, 2), E(ror, 2), E(rcl, 2), E(rcr, 2) };

static const u32 v8[] = {0x00, 0x01, 0x80, 0x81, 0x7f, 0xa5};
static const u32 v16[] = {0x0000, 0x0001, 0x8000, 0x8001, 0x7fff, 0xa55a};
static const u32 v32[] = {0x00000000, 0x00000001, 0x80000000, 0x80000001, 0x7fffffff, 0xa55a0ff0};
static const u32 *const vals[3] = {v8, v16, v32};
static const u32 counts[] = {0, 1, 2, 4, 7, 8, 9, 15, 16, 17, 31, 32, 33, 0xff};
static const int bits[3] = {8, 16, 32};

static u32 mask_for(int kind, int size, u32 cnt) {
  u32 c = cnt & 31;
  if (c == 0) return F_ARITH; /* nothing changes: every flag must survive */
  u32 m;
  if (kind == 2) m = F_CF | F_OF; /* rotates leave SF ZF AF PF alone (they stay as set before) */
  else m = F_CF | F_PF | F_ZF | F_SF | F_OF;
  if (kind == 2) m |= F_PF | F_ZF | F_SF | F_AF;
  if (c != 1) m &= ~F_OF;
  if (kind == 1 && c >= (u32)size) m &= ~F_CF;
  return m;
}

static void run(const struct op *o) {
  for (int sz = 0; sz < 3; sz++) {
    int w = bits[sz] / 4;
    for (int i = 0; i < 6; i++)
      for (unsigned j = 0; j < sizeof counts / sizeof counts[0]; j++)
        for (int k = 0; k < 2; k++) {
          u32 fin = k ? (0x002 | F_ARITH) : 0x002, fo, a = vals[sz][i], c = counts[j];
          u32 r = o->f[sz](a, c, fin, &fo);
          rt_printf("%s%d ", o->name, bits[sz]);
          rt_hex(a, w);
          rt_printf(" cl=%2x f%4x -> ", c, fin & F_ARITH);
          rt_hex(r, w);
          rt_printf(" f%4x\n", fo & mask_for(o->kind, bits[sz], c));
        }
  }
}

/* The by-1 (D0/D1) and by-imm8 (C0/C1) encodings. */
#define FORM(label, insn, init, fin, mask)                                                                   \
  do {                                                                                                 \
    u32 v = init, f;                                                                                   \
    __asm__ volatile("pushl %[fi]\n\tpopfl\n\t" insn "\n\tpushfl\n\tpopl %[fo]"                       \
                     : "+a"(v), [fo] "=&r"(f) : [fi] "r"((u32)(fin)) : "cc");                          \
    rt_printf("%s %x -> %x f%4x\n", label, (u32)(init), v, f & (mask));  \
  } while (0)

int test_main(void) {
  rt_puts("== shifts-rotates ==\n");
  for (unsigned i = 0; i < sizeof ops / sizeof ops[0]; i++) run(&ops[i]);
  FORM("shl $1,%eax", "shll $1, %%eax", 0x40000000, 0x2, F_CF | F_OF | F_SF | F_ZF | F_PF);
  FORM("shl $1,%eax", "shll $1, %%eax", 0xc0000000, 0x2, F_CF | F_OF | F_SF | F_ZF | F_PF);
  FORM("shr $1,%ax", "shrw $1, %%ax", 0x8001, 0x2, F_CF | F_OF | F_SF | F_ZF | F_PF);
  FORM("sar $1,%al", "sarb $1, %%al", 0x81, 0x2, F_CF | F_OF | F_SF | F_ZF | F_PF);
  FORM("shl $4,%eax", "shll $4, %%eax", 0x1234567f, 0x2, F_CF | F_SF | F_ZF | F_PF);
  FORM("sar $31,%eax", "sarl $31, %%eax", 0x80000000, 0x2, F_CF | F_SF | F_ZF | F_PF);
  FORM("rol $1,%eax", "roll $1, %%eax", 0x80000000, 0x2, F_CF | F_OF | F_SF | F_ZF | F_PF);
  FORM("ror $1,%eax", "rorl $1, %%eax", 0x00000001, 0x2, F_CF | F_OF | F_SF | F_ZF | F_PF);
  FORM("rcl $1,%eax", "rcll $1, %%eax", 0x80000000, 0x3, F_CF | F_OF | F_SF | F_ZF | F_PF);
  FORM("rcr $1,%eax", "rcrl $1, %%eax", 0x00000001, 0x2, F_CF | F_OF | F_SF | F_ZF | F_PF);
  FORM("rol $8,%ax", "rolw $8, %%ax", 0x1234, 0x2, F_CF | F_SF | F_ZF | F_PF);
  FORM("ror $4,%al", "rorb $4, %%al", 0x5f, 0x2, F_CF | F_SF | F_ZF | F_PF);
  FORM("shr $0x24,%eax", "shrl $0x24, %%eax", 0x87654321, 0x2, F_CF | F_SF | F_ZF | F_PF);
  rt_puts("== done ==\n");
  return 0;
}
