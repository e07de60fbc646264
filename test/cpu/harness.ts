// Test harness for the CPU: nasm assembly at test time (cached), a machine with RAM, and a stub interrupt controller.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, existsSync, mkdirSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AddressSpace } from '../../src/core/address-space.js';
import { Clock } from '../../src/core/clock.js';
import type { InterruptController } from '../../src/core/interrupt-controller.js';
import { Cpu, ENGINES, type Engine } from '../../src/cpu/x86/cpu.js';
import { WasmLoop } from '../../src/cpu/x86/wasm-loop.js';
import { CPU_MODELS } from '../../src/cpu/x86/models.js';

const cacheDir = join(tmpdir(), 'shikiri-cpu-nasm');

/** Assemble NASM source to a flat binary (`nasm -f bin`); results are cached by source hash. */
export function asm(src: string, bits: 16 | 32 = 32, org = 0): Uint8Array {
  const text = `bits ${bits}\norg ${org}\n${src}\n`;
  const key = createHash('sha256').update(text).digest('hex').slice(0, 24);
  if (!existsSync(cacheDir)) mkdirSync(cacheDir, { recursive: true });
  const out = join(cacheDir, key + '.bin');
  if (!existsSync(out)) {
    const dir = mkdtempSync(join(tmpdir(), 'nasm-'));
    const inp = join(dir, 'a.asm');
    writeFileSync(inp, text);
    execFileSync('nasm', ['-f', 'bin', '-o', out, inp], { stdio: 'pipe' });
  }
  return new Uint8Array(readFileSync(out));
}

/** An interrupt controller the test drives by hand. */
export class StubPic implements InterruptController {
  pending: number[] = [];
  nmi = false;
  acks: number[] = [];
  hasInterrupt(): boolean { return this.pending.length > 0; }
  acknowledge(): number { const v = this.pending.shift() ?? 0xff; this.acks.push(v); return v; }
  hasNmi(): boolean { return this.nmi; }
  acknowledgeNmi(): void { this.nmi = false; }
}

export interface TestMachine { cpu: Cpu; bus: AddressSpace; clock: Clock; pic: StubPic; out: number[] }

export { ENGINES, type Engine };

/** Options of {@link machine}: RAM size, CPU model, cycle table and execution engine. */
export interface MachineOptions {
  ramKiB?: number;
  model?: string;
  uniform?: boolean;
  /** CPU engine; default 'interp'. */
  engine?: Engine;
  /** 'jit' only: arrivals at a start address before it is compiled (default: the Cpu's). */
  jitThreshold?: number;
  /** 'interp' only: false decodes every instruction at every execution (default: the Cpu's, on). */
  decodedCache?: boolean;
}

/**
 * The engine options tests use for `engine`: the jit compiles every start address at first sight
 * (threshold 1), so every instruction the compiler takes runs compiled, not only hot loops.
 */
export function engineOptions(engine: Engine): { engine: Engine; jitThreshold?: number } {
  return engine === 'jit' ? { engine, jitThreshold: 1 } : { engine };
}

/**
 * How much of a run the core's engine did through its own fast path: blocks compiled ('jit'),
 * instructions retired by the WebAssembly loop ('wasm'), instructions decoded into the cache
 * ('interp'). Tests check it is above 0, so that an engine comparison did compare that engine.
 */
export function engineWork(cpu: Cpu): number {
  return cpu.engine === 'jit' ? cpu.blocks!.compiled : cpu.engine === 'wasm' ? cpu.wasm!.retired : cpu.decoded?.decoded ?? 0;
}

/** {@link machine}, {@link flat} and {@link real} bound to one engine (see {@link engineOptions}). */
export function onEngine(engine: Engine) {
  const e = engineOptions(engine);
  return {
    engine,
    machine: (opts: MachineOptions = {}) => machine({ ...e, ...opts }),
    flat: (src: string, opts: FlatOptions = {}) => flat(src, { ...e, ...opts }),
    real: (src: string, opts: MachineOptions = {}) => real(src, { ...e, ...opts }),
  };
}

/** A machine with `ramKiB` of RAM, an 0xE9 debug port collecting bytes into `out`. */
export function machine(opts: MachineOptions = {}): TestMachine {
  const ramTop = (opts.ramKiB ?? 4096) * 1024;
  const wasm = opts.engine === 'wasm' ? new WasmLoop(ramTop) : undefined;
  const bus = new AddressSpace(ramTop, undefined, wasm);
  const clock = new Clock(33_000_000);
  const pic = new StubPic();
  const out: number[] = [];
  bus.mapPorts('debug', 0xe9, 1, { read8: () => 0xe9, write8: (_o, v) => { out.push(v); } });
  const cpu = new Cpu({
    bus, clock, interrupts: pic, model: CPU_MODELS[opts.model ?? 'i486sx'], cycles: opts.uniform ? 'uniform' : 'model',
    engine: opts.engine, wasm, jitThreshold: opts.jitThreshold, decodedCache: opts.decodedCache,
  });
  return { cpu, bus, clock, pic, out };
}

/** Flat GDT at 0x800: 0x08 code32 ring0, 0x10 data32 ring0, 0x18 code32 ring3, 0x20 data32 ring3, 0x28 TSS (at 0x900), 0x30 code16, 0x38 data16. */
export function writeFlatGdt(bus: AddressSpace, base = 0x800): void {
  const d = (i: number, lo: number, hi: number) => {
    const v = new DataView(bus.ram.buffer, bus.ram.byteOffset);
    v.setUint32(base + i * 8, lo >>> 0, true);
    v.setUint32(base + i * 8 + 4, hi >>> 0, true);
  };
  d(0, 0, 0);
  d(1, 0x0000ffff, 0x00cf9a00);
  d(2, 0x0000ffff, 0x00cf9200);
  d(3, 0x0000ffff, 0x00cffa00);
  d(4, 0x0000ffff, 0x00cff200);
  d(5, 0x09000067, 0x00008900); // 32-bit TSS at 0x900, limit 0x67
  d(6, 0x0000ffff, 0x00009a00);
  d(7, 0x0000ffff, 0x00009200);
}

/** Options of {@link flat}: where the code goes, and the machine's. */
export interface FlatOptions extends MachineOptions {
  at?: number;
}

/** Load code at `at` and enter flat protected mode there with ESP = 0x80000. */
export function flat(src: string, opts: FlatOptions = {}): TestMachine {
  const m = machine(opts);
  const at = opts.at ?? 0x10000;
  writeFlatGdt(m.bus);
  m.bus.loadBytes(at, asm(src, 32, at));
  m.cpu.enterFlatProtectedMode({ eip: at, esp: 0x80000, codeSelector: 0x08, dataSelector: 0x10, gdtBase: 0x800, gdtLimit: 0x3f });
  return m;
}

/** Load code at 0000:7C00 in real mode with SP = 0x7000. */
export function real(src: string, opts: MachineOptions = {}): TestMachine {
  const m = machine(opts);
  m.bus.loadBytes(0x7c00, asm(src, 16, 0x7c00));
  m.cpu.enterRealMode(0, 0x7c00, { esp: 0x7000 });
  return m;
}

/** Run until HLT (or fail after `max` instructions). */
export function runToHalt(m: TestMachine, max = 1_000_000): string {
  const stop = m.cpu.run(max);
  return stop;
}

/** Read a little-endian dword from RAM. */
export function peek32(m: TestMachine, addr: number): number {
  return new DataView(m.bus.ram.buffer, m.bus.ram.byteOffset).getUint32(addr, true);
}

/**
 * NASM prelude for flat protected-mode tests: an IDT at 0x1000 whose vectors 0-31 go to stubs that
 * record vector → [0x3000], error code → [0x3004] (or 0xEEEEEEEE), faulting EIP → [0x3008], and halt.
 * `SETGATE vec, handler, attrs` installs a gate (0x8E00 ring-0 interrupt gate, 0xEE00 for DPL 3).
 */
export const PM_PRELUDE = `
%macro SETGATE 3
  mov eax, %2
  mov [0x1000 + (%1)*8], ax
  mov word [0x1000 + (%1)*8 + 2], 0x08
  mov word [0x1000 + (%1)*8 + 4], %3
  shr eax, 16
  mov [0x1000 + (%1)*8 + 6], ax
%endmacro
  jmp prelude_setup
%assign v 0
%rep 32
vec_stub_ %+ v:
  %if v == 8 || (v >= 10 && v <= 14) || v == 17
    pop dword [0x3004]
  %else
    mov dword [0x3004], 0xEEEEEEEE
  %endif
  mov dword [0x3000], v
  pop dword [0x3008]
  hlt
%assign v v+1
%endrep
prelude_setup:
  mov dword [0x3000], 0xFFFFFFFF
%assign v 0
%rep 32
  SETGATE v, vec_stub_ %+ v, 0x8E00
%assign v v+1
%endrep
  lidt [prelude_idtr]
  jmp prelude_done
prelude_idtr: dw 0x7ff
  dd 0x1000
prelude_done:
`;

/**
 * NASM snippet: identity-map `entries` pages from 0 (user, writable, present) with the page
 * directory at 0x20000 and one page table at 0x21000, run `edits` (e.g. clear a PTE bit), then
 * turn paging on (with CR0.WP unless `wp` is false).
 */
export function identityPaging(opts: { entries?: number; wp?: boolean; edits?: string } = {}): string {
  return `
    mov edi, 0x21000
    mov eax, 0x007
    mov ecx, ${opts.entries ?? 1024}
  .fill: mov [edi], eax
    add eax, 0x1000
    add edi, 4
    loop .fill
    mov dword [0x20000], 0x21007
    ${opts.edits ?? ''}
    mov eax, 0x20000
    mov cr3, eax
    mov eax, cr0
    or eax, ${opts.wp === false ? '0x80000000' : '0x80010000'}   ; PG${opts.wp === false ? '' : ' | WP'}
    mov cr0, eax
`;
}
