/** Disassembler for 16- and 32-bit i486 code, driven by the opcode table (Intel syntax, NASM-like). */

import { OPCODES, type OpcodeRow } from './opcode-table.js';

const R32 = ['eax', 'ecx', 'edx', 'ebx', 'esp', 'ebp', 'esi', 'edi'];
const R16 = ['ax', 'cx', 'dx', 'bx', 'sp', 'bp', 'si', 'di'];
const R8 = ['al', 'cl', 'dl', 'bl', 'ah', 'ch', 'dh', 'bh'];
const SEG = ['es', 'cs', 'ss', 'ds', 'fs', 'gs', '?', '?'];
const EA16 = ['bx+si', 'bx+di', 'bp+si', 'bp+di', 'si', 'di', 'bp', 'bx'];
const SEG_PREFIX: Record<number, string> = { 0x26: 'es', 0x2e: 'cs', 0x36: 'ss', 0x3e: 'ds', 0x64: 'fs', 0x65: 'gs' };

const hex = (v: number, w = 0) => '0x' + (v >>> 0).toString(16).padStart(w, '0');

/** Reader over the byte array; running past the end throws (caught: the instruction is printed as bytes). */
class Reader {
  pos: number;
  constructor(readonly bytes: Uint8Array, start: number) { this.pos = start; }
  u8(): number {
    if (this.pos >= this.bytes.length) throw new RangeError('truncated');
    return this.bytes[this.pos++];
  }
  u16(): number { return this.u8() | (this.u8() << 8); }
  u32(): number { return (this.u16() | (this.u16() << 16)) >>> 0; }
  s8(): number { return (this.u8() << 24) >> 24; }
}

/** Decode one instruction at offset `start`; returns its text and length. */
function decodeOne(bytes: Uint8Array, start: number, org: number, bits: 16 | 32): { text: string; len: number } {
  const rd = new Reader(bytes, start);
  let o32 = bits === 32, a32 = bits === 32;
  let seg = '';
  const pre: string[] = [];
  let b = rd.u8();
  for (;;) {
    if (SEG_PREFIX[b]) seg = SEG_PREFIX[b];
    else if (b === 0x66) o32 = !o32;
    else if (b === 0x67) a32 = !a32;
    else if (b === 0xf0) pre.push('lock');
    else if (b === 0xf2) pre.push('repne');
    else if (b === 0xf3) pre.push('rep');
    else break;
    if (rd.pos - start >= 14) break;
    b = rd.u8();
  }
  let op = b;
  if (b === 0x0f) op = 0x100 | rd.u8();
  const row: OpcodeRow | undefined = OPCODES[op];
  if (!row) return { text: '(bad)', len: rd.pos - start };

  // ModRM.
  let modrmByte = -1;
  let mod = 0, reg = 0, rm = 0;
  let memText = '';
  const needsModrm = row.group !== undefined || /(^|,)[EGMSCDRT]/.test(row.o ?? '');
  if (needsModrm) {
    modrmByte = rd.u8();
    mod = modrmByte >> 6; reg = (modrmByte >> 3) & 7; rm = modrmByte & 7;
    if (mod !== 3) memText = a32 ? ea32(rd, mod, rm) : ea16(rd, mod, rm);
  }
  let m = row.m;
  let ops = row.o ?? '';
  if (row.group) {
    m = row.group[reg];
    if (row.groupOps && row.groupOps[reg] !== undefined) ops = row.groupOps[reg]!;
    if (m === null) return { text: '(bad)', len: rd.pos - start };
  }
  m = sized(m!, o32);
  const segp = seg ? seg + ':' : '';
  const mem = (size: string) => `${size}${size ? ' ' : ''}[${segp}${memText}]`;
  const out: string[] = [];
  for (const spec of ops ? ops.split(',') : []) {
    switch (spec) {
      case 'Eb': out.push(mod === 3 ? R8[rm] : mem('byte')); break;
      case 'Ew': out.push(mod === 3 ? R16[rm] : mem('word')); break;
      case 'Ed': case 'Rd': out.push(mod === 3 ? R32[rm] : mem('dword')); break;
      case 'Ev': out.push(mod === 3 ? (o32 ? R32 : R16)[rm] : mem(o32 ? 'dword' : 'word')); break;
      case 'M': case 'Ma': case 'Ms': out.push(mod === 3 ? '(bad)' : mem('')); break;
      case 'Mp': out.push(mod === 3 ? '(bad)' : mem(o32 ? 'far' : 'far')); break;
      case 'Mq': out.push(mod === 3 ? '(bad)' : mem('qword')); break;
      case 'Gb': out.push(R8[reg]); break;
      case 'Gw': out.push(R16[reg]); break;
      case 'Gv': out.push((o32 ? R32 : R16)[reg]); break;
      case 'Sw': out.push(SEG[reg]); break;
      case 'Cd': out.push('cr' + reg); break;
      case 'Dd': out.push('dr' + reg); break;
      case 'Td': out.push('tr' + reg); break;
      case 'Ib': out.push(hex(rd.u8())); break;
      case 'Ibs': { const v = rd.s8(); out.push(v < 0 ? '-' + hex(-v) : hex(v)); break; }
      case 'Iw': out.push(hex(rd.u16())); break;
      case 'Iv': out.push(hex(o32 ? rd.u32() : rd.u16())); break;
      case 'Jb': { const d = rd.s8(); out.push(hex(target(org + rd.pos, d, o32))); break; }
      case 'Jv': { const d = o32 ? rd.u32() | 0 : (rd.u16() << 16) >> 16; out.push(hex(target(org + rd.pos, d, o32))); break; }
      case 'Ob': case 'Ov': {
        const a = a32 ? rd.u32() : rd.u16();
        out.push(`${spec === 'Ob' ? 'byte' : o32 ? 'dword' : 'word'} [${segp}${hex(a)}]`);
        break;
      }
      case 'Ap': { const off = o32 ? rd.u32() : rd.u16(); const s = rd.u16(); out.push(`${hex(s, 4)}:${hex(off)}`); break; }
      default:
        if (spec.startsWith('e')) out.push(o32 ? spec.slice(1).replace(/^(..)$/, 'e$1').toLowerCase().replace(/^e?/, 'e') : spec.slice(1).toLowerCase());
        else if (/^\d$/.test(spec) && m === 'esc') out.push(spec);
        else out.push(spec);
    }
  }
  if (m === 'esc') return { text: `esc ${hex(b & 7)}, ${hex(modrmByte)}`, len: rd.pos - start };
  const text = [...pre, m].join(' ') + (out.length ? ' ' + out.join(', ') : '');
  return { text, len: rd.pos - start };
}

function target(next: number, d: number, o32: boolean): number {
  return o32 ? (next + d) >>> 0 : (next + d) & 0xffff;
}

/** Mnemonics whose name depends on the operand size. */
function sized(m: string, o32: boolean): string {
  const t: Record<string, [string, string]> = {
    movsv: ['movsw', 'movsd'], cmpsv: ['cmpsw', 'cmpsd'], stosv: ['stosw', 'stosd'], lodsv: ['lodsw', 'lodsd'],
    scasv: ['scasw', 'scasd'], insv: ['insw', 'insd'], outsv: ['outsw', 'outsd'], pusha: ['pusha', 'pushad'],
    popa: ['popa', 'popad'], pushf: ['pushf', 'pushfd'], popf: ['popf', 'popfd'], iret: ['iret', 'iretd'],
    cbw: ['cbw', 'cwde'], cwd: ['cwd', 'cdq'],
  };
  const e = t[m];
  return e ? e[o32 ? 1 : 0] : m;
}

function ea16(rd: Reader, mod: number, rm: number): string {
  if (mod === 0 && rm === 6) return hex(rd.u16());
  let s = EA16[rm];
  if (mod === 1) { const d = rd.s8(); s += d < 0 ? '-' + hex(-d) : '+' + hex(d); }
  else if (mod === 2) s += '+' + hex(rd.u16());
  return s;
}

function ea32(rd: Reader, mod: number, rm: number): string {
  let s: string;
  if (rm === 4) {
    const sib = rd.u8();
    const base = sib & 7, idx = (sib >> 3) & 7, sc = 1 << (sib >> 6);
    const parts: string[] = [];
    if (base === 5 && mod === 0) parts.push(hex(rd.u32()));
    else parts.push(R32[base]);
    if (idx !== 4) parts.push(sc > 1 ? `${R32[idx]}*${sc}` : R32[idx]);
    s = parts.join('+');
  } else if (rm === 5 && mod === 0) {
    return hex(rd.u32());
  } else s = R32[rm];
  if (mod === 1) { const d = rd.s8(); s += d < 0 ? '-' + hex(-d) : '+' + hex(d); }
  else if (mod === 2) { const d = rd.u32() | 0; s += d < 0 ? '-' + hex(-d) : '+' + hex(d); }
  return s;
}

/**
 * Disassemble `bytes` loaded at address `org` as `bits`-bit code. Returns one line per
 * instruction: address, bytes in hex, and the instruction in Intel syntax. Bytes that do not
 * form an instruction print as `(bad)`; a truncated instruction at the end prints as `db`.
 */
export function disassemble(bytes: Uint8Array, org = 0, bits: 16 | 32 = 32): string[] {
  const lines: string[] = [];
  let pos = 0;
  while (pos < bytes.length) {
    let text: string, len: number;
    try {
      ({ text, len } = decodeOne(bytes, pos, org, bits));
    } catch {
      text = 'db ' + Array.from(bytes.subarray(pos), (x) => hex(x, 2)).join(', ');
      len = bytes.length - pos;
    }
    if (len <= 0) len = 1;
    const raw = Array.from(bytes.subarray(pos, pos + len), (x) => x.toString(16).padStart(2, '0')).join('');
    lines.push(`${(org + pos).toString(16).padStart(bits === 32 ? 8 : 4, '0')}  ${raw.padEnd(20)}  ${text}`);
    pos += len;
  }
  return lines;
}
