/* String instructions: MOVS/CMPS/SCAS/LODS/STOS, REP/REPE/REPNE, DF, 16-bit address size and wrap. */
#include "runtime.h"

static u8 src[256], dst[256];
static u8 seg[0x10000 + 16] __attribute__((aligned(16))); /* a 64 KiB window for 16-bit addressing */
#define SEL_WIN 0x40                                        /* data segment: base = seg, limit 0xFFFF */

static u32 sum(const u8 *p, u32 n) {
  u32 s = 0;
  for (u32 i = 0; i < n; i++) s = s * 33 + p[i];
  return s;
}

static void reset(void) {
  for (int i = 0; i < 256; i++) { src[i] = (u8)(i * 7 + 1); dst[i] = 0xee; }
}

struct regs { u32 esi, edi, ecx, eax, f; };

#define STR(label, insns, esi0, edi0, ecx0, eax0)                                                   \
  do {                                                                                             \
    struct regs r = {(u32)(esi0), (u32)(edi0), (u32)(ecx0), (u32)(eax0), 0};                       \
    __asm__ volatile("pushl $2\n\tpopfl\n\t" insns "\n\tpushfl\n\tpopl %[f]\n\tcld"              \
                     : "+S"(r.esi), "+D"(r.edi), "+c"(r.ecx), "+a"(r.eax), [f] "=&r"(r.f)         \
                     : : "cc", "memory");                                                          \
    rt_printf("%s: esi+%x edi+%x ecx=%x eax=%x f%4x dst=%x\n", label, r.esi - (u32)(esi0),        \
              r.edi - (u32)(edi0), r.ecx, r.eax, r.f & (F_ARITH | F_DF), sum(dst, 256));          \
  } while (0)

int test_main(void) {
  rt_puts("== string ==\n");
  u8 *s = src, *d = dst;
  reset(); STR("movsb", "movsb", s, d, 5, 0);
  reset(); STR("rep movsb 16", "rep movsb", s, d, 16, 0);
  reset(); STR("rep movsw 16", "rep movsw", s, d, 16, 0);
  reset(); STR("rep movsl 16", "rep movsl", s, d, 16, 0);
  reset(); STR("rep movsb ecx=0", "rep movsb", s, d, 0, 0);
  reset(); STR("std; rep movsb 16", "std\n\trep movsb", s + 15, d + 15, 16, 0);
  reset(); STR("std; rep movsl 4", "std\n\trep movsl", s + 12, d + 12, 4, 0);
  reset(); STR("rep stosb", "rep stosb", s, d + 3, 7, 0x1234abcd);
  reset(); STR("rep stosw", "rep stosw", s, d + 3, 7, 0x1234abcd);
  reset(); STR("rep stosl", "rep stosl", s, d + 3, 7, 0x1234abcd);
  reset(); STR("lodsb", "lodsb", s + 9, d, 0, 0xffffffff);
  reset(); STR("lodsw", "lodsw", s + 9, d, 0, 0xffffffff);
  reset(); STR("rep lodsl", "rep lodsl", s + 9, d, 3, 0xffffffff);
  reset(); STR("std; lodsl", "std\n\tlodsl", s + 9, d, 0, 0);
  /* CMPS/SCAS: flags like CMP; REPE stops at the first difference, REPNE at the first match. */
  reset();
  for (int i = 0; i < 20; i++) dst[i] = src[i];
  dst[13] ^= 0x80;
  STR("repe cmpsb (differs at 13)", "repe cmpsb", s, d, 100, 0);
  STR("repe cmpsb (equal, ecx runs out)", "repe cmpsb", s, d, 13, 0);
  STR("repe cmpsl", "repe cmpsl", s, d, 10, 0);
  STR("repne cmpsb (first equal at 0)", "repne cmpsb", s, d, 10, 0);
  STR("repne cmpsb (from 13)", "repne cmpsb", s + 13, d + 13, 10, 0);
  STR("cmpsw", "cmpsw", s, d, 0, 0);
  STR("repne scasb (find 0x24)", "repne scasb", s, s, 200, 0x24);
  STR("repne scasb (not found)", "repne scasb", s, s, 30, 0x02);
  STR("repe scasb (skip equal)", "repe scasb", d + 200, d + 200, 50, 0xee);
  STR("scasl", "scasl", s, s, 0, 0x16100801);
  STR("std; repne scasb", "std\n\trepne scasb", s + 100, s + 100, 200, 0x08);
  STR("repe cmpsb ecx=0 keeps flags", "pushl $0x8d7\n\tpopfl\n\trepe cmpsb", s, d, 0, 0);
  /* Segment override on the source (DS:ESI can be overridden, ES:EDI cannot). */
  gdt_set(SEL_WIN >> 3, (u32)seg, 0xFFFF, ACC_P | ACC_DATA_RW, 0);
  for (u32 i = 0; i < 0x10000; i++) seg[i] = (u8)(i ^ (i >> 8));
  reset();
  {
    u32 esi = 0x1000, edi = (u32)dst, ecx = 8;
    __asm__ volatile("movw %w3, %%fs\n\trep movsb %%fs:(%%esi), %%es:(%%edi)" : "+S"(esi), "+D"(edi), "+c"(ecx) : "r"(SEL_WIN) : "memory");
    rt_printf("rep movsb fs: -> esi=%x dst=%x\n", esi, sum(dst, 256));
  }
  /* 16-bit address size (0x67 prefix): SI/DI/CX only, upper halves kept, offsets wrap at 64 KiB. */
  {
    u32 esi = 0xabcdfffe, edi = 0x12340010, ecx = 0x55550004;
    __asm__ volatile("pushl %%es\n\tpushl %%ds\n\tmovw %w3, %%ds\n\tmovw %w3, %%es\n\taddr16 rep movsb\n\tpopl %%ds\n\tpopl %%es"
                     : "+S"(esi), "+D"(edi), "+c"(ecx) : "r"(SEL_WIN) : "memory");
    rt_printf("addr16 rep movsb (wrap) -> esi=%x edi=%x ecx=%x win[10..13]=%2x %2x %2x %2x\n", esi, edi, ecx, seg[0x10], seg[0x11], seg[0x12], seg[0x13]);
  }
  {
    u32 esi = 0xffff0001, edi = 0xffff0003, ecx = 0x00010000, f;
    __asm__ volatile("pushl %%es\n\tpushl %%ds\n\tmovw %w4, %%ds\n\tmovw %w4, %%es\n\tstd\n\taddr16 rep movsw\n\tcld\n\tpushfl\n\tpopl %3\n\tpopl %%ds\n\tpopl %%es"
                     : "+S"(esi), "+D"(edi), "+c"(ecx), "=r"(f) : "r"(SEL_WIN) : "memory", "cc");
    rt_printf("addr16 rep movsw cx=0 -> esi=%x edi=%x ecx=%x\n", esi, edi, ecx);
  }
  {
    u32 edi = 0x00000020, ecx = 0x00000010, eax = 0x13;
    seg[0x25] = 0x13;
    __asm__ volatile("pushl %%es\n\tmovw %w3, %%es\n\taddr16 repne scasb\n\tpopl %%es" : "+D"(edi), "+c"(ecx), "+a"(eax) : "r"(SEL_WIN) : "memory", "cc");
    rt_printf("addr16 repne scasb -> edi=%x ecx=%x\n", edi, ecx);
  }
  {
    u32 esi = 0x0000fffc, eax = 0;
    __asm__ volatile("pushl %%ds\n\tmovw %w2, %%ds\n\taddr16 lodsl\n\tpopl %%ds" : "+S"(esi), "+a"(eax) : "r"(SEL_WIN) : "memory");
    rt_printf("addr16 lodsl at fffc -> esi=%x eax=%x\n", esi, eax);
  }
  /* Operand-size prefix: movsw in 32-bit code vs movsl. */
  rt_puts("== done ==\n");
  return 0;
}
