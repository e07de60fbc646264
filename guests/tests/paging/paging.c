/* Paging: #PF error codes and CR2 (not present, write, user), A/D bits, CR0.WP, INVLPG and CR3 reload vs a stale TLB. */
/* Identity map of the first 8 MiB with 4 KiB pages, user-accessible; test pages at 4 MiB and up.
   QEMU difference avoided: after a fault on a not-present PTE QEMU also sets the PDE's accessed
   bit, so the PDE A bit is only printed after successful accesses. */
#include "runtime.h"

#define PG_P 0x001
#define PG_W 0x002
#define PG_U 0x004
#define PG_A 0x020
#define PG_D 0x040

static u32 pd[1024] __attribute__((aligned(4096)));
static u32 pt[2][1024] __attribute__((aligned(4096)));
static u8 frames[3][4096] __attribute__((aligned(4096))); /* physical pages to map at the test addresses */

#define V_NP 0x00400000   /* not present */
#define V_RO 0x00401000   /* present, read-only, user */
#define V_SUP 0x00402000  /* present, writable, supervisor only */
#define V_RW 0x00403000   /* present, writable, user */
#define V_ALIAS 0x00404000 /* remapped between frames[1] and frames[2] */
#define V_NOPT 0x00800000 /* PDE not present */

static u32 *pte(u32 va) { return &pt[va >> 22][(va >> 12) & 1023]; }

static void show(const char *what, u32 va) {
  rt_printf("  %s: pte A=%d D=%d, pde A=%d\n", what, (*pte(va) >> 5) & 1, (*pte(va) >> 6) & 1, (pd[va >> 22] >> 5) & 1);
}

static volatile u32 sink;

static void user_part(void) {
  rt_puts("ring 3: read user page\n");
  TRY("movl (%0), %%eax", : "r"(V_RW) : "eax", "memory");
  rt_puts("ring 3: read supervisor page -> #PF(5)\n");
  TRY("movl (%0), %%eax", : "r"(V_SUP) : "eax", "memory");
  rt_puts("ring 3: write supervisor page -> #PF(7)\n");
  TRY("movl %%eax, (%0)", : "r"(V_SUP) : "memory");
  rt_puts("ring 3: write read-only user page -> #PF(7)\n");
  TRY("movl %%eax, (%0)", : "r"(V_RO + 8) : "memory");
  rt_puts("ring 3: read not-present page -> #PF(4)\n");
  TRY("movl (%0), %%eax", : "r"(V_NP + 0x123) : "eax", "memory");
  rt_puts("ring 3: write not-present page table -> #PF(6)\n");
  TRY("movl %%eax, (%0)", : "r"(V_NOPT + 4) : "memory");
}

int test_main(void) {
  rt_puts("== paging ==\n");
  for (int i = 0; i < 2; i++) {
    for (int j = 0; j < 1024; j++) pt[i][j] = ((u32)(i * 1024 + j) << 12) | PG_P | PG_W | PG_U;
    pd[i] = (u32)pt[i] | PG_P | PG_W | PG_U;
  }
  *pte(V_NP) = (u32)frames[0] | PG_W | PG_U;
  *pte(V_RO) = (u32)frames[0] | PG_P | PG_U;
  *pte(V_SUP) = (u32)frames[0] | PG_P | PG_W;
  *pte(V_RW) = (u32)frames[0] | PG_P | PG_W | PG_U;
  *pte(V_ALIAS) = (u32)frames[1] | PG_P | PG_W | PG_U;
  frames[0][0] = 0x11; frames[1][0] = 0x22; frames[2][0] = 0x33;
  write_cr3((u32)pd);
  write_cr0(read_cr0() | 0x80000000u);
  rt_printf("paging on: cr0=%x\n", read_cr0() & 0x80010001u);

  rt_puts("read not-present -> #PF(0)\n");
  TRY("movl (%0), %%eax", : "r"(V_NP + 0x10) : "eax", "memory");
  rt_puts("write not-present -> #PF(2)\n");
  TRY("movb %%al, (%0)", : "r"(V_NP + 0xfff) : "memory");
  rt_puts("read through a not-present PDE -> #PF(0)\n");
  TRY("movl (%0), %%eax", : "r"(V_NOPT) : "eax", "memory");
  rt_puts("dword reads at 0x400ffe (not present) and 0x3ffffe (straddles into it) -> #PF(0)\n");
  TRY("movl (%0), %%eax", : "r"(V_RO - 2 + 0x1000 * 0) : "eax", "memory"); /* V_NP's last bytes + V_RO */
  TRY("movl (%0), %%eax", : "r"(V_NP - 2) : "eax", "memory");
  rt_puts("jump to a not-present page -> #PF(0) with eip = cr2\n");
  TRY("jmp *%0", : "r"(V_NP + 0x20) : "memory");

  rt_puts("accessed/dirty bits\n");
  *pte(V_RW) &= ~(PG_A | PG_D);
  pd[1] &= ~PG_A;
  __asm__ volatile("invlpg (%0)" : : "r"(V_RW) : "memory");
  show("before", V_RW);
  sink = *(volatile u32 *)V_RW;
  show("after read", V_RW);
  *(volatile u32 *)(V_RW + 4) = 5;
  show("after write", V_RW);
  *pte(V_RO) &= ~(PG_A | PG_D);
  __asm__ volatile("invlpg (%0)" : : "r"(V_RO) : "memory");
  rt_puts("ring-0 write to a read-only page with CR0.WP=0: allowed\n");
  TRY("movl $0x77, (%0)", : "r"(V_RO + 8) : "memory");
  show("read-only page", V_RO);
  rt_puts("ring-0 write to a read-only page with CR0.WP=1 -> #PF(3)\n");
  write_cr0(read_cr0() | 0x10000u);
  TRY("movl $0x78, (%0)", : "r"(V_RO + 12) : "memory");
  rt_printf("  values: %x %x\n", *(volatile u32 *)(V_RO + 8), *(volatile u32 *)(V_RO + 12));
  write_cr0(read_cr0() & ~0x10000u);

  rt_puts("stale TLB: change a PTE without INVLPG\n");
  rt_printf("  alias reads %2x\n", *(volatile u8 *)V_ALIAS);
  *pte(V_ALIAS) = (u32)frames[2] | PG_P | PG_W | PG_U;
  rt_printf("  after PTE change, no flush: %2x\n", *(volatile u8 *)V_ALIAS);
  __asm__ volatile("invlpg (%0)" : : "r"(V_ALIAS) : "memory");
  rt_printf("  after invlpg: %2x\n", *(volatile u8 *)V_ALIAS);
  *pte(V_ALIAS) = (u32)frames[1] | PG_P | PG_W | PG_U;
  rt_printf("  changed back, no flush: %2x\n", *(volatile u8 *)V_ALIAS);
  write_cr3(read_cr3());
  rt_printf("  after cr3 reload: %2x\n", *(volatile u8 *)V_ALIAS);
  rt_puts("not-present PTE made present: no stale negative entry\n");
  *pte(V_NP) |= PG_P;
  TRY("movl (%0), %%eax", : "r"(V_NP) : "eax", "memory");
  rt_printf("  read ok\n");
  *pte(V_NP) &= ~PG_P;
  __asm__ volatile("invlpg (%0)" : : "r"(V_NP) : "memory");

  rt_user_call(user_part, EFL_IOPL3);
  rt_puts("back in ring 0\n");
  write_cr0(read_cr0() & ~0x80000000u);
  rt_printf("paging off: cr0=%x\n", read_cr0() & 0x80010001u);
  rt_puts("== done ==\n");
  return 0;
}
