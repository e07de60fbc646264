/* Acceptance demo: banner on COM1 and 0xE9, 8259 + 8254 at 100 Hz, N timer ticks with HLT, RTC read, exit 0x21. */
/* Uses the shared runtime (lib/) for the Multiboot entry, GDT and IDT; everything else is here. */
#include "runtime.h"

#define COM1 0x3F8
#define TICKS_WANTED 10
#define PIT_HZ 1193182u /* 8254 input clock, Hz */
#define TIMER_HZ 100
#define EXIT_VALUE 0x21 /* exit code (0x21 << 1) | 1 = 0x43 */

static volatile u32 ticks;

/* 16550: 115200 baud (divisor 1), 8 data bits, no parity, 1 stop bit, FIFOs on, polled. */
static void uart_init(void) {
  outb(COM1 + 1, 0x00);  /* IER: no interrupts */
  outb(COM1 + 3, 0x80);  /* LCR: DLAB */
  outb(COM1 + 0, 0x01);  /* DLL */
  outb(COM1 + 1, 0x00);  /* DLM */
  outb(COM1 + 3, 0x03);  /* LCR: 8N1 */
  outb(COM1 + 2, 0x07);  /* FCR: enable and clear FIFOs */
  outb(COM1 + 4, 0x03);  /* MCR: DTR, RTS */
}

static void uart_putc(char c) {
  while (!(inb(COM1 + 5) & 0x20)) { } /* LSR.THRE */
  outb(COM1, (u8)c);
}

/* Every line goes to both consoles; the serial side gets CR LF. */
static void say(const char *s) {
  for (; *s; s++) {
    if (*s == '\n') uart_putc('\r');
    uart_putc(*s);
    rt_putc(*s);
  }
}

static char buf[96];
static int pos;
static void b_str(const char *s) { while (*s) buf[pos++] = *s++; }
static void b_dec(u32 v, int width) {
  char t[10];
  int n = 0;
  do { t[n++] = (char)('0' + v % 10); v /= 10; } while (v);
  while (n < width) t[n++] = '0';
  while (n) buf[pos++] = t[--n];
}
static void b_hex(u32 v, int digits) { for (int i = digits - 1; i >= 0; i--) buf[pos++] = "0123456789abcdef"[(v >> (4 * i)) & 15]; }
static void b_flush(void) { buf[pos] = 0; say(buf); pos = 0; }

/* 8259A pair: ICW1 edge/cascade/ICW4, ICW2 vector base, ICW3 wiring (slave on IRQ 2), ICW4 8086 mode. */
static void pic_init(void) {
  outb(0x20, 0x11); outb(0xA0, 0x11);
  outb(0x21, 0x20); outb(0xA1, 0x28);
  outb(0x21, 0x04); outb(0xA1, 0x02);
  outb(0x21, 0x01); outb(0xA1, 0x01);
  outb(0x21, 0xFE); /* only IRQ 0 */
  outb(0xA1, 0xFF);
}

/* 8254 channel 0, mode 2 (rate generator), binary, low then high byte of the divisor. */
static void pit_init(u16 divisor) {
  outb(0x43, 0x34);
  outb(0x40, (u8)divisor);
  outb(0x40, (u8)(divisor >> 8));
}

static void on_tick(struct frame *f) {
  (void)f;
  ticks++;
  outb(0x20, 0x20); /* non-specific EOI */
}

static u8 cmos(u8 reg) { outb(0x70, reg); return inb(0x71); }
static u32 from_bcd(u8 v, int binary) { return binary ? v : (u32)((v >> 4) * 10 + (v & 15)); }

struct rtc_time { u32 year, month, day, hour, minute, second; };

/* Read the clock when no update is in progress (register A bit 7), twice until two reads agree. */
static void rtc_read(struct rtc_time *t) {
  u8 r[2][7];
  int k = 0;
  for (int tries = 0; tries < 10; tries++) {
    while (cmos(0x0A) & 0x80) { }
    u8 *x = r[k & 1];
    x[0] = cmos(0x00); x[1] = cmos(0x02); x[2] = cmos(0x04);
    x[3] = cmos(0x07); x[4] = cmos(0x08); x[5] = cmos(0x09); x[6] = cmos(0x32);
    k++;
    if (k >= 2) {
      int same = 1;
      for (int i = 0; i < 7; i++) same &= r[0][i] == r[1][i];
      if (same) break;
    }
  }
  u8 *x = r[(k - 1) & 1];
  u8 b = cmos(0x0B);
  int binary = b & 0x04, h24 = b & 0x02;
  u32 hour = from_bcd(x[2] & 0x7F, binary);
  if (!h24) hour = (hour % 12) + ((x[2] & 0x80) ? 12 : 0);
  u32 century = from_bcd(x[6], binary);
  if (century < 19 || century > 29) century = 20;
  t->second = from_bcd(x[0], binary);
  t->minute = from_bcd(x[1], binary);
  t->hour = hour;
  t->day = from_bcd(x[3], binary);
  t->month = from_bcd(x[4], binary);
  t->year = century * 100 + from_bcd(x[5], binary);
}

int test_main(void) {
  uart_init();
  say("\nShikiri demo: a bare-metal program on a simulated i486 board\n");
  say("  console: COM1 (16550 at 0x3f8, polled) and the 0xe9 debug port\n");

  pic_init();
  pit_init((u16)((PIT_HZ + TIMER_HZ / 2) / TIMER_HZ));
  rt_hook[0x20] = on_tick;
  b_str("  8259 pair: IRQ 0-15 -> vectors 0x20-0x2f; 8254 channel 0: mode 2, ");
  b_dec(TIMER_HZ, 0); b_str(" Hz\n"); b_flush();

  while (ticks < TICKS_WANTED) __asm__ volatile("sti\n\thlt\n\tcli" ::: "memory");
  outb(0x21, 0xFF);
  b_str("  timer: "); b_dec(ticks, 0); b_str(" ticks taken, halting between them ("); b_dec(ticks * 1000 / TIMER_HZ, 0);
  b_str(" ms of board time)\n"); b_flush();

  struct rtc_time t;
  rtc_read(&t);
  b_str("  RTC: "); b_dec(t.year, 4); b_str("-"); b_dec(t.month, 2); b_str("-"); b_dec(t.day, 2); b_str(" ");
  b_dec(t.hour, 2); b_str(":"); b_dec(t.minute, 2); b_str(":"); b_dec(t.second, 2); b_str("\n"); b_flush();

  b_str("  done: exit value 0x"); b_hex(EXIT_VALUE, 2); b_str(" through port 0xf4\n"); b_flush();
  while (!(inb(COM1 + 5) & 0x40)) { } /* LSR.TEMT: let the last byte leave the UART */
  outb(0xF4, EXIT_VALUE);
  for (;;) __asm__ volatile("cli; hlt");
}
