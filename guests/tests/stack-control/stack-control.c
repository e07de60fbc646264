/* Stack and control transfers: PUSH/POP forms, PUSHA/POPA, ENTER/LEAVE levels, CALL/RET/RETF imm, LOOP/JCXZ, far jumps. */
#include "runtime.h"

extern u32 out[64];
extern char scratch_top[];
void t_push(void), t_pusha(void), t_enter(void), t_calls(void), t_loops(void);

/* Stack addresses are printed relative to the scratch stack top (%p, B = top) so the golden holds no link addresses. */
#define rel(v) (v)

static void clear(void) { for (int i = 0; i < 64; i++) out[i] = 0; }

int test_main(void) {
  rt_puts("== stack-control ==\n");
  rt_base = (u32)scratch_top;
  clear(); t_push();
  rt_printf("push: esp=%p pushed-esp=%p mem=%x w=%4x imm32=%x imm8=%x\n", rel(out[0]), rel(out[1]), out[2], out[3] & 0xffff, out[4], out[5]);
  rt_printf("push: esp after pops=%p, after push cs/pushw ds=%p ds=%4x cs=%4x\n", rel(out[6]), rel(out[7]), out[8] & 0xffff, out[9] & 0xffff);
  rt_printf("pop esp -> %p; pop (esp) -> esp=%p [esp]=%x\n", rel(out[10]), rel(out[11]), out[12]);
  clear(); t_pusha();
  rt_printf("pusha: esp=%p esp-image=%p; popa: esp=%p eax=%x edi=%x\n", rel(out[0]), rel(out[1]), rel(out[2]), out[3], out[4]);
  rt_printf("pushaw: esp=%p sp-image=B+%4x; popaw: esp=%p eax=%x\n", rel(out[5]), (out[6] - (u32)scratch_top) & 0xffff, rel(out[7]), out[8]);
  clear(); t_enter();
  for (int i = 0; i < 5; i++) {
    u32 *o = &out[i * 8];
    rt_printf("enter $16,%d: esp=%p ebp=%p [ebp]=%p [ebp-4]=%p [ebp-8]=%p [ebp-12]=%p; leave: esp=%p ebp=%p\n",
              i == 4 ? 33 : i, rel(o[0]), rel(o[1]), rel(o[2]), o[3], o[4], o[5], rel(o[6]), rel(o[7]));
  }
  clear(); t_calls();
  rt_printf("ret $8: esp=%p; call *reg -> %x; call *mem -> %x\n", rel(out[0]), out[1], out[2]);
  rt_printf("lcall/lret $4: esp=%p cs-image=%4x; lcall *mem -> %x cs=%4x\n", rel(out[3]), out[9] & 0xffff, out[4], out[5] & 0xffff);
  rt_printf("ljmp *mem -> %x; ljmp ptr -> %x; esp=%p\n", out[6], out[7], rel(out[8]));
  clear(); t_loops();
  rt_printf("loop: %d iterations ecx=%x; loopne: %d ecx=%x; loope: %d ecx=%x\n", out[0], out[1], out[2], out[3], out[4], out[5]);
  rt_printf("addr16 loop from cx=0: %x iterations ecx=%x; jcxz/jecxz: %x %x\n", out[6], out[7], out[8], out[9]);
  rt_puts("== done ==\n");
  return 0;
}
