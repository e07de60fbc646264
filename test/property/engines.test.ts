// Cross-engine property: random 32-bit programs give the same state after every run() slice on
// the plain decoder (the interpreter without its decoded-instruction cache, the reference), the
// interpreter with it, the jit, and the wasm engine (the cache's forms run by WebAssembly).
//
// The programs are generated as bytes, biased to what the block compiler takes (ALU, moves, LEA,
// shifts, MUL/DIV, SETcc, 0x66 forms, loops, branches, calls) and sprinkled with instructions it
// does not take (port I/O, REP MOVS, PUSHF/POPF, INT n, HLT, CLI/STI, ...) and with string and
// bit-string instructions whose operands reach any of the pages below; most of them are
// forms the decoded-instruction cache keeps too. Memory operands hit
// data, pages that are not present or read-only under paging, an MMIO page, unmapped space and
// addresses beyond the DS and SS limits (#PF, #GP, #SS); some stores patch immediates of the
// program's own code (self-modifying code). Fault handlers count the fault and resume after the
// faulting instruction (a table maps every instruction to the next), a periodic timer raises an
// interrupt, and each program runs on every engine in paged and unpaged flat protected mode, in
// ring 0 or ring 3, with DS/ES/SS limited or flat, with the same sequence of run(budget) slices;
// after every slice everything observable is compared.
import { describe, test, expect } from 'vitest';
import fc from 'fast-check';
import { machine, writeFlatGdt, asm, type TestMachine } from '../cpu/harness.js';
import { propertyParams } from '../helpers/property.js';
import { disassemble } from '../../src/cpu/x86/disassembler.js';
import type { Engine } from '../../src/cpu/x86/cpu.js';

// ---------------------------------------------------------------- memory map (physical = linear)

const RAM_KIB = 1024;
const GDT = 0x800;
const IDT = 0x1000;
/** Fault stubs, 32 bytes a vector, then the common resume code and the interrupt handlers. */
const HANDLERS = 0x2000;
/** Per-vector fault counts (dwords), error codes at +0x100, interrupt counts at +0x80. */
const COUNTS = 0x3000;
/** Initial EAX..EDI, EFLAGS and entry EIP, read by the setup code. */
const INIT = 0x3800;
const SETUP = 0x4000;
/** The program: main code at CODE + offset, then its subroutines, within CODE_SPAN bytes. */
const CODE = 0x10000;
const CODE_SPAN = 0x3000;
const PD = 0x20000;
const PT = 0x21000;
/** Data the program reads and writes freely: [DATA, DATA_END). */
const DATA = 0x50000;
const DATA_END = 0x5f000;
/** Loop counters of nested loops, and the slot of CALL [mem]: never hit by random stores. */
const COUNTERS = 0x5f000;
const CALL_SLOT = 0x5f100;
/** Where 'spill' statements store the registers and some conditions (so a wrong value shows in RAM). */
const SPILL = 0x5f200;
/** Not present under paging (plain RAM without). */
const NOT_PRESENT = 0x60000;
/** Read-only under paging, with CR0.WP: supervisor writes fault. */
const READ_ONLY = 0x61000;
/** Supervisor-only under paging: ring-3 accesses fault. */
const SUPERVISOR = 0x62000;
/** NEXT[eip - CODE] = the EIP after the instruction at eip (0 = not an instruction start). */
const NEXT = 0x70000;
const STACK_TOP = 0x80000;
/** Ring-0 stack of a ring-3 program (TSS.ESP0), inside the SS limit. */
const STACK0_TOP = 0x8f000;
const TSS = 0x900;
/** An MMIO page whose reads depend on the time and instruction count, and whose accesses are logged with both. */
const MMIO = 0x200000;
/** Neither RAM nor device: reads all-ones, writes ignored; not present under paging. */
const UNMAPPED = 0x300000;
/** DS and ES limit (4 MiB, page granular) and SS limit (byte 0x8FFFF, page granular). */
const DS_LIMIT = 0x3fffff;
const SS_LIMIT = 0x8ffff;
const SEL_DATA = 0x40;
const SEL_STACK = 0x48;
/** The same limits at DPL 3, and the flat ring-3 code segment (writeFlatGdt's 0x18). */
const SEL_DATA3 = 0x53;
const SEL_STACK3 = 0x5b;
const SEL_CODE3 = 0x1b;
const SEL_TSS = 0x28;
/** Four test ports. */
const PORT = 0xe0;
/** External interrupt vector the timer raises; INT n vector. */
const IRQ_VECTOR = 0x20;
const SOFT_VECTOR = 0x30;

/** Fault stubs, resume code and interrupt handlers (static, assembled once). */
const HANDLER_CODE = asm(`
%assign v 0
%rep 32
  times v*32 - ($-$$) db 0x90
  %if ${[8, 10, 11, 12, 13, 14, 17].map((v) => `v == ${v}`).join(' || ')}
    pop dword [${COUNTS + 0x100} + v*4]
  %endif
  inc dword [${COUNTS} + v*4]
  jmp resume
%assign v v+1
%endrep
  times 0x400 - ($-$$) db 0x90
resume:                       ; skip the faulting instruction: its successor from the NEXT table
  push eax
  mov eax, [esp+4]
  sub eax, ${CODE}
  cmp eax, ${CODE_SPAN}
  jae wild
  mov eax, [${NEXT} + eax*4]
  test eax, eax
  jz wild
  mov [esp+4], eax
  pop eax
  iret
wild:                         ; a fault outside the program: stop for good
  cli
  hlt
  jmp wild
  times 0x480 - ($-$$) db 0x90
irq:
  inc dword [${COUNTS + 0x80}]
  iret
  times 0x4c0 - ($-$$) db 0x90
soft:
  inc dword [${COUNTS + 0x84}]
  add [${COUNTS + 0x88}], eax
  iret
`, 32, HANDLERS);
const IRQ_HANDLER = HANDLERS + 0x480;
const SOFT_HANDLER = HANDLERS + 0x4c0;

/**
 * Setup: IDT, (paging,) TSS, limited DS/ES/SS, the stack, initial registers and flags, then the
 * program: in ring 0 by POPFD and a jump, in ring 3 by IRET.
 */
function setupCode(paged: boolean, ring3: boolean): Uint8Array {
  return asm(`
  lidt [idtr]
${paged ? `  mov eax, ${PD}
  mov cr3, eax
  mov eax, cr0
  or eax, 0x80010000        ; PG | WP
  mov cr0, eax` : ''}
  mov ax, ${SEL_TSS}
  ltr ax
  mov ax, ${ring3 ? SEL_DATA3 : SEL_DATA}
  mov ds, ax
  mov es, ax
  mov ax, ${SEL_STACK}
  mov ss, ax
  mov esp, ${ring3 ? STACK0_TOP : STACK_TOP}
${ring3 ? `  push ${SEL_STACK3}
  push ${STACK_TOP}
  push dword [${INIT + 32}]
  push ${SEL_CODE3}
  push dword [${INIT + 36}]` : `  push dword [${INIT + 32}]
  popfd`}
  mov eax, [${INIT}]
  mov ecx, [${INIT + 4}]
  mov edx, [${INIT + 8}]
  mov ebx, [${INIT + 12}]
  mov ebp, [${INIT + 20}]
  mov esi, [${INIT + 24}]
  mov edi, [${INIT + 28}]
${ring3 ? '  iret' : `  jmp [${INIT + 36}]`}
idtr: dw 0x7ff
  dd ${IDT}
`, 32, SETUP);
}

// ---------------------------------------------------------------- program generation

/** One generated statement: a kind and raw numbers the encoder interprets (shrinks towards simple). */
interface Stmt { kind: number; a: number; b: number; c: number; d: number }

/** Statement kinds and their weights; kind 0 is the simplest (what shrinking aims for). */
const KINDS = [
  ['aluRR', 6], ['aluRM', 5], ['aluAcc', 2], ['grp1', 4], ['incdec', 3], ['stack', 3], ['mov', 6], ['lea', 3],
  ['test', 2], ['xchg', 1], ['shift', 3], ['unary', 3], ['movx', 2], ['setcc', 2], ['imul', 2], ['misc', 2],
  ['op16', 5], ['patch', 2], ['spill', 4], ['loop', 3], ['if', 3], ['jmp', 1], ['call', 2],
  ['io', 2], ['rep', 1], ['flags', 2], ['int', 1], ['hlt', 1], ['clisti', 1], ['other', 2], ['str', 2],
] as const;
type Kind = (typeof KINDS)[number][0];
const KIND_TABLE: Kind[] = KINDS.flatMap(([k, w]) => new Array<Kind>(w).fill(k));
const COMPOUND = new Set<Kind>(['loop', 'if', 'jmp', 'call']);

const le32 = (v: number) => [v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff];
const modrm = (mod: number, reg: number, rm: number) => (mod << 6) | (reg << 3) | rm;
const s8 = (v: number) => ((v & 0xff) << 24) >> 24;

/** Where the encoder is: registers it must not write, loop depth, dwords pushed and the floor a POP may not go under. */
interface Ctx { prot: number; depth: number; stack: number; floor: number; simple: boolean; inSub: boolean }

/** A patchable immediate in the code (SMC target). */
interface Site { addr: number; size: 1 | 4 }

/** Builds the code bytes and the tables that go with them. */
class Emitter {
  readonly bytes: number[] = [];
  /** [eip, next eip] of every instruction. */
  readonly insns: [number, number][] = [];
  readonly sites: Site[] = [];
  /** Run after everything is placed (patch addresses, call targets). */
  readonly fixups: (() => void)[] = [];
  /** Entry points of the subroutines (placed after the main code). */
  readonly subs: number[] = [];
  constructor(readonly base: number, readonly subCount: number) {}
  get pc(): number {
    return this.base + this.bytes.length;
  }
  /** One instruction; `site` marks its last `site` bytes as a patchable immediate. */
  insn(bytes: number[], site?: 1 | 4): number {
    const at = this.pc;
    for (const b of bytes) this.bytes.push(b & 0xff);
    this.insns.push([at, this.pc]);
    if (site !== undefined) this.sites.push({ addr: this.pc - site, size: site });
    return at;
  }
  put32(addr: number, v: number): void {
    le32(v).forEach((b, i) => { this.bytes[addr - this.base + i] = b; });
  }
  put8(addr: number, v: number): void {
    this.bytes[addr - this.base] = v & 0xff;
  }
}

/** Registers (0-7 numbering) the statement may write. */
function writable(ctx: Ctx): number[] {
  return [0, 1, 2, 3, 5, 6, 7].filter((r) => ((ctx.prot >> r) & 1) === 0);
}
function dst32(ctx: Ctx, x: number): number {
  const l = writable(ctx);
  return l[x % l.length];
}
/** An 8-bit register (AL..BH numbering) whose 32-bit register may be written. */
function dst8(ctx: Ctx, x: number): number {
  const l = [0, 1, 2, 3, 4, 5, 6, 7].filter((i) => ((ctx.prot >> (i & 3)) & 1) === 0);
  return l[x % l.length];
}

/** A linear address of a category chosen by `y`: mostly data, sometimes one that faults or is special. */
function address(y: number, write: boolean): number {
  const cat = y % 32, r = y >>> 5;
  if (cat < 16 || cat >= 29) return DATA + (r % (DATA_END - DATA - 8));
  switch (cat) {
    case 16: case 17: return [0x50fff, 0x53ffe, 0x5fffe, 0x60ffe, 0x61ffd, 0x62ffe][r % 6]; // page-crossing
    case 18: case 19: return NOT_PRESENT + (r & 0xfff);
    case 20: return READ_ONLY + (r & 0xfff);
    case 21: return SUPERVISOR + (r & 0xfff);
    case 22: return MMIO + (r & 0xff);
    case 23: case 24: return UNMAPPED + (r & 0xffff);
    case 25: case 26: return [0x400000 + (r & 0xffff), (0xfffffff8 + (r & 7)) >>> 0, DS_LIMIT - (r & 3)][r % 3];
    default: return write ? DATA + (r % 0x1000) : CODE + (r % CODE_SPAN); // reading code is fine; writing is for 'patch'
  }
}

/**
 * A memory operand reaching `address(y)`: emits the register setup it needs (MOV r32, imm32)
 * and returns the ModRM/SIB/displacement bytes for a given reg field. `x` picks the form.
 */
function memOperand(e: Emitter, ctx: Ctx, x: number, y: number, write: boolean, addr = address(y, write)): (reg: number) => number[] {
  const form = x % 8;
  const b = dst32(ctx, x >>> 3);
  const d8 = s8(x >>> 6);
  const setReg = (r: number, v: number) => e.insn([0xb8 + r, ...le32(v)]);
  switch (form) {
    case 1: setReg(b, addr - d8); return (reg) => [modrm(1, reg, b), d8 & 0xff];
    case 2: { const d = Math.imul(x >>> 6, 0x9e3779b1); setReg(b, addr - d); return (reg) => [modrm(2, reg, b), ...le32(d)]; }
    case 3:
      if (b === 5) { setReg(5, addr); return (reg) => [modrm(1, reg, 5), 0]; }
      setReg(b, addr); return (reg) => [modrm(0, reg, b)];
    case 4: { // base + index*scale + disp
      const others = writable(ctx).filter((r) => r !== b);
      const i = others[(x >>> 14) % others.length];
      const s = (x >>> 17) & 3;
      let mod = (x >>> 19) % 3;
      if (mod === 0 && b === 5) mod = 1;
      const d = mod === 1 ? d8 : mod === 2 ? Math.imul(x >>> 6, 0x10001) : 0;
      const iv = (x >>> 21) & 0xff;
      setReg(i, iv);
      setReg(b, addr - iv * (1 << s) - d);
      return (reg) => [modrm(mod, reg, 4), (s << 6) | (i << 3) | b, ...(mod === 1 ? [d & 0xff] : mod === 2 ? le32(d) : [])];
    }
    case 5: { // index*scale + disp32, no base
      const i = b;
      const s = (x >>> 17) & 3;
      const d = (addr & ((1 << s) - 1)) + (((x >>> 19) & 0xf) << 3);
      setReg(i, ((addr - d) >>> 0) / (1 << s));
      return (reg) => [modrm(0, reg, 4), (s << 6) | (i << 3) | 5, ...le32(d)];
    }
    case 6: // [esp + disp8]: the stack, for reads only
      if (!write) return (reg) => [modrm(1, reg, 4), 0x24, (x >>> 6) & 0x7c];
      return (reg) => [modrm(0, reg, 5), ...le32(addr)];
    case 7: // base through a SIB byte without index
      setReg(b, addr - d8);
      return (reg) => [modrm(1, reg, 4), (((x >>> 17) & 3) << 6) | (4 << 3) | b, d8 & 0xff];
    default:
      return (reg) => [modrm(0, reg, 5), ...le32(addr)];
  }
}

/** A safe data address (never faults) for stack and string operations. */
const dataAddress = (y: number) => DATA + 0x4000 + (y % 0x6000);

/** Encode statements from `list[cur.i]` on; compound statements take the following ones as their body. */
function emitStmts(e: Emitter, list: Stmt[], cur: { i: number }, count: number, ctx: Ctx): void {
  for (let n = 0; n < count && cur.i < list.length && e.pc - CODE < CODE_SPAN - 0x600; n++) {
    const s = list[cur.i++];
    emitStmt(e, s, list, cur, ctx);
  }
}

/** Pop what a body left pushed above its floor (ADD ESP, n). */
function rebalance(e: Emitter, ctx: Ctx, floor: number): void {
  if (ctx.stack > floor) e.insn([0x83, 0xc4, (ctx.stack - floor) * 4]);
  ctx.stack = floor;
}

function emitStmt(e: Emitter, s: Stmt, list: Stmt[], cur: { i: number }, ctx: Ctx): void {
  let kind = KIND_TABLE[s.kind % KIND_TABLE.length];
  if (ctx.simple && COMPOUND.has(kind)) kind = 'aluRR';
  const { a, b, c, d } = s;
  const w8 = (a & 1) === 0; // 8-bit form where there is a choice
  const regMem = (write: boolean) => (b & 3) === 0 ? null : memOperand(e, ctx, d, b >>> 2, write);
  switch (kind) {
    case 'aluRR': {
      const op = (a >>> 1) % 8, dir = (a >>> 4) & 1;
      const dst = w8 ? dst8(ctx, b) : dst32(ctx, b), src = (c >>> 0) % 8;
      // dir 0: op E,G (dst in r/m); dir 1: op G,E (dst in reg)
      e.insn([op * 8 + dir * 2 + (w8 ? 0 : 1), dir ? modrm(3, dst, src) : modrm(3, src, dst)]);
      return;
    }
    case 'aluRM': {
      const op = (a >>> 1) % 8, dir = (a >>> 4) & 1;
      const m = memOperand(e, ctx, d, b, dir === 0 && op !== 7);
      const reg = dir ? (w8 ? dst8(ctx, c >>> 0) : dst32(ctx, c >>> 0)) : (c >>> 0) % 8;
      e.insn([op * 8 + dir * 2 + (w8 ? 0 : 1), ...m(reg)]);
      return;
    }
    case 'aluAcc': {
      const op = (a >>> 1) % 8;
      if (w8) e.insn([op * 8 + 4, c], 1);
      else e.insn([op * 8 + 5, ...le32(c)], 4);
      return;
    }
    case 'grp1': {
      const op = (a >>> 1) % 8;
      const opc = [0x80, 0x81, 0x83, 0x83, 0x81, 0x82][(a >>> 4) % 6];
      const m = regMem(op !== 7);
      const rm = m ? m(op) : [modrm(3, op, opc === 0x80 || opc === 0x82 ? (op === 7 ? b % 8 : dst8(ctx, b)) : (op === 7 ? b % 8 : dst32(ctx, b)))];
      e.insn([opc, ...rm, ...(opc === 0x81 ? le32(c) : [c])], opc === 0x81 ? 4 : 1);
      return;
    }
    case 'incdec': {
      const dec = (a >>> 1) & 1;
      switch ((a >>> 2) % 3) {
        case 0: e.insn([0x40 + dec * 8 + dst32(ctx, b)]); return;
        case 1: e.insn([w8 ? 0xfe : 0xff, modrm(3, dec, w8 ? dst8(ctx, b) : dst32(ctx, b))]); return;
        default: { const m = memOperand(e, ctx, d, b, true); e.insn([w8 ? 0xfe : 0xff, ...m(dec)]); return; }
      }
    }
    case 'stack': {
      let f = (a >>> 1) % 7;
      if ((f === 1 || f === 5) && ctx.stack <= ctx.floor) f = 0;
      if (ctx.stack >= 16 && f !== 1 && f !== 5) f = 1;
      if (f === 1 || f === 5) ctx.stack--; else if (f !== 6) ctx.stack++;
      switch (f) {
        case 6: // a stack frame: push ebp; mov ebp, esp; sub esp, n; mov [ebp-4], r; leave
          e.insn([0x55]); e.insn([0x89, 0xe5]); e.insn([0x83, 0xec, (b & 0x3c) + 4]); e.insn([0x89, modrm(1, (c >>> 0) % 8, 5), 0xfc]); e.insn([0xc9]);
          return;
        case 0: e.insn([0x50 + (b % 8)]); return;
        case 1: e.insn([0x58 + dst32(ctx, b)]); return;
        case 2: e.insn([0x68, ...le32(c)], 4); return;
        case 3: e.insn([0x6a, c]); return;
        case 4: { const m = memOperand(e, ctx, d, 0, false, dataAddress(b)); e.insn([0xff, ...m(6)]); return; }
        default: { const m = memOperand(e, ctx, d, 0, true, dataAddress(b)); e.insn([0x8f, ...m(0)]); return; }
      }
    }
    case 'mov':
      switch ((a >>> 1) % 8) {
        case 0: {
          const dir = (a >>> 4) & 1, dst = w8 ? dst8(ctx, b) : dst32(ctx, b), src = (c >>> 0) % 8;
          e.insn([0x88 + dir * 2 + (w8 ? 0 : 1), dir ? modrm(3, dst, src) : modrm(3, src, dst)]);
          return;
        }
        case 1: { const m = memOperand(e, ctx, d, b, true); e.insn([w8 ? 0x88 : 0x89, ...m((c >>> 0) % 8)]); return; }
        case 2: { const m = memOperand(e, ctx, d, b, false); e.insn([w8 ? 0x8a : 0x8b, ...m(w8 ? dst8(ctx, c >>> 0) : dst32(ctx, c >>> 0))]); return; }
        case 3: e.insn([w8 ? 0xc6 : 0xc7, modrm(3, 0, w8 ? dst8(ctx, b) : dst32(ctx, b)), ...(w8 ? [c] : le32(c))], w8 ? 1 : 4); return;
        case 4: { const m = memOperand(e, ctx, d, b, true); e.insn([w8 ? 0xc6 : 0xc7, ...m(0), ...(w8 ? [c] : le32(c))], w8 ? 1 : 4); return; }
        case 5: e.insn([0xb8 + dst32(ctx, b), ...le32(c)], 4); return;
        case 6: e.insn([0xb0 + dst8(ctx, b), c], 1); return;
        default: {
          const op = 0xa0 + ((a >>> 4) & 3), write = op >= 0xa2;
          e.insn([op, ...le32(address(b, write))]);
          return;
        }
      }
    case 'lea': { // every ModRM/SIB form, registers as they are (LEA touches no memory)
      const mod = a % 3, rm = (a >>> 2) % 8, sib = (a >>> 5) & 0xff;
      const disp = mod === 1 ? [c & 0xff] : mod === 2 || (mod === 0 && rm === 5) || (mod === 0 && rm === 4 && (sib & 7) === 5) ? le32(c) : [];
      e.insn([0x8d, modrm(mod, dst32(ctx, b), rm), ...(rm === 4 ? [sib] : []), ...disp]);
      return;
    }
    case 'test':
      switch ((a >>> 1) % 4) {
        case 0: e.insn([w8 ? 0x84 : 0x85, modrm(3, b % 8, (c >>> 0) % 8)]); return;
        case 1: { const m = memOperand(e, ctx, d, b, false); e.insn([w8 ? 0x84 : 0x85, ...m((c >>> 0) % 8)]); return; }
        case 2: e.insn(w8 ? [0xa8, c] : [0xa9, ...le32(c)], w8 ? 1 : 4); return;
        default: {
          const m = regMem(false);
          e.insn([w8 ? 0xf6 : 0xf7, ...(m ? m(0) : [modrm(3, 0, b % 8)]), ...(w8 ? [c] : le32(c))], w8 ? 1 : 4);
          return;
        }
      }
    case 'xchg': {
      const reg = w8 ? dst8(ctx, c >>> 0) : dst32(ctx, c >>> 0);
      const m = regMem(true);
      e.insn([w8 ? 0x86 : 0x87, ...(m ? m(reg) : [modrm(3, reg, w8 ? dst8(ctx, b) : dst32(ctx, b))])]);
      return;
    }
    case 'shift': {
      const opc = [0xc0, 0xc1, 0xd0, 0xd1, 0xd2, 0xd3][(a >>> 1) % 6], op = (a >>> 4) % 8;
      const byte = (opc & 1) === 0;
      const m = regMem(true);
      e.insn([opc, ...(m ? m(op) : [modrm(3, op, byte ? dst8(ctx, b) : dst32(ctx, b))]), ...(opc <= 0xc1 ? [c & 0x3f] : [])]);
      return;
    }
    case 'unary': {
      const op = 2 + ((a >>> 1) % 6); // NOT NEG MUL IMUL DIV IDIV
      const writes = op <= 3;
      const m = regMem(writes);
      let rm = writes ? (w8 ? dst8(ctx, b) : dst32(ctx, b)) : b % 8;
      if (op >= 6) {
        switch ((a >>> 4) % 4) {
          case 0: e.insn([0x31, 0xd2]); break; // xor edx, edx
          case 1: e.insn([0x99]); break; // cdq
          case 2: if (!m) { rm = w8 ? dst8(ctx, b) : dst32(ctx, b); e.insn([w8 ? 0x30 : 0x31, modrm(3, rm, rm)]); } break; // divisor 0
          default: break;
        }
      }
      e.insn([w8 ? 0xf6 : 0xf7, ...(m ? m(op) : [modrm(3, op, rm)])]);
      return;
    }
    case 'movx': {
      const op = [0xb6, 0xb7, 0xbe, 0xbf][(a >>> 1) % 4];
      const m = regMem(false);
      e.insn([0x0f, op, ...(m ? m(dst32(ctx, c >>> 0)) : [modrm(3, dst32(ctx, c >>> 0), b % 8)])]);
      return;
    }
    case 'setcc': {
      const m = regMem(true);
      e.insn([0x0f, 0x90 + ((a >>> 1) % 16), ...(m ? m(0) : [modrm(3, 0, dst8(ctx, b))])]);
      return;
    }
    case 'imul': {
      const f = (a >>> 1) % 3;
      const m = regMem(false);
      const reg = dst32(ctx, c >>> 0);
      const rm = m ? m(reg) : [modrm(3, reg, b % 8)];
      if (f === 0) e.insn([0x69, ...rm, ...le32(c)], 4);
      else if (f === 1) e.insn([0x6b, ...rm, d], 1);
      else e.insn([0x0f, 0xaf, ...rm]);
      return;
    }
    case 'misc': e.insn([[0x98, 0x99, 0xfc, 0xfd, 0x90][(a >>> 1) % 5]]); return;
    case 'op16': {
      const r16 = dst32(ctx, b);
      switch ((a >>> 1) % 10) {
        case 0: { const op = (a >>> 5) % 8, dir = (a >>> 8) & 1, src = (c >>> 0) % 8; e.insn([0x66, op * 8 + dir * 2 + 1, dir ? modrm(3, r16, src) : modrm(3, src, r16)]); return; }
        case 1: { const op = (a >>> 5) % 8, dir = (a >>> 8) & 1; const m = memOperand(e, ctx, d, b, dir === 0 && op !== 7); e.insn([0x66, op * 8 + dir * 2 + 1, ...m(dir ? dst32(ctx, c >>> 0) : (c >>> 0) % 8)]); return; }
        case 2: e.insn([0x66, ((a >>> 5) % 8) * 8 + 5, c, c >>> 8], 1); return;
        case 3: e.insn([0x66, 0x40 + ((a >>> 5) & 1) * 8 + r16]); return;
        case 4: {
          const op = (a >>> 5) % 8, long = (a >>> 8) & 1;
          const m = regMem(op !== 7);
          e.insn([0x66, long ? 0x81 : 0x83, ...(m ? m(op) : [modrm(3, op, r16)]), ...(long ? [c, c >>> 8] : [c])], 1);
          return;
        }
        case 5: { const m = regMem(false); e.insn([0x66, 0x85, ...(m ? m((c >>> 0) % 8) : [modrm(3, (c >>> 0) % 8, b % 8)])]); return; }
        case 6: {
          const load = (a >>> 5) & 1;
          const m = regMem(!load);
          if (load) e.insn([0x66, 0x8b, ...(m ? m(dst32(ctx, c >>> 0)) : [modrm(3, dst32(ctx, c >>> 0), b % 8)])]);
          else e.insn([0x66, 0x89, ...(m ? m((c >>> 0) % 8) : [modrm(3, (c >>> 0) % 8, r16)])]);
          return;
        }
        case 7: { const m = regMem(true); e.insn([0x66, 0xc7, ...(m ? m(0) : [modrm(3, 0, r16)]), c, c >>> 8]); return; }
        case 8: e.insn([0x66, 0x90]); return;
        default: // 16-bit forms the compiler leaves to the interpreter
          e.insn([
            [0x66, 0xc1, modrm(3, 4, r16), c & 0x1f], [0x66, 0x0f, 0xb6, modrm(3, r16, b % 8)], [0x66, 0xf7, modrm(3, 3, r16)],
            [0x66, 0x0f, 0xaf, modrm(3, r16, (c >>> 0) % 8)], [0x66, 0x99], [0x66, 0xd1, modrm(3, 7, r16)],
          ][(a >>> 5) % 6]);
          return;
      }
    }
    case 'patch': { // self-modifying code: overwrite an immediate of the program (resolved once all code is placed)
      const f = (a >>> 1) % 4; // MOV dword [disp32], imm32 / MOV byte [disp32], imm8 / MOV [disp32], EAX / MOV dword [reg], imm32
      const patchPc = e.pc;
      const breg = dst32(ctx, d);
      const addrAt = f === 3 ? e.insn([0xb8 + breg, 0, 0, 0, 0]) + 1 : e.pc + (f === 2 ? 1 : 2);
      e.insn(f === 0 ? [0xc7, 0x05, 0, 0, 0, 0, ...le32(c)] : f === 1 ? [0xc6, 0x05, 0, 0, 0, 0, c] : f === 2 ? [0xa3, 0, 0, 0, 0]
        : [0xc7, ...(breg === 5 ? [0x45, 0] : [breg]), ...le32(c)]);
      e.fixups.push(() => {
        // A dword store takes a dword immediate, a byte store any byte of one; half the time the
        // first one after the patch (often in the same block), else any.
        const fits = e.sites.filter((t) => f === 1 || t.size === 4);
        const after = fits.filter((t) => t.addr > patchPc);
        const pool = (b & 1) && after.length ? [after.reduce((p, q) => (q.addr < p.addr ? q : p))] : fits;
        const site = pool.length ? pool[(b >>> 1) % pool.length] : { addr: DATA, size: 4 as const };
        e.put32(addrAt, site.addr + (f === 1 ? (c >>> 8) % site.size : 0));
      });
      return;
    }
    case 'spill': { // every register and four conditions to memory, with compiled stores
      for (let r = 0; r < 8; r++) e.insn([0x89, modrm(0, r, 5), ...le32(SPILL + r * 4)]);
      for (let k = 0; k < 4; k++) e.insn([0x0f, 0x90 + ((a >>> (1 + k * 4)) & 15), modrm(0, 0, 5), ...le32(SPILL + 32 + k)]);
      return;
    }
    case 'loop': {
      if (ctx.depth >= 2) { emitStmt(e, { ...s, kind: 0 }, list, cur, ctx); return; }
      const n = 1 + (a >>> 1) % 12;
      const counter = COUNTERS + ctx.depth * 4;
      const outer = ctx.depth === 0;
      if (outer) { e.insn([0xb9, ...le32(n)]); } else e.insn([0xc7, 0x05, ...le32(counter), ...le32(1 + (n % 5))]);
      const top = e.pc;
      const inner: Ctx = { ...ctx, prot: outer ? ctx.prot | 2 : ctx.prot, depth: ctx.depth + 1, floor: ctx.stack };
      emitStmts(e, list, cur, 1 + (b % 6), inner);
      rebalance(e, inner, ctx.stack);
      const form = outer ? (a >>> 5) % 4 : 4;
      if (form === 1 && top - (e.pc + 2) >= -128) { e.insn([0xe2, (top - (e.pc + 2)) & 0xff]); return; } // LOOP
      if (form === 2) e.insn([0x83, 0xe9, 0x01]); // sub ecx, 1
      else if (outer) e.insn([0x49]); // dec ecx
      else e.insn([0xff, 0x0d, ...le32(counter)]); // dec dword [counter]
      const short = top - (e.pc + 2);
      if (short >= -128 && form !== 3) e.insn([0x75, short & 0xff]);
      else e.insn([0x0f, 0x85, ...le32(top - (e.pc + 6))]);
      return;
    }
    case 'if': { // a forward conditional branch over the next 1-3 statements
      switch ((a >>> 1) % 3) {
        case 0: e.insn([0x83, modrm(3, 7, b % 8), c]); break; // cmp r, imm8
        case 1: e.insn([0x85, modrm(3, b % 8, (c >>> 0) % 8)]); break; // test
        default: break; // the flags as they are
      }
      const cc = (a >>> 3) % 16, near = (a >>> 7) & 1;
      const at = e.insn(near ? [0x0f, 0x80 + cc, 0, 0, 0, 0] : [0x70 + cc, 0]);
      const body: Ctx = { ...ctx, simple: true, floor: ctx.stack };
      emitStmts(e, list, cur, 1 + (b % 3), body);
      rebalance(e, body, ctx.stack);
      const disp = e.pc - (at + (near ? 6 : 2));
      if (near) e.put32(at + 2, disp);
      else e.put8(at + 1, disp);
      return;
    }
    case 'jmp': { // dead code jumped over
      const near = (a >>> 1) & 1;
      const at = e.insn(near ? [0xe9, 0, 0, 0, 0] : [0xeb, 0]);
      const body: Ctx = { ...ctx, simple: true, floor: ctx.stack };
      emitStmts(e, list, cur, 1 + (b % 2), body);
      rebalance(e, body, ctx.stack);
      const disp = e.pc - (at + (near ? 5 : 2));
      if (near) e.put32(at + 1, disp);
      else e.put8(at + 1, disp);
      return;
    }
    case 'call': {
      if (e.subCount === 0) { emitStmt(e, { ...s, kind: 0 }, list, cur, ctx); return; }
      const sub = b % e.subCount;
      if (sub % 2 === 1) e.insn([0x6a, c]); // odd subroutines end in RET 4: one argument
      const f = (a >>> 1) % 3; // CALL rel32 / CALL reg / CALL [mem]
      const r = dst32(ctx, d);
      const at = f === 0 ? e.pc + 1 : f === 1 ? e.insn([0xb8 + r, 0, 0, 0, 0]) + 1 : e.insn([0xc7, 0x05, ...le32(CALL_SLOT), 0, 0, 0, 0]) + 6;
      e.insn(f === 0 ? [0xe8, 0, 0, 0, 0] : f === 1 ? [0xff, modrm(3, 2, r)] : [0xff, 0x15, ...le32(CALL_SLOT)]);
      e.fixups.push(() => {
        const target = e.subs[sub];
        e.put32(at, f === 0 ? target - (at + 4) : target);
      });
      return;
    }
    case 'io':
      switch ((a >>> 1) % 8) {
        case 0: e.insn([0xe4, PORT + (b & 3)]); return;
        case 1: e.insn([0xe5, PORT]); return;
        case 2: e.insn([0xe6, PORT + (b & 3)]); return;
        case 3: e.insn([0xe7, PORT]); return;
        case 4: e.insn([0xba, ...le32(PORT + (b & 3))]); e.insn([0xec]); return;
        case 5: e.insn([0xba, ...le32(PORT + (b & 3))]); e.insn([0xee]); return;
        case 6: e.insn([0x66, 0xe5, PORT]); return;
        default: e.insn([0xba, ...le32(PORT)]); e.insn([0xef]); return;
      }
    case 'rep': {
      const saveEcx = (ctx.prot & 2) !== 0;
      if (saveEcx) e.insn([0x51]);
      e.insn([0xbe, ...le32(dataAddress(b))]);
      e.insn([0xbf, ...le32(dataAddress(d))]);
      e.insn([0xb9, ...le32((c >>> 0) % 41)]);
      e.insn([0xf3, [0xa4, 0xa5, 0xab, 0xaa][(a >>> 1) % 4]]);
      if (saveEcx) e.insn([0x59]);
      return;
    }
    case 'str': { // string and bit-string forms with memory operands anywhere, REPE/REPNE, DF = 1
      const saveEcx = (ctx.prot & 2) !== 0;
      const v = (a >>> 1) % 8;
      if (v <= 2) {
        // BT* r/m32, r32 (offset -128..127), CMPXCHG and XADD with a memory destination.
        const write = v !== 0 || (b & 3) !== 0;
        const mem = memOperand(e, ctx, v === 0 ? 0 : c, d, write);
        const r = v === 0 ? 0 : dst32(ctx, b >>> 2);
        if (v === 0) {
          // EAX holds the bit offset (memOperand's absolute form uses no register).
          if ((ctx.prot & 1) !== 0) { e.insn([0x0f, 0xa3, ...mem(0)]); return; }
          e.insn([0xb8, ...le32(s8(c))]);
          e.insn([0x0f, [0xa3, 0xab, 0xb3, 0xbb][b & 3], ...mem(0)]);
        } else {
          // CMPXCHG may write EAX: XADD instead while EAX is protected.
          e.insn([0x0f, v === 1 && (ctx.prot & 1) === 0 ? 0xb1 : 0xc1, ...mem(r)]);
        }
        return;
      }
      if (saveEcx) e.insn([0x51]);
      const down = v === 5;
      if (down) e.insn([0xfd]); // std
      // v = 6: a destination anywhere (faults, read-only, MMIO, unmapped); v = 7: both sides just
      // below the end of RAM, so a step runs from RAM into unmapped space (reads all-ones, writes
      // ignored, no fault) and the WebAssembly loop stops part-way through it.
      const end = RAM_KIB * 1024 - 0x40;
      e.insn([0xbe, ...le32(v === 7 ? end + (b & 0x3f) : dataAddress(b) + (down ? 0x100 : 0))]);
      e.insn([0xbf, ...le32(v === 6 ? address(d, true) : v === 7 ? end + (d & 0x3f) : dataAddress(d) + (down ? 0x100 : 0))]);
      e.insn([0xb9, ...le32((c >>> 0) % 41)]);
      switch (v === 7 ? 3 + ((b >>> 6) % 3) : v) {
        case 3: e.insn([(b & 4) !== 0 ? 0xf3 : 0xf2, [0xa6, 0xa7, 0xae, 0xaf][b & 3]]); break; // REPE/REPNE CMPS, SCAS
        case 4: e.insn((b & 4) !== 0 ? [0xf3, [0xac, 0xad][b & 1]] : [[0xac, 0xad, 0xae, 0xaf][b & 3]]); break; // LODS, SCAS
        default: e.insn([0xf3, [0xa4, 0xa5, 0xaa, 0xab][b & 3]]); break; // REP MOVS, STOS
      }
      if (down) e.insn([0xfc]); // cld
      if (saveEcx) e.insn([0x59]);
      return;
    }
    case 'flags':
      switch ((a >>> 1) % 5) {
        case 0: e.insn([0x9c]); e.insn([0x9d]); return;
        case 1: e.insn([0x9c]); e.insn([0x58 + dst32(ctx, b)]); return;
        case 2: e.insn([0x9f]); e.insn([0x9e]); return; // lahf; sahf
        case 3: e.insn([0x9c]); e.insn([0x81, 0x34, 0x24, ...le32(c & 0x8d5)]); e.insn([0x9d]); return; // flip status flags
        default: e.insn([[0xf5, 0xf8, 0xf9][b % 3]]); return; // cmc / clc / stc
      }
    case 'int': e.insn([0xcd, SOFT_VECTOR]); return;
    case 'hlt': e.insn([0xfb]); e.insn([0xf4]); return; // sti; hlt: the timer wakes it
    case 'clisti': e.insn([(a >>> 1) & 1 ? 0xfa : 0xfb]); return;
    default: { // 'other': instructions the compiler does not take
      const r = dst32(ctx, b), src = (c >>> 0) % 8;
      switch ((a >>> 1) % 8) {
        case 0: e.insn([0x0f, 0xc8 + r]); return; // bswap
        case 1: e.insn([0x0f, 0xa3, modrm(3, src, b % 8)]); return; // bt
        case 2: e.insn([0x0f, 0xc1, modrm(3, r, dst32(ctx, d))]); return; // xadd
        case 3: e.insn([0x0f, 0xb1, modrm(3, src, r)]); return; // cmpxchg
        case 4: e.insn([0xbf, ...le32(dataAddress(d))]); e.insn([0xab]); return; // stosd
        case 5: e.insn([0x0f, 0xa4, modrm(3, src, r), c & 0x1f]); return; // shld
        case 6: e.insn([0x90 + r]); return; // xchg eax, r
        default: e.insn([0x37]); return; // aaa
      }
    }
  }
}

/** A generated case: the program, its start, initial registers, the slices and the timer. */
interface Case {
  main: Stmt[];
  subs: Stmt[][];
  offset: number;
  regs: number[];
  flags: number;
  slices: number[];
  timerFirst: number;
  timerPeriod: number;
  jitThreshold: number;
  /** Run the program in ring 3 (IOPL 3 or 0: port I/O, CLI/STI then fault or not). */
  ring3: boolean;
  iopl3: boolean;
  /**
   * DS, ES and SS flat (4 GiB) instead of limited: no #GP/#SS at the limits, and the wasm
   * engine's loop does the memory accesses itself (it leaves any access through a limited
   * segment to the decoder).
   */
  flat: boolean;
}

/** The program's bytes (at CODE), entry point and NEXT table. */
interface Program { code: Uint8Array; entry: number; next: [number, number][] }

function assemble(c: Case): Program {
  const entry = CODE + c.offset;
  const e = new Emitter(entry, c.subs.length);
  const ctx: Ctx = { prot: 1 << 4, depth: 0, stack: 0, floor: 0, simple: false, inSub: false };
  emitStmts(e, c.main, { i: 0 }, c.main.length, ctx);
  rebalance(e, ctx, 0);
  e.insn([0xe9, ...le32(entry - (e.pc + 5))]); // and again, until the slices are used up
  c.subs.forEach((body, k) => {
    e.subs.push(e.pc);
    // Subroutines may be called inside loops: ECX is kept.
    const sctx: Ctx = { prot: (1 << 4) | 2, depth: 2, stack: 0, floor: 0, simple: true, inSub: true };
    emitStmts(e, body, { i: 0 }, body.length, sctx);
    rebalance(e, sctx, 0);
    e.insn(k % 2 === 1 ? [0xc2, 4, 0] : [0xc3]);
  });
  for (const f of e.fixups) f();
  const code = new Uint8Array(entry - CODE + e.bytes.length);
  code.set(e.bytes, entry - CODE);
  return { code, entry, next: e.insns };
}

const stmt: fc.Arbitrary<Stmt> = fc.record({
  kind: fc.nat({ max: KIND_TABLE.length - 1 }),
  a: fc.nat(),
  b: fc.nat(),
  c: fc.integer(),
  d: fc.nat(),
});

/** Budgets of run(): mostly 1-50 instructions, some large. */
const slice = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: 1, max: 50 }) },
  { weight: 2, arbitrary: fc.integer({ min: 51, max: 500 }) },
  { weight: 1, arbitrary: fc.integer({ min: 501, max: 5000 }) },
);

const caseArb: fc.Arbitrary<Case> = fc.record({
  main: fc.array(stmt, { minLength: 1, maxLength: 60, size: 'max' }),
  subs: fc.array(fc.array(stmt, { maxLength: 6, size: 'max' }), { maxLength: 3, size: 'max' }),
  offset: fc.oneof(fc.nat({ max: 0x40 }), fc.nat({ max: 0xfff })),
  regs: fc.array(fc.integer(), { minLength: 8, maxLength: 8 }),
  flags: fc.nat({ max: 0xfff }),
  slices: fc.array(slice, { minLength: 1, maxLength: 80, size: 'max' }),
  timerFirst: fc.integer({ min: 1, max: 20000 }),
  timerPeriod: fc.integer({ min: 20, max: 5000 }),
  jitThreshold: fc.constantFrom(1, 1, 1, 2, 3, 50, 400),
  ring3: fc.boolean(),
  iopl3: fc.boolean(),
  flat: fc.boolean(),
});

// ---------------------------------------------------------------- machines and comparison

/** A machine running one case on one engine, with its I/O trace. */
interface Rig { m: TestMachine; trace: string[] }

function gdtEntry(bus: TestMachine['bus'], sel: number, lo: number, hi: number): void {
  const v = new DataView(bus.ram.buffer, bus.ram.byteOffset);
  v.setUint32(GDT + sel, lo >>> 0, true);
  v.setUint32(GDT + sel + 4, hi >>> 0, true);
}

/** The three ways of running a program: the reference first. */
type Config = 'plain' | 'interp' | 'jit' | 'wasm';

function build(c: Case, p: Program, config: Config, paged: boolean): Rig {
  const engine: Engine = config === 'plain' ? 'interp' : config;
  const m = machine({ ramKiB: RAM_KIB, engine, jitThreshold: c.jitThreshold, decodedCache: config !== 'plain', uniform: false });
  const { bus, clock, cpu, pic } = m;
  const trace: string[] = [];
  const dv = new DataView(bus.ram.buffer, bus.ram.byteOffset);
  // Ports and MMIO answer with values derived from the time and the instruction count, and log every access.
  let seq = 0;
  const stamp = () => `${clock.now}/${cpu.instructions}`;
  bus.mapPorts('test', PORT, 4, {
    read8: (o) => { const v = (seq++ * 73 + o + clock.now) & 0xff; trace.push(`in ${o}=${v} @${stamp()}`); return v; },
    write8: (o, v) => { trace.push(`out ${o}=${v} @${stamp()}`); },
  });
  // A device reached from inside a compiled block must see the time of the accessing instruction.
  bus.mapMmio('probe', MMIO, 0x1000, {
    read8: (o) => { const v = (o + clock.now * 7 + cpu.instructions) & 0xff; trace.push(`rd ${o}=${v} @${stamp()}`); return v; },
    write8: (o, v) => { trace.push(`wr ${o}=${v} @${stamp()}`); },
  });
  // A periodic timer: each expiry raises the interrupt (if not already pending) and re-arms.
  const timer = clock.createTimer('tick', (now) => {
    if (pic.pending.length === 0) pic.pending.push(IRQ_VECTOR);
    timer.set(now + c.timerPeriod);
  });
  timer.set(c.timerFirst);

  writeFlatGdt(bus, GDT);
  // DS/ES: limit 4 MiB, SS: limit 0x8FFFF, or all three flat (limit 4 GiB).
  const dataLimit = c.flat ? 0x0000ffff : 0x000003ff, stackLimit = c.flat ? 0x0000ffff : 0x0000008f, high = c.flat ? 0x000f0000 : 0;
  gdtEntry(bus, SEL_DATA, dataLimit, 0x00c09200 | high);
  gdtEntry(bus, SEL_STACK, stackLimit, 0x00c09200 | high);
  gdtEntry(bus, SEL_DATA3 & ~3, dataLimit, 0x00c0f200 | high); // the same at DPL 3
  gdtEntry(bus, SEL_STACK3 & ~3, stackLimit, 0x00c0f200 | high);
  dv.setUint32(TSS + 4, STACK0_TOP, true); // ESP0
  dv.setUint32(TSS + 8, SEL_STACK, true); // SS0
  const gate = (v: number, handler: number, dpl = 0) => {
    dv.setUint32(IDT + v * 8, (0x08 << 16) | (handler & 0xffff), true);
    dv.setUint32(IDT + v * 8 + 4, (handler & 0xffff0000) | 0x8e00 | (dpl << 13), true);
  };
  for (let v = 0; v < 32; v++) gate(v, HANDLERS + v * 32);
  gate(IRQ_VECTOR, IRQ_HANDLER);
  gate(SOFT_VECTOR, SOFT_HANDLER, 3);
  bus.loadBytes(HANDLERS, HANDLER_CODE);
  bus.loadBytes(SETUP, setupCode(paged, c.ring3));
  // Page tables: identity 0-1 MiB (user, writable), but NOT_PRESENT absent, READ_ONLY read-only,
  // SUPERVISOR supervisor-only; the MMIO page mapped.
  dv.setUint32(PD, PT | 7, true);
  for (let pg = 0; pg < RAM_KIB / 4; pg++) dv.setUint32(PT + pg * 4, (pg << 12) | 7, true);
  dv.setUint32(PT + (NOT_PRESENT >>> 12) * 4, 0, true);
  dv.setUint32(PT + (READ_ONLY >>> 12) * 4, READ_ONLY | 5, true);
  dv.setUint32(PT + (SUPERVISOR >>> 12) * 4, SUPERVISOR | 3, true);
  dv.setUint32(PT + (MMIO >>> 12) * 4, MMIO | 7, true);
  // Initial registers, flags (IF on, IOPL 0 or 3) and the entry point.
  c.regs.forEach((r, i) => dv.setUint32(INIT + i * 4, r >>> 0, true));
  dv.setUint32(INIT + 32, (c.flags & 0xcd5) | 0x202 | (c.iopl3 ? 0x3000 : 0), true);
  dv.setUint32(INIT + 36, p.entry, true);
  bus.loadBytes(CODE, p.code);
  for (const [eip, next] of p.next) dv.setUint32(NEXT + (eip - CODE) * 4, next, true);
  cpu.enterFlatProtectedMode({ eip: SETUP, esp: STACK_TOP, codeSelector: 0x08, dataSelector: 0x10, gdtBase: GDT, gdtLimit: 0x5f });
  return { m, trace };
}


/** One slice: run, then (as a board's run loop would) fire due timers and skip idle time in HLT. */
function runSlice(r: Rig, budget: number): string {
  const { cpu, clock } = r.m;
  const stop = cpu.run(budget);
  if (stop === 'halt' && clock.nextEventAt !== Infinity) clock.now = Math.max(clock.now, clock.nextEventAt);
  if (clock.now >= clock.nextEventAt) clock.runDue();
  return stop;
}

/** Everything observable but RAM, compared field by field. */
function observe(r: Rig, stop: string) {
  const c = r.m.cpu;
  return {
    stop,
    eip: c.eip >>> 0,
    r32: Array.from(c.r32, (v) => v >>> 0),
    eflags: c.getEflags(),
    sel: Array.from(c.segSel),
    cr0: c.cr0 >>> 0, cr2: c.cr2 >>> 0, cr3: c.cr3 >>> 0,
    cpl: c.cpl,
    halted: c.halted,
    instructions: c.instructions,
    now: r.m.clock.now,
    lastException: c.lastException,
    lastExceptionError: c.lastExceptionError,
    internalErrors: c.internalErrors,
    pending: r.m.pic.pending.length,
    acks: r.m.pic.acks.length,
    traceLength: r.trace.length,
  };
}

/** The first difference between the reference rig `a` and rig `b` (run as `name`), or '' if none. */
function difference(a: Rig, b: Rig, stopA: string, stopB: string, name: Config): string {
  const oa = observe(a, stopA), ob = observe(b, stopB);
  for (const k of Object.keys(oa) as (keyof typeof oa)[]) {
    if (JSON.stringify(oa[k]) !== JSON.stringify(ob[k])) return `${k}: plain ${JSON.stringify(oa[k])}, ${name} ${JSON.stringify(ob[k])}`;
  }
  for (let i = 0; i < a.trace.length; i++) if (a.trace[i] !== b.trace[i]) return `I/O trace entry ${i}: plain ${a.trace[i]}, ${name} ${b.trace[i]}`;
  const ra = a.m.bus.ram, rb = b.m.bus.ram;
  if (!Buffer.from(ra.buffer, ra.byteOffset, ra.length).equals(Buffer.from(rb.buffer, rb.byteOffset, rb.length))) {
    let i = 0;
    while (ra[i] === rb[i]) i++;
    return `RAM at 0x${i.toString(16)}: plain ${ra[i]}, ${name} ${rb[i]}`;
  }
  return '';
}

/** A listing of the program for a failure report. */
function listing(p: Program): string {
  const body = p.code.subarray(p.entry - CODE);
  let text: string[];
  try { text = disassemble(body, p.entry, 32); } catch { text = []; }
  return `code at 0x${p.entry.toString(16)}: ${Buffer.from(body).toString('hex')}\n${text.map((l) => `  ${l}`).join('\n')}`;
}

/** Campaign totals, so the property cannot pass without the jit and the cache compiling, decoding or invalidating anything. */
const totals = {
  compiled: 0, invalidated: 0, decoded: 0, wasmRetired: 0, decodedInvalidated: 0, faults: 0, interrupts: 0, slices: 0, ring3Slices: 0, instructions: 0,
};

/** Run one case in the three ways in one paging mode; throws with the first difference from the reference. */
function compareEngines(c: Case, p: Program, paged: boolean): void {
  const a = build(c, p, 'plain', paged);
  const others = [['interp', build(c, p, 'interp', paged)], ['jit', build(c, p, 'jit', paged)], ['wasm', build(c, p, 'wasm', paged)]] as const;
  for (let i = 0; i < c.slices.length; i++) {
    const sa = runSlice(a, c.slices[i]);
    for (const [name, b] of others) {
      const diff = difference(a, b, sa, runSlice(b, c.slices[i]), name);
      if (diff) {
        throw new Error(`${name}: ${paged ? 'paged' : 'unpaged'}, ${c.flat ? 'flat segments' : 'limited segments'}, ring ${c.ring3 ? `3 (IOPL ${c.iopl3 ? 3 : 0})` : 0}, jit threshold ${c.jitThreshold}, after slice ${i} (budget ${c.slices[i]}; slices ${c.slices.slice(0, i + 1).join(',')}): ${diff}\n${listing(p)}`);
      }
    }
    totals.slices++;
    if (a.m.cpu.cpl === 3) totals.ring3Slices++;
  }
  // The complete CPU state (descriptor caches, TLB, ...) at the end.
  for (const [, b] of others) expect(b.m.cpu.saveState()).toEqual(a.m.cpu.saveState());
  const interp = others[0][1].m.cpu, jit = others[1][1].m.cpu, wasm = others[2][1].m.cpu;
  totals.wasmRetired += wasm.wasm!.retired;
  totals.compiled += jit.blocks!.compiled;
  totals.invalidated += jit.blocks!.invalidated;
  totals.decoded += interp.decoded!.decoded;
  totals.decodedInvalidated += interp.decoded!.invalidated;
  totals.instructions += a.m.cpu.instructions;
  const dv = new DataView(a.m.bus.ram.buffer, a.m.bus.ram.byteOffset);
  for (let v = 0; v < 32; v++) totals.faults += dv.getUint32(COUNTS + v * 4, true);
  totals.interrupts += dv.getUint32(COUNTS + 0x80, true);
}

describe('the decoded-instruction cache, the jit engine and the wasm engine against the plain decoder', () => {
  test('random programs give the same registers, flags, memory, I/O, faults, instruction counts and time after every run() slice, paged and unpaged, in ring 0 and ring 3', () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        const p = assemble(c);
        compareEngines(c, p, false);
        compareEngines(c, p, true);
      }),
      propertyParams('decoded cache = jit engine = wasm engine = plain decoder on random programs', 100),
    );
    console.log(`engines property: ${totals.slices} slices (${totals.ring3Slices} ending in ring 3; ${totals.instructions} instructions) compared; jit compiled ${totals.compiled} blocks, invalidated ${totals.invalidated} code pages; the cache decoded ${totals.decoded} instructions, invalidated ${totals.decodedInvalidated} code pages; the WebAssembly loop retired ${totals.wasmRetired} instructions; ${totals.faults} faults, ${totals.interrupts} timer interrupts handled`);
    expect(totals.compiled).toBeGreaterThan(0);
    expect(totals.invalidated).toBeGreaterThan(0);
    expect(totals.decoded).toBeGreaterThan(0);
    expect(totals.wasmRetired).toBeGreaterThan(0);
    expect(totals.decodedInvalidated).toBeGreaterThan(0);
    expect(totals.faults).toBeGreaterThan(0);
    expect(totals.interrupts).toBeGreaterThan(0);
    expect(totals.ring3Slices).toBeGreaterThan(0);
  });
});
