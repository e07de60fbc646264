/**
 * JIT warm-up: runs every opcode of the table once, in 16- and 32-bit operand size with register
 * and memory operands, on a throw-away core. V8 then optimises the interpreter with type
 * feedback for all of its paths instead of deoptimising (and recompiling the big dispatch
 * functions) each time a guest reaches an opcode for the first time. Guest-invisible; runs once.
 */

import { AddressSpace } from '../../core/address-space.js';
import { Clock } from '../../core/clock.js';
import { NO_INTERRUPTS } from '../../core/interrupt-controller.js';
import type { CpuModel } from './models.js';
import { OPCODES } from './opcode-table.js';

/** Minimal constructor shape, to avoid an import cycle with cpu.ts. */
interface CpuLike {
  enterFlatProtectedMode(e: { eip: number; esp: number; codeSelector: number; dataSelector: number; gdtBase: number; gdtLimit: number; ebx?: number; esi?: number; edi?: number }): void;
  enterRealMode(cs: number, ip: number, regs?: { esp?: number; ebx?: number }): void;
  run(n: number): string;
}

let done = false;

/** Prime the interpreter once per process (idempotent). */
export function warmUp(make: (opts: { bus: AddressSpace; clock: Clock; interrupts: typeof NO_INTERRUPTS; model: CpuModel }) => CpuLike, model: CpuModel): void {
  if (done) return;
  done = true;
  const bus = new AddressSpace(0x20000);
  const cpu = make({ bus, clock: new Clock(1_000_000), interrupts: NO_INTERRUPTS, model });
  const ram = bus.ram;
  // Flat GDT at 0x800: 0x08 code, 0x10 data.
  const gdt = [0, 0, 0x0000ffff, 0x00cf9a00, 0x0000ffff, 0x00cf9200];
  const dv = new DataView(ram.buffer);
  gdt.forEach((v, i) => dv.setUint32(0x800 + i * 4, v >>> 0, true));
  const CODE = 0x1000;
  const forms = [0x03, 0xc3, 0x84]; // [ebx], ebx, [esp+disp32] forms
  for (const real of [false, true]) {
    for (let op = 0; op < 512; op++) {
      const row = OPCODES[op];
      if (!row || op === 0xf4) continue;
      for (const size of [[], [0x66]]) {
        for (const modrm of forms) {
          const bytes = [...size, ...(op >= 0x100 ? [0x0f, op & 0xff] : [op]), modrm, 0x04, 0x00, 0x00, 0x00, 0x00, 0xf4];
          ram.set(bytes, CODE);
          if (real) cpu.enterRealMode(0, CODE, { esp: 0x8000, ebx: 0x4000 });
          else cpu.enterFlatProtectedMode({ eip: CODE, esp: 0x8000, codeSelector: 0x08, dataSelector: 0x10, gdtBase: 0x800, gdtLimit: 0x17, ebx: 0x4000, esi: 0x4100, edi: 0x4200 });
          cpu.run(4);
        }
      }
    }
  }
}
