/* Bit operations: BT/BTS/BTR/BTC (register and memory, large/negative offsets), BSF/BSR, SHLD/SHRD, BSWAP, XADD, CMPXCHG. */
/* Flags masked to the defined ones (Intel SDM vol. 2): BTx: CF (ZF unaffected, others undefined);
   BSF/BSR: ZF only, destination undefined when the source is 0 (not printed then);
   SHLD/SHRD: CF SF ZF PF for a nonzero count, OF only for count 1, AF undefined, 16-bit counts
   above 16 undefined (not used); XADD/CMPXCHG: all six, like ADD/CMP. */
#include "runtime.h"

static u32 bitmap[64]; /* 2048 bits; BT with a memory operand addresses bit (base + offset) */

#define BT_MASK (F_CF | F_ZF)

static void bt_forms(void) {
  static const u32 vals[] = {0x00000000, 0xffffffff, 0x80000001, 0x12345678};
  static const u32 offs[] = {0, 1, 31, 32, 33, 63, 0xff, 0x80000000};
  for (int i = 0; i < 4; i++)
    for (int j = 0; j < 8; j++) {
      u32 v, f;
#define BTR(insn)                                                                                                  \
  v = vals[i];                                                                                                     \
  __asm__ volatile("pushl $2\n\tpopfl\n\t" insn " %[o], %[v]\n\tpushfl\n\tpopl %[f]" : [v] "+r"(v), [f] "=&r"(f) : [o] "r"(offs[j]) : "cc"); \
  rt_printf(insn " r %x bit %x -> %x f%4x\n", vals[i], offs[j], v, f & BT_MASK);
      BTR("btl") BTR("btsl") BTR("btrl") BTR("btcl")
      u32 w = vals[i];
      __asm__ volatile("pushl $0x8d7\n\tpopfl\n\tbtsw %w[o], %w[v]\n\tpushfl\n\tpopl %[f]" : [v] "+r"(w), [f] "=&r"(f) : [o] "r"(offs[j]) : "cc");
      rt_printf("btsw r %x bit %4x -> %x f%4x\n", vals[i], offs[j] & 0xffff, w, f & BT_MASK);
    }
  /* Immediate forms: the offset is taken modulo the operand size even for memory. */
  for (int k = 0; k < 64; k++) bitmap[k] = 0;
  u32 f;
  __asm__ volatile("btsl $37, bitmap\n\tpushfl\n\tpopl %0" : "=r"(f) : : "cc", "memory");
  rt_printf("btsl $37, mem -> bitmap[0]=%x bitmap[1]=%x cf=%d\n", bitmap[0], bitmap[1], f & 1);
  __asm__ volatile("btcw $20, bitmap\n\tpushfl\n\tpopl %0" : "=r"(f) : : "cc", "memory");
  rt_printf("btcw $20, mem -> bitmap[0]=%x cf=%d\n", bitmap[0], f & 1);
  /* Register offsets address the whole bit string, including negative offsets (signed). */
  static const s32 moffs[] = {0, 5, 31, 32, 100, 1000, 1023, -1, -32, -33, -1024};
  u32 *base = &bitmap[32];
  for (int q = 0; q < 64; q++) bitmap[q] = 0;
  for (unsigned k = 0; k < sizeof moffs / sizeof moffs[0]; k++) {
    u32 cf1, cf2, cf3;
    __asm__ volatile("btsl %[o], (%[b])\n\tsbbl %[c1], %[c1]\n\tbtl %[o], (%[b])\n\tsbbl %[c2], %[c2]\n\tbtrl %[o], (%[b])\n\tsbbl %[c3], %[c3]\n\tbtcl %[o], (%[b])"
                     : [c1] "=&r"(cf1), [c2] "=&r"(cf2), [c3] "=&r"(cf3) : [o] "r"(moffs[k]), [b] "r"(base) : "cc", "memory");
    u32 sum = 0;
    int where = -1;
    for (int q = 0; q < 64; q++) { sum += bitmap[q]; if (bitmap[q] && where < 0) where = q; }
    rt_printf("bts/bt/btr/btc mem offset %x: cf %d %d %d, word %d = %x\n", (u32)moffs[k], cf1 & 1, cf2 & 1, cf3 & 1, (u32)where, sum);
    for (int q = 0; q < 64; q++) bitmap[q] = 0;
  }
  u16 *base16 = (u16 *)&bitmap[32];
  for (unsigned k = 0; k < sizeof moffs / sizeof moffs[0]; k++) {
    s16 o = (s16)moffs[k];
    __asm__ volatile("btsw %[o], (%[b])" : : [o] "r"(o), [b] "r"(base16) : "cc", "memory");
    int where = -1;
    for (int q = 0; q < 64; q++) if (bitmap[q] && where < 0) where = q;
    rt_printf("btsw mem offset %4x: word %d = %x\n", (u32)(u16)o, (u32)where, where >= 0 ? bitmap[where] : 0);
    for (int q = 0; q < 64; q++) bitmap[q] = 0;
  }
}

static void scans(void) {
  static const u32 vals[] = {0, 1, 0x80000000, 0x00010000, 0xffffffff, 0x00f00f00, 0x8000, 0x12345678};
  for (int i = 0; i < 8; i++) {
    u32 r, f;
    r = 0xdeadbeef;
    __asm__ volatile("bsfl %[s], %[r]\n\tpushfl\n\tpopl %[f]" : [r] "+r"(r), [f] "=r"(f) : [s] "r"(vals[i]) : "cc");
    if (f & F_ZF) rt_printf("bsf %x -> zf\n", vals[i]);
    else rt_printf("bsf %x -> %x\n", vals[i], r);
    r = 0xdeadbeef;
    __asm__ volatile("bsrl %[s], %[r]\n\tpushfl\n\tpopl %[f]" : [r] "+r"(r), [f] "=r"(f) : [s] "r"(vals[i]) : "cc");
    if (f & F_ZF) rt_printf("bsr %x -> zf\n", vals[i]);
    else rt_printf("bsr %x -> %x\n", vals[i], r);
    r = 0xdead0000;
    __asm__ volatile("bsfw %w[s], %w[r]\n\tpushfl\n\tpopl %[f]" : [r] "+r"(r), [f] "=r"(f) : [s] "r"(vals[i]) : "cc");
    if (f & F_ZF) rt_printf("bsfw %4x -> zf\n", vals[i] & 0xffff);
    else rt_printf("bsfw %4x -> %x\n", vals[i] & 0xffff, r);
    r = 0xdead0000;
    __asm__ volatile("bsrw %w[s], %w[r]\n\tpushfl\n\tpopl %[f]" : [r] "+r"(r), [f] "=r"(f) : [s] "r"(vals[i]) : "cc");
    if (f & F_ZF) rt_printf("bsrw %4x -> zf\n", vals[i] & 0xffff);
    else rt_printf("bsrw %4x -> %x\n", vals[i] & 0xffff, r);
  }
}

static void double_shifts(void) {
  static const u32 counts[] = {0, 1, 4, 16, 31, 32, 33};
  static const u32 a[] = {0x12345678, 0x80000001, 0xffffffff};
  static const u32 b[] = {0x9abcdef0, 0x00000000, 0x80000000};
  for (int i = 0; i < 3; i++)
    for (int j = 0; j < 7; j++) {
      u32 c = counts[j], m = (c & 31) == 0 ? F_ARITH : (c & 31) == 1 ? (F_ARITH & ~F_AF) : (F_ARITH & ~F_AF & ~F_OF);
      u32 d = a[i], f;
      __asm__ volatile("pushl $0x8d7\n\tpopfl\n\tshldl %%cl, %[s], %[d]\n\tpushfl\n\tpopl %[f]" : [d] "+r"(d), [f] "=&r"(f) : [s] "r"(b[i]), "c"(c) : "cc");
      rt_printf("shld %x %x cl=%2x -> %x f%4x\n", a[i], b[i], c, d, f & m);
      d = a[i];
      __asm__ volatile("pushl $0x002\n\tpopfl\n\tshrdl %%cl, %[s], %[d]\n\tpushfl\n\tpopl %[f]" : [d] "+r"(d), [f] "=&r"(f) : [s] "r"(b[i]), "c"(c) : "cc");
      rt_printf("shrd %x %x cl=%2x -> %x f%4x\n", a[i], b[i], c, d, f & m);
      if ((c & 31) <= 16) {
        d = a[i];
        __asm__ volatile("pushl $0x002\n\tpopfl\n\tshldw %%cl, %w[s], %w[d]\n\tpushfl\n\tpopl %[f]" : [d] "+r"(d), [f] "=&r"(f) : [s] "r"(b[i]), "c"(c) : "cc");
        rt_printf("shldw %4x %4x cl=%2x -> %x f%4x\n", a[i] & 0xffff, b[i] & 0xffff, c, d, f & m);
        d = a[i];
        __asm__ volatile("pushl $0x002\n\tpopfl\n\tshrdw %%cl, %w[s], %w[d]\n\tpushfl\n\tpopl %[f]" : [d] "+r"(d), [f] "=&r"(f) : [s] "r"(b[i]), "c"(c) : "cc");
        rt_printf("shrdw %4x %4x cl=%2x -> %x f%4x\n", a[i] & 0xffff, b[i] & 0xffff, c, d, f & m);
      }
    }
  u32 d = 0x11223344, f;
  __asm__ volatile("pushl $2\n\tpopfl\n\tshldl $8, %[s], %[d]\n\tpushfl\n\tpopl %[f]" : [d] "+r"(d), [f] "=&r"(f) : [s] "r"(0xaabbccdd) : "cc");
  rt_printf("shld $8 -> %x f%4x\n", d, f & (F_ARITH & ~F_AF & ~F_OF));
  static u32 md = 0x11223344;
  __asm__ volatile("pushl $2\n\tpopfl\n\tshrdl $12, %[s], %[m]\n\tpushfl\n\tpopl %[f]" : [f] "=&r"(f), [m] "+m"(md) : [s] "r"(0xaabbccdd) : "cc");
  rt_printf("shrd $12, mem -> %x f%4x\n", md, f & (F_ARITH & ~F_AF & ~F_OF));
}

static void atomics(void) {
  u32 r = 0x12345678;
  __asm__ volatile("bswap %0" : "+r"(r));
  rt_printf("bswap -> %x\n", r);
  static const u32 pairs[][2] = {{1, 2}, {0xffffffff, 1}, {0x7fffffff, 1}, {0x80000000, 0x80000000}};
  for (int i = 0; i < 4; i++) {
    u32 d = pairs[i][0], s = pairs[i][1], f;
    __asm__ volatile("pushl $2\n\tpopfl\n\txaddl %[s], %[d]\n\tpushfl\n\tpopl %[f]" : [s] "+r"(s), [d] "+r"(d), [f] "=&r"(f) : : "cc");
    rt_printf("xadd %x %x -> d=%x s=%x f%4x\n", pairs[i][0], pairs[i][1], d, s, f & F_ARITH);
    u32 b = pairs[i][0] & 0xff, c = (pairs[i][1] & 0xff) | 0xab00;
    __asm__ volatile("pushl $2\n\tpopfl\n\txaddb %b[s], %b[d]\n\tpushfl\n\tpopl %[f]" : [s] "+q"(c), [d] "+q"(b), [f] "=&r"(f) : : "cc");
    rt_printf("xaddb -> d=%x s=%x f%4x\n", b, c, f & F_ARITH);
  }
  static u32 m;
  static const u32 cx[][3] = {{5, 5, 9}, {5, 6, 9}, {0x80000000, 0x7fffffff, 1}, {0, 0xffffffff, 2}};
  for (int i = 0; i < 4; i++) {
    u32 a = cx[i][1], f;
    m = cx[i][0];
    __asm__ volatile("pushl $2\n\tpopfl\n\tlock cmpxchgl %[n], %[m]\n\tpushfl\n\tpopl %[f]" : "+a"(a), [f] "=&r"(f), [m] "+m"(m) : [n] "r"(cx[i][2]) : "cc");
    rt_printf("cmpxchg mem=%x eax=%x new=%x -> mem=%x eax=%x f%4x\n", cx[i][0], cx[i][1], cx[i][2], m, a, f & F_ARITH);
    u32 d = cx[i][0];
    a = cx[i][1];
    __asm__ volatile("pushl $2\n\tpopfl\n\tcmpxchgw %w[n], %w[d]\n\tpushfl\n\tpopl %[f]" : "+a"(a), [d] "+r"(d), [f] "=&r"(f) : [n] "r"(cx[i][2]) : "cc");
    rt_printf("cmpxchgw -> d=%x eax=%x f%4x\n", d, a, f & F_ARITH);
    d = cx[i][0];
    a = cx[i][1] | 0x3300;
    __asm__ volatile("pushl $2\n\tpopfl\n\tcmpxchgb %b[n], %b[d]\n\tpushfl\n\tpopl %[f]" : "+a"(a), [d] "+q"(d), [f] "=&r"(f) : [n] "q"(cx[i][2]) : "cc");
    rt_printf("cmpxchgb -> d=%x eax=%x f%4x\n", d, a, f & F_ARITH);
  }
}

int test_main(void) {
  rt_puts("== bitops ==\n");
  bt_forms();
  scans();
  double_shifts();
  atomics();
  rt_puts("== done ==\n");
  return 0;
}
