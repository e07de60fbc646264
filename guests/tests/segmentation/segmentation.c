/* Segmentation: selector loads checked for null/limit/type/DPL/RPL/present (#GP/#NP/#SS with error
   codes), far transfers to bad targets, LDT, LAR/LSL/VERR/VERW/ARPL, accessed bits, segment bases. */
/* QEMU does not enforce segment limits or read-only data segments on access, so those checks live
   in segment-limits (hand-written golden); every case here is checked on the selector load. */
#include "runtime.h"

/* Test descriptors, GDT index -> selector index*8. */
enum {
  G_DATA = 8,     /* 0x40 data RW DPL0 base 0x2000 limit 0xfff */
  G_RO,           /* 0x48 data RO */
  G_XO,           /* 0x50 code execute-only */
  G_XR,           /* 0x58 code readable */
  G_NP,           /* 0x60 data not present */
  G_D3,           /* 0x68 data DPL3 */
  G_CNP,          /* 0x70 code not present */
  G_LDT,          /* 0x78 LDT */
  G_ACC,          /* 0x80 data with A=0 */
  G_ED,           /* 0x88 expand-down data */
  G_C3,           /* 0x90 code DPL3 */
  G_CONF,         /* 0x98 conforming code DPL3 */
  G_GATE,         /* 0xa0 a call gate (system type 0xc) */
  G_D1,           /* 0xa8 data DPL1 */
  G_LAST
};
#define S(i) ((i) << 3)

static struct gdt_entry ldt[4] __attribute__((aligned(8)));
static u8 window[0x1000];

/* Load a selector into a data segment register and touch memory through it, then reload DS/ES/FS. */
#define LOAD(reg, sel)                                                                          \
  TRY_THEN("movw %w0, %%" reg, "movw $0x10, %%ax\n\tmovw %%ax, %%ds\n\tmovw %%ax, %%es\n\tmovw %%ax, %%fs\n\tmovw %%ax, %%gs", \
           : "r"(sel) : "eax", "memory")

static void case_load(const char *reg, u32 sel, const char *what) {
  rt_printf("mov %s, %4x (%s)\n", reg, sel, what);
  if (reg[0] == 'd') LOAD("ds", sel);
  else if (reg[0] == 'e') LOAD("es", sel);
  else if (reg[0] == 'f') LOAD("fs", sel);
  else if (reg[0] == 'g') LOAD("gs", sel);
  else {
    /* SS is restored inside the tried sequence: TRY's own bookkeeping stores go through SS. */
    TRY("movw %w0, %%ss\n\tmovw $0x10, %%ax\n\tmovw %%ax, %%ss", : "r"(sel) : "eax", "memory");
  }
}

static void rights(u32 sel) {
  u32 ar = 0xdeadbeef, lim = 0xdeadbeef, zl, zs, zr, zw;
  __asm__ volatile("larl %[s], %[ar]\n\tsetz %b[zl]\n\tlsll %[s], %[lim]\n\tsetz %b[zs]\n\tverr %w[s]\n\tsetz %b[zr]\n\tverw %w[s]\n\tsetz %b[zw]"
                   : [ar] "+r"(ar), [lim] "+r"(lim), [zl] "=&q"(zl), [zs] "=&q"(zs), [zr] "=&q"(zr), [zw] "=&q"(zw) : [s] "r"(sel) : "cc");
  rt_printf("sel %4x: lar %d %x  lsl %d %x  verr %d verw %d\n", sel, zl & 1, (zl & 1) ? ar : 0, zs & 1, (zs & 1) ? lim : 0, zr & 1, zw & 1);
}

int test_main(void) {
  rt_puts("== segmentation ==\n");
  u32 b = (u32)window;
  gdt_set(G_DATA, b, 0xfff, ACC_P | ACC_DATA_RW | 1, 0);
  gdt_set(G_RO, b, 0xfff, ACC_P | ACC_DATA_RO | 1, 0);
  gdt_set(G_XO, 0, 0xfffff, ACC_P | 0x18 | 1, GR_4K | GR_32);
  gdt_set(G_XR, 0, 0xfffff, ACC_P | ACC_CODE_RX | 1, GR_4K | GR_32);
  gdt_set(G_NP, b, 0xfff, ACC_DATA_RW | 1, 0);
  gdt_set(G_D3, b, 0xfff, ACC_P | ACC_DPL(3) | ACC_DATA_RW | 1, 0);
  gdt_set(G_CNP, 0, 0xfffff, ACC_CODE_RX, GR_4K | GR_32);
  gdt_set(G_LDT, (u32)ldt, sizeof ldt - 1, ACC_P | 0x02, 0);
  gdt_set(G_ACC, b, 0xfff, ACC_P | ACC_DATA_RW, 0);
  gdt_set(G_ED, b, 0x0ff, ACC_P | 0x16 | 1, 0);
  gdt_set(G_C3, 0, 0xfffff, ACC_P | ACC_DPL(3) | ACC_CODE_RX | 1, GR_4K | GR_32);
  gdt_set(G_CONF, 0, 0xfffff, ACC_P | ACC_DPL(3) | 0x1e | 1, GR_4K | GR_32);
  gdt_set(G_GATE, 0x00080000 /* selector 0x08 in bits 16..31 of the first dword */, 0x1234, ACC_P | 0x0c, 0);
  gdt_set(G_D1, b, 0xfff, ACC_P | ACC_DPL(1) | ACC_DATA_RW | 1, 0);
  /* LDT entries: 0 data RW DPL0, 1 code, 2 not present */
  ldt[0] = rt_gdt[G_DATA];
  ldt[1] = rt_gdt[G_XR];
  ldt[2] = rt_gdt[G_NP];
  for (int i = 0; i < 0x1000; i++) window[i] = (u8)i;

  /* LDTR after reset (or a loader) may still describe base 0 limit 0xffff; make it null first. */
  __asm__ volatile("lldt %w0" : : "r"(0));
  case_load("ds", 0, "null: allowed");
  case_load("ds", 3, "null with RPL 3: allowed");
  case_load("ss", 0, "null into SS");
  case_load("ds", S(GDT_ENTRIES), "beyond the GDT limit");
  case_load("ds", S(GDT_ENTRIES) - 8 + 3, "last entry, zero descriptor (type 0 system)");
  case_load("ds", SEL_TSS, "TSS: system descriptor");
  case_load("ds", S(G_GATE), "call gate");
  case_load("es", S(G_XO), "execute-only code");
  case_load("fs", S(G_XR), "readable code: allowed");
  case_load("gs", S(G_DATA) | 3, "DPL 0 data with RPL 3");
  case_load("ds", S(G_D3) | 3, "DPL 3 data with RPL 3: allowed");
  case_load("ds", S(G_D1) | 2, "DPL 1 data with RPL 2");
  case_load("ds", S(G_NP), "not present");
  case_load("ds", S(G_NP) | 3, "not present with RPL 3 (privilege checked first)");
  case_load("ds", S(G_ED), "expand-down: allowed");
  case_load("ds", S(G_CONF) | 3, "conforming readable code DPL 3 at CPL 0");
  case_load("ss", S(G_NP), "not present into SS");
  case_load("ss", S(G_RO), "read-only data into SS");
  case_load("ss", S(G_XR), "code into SS");
  case_load("ss", S(G_D3) | 3, "DPL 3 data into SS at CPL 0");
  case_load("ss", S(G_DATA) | 1, "RPL 1 into SS at CPL 0");
  case_load("ss", S(G_ED), "expand-down writable into SS: allowed");
  case_load("ds", 4, "LDT selector with no LDT loaded");
  rt_puts("lldt with a data selector\n");
  TRY("lldt %w0", : "r"(S(G_DATA)) : "memory");
  rt_puts("lldt with a not-present LDT\n");
  rt_gdt[G_LDT].access &= 0x7f;
  TRY("lldt %w0", : "r"(S(G_LDT)) : "memory");
  rt_gdt[G_LDT].access |= 0x80;
  rt_puts("lldt ok\n");
  TRY("lldt %w0", : "r"(S(G_LDT)) : "memory");
  case_load("ds", 0x04, "LDT 0 data: allowed");
  case_load("ds", 0x0c, "LDT 1 readable code: allowed");
  case_load("ds", 0x14, "LDT 2 not present");
  case_load("ds", 0x1c, "LDT 3 beyond the LDT limit");

  rt_puts("accessed bit\n");
  rt_printf("  before: access=%2x\n", rt_gdt[G_ACC].access);
  case_load("ds", S(G_ACC), "data with A=0");
  rt_printf("  after: access=%2x\n", rt_gdt[G_ACC].access);

  rt_puts("segment base: read through base=window\n");
  {
    u32 v;
    __asm__ volatile("movw %w1, %%fs\n\tmovl %%fs:0x123, %0\n\tmovw $0x10, %%ax\n\tmovw %%ax, %%fs" : "=r"(v) : "r"(S(G_DATA)) : "eax", "memory");
    rt_printf("  fs:0x123 -> %x\n", v);
  }
  rt_puts("lds/les/lfs/lgs/lss from memory pointers\n");
  {
    static struct { u32 off; u16 sel; } __attribute__((packed)) ptr = {0x10, S(G_DATA)}, bad = {0, S(G_NP)};
    u32 v = 0;
    __asm__ volatile("pushl %%ds\n\tlds %1, %%ebx\n\tmovl (%%ebx), %0\n\tpopl %%ds" : "=r"(v) : "m"(ptr) : "ebx", "memory");
    rt_printf("  lds -> [ebx]=%x\n", v);
    __asm__ volatile("lfs %1, %%ebx\n\tmovl %%fs:4(%%ebx), %0\n\tmovw $0x10, %%ax\n\tmovw %%ax, %%fs" : "=r"(v) : "m"(ptr) : "eax", "ebx", "memory");
    rt_printf("  lfs -> fs:[ebx+4]=%x\n", v);
    rt_puts("  lgs with a not-present selector\n");
    TRY_THEN("movl $0x55, %%ebx\n\tlgs %0, %%ebx", "movl %%ebx, %%ss:window+0xff0\n\tmovw $0x10, %%ax\n\tmovw %%ax, %%gs", : "m"(bad) : "eax", "ebx", "memory");
    rt_printf("  ebx unchanged: %x\n", *(u32 *)(window + 0xff0));
    rt_puts("  lss with a DPL 3 selector\n");
    static struct { u32 off; u16 sel; } __attribute__((packed)) bad_ss = {0, S(G_D3) | 3};
    TRY("lss %0, %%ebx", : "m"(bad_ss) : "ebx", "memory");
  }
  rt_puts("pop ds with a not-present selector on the stack\n");
  TRY("pushl %0\n\tpopl %%ds", : "r"(S(G_NP)) : "memory");
  __asm__ volatile("addl $4, %%esp" ::: "memory"); /* the faulting POP did not move ESP */

  rt_puts("far jumps and calls to bad targets\n");
  rt_puts("  ljmp to a data segment\n");
  TRY("ljmp $0x40, $0", : : "memory");
  rt_puts("  ljmp to a not-present code segment\n");
  TRY("ljmp $0x70, $0", : : "memory");
  rt_puts("  lcall to a DPL 3 non-conforming code segment from CPL 0\n");
  TRY("lcall $0x93, $0", : : "memory");
  rt_puts("  ljmp to the null selector\n");
  TRY("ljmp $0x00, $0", : : "memory");
  rt_puts("  ljmp to a conforming DPL 3 segment from CPL 0\n");
  TRY("ljmp $0x98, $0", : : "memory");
  rt_puts("  ljmp to a TSS descriptor that is busy\n");
  TRY("ljmp $0x28, $0", : : "memory");

  rt_puts("lar/lsl/verr/verw (at CPL 0)\n");
  static const u32 sels[] = {0, SEL_CODE32, SEL_DATA32, SEL_TSS, SEL_UCODE, S(G_DATA), S(G_RO), S(G_XO), S(G_XR), S(G_NP), S(G_D3),
                             S(G_CNP), S(G_LDT), S(G_ED), S(G_CONF), S(G_GATE), S(G_D1) | 3, S(GDT_ENTRIES), 0x04, 0x14};
  for (unsigned i = 0; i < sizeof sels / sizeof sels[0]; i++) rights(sels[i]);
  rt_puts("arpl\n");
  static const u32 ap[][2] = {{0x0010, 0x0003}, {0x0013, 0x0001}, {0x0012, 0x0012}, {0xfff0, 0x0002}};
  for (int i = 0; i < 4; i++) {
    u32 d = 0xabcd0000 | ap[i][0], f;
    __asm__ volatile("arpl %w2, %w0\n\tpushfl\n\tpopl %1" : "+r"(d), "=r"(f) : "r"(ap[i][1]) : "cc");
    rt_printf("  arpl %4x, %4x -> %x zf=%d\n", ap[i][0], ap[i][1], d, (f >> 6) & 1);
  }
  rt_puts("== done ==\n");
  return 0;
}
