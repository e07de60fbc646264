/* External interrupts: 8259 pair initialisation, 8254 mode 2 ticks taken with HLT, EOI, masking,
   the STI interrupt shadow, and IRQ 8 (RTC periodic interrupt) through the cascaded slave. */
/* Only event counts and controller registers are printed, never timer counts: QEMU (-icount) and
   Shikiri (uniform cycles) do not interleave instructions and ticks identically. */
#include "runtime.h"

static volatile u32 ticks, rtc_irqs, isr_seen, irr_before;

static void on_timer(struct frame *f) {
  (void)f;
  ticks++;
  outb(0x20, 0x0b); /* OCW3: read ISR */
  isr_seen = inb(0x20);
  outb(0x20, 0x60); /* specific EOI for IRQ 0 */
}

static void on_rtc(struct frame *f) {
  (void)f;
  rtc_irqs++;
  outb(0x70, 0x0c);
  (void)inb(0x71); /* reading register C acknowledges the RTC */
  outb(0xA0, 0x20);
  outb(0x20, 0x20);
}

static u8 irr(void) { outb(0x20, 0x0a); return inb(0x20); }

int test_main(void) {
  rt_puts("== interrupts ==\n");
  outb(0x20, 0x11); outb(0xA0, 0x11);
  outb(0x21, 0x20); outb(0xA1, 0x28);
  outb(0x21, 0x04); outb(0xA1, 0x02);
  outb(0x21, 0x01); outb(0xA1, 0x01);
  outb(0x21, 0xFF); outb(0xA1, 0xFF);
  rt_printf("8259: imr master=%2x slave=%2x\n", inb(0x21), inb(0xA1));
  outb(0x21, 0xFA); /* IRQ 0 and the cascade */
  rt_printf("8259: imr master=%2x\n", inb(0x21));
  rt_hook[0x20] = on_timer;
  rt_hook[0x28] = on_rtc;

  /* 8254 channel 0, mode 2, 1 kHz (divisor 1193). */
  outb(0x43, 0x34); outb(0x40, 1193 & 0xff); outb(0x40, 1193 >> 8);
  u32 halts = 0;
  while (ticks < 5) { __asm__ volatile("sti\n\thlt\n\tcli" ::: "memory"); halts++; }
  rt_printf("timer: %d ticks in %d halts, isr in handler=%2x\n", ticks, halts, isr_seen);

  /* STI shadow: with IRQ 0 pending, `sti; cli` takes no interrupt; `sti; nop; cli` takes it. */
  while (!(irr() & 1)) { }
  u32 t0 = ticks;
  __asm__ volatile("sti\n\tcli" ::: "memory");
  rt_printf("pending irq0, sti;cli: %d taken\n", ticks - t0);
  __asm__ volatile("sti\n\tnop\n\tcli" ::: "memory");
  rt_printf("pending irq0, sti;nop;cli: %d taken\n", ticks - t0);

  /* A masked IRQ stays pending in IRR and is delivered once unmasked. */
  outb(0x21, 0xFB);
  while (!(irr() & 1)) { }
  t0 = ticks;
  __asm__ volatile("sti\n\tnop\n\tnop\n\tcli" ::: "memory");
  rt_printf("masked: %d taken, irr bit0=%d\n", ticks - t0, irr() & 1);
  outb(0x21, 0xFA);
  __asm__ volatile("sti\n\tnop\n\tcli" ::: "memory");
  rt_printf("unmasked: %d taken\n", ticks - t0);
  outb(0x21, 0xFB);

  /* IRQ 8: RTC periodic interrupt (register B bit 6), 1024 Hz (register A rate 6). */
  outb(0x70, 0x0a); outb(0x71, 0x26);
  outb(0x70, 0x0c); (void)inb(0x71);
  outb(0x70, 0x0b); u8 regb = inb(0x71);
  outb(0x70, 0x0b); outb(0x71, regb | 0x40);
  outb(0xA1, 0xFE);
  while (rtc_irqs < 3) __asm__ volatile("sti\n\thlt\n\tcli" ::: "memory");
  outb(0x70, 0x0b); outb(0x71, regb & ~0x40);
  outb(0xA1, 0xFF);
  rt_printf("rtc periodic: %d interrupts through the slave\n", rtc_irqs);
  outb(0x21, 0xFF);
  rt_puts("== done ==\n");
  return 0;
}
