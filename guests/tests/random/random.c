/* Differential-test runner: replays a batch of generated instruction streams (a Multiboot module) and prints each end state. */
/* Module format (all little-endian, see generate.mjs encodeBatch): "SKRV", count, then per vector
   EAX ECX EDX EBX EBP ESI EDI EFLAGS, data-page seed (u32), code length (u16), 2 pad bytes, the
   code bytes padded to 4. For each vector the runner fills the data page from the seed (a window
   of a fixed xorshift32 sequence, see fill_page), copies the code followed by `jmp rv_done`, runs it through core.S and prints
   "V <index> <vector> <eip offset> EAX ECX EDX EBX ESP EBP ESI EDI EFLAGS <page hash>" in hex, where
   vector ff means the stream ran to its end, and the page hash is FNV-1a over the 1024 dwords. */
#include "runtime.h"
#include "rv.h"

extern u32 rv_mbi, rv_in[8], rv_out[11];
extern u8 rv_code[], rv_done[], rv_stubs[];
void rv_run(void);

#define RV_MAGIC 0x56524B53u /* "SKRV" */

static u32 get32(const u8 *p) { return p[0] | (p[1] << 8) | (p[2] << 16) | ((u32)p[3] << 24); }

/* 8 KiB of xorshift32 output made once; each vector's page is the 4 KiB window of it at the
   dword offset the vector's seed selects (a REP MOVSD, much cheaper than 1024 PRNG steps). */
static u32 pristine[2 * RV_PAGE_SIZE / 4];

static void make_pristine(void) {
  u32 x = 0x9E3779B9u;
  for (int i = 0; i < 2 * RV_PAGE_SIZE / 4; i++) {
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    pristine[i] = x;
  }
}

static void fill_page(u32 seed) {
  const u32 *src = pristine + (seed & (RV_PAGE_SIZE / 4 - 1));
  u32 n = RV_PAGE_SIZE / 4;
  void *dst = (void *)RV_PAGE;
  __asm__ volatile("cld; rep movsl" : "+S"(src), "+D"(dst), "+c"(n) : : "memory");
}

/* FNV-1a over the page's 1024 dwords, four a loop pass. */
static u32 hash_page(void) {
  const u32 *w = (const u32 *)RV_PAGE;
  u32 h = 0x811C9DC5u;
  for (int i = 0; i < RV_PAGE_SIZE / 4; i += 4) {
    h = (h ^ w[i]) * 0x01000193u;
    h = (h ^ w[i + 1]) * 0x01000193u;
    h = (h ^ w[i + 2]) * 0x01000193u;
    h = (h ^ w[i + 3]) * 0x01000193u;
  }
  return h;
}

u32 rv_main(void) {
  const u32 *mbi = (const u32 *)rv_mbi;
  if (!mbi || !(mbi[0] & 8) || mbi[5] == 0) {
    rt_puts("random: no vector module (see guests/tests/random/README.md)\n");
    return 0;
  }
  const u32 *mod = (const u32 *)mbi[6];
  const u8 *p = (const u8 *)mod[0];
  const u8 *end = (const u8 *)mod[1];
  if (end - p < 8 || get32(p) != RV_MAGIC) {
    rt_puts("random: module is not a vector batch\n");
    return 2;
  }
  u32 count = get32(p + 4);
  p += 8;
  /* Exceptions 0..31 go to core.S stubs that end the stream without using the stack further. */
  make_pristine();
  for (int v = 0; v < 32; v++) idt_set(v, SEL_CODE32, (u32)rv_stubs + 16 * v, GATE_INT32);
  for (u32 i = 0; i < count; i++) {
    if (end - p < 44) {
      rt_puts("random: truncated module\n");
      return 3;
    }
    for (int r = 0; r < 8; r++) rv_in[r] = get32(p + 4 * r);
    u32 seed = get32(p + 32);
    u32 len = p[36] | (p[37] << 8);
    p += 40;
    if (len > 4096 || end - p < (int)len) {
      rt_puts("random: bad code length\n");
      return 3;
    }
    for (u32 k = 0; k < len; k++) rv_code[k] = p[k];
    /* jmp rv_done (E9 rel32) */
    u32 at = (u32)rv_code + len;
    rv_code[len] = 0xE9;
    u32 rel = (u32)rv_done - (at + 5);
    for (int k = 0; k < 4; k++) rv_code[len + 1 + k] = (u8)(rel >> (8 * k));
    p += (len + 3) & ~3u;
    fill_page(seed);
    rv_run();
    rt_printf("V %x %2x %4x", i, rv_out[9], rv_out[10] & 0xFFFF);
    for (int r = 0; r < 9; r++) rt_printf(" %x", rv_out[r]);
    rt_printf(" %x\n", hash_page());
  }
  rt_printf("random: %d vectors\n", count);
  return 0;
}
