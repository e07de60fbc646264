// Seeded generator of random i486 instruction streams (machine code) for differential testing against QEMU.
//
// A vector is: initial EAX..EDI (not ESP) and EFLAGS, a seed for the 4 KiB data page the runner fills
// (random.c, xorshift32), and code bytes. Every memory operand is set up by the stream itself (the
// base/index registers are loaded just before with values that make the effective address land in
// the data page, often through 32-bit wraparound), so any register contents are fine.
//
// The generator tracks which arithmetic flags are undefined (Intel SDM vol. 2 per instruction, "Flags
// Affected"): before an instruction that reads a flag currently undefined (ADC, Jcc, SETcc, PUSHF,
// LAHF, DAA...) it emits a flag-defining instruction, so undefined values never reach registers or
// memory. `undef` is the set still undefined at the end; `undefAny` the union over every instruction
// boundary (used when the stream ends in an exception part way).
//
// Usage as a program: node generate.mjs [SEED] [COUNT]  prints vectors as JSON with disassembly-free text.

import { fileURLToPath } from 'node:url';

export const PAGE = 0x8000; // data page (guests/tests/random/rv.h)
export const PAGE_SIZE = 4096;
export const STACK = 0x8800; // initial ESP
export const CF = 0x001, PF = 0x004, AF = 0x010, ZF = 0x040, SF = 0x080, OF = 0x800;
export const ARITH = CF | PF | AF | ZF | SF | OF;
const DF = 0x400;
const EAX = 0, ECX = 1, EDX = 2, EBX = 3, ESP = 4, EBP = 5, ESI = 6, EDI = 7;
/** Registers a 16/32-bit instruction may write (never ESP). */
const WREGS = [EAX, ECX, EDX, EBX, EBP, ESI, EDI];
/** Flags each condition code reads (cc 0..15: O NO B AE E NE BE A S NS P NP L GE LE G). */
const CC_READS = [OF, OF, CF, CF, ZF, ZF, CF | ZF, CF | ZF, SF, SF, PF, PF, SF | OF, SF | OF, ZF | SF | OF, ZF | SF | OF];
/** Segment override prefixes that are safe for reads and writes (ES, SS, DS, FS, GS: all flat data). */
const SEGS = [0x26, 0x36, 0x3e, 0x64, 0x65];

/** Small fast PRNG (xorshift128+ style on 32-bit lanes, seeded with splitmix32). */
export class Rng {
  constructor(seed) {
    let s = seed >>> 0;
    const next = () => {
      s = (s + 0x9e3779b9) >>> 0;
      let z = s;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.a = next() | 1; this.b = next(); this.c = next(); this.d = next();
  }
  /** Uniform u32 (xoshiro128**). */
  u32() {
    const r = Math.imul(rotl(Math.imul(this.b, 5) >>> 0, 7), 9) >>> 0;
    const t = (this.b << 9) >>> 0;
    this.c ^= this.a; this.d ^= this.b; this.b ^= this.c; this.a ^= this.d;
    this.c = (this.c ^ t) >>> 0;
    this.d = rotl(this.d >>> 0, 11);
    this.a >>>= 0; this.b >>>= 0; this.c >>>= 0;
    return r;
  }
  /** Integer in [lo, hi]. */
  int(lo, hi) { return lo + Math.floor((this.u32() / 4294967296) * (hi - lo + 1)); }
  pick(list) { return list[this.int(0, list.length - 1)]; }
  chance(p) { return this.u32() / 4294967296 < p; }
  /** A value of `bits` bits biased towards boundary cases (0, 1, -1, sign boundaries, small). */
  value(bits) {
    const mask = bits === 32 ? 0xffffffff : (1 << bits) - 1;
    const k = this.int(0, 15);
    let v;
    if (k === 0) v = 0;
    else if (k === 1) v = 1;
    else if (k === 2) v = mask;
    else if (k === 3) v = 2 ** (bits - 1);
    else if (k === 4) v = 2 ** (bits - 1) - 1;
    else if (k === 5) v = this.int(0, 15);
    else if (k === 6) v = mask - this.int(0, 15);
    else v = this.u32();
    return (v & mask) >>> 0;
  }
}

function rotl(x, k) { return ((x << k) | (x >>> (32 - k))) >>> 0; }
const le = (v, n) => Array.from({ length: n }, (_, i) => (v >>> (8 * i)) & 0xff);
const imm = (v, bits) => le(v >>> 0, bits / 8);

/** One stream under construction: code bytes plus what the generator knows about the machine state. */
class Stream {
  constructor(rng, parent) {
    this.rng = rng;
    this.bytes = [];
    this.undef = parent ? parent.undef : 0; // arithmetic flags currently undefined
    this.undefAny = this.undef;
    this.esp = parent ? parent.esp : STACK;
    this.nested = !!parent; // inside a skipped region: no net stack change allowed
  }

  /** Append one instruction; `reads` flags must be defined (a definer is emitted first if not). */
  emit(bytes, { reads = 0, writes = 0, undef = 0, esp = 0 } = {}) {
    if (reads & this.undef) this.defineFlags();
    for (const b of bytes) this.bytes.push(b & 0xff);
    this.undef = (this.undef & ~(writes | undef)) | undef;
    this.undefAny |= this.undef | undef;
    this.esp += esp;
  }

  /** Make every arithmetic flag defined: CMP r,r / r,imm, or PUSH imm + POPF (random flags). */
  defineFlags() {
    const r = this.rng;
    const k = r.int(0, 2);
    if (k === 0) this.emit([0x39, 0xc0 | (r.int(0, 7) << 3) | r.int(0, 7)], { writes: ARITH });
    else if (k === 1) this.emit([0x81, 0xf8 | r.int(0, 7), ...imm(r.value(32), 32)], { writes: ARITH });
    else {
      const v = (r.u32() & (ARITH | DF)) | 2;
      this.emit([0x68, ...imm(v, 32)], { esp: -4 });
      this.emit([0x9d], { writes: ARITH, esp: 4 });
    }
  }

  /** MOV r32, imm32 (setup; no flags). */
  movImm(reg, v) { this.emit([0xb8 + reg, ...imm(v >>> 0, 32)]); }

  /** Random prefix bytes in random order. */
  prefixes({ o16 = false, a16 = false, seg = false, lock = false } = {}) {
    const p = [];
    if (o16) p.push(0x66);
    if (a16) p.push(0x67);
    if (seg) p.push(this.rng.pick(SEGS));
    if (lock) p.push(0xf0);
    for (let i = p.length - 1; i > 0; i--) { const j = this.rng.int(0, i); [p[i], p[j]] = [p[j], p[i]]; }
    return p;
  }

  /**
   * A memory operand of `size` bytes in the data page, with `room` bytes of margin either side.
   * Emits the setup of its base/index registers (never those in `avoid`) and returns
   * { a16, addr, modrm(regField) -> bytes }.
   */
  mem(size, { avoid = [], room = 0, noEsp = false } = {}) {
    const r = this.rng;
    const addr = PAGE + r.int(room, PAGE_SIZE - size - room);
    const free = WREGS.filter((x) => !avoid.includes(x));
    if (r.chance(0.2)) return this.mem16(addr, avoid);
    const kind = r.int(0, 5);
    if (kind === 0 || free.length === 0) return { a16: false, addr, modrm: (g) => [(g << 3) | 5, ...imm(addr, 32)] };
    if (kind === 1) {
      const b = r.pick(free);
      const mod = b === EBP ? r.int(1, 2) : r.int(0, 2);
      const d = mod === 0 ? 0 : mod === 1 ? r.int(-128, 127) : r.u32() | 0;
      this.movImm(b, addr - d);
      const disp = mod === 0 ? [] : mod === 1 ? [d & 0xff] : imm(d, 32);
      return { a16: false, addr, modrm: (g) => [(mod << 6) | (g << 3) | b, ...disp] };
    }
    if (kind === 2 || kind === 3) {
      // SIB: base + index * scale + disp, wrapping modulo 2^32.
      const ss = r.int(0, 3);
      const idxList = free.filter((x) => x !== ESP);
      const i = r.chance(0.15) ? 4 : r.pick(idxList); // 4 = no index
      const b = r.pick(free);
      const X = i === 4 ? 0 : r.value(32);
      if (i !== 4) this.movImm(i, X);
      let mod, d;
      if (b === i) { mod = 2; d = (addr - X * (1 << ss) - X) | 0; }
      else if (b === EBP || r.chance(0.5)) {
        mod = r.int(1, 2);
        d = mod === 1 ? r.int(-128, 127) : r.u32() | 0;
      } else { mod = 0; d = 0; }
      if (b !== i) this.movImm(b, addr - X * (1 << ss) - d);
      const disp = mod === 0 ? [] : mod === 1 ? [d & 0xff] : imm(d, 32);
      return { a16: false, addr, modrm: (g) => [(mod << 6) | (g << 3) | 4, (ss << 6) | (i << 3) | b, ...disp] };
    }
    if (kind === 4) {
      // SIB without base: [index * scale + disp32].
      const ss = r.int(0, 3);
      const i = r.pick(free);
      const X = r.value(32);
      this.movImm(i, X);
      const d = (addr - X * (1 << ss)) >>> 0;
      return { a16: false, addr, modrm: (g) => [(g << 3) | 4, (ss << 6) | (i << 3) | 5, ...imm(d, 32)] };
    }
    // ESP-based: [esp + disp] (the generator knows ESP).
    if (noEsp) return { a16: false, addr, modrm: (g) => [(g << 3) | 5, ...imm(addr, 32)] };
    const d = (addr - this.esp) | 0;
    const short = d >= -128 && d <= 127;
    return { a16: false, addr, modrm: (g) => [((short ? 1 : 2) << 6) | (g << 3) | 4, 0x24, ...(short ? [d & 0xff] : imm(d, 32))] };
  }

  /** 16-bit addressing (0x67): [bx+si], [bp+di], [disp16]... with random high halves in the registers. */
  mem16(addr, avoid) {
    const r = this.rng;
    const EA = [[EBX, ESI], [EBX, EDI], [EBP, ESI], [EBP, EDI], [ESI], [EDI], [EBP], [EBX]];
    const choices = [];
    for (let rm = 0; rm < 8; rm++) if (!EA[rm].some((x) => avoid.includes(x))) choices.push(rm);
    if (choices.length === 0 || r.chance(0.15)) return { a16: true, addr, modrm: (g) => [(g << 3) | 6, ...imm(addr, 16)] };
    const rm = r.pick(choices);
    const mod = rm === 6 ? r.int(1, 2) : r.int(0, 2);
    const d = mod === 0 ? 0 : mod === 1 ? r.int(-128, 127) : r.int(0, 0xffff);
    const regs = EA[rm];
    let rest = (addr - d) & 0xffff;
    if (regs.length === 2) {
      const v0 = r.int(0, 0xffff);
      this.movImm(regs[0], (r.u32() & 0xffff0000) | v0);
      rest = (rest - v0) & 0xffff;
    }
    this.movImm(regs[regs.length - 1], (r.u32() & 0xffff0000) | rest);
    const disp = mod === 0 ? [] : mod === 1 ? [d & 0xff] : imm(d, 16);
    return { a16: true, addr, modrm: (g) => [(mod << 6) | (g << 3) | rm, ...disp] };
  }

  /** Room for `n` more bytes pushed or popped on the stack without leaving the page. */
  stackRoom(n) { return !this.nested && this.esp - n >= PAGE + 256 && this.esp + n <= PAGE + PAGE_SIZE - 256; }
}

const sizes = (r, with8 = true) => (with8 ? r.pick([8, 16, 32, 32]) : r.pick([16, 32, 32]));
const w = (size) => (size === 8 ? 0 : 1);
const mask = (size) => (size === 32 ? 0xffffffff : (1 << size) - 1);

/** Register-or-memory operand for an instruction writing it (`write`) of `size` bits. */
function rm(g, size, { write = true, avoid = [], room = 0, noEsp = false, memP = 0.4 } = {}) {
  const r = g.rng;
  if (r.chance(memP)) {
    const m = g.mem(size / 8, { avoid, room, noEsp });
    return { mem: true, a16: m.a16, modrm: m.modrm, seg: r.chance(0.2), reg: -1 };
  }
  const list = size === 8 ? [0, 1, 2, 3, 4, 5, 6, 7] : write ? WREGS : [0, 1, 2, 3, 4, 5, 6, 7];
  const reg = r.pick(list.filter((x) => !avoid.includes(x) || size === 8));
  return { mem: false, a16: false, modrm: (gf) => [0xc0 | (gf << 3) | reg], seg: false, reg };
}

/** Encode prefixes + opcode bytes + ModRM(/SIB/disp) + trailing bytes for an rm operand. */
function enc(g, size, op, opnd, regField, tail = [], { lock = false, o16 } = {}) {
  return [...g.prefixes({ o16: o16 ?? size === 16, a16: opnd.a16, seg: opnd.seg, lock: lock && opnd.mem && g.rng.chance(0.3) }), ...op, ...opnd.modrm(regField), ...tail];
}

// ---- Instruction templates: each emits one instruction (plus its setup) into the stream. ----

const ALU_FLAGS = [
  { writes: ARITH }, { writes: ARITH & ~AF, undef: AF }, { reads: CF, writes: ARITH }, { reads: CF, writes: ARITH },
  { writes: ARITH & ~AF, undef: AF }, { writes: ARITH }, { writes: ARITH & ~AF, undef: AF }, { writes: ARITH },
];

function alu(g) {
  const r = g.rng;
  const op = r.int(0, 7);
  const size = sizes(r);
  const fl = ALU_FLAGS[op];
  const form = r.int(0, 3);
  if (form === 0) {
    // r/m, reg or reg, r/m
    const dir = r.int(0, 1);
    const opnd = rm(g, size, { write: op !== 7 && dir === 0 });
    const regs = size === 8 || op === 7 || dir === 0 ? [0, 1, 2, 3, 4, 5, 6, 7] : WREGS;
    g.emit(enc(g, size, [op * 8 + w(size) + dir * 2], opnd, r.pick(regs), [], { lock: op !== 7 && dir === 0 }), fl);
  } else if (form === 1) {
    g.emit([...g.prefixes({ o16: size === 16 }), op * 8 + 4 + w(size), ...imm(r.value(size), size)], fl);
  } else {
    const opnd = rm(g, size, { write: op !== 7 });
    if (size === 8) g.emit(enc(g, size, [r.chance(0.1) ? 0x82 : 0x80], opnd, op, [r.value(8)], { lock: op !== 7 }), fl);
    else if (r.chance(0.5)) g.emit(enc(g, size, [0x83], opnd, op, [r.value(8)], { lock: op !== 7 }), fl);
    else g.emit(enc(g, size, [0x81], opnd, op, imm(r.value(size), size), { lock: op !== 7 }), fl);
  }
}

function test(g) {
  const r = g.rng;
  const size = sizes(r);
  const fl = { writes: ARITH & ~AF, undef: AF };
  const k = r.int(0, 2);
  if (k === 0) g.emit(enc(g, size, [0x84 + w(size)], rm(g, size, { write: false }), r.int(0, 7)), fl);
  else if (k === 1) g.emit([...g.prefixes({ o16: size === 16 }), 0xa8 + w(size), ...imm(r.value(size), size)], fl);
  else g.emit(enc(g, size, [0xf6 + w(size)], rm(g, size, { write: false }), 0, imm(r.value(size), size)), fl);
}

function incDec(g) {
  const r = g.rng;
  const size = sizes(r);
  const dec = r.int(0, 1);
  const fl = { writes: ARITH & ~CF };
  if (size !== 8 && r.chance(0.4)) g.emit([...g.prefixes({ o16: size === 16 }), 0x40 + dec * 8 + r.pick(WREGS)], fl);
  else g.emit(enc(g, size, [0xfe + w(size)], rm(g, size), dec, [], { lock: true }), fl);
}

function notNeg(g) {
  const r = g.rng;
  const size = sizes(r);
  const neg = r.int(0, 1);
  g.emit(enc(g, size, [0xf6 + w(size)], rm(g, size), 2 + neg, [], { lock: true }), neg ? { writes: ARITH } : {});
}

/** Effective shift count and the flags SHL/SHR/SAR/ROL/ROR/RCL/RCR define (Intel SDM vol. 2 SAL/SAR/SHL/SHR, RCL/RCR/ROL/ROR). */
function shiftFlags(op, count, size) {
  const c = count & 31;
  if (c === 0) return { reads: op === 2 || op === 3 ? 0 : 0 };
  const ofDef = c === 1;
  if (op <= 1) return { writes: CF | (ofDef ? OF : 0), undef: ofDef ? 0 : OF };
  if (op <= 3) return { reads: CF, writes: CF | (ofDef ? OF : 0), undef: ofDef ? 0 : OF };
  const cfUndef = (op === 4 || op === 5) && c >= size;
  return { writes: SF | ZF | PF | (cfUndef ? 0 : CF) | (ofDef ? OF : 0), undef: AF | (ofDef ? 0 : OF) | (cfUndef ? CF : 0) };
}

function shiftCount(r, size) {
  return r.pick([0, 1, 1, 2, size - 1, size, size + 1, 31, 32, 33, r.int(0, 31), r.int(0, 31), r.int(0, 255)]);
}

function shift(g) {
  const r = g.rng;
  const size = sizes(r);
  const op = r.pick([0, 1, 2, 3, 4, 5, 7]);
  const k = r.int(0, 2);
  if (k === 0) {
    g.emit(enc(g, size, [0xd0 + w(size)], rm(g, size), op), shiftFlags(op, 1, size));
  } else if (k === 1) {
    const c = shiftCount(r, size);
    g.emit(enc(g, size, [0xc0 + w(size)], rm(g, size), op, [c]), shiftFlags(op, c, size));
  } else {
    const opnd = rm(g, size, { avoid: [ECX] });
    const c = shiftCount(r, size);
    g.emit([0xb1, c]); // mov cl, count
    g.emit(enc(g, size, [0xd2 + w(size)], opnd, op), shiftFlags(op, c, size));
  }
}

function shxd(g) {
  const r = g.rng;
  const size = r.pick([16, 32]);
  const right = r.int(0, 1);
  const c = size === 16 ? r.pick([0, 1, 2, 8, 15, 16, r.int(0, 16), 32 + r.int(0, 16)]) : r.pick([0, 1, 2, 16, 31, 32, r.int(0, 31), r.int(0, 255)]);
  const c5 = c & 31;
  const fl = c5 === 0 ? {} : { writes: CF | SF | ZF | PF | (c5 === 1 ? OF : 0), undef: AF | (c5 === 1 ? 0 : OF) };
  if (r.chance(0.5)) g.emit(enc(g, size, [0x0f, 0xa4 + right * 8], rm(g, size), r.int(0, 7), [c]), fl);
  else {
    const opnd = rm(g, size, { avoid: [ECX] });
    g.emit([0xb1, c]);
    g.emit(enc(g, size, [0x0f, 0xa5 + right * 8], opnd, r.int(0, 7)), fl);
  }
}

function bitTest(g) {
  const r = g.rng;
  const size = r.pick([16, 32]);
  const op = r.int(0, 3); // bt bts btr btc
  const fl = { writes: CF, undef: OF | SF | AF | PF };
  if (r.chance(0.4)) {
    g.emit(enc(g, size, [0x0f, 0xba], rm(g, size, { write: op !== 0, room: 0 }), 4 + op, [r.int(0, 255)]), fl);
    return;
  }
  if (r.chance(0.5)) {
    // Memory operand with a register bit offset: the offset is signed and addresses beyond the
    // operand (SDM BT), so keep it within +-64 bytes and set it before the address registers.
    const off = r.pick(WREGS);
    const k = r.int(-512, 511);
    g.movImm(off, size === 16 ? (r.u32() & 0xffff0000) | (k & 0xffff) : k);
    const m = g.mem(size / 8, { avoid: [off], room: 72 });
    g.emit(enc(g, size, [0x0f, 0xa3 + op * 8], { ...m, mem: true, seg: r.chance(0.2) }, off, [], { lock: op !== 0 }), fl);
    return;
  }
  const opnd = rm(g, size, { write: op !== 0, memP: 0 });
  g.emit(enc(g, size, [0x0f, 0xa3 + op * 8], opnd, r.int(0, 7)), fl);
}

function bitScan(g) {
  const r = g.rng;
  const size = r.pick([16, 32]);
  const rev = r.int(0, 1);
  const dst = r.pick(WREGS);
  const fl = { writes: ZF, undef: CF | OF | SF | AF | PF };
  const nz = () => { let v; do v = r.value(size); while (v === 0); return v; };
  if (r.chance(0.5)) {
    const src = r.int(0, 7) === 4 ? EAX : r.pick(WREGS);
    g.movImm(src, size === 16 ? (r.u32() & 0xffff0000) | nz() : nz());
    g.emit([...g.prefixes({ o16: size === 16 }), 0x0f, 0xbc + rev, 0xc0 | (dst << 3) | src], fl);
  } else {
    const m = g.mem(size / 8);
    const opnd = { ...m, mem: true, seg: false };
    g.emit(enc(g, size, [0xc7], opnd, 0, imm(nz(), size))); // mov [m], nonzero
    g.emit(enc(g, size, [0x0f, 0xbc + rev], opnd, dst), fl);
  }
}

function mulDiv(g) {
  const r = g.rng;
  const size = sizes(r);
  const k = r.int(0, 5);
  if (k <= 1) {
    // MUL / IMUL one operand: CF, OF defined; SF ZF AF PF undefined.
    g.emit(enc(g, size, [0xf6 + w(size)], rm(g, size, { write: false }), 4 + k), { writes: CF | OF, undef: SF | ZF | AF | PF });
    return;
  }
  if (k === 2) {
    // IMUL r, r/m (0F AF) / IMUL r, r/m, imm (69, 6B): 16/32 only.
    const sz = size === 8 ? 32 : size;
    const fl = { writes: CF | OF, undef: SF | ZF | AF | PF };
    const opnd = rm(g, sz, { write: false });
    const dst = r.pick(WREGS);
    const f = r.int(0, 2);
    if (f === 0) g.emit(enc(g, sz, [0x0f, 0xaf], opnd, dst), fl);
    else if (f === 1) g.emit(enc(g, sz, [0x6b], opnd, dst, [r.value(8)]), fl);
    else g.emit(enc(g, sz, [0x69], opnd, dst, imm(r.value(sz), sz)), fl);
    return;
  }
  // DIV / IDIV: all flags undefined; mostly with operands that cannot fault.
  const signed = k >= 4;
  const fl = { undef: ARITH };
  const divisorRegs = size === 8 ? [ECX, EDX, EBX, 5, 6, 7] : [ECX, EBX, EBP, ESI, EDI]; // CL DL BL CH DH BH
  const wild = r.chance(0.08);
  let D, hi, lo;
  if (!wild) ({ D, hi, lo } = divOperands(r, size, signed));
  let opnd;
  if (r.chance(0.4)) {
    const m = g.mem(size / 8, { avoid: [EAX, EDX] });
    opnd = { ...m, mem: true, seg: r.chance(0.2) };
    if (!wild) g.emit(enc(g, size, [0xc6 + w(size)], { ...opnd, seg: false }, 0, imm(D, size)));
  } else {
    const reg = r.pick(divisorRegs);
    opnd = { mem: false, a16: false, seg: false, modrm: (gf) => [0xc0 | (gf << 3) | reg] };
    if (!wild) {
      if (size === 8) g.emit([0xb0 + reg, D]); // mov r8, imm8
      else g.movImm(reg, size === 16 ? (r.u32() & 0xffff0000) | D : D);
    }
  }
  if (!wild) {
    if (size === 8) g.movImm(EAX, (r.u32() & 0xffff0000) | (hi << 8) | lo);
    else if (size === 16) { g.movImm(EDX, (r.u32() & 0xffff0000) | hi); g.movImm(EAX, (r.u32() & 0xffff0000) | lo); }
    else { g.movImm(EDX, hi); g.movImm(EAX, lo); }
  }
  g.emit(enc(g, size, [0xf6 + w(size)], opnd, 6 + (signed ? 1 : 0)), fl);
}

/** Divisor and dividend (hi:lo halves) of `size` bits whose quotient fits (no #DE). */
function divOperands(r, size, signed) {
  const S = BigInt(size);
  const full = 1n << S;
  for (;;) {
    let D = BigInt(r.value(size));
    if (D === 0n) continue;
    let n;
    if (!signed) {
      const q = BigInt(r.value(size));
      n = q * D + BigInt(r.u32()) % D;
      if (n >= full * full) continue;
    } else {
      const sD = D >= full / 2n ? D - full : D;
      let q = BigInt(r.value(size));
      if (q >= full / 2n) q -= full;
      if (q === -(full / 2n)) continue; // the most negative quotient: excluded (not every model accepts it)
      const p = q * sD;
      const absD = sD < 0n ? -sD : sD;
      const rem = BigInt(r.u32()) % absD;
      n = p < 0n ? p - rem : p + rem;
      const lim = full * full / 2n;
      if (n >= lim || n < -lim) continue;
      if (n < 0n) n += full * full;
    }
    return { D: Number(D), hi: Number(n >> S), lo: Number(n & (full - 1n)) };
  }
}

function xchgFamily(g) {
  const r = g.rng;
  const size = sizes(r);
  const k = r.int(0, 4);
  if (k === 0) g.emit(enc(g, size, [0x86 + w(size)], rm(g, size), size === 8 ? r.int(0, 7) : r.pick(WREGS), [], { lock: true }));
  else if (k === 1 && size !== 8) g.emit([...g.prefixes({ o16: size === 16 }), 0x90 + r.pick(WREGS)]);
  else if (k === 2 || k === 1) g.emit(enc(g, size, [0x0f, 0xc0 + w(size)], rm(g, size), size === 8 ? r.int(0, 7) : r.pick(WREGS), [], { lock: true }), { writes: ARITH });
  else if (k === 3) g.emit(enc(g, size, [0x0f, 0xb0 + w(size)], rm(g, size), r.int(0, 7), [], { lock: true }), { writes: ARITH });
  else g.emit([0x0f, 0xc8 + r.pick(WREGS)]); // BSWAP r32
}

function mov(g) {
  const r = g.rng;
  const size = sizes(r);
  const k = r.int(0, 5);
  if (k === 0) g.emit(enc(g, size, [0x88 + w(size)], rm(g, size), r.int(0, 7)));
  else if (k === 1) g.emit(enc(g, size, [0x8a + w(size)], rm(g, size, { write: false }), size === 8 ? r.int(0, 7) : r.pick(WREGS)));
  else if (k === 2) {
    if (size === 8) g.emit([0xb0 + r.int(0, 7), r.value(8)]);
    else g.emit([...g.prefixes({ o16: size === 16 }), 0xb8 + r.pick(WREGS), ...imm(r.value(size), size)]);
  } else if (k === 3) g.emit(enc(g, size, [0xc6 + w(size)], rm(g, size), 0, imm(r.value(size), size)));
  else if (k === 4) {
    // MOV AL/AX/EAX <-> moffs (A0-A3), 32- or 16-bit address.
    const a16 = r.chance(0.3);
    const addr = PAGE + r.int(0, PAGE_SIZE - 4);
    const store = r.int(0, 1);
    g.emit([...g.prefixes({ o16: size === 16, a16, seg: r.chance(0.2) }), 0xa0 + store * 2 + w(size), ...imm(addr, a16 ? 16 : 32)]);
  } else {
    // MOVZX / MOVSX
    const src = r.pick([8, 16]);
    const dsz = src === 8 ? r.pick([16, 32]) : 32;
    const sx = r.int(0, 1);
    g.emit(enc(g, src, [0x0f, 0xb6 + sx * 8 + (src === 16 ? 1 : 0)], rm(g, src, { write: false }), r.pick(WREGS), [], { o16: dsz === 16 }));
  }
}

function lea(g) {
  const r = g.rng;
  const a16 = r.chance(0.3);
  const o16 = r.chance(0.3);
  const dst = r.pick(WREGS);
  // Any addressing form with whatever the registers hold: LEA only computes the address.
  let mod = r.int(0, 2), rmf = r.int(0, 7);
  const bytes = [...g.prefixes({ o16, a16 }), 0x8d, (mod << 6) | (dst << 3) | rmf];
  if (!a16) {
    if (rmf === 4) { const sib = r.int(0, 255); bytes.push(sib); if (mod === 0 && (sib & 7) === 5) bytes.push(...imm(r.u32(), 32)); }
    if (mod === 0 && rmf === 5) bytes.push(...imm(r.u32(), 32));
    if (mod === 1) bytes.push(r.int(0, 255));
    if (mod === 2) bytes.push(...imm(r.u32(), 32));
  } else {
    if (mod === 0 && rmf === 6) bytes.push(...imm(r.u32(), 16));
    if (mod === 1) bytes.push(r.int(0, 255));
    if (mod === 2) bytes.push(...imm(r.u32(), 16));
  }
  g.emit(bytes);
}

function flagOps(g) {
  const r = g.rng;
  const k = r.int(0, 6);
  if (k === 0) g.emit([0xf8], { writes: CF }); // CLC
  else if (k === 1) g.emit([0xf9], { writes: CF }); // STC
  else if (k === 2) g.emit([0xf5], { reads: CF, writes: CF }); // CMC
  else if (k === 3) g.emit([r.pick([0xfc, 0xfd])]); // CLD/STD
  else if (k === 4) g.emit([0x9f], { reads: SF | ZF | AF | PF | CF }); // LAHF
  else if (k === 5) g.emit([0x9e], { writes: SF | ZF | AF | PF | CF }); // SAHF
  else {
    const cc = r.int(0, 15);
    g.emit(enc(g, 8, [0x0f, 0x90 + cc], rm(g, 8), 0), { reads: CC_READS[cc] }); // SETcc
  }
}

function convert(g) {
  const r = g.rng;
  const o16 = r.chance(0.5);
  g.emit([...(o16 ? [0x66] : []), r.pick([0x98, 0x99])]); // CBW/CWDE, CWD/CDQ
}

function bcd(g) {
  const r = g.rng;
  const k = r.int(0, 5);
  if (k === 0 || k === 1) g.emit([k ? 0x2f : 0x27], { reads: AF | CF, writes: CF | AF | SF | ZF | PF, undef: OF }); // DAA/DAS
  else if (k === 2 || k === 3) g.emit([k === 3 ? 0x3f : 0x37], { reads: AF | CF, writes: AF | CF, undef: OF | SF | ZF | PF }); // AAA/AAS
  else if (k === 4) g.emit([0xd4, r.chance(0.03) ? 0 : r.pick([10, 10, 16, r.int(1, 255)])], { writes: SF | ZF | PF, undef: OF | AF | CF }); // AAM
  else g.emit([0xd5, r.pick([10, 10, 16, r.int(0, 255)])], { writes: SF | ZF | PF, undef: OF | AF | CF }); // AAD
}

function stack(g) {
  const r = g.rng;
  if (!g.stackRoom(64)) { if (g.esp < STACK) g.emit([0x58 + r.pick(WREGS)], { esp: 4 }); else g.emit([0x50 + r.int(0, 7)], { esp: -4 }); return; }
  const o16 = r.chance(0.25);
  const n = o16 ? 2 : 4;
  const k = r.int(0, 9);
  if (k === 0) g.emit([...(o16 ? [0x66] : []), 0x50 + r.int(0, 7)], { esp: -n }); // PUSH r (incl. ESP: value before the push)
  else if (k === 1) g.emit([...(o16 ? [0x66] : []), 0x58 + r.pick(WREGS)], { esp: n });
  else if (k === 2) g.emit([...(o16 ? [0x66] : []), 0x6a, r.value(8)], { esp: -n });
  else if (k === 3) g.emit([...(o16 ? [0x66] : []), 0x68, ...imm(r.value(o16 ? 16 : 32), o16 ? 16 : 32)], { esp: -n });
  else if (k === 4) g.emit(enc(g, o16 ? 16 : 32, [0xff], { ...memOpnd(g, n), seg: r.chance(0.2) }, 6), { esp: -n }); // PUSH m
  else if (k === 5) g.emit(enc(g, o16 ? 16 : 32, [0x8f], { ...memOpnd(g, n, true), seg: r.chance(0.2) }, 0), { esp: n }); // POP m
  else if (k === 6) {
    const popa = r.int(0, 1);
    g.emit([...(o16 ? [0x66] : []), 0x60 + popa], { esp: (popa ? 8 : -8) * n }); // PUSHA/POPA
  }
  else if (k === 7) g.emit([...(o16 ? [0x66] : []), 0x9c], { reads: ARITH, esp: -n }); // PUSHF
  else if (k === 8) {
    // POPF of a known value: PUSH imm; POPF. Arithmetic flags and DF, sometimes NT, IOPL, AC
    // (writable at CPL 0 on a 486) or TF (single-step trap after the next instruction); never IF.
    const sys = r.chance(0.3) ? r.u32() & (0x4000 | 0x3000 | 0x40000) : 0;
    const v = (r.u32() & (ARITH | DF)) | 2 | sys | (r.chance(0.03) ? 0x100 : 0);
    g.emit([...(o16 ? [0x66] : []), 0x68, ...imm(v, o16 ? 16 : 32)], { esp: -n });
    g.emit([...(o16 ? [0x66] : []), 0x9d], { writes: ARITH, esp: n });
  } else {
    // ENTER size, level ... LEAVE with EBP in the page (level > 0 copies frame pointers from [EBP-n*i]).
    g.movImm(EBP, PAGE + r.int(128, PAGE_SIZE - 128));
    g.emit([...(o16 ? [0x66] : []), 0xc8, ...imm(r.int(0, 64), 16), r.int(0, 4)]);
    g.emit([...(o16 ? [0x66] : []), 0xc9]);
  }
}

/** PUSH/POP of segment registers: 16-bit pushes (a 32-bit push of a segment register may write 2 or 4 bytes, model-specific), 16- or 32-bit pops of a known selector. */
function segStack(g) {
  const r = g.rng;
  if (!g.stackRoom(16)) return alu(g);
  const push = [[0x06], [0x0e], [0x16], [0x1e], [0x0f, 0xa0], [0x0f, 0xa8]];
  const pop = [[0x07], [0x1f], [0x0f, 0xa1], [0x0f, 0xa9]];
  if (r.chance(0.5)) g.emit([0x66, ...r.pick(push)], { esp: -2 });
  else {
    const o16 = r.chance(0.5);
    const n = o16 ? 2 : 4;
    g.emit([...(o16 ? [0x66] : []), 0x6a, r.chance(0.03) ? BAD_SELECTOR : r.pick(DATA_SELECTORS)], { esp: -n });
    g.emit([...(o16 ? [0x66] : []), ...r.pick(pop)], { esp: n });
  }
}

/** A memory operand for PUSH/POP m (no ESP-relative form for POP: its address uses the incremented ESP). */
function memOpnd(g, n, noEsp = false) {
  const m = g.mem(n, { noEsp });
  return { ...m, mem: true };
}

function string(g) {
  const r = g.rng;
  const size = sizes(r);
  const e = size / 8;
  const op = r.pick([0xa4, 0xa6, 0xaa, 0xac, 0xae]); // MOVS CMPS STOS LODS SCAS
  const a16 = r.chance(0.25);
  const rep = r.chance(0.6);
  const n = rep ? r.pick([0, 1, 2, 3, r.int(0, 12)]) : 1;
  const down = r.int(0, 1);
  g.emit([down ? 0xfd : 0xfc]);
  const hiBits = () => (a16 ? r.u32() & 0xffff0000 : 0);
  g.movImm(ESI, hiBits() | (PAGE + r.int(64, PAGE_SIZE - 64)));
  g.movImm(EDI, hiBits() | (PAGE + r.int(64, PAGE_SIZE - 64)));
  if (rep) g.movImm(ECX, (a16 ? r.u32() & 0xffff0000 : 0) | n);
  const cmp = op === 0xa6 || op === 0xae;
  const repByte = cmp ? r.pick([0xf3, 0xf2]) : 0xf3;
  const seg = (op === 0xa4 || op === 0xa6 || op === 0xac) && r.chance(0.3);
  const bytes = [...(rep ? [repByte] : []), ...g.prefixes({ o16: size === 16, a16, seg }), op + w(size)];
  g.emit(bytes, cmp && n > 0 ? { writes: ARITH } : {});
}

function xlat(g) {
  const r = g.rng;
  const a16 = r.chance(0.3);
  g.movImm(EBX, (a16 ? r.u32() & 0xffff0000 : 0) | (PAGE + r.int(0, PAGE_SIZE - 256)));
  g.emit([...g.prefixes({ a16, seg: r.chance(0.3) }), 0xd7]);
}

/** Flat data selectors of the runtime GDT (lib/runtime.c): ring-0 data, and ring-3 data (RPL 3, loadable at CPL 0). */
const DATA_SELECTORS = [0x10, 0x10, 0x10, 0x3b];
/** A selector whose descriptor is empty (GDT entry 9): loading it raises #GP(0x48). */
const BAD_SELECTOR = 0x48;

/** MOV Sreg, r/m16 and MOV r/m16, Sreg (ES, DS, FS, GS; CS and SS only as sources). */
function segMov(g) {
  const r = g.rng;
  const sreg = r.pick([0, 3, 4, 5]);
  const sel = r.chance(0.03) ? BAD_SELECTOR : r.pick(DATA_SELECTORS);
  if (r.chance(0.5)) {
    if (r.chance(0.5)) {
      const reg = r.pick(WREGS);
      g.movImm(reg, (r.u32() & 0xffff0000) | sel);
      g.emit([...(r.chance(0.3) ? [0x66] : []), 0x8e, 0xc0 | (sreg << 3) | reg]);
    } else {
      const m = g.mem(2);
      const opnd = { ...m, mem: true, seg: false };
      g.emit(enc(g, 16, [0xc7], opnd, 0, imm(sel, 16)));
      g.emit(enc(g, 16, [0x8e], opnd, sreg, [], { o16: r.chance(0.3) }));
    }
  } else {
    // Store: to memory (16-bit write whatever the operand size) or to a 16-bit register.
    const src = r.int(0, 5);
    if (r.chance(0.5)) g.emit(enc(g, 16, [0x8c], { ...g.mem(2), mem: true, seg: r.chance(0.2) }, src, [], { o16: r.chance(0.5) }));
    else g.emit([0x66, 0x8c, 0xc0 | (src << 3) | r.pick(WREGS)]);
  }
}

/** BOUND r, m (bounds stored just before; #BR when the index is outside). */
function bound(g) {
  const r = g.rng;
  const size = r.pick([16, 32]);
  const e = size / 8;
  const addr = PAGE + r.int(0, PAGE_SIZE - 2 * e);
  let lo = r.value(size), hi = r.value(size);
  const sx = (v) => (size === 16 ? (v << 16) >> 16 : v | 0);
  if (sx(lo) > sx(hi) && r.chance(0.9)) [lo, hi] = [hi, lo];
  g.emit([...(size === 16 ? [0x66] : []), 0xc7, 0x05, ...imm(addr, 32), ...imm(lo, size)]);
  g.emit([...(size === 16 ? [0x66] : []), 0xc7, 0x05, ...imm(addr + e, 32), ...imm(hi, size)]);
  const reg = r.pick(WREGS);
  if (r.chance(0.9) && sx(lo) <= sx(hi)) g.movImm(reg, (r.u32() & (size === 16 ? 0xffff0000 : 0)) | ((sx(lo) + r.int(0, Math.min(1000, sx(hi) - sx(lo)))) & mask(size)));
  const m = { a16: false, modrm: (gf) => [(gf << 3) | 5, ...imm(addr, 32)], mem: true, seg: false };
  g.emit(enc(g, size, [0x62], m, reg));
}

/** Selectors for the descriptor queries: null, runtime GDT entries (code, data, 16-bit, TSS, ring 3), an empty entry, beyond the GDT limit, random. */
const QUERY_SELECTORS = [0x00, 0x08, 0x10, 0x18, 0x20, 0x28, 0x33, 0x3b, 0x48, 0x1f8, 0x200, 0x0b, 0x13];

/** ARPL, LAR (16-bit), LSL, VERR, VERW, STR, SLDT, SGDT, SIDT: descriptor-table queries that only set ZF or store. */
function descriptorQuery(g) {
  const r = g.rng;
  const sel = r.chance(0.9) ? r.pick(QUERY_SELECTORS) : r.int(0, 0xffff);
  const k = r.int(0, 6);
  const src = r.pick(WREGS);
  const setSel = () => g.movImm(src, (r.u32() & 0xffff0000) | sel);
  if (k === 0) { // ARPL r/m16, r16: ZF
    g.emit(enc(g, 16, [0x63], rm(g, 16, { memP: 0.4 }), r.int(0, 7), [], { o16: false }), { writes: ZF });
  } else if (k === 1) { // LAR r16, r16
    setSel();
    g.emit([0x66, 0x0f, 0x02, 0xc0 | (r.pick(WREGS) << 3) | src], { writes: ZF });
  } else if (k === 2) { // LSL r16/32, r
    setSel();
    g.emit([...(r.chance(0.4) ? [0x66] : []), 0x0f, 0x03, 0xc0 | (r.pick(WREGS) << 3) | src], { writes: ZF });
  } else if (k === 3) { // VERR / VERW r16
    setSel();
    g.emit([0x0f, 0x00, 0xc0 | ((4 + r.int(0, 1)) << 3) | src], { writes: ZF });
  } else if (k === 4) { // STR / SLDT to a register (16-bit) or memory
    const op = r.pick([0, 1]);
    if (r.chance(0.5)) g.emit([0x66, 0x0f, 0x00, 0xc0 | (op << 3) | r.pick(WREGS)]);
    else g.emit(enc(g, 16, [0x0f, 0x00], { ...g.mem(2), mem: true, seg: false }, op, [], { o16: false }));
  } else { // SGDT / SIDT m (32-bit operand size: 32-bit base)
    g.emit(enc(g, 32, [0x0f, 0x01], { ...g.mem(6), mem: true, seg: r.chance(0.2) }, r.int(0, 1)));
  }
}

/** Software interrupts to the runner's exception stubs (INT n without error-code vectors, INT3, INTO): they end the stream. */
function softInt(g) {
  const r = g.rng;
  const k = r.int(0, 3);
  if (k === 0) g.emit([0xcc]);
  else if (k === 1) g.emit([0xce], { reads: OF });
  else g.emit([0xcd, r.pick([0, 1, 2, 3, 4, 5, 6, 7, 9, 15, 16, 18, 19, 20, 31])]);
}

/** Templates usable inside a skipped region (no net stack change, no jumps). */
const INNER = [[alu, 10], [test, 2], [incDec, 3], [notNeg, 2], [shift, 6], [shxd, 2], [bitTest, 2], [bitScan, 2], [mulDiv, 3], [xchgFamily, 3], [mov, 4], [lea, 2], [flagOps, 3], [convert, 1], [bcd, 2], [string, 2], [xlat, 1], [segMov, 1], [bound, 1], [descriptorQuery, 1.5]];

function pickWeighted(r, list) {
  const total = list.reduce((s, [, wt]) => s + wt, 0);
  let x = (r.u32() / 4294967296) * total;
  for (const [f, wt] of list) { if (x < wt) return f; x -= wt; }
  return list[0][0];
}

/** A forward jump (Jcc rel8/rel32, JMP, JECXZ, LOOPcc) over one generated instruction. */
function jump(g) {
  const r = g.rng;
  const inner = new Stream(r, g);
  pickWeighted(r, INNER)(inner);
  const body = inner.bytes;
  const k = body.length > 127 ? 5 : r.int(0, 9);
  let head, reads = 0, taken = 'cond';
  const cc = r.int(0, 15);
  if (k <= 4) { head = [0x70 + cc, body.length]; reads = CC_READS[cc]; }
  else if (k === 5) { head = [0x0f, 0x80 + cc, ...imm(body.length, 32)]; reads = CC_READS[cc]; }
  else if (k === 6) { head = r.chance(0.5) ? [0xeb, body.length] : [0xe9, ...imm(body.length, 32)]; taken = 'always'; }
  else {
    const op = r.pick([0xe0, 0xe1, 0xe2, 0xe3]); // LOOPNE LOOPE LOOP JECXZ
    const a16 = r.chance(0.3);
    if (r.chance(0.5)) g.movImm(ECX, r.pick([0, 1, 2, r.value(32)]));
    head = [...(a16 ? [0x67] : []), op, body.length];
    reads = op <= 0xe1 ? ZF : 0;
  }
  g.emit(head, { reads });
  for (const b of body) g.bytes.push(b);
  if (taken === 'cond') { g.undef |= inner.undef; g.undefAny |= inner.undefAny; }
}

/**
 * CALL to the next instruction, which moves its return address past skipped bytes and returns
 * (RET or RET 0). The skipped bytes are INT3s: listings stay in step, and a wrong return traps.
 */
function callRet(g) {
  const r = g.rng;
  if (!g.stackRoom(16)) return alu(g);
  const junk = new Array(r.int(0, 6)).fill(0xcc);
  const ret = r.chance(0.3) ? [0xc2, 0, 0] : [0xc3];
  g.emit([0xe8, 0, 0, 0, 0], { esp: -4 });
  g.emit([0x83, 0x04, 0x24, 4 + ret.length + junk.length], { writes: ARITH }); // ADD DWORD [ESP], k
  g.emit(ret, { esp: 4 });
  for (const b of junk) g.bytes.push(b);
}

const TOP = [...INNER, [jump, 6], [stack, 6], [callRet, 1], [segStack, 1], [softInt, 0.3]];

/** Generate one vector from `rng`. */
export function generateVector(rng) {
  const g = new Stream(rng);
  const n = rng.int(3, 20);
  for (let i = 0; i < n; i++) pickWeighted(rng, TOP)(g);
  const regs = Array.from({ length: 7 }, () => rng.value(32));
  const eflags = ((rng.u32() & (ARITH | DF)) | 2) >>> 0;
  return { init: [...regs, eflags], seed: rng.u32(), code: Uint8Array.from(g.bytes), undef: g.undef, undefAny: g.undefAny };
}

/** Generate `count` vectors from `seed`. */
export function generate(seed, count) {
  const rng = new Rng(seed);
  return Array.from({ length: count }, () => generateVector(rng));
}

/** The runner's module: "SKRV", count, then each vector (see random.c). */
export function encodeBatch(vectors) {
  const parts = [];
  let size = 8;
  for (const v of vectors) size += 40 + ((v.code.length + 3) & ~3);
  const out = new Uint8Array(size);
  const dv = new DataView(out.buffer);
  dv.setUint32(0, 0x56524b53, true);
  dv.setUint32(4, vectors.length, true);
  let o = 8;
  for (const v of vectors) {
    for (let i = 0; i < 8; i++) dv.setUint32(o + 4 * i, v.init[i] >>> 0, true);
    dv.setUint32(o + 32, v.seed >>> 0, true);
    dv.setUint16(o + 36, v.code.length, true);
    out.set(v.code, o + 40);
    o += 40 + ((v.code.length + 3) & ~3);
  }
  void parts;
  return out;
}

/** Parse one runner output line "V idx vec eip EAX ECX EDX EBX ESP EBP ESI EDI EFLAGS hash". */
export function parseResult(line) {
  const f = line.trim().split(/\s+/);
  if (f[0] !== 'V' || f.length !== 14) return undefined;
  const n = f.slice(1).map((x) => parseInt(x, 16) >>> 0);
  return { index: n[0], vector: n[1], eip: n[2], regs: n.slice(3, 11), eflags: n[11], hash: n[12] };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const seed = Number(process.argv[2] ?? 1) >>> 0;
  const count = Number(process.argv[3] ?? 4);
  console.error(`seed ${seed}`);
  for (const v of generate(seed, count)) console.log(JSON.stringify({ ...v, code: Buffer.from(v.code).toString('hex') }));
}
