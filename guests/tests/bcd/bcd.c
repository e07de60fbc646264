/* Decimal adjust: DAA/DAS/AAA/AAS/AAM/AAD over all AL values with AF/CF in, plus AAM 0 (#DE) and AAD/AAM bases. */
/* Undefined flags masked (Intel SDM vol. 2): DAA/DAS: OF; AAA/AAS: OF SF ZF PF (only AF CF defined);
   AAM/AAD: OF AF CF (only SF ZF PF defined). Output is a checksum line per 64 AL values plus
   sampled lines, to keep the golden short yet cover all 256 inputs with all four AF/CF inputs. */
#include "runtime.h"

#define OP(name, insn)                                                                                \
  static u32 name(u32 ax, u32 fin, u32 *fout) {                                                      \
    u32 f;                                                                                           \
    __asm__ volatile("pushl %[fi]\n\tpopfl\n\t" insn "\n\tpushfl\n\tpopl %[fo]"                     \
                     : "+a"(ax), [fo] "=&r"(f) : [fi] "r"(fin) : "cc");                              \
    *fout = f;                                                                                       \
    return ax;                                                                                       \
  }
OP(do_daa, "daa") OP(do_das, "das") OP(do_aaa, "aaa") OP(do_aas, "aas")
OP(do_aam, "aam") OP(do_aad, "aad") OP(do_aam16, "aam $16") OP(do_aad7, "aad $7")

typedef u32 (*fn)(u32, u32, u32 *);
struct op { const char *name; fn f; u32 mask; };
static const struct op ops[] = {
  {"daa", do_daa, F_ARITH & ~F_OF}, {"das", do_das, F_ARITH & ~F_OF},
  {"aaa", do_aaa, F_AF | F_CF}, {"aas", do_aas, F_AF | F_CF},
  {"aam", do_aam, F_SF | F_ZF | F_PF}, {"aad", do_aad, F_SF | F_ZF | F_PF},
  {"aam16", do_aam16, F_SF | F_ZF | F_PF}, {"aad7", do_aad7, F_SF | F_ZF | F_PF},
};

int test_main(void) {
  rt_puts("== bcd ==\n");
  for (unsigned o = 0; o < sizeof ops / sizeof ops[0]; o++) {
    for (u32 fl = 0; fl < 4; fl++) {
      u32 fin = 0x002 | ((fl & 1) ? F_CF : 0) | ((fl & 2) ? F_AF : 0);
      u32 sum = 0;
      for (u32 al = 0; al < 256; al++) {
        u32 ah = (al * 7 + 3) & 0xff; /* a varying AH, for AAA/AAS/AAD */
        u32 in = 0x12340000 | (ah << 8) | al, fo;
        u32 r = ops[o].f(in, fin, &fo);
        fo &= ops[o].mask;
        sum = sum * 31 + r * 7 + fo;
        if ((al & 15) == 9 || (al & 15) == 10 || al >= 0xf8 || (al >= 0x98 && al <= 0x9b))
          rt_printf("%s ax=%4x cf=%d af=%d -> %x f%4x\n", ops[o].name, in & 0xffff, fl & 1, fl >> 1, r, fo);
        if ((al & 63) == 63) { rt_printf("%s cf=%d af=%d al=%2x.. sum=%x\n", ops[o].name, fl & 1, fl >> 1, al - 63, sum); sum = 0; }
      }
    }
  }
  u32 ax = 0x1234;
  rt_puts("aam 0 (#DE, AX unchanged)\n");
  TRY("aam $0", "+a"(ax) : : "cc");
  rt_printf("  -> %x\n", ax);
  rt_puts("== done ==\n");
  return 0;
}
