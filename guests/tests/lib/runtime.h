/* Shared runtime of the bare-metal test programs: console on port 0xE9, exit port, GDT/IDT, fault recovery. */
#ifndef SHIKIRI_TEST_RUNTIME_H
#define SHIKIRI_TEST_RUNTIME_H

typedef unsigned char u8;
typedef unsigned short u16;
typedef unsigned int u32;
typedef signed char s8;
typedef short s16;
typedef int s32;

/* Selectors of the runtime GDT (entries 8..63 are free for the programs). */
#define SEL_CODE32 0x08
#define SEL_DATA32 0x10
#define SEL_CODE16 0x18 /* base 0, limit 0xFFFF, 16-bit */
#define SEL_DATA16 0x20 /* base 0, limit 0xFFFF, 16-bit */
#define SEL_TSS 0x28    /* the runtime's own 32-bit TSS (ring-0 stack for ring changes) */
#define SEL_UCODE 0x33  /* ring-3 flat code */
#define SEL_UDATA 0x3B  /* ring-3 flat data */
#define GDT_ENTRIES 64

/* EFLAGS bits (Intel SDM vol. 1 3.4.3). */
#define F_CF 0x0001
#define F_PF 0x0004
#define F_AF 0x0010
#define F_ZF 0x0040
#define F_SF 0x0080
#define F_TF 0x0100
#define F_IF 0x0200
#define F_DF 0x0400
#define F_OF 0x0800
#define F_NT 0x4000
#define F_RF 0x10000
#define F_VM 0x20000
#define F_ARITH (F_CF | F_PF | F_AF | F_ZF | F_SF | F_OF)

/* Descriptor access bytes (Intel SDM vol. 3 3.4.5). */
#define ACC_P 0x80
#define ACC_DPL(n) ((n) << 5)
#define ACC_S 0x10
#define ACC_CODE_RX 0x1A
#define ACC_DATA_RW 0x12
#define ACC_DATA_RO 0x10

/* Flags nibble (G, D/B). */
#define GR_4K 0x8
#define GR_32 0x4

/* Stack frame built by lib/isr.S for every vector. */
struct frame {
  u32 edi, esi, ebp, esp0, ebx, edx, ecx, eax; /* pusha order */
  u32 gs, fs, es, ds;
  u32 vec, err;
  u32 eip, cs, eflags;
  u32 esp, ss;             /* only when the CPU changed privilege level */
  u32 v86_es, v86_ds, v86_fs, v86_gs; /* only when interrupting virtual-8086 mode */
};

struct gdt_entry { u16 limit_lo, base_lo; u8 base_mid, access, limit_hi_flags, base_hi; } __attribute__((packed));
struct idt_entry { u16 off_lo, sel; u8 zero, type; u16 off_hi; } __attribute__((packed));
struct tss32 {
  u32 link, esp0, ss0, esp1, ss1, esp2, ss2, cr3, eip, eflags, eax, ecx, edx, ebx, esp, ebp, esi, edi;
  u32 es, cs, ss, ds, fs, gs, ldt;
  u16 trap, iomap;
} __attribute__((packed));

extern struct gdt_entry rt_gdt[GDT_ENTRIES];
extern struct idt_entry rt_idt[256];
extern struct tss32 rt_tss;
extern char rt_isr_table[];
extern char rt_stack_top[];

/* Fault recovery: TRY() sets these around one instruction; a fault prints itself and resumes at rt_resume. */
extern volatile u32 rt_resume, rt_fault_at;
/* Count of exceptions taken and the last vector/error code, for programs that inspect them. */
extern volatile u32 rt_faults, rt_last_vec, rt_last_err, rt_last_eip;
/* Per-vector hooks; a hook replaces the default print-and-resume. */
typedef void (*rt_hook_t)(struct frame *f);
extern rt_hook_t rt_hook[256];
/* When nonzero, the default handler does not print (the program prints what it needs). */
extern volatile u32 rt_quiet;

void rt_putc(char c);
void rt_puts(const char *s);

void rt_hex(u32 v, int digits); /* exactly `digits` hex digits */
void rt_printf(const char *fmt, ...);
extern u32 rt_base; /* origin for %p in rt_printf */
void rt_exit(u32 value) __attribute__((noreturn));
void gdt_set(int index, u32 base, u32 limit, u8 access, u8 flags);
void gdt_load(void);
void idt_set(int vec, u16 sel, u32 offset, u8 type);
void idt_load(u32 limit); /* LIDT rt_idt with this limit (bytes - 1) */
u32 read_cr0(void), read_cr2(void), read_cr3(void);
void write_cr0(u32 v), write_cr3(u32 v);
void rt_print_fault(struct frame *f);
/* Run fn at CPL 3 (flat selectors 0x33/0x3B, stack rt_user_stack) with the given EFLAGS
   (e.g. 0x3002 for IOPL 3 so that fn may print); returns when fn returns. */
void rt_user_call(void (*fn)(void), u32 eflags);
#define EFL_IOPL3 0x3002u
extern u32 *rt_tss_esp0; /* ESP0 field rt_user_call sets (default &rt_tss.esp0) */
extern char rt_user_stack[], rt_user_stack_top[];

/* Gate types. */
#define GATE_INT32 0x8E
#define GATE_TRAP32 0x8F
#define GATE_TASK 0x85
#define GATE_INT16 0x86
#define GATE_TRAP16 0x87
#define GATE_CALL32 0x8C

static inline void outb(u16 port, u8 v) { __asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port)); }
static inline u8 inb(u16 port) { u8 v; __asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port)); return v; }
static inline void outw(u16 port, u16 v) { __asm__ volatile("outw %0, %1" : : "a"(v), "Nd"(port)); }

/* Run one instruction (or a short sequence) that may fault: on a fault the handler prints it and
   resumes after the sequence. The handler reports EIP as "insn" (at the first instruction) or
   "next" (after the sequence) so the goldens do not depend on code addresses.
   The variadic part is the extended-asm operand list starting at the outputs: TRY("int3", : : "memory"). */
#define TRY(insns, ...) TRY_THEN(insns, "", __VA_ARGS__)
/* TRY_THEN also runs `then` after the resume point (e.g. to reload a data segment the test changed).
   The bookkeeping stores go through SS, which the tests keep flat while DS/ES may be unusable. */
#define TRY_THEN(insns, then, ...) \
  __asm__ volatile("movl $0f, %%ss:rt_fault_at\n\tmovl $1f, %%ss:rt_resume\n0:\n\t" insns "\n1:\n\tmovl $0, %%ss:rt_resume\n\tmovl $0, %%ss:rt_fault_at\n\t" then : __VA_ARGS__)

#define PRINT_FLAGS(f) rt_printf("%x", (f))

#endif
