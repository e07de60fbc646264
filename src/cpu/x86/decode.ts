/** Instruction decode and dispatch: prefixes, ModRM/SIB effective addresses, and the opcode switch. */

import type { Cpu } from './cpu.js';
import { ES, CS, SS, DS, FS, GS, R8_INDEX, CF, DF, IF, VM, IOPL, CR0_PE, CR0_EM, CR0_TS, CR0_MP, ZF } from './state.js';
import { UD, NM, GP, OFV, BR, DB, EV_SOFTWARE, EV_EXCEPTION, NO_ERROR } from './exceptions.js';
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
    if (idx !== 4) off += r[idx] << (sib >> 6);
  } else if (rm === 5 && c.mod === 0) {
    off = c.fetch32();
  } else {
    off = r[rm];
    if (rm === 5) seg = SS;
  }
  if (c.mod === 1) off += (c.fetch8() << 24) >> 24;
  else if (c.mod === 2) off += c.fetch32();
  c.eaOff = off | 0; // int32 form; linear() converts
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
  if (c.mod === 3) c.raise(UD, NO_ERROR);
}

/** Near jump target masked to the operand size; checks the CS limit in protected mode. */
function jumpNear(c: Cpu, target: number): void {
  target = c.opSize32 ? target >>> 0 : target & 0xffff;
  if (target > c.segLimit[CS] && (c.cr0 & CR0_PE) !== 0) c.raise(GP, 0);
  c.eip = target;
}

/** EIP after this instruction, as pushed by CALL (masked to 16 bits in 16-bit code). */
function nextIp(c: Cpu): number {
  return c.opSize32 ? c.eip : c.eip & 0xffff;
}

function ioplCheck(c: Cpu): void {
  if ((c.cr0 & CR0_PE) !== 0 && c.cpl > ((c.flags & IOPL) >>> 12)) c.raise(GP, 0);
}

function ud(c: Cpu): never {
  return c.raise(UD, NO_ERROR);
}

/** LOCK is legal only on the lockable opcodes with a memory destination. */
function checkLock(c: Cpu, op: number): void {
  const save = c.eip;
  const m = c.fetch8();
  c.eip = save;
  const regMask = LOCKABLE[op];
  if (regMask === 0 || (m >> 6) === 3 || ((regMask >> ((m >> 3) & 7)) & 1) === 0) ud(c);
}

/** x87 escape (D8-DF) on a part without FPU: #NM if EM or TS, else a no-op that decodes its operand (486SX). */
function fpuEscape(c: Cpu): number {
  if ((c.cr0 & (CR0_EM | CR0_TS)) !== 0) c.raise(NM, NO_ERROR);
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
      if (++n > 14) c.raise(GP, 0); // an instruction may not exceed 15 bytes
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
    if (b === 0x0f) b = 0x100 | c.fetch8();
    if (c.lock) checkLock(c, b);
  } else if (b === 0x0f) b = 0x100 | c.fetch8();
  return exec(c, b);
}

function exec(c: Cpu, b: number): number {
  const y = c.cyc;
  const r = c.r32;
  switch (b) {
    // ---- ALU ops 00-3F ----
    case 0x00: case 0x08: case 0x10: case 0x18: case 0x20: case 0x28: case 0x30: case 0x38: {
      modrm(c);
      const op = b >> 3;
      const v = alu(c, op, 8, getE8(c), c.r8[R8_INDEX[c.reg]]);
      if (op !== 7) setE8(c, v);
      return c.mod === 3 ? y.alu : y.aluMem;
    }
    case 0x01: case 0x09: case 0x11: case 0x19: case 0x21: case 0x29: case 0x31: case 0x39: {
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
    case 0x02: case 0x0a: case 0x12: case 0x1a: case 0x22: case 0x2a: case 0x32: case 0x3a: {
      modrm(c);
      const op = b >> 3;
      const ri = R8_INDEX[c.reg];
      const v = alu(c, op, 8, c.r8[ri], getE8(c));
      if (op !== 7) c.r8[ri] = v;
      return c.mod === 3 ? y.alu : y.aluMem;
    }
    case 0x03: case 0x0b: case 0x13: case 0x1b: case 0x23: case 0x2b: case 0x33: case 0x3b: {
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
    case 0x04: case 0x0c: case 0x14: case 0x1c: case 0x24: case 0x2c: case 0x34: case 0x3c: {
      const op = b >> 3;
      const v = alu(c, op, 8, c.r8[0], c.fetch8());
      if (op !== 7) c.r8[0] = v;
      return y.alu;
    }
    case 0x05: case 0x0d: case 0x15: case 0x1d: case 0x25: case 0x2d: case 0x35: case 0x3d: {
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
    case 0x40: case 0x41: case 0x42: case 0x43: case 0x44: case 0x45: case 0x46: case 0x47: {
      const i = b & 7;
      if (c.opSize32) r[i] = inc(c, 32, r[i]); else c.r16[i << 1] = inc(c, 16, c.r16[i << 1]);
      return y.alu;
    }
    case 0x48: case 0x49: case 0x4a: case 0x4b: case 0x4c: case 0x4d: case 0x4e: case 0x4f: {
      const i = b & 7;
      if (c.opSize32) r[i] = dec(c, 32, r[i]); else c.r16[i << 1] = dec(c, 16, c.r16[i << 1]);
      return y.alu;
    }
    case 0x50: case 0x51: case 0x52: case 0x53: case 0x54: case 0x55: case 0x56: case 0x57:
      if (c.opSize32) c.push32(r[b & 7]); else c.push16(c.r16[(b & 7) << 1]);
      return y.stack;
    case 0x58: case 0x59: case 0x5a: case 0x5b: case 0x5c: case 0x5d: case 0x5e: case 0x5f:
      if (c.opSize32) { const v = c.pop32(); r[b & 7] = v; } else { const v = c.pop16(); c.r16[(b & 7) << 1] = v; }
      return y.stack;
    case 0x68: c.push(fetchIv(c)); return y.stack;
    case 0x6a: c.push(fetchIb8s(c)); return y.stack;
    case 0x69: case 0x6b: {
      modrm(c);
      const a = getEv(c);
      const imm = b === 0x69 ? fetchIv(c) : fetchIb8s(c);
      setGv(c, imm2(c, a, imm));
      return y.mul;
    }

    // ---- Jcc short ----
    case 0x70: case 0x71: case 0x72: case 0x73: case 0x74: case 0x75: case 0x76: case 0x77:
    case 0x78: case 0x79: case 0x7a: case 0x7b: case 0x7c: case 0x7d: case 0x7e: case 0x7f: {
      const d = fetchIb8s(c);
      if (testCondition(c, b & 15)) { jumpNear(c, c.eip + d); return y.branch; }
      return y.alu;
    }

    // ---- group 1 ----
    case 0x80: case 0x82: {
      modrm(c);
      const op = c.reg;
      const v = alu(c, op, 8, getE8(c), c.fetch8());
      if (op !== 7) setE8(c, v);
      return c.mod === 3 ? y.alu : y.aluMem;
    }
    case 0x81: case 0x83: {
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
    case 0x84: modrm(c); alu(c, 4, 8, getE8(c), c.r8[R8_INDEX[c.reg]]); return y.alu;
    case 0x85: modrm(c); alu(c, 4, c.opSize32 ? 32 : 16, getEv(c), getGv(c)); return y.alu;
    case 0x86: {
      modrm(c);
      const ri = R8_INDEX[c.reg];
      const m = getE8(c);
      setE8(c, c.r8[ri]);
      c.r8[ri] = m;
      return y.alu * 3;
    }
    case 0x87: {
      modrm(c);
      const m = getEv(c);
      setEv(c, getGv(c));
      setGv(c, m);
      return y.alu * 3;
    }
    case 0x88: modrm(c); setE8(c, c.r8[R8_INDEX[c.reg]]); return y.mov;
    case 0x89: modrm(c); if (c.opSize32) setE32(c, r[c.reg]); else setE16(c, c.r16[c.reg << 1]); return y.mov;
    case 0x8a: modrm(c); c.r8[R8_INDEX[c.reg]] = getE8(c); return y.mov;
    case 0x8b: modrm(c); if (c.opSize32) r[c.reg] = getE32(c); else c.r16[c.reg << 1] = getE16(c); return y.mov;
    case 0x8d: modrm(c); needMem(c); setGv(c, c.eaOff); return y.alu;
    case 0x90:
      if (c.rep === 0xf3) return y.alu; // PAUSE encodes as REP NOP
      return y.alu;
    case 0x98: if (c.opSize32) r[0] = (r[0] << 16) >> 16; else c.r16[0] = (c.r8[0] << 24) >> 24; return y.alu * 3;
    case 0x99: if (c.opSize32) r[2] = r[0] >> 31; else c.r16[4] = (c.r16[0] & 0x8000) ? 0xffff : 0; return y.alu * 3;
    case 0x9c: { // PUSHF
      if ((c.flags & VM) !== 0 && (c.flags & IOPL) !== IOPL) c.raise(GP, 0);
      const f = c.getEflags() & ~(0x30000); // VM and RF are pushed as 0
      c.push(f);
      return y.stack;
    }
    case 0x9d: { // POPF
      if ((c.flags & VM) !== 0 && (c.flags & IOPL) !== IOPL) c.raise(GP, 0);
      const v = c.pop();
      writeFlagsChecked(c, v, c.opSize32, 0);
      return y.stack;
    }
    case 0xa0: case 0xa1: case 0xa2: case 0xa3: {
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
    case 0xa4: return y.string * stringOp(c, S_MOVS, 1);
    case 0xa5: return y.string * stringOp(c, S_MOVS, c.opSize32 ? 4 : 2);
    case 0xa8: alu(c, 4, 8, c.r8[0], c.fetch8()); return y.alu;
    case 0xa9: if (c.opSize32) alu(c, 4, 32, r[0], c.fetch32()); else alu(c, 4, 16, c.r16[0], c.fetch16()); return y.alu;
    case 0xaa: return y.string * stringOp(c, S_STOS, 1);
    case 0xab: return y.string * stringOp(c, S_STOS, c.opSize32 ? 4 : 2);
    case 0xb0: case 0xb1: case 0xb2: case 0xb3: case 0xb4: case 0xb5: case 0xb6: case 0xb7:
      c.r8[R8_INDEX[b & 7]] = c.fetch8();
      return y.mov;
    case 0xb8: case 0xb9: case 0xba: case 0xbb: case 0xbc: case 0xbd: case 0xbe: case 0xbf:
      if (c.opSize32) r[b & 7] = c.fetch32(); else c.r16[(b & 7) << 1] = c.fetch16();
      return y.mov;

    // ---- shifts ----
    case 0xc0: { modrm(c); const n = c.fetch8(); setE8(c, shift(c, c.reg, 8, getE8(c), n)); return y.shift; }
    case 0xc1: { modrm(c); const d = getEv(c); const n = c.fetch8(); setEv(c, shift(c, c.reg, c.opSize32 ? 32 : 16, d, n)); return y.shift; }
    case 0xd0: modrm(c); setE8(c, shift(c, c.reg, 8, getE8(c), 1)); return y.shift;
    case 0xd1: modrm(c); setEv(c, shift(c, c.reg, c.opSize32 ? 32 : 16, getEv(c), 1)); return y.shift;
    case 0xd2: modrm(c); setE8(c, shift(c, c.reg, 8, getE8(c), c.r8[4])); return y.shift;
    case 0xd3: modrm(c); setEv(c, shift(c, c.reg, c.opSize32 ? 32 : 16, getEv(c), c.r8[4])); return y.shift;

    // ---- near/far returns, LES/LDS, MOV imm ----
    case 0xc2: case 0xc3: {
      const imm = b === 0xc2 ? c.fetch16() : 0;
      const size = c.opSize32 ? 4 : 2;
      const t = c.peekStack(0, size);
      jumpNear(c, t);
      c.setSp(c.ss32 ? (c.sp + size + imm) >>> 0 : (c.sp + size + imm) & 0xffff);
      return y.call;
    }
    case 0xc6: modrm(c); if (c.reg !== 0) ud(c); setE8(c, c.fetch8()); return y.mov;
    case 0xc7: {
      modrm(c);
      if (c.reg !== 0) ud(c);
      setEv(c, fetchIv(c));
      return y.mov;
    }
    case 0xc9: { // LEAVE
      const bp = c.ss32 ? r[5] >>> 0 : c.r16[10];
      const size = c.opSize32 ? 4 : 2;
      const v = size === 4 ? c.rd32(SS, bp) : c.rd16(SS, bp);
      if (c.ss32) r[4] = bp + size; else c.r16[8] = bp + size;
      if (size === 4) r[5] = v; else c.r16[10] = v;
      return y.stack * 5;
    }

    // ---- loops, jumps, I/O ----
    case 0xe8: {
      const d = fetchIv(c);
      const ret = nextIp(c);
      const target = c.opSize32 ? (c.eip + d) >>> 0 : (c.eip + d) & 0xffff;
      if (target > c.segLimit[CS] && (c.cr0 & CR0_PE) !== 0) c.raise(GP, 0);
      c.push(ret);
      c.eip = target;
      return y.call;
    }
    case 0xe9: { const d = fetchIv(c); jumpNear(c, c.eip + d); return y.branch; }
    case 0xea: {
      const off = fetchIv(c);
      const sel = c.fetch16();
      farTransfer(c, sel, off, false);
      return y.far;
    }
    case 0xeb: { const d = fetchIb8s(c); jumpNear(c, c.eip + d); return y.branch; }
    case 0xf6: case 0xf7: return group3(c, b === 0xf6 ? 8 : c.opSize32 ? 32 : 16);
    case 0xfc: c.flags &= ~DF; return y.alu;
    case 0xfd: c.flags |= DF; return y.alu;
    case 0xfe: {
      modrm(c);
      if (c.reg === 0) setE8(c, inc(c, 8, getE8(c)));
      else if (c.reg === 1) setE8(c, dec(c, 8, getE8(c)));
      else ud(c);
      return c.mod === 3 ? y.alu : y.aluMem;
    }
    case 0xff: return group5(c);


    default:
      return execCold(c, b);
  }
}

/**
 * The less frequent one-byte opcodes and all two-byte ones, kept out of `exec` so that meeting
 * one of them for the first time (no type feedback yet) deoptimises this function, not the hot one.
 */
function execCold(c: Cpu, b: number): number {
  const y = c.cyc;
  const r = c.r32;
  switch (b) {
    case 0x06: c.push(c.segSel[ES]); return y.stack;
    case 0x0e: c.push(c.segSel[CS]); return y.stack;
    case 0x16: c.push(c.segSel[SS]); return y.stack;
    case 0x1e: c.push(c.segSel[DS]); return y.stack;
    case 0x1a0: c.push(c.segSel[FS]); return y.stack;
    case 0x1a8: c.push(c.segSel[GS]); return y.stack;
    case 0x07: return popSeg(c, ES);
    case 0x17: return popSeg(c, SS);
    case 0x1f: return popSeg(c, DS);
    case 0x1a1: return popSeg(c, FS);
    case 0x1a9: return popSeg(c, GS);
    case 0x27: daa(c); return y.bcd;
    case 0x2f: das(c); return y.bcd;
    case 0x37: aaa(c); return y.bcd;
    case 0x3f: aas(c); return y.bcd;
    case 0x60: { // PUSHA
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
    case 0x61: { // POPA
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
    case 0x62: { // BOUND
      modrm(c); needMem(c);
      if (c.opSize32) {
        const lo = c.rd32(c.eaSeg, c.eaOff), hi = c.rd32(c.eaSeg, c.eaOff + 4), v = r[c.reg];
        if (v < lo || v > hi) c.raise(BR, NO_ERROR);
      } else {
        const lo = (c.rd16(c.eaSeg, c.eaOff) << 16) >> 16, hi = (c.rd16(c.eaSeg, c.adSize32 ? c.eaOff + 2 : (c.eaOff + 2) & 0xffff) << 16) >> 16;
        const v = (c.r16[c.reg << 1] << 16) >> 16;
        if (v < lo || v > hi) c.raise(BR, NO_ERROR);
      }
      return y.alu * 7;
    }
    case 0x63: { // ARPL
      requireProtected(c);
      modrm(c);
      const d = getE16(c), s = c.r16[c.reg << 1];
      materialize(c);
      if ((d & 3) < (s & 3)) { setE16(c, (d & ~3) | (s & 3)); c.flags |= ZF; } else c.flags &= ~ZF;
      return y.system;
    }
    case 0x6c: stringOp(c, S_INS, 1); return y.io;
    case 0x6d: stringOp(c, S_INS, c.opSize32 ? 4 : 2); return y.io;
    case 0x6e: stringOp(c, S_OUTS, 1); return y.io;
    case 0x6f: stringOp(c, S_OUTS, c.opSize32 ? 4 : 2); return y.io;
    case 0x8c: {
      modrm(c);
      if (c.reg > 5) ud(c);
      const v = c.segSel[c.reg];
      if (c.mod === 3 && c.opSize32) r[c.rm] = v; else setE16(c, v);
      return y.mov;
    }
    case 0x8e: {
      modrm(c);
      if (c.reg > 5 || c.reg === CS) ud(c);
      loadSegment(c, c.reg, getE16(c));
      if (c.reg === SS) { c.shadow = true; c.slow = true; }
      return y.far;
    }
    case 0x8f: { // POP Ev: the address is computed with ESP after the pop
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
    case 0x91: case 0x92: case 0x93: case 0x94: case 0x95: case 0x96: case 0x97: {
      const i = b & 7;
      if (c.opSize32) { const t = r[0]; r[0] = r[i]; r[i] = t; } else { const t = c.r16[0]; c.r16[0] = c.r16[i << 1]; c.r16[i << 1] = t; }
      return y.alu * 3;
    }
    case 0x9a: {
      const off = fetchIv(c);
      const sel = c.fetch16();
      farTransfer(c, sel, off, true);
      return y.far;
    }
    case 0x9b: // WAIT/FWAIT: #NM when MP and TS
      if ((c.cr0 & (CR0_MP | CR0_TS)) === (CR0_MP | CR0_TS)) c.raise(NM, NO_ERROR);
      return y.alu;
    case 0x9e: { // SAHF
      materialize(c);
      c.flags = (c.flags & ~0xd5) | (c.r8[1] & 0xd5);
      return y.alu;
    }
    case 0x9f: c.r8[1] = (c.getEflags() & 0xd5) | 2; return y.alu;
    case 0xa6: return y.string * stringOp(c, S_CMPS, 1);
    case 0xa7: return y.string * stringOp(c, S_CMPS, c.opSize32 ? 4 : 2);
    case 0xac: return y.string * stringOp(c, S_LODS, 1);
    case 0xad: return y.string * stringOp(c, S_LODS, c.opSize32 ? 4 : 2);
    case 0xae: return y.string * stringOp(c, S_SCAS, 1);
    case 0xaf: return y.string * stringOp(c, S_SCAS, c.opSize32 ? 4 : 2);
    case 0xc4: return loadFarPointer(c, ES);
    case 0xc5: return loadFarPointer(c, DS);
    case 0x1b2: return loadFarPointer(c, SS);
    case 0x1b4: return loadFarPointer(c, FS);
    case 0x1b5: return loadFarPointer(c, GS);
    case 0xc8: return enter(c);
    case 0xca: { const imm = c.fetch16(); farReturn(c, imm); return y.far; }
    case 0xcb: farReturn(c, 0); return y.far;
    case 0xcc: softInt(c, 3); return y.interrupt;
    case 0xcd: softInt(c, c.fetch8()); return y.interrupt;
    case 0xce: if (testCondition(c, 0)) softInt(c, OFV); return y.interrupt;
    case 0xcf: iret(c); return y.iret;
    case 0xd4: aam(c, c.fetch8()); return y.bcd * 5;
    case 0xd5: aad(c, c.fetch8()); return y.bcd * 5;
    case 0xd6: c.r8[0] = getCF(c) ? 0xff : 0; return y.alu; // SALC (undocumented, present on the 486)
    case 0xd7: { // XLAT
      const seg = c.segOvr >= 0 ? c.segOvr : DS;
      const off = c.adSize32 ? (r[3] + c.r8[0]) >>> 0 : (c.r16[6] + c.r8[0]) & 0xffff;
      c.r8[0] = c.rd8(seg, off);
      return y.mov * 4;
    }
    case 0xd8: case 0xd9: case 0xda: case 0xdb: case 0xdc: case 0xdd: case 0xde: case 0xdf:
      return fpuEscape(c);
    case 0xe0: case 0xe1: case 0xe2: {
      const d = fetchIb8s(c);
      let cnt: number;
      if (c.adSize32) { cnt = (r[1] - 1) | 0; r[1] = cnt; } else { cnt = (c.r16[2] - 1) & 0xffff; c.r16[2] = cnt; }
      let take = cnt !== 0;
      if (b === 0xe0) take = take && !testCondition(c, 4);
      else if (b === 0xe1) take = take && testCondition(c, 4);
      if (take) jumpNear(c, c.eip + d);
      return y.branch;
    }
    case 0xe3: {
      const d = fetchIb8s(c);
      if ((c.adSize32 ? r[1] : c.r16[2]) === 0) jumpNear(c, c.eip + d);
      return y.branch;
    }
    case 0xe4: c.r8[0] = portIn(c, c.fetch8(), 1); return y.io;
    case 0xe5: { const p = c.fetch8(); if (c.opSize32) r[0] = portIn(c, p, 4); else c.r16[0] = portIn(c, p, 2); return y.io; }
    case 0xe6: portOut(c, c.fetch8(), 1, c.r8[0]); return y.io;
    case 0xe7: { const p = c.fetch8(); portOut(c, p, c.opSize32 ? 4 : 2, c.opSize32 ? r[0] : c.r16[0]); return y.io; }
    case 0xec: c.r8[0] = portIn(c, c.r16[4], 1); return y.io;
    case 0xed: if (c.opSize32) r[0] = portIn(c, c.r16[4], 4); else c.r16[0] = portIn(c, c.r16[4], 2); return y.io;
    case 0xee: portOut(c, c.r16[4], 1, c.r8[0]); return y.io;
    case 0xef: portOut(c, c.r16[4], c.opSize32 ? 4 : 2, c.opSize32 ? r[0] : c.r16[0]); return y.io;
    case 0xf1: // ICEBP / INT1: a #DB trap delivered like an exception
      c.deliverEvent(DB, NO_ERROR, EV_EXCEPTION);
      return y.interrupt;
    case 0xf4: // HLT
      requireCpl0(c);
      if (c.intercept !== null && c.intercept.hlt(c)) return y.system;
      c.halted = true;
      c.slow = true;
      return y.system;
    case 0xf5: { materialize(c); c.flags ^= CF; return y.alu; }
    case 0xf8: materialize(c); c.flags &= ~CF; return y.alu;
    case 0xf9: materialize(c); c.flags |= CF; return y.alu;
    case 0xfa: // CLI
      if ((c.flags & VM) !== 0 ? (c.flags & IOPL) !== IOPL : false) c.raise(GP, 0);
      ioplCheck(c);
      c.flags &= ~IF;
      return y.alu;
    case 0xfb: // STI: interrupts are recognised after the next instruction
      if ((c.flags & VM) !== 0 && (c.flags & IOPL) !== IOPL) c.raise(GP, 0);
      ioplCheck(c);
      if ((c.flags & IF) === 0) { c.shadow = true; c.flags |= IF; }
      c.irqCheck = true;
      c.slow = true;
      return y.alu;
    default:
      if (b >= 0x100) return exec0f(c, b & 0xff);
      return ud(c);
  }
}

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
      if (target > c.segLimit[CS] && (c.cr0 & CR0_PE) !== 0) c.raise(GP, 0);
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
    default: void r; return ud(c);
  }
}

// ---------------- two-byte opcodes ----------------

function exec0f(c: Cpu, b: number): number {
  const y = c.cyc;
  const r = c.r32;
  const g = c.model.groups;
  switch (b) {
    case 0x00: { // group 6
      requireProtected(c);
      modrm(c);
      switch (c.reg) {
        case 0: if (c.mod === 3 && c.opSize32) r[c.rm] = c.ldtSel; else setE16(c, c.ldtSel); return y.system;
        case 1: if (c.mod === 3 && c.opSize32) r[c.rm] = c.trSel; else setE16(c, c.trSel); return y.system;
        case 2: requireCpl0(c); loadLdt(c, getE16(c)); return y.system;
        case 3: requireCpl0(c); loadTr(c, getE16(c)); return y.system;
        case 4: verify(c, getE16(c), false); return y.system;
        case 5: verify(c, getE16(c), true); return y.system;
        default: return ud(c);
      }
    }
    case 0x01: { // group 7
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
        default: return ud(c);
      }
    }
    case 0x02: case 0x03: {
      requireProtected(c);
      modrm(c);
      const sel = getE16(c);
      const v = b === 0x02 ? lar(c, sel) : lsl(c, sel);
      if (v !== -1) setGv(c, v);
      return y.system;
    }
    case 0x06: requireCpl0(c); clts(c); return y.system;
    case 0x08: case 0x09: requireCpl0(c); return y.system; // INVD / WBINVD: no caches modelled
    case 0x20: case 0x21: case 0x22: case 0x23: case 0x24: case 0x26: {
      const m = c.fetch8(); // register-only encodings; mod is ignored
      requireCpl0(c);
      const reg = (m >> 3) & 7, rm = m & 7;
      if (c.intercept !== null && c.intercept.controlRegister(c, b, reg, rm)) return y.system;
      switch (b) {
        case 0x20: r[rm] = readCr(c, reg); break;
        case 0x21: r[rm] = readDr(c, reg); break;
        case 0x22: writeCr(c, reg, r[rm]); break;
        case 0x23: writeDr(c, reg, r[rm]); break;
        case 0x24: if (reg < 3) ud(c); r[rm] = c.testRegs[reg]; break; // TR3-TR7 (cache/TLB test registers)
        default: if (reg < 3) ud(c); c.testRegs[reg] = r[rm]; break;
      }
      return y.system;
    }
    case 0x30: case 0x32: // WRMSR / RDMSR
      if (!g.msr) return ud(c);
      requireCpl0(c);
      if (c.intercept !== null && c.intercept.msr(c, b === 0x30)) return y.system;
      return c.raise(GP, 0);
    case 0x31: // RDTSC
      if (!g.rdtsc) return ud(c);
      r[0] = c.clock.now % 4294967296; r[2] = Math.floor(c.clock.now / 4294967296);
      return y.system;
    case 0x40: case 0x41: case 0x42: case 0x43: case 0x44: case 0x45: case 0x46: case 0x47:
    case 0x48: case 0x49: case 0x4a: case 0x4b: case 0x4c: case 0x4d: case 0x4e: case 0x4f: {
      if (!g.cmov) return ud(c);
      modrm(c);
      const v = getEv(c);
      if (testCondition(c, b & 15)) setGv(c, v);
      return y.alu;
    }
    case 0x80: case 0x81: case 0x82: case 0x83: case 0x84: case 0x85: case 0x86: case 0x87:
    case 0x88: case 0x89: case 0x8a: case 0x8b: case 0x8c: case 0x8d: case 0x8e: case 0x8f: {
      const d = fetchIv(c);
      if (testCondition(c, b & 15)) { jumpNear(c, c.eip + d); return y.branch; }
      return y.alu;
    }
    case 0x90: case 0x91: case 0x92: case 0x93: case 0x94: case 0x95: case 0x96: case 0x97:
    case 0x98: case 0x99: case 0x9a: case 0x9b: case 0x9c: case 0x9d: case 0x9e: case 0x9f:
      modrm(c);
      setE8(c, testCondition(c, b & 15) ? 1 : 0);
      return y.alu;
    case 0xa2: // CPUID
      if (!g.cpuid) return ud(c);
      if (c.intercept !== null && c.intercept.cpuid(c)) return y.system;
      cpuid(c);
      return y.system;
    case 0xa3: case 0xab: case 0xb3: case 0xbb: return bitMem(c, (b >> 3) & 3);
    case 0xba: {
      modrm(c);
      if (c.reg < 4) ud(c);
      const bits = c.opSize32 ? 32 : 16;
      const v = getEv(c);
      const n = c.fetch8() & (bits - 1);
      const nv = bitOp(c, c.reg - 4, v, n);
      if (c.reg !== 4) setEv(c, nv);
      return y.alu * 3;
    }
    case 0xa4: case 0xa5: case 0xac: case 0xad: {
      modrm(c);
      const d = getEv(c);
      const n = (b & 1) === 0 ? c.fetch8() : c.r8[4];
      setEv(c, shiftDouble(c, b < 0xa8, c.opSize32 ? 32 : 16, d, getGv(c), n));
      return y.shift;
    }
    case 0xaf: modrm(c); setGv(c, imm2(c, getGv(c), getEv(c))); return y.mul;
    case 0xb0: { // CMPXCHG Eb,Gb
      modrm(c);
      const d = getE8(c);
      alu(c, 7, 8, c.r8[0], d);
      if (c.r8[0] === d) setE8(c, c.r8[R8_INDEX[c.reg]]);
      else { setE8(c, d); c.r8[0] = d; } // the 486 writes the destination back in both cases
      return y.aluMem * 3;
    }
    case 0xb1: {
      modrm(c);
      const bits = c.opSize32 ? 32 : 16;
      const d = getEv(c);
      const acc = c.opSize32 ? r[0] : c.r16[0];
      alu(c, 7, bits, acc, d);
      if (((acc ^ d) & (bits === 32 ? -1 : 0xffff)) === 0) setEv(c, getGv(c));
      else { setEv(c, d); if (c.opSize32) r[0] = d; else c.r16[0] = d; }
      return y.aluMem * 3;
    }
    case 0xb6: modrm(c); setGv(c, getE8(c)); return y.mov * 3;
    case 0xb7: modrm(c); setGv(c, getE16(c)); return y.mov * 3;
    case 0xbe: modrm(c); setGv(c, (getE8(c) << 24) >> 24); return y.mov * 3;
    case 0xbf: modrm(c); setGv(c, (getE16(c) << 16) >> 16); return y.mov * 3;
    case 0xbc: case 0xbd: {
      modrm(c);
      const res = bitScan(c, b === 0xbd, getEv(c), c.opSize32 ? 32 : 16);
      if (res >= 0) setGv(c, res);
      return y.bitscan;
    }
    case 0xc0: { // XADD Eb,Gb
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
    case 0xc1: {
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
    case 0xc7: { // group 9: CMPXCHG8B
      if (!g.cmpxchg8b) return ud(c);
      modrm(c);
      if (c.reg !== 1) ud(c);
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
    case 0xc8: case 0xc9: case 0xca: case 0xcb: case 0xcc: case 0xcd: case 0xce: case 0xcf: {
      const i = b & 7;
      const v = r[i];
      // BSWAP with a 16-bit operand is undefined; the 486 clears the low word (documented estimate).
      r[i] = c.opSize32 ? ((v >>> 24) | ((v >> 8) & 0xff00) | ((v << 8) & 0xff0000) | (v << 24)) : v & 0xffff0000;
      return y.alu;
    }
    default:
      return ud(c);
  }
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

