/** Instruction decode and dispatch: prefixes, ModRM/SIB effective addresses, and the opcode switch. */

import type { Cpu } from './cpu.js';
import { ES, CS, SS, DS, FS, GS, R8_INDEX, CF, DF, IF, VM, IOPL, CR0_PE, CR0_EM, CR0_TS, CR0_MP, ZF } from './state.js';
import { UD, NM, GP, OFV, BR, DB, EV_SOFTWARE, EV_EXCEPTION, NO_ERROR, type FAULT } from './exceptions.js';
import { alu, inc, dec, neg, mul, imul1, imul2, div, idiv } from './execute/alu.js';
import { shift, shiftDouble } from './execute/shift-rotate.js';
import { daa, das, aaa, aas, aam, aad } from './execute/bcd.js';
import { bitOp, bitScan } from './execute/bit.js';
import { stringOp, S_MOVS, S_CMPS, S_STOS, S_LODS, S_SCAS, S_INS, S_OUTS } from './execute/string.js';
import { farTransfer, farReturn, iret, writeFlagsChecked } from './execute/control-transfer.js';
import {
  requireCpl0, requireProtected, loadLdt, loadTr, writeCr, readCr, writeDr, readDr, lmsw, clts, cpuid, lar, lsl, verify,
} from './execute/system.js';
import { portIn, portOut } from './execute/io.js';
import { loadSegment } from './segmentation.js';
import { testCondition, getCF, materialize } from './lazy-flags.js';
import { invalidatePage } from './paging.js';
import { deliverInterrupt } from './interrupts.js';
import { LOCKABLE } from './opcode-table.js';

/** Bytes that are prefixes. */
const PREFIX = new Uint8Array(256);
for (const p of [0x26, 0x2e, 0x36, 0x3e, 0x64, 0x65, 0x66, 0x67, 0xf0, 0xf2, 0xf3]) PREFIX[p] = 1;

// ---------------- ModRM ----------------

/** Read a ModRM byte and, for memory forms, compute the effective address. */
export function modrm(c: Cpu): void {
  const b = c.fetch8();
  c.mod = b >> 6;
  c.reg = (b >> 3) & 7;
  c.rm = b & 7;
  if (c.mod !== 3) {
    if (c.adSize32) ea32(c); else ea16(c);
  }
}

function ea16(c: Cpu): void {
  const r = c.r16;
  let off: number, seg = DS;
  switch (c.rm) {
    case 0: off = r[6] + r[12]; break;
    case 1: off = r[6] + r[14]; break;
    case 2: off = r[10] + r[12]; seg = SS; break;
    case 3: off = r[10] + r[14]; seg = SS; break;
    case 4: off = r[12]; break;
    case 5: off = r[14]; break;
    case 6:
      if (c.mod === 0) off = c.fetch16();
      else { off = r[10]; seg = SS; }
      break;
    default: off = r[6]; break;
  }
  if (c.mod === 1) off += (c.fetch8() << 24) >> 24;
  else if (c.mod === 2) off += c.fetch16();
  c.eaOff = off & 0xffff;
  c.eaSeg = c.segOvr >= 0 ? c.segOvr : seg;
}

function ea32(c: Cpu): void {
  const r = c.r32;
  let off: number, seg = DS;
  const rm = c.rm;
  if (rm === 4) {
    const sib = c.fetch8();
    const base = sib & 7, idx = (sib >> 3) & 7;
    if (base === 5 && c.mod === 0) off = c.fetch32();
    else {
      off = r[base];
      if (base === 4 || base === 5) seg = SS;
    }
    if (idx !== 4) off = (off + (r[idx] << (sib >> 6))) | 0; // int32 sums: no overflow checks or deopts
  } else if (rm === 5 && c.mod === 0) {
    off = c.fetch32();
  } else {
    off = r[rm];
    if (rm === 5) seg = SS;
  }
  if (c.mod === 1) off = (off + ((c.fetch8() << 24) >> 24)) | 0;
  else if (c.mod === 2) off = (off + c.fetch32()) | 0;
  c.eaOff = off; // int32 form; linear() converts
  c.eaSeg = c.segOvr >= 0 ? c.segOvr : seg;
}

// ---------------- operands ----------------

function getE8(c: Cpu): number {
  return c.mod === 3 ? c.r8[R8_INDEX[c.rm]] : c.rd8(c.eaSeg, c.eaOff);
}
function setE8(c: Cpu, v: number): void {
  if (c.mod === 3) c.r8[R8_INDEX[c.rm]] = v; else c.wr8(c.eaSeg, c.eaOff, v);
}
function getE16(c: Cpu): number {
  return c.mod === 3 ? c.r16[c.rm << 1] : c.rd16(c.eaSeg, c.eaOff);
}
function setE16(c: Cpu, v: number): void {
  if (c.mod === 3) c.r16[c.rm << 1] = v; else c.wr16(c.eaSeg, c.eaOff, v);
}
function getE32(c: Cpu): number {
  return c.mod === 3 ? c.r32[c.rm] : c.rd32(c.eaSeg, c.eaOff);
}
function setE32(c: Cpu, v: number): void {
  if (c.mod === 3) c.r32[c.rm] = v; else c.wr32(c.eaSeg, c.eaOff, v);
}
function getEv(c: Cpu): number {
  return c.opSize32 ? getE32(c) : getE16(c);
}
function setEv(c: Cpu, v: number): void {
  if (c.opSize32) setE32(c, v); else setE16(c, v);
}
function getGv(c: Cpu): number {
  return c.opSize32 ? c.r32[c.reg] : c.r16[c.reg << 1];
}
function setGv(c: Cpu, v: number): void {
  if (c.opSize32) c.r32[c.reg] = v; else c.r16[c.reg << 1] = v;
}
function fetchIv(c: Cpu): number {
  return c.opSize32 ? c.fetch32() : c.fetch16();
}
function fetchIb8s(c: Cpu): number {
  return (c.fetch8() << 24) >> 24;
}

/** Memory operand required (LEA, LDS, LGDT, BOUND, ...): register form is #UD. */
function needMem(c: Cpu): void {
  if (c.mod === 3) throw c.fault(UD, NO_ERROR);
}

/** Near jump target masked to the operand size; checks the CS limit in protected mode. */
function jumpNear(c: Cpu, target: number): void {
  target = c.opSize32 ? target >>> 0 : target & 0xffff;
  if (target > c.segLimit[CS] && (c.cr0 & CR0_PE) !== 0) throw c.fault(GP, 0);
  c.eip = target;
}

/** EIP after this instruction, as pushed by CALL (masked to 16 bits in 16-bit code). */
function nextIp(c: Cpu): number {
  return c.opSize32 ? c.eip : c.eip & 0xffff;
}

function ioplCheck(c: Cpu): void {
  if ((c.cr0 & CR0_PE) !== 0 && c.cpl > ((c.flags & IOPL) >>> 12)) throw c.fault(GP, 0);
}

/** Record #UD; returns what to throw (see Cpu.fault). */
function ud(c: Cpu): typeof FAULT {
  return c.fault(UD, NO_ERROR);
}

/** LOCK is legal only on the lockable opcodes with a memory destination. */
function checkLock(c: Cpu, op: number): void {
  const save = c.eip;
  const m = c.fetch8();
  c.eip = save;
  const regMask = LOCKABLE[op];
  if (regMask === 0 || (m >> 6) === 3 || ((regMask >> ((m >> 3) & 7)) & 1) === 0) throw ud(c);
}

/** x87 escape (D8-DF) on a part without FPU: #NM if EM or TS, else a no-op that decodes its operand (486SX). */
function fpuEscape(c: Cpu): number {
  if ((c.cr0 & (CR0_EM | CR0_TS)) !== 0) throw c.fault(NM, NO_ERROR);
  modrm(c);
  return c.cyc.alu;
}

// ---------------- the step ----------------

/** Decode and execute one instruction at CS:EIP; returns its cycle cost. */
export function step(c: Cpu): number {
  const def32 = c.cs32;
  if (c.ctxDirty) {
    // Only after a prefixed instruction or a CS change: most instructions skip these stores.
    c.opSize32 = def32;
    c.adSize32 = def32;
    c.segOvr = -1;
    c.rep = 0;
    c.lock = false;
    c.ctxDirty = false;
  }
  let b = c.fetch8();
  if (PREFIX[b]) {
    c.ctxDirty = true;
    let n = 0;
    do {
      if (++n > 14) throw c.fault(GP, 0); // an instruction may not exceed 15 bytes
      switch (b) {
        case 0x26: c.segOvr = ES; break;
        case 0x2e: c.segOvr = CS; break;
        case 0x36: c.segOvr = SS; break;
        case 0x3e: c.segOvr = DS; break;
        case 0x64: c.segOvr = FS; break;
        case 0x65: c.segOvr = GS; break;
        case 0x66: c.opSize32 = !def32; break;
        case 0x67: c.adSize32 = !def32; break;
        case 0xf0: c.lock = true; break;
        default: c.rep = b; break;
      }
      b = c.fetch8();
    } while (PREFIX[b]);
    if (c.lock) {
      if (b === 0x0f) b = 0x100 | c.fetch8();
      checkLock(c, b);
    }
  }
  // One fetch site for the second opcode byte, prefixed or not: a call site in optimised code
  // that has never run deoptimises the run loop it is inlined into, and prefixed two-byte opcodes
  // (66 0F B7, say) first appear only after the loop has been optimised.
  if (b === 0x0f) b = 0x100 | c.fetch8();
  return OPS[b](c, b & 0xff);
}

// ---- ALU ops 00-3F ----
function op00(c: Cpu, b: number): number {
  const y = c.cyc;
  modrm(c);
  const op = b >> 3;
  const v = alu(c, op, 8, getE8(c), c.r8[R8_INDEX[c.reg]]);
  if (op !== 7) setE8(c, v);
  return c.mod === 3 ? y.alu : y.aluMem;
}

function op01(c: Cpu, b: number): number {
  const y = c.cyc;
  const r = c.r32;
  modrm(c);
  const op = b >> 3;
  if (c.opSize32) {
    const v = alu(c, op, 32, getE32(c), r[c.reg]);
    if (op !== 7) setE32(c, v);
  } else {
    const v = alu(c, op, 16, getE16(c), c.r16[c.reg << 1]);
    if (op !== 7) setE16(c, v);
  }
  return c.mod === 3 ? y.alu : y.aluMem;
}

function op02(c: Cpu, b: number): number {
  const y = c.cyc;
  modrm(c);
  const op = b >> 3;
  const ri = R8_INDEX[c.reg];
  const v = alu(c, op, 8, c.r8[ri], getE8(c));
  if (op !== 7) c.r8[ri] = v;
  return c.mod === 3 ? y.alu : y.aluMem;
}

function op03(c: Cpu, b: number): number {
  const y = c.cyc;
  const r = c.r32;
  modrm(c);
  const op = b >> 3;
  if (c.opSize32) {
    const v = alu(c, op, 32, r[c.reg], getE32(c));
    if (op !== 7) r[c.reg] = v;
  } else {
    const v = alu(c, op, 16, c.r16[c.reg << 1], getE16(c));
    if (op !== 7) c.r16[c.reg << 1] = v;
  }
  return c.mod === 3 ? y.alu : y.aluMem;
}

function op04(c: Cpu, b: number): number {
  const y = c.cyc;
  const op = b >> 3;
  const v = alu(c, op, 8, c.r8[0], c.fetch8());
  if (op !== 7) c.r8[0] = v;
  return y.alu;
}

function op05(c: Cpu, b: number): number {
  const y = c.cyc;
  const r = c.r32;
  const op = b >> 3;
  if (c.opSize32) {
    const v = alu(c, op, 32, r[0], c.fetch32());
    if (op !== 7) r[0] = v;
  } else {
    const v = alu(c, op, 16, c.r16[0], c.fetch16());
    if (op !== 7) c.r16[0] = v;
  }
  return y.alu;
}

// ---- INC/DEC/PUSH/POP reg ----
function op40(c: Cpu, b: number): number {
  const y = c.cyc;
  const r = c.r32;
  const i = b & 7;
  if (c.opSize32) r[i] = inc(c, 32, r[i]); else c.r16[i << 1] = inc(c, 16, c.r16[i << 1]);
  return y.alu;
}

function op48(c: Cpu, b: number): number {
  const y = c.cyc;
  const r = c.r32;
  const i = b & 7;
  if (c.opSize32) r[i] = dec(c, 32, r[i]); else c.r16[i << 1] = dec(c, 16, c.r16[i << 1]);
  return y.alu;
}

function op50(c: Cpu, b: number): number {
  const y = c.cyc;
  const r = c.r32;
  if (c.opSize32) c.push32(r[b & 7]); else c.push16(c.r16[(b & 7) << 1]);
  return y.stack;
}

function op58(c: Cpu, b: number): number {
  const y = c.cyc;
  const r = c.r32;
  if (c.opSize32) { const v = c.pop32(); r[b & 7] = v; } else { const v = c.pop16(); c.r16[(b & 7) << 1] = v; }
  return y.stack;
}

function op68(c: Cpu): number {
  const y = c.cyc;
  c.push(fetchIv(c)); return y.stack;
}

function op6a(c: Cpu): number {
  const y = c.cyc;
  c.push(fetchIb8s(c)); return y.stack;
}

function op69(c: Cpu, b: number): number {
  const y = c.cyc;
  modrm(c);
  const a = getEv(c);
  const imm = b === 0x69 ? fetchIv(c) : fetchIb8s(c);
  setGv(c, imm2(c, a, imm));
  return y.mul;
}

// ---- Jcc short ----
function op70(c: Cpu, b: number): number {
  const y = c.cyc;
  const d = fetchIb8s(c);
  if (testCondition(c, b & 15)) { jumpNear(c, c.eip + d); return y.branch; }
  return y.alu;
}

// ---- group 1 ----
function op80(c: Cpu): number {
  const y = c.cyc;
  modrm(c);
  const op = c.reg;
  const v = alu(c, op, 8, getE8(c), c.fetch8());
  if (op !== 7) setE8(c, v);
  return c.mod === 3 ? y.alu : y.aluMem;
}

function op81(c: Cpu, b: number): number {
  const y = c.cyc;
  modrm(c);
  const op = c.reg;
  if (c.opSize32) {
    const d = getE32(c);
    const v = alu(c, op, 32, d, b === 0x81 ? c.fetch32() : fetchIb8s(c));
    if (op !== 7) setE32(c, v);
  } else {
    const d = getE16(c);
    const v = alu(c, op, 16, d, b === 0x81 ? c.fetch16() : fetchIb8s(c));
    if (op !== 7) setE16(c, v);
  }
  return c.mod === 3 ? y.alu : y.aluMem;
}

function op84(c: Cpu): number {
  const y = c.cyc;
  modrm(c); alu(c, 4, 8, getE8(c), c.r8[R8_INDEX[c.reg]]); return y.alu;
}

function op85(c: Cpu): number {
  const y = c.cyc;
  modrm(c); alu(c, 4, c.opSize32 ? 32 : 16, getEv(c), getGv(c)); return y.alu;
}

function op86(c: Cpu): number {
  const y = c.cyc;
  modrm(c);
  const ri = R8_INDEX[c.reg];
  const m = getE8(c);
  setE8(c, c.r8[ri]);
  c.r8[ri] = m;
  return y.alu * 3;
}

function op87(c: Cpu): number {
  const y = c.cyc;
  modrm(c);
  const m = getEv(c);
  setEv(c, getGv(c));
  setGv(c, m);
  return y.alu * 3;
}

function op88(c: Cpu): number {
  const y = c.cyc;
  modrm(c); setE8(c, c.r8[R8_INDEX[c.reg]]); return y.mov;
}

function op89(c: Cpu): number {
  const y = c.cyc;
  const r = c.r32;
  modrm(c); if (c.opSize32) setE32(c, r[c.reg]); else setE16(c, c.r16[c.reg << 1]); return y.mov;
}

function op8a(c: Cpu): number {
  const y = c.cyc;
  modrm(c); c.r8[R8_INDEX[c.reg]] = getE8(c); return y.mov;
}

function op8b(c: Cpu): number {
  const y = c.cyc;
  const r = c.r32;
  modrm(c); if (c.opSize32) r[c.reg] = getE32(c); else c.r16[c.reg << 1] = getE16(c); return y.mov;
}

function op8d(c: Cpu): number {
  const y = c.cyc;
  modrm(c); needMem(c); setGv(c, c.eaOff); return y.alu;
}

function op90(c: Cpu): number {
  const y = c.cyc;
  if (c.rep === 0xf3) return y.alu; // PAUSE encodes as REP NOP
  return y.alu;
}

function op98(c: Cpu): number {
  const y = c.cyc;
  const r = c.r32;
  if (c.opSize32) r[0] = (r[0] << 16) >> 16; else c.r16[0] = (c.r8[0] << 24) >> 24; return y.alu * 3;
}

function op99(c: Cpu): number {
  const y = c.cyc;
  const r = c.r32;
  if (c.opSize32) r[2] = r[0] >> 31; else c.r16[4] = (c.r16[0] & 0x8000) ? 0xffff : 0; return y.alu * 3;
}

function op9c(c: Cpu): number {
  const y = c.cyc;
  // PUSHF
  if ((c.flags & VM) !== 0 && (c.flags & IOPL) !== IOPL) throw c.fault(GP, 0);
  const f = c.getEflags() & ~(0x30000); // VM and RF are pushed as 0
  c.push(f);
  return y.stack;
}

function op9d(c: Cpu): number {
  const y = c.cyc;
  // POPF
  if ((c.flags & VM) !== 0 && (c.flags & IOPL) !== IOPL) throw c.fault(GP, 0);
  const v = c.pop();
  writeFlagsChecked(c, v, c.opSize32, 0);
  return y.stack;
}

function opa0(c: Cpu, b: number): number {
  const y = c.cyc;
  const r = c.r32;
  const off = c.adSize32 ? c.fetch32() >>> 0 : c.fetch16();
  const seg = c.segOvr >= 0 ? c.segOvr : DS;
  switch (b) {
    case 0xa0: c.r8[0] = c.rd8(seg, off); break;
    case 0xa1: if (c.opSize32) r[0] = c.rd32(seg, off); else c.r16[0] = c.rd16(seg, off); break;
    case 0xa2: c.wr8(seg, off, c.r8[0]); break;
    default: if (c.opSize32) c.wr32(seg, off, r[0]); else c.wr16(seg, off, c.r16[0]); break;
  }
  return y.mov;
}

function opa4(c: Cpu): number {
  const y = c.cyc;
  return y.string * stringOp(c, S_MOVS, 1);
}

function opa5(c: Cpu): number {
  const y = c.cyc;
  return y.string * stringOp(c, S_MOVS, c.opSize32 ? 4 : 2);
}

function opa8(c: Cpu): number {
  const y = c.cyc;
  alu(c, 4, 8, c.r8[0], c.fetch8()); return y.alu;
}

function opa9(c: Cpu): number {
  const y = c.cyc;
  const r = c.r32;
  if (c.opSize32) alu(c, 4, 32, r[0], c.fetch32()); else alu(c, 4, 16, c.r16[0], c.fetch16()); return y.alu;
}

function opaa(c: Cpu): number {
  const y = c.cyc;
  return y.string * stringOp(c, S_STOS, 1);
}

function opab(c: Cpu): number {
  const y = c.cyc;
  return y.string * stringOp(c, S_STOS, c.opSize32 ? 4 : 2);
}

function opb0(c: Cpu, b: number): number {
  const y = c.cyc;
  c.r8[R8_INDEX[b & 7]] = c.fetch8();
  return y.mov;
}

function opb8(c: Cpu, b: number): number {
  const y = c.cyc;
  const r = c.r32;
  if (c.opSize32) r[b & 7] = c.fetch32(); else c.r16[(b & 7) << 1] = c.fetch16();
  return y.mov;
}

// ---- shifts ----
function opc0(c: Cpu): number {
  const y = c.cyc;
  { modrm(c); const n = c.fetch8(); setE8(c, shift(c, c.reg, 8, getE8(c), n)); return y.shift; }
}

function opc1(c: Cpu): number {
  const y = c.cyc;
  { modrm(c); const d = getEv(c); const n = c.fetch8(); setEv(c, shift(c, c.reg, c.opSize32 ? 32 : 16, d, n)); return y.shift; }
}

function opd0(c: Cpu): number {
  const y = c.cyc;
  modrm(c); setE8(c, shift(c, c.reg, 8, getE8(c), 1)); return y.shift;
}

function opd1(c: Cpu): number {
  const y = c.cyc;
  modrm(c); setEv(c, shift(c, c.reg, c.opSize32 ? 32 : 16, getEv(c), 1)); return y.shift;
}

function opd2(c: Cpu): number {
  const y = c.cyc;
  modrm(c); setE8(c, shift(c, c.reg, 8, getE8(c), c.r8[4])); return y.shift;
}

function opd3(c: Cpu): number {
  const y = c.cyc;
  modrm(c); setEv(c, shift(c, c.reg, c.opSize32 ? 32 : 16, getEv(c), c.r8[4])); return y.shift;
}

// ---- near/far returns, LES/LDS, MOV imm ----
function opc2(c: Cpu, b: number): number {
  const y = c.cyc;
  const imm = b === 0xc2 ? c.fetch16() : 0;
  const size = c.opSize32 ? 4 : 2;
  const t = c.peekStack(0, size);
  jumpNear(c, t);
  c.setSp(c.ss32 ? (c.sp + size + imm) >>> 0 : (c.sp + size + imm) & 0xffff);
  return y.call;
}

function opc6(c: Cpu): number {
  const y = c.cyc;
  modrm(c); if (c.reg !== 0) throw ud(c); setE8(c, c.fetch8()); return y.mov;
}

function opc7(c: Cpu): number {
  const y = c.cyc;
  modrm(c);
  if (c.reg !== 0) throw ud(c);
  setEv(c, fetchIv(c));
  return y.mov;
}

function opc9(c: Cpu): number {
  const y = c.cyc;
  const r = c.r32;
  // LEAVE
  const bp = c.ss32 ? r[5] >>> 0 : c.r16[10];
  const size = c.opSize32 ? 4 : 2;
  const v = size === 4 ? c.rd32(SS, bp) : c.rd16(SS, bp);
  if (c.ss32) r[4] = bp + size; else c.r16[8] = bp + size;
  if (size === 4) r[5] = v; else c.r16[10] = v;
  return y.stack * 5;
}

// ---- loops, jumps, I/O ----
function ope8(c: Cpu): number {
  const y = c.cyc;
  const d = fetchIv(c);
  const ret = nextIp(c);
  const target = c.opSize32 ? (c.eip + d) >>> 0 : (c.eip + d) & 0xffff;
  if (target > c.segLimit[CS] && (c.cr0 & CR0_PE) !== 0) throw c.fault(GP, 0);
  c.push(ret);
  c.eip = target;
  return y.call;
}

function ope9(c: Cpu): number {
  const y = c.cyc;
  { const d = fetchIv(c); jumpNear(c, c.eip + d); return y.branch; }
}

function opea(c: Cpu): number {
  const y = c.cyc;
  const off = fetchIv(c);
  const sel = c.fetch16();
  farTransfer(c, sel, off, false);
  return y.far;
}

function opeb(c: Cpu): number {
  const y = c.cyc;
  { const d = fetchIb8s(c); jumpNear(c, c.eip + d); return y.branch; }
}

function opf6(c: Cpu, b: number): number {
  return group3(c, b === 0xf6 ? 8 : c.opSize32 ? 32 : 16);
}

function opfc(c: Cpu): number {
  const y = c.cyc;
  c.flags &= ~DF; return y.alu;
}

function opfd(c: Cpu): number {
  const y = c.cyc;
  c.flags |= DF; return y.alu;
}

function opfe(c: Cpu): number {
  const y = c.cyc;
  modrm(c);
  if (c.reg === 0) setE8(c, inc(c, 8, getE8(c)));
  else if (c.reg === 1) setE8(c, dec(c, 8, getE8(c)));
  else throw ud(c);
  return c.mod === 3 ? y.alu : y.aluMem;
}

function opff(c: Cpu): number {
  return group5(c);
}


function op06(c: Cpu): number {
  const y = c.cyc;
  c.push(c.segSel[ES]); return y.stack;
}

function op0e(c: Cpu): number {
  const y = c.cyc;
  c.push(c.segSel[CS]); return y.stack;
}

function op16(c: Cpu): number {
  const y = c.cyc;
  c.push(c.segSel[SS]); return y.stack;
}

function op1e(c: Cpu): number {
  const y = c.cyc;
  c.push(c.segSel[DS]); return y.stack;
}

function op0fa0(c: Cpu): number {
  const y = c.cyc;
  c.push(c.segSel[FS]); return y.stack;
}

function op0fa8(c: Cpu): number {
  const y = c.cyc;
  c.push(c.segSel[GS]); return y.stack;
}

function op07(c: Cpu): number {
  return popSeg(c, ES);
}

function op17(c: Cpu): number {
  return popSeg(c, SS);
}

function op1f(c: Cpu): number {
  return popSeg(c, DS);
}

function op0fa1(c: Cpu): number {
  return popSeg(c, FS);
}

function op0fa9(c: Cpu): number {
  return popSeg(c, GS);
}

function op27(c: Cpu): number {
  const y = c.cyc;
  daa(c); return y.bcd;
}

function op2f(c: Cpu): number {
  const y = c.cyc;
  das(c); return y.bcd;
}

function op37(c: Cpu): number {
  const y = c.cyc;
  aaa(c); return y.bcd;
}

function op3f(c: Cpu): number {
  const y = c.cyc;
  aas(c); return y.bcd;
}

function op60(c: Cpu): number {
  const y = c.cyc;
  const r = c.r32;
  // PUSHA
  const size = c.opSize32 ? 4 : 2;
  let sp = c.sp;
  const start = sp;
  for (let i = 0; i < 8; i++) {
    sp = c.ss32 ? (sp - size) >>> 0 : (sp - size) & 0xffff;
    const v = i === 4 ? start : c.opSize32 ? r[i] : c.r16[i << 1]; // (E)SP as before the first push
    if (size === 4) c.wr32(SS, sp, v); else c.wr16(SS, sp, v);
  }
  c.setSp(sp);
  return y.stack * 8;
}

function op61(c: Cpu): number {
  const y = c.cyc;
  const r = c.r32;
  // POPA
  const size = c.opSize32 ? 4 : 2;
  const vals = [0, 0, 0, 0, 0, 0, 0, 0];
  for (let i = 0; i < 8; i++) vals[7 - i] = c.peekStack(i * size, size);
  c.setSp(c.ss32 ? (c.sp + 8 * size) >>> 0 : (c.sp + 8 * size) & 0xffff);
  for (let i = 0; i < 8; i++) {
    if (i === 4) continue;
    if (size === 4) r[i] = vals[i]; else c.r16[i << 1] = vals[i];
  }
  return y.stack * 8;
}

function op62(c: Cpu): number {
  const y = c.cyc;
  const r = c.r32;
  // BOUND
  modrm(c); needMem(c);
  if (c.opSize32) {
    const lo = c.rd32(c.eaSeg, c.eaOff), hi = c.rd32(c.eaSeg, c.eaOff + 4), v = r[c.reg];
    if (v < lo || v > hi) throw c.fault(BR, NO_ERROR);
  } else {
    const lo = (c.rd16(c.eaSeg, c.eaOff) << 16) >> 16, hi = (c.rd16(c.eaSeg, c.adSize32 ? c.eaOff + 2 : (c.eaOff + 2) & 0xffff) << 16) >> 16;
    const v = (c.r16[c.reg << 1] << 16) >> 16;
    if (v < lo || v > hi) throw c.fault(BR, NO_ERROR);
  }
  return y.alu * 7;
}

function op63(c: Cpu): number {
  const y = c.cyc;
  // ARPL
  requireProtected(c);
  modrm(c);
  const d = getE16(c), s = c.r16[c.reg << 1];
  materialize(c);
  if ((d & 3) < (s & 3)) { setE16(c, (d & ~3) | (s & 3)); c.flags |= ZF; } else c.flags &= ~ZF;
  return y.system;
}

function op6c(c: Cpu): number {
  const y = c.cyc;
  stringOp(c, S_INS, 1); return y.io;
}

function op6d(c: Cpu): number {
  const y = c.cyc;
  stringOp(c, S_INS, c.opSize32 ? 4 : 2); return y.io;
}

function op6e(c: Cpu): number {
  const y = c.cyc;
  stringOp(c, S_OUTS, 1); return y.io;
}

function op6f(c: Cpu): number {
  const y = c.cyc;
  stringOp(c, S_OUTS, c.opSize32 ? 4 : 2); return y.io;
}

function op8c(c: Cpu): number {
  const y = c.cyc;
  const r = c.r32;
  modrm(c);
  if (c.reg > 5) throw ud(c);
  const v = c.segSel[c.reg];
  if (c.mod === 3 && c.opSize32) r[c.rm] = v; else setE16(c, v);
  return y.mov;
}

function op8e(c: Cpu): number {
  const y = c.cyc;
  modrm(c);
  if (c.reg > 5 || c.reg === CS) throw ud(c);
  loadSegment(c, c.reg, getE16(c));
  if (c.reg === SS) { c.shadow = true; c.slow = true; }
  return y.far;
}

function op8f(c: Cpu): number {
  const y = c.cyc;
  // POP Ev: the address is computed with ESP after the pop
  const size = c.opSize32 ? 4 : 2;
  const v = c.peekStack(0, size);
  const oldSp = c.sp;
  c.setSp(c.ss32 ? (oldSp + size) >>> 0 : (oldSp + size) & 0xffff);
  try {
    modrm(c);
    setEv(c, v);
  } catch (e) {
    c.setSp(oldSp);
    throw e;
  }
  return y.stack;
}

function op91(c: Cpu, b: number): number {
  const y = c.cyc;
  const r = c.r32;
  const i = b & 7;
  if (c.opSize32) { const t = r[0]; r[0] = r[i]; r[i] = t; } else { const t = c.r16[0]; c.r16[0] = c.r16[i << 1]; c.r16[i << 1] = t; }
  return y.alu * 3;
}

function op9a(c: Cpu): number {
  const y = c.cyc;
  const off = fetchIv(c);
  const sel = c.fetch16();
  farTransfer(c, sel, off, true);
  return y.far;
}

function op9b(c: Cpu): number {
  const y = c.cyc;
  // WAIT/FWAIT: #NM when MP and TS
  if ((c.cr0 & (CR0_MP | CR0_TS)) === (CR0_MP | CR0_TS)) throw c.fault(NM, NO_ERROR);
  return y.alu;
}

function op9e(c: Cpu): number {
  const y = c.cyc;
  // SAHF
  materialize(c);
  c.flags = (c.flags & ~0xd5) | (c.r8[1] & 0xd5);
  return y.alu;
}

function op9f(c: Cpu): number {
  const y = c.cyc;
  c.r8[1] = (c.getEflags() & 0xd5) | 2; return y.alu;
}

function opa6(c: Cpu): number {
  const y = c.cyc;
  return y.string * stringOp(c, S_CMPS, 1);
}

function opa7(c: Cpu): number {
  const y = c.cyc;
  return y.string * stringOp(c, S_CMPS, c.opSize32 ? 4 : 2);
}

function opac(c: Cpu): number {
  const y = c.cyc;
  return y.string * stringOp(c, S_LODS, 1);
}

function opad(c: Cpu): number {
  const y = c.cyc;
  return y.string * stringOp(c, S_LODS, c.opSize32 ? 4 : 2);
}

function opae(c: Cpu): number {
  const y = c.cyc;
  return y.string * stringOp(c, S_SCAS, 1);
}

function opaf(c: Cpu): number {
  const y = c.cyc;
  return y.string * stringOp(c, S_SCAS, c.opSize32 ? 4 : 2);
}

function opc4(c: Cpu): number {
  return loadFarPointer(c, ES);
}

function opc5(c: Cpu): number {
  return loadFarPointer(c, DS);
}

function op0fb2(c: Cpu): number {
  return loadFarPointer(c, SS);
}

function op0fb4(c: Cpu): number {
  return loadFarPointer(c, FS);
}

function op0fb5(c: Cpu): number {
  return loadFarPointer(c, GS);
}

function opc8(c: Cpu): number {
  return enter(c);
}

function opca(c: Cpu): number {
  const y = c.cyc;
  { const imm = c.fetch16(); farReturn(c, imm); return y.far; }
}

function opcb(c: Cpu): number {
  const y = c.cyc;
  farReturn(c, 0); return y.far;
}

function opcc(c: Cpu): number {
  const y = c.cyc;
  softInt(c, 3); return y.interrupt;
}

function opcd(c: Cpu): number {
  const y = c.cyc;
  softInt(c, c.fetch8()); return y.interrupt;
}

function opce(c: Cpu): number {
  const y = c.cyc;
  if (testCondition(c, 0)) softInt(c, OFV); return y.interrupt;
}

function opcf(c: Cpu): number {
  const y = c.cyc;
  iret(c); return y.iret;
}

function opd4(c: Cpu): number {
  const y = c.cyc;
  aam(c, c.fetch8()); return y.bcd * 5;
}

function opd5(c: Cpu): number {
  const y = c.cyc;
  aad(c, c.fetch8()); return y.bcd * 5;
}

function opd6(c: Cpu): number {
  const y = c.cyc;
  c.r8[0] = getCF(c) ? 0xff : 0; return y.alu; // SALC (undocumented, present on the 486)
}

function opd7(c: Cpu): number {
  const y = c.cyc;
  const r = c.r32;
  // XLAT
  const seg = c.segOvr >= 0 ? c.segOvr : DS;
  const off = c.adSize32 ? (r[3] + c.r8[0]) >>> 0 : (c.r16[6] + c.r8[0]) & 0xffff;
  c.r8[0] = c.rd8(seg, off);
  return y.mov * 4;
}

function opd8(c: Cpu): number {
  return fpuEscape(c);
}

function ope0(c: Cpu, b: number): number {
  const y = c.cyc;
  const r = c.r32;
  const d = fetchIb8s(c);
  let cnt: number;
  if (c.adSize32) { cnt = (r[1] - 1) | 0; r[1] = cnt; } else { cnt = (c.r16[2] - 1) & 0xffff; c.r16[2] = cnt; }
  let take = cnt !== 0;
  if (b === 0xe0) take = take && !testCondition(c, 4);
  else if (b === 0xe1) take = take && testCondition(c, 4);
  if (take) jumpNear(c, c.eip + d);
  return y.branch;
}

function ope3(c: Cpu): number {
  const y = c.cyc;
  const r = c.r32;
  const d = fetchIb8s(c);
  if ((c.adSize32 ? r[1] : c.r16[2]) === 0) jumpNear(c, c.eip + d);
  return y.branch;
}

function ope4(c: Cpu): number {
  const y = c.cyc;
  c.r8[0] = portIn(c, c.fetch8(), 1); return y.io;
}

function ope5(c: Cpu): number {
  const y = c.cyc;
  const r = c.r32;
  { const p = c.fetch8(); if (c.opSize32) r[0] = portIn(c, p, 4); else c.r16[0] = portIn(c, p, 2); return y.io; }
}

function ope6(c: Cpu): number {
  const y = c.cyc;
  portOut(c, c.fetch8(), 1, c.r8[0]); return y.io;
}

function ope7(c: Cpu): number {
  const y = c.cyc;
  const r = c.r32;
  { const p = c.fetch8(); portOut(c, p, c.opSize32 ? 4 : 2, c.opSize32 ? r[0] : c.r16[0]); return y.io; }
}

function opec(c: Cpu): number {
  const y = c.cyc;
  c.r8[0] = portIn(c, c.r16[4], 1); return y.io;
}

function oped(c: Cpu): number {
  const y = c.cyc;
  const r = c.r32;
  if (c.opSize32) r[0] = portIn(c, c.r16[4], 4); else c.r16[0] = portIn(c, c.r16[4], 2); return y.io;
}

function opee(c: Cpu): number {
  const y = c.cyc;
  portOut(c, c.r16[4], 1, c.r8[0]); return y.io;
}

function opef(c: Cpu): number {
  const y = c.cyc;
  const r = c.r32;
  portOut(c, c.r16[4], c.opSize32 ? 4 : 2, c.opSize32 ? r[0] : c.r16[0]); return y.io;
}

function opf1(c: Cpu): number {
  const y = c.cyc;
  // ICEBP / INT1: a #DB trap delivered like an exception
  c.deliverEvent(DB, NO_ERROR, EV_EXCEPTION);
  return y.interrupt;
}

function opf4(c: Cpu): number {
  const y = c.cyc;
  // HLT
  requireCpl0(c);
  if (c.intercept !== null && c.intercept.hlt(c)) return y.system;
  c.halted = true;
  c.slow = true;
  return y.system;
}

function opf5(c: Cpu): number {
  const y = c.cyc;
  { materialize(c); c.flags ^= CF; return y.alu; }
}

function opf8(c: Cpu): number {
  const y = c.cyc;
  materialize(c); c.flags &= ~CF; return y.alu;
}

function opf9(c: Cpu): number {
  const y = c.cyc;
  materialize(c); c.flags |= CF; return y.alu;
}

function opfa(c: Cpu): number {
  const y = c.cyc;
  // CLI
  if ((c.flags & VM) !== 0 ? (c.flags & IOPL) !== IOPL : false) throw c.fault(GP, 0);
  ioplCheck(c);
  c.flags &= ~IF;
  return y.alu;
}

function opfb(c: Cpu): number {
  const y = c.cyc;
  // STI: interrupts are recognised after the next instruction
  if ((c.flags & VM) !== 0 && (c.flags & IOPL) !== IOPL) throw c.fault(GP, 0);
  ioplCheck(c);
  if ((c.flags & IF) === 0) { c.shadow = true; c.flags |= IF; }
  c.irqCheck = true;
  c.slow = true;
  return y.alu;
}


/** An instruction handler: executes one decoded opcode (the second byte for 0F xx) and returns its cycle cost. */
type Handler = (c: Cpu, b: number) => number;

function opUd(c: Cpu): number {
  throw ud(c);
}

/**
 * Opcode → handler (one-byte 0x00-0xFF, two-byte 0x100 | second byte). One small function per
 * opcode group instead of one big switch: V8 optimises and deoptimises each on its own, so
 * meeting a new opcode or a new operand type costs a recompile of a few hundred bytes of
 * bytecode, not of the whole decoder, and the dispatch site stays small.
 */
const OPS: Handler[] = [];
for (let i = 0; i < 512; i++) OPS.push(opUd);
for (const o of [0x00, 0x08, 0x10, 0x18, 0x20, 0x28, 0x30, 0x38]) OPS[o] = op00;
for (const o of [0x01, 0x09, 0x11, 0x19, 0x21, 0x29, 0x31, 0x39]) OPS[o] = op01;
for (const o of [0x02, 0x0a, 0x12, 0x1a, 0x22, 0x2a, 0x32, 0x3a]) OPS[o] = op02;
for (const o of [0x03, 0x0b, 0x13, 0x1b, 0x23, 0x2b, 0x33, 0x3b]) OPS[o] = op03;
for (const o of [0x04, 0x0c, 0x14, 0x1c, 0x24, 0x2c, 0x34, 0x3c]) OPS[o] = op04;
for (const o of [0x05, 0x0d, 0x15, 0x1d, 0x25, 0x2d, 0x35, 0x3d]) OPS[o] = op05;
for (const o of [0x40, 0x41, 0x42, 0x43, 0x44, 0x45, 0x46, 0x47]) OPS[o] = op40;
for (const o of [0x48, 0x49, 0x4a, 0x4b, 0x4c, 0x4d, 0x4e, 0x4f]) OPS[o] = op48;
for (const o of [0x50, 0x51, 0x52, 0x53, 0x54, 0x55, 0x56, 0x57]) OPS[o] = op50;
for (const o of [0x58, 0x59, 0x5a, 0x5b, 0x5c, 0x5d, 0x5e, 0x5f]) OPS[o] = op58;
OPS[0x68] = op68;
OPS[0x6a] = op6a;
for (const o of [0x69, 0x6b]) OPS[o] = op69;
for (const o of [0x70, 0x71, 0x72, 0x73, 0x74, 0x75, 0x76, 0x77, 0x78, 0x79, 0x7a, 0x7b, 0x7c, 0x7d, 0x7e, 0x7f]) OPS[o] = op70;
for (const o of [0x80, 0x82]) OPS[o] = op80;
for (const o of [0x81, 0x83]) OPS[o] = op81;
OPS[0x84] = op84;
OPS[0x85] = op85;
OPS[0x86] = op86;
OPS[0x87] = op87;
OPS[0x88] = op88;
OPS[0x89] = op89;
OPS[0x8a] = op8a;
OPS[0x8b] = op8b;
OPS[0x8d] = op8d;
OPS[0x90] = op90;
OPS[0x98] = op98;
OPS[0x99] = op99;
OPS[0x9c] = op9c;
OPS[0x9d] = op9d;
for (const o of [0xa0, 0xa1, 0xa2, 0xa3]) OPS[o] = opa0;
OPS[0xa4] = opa4;
OPS[0xa5] = opa5;
OPS[0xa8] = opa8;
OPS[0xa9] = opa9;
OPS[0xaa] = opaa;
OPS[0xab] = opab;
for (const o of [0xb0, 0xb1, 0xb2, 0xb3, 0xb4, 0xb5, 0xb6, 0xb7]) OPS[o] = opb0;
for (const o of [0xb8, 0xb9, 0xba, 0xbb, 0xbc, 0xbd, 0xbe, 0xbf]) OPS[o] = opb8;
OPS[0xc0] = opc0;
OPS[0xc1] = opc1;
OPS[0xd0] = opd0;
OPS[0xd1] = opd1;
OPS[0xd2] = opd2;
OPS[0xd3] = opd3;
for (const o of [0xc2, 0xc3]) OPS[o] = opc2;
OPS[0xc6] = opc6;
OPS[0xc7] = opc7;
OPS[0xc9] = opc9;
OPS[0xe8] = ope8;
OPS[0xe9] = ope9;
OPS[0xea] = opea;
OPS[0xeb] = opeb;
for (const o of [0xf6, 0xf7]) OPS[o] = opf6;
OPS[0xfc] = opfc;
OPS[0xfd] = opfd;
OPS[0xfe] = opfe;
OPS[0xff] = opff;
OPS[0x06] = op06;
OPS[0x0e] = op0e;
OPS[0x16] = op16;
OPS[0x1e] = op1e;
OPS[0x1a0] = op0fa0;
OPS[0x1a8] = op0fa8;
OPS[0x07] = op07;
OPS[0x17] = op17;
OPS[0x1f] = op1f;
OPS[0x1a1] = op0fa1;
OPS[0x1a9] = op0fa9;
OPS[0x27] = op27;
OPS[0x2f] = op2f;
OPS[0x37] = op37;
OPS[0x3f] = op3f;
OPS[0x60] = op60;
OPS[0x61] = op61;
OPS[0x62] = op62;
OPS[0x63] = op63;
OPS[0x6c] = op6c;
OPS[0x6d] = op6d;
OPS[0x6e] = op6e;
OPS[0x6f] = op6f;
OPS[0x8c] = op8c;
OPS[0x8e] = op8e;
OPS[0x8f] = op8f;
for (const o of [0x91, 0x92, 0x93, 0x94, 0x95, 0x96, 0x97]) OPS[o] = op91;
OPS[0x9a] = op9a;
OPS[0x9b] = op9b;
OPS[0x9e] = op9e;
OPS[0x9f] = op9f;
OPS[0xa6] = opa6;
OPS[0xa7] = opa7;
OPS[0xac] = opac;
OPS[0xad] = opad;
OPS[0xae] = opae;
OPS[0xaf] = opaf;
OPS[0xc4] = opc4;
OPS[0xc5] = opc5;
OPS[0x1b2] = op0fb2;
OPS[0x1b4] = op0fb4;
OPS[0x1b5] = op0fb5;
OPS[0xc8] = opc8;
OPS[0xca] = opca;
OPS[0xcb] = opcb;
OPS[0xcc] = opcc;
OPS[0xcd] = opcd;
OPS[0xce] = opce;
OPS[0xcf] = opcf;
OPS[0xd4] = opd4;
OPS[0xd5] = opd5;
OPS[0xd6] = opd6;
OPS[0xd7] = opd7;
for (const o of [0xd8, 0xd9, 0xda, 0xdb, 0xdc, 0xdd, 0xde, 0xdf]) OPS[o] = opd8;
for (const o of [0xe0, 0xe1, 0xe2]) OPS[o] = ope0;
OPS[0xe3] = ope3;
OPS[0xe4] = ope4;
OPS[0xe5] = ope5;
OPS[0xe6] = ope6;
OPS[0xe7] = ope7;
OPS[0xec] = opec;
OPS[0xed] = oped;
OPS[0xee] = opee;
OPS[0xef] = opef;
OPS[0xf1] = opf1;
OPS[0xf4] = opf4;
OPS[0xf5] = opf5;
OPS[0xf8] = opf8;
OPS[0xf9] = opf9;
OPS[0xfa] = opfa;
OPS[0xfb] = opfb;
OPS[0x100] = op0f00;
OPS[0x101] = op0f01;
for (const o of [0x102, 0x103]) OPS[o] = op0f02;
OPS[0x106] = op0f06;
for (const o of [0x108, 0x109]) OPS[o] = op0f08;
for (const o of [0x120, 0x121, 0x122, 0x123, 0x124, 0x126]) OPS[o] = op0f20;
for (const o of [0x130, 0x132]) OPS[o] = op0f30;
OPS[0x131] = op0f31;
for (const o of [0x140, 0x141, 0x142, 0x143, 0x144, 0x145, 0x146, 0x147, 0x148, 0x149, 0x14a, 0x14b, 0x14c, 0x14d, 0x14e, 0x14f]) OPS[o] = op0f40;
for (const o of [0x180, 0x181, 0x182, 0x183, 0x184, 0x185, 0x186, 0x187, 0x188, 0x189, 0x18a, 0x18b, 0x18c, 0x18d, 0x18e, 0x18f]) OPS[o] = op0f80;
for (const o of [0x190, 0x191, 0x192, 0x193, 0x194, 0x195, 0x196, 0x197, 0x198, 0x199, 0x19a, 0x19b, 0x19c, 0x19d, 0x19e, 0x19f]) OPS[o] = op0f90;
OPS[0x1a2] = op0fa2;
for (const o of [0x1a3, 0x1ab, 0x1b3, 0x1bb]) OPS[o] = op0fa3;
OPS[0x1ba] = op0fba;
for (const o of [0x1a4, 0x1a5, 0x1ac, 0x1ad]) OPS[o] = op0fa4;
OPS[0x1af] = op0faf;
OPS[0x1b0] = op0fb0;
OPS[0x1b1] = op0fb1;
OPS[0x1b6] = op0fb6;
OPS[0x1b7] = op0fb7;
OPS[0x1be] = op0fbe;
OPS[0x1bf] = op0fbf;
for (const o of [0x1bc, 0x1bd]) OPS[o] = op0fbc;
OPS[0x1c0] = op0fc0;
OPS[0x1c1] = op0fc1;
OPS[0x1c7] = op0fc7;
for (const o of [0x1c8, 0x1c9, 0x1ca, 0x1cb, 0x1cc, 0x1cd, 0x1ce, 0x1cf]) OPS[o] = op0fc8;

function imm2(c: Cpu, a: number, b: number): number {
  return imul2(c, c.opSize32 ? 32 : 16, a, b);
}

function popSeg(c: Cpu, s: number): number {
  const size = c.opSize32 ? 4 : 2;
  const v = c.peekStack(0, size) & 0xffff;
  loadSegment(c, s, v);
  c.setSp(c.ss32 ? (c.sp + size) >>> 0 : (c.sp + size) & 0xffff);
  if (s === SS) { c.shadow = true; c.slow = true; }
  return c.cyc.far;
}

function loadFarPointer(c: Cpu, s: number): number {
  modrm(c);
  needMem(c);
  let off: number, sel: number;
  if (c.opSize32) { off = c.rd32(c.eaSeg, c.eaOff); sel = c.rd16(c.eaSeg, c.eaOff + 4); }
  else { off = c.rd16(c.eaSeg, c.eaOff); sel = c.rd16(c.eaSeg, (c.eaOff + 2) & (c.adSize32 ? 0xffffffff : 0xffff)); }
  loadSegment(c, s, sel);
  setGv(c, off);
  if (s === SS) { c.shadow = true; c.slow = true; }
  return c.cyc.far;
}

/** ENTER imm16, imm8. */
function enter(c: Cpu): number {
  const size = c.fetch16();
  const level = c.fetch8() & 31;
  const o32 = c.opSize32;
  const w = o32 ? 4 : 2;
  const ss32 = c.ss32;
  const r = c.r32;
  let sp = c.sp;
  const push = (v: number): void => {
    sp = ss32 ? (sp - w) >>> 0 : (sp - w) & 0xffff;
    if (w === 4) c.wr32(SS, sp, v); else c.wr16(SS, sp, v);
  };
  push(o32 ? r[5] : c.r16[10]);
  const frame = sp;
  if (level > 0) {
    let bp = ss32 ? r[5] >>> 0 : c.r16[10];
    for (let i = 1; i < level; i++) {
      bp = ss32 ? (bp - w) >>> 0 : (bp - w) & 0xffff;
      push(w === 4 ? c.rd32(SS, bp) : c.rd16(SS, bp));
    }
    push(frame);
  }
  const newSp = ss32 ? (sp - size) >>> 0 : (sp - size) & 0xffff;
  if (size > 0) c.linear(SS, newSp, 1, true); // the new stack top must be writable
  if (o32) r[5] = frame; else c.r16[10] = frame;
  c.setSp(newSp);
  return c.cyc.stack * (3 + level);
}

/** INT n / INT3 / INTO: software interrupt (gate DPL checked). */
function softInt(c: Cpu, vec: number): void {
  if (c.intercept !== null && c.intercept.exception(c, vec, NO_ERROR)) return;
  c.lastException = vec;
  c.lastExceptionError = NO_ERROR;
  deliverSoft(c, vec);
  c.noStepTrap = true;
}

function deliverSoft(c: Cpu, vec: number): void {
  deliverInterrupt(c, vec, NO_ERROR, EV_SOFTWARE);
}

function group3(c: Cpu, bits: number): number {
  modrm(c);
  const y = c.cyc;
  const v = bits === 8 ? getE8(c) : bits === 32 ? getE32(c) : getE16(c);
  switch (c.reg) {
    case 0: case 1: {
      const imm = bits === 8 ? c.fetch8() : bits === 32 ? c.fetch32() : c.fetch16();
      alu(c, 4, bits, v, imm);
      return y.alu;
    }
    case 2: setSized(c, bits, ~v); return y.alu;
    case 3: setSized(c, bits, neg(c, bits, v)); return y.alu;
    case 4: mul(c, bits, v); return y.mul;
    case 5: imul1(c, bits, v); return y.mul;
    case 6: div(c, bits, v); return y.div;
    default: idiv(c, bits, v); return y.div;
  }
}

function setSized(c: Cpu, bits: number, x: number): void {
  if (bits === 8) setE8(c, x); else if (bits === 32) setE32(c, x); else setE16(c, x);
}

function group5(c: Cpu): number {
  modrm(c);
  const y = c.cyc;
  const r = c.r32;
  switch (c.reg) {
    case 0: setEv(c, inc(c, c.opSize32 ? 32 : 16, getEv(c))); return y.alu;
    case 1: setEv(c, dec(c, c.opSize32 ? 32 : 16, getEv(c))); return y.alu;
    case 2: { // CALL near indirect
      const t = getEv(c);
      const target = c.opSize32 ? t >>> 0 : t & 0xffff;
      if (target > c.segLimit[CS] && (c.cr0 & CR0_PE) !== 0) throw c.fault(GP, 0);
      c.push(nextIp(c));
      c.eip = target;
      return y.call;
    }
    case 3: case 5: { // CALL/JMP far indirect
      needMem(c);
      let off: number, sel: number;
      if (c.opSize32) { off = c.rd32(c.eaSeg, c.eaOff); sel = c.rd16(c.eaSeg, c.eaOff + 4); }
      else { off = c.rd16(c.eaSeg, c.eaOff); sel = c.rd16(c.eaSeg, c.eaOff + 2); }
      farTransfer(c, sel, off, c.reg === 3);
      return y.far;
    }
    case 4: jumpNear(c, getEv(c)); return y.branch;
    case 6: {
      const v = getEv(c);
      c.push(v);
      return y.stack;
    }
    default: void r; throw ud(c);
  }
}

// ---------------- two-byte opcodes ----------------

function op0f00(c: Cpu): number {
  const y = c.cyc;
  const r = c.r32;
  // group 6
  requireProtected(c);
  modrm(c);
  switch (c.reg) {
    case 0: if (c.mod === 3 && c.opSize32) r[c.rm] = c.ldtSel; else setE16(c, c.ldtSel); return y.system;
    case 1: if (c.mod === 3 && c.opSize32) r[c.rm] = c.trSel; else setE16(c, c.trSel); return y.system;
    case 2: requireCpl0(c); loadLdt(c, getE16(c)); return y.system;
    case 3: requireCpl0(c); loadTr(c, getE16(c)); return y.system;
    case 4: verify(c, getE16(c), false); return y.system;
    case 5: verify(c, getE16(c), true); return y.system;
    default: throw ud(c);
  }
}

function op0f01(c: Cpu): number {
  const y = c.cyc;
  const r = c.r32;
  // group 7
  modrm(c);
  switch (c.reg) {
    case 0: case 1: {
      needMem(c);
      const isIdt = c.reg === 1;
      const lim = isIdt ? c.idtLimit : c.gdtLimit;
      const base = isIdt ? c.idtBase : c.gdtBase;
      c.wr16(c.eaSeg, c.eaOff, lim);
      c.wr32(c.eaSeg, c.eaOff + 2, c.opSize32 ? base : base & 0xffffff);
      return y.system;
    }
    case 2: case 3: {
      needMem(c);
      requireCpl0(c);
      const lim = c.rd16(c.eaSeg, c.eaOff);
      let base = c.rd32(c.eaSeg, c.eaOff + 2) >>> 0;
      if (!c.opSize32) base &= 0xffffff;
      if (c.reg === 2) { c.gdtBase = base; c.gdtLimit = lim; } else { c.idtBase = base; c.idtLimit = lim; }
      return y.system;
    }
    case 4: // SMSW
      if (c.mod === 3 && c.opSize32) r[c.rm] = c.cr0; else setE16(c, c.cr0 & 0xffff);
      return y.system;
    case 6: requireCpl0(c); lmsw(c, getE16(c)); return y.system;
    case 7: // INVLPG
      needMem(c);
      requireCpl0(c);
      if (c.intercept !== null && c.intercept.invlpg(c, (c.segBase[c.eaSeg] + c.eaOff) >>> 0)) return y.system;
      invalidatePage(c, (c.segBase[c.eaSeg] + c.eaOff) >>> 0);
      return y.system;
    default: throw ud(c);
  }
}

function op0f02(c: Cpu, b: number): number {
  const y = c.cyc;
  requireProtected(c);
  modrm(c);
  const sel = getE16(c);
  const v = b === 0x02 ? lar(c, sel) : lsl(c, sel);
  if (v !== -1) setGv(c, v);
  return y.system;
}

function op0f06(c: Cpu): number {
  const y = c.cyc;
  requireCpl0(c); clts(c); return y.system;
}

function op0f08(c: Cpu): number {
  const y = c.cyc;
  requireCpl0(c); return y.system; // INVD / WBINVD: no caches modelled
}

function op0f20(c: Cpu, b: number): number {
  const y = c.cyc;
  const r = c.r32;
  const m = c.fetch8(); // register-only encodings; mod is ignored
  requireCpl0(c);
  const reg = (m >> 3) & 7, rm = m & 7;
  if (c.intercept !== null && c.intercept.controlRegister(c, b, reg, rm)) return y.system;
  switch (b) {
    case 0x20: r[rm] = readCr(c, reg); break;
    case 0x21: r[rm] = readDr(c, reg); break;
    case 0x22: writeCr(c, reg, r[rm]); break;
    case 0x23: writeDr(c, reg, r[rm]); break;
    case 0x24: if (reg < 3) throw ud(c); r[rm] = c.testRegs[reg]; break; // TR3-TR7 (cache/TLB test registers)
    default: if (reg < 3) throw ud(c); c.testRegs[reg] = r[rm]; break;
  }
  return y.system;
}

function op0f30(c: Cpu, b: number): number {
  const y = c.cyc;
  const g = c.model.groups;
  // WRMSR / RDMSR
  if (!g.msr) throw ud(c);
  requireCpl0(c);
  if (c.intercept !== null && c.intercept.msr(c, b === 0x30)) return y.system;
  throw c.fault(GP, 0);
}

function op0f31(c: Cpu): number {
  const y = c.cyc;
  const r = c.r32;
  const g = c.model.groups;
  // RDTSC
  if (!g.rdtsc) throw ud(c);
  r[0] = c.clock.now % 4294967296; r[2] = Math.floor(c.clock.now / 4294967296);
  return y.system;
}

function op0f40(c: Cpu, b: number): number {
  const y = c.cyc;
  const g = c.model.groups;
  if (!g.cmov) throw ud(c);
  modrm(c);
  const v = getEv(c);
  if (testCondition(c, b & 15)) setGv(c, v);
  return y.alu;
}

function op0f80(c: Cpu, b: number): number {
  const y = c.cyc;
  const d = fetchIv(c);
  if (testCondition(c, b & 15)) { jumpNear(c, c.eip + d); return y.branch; }
  return y.alu;
}

function op0f90(c: Cpu, b: number): number {
  const y = c.cyc;
  modrm(c);
  setE8(c, testCondition(c, b & 15) ? 1 : 0);
  return y.alu;
}

function op0fa2(c: Cpu): number {
  const y = c.cyc;
  const g = c.model.groups;
  // CPUID
  if (!g.cpuid) throw ud(c);
  if (c.intercept !== null && c.intercept.cpuid(c)) return y.system;
  cpuid(c);
  return y.system;
}

function op0fa3(c: Cpu, b: number): number {
  return bitMem(c, (b >> 3) & 3);
}

function op0fba(c: Cpu): number {
  const y = c.cyc;
  modrm(c);
  if (c.reg < 4) throw ud(c);
  const bits = c.opSize32 ? 32 : 16;
  const v = getEv(c);
  const n = c.fetch8() & (bits - 1);
  const nv = bitOp(c, c.reg - 4, v, n);
  if (c.reg !== 4) setEv(c, nv);
  return y.alu * 3;
}

function op0fa4(c: Cpu, b: number): number {
  const y = c.cyc;
  modrm(c);
  const d = getEv(c);
  const n = (b & 1) === 0 ? c.fetch8() : c.r8[4];
  setEv(c, shiftDouble(c, b < 0xa8, c.opSize32 ? 32 : 16, d, getGv(c), n));
  return y.shift;
}

function op0faf(c: Cpu): number {
  const y = c.cyc;
  modrm(c); setGv(c, imm2(c, getGv(c), getEv(c))); return y.mul;
}

function op0fb0(c: Cpu): number {
  const y = c.cyc;
  // CMPXCHG Eb,Gb
  modrm(c);
  const d = getE8(c);
  alu(c, 7, 8, c.r8[0], d);
  if (c.r8[0] === d) setE8(c, c.r8[R8_INDEX[c.reg]]);
  else { setE8(c, d); c.r8[0] = d; } // the 486 writes the destination back in both cases
  return y.aluMem * 3;
}

function op0fb1(c: Cpu): number {
  const y = c.cyc;
  const r = c.r32;
  modrm(c);
  const bits = c.opSize32 ? 32 : 16;
  const d = getEv(c);
  const acc = c.opSize32 ? r[0] : c.r16[0];
  alu(c, 7, bits, acc, d);
  if (((acc ^ d) & (bits === 32 ? -1 : 0xffff)) === 0) setEv(c, getGv(c));
  else { setEv(c, d); if (c.opSize32) r[0] = d; else c.r16[0] = d; }
  return y.aluMem * 3;
}

function op0fb6(c: Cpu): number {
  const y = c.cyc;
  modrm(c); setGv(c, getE8(c)); return y.mov * 3;
}

function op0fb7(c: Cpu): number {
  const y = c.cyc;
  modrm(c); setGv(c, getE16(c)); return y.mov * 3;
}

function op0fbe(c: Cpu): number {
  const y = c.cyc;
  modrm(c); setGv(c, (getE8(c) << 24) >> 24); return y.mov * 3;
}

function op0fbf(c: Cpu): number {
  const y = c.cyc;
  modrm(c); setGv(c, (getE16(c) << 16) >> 16); return y.mov * 3;
}

function op0fbc(c: Cpu, b: number): number {
  const y = c.cyc;
  modrm(c);
  const res = bitScan(c, b === 0xbd, getEv(c), c.opSize32 ? 32 : 16);
  if (res >= 0) setGv(c, res);
  return y.bitscan;
}

function op0fc0(c: Cpu): number {
  const y = c.cyc;
  // XADD Eb,Gb
  modrm(c);
  const ri = R8_INDEX[c.reg];
  const d = getE8(c), s = c.r8[ri];
  const sum = alu(c, 0, 8, d, s);
  // TEMP <- SRC + DEST; SRC <- DEST; DEST <- TEMP (SDM, XADD): the destination is written
  // last, so `xadd bl, bl` leaves the sum. A memory destination is written first so that a
  // fault on the write leaves the register unchanged.
  if (c.mod === 3) {
    c.r8[ri] = d;
    setE8(c, sum);
  } else {
    setE8(c, sum);
    c.r8[ri] = d;
  }
  return y.aluMem * 2;
}

function op0fc1(c: Cpu): number {
  const y = c.cyc;
  modrm(c);
  const d = getEv(c), s = getGv(c);
  const sum = alu(c, 0, c.opSize32 ? 32 : 16, d, s);
  if (c.mod === 3) { // destination last, as for XADD Eb,Gb above
    setGv(c, d);
    setEv(c, sum);
  } else {
    setEv(c, sum);
    setGv(c, d);
  }
  return y.aluMem * 2;
}

function op0fc7(c: Cpu): number {
  const y = c.cyc;
  const r = c.r32;
  const g = c.model.groups;
  // group 9: CMPXCHG8B
  if (!g.cmpxchg8b) throw ud(c);
  modrm(c);
  if (c.reg !== 1) throw ud(c);
  needMem(c);
  const lo = c.rd32(c.eaSeg, c.eaOff), hi = c.rd32(c.eaSeg, c.eaOff + 4);
  materialize(c);
  if (lo === r[0] && hi === r[2]) {
    c.wr32(c.eaSeg, c.eaOff, r[3]); c.wr32(c.eaSeg, c.eaOff + 4, r[1]);
    c.flags |= ZF;
  } else {
    c.wr32(c.eaSeg, c.eaOff, lo); c.wr32(c.eaSeg, c.eaOff + 4, hi);
    r[0] = lo; r[2] = hi;
    c.flags &= ~ZF;
  }
  return y.aluMem * 5;
}

function op0fc8(c: Cpu, b: number): number {
  const y = c.cyc;
  const r = c.r32;
  const i = b & 7;
  const v = r[i];
  // BSWAP with a 16-bit operand is undefined; the 486 clears the low word (documented estimate).
  r[i] = c.opSize32 ? ((v >>> 24) | ((v >> 8) & 0xff00) | ((v << 8) & 0xff0000) | (v << 24)) : v & 0xffff0000;
  return y.alu;
}


/** BT/BTS/BTR/BTC Ev,Gv: a memory operand addresses bit offsets beyond the operand (signed). */
function bitMem(c: Cpu, op: number): number {
  modrm(c);
  const bits = c.opSize32 ? 32 : 16;
  const off = getGv(c);
  if (c.mod === 3) {
    const v = getEv(c);
    const nv = bitOp(c, op, v, off & (bits - 1));
    if (op !== 0) setEv(c, nv);
    return c.cyc.alu * 3;
  }
  const soff = bits === 32 ? off | 0 : (off << 16) >> 16;
  const bytes = Math.floor(soff / bits) * (bits / 8);
  const addr = c.adSize32 ? (c.eaOff + bytes) >>> 0 : (c.eaOff + bytes) & 0xffff;
  const bit = soff & (bits - 1);
  const v = bits === 32 ? c.rd32(c.eaSeg, addr) : c.rd16(c.eaSeg, addr);
  const nv = bitOp(c, op, v, bit);
  if (op !== 0) { if (bits === 32) c.wr32(c.eaSeg, addr, nv); else c.wr16(c.eaSeg, addr, nv); }
  return c.cyc.aluMem * 3;
}

