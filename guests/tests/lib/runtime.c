/* Shared runtime of the test programs: 0xE9 console, tiny printf, GDT/IDT/TSS setup, default exception handler. */
#include "runtime.h"
#include <stdarg.h>

struct gdt_entry rt_gdt[GDT_ENTRIES] __attribute__((aligned(8)));
struct idt_entry rt_idt[256] __attribute__((aligned(8)));
struct tss32 rt_tss __attribute__((aligned(16)));
volatile u32 rt_resume, rt_fault_at, rt_faults, rt_last_vec, rt_last_err, rt_last_eip, rt_quiet;
rt_hook_t rt_hook[256];

static struct { u16 limit; u32 base; } __attribute__((packed)) gdtr, idtr;

/* Port 0xE9: the Bochs/QEMU debug console, one byte a write. */
void rt_putc(char c) { outb(0xE9, (u8)c); }

void rt_puts(const char *s) {
  while (*s) rt_putc(*s++);
}

void rt_hex(u32 v, int digits) {
  for (int i = digits - 1; i >= 0; i--) rt_putc("0123456789abcdef"[(v >> (i * 4)) & 15]);
}

static void put_dec(u32 v) {
  char buf[12];
  int n = 0;
  do { buf[n++] = (char)('0' + v % 10); v /= 10; } while (v);
  while (n) rt_putc(buf[--n]);
}

u32 rt_base;

/* %x = 8 hex digits, %2x/%4x = that many digits, %d = unsigned decimal, %s, %c,
   %p = an address relative to rt_base ("B-10", "B+0"; plain hex when more than 64 KiB away),
   so that goldens do not depend on where the linker put things. */
void rt_printf(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  for (; *fmt; fmt++) {
    if (*fmt != '%') { rt_putc(*fmt); continue; }
    fmt++;
    int width = 0;
    while (*fmt >= '0' && *fmt <= '9') width = width * 10 + (*fmt++ - '0');
    switch (*fmt) {
      case 'x': rt_hex(va_arg(ap, u32), width ? width : 8); break;
      case 'd': put_dec(va_arg(ap, u32)); break;
      case 'p': {
        u32 v = va_arg(ap, u32);
        if (v - rt_base < 0x10000) { rt_puts("B+"); rt_hex(v - rt_base, 0 + 1 + (v - rt_base > 15) + (v - rt_base > 255) + (v - rt_base > 4095)); }
        else if (rt_base - v <= 0x10000) { rt_puts("B-"); rt_hex(rt_base - v, 1 + (rt_base - v > 15) + (rt_base - v > 255) + (rt_base - v > 4095)); }
        else rt_hex(v, 8);
        break;
      }
      case 's': rt_puts(va_arg(ap, const char *)); break;
      case 'c': rt_putc((char)va_arg(ap, int)); break;
      case '%': rt_putc('%'); break;
      default: rt_putc('?'); break;
    }
  }
  va_end(ap);
}

/* Port 0xF4: isa-debug-exit; QEMU exits with (value << 1) | 1, Shikiri the same. */
void rt_exit(u32 value) {
  rt_printf("== exit %2x ==\n", value);
  outb(0xF4, (u8)value);
  for (;;) __asm__ volatile("cli; hlt");
}

void gdt_set(int index, u32 base, u32 limit, u8 access, u8 flags) {
  struct gdt_entry *e = &rt_gdt[index];
  e->limit_lo = (u16)limit;
  e->base_lo = (u16)base;
  e->base_mid = (u8)(base >> 16);
  e->access = access;
  e->limit_hi_flags = (u8)(((limit >> 16) & 0xF) | (flags << 4));
  e->base_hi = (u8)(base >> 24);
}

void gdt_load(void) {
  gdtr.limit = sizeof(rt_gdt) - 1;
  gdtr.base = (u32)rt_gdt;
  __asm__ volatile("lgdt %0" : : "m"(gdtr));
}

void idt_set(int vec, u16 sel, u32 offset, u8 type) {
  struct idt_entry *e = &rt_idt[vec];
  e->off_lo = (u16)offset;
  e->sel = sel;
  e->zero = 0;
  e->type = type;
  e->off_hi = (u16)(offset >> 16);
}

void idt_load(u32 limit) {
  idtr.limit = (u16)limit;
  idtr.base = (u32)rt_idt;
  __asm__ volatile("lidt %0" : : "m"(idtr));
}

u32 read_cr0(void) { u32 v; __asm__ volatile("movl %%cr0, %0" : "=r"(v)); return v; }
u32 read_cr2(void) { u32 v; __asm__ volatile("movl %%cr2, %0" : "=r"(v)); return v; }
u32 read_cr3(void) { u32 v; __asm__ volatile("movl %%cr3, %0" : "=r"(v)); return v; }
void write_cr0(u32 v) { __asm__ volatile("movl %0, %%cr0" : : "r"(v) : "memory"); }
void write_cr3(u32 v) { __asm__ volatile("movl %0, %%cr3" : : "r"(v) : "memory"); }

static const char *const names[32] = {
  "DE", "DB", "NMI", "BP", "OF", "BR", "UD", "NM", "DF", "CSO", "TS", "NP", "SS", "GP", "PF", "15",
  "MF", "AC", "MC", "XM", "20", "21", "22", "23", "24", "25", "26", "27", "28", "29", "30", "31",
};

/* One line per exception: vector name, error code, where EIP pointed, CR2 for #PF. */
void rt_print_fault(struct frame *f) {
  if (f->vec < 32) rt_printf("  #%s", names[f->vec]);
  else rt_printf("  INT %2x", f->vec);
  rt_printf(" err=%4x", f->err);
  if (rt_fault_at && f->eip == rt_fault_at) rt_puts(" eip=insn");
  else if (rt_resume && f->eip == rt_resume) rt_puts(" eip=next");
  else if (rt_fault_at && f->eip - rt_fault_at < 64) rt_printf(" eip=insn+%2x", f->eip - rt_fault_at);
  else rt_printf(" eip=%x", f->eip);
  if ((f->cs & 0xFFFF) != SEL_CODE32 || (f->eflags & F_VM)) rt_printf(" cs=%4x", f->cs & 0xFFFF);
  if (f->vec == 14) rt_printf(" cr2=%x", read_cr2());
  rt_putc('\n');
}

/* Called by lib/isr.S for every vector. */
void rt_trap(struct frame *f) {
  rt_faults++;
  rt_last_vec = f->vec;
  rt_last_err = f->err;
  rt_last_eip = f->eip;
  if (rt_hook[f->vec]) { rt_hook[f->vec](f); return; }
  if (!rt_quiet) rt_print_fault(f);
  if (rt_resume) {
    f->eip = rt_resume;
    rt_resume = 0;
    rt_fault_at = 0;
    return;
  }
  /* Traps (debug, breakpoint, overflow) and external interrupts resume after the instruction. */
  if (f->vec == 1 || f->vec == 3 || f->vec == 4 || f->vec >= 32) return;
  rt_printf("  unexpected exception %2x at %x, stopping\n", f->vec, f->eip);
  rt_exit(0x7F);
}

extern char rt_user_resume[];

/* INT 0x81 from ring 3 (rt_user_exit): return to rt_user_call's caller at CPL 0. */
static void user_return(struct frame *f) {
  f->eip = (u32)rt_user_resume;
  f->cs = SEL_CODE32;
  f->eflags &= ~(F_TF | F_NT | F_RF | F_VM | 0x3000u);
  f->ds = f->es = f->fs = f->gs = SEL_DATA32;
}

void rt_init(void) {
  /* Accessed bits preset (| 1): QEMU 7.2 does not set A when a far JMP/CALL loads CS, silicon does. */
  gdt_set(1, 0, 0xFFFFF, ACC_P | ACC_CODE_RX | 1, GR_4K | GR_32);
  gdt_set(2, 0, 0xFFFFF, ACC_P | ACC_DATA_RW | 1, GR_4K | GR_32);
  gdt_set(3, 0, 0xFFFF, ACC_P | ACC_CODE_RX | 1, 0);
  gdt_set(4, 0, 0xFFFF, ACC_P | ACC_DATA_RW | 1, 0);
  rt_tss.ss0 = SEL_DATA32;
  rt_tss.esp0 = (u32)rt_stack_top;
  rt_tss.iomap = sizeof(struct tss32); /* no I/O bitmap: beyond the limit */
  gdt_set(5, (u32)&rt_tss, sizeof(struct tss32) - 1, ACC_P | 0x09, 0);
  gdt_set(6, 0, 0xFFFFF, ACC_P | ACC_DPL(3) | ACC_CODE_RX | 1, GR_4K | GR_32);
  gdt_set(7, 0, 0xFFFFF, ACC_P | ACC_DPL(3) | ACC_DATA_RW | 1, GR_4K | GR_32);
  gdt_load();
  __asm__ volatile(
      "ljmp $0x08, $1f\n1:\n\t"
      "movw $0x10, %%ax\n\tmovw %%ax, %%ds\n\tmovw %%ax, %%es\n\tmovw %%ax, %%fs\n\tmovw %%ax, %%gs\n\tmovw %%ax, %%ss"
      : : : "eax", "memory");
  for (int v = 0; v < 256; v++) idt_set(v, SEL_CODE32, (u32)rt_isr_table + 16 * v, GATE_INT32);
  idt_set(0x81, SEL_CODE32, (u32)rt_isr_table + 16 * 0x81, GATE_INT32 | ACC_DPL(3));
  rt_hook[0x81] = user_return;
  idt_load(sizeof(rt_idt) - 1);
  __asm__ volatile("ltr %w0" : : "r"((u16)SEL_TSS));
}
