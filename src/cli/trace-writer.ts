/** `--trace FILE`: one line per instruction with EIP, the general registers, EFLAGS, CR0 and CR3. */

import { FdSink } from '../host/stream-sink.js';
import type { Cpu } from '../cpu/x86/cpu.js';

const HEX = '0123456789abcdef';

/**
 * Writes the state before every instruction in a fixed-width text format meant for diffing
 * against a reference machine's log (see docs: debugging with QEMU):
 * `EIP=xxxxxxxx EAX=... EBX=... ECX=... EDX=... ESI=... EDI=... EBP=... ESP=... EFL=... CR0=... CR3=...`
 */
export class TraceWriter {
  private readonly out: FdSink;
  constructor(path: string) {
    this.out = FdSink.file(path);
  }

  private hex(v: number): void {
    for (let s = 28; s >= 0; s -= 4) this.out.write(HEX.charCodeAt((v >>> s) & 15));
  }

  private field(name: string, v: number): void {
    for (let i = 0; i < name.length; i++) this.out.write(name.charCodeAt(i));
    this.hex(v);
  }

  /** The CPU's trace hook. */
  readonly line = (cpu: Cpu): void => {
    this.field('EIP=', cpu.eip);
    this.field(' EAX=', cpu.eax);
    this.field(' EBX=', cpu.ebx);
    this.field(' ECX=', cpu.ecx);
    this.field(' EDX=', cpu.edx);
    this.field(' ESI=', cpu.esi);
    this.field(' EDI=', cpu.edi);
    this.field(' EBP=', cpu.ebp);
    this.field(' ESP=', cpu.esp);
    this.field(' EFL=', cpu.eflags);
    this.field(' CR0=', cpu.cr0);
    this.field(' CR3=', cpu.cr3);
    this.out.write(10);
  };

  end(): void {
    this.out.end();
  }
}
