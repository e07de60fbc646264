/**
 * The opcode table: one row per opcode (one-byte 0x00-0xFF, two-byte 0x100 | second byte) with
 * mnemonic, operand forms, group sub-tables by ModRM.reg, lockability, the flags it touches and
 * the model group that must be present. The disassembler prints from it, the decoder takes its
 * LOCK legality from it, and tests enumerate it.
 *
 * Operand codes (Intel SDM appendix A): E/G ModRM r/m and reg, I immediate, J relative, O moffs,
 * M memory only, S segment register, C/D control/debug register, R register-only r/m;
 * suffixes b (byte), w (word), v (word/dword by operand size), d (dword), p (far pointer),
 * a (BOUND pair), s (6-byte descriptor-table operand), bs (sign-extended byte). Fixed registers
 * are written in lowercase (al, eAX, dx, cl, 1, es ...).
 */

/** One opcode's row. */
export interface OpcodeRow {
  /** Mnemonic, or null when the opcode is a group (see `group`) or undefined (#UD). */
  m: string | null;
  /** Operand forms, comma separated. */
  o?: string;
  /** Mnemonics by ModRM.reg for group opcodes (null entries are #UD). */
  group?: (string | null)[];
  /** Operand forms per ModRM.reg for groups whose forms differ. */
  groupOps?: (string | undefined)[];
  /** ModRM.reg values for which LOCK is legal (bit mask); undefined = never. */
  lock?: number;
  /** Flags written (F = all six status flags, '' none). */
  f?: string;
  /** Model group required (CpuGroups key); absent = base i486. */
  needs?: 'cpuid' | 'rdtsc' | 'msr' | 'cmpxchg8b' | 'cmov';
}

const T: (OpcodeRow | undefined)[] = new Array(512);
const ALU = ['add', 'or', 'adc', 'sbb', 'and', 'sub', 'xor', 'cmp'];
for (let i = 0; i < 8; i++) {
  const m = ALU[i];
  const lk = i === 7 ? undefined : 0xff;
  T[i * 8 + 0] = { m, o: 'Eb,Gb', lock: lk, f: 'F' };
  T[i * 8 + 1] = { m, o: 'Ev,Gv', lock: lk, f: 'F' };
  T[i * 8 + 2] = { m, o: 'Gb,Eb', f: 'F' };
  T[i * 8 + 3] = { m, o: 'Gv,Ev', f: 'F' };
  T[i * 8 + 4] = { m, o: 'al,Ib', f: 'F' };
  T[i * 8 + 5] = { m, o: 'eAX,Iv', f: 'F' };
}
const row = (op: number, m: string | null, o?: string, extra: Partial<OpcodeRow> = {}): void => {
  T[op] = { m, o, ...extra };
};
row(0x06, 'push', 'es'); row(0x07, 'pop', 'es'); row(0x0e, 'push', 'cs');
row(0x16, 'push', 'ss'); row(0x17, 'pop', 'ss'); row(0x1e, 'push', 'ds'); row(0x1f, 'pop', 'ds');
row(0x26, 'es'); row(0x2e, 'cs'); row(0x36, 'ss'); row(0x3e, 'ds');
row(0x27, 'daa'); row(0x2f, 'das'); row(0x37, 'aaa'); row(0x3f, 'aas');
const R = ['eAX', 'eCX', 'eDX', 'eBX', 'eSP', 'eBP', 'eSI', 'eDI'];
for (let i = 0; i < 8; i++) {
  row(0x40 + i, 'inc', R[i]); row(0x48 + i, 'dec', R[i]);
  row(0x50 + i, 'push', R[i]); row(0x58 + i, 'pop', R[i]);
  if (i) row(0x90 + i, 'xchg', `eAX,${R[i]}`);
  row(0xb0 + i, 'mov', `${['al', 'cl', 'dl', 'bl', 'ah', 'ch', 'dh', 'bh'][i]},Ib`);
  row(0xb8 + i, 'mov', `${R[i]},Iv`);
  row(0x1c8 + i, 'bswap', R[i]);
}
row(0x60, 'pusha'); row(0x61, 'popa'); row(0x62, 'bound', 'Gv,Ma'); row(0x63, 'arpl', 'Ew,Gw');
row(0x64, 'fs'); row(0x65, 'gs'); row(0x66, 'o16'); row(0x67, 'a16');
row(0x68, 'push', 'Iv'); row(0x69, 'imul', 'Gv,Ev,Iv'); row(0x6a, 'push', 'Ibs'); row(0x6b, 'imul', 'Gv,Ev,Ibs');
row(0x6c, 'insb'); row(0x6d, 'insv'); row(0x6e, 'outsb'); row(0x6f, 'outsv');
const CC = ['o', 'no', 'b', 'ae', 'e', 'ne', 'be', 'a', 's', 'ns', 'p', 'np', 'l', 'ge', 'le', 'g'];
for (let i = 0; i < 16; i++) {
  row(0x70 + i, 'j' + CC[i], 'Jb');
  row(0x180 + i, 'j' + CC[i], 'Jv');
  row(0x190 + i, 'set' + CC[i], 'Eb');
  row(0x140 + i, 'cmov' + CC[i], 'Gv,Ev', { needs: 'cmov' });
}
T[0x80] = { m: null, o: 'Eb,Ib', group: ALU, lock: 0x7f, f: 'F' };
T[0x81] = { m: null, o: 'Ev,Iv', group: ALU, lock: 0x7f, f: 'F' };
T[0x82] = { m: null, o: 'Eb,Ib', group: ALU, lock: 0x7f, f: 'F' };
T[0x83] = { m: null, o: 'Ev,Ibs', group: ALU, lock: 0x7f, f: 'F' };
row(0x84, 'test', 'Eb,Gb'); row(0x85, 'test', 'Ev,Gv');
row(0x86, 'xchg', 'Eb,Gb', { lock: 0xff }); row(0x87, 'xchg', 'Ev,Gv', { lock: 0xff });
row(0x88, 'mov', 'Eb,Gb'); row(0x89, 'mov', 'Ev,Gv'); row(0x8a, 'mov', 'Gb,Eb'); row(0x8b, 'mov', 'Gv,Ev');
row(0x8c, 'mov', 'Ew,Sw'); row(0x8d, 'lea', 'Gv,M'); row(0x8e, 'mov', 'Sw,Ew'); row(0x8f, 'pop', 'Ev');
row(0x90, 'nop'); row(0x98, 'cbw'); row(0x99, 'cwd'); row(0x9a, 'call', 'Ap'); row(0x9b, 'wait');
row(0x9c, 'pushf'); row(0x9d, 'popf'); row(0x9e, 'sahf'); row(0x9f, 'lahf');
row(0xa0, 'mov', 'al,Ob'); row(0xa1, 'mov', 'eAX,Ov'); row(0xa2, 'mov', 'Ob,al'); row(0xa3, 'mov', 'Ov,eAX');
row(0xa4, 'movsb'); row(0xa5, 'movsv'); row(0xa6, 'cmpsb'); row(0xa7, 'cmpsv');
row(0xa8, 'test', 'al,Ib'); row(0xa9, 'test', 'eAX,Iv');
row(0xaa, 'stosb'); row(0xab, 'stosv'); row(0xac, 'lodsb'); row(0xad, 'lodsv'); row(0xae, 'scasb'); row(0xaf, 'scasv');
const SH = ['rol', 'ror', 'rcl', 'rcr', 'shl', 'shr', 'sal', 'sar'];
T[0xc0] = { m: null, o: 'Eb,Ib', group: SH }; T[0xc1] = { m: null, o: 'Ev,Ib', group: SH };
T[0xd0] = { m: null, o: 'Eb,1', group: SH }; T[0xd1] = { m: null, o: 'Ev,1', group: SH };
T[0xd2] = { m: null, o: 'Eb,cl', group: SH }; T[0xd3] = { m: null, o: 'Ev,cl', group: SH };
row(0xc2, 'ret', 'Iw'); row(0xc3, 'ret'); row(0xc4, 'les', 'Gv,Mp'); row(0xc5, 'lds', 'Gv,Mp');
T[0xc6] = { m: null, o: 'Eb,Ib', group: ['mov', null, null, null, null, null, null, null] };
T[0xc7] = { m: null, o: 'Ev,Iv', group: ['mov', null, null, null, null, null, null, null] };
row(0xc8, 'enter', 'Iw,Ib'); row(0xc9, 'leave'); row(0xca, 'retf', 'Iw'); row(0xcb, 'retf');
row(0xcc, 'int3'); row(0xcd, 'int', 'Ib'); row(0xce, 'into'); row(0xcf, 'iret');
row(0xd4, 'aam', 'Ib'); row(0xd5, 'aad', 'Ib'); row(0xd6, 'salc'); row(0xd7, 'xlat');
for (let i = 0; i < 8; i++) row(0xd8 + i, 'esc', `${i},M`);
row(0xe0, 'loopne', 'Jb'); row(0xe1, 'loope', 'Jb'); row(0xe2, 'loop', 'Jb'); row(0xe3, 'jcxz', 'Jb');
row(0xe4, 'in', 'al,Ib'); row(0xe5, 'in', 'eAX,Ib'); row(0xe6, 'out', 'Ib,al'); row(0xe7, 'out', 'Ib,eAX');
row(0xe8, 'call', 'Jv'); row(0xe9, 'jmp', 'Jv'); row(0xea, 'jmp', 'Ap'); row(0xeb, 'jmp', 'Jb');
row(0xec, 'in', 'al,dx'); row(0xed, 'in', 'eAX,dx'); row(0xee, 'out', 'dx,al'); row(0xef, 'out', 'dx,eAX');
row(0xf0, 'lock'); row(0xf1, 'int1'); row(0xf2, 'repne'); row(0xf3, 'rep'); row(0xf4, 'hlt'); row(0xf5, 'cmc');
T[0xf6] = { m: null, o: 'Eb', group: ['test', 'test', 'not', 'neg', 'mul', 'imul', 'div', 'idiv'], groupOps: ['Eb,Ib', 'Eb,Ib'], lock: 0x0c };
T[0xf7] = { m: null, o: 'Ev', group: ['test', 'test', 'not', 'neg', 'mul', 'imul', 'div', 'idiv'], groupOps: ['Ev,Iv', 'Ev,Iv'], lock: 0x0c };
row(0xf8, 'clc'); row(0xf9, 'stc'); row(0xfa, 'cli'); row(0xfb, 'sti'); row(0xfc, 'cld'); row(0xfd, 'std');
T[0xfe] = { m: null, o: 'Eb', group: ['inc', 'dec', null, null, null, null, null, null], lock: 0x03 };
T[0xff] = { m: null, o: 'Ev', group: ['inc', 'dec', 'call', 'call far', 'jmp', 'jmp far', 'push', null], groupOps: [undefined, undefined, undefined, 'Mp', undefined, 'Mp'], lock: 0x03 };
// Two-byte opcodes.
T[0x100] = { m: null, o: 'Ew', group: ['sldt', 'str', 'lldt', 'ltr', 'verr', 'verw', null, null] };
T[0x101] = { m: null, o: 'Ms', group: ['sgdt', 'sidt', 'lgdt', 'lidt', 'smsw', null, 'lmsw', 'invlpg'], groupOps: [undefined, undefined, undefined, undefined, 'Ew', undefined, 'Ew', 'M'] };
row(0x102, 'lar', 'Gv,Ew'); row(0x103, 'lsl', 'Gv,Ew'); row(0x106, 'clts'); row(0x108, 'invd'); row(0x109, 'wbinvd');
row(0x120, 'mov', 'Rd,Cd'); row(0x121, 'mov', 'Rd,Dd'); row(0x122, 'mov', 'Cd,Rd'); row(0x123, 'mov', 'Dd,Rd');
row(0x124, 'mov', 'Rd,Td'); row(0x126, 'mov', 'Td,Rd');
row(0x130, 'wrmsr', undefined, { needs: 'msr' }); row(0x131, 'rdtsc', undefined, { needs: 'rdtsc' }); row(0x132, 'rdmsr', undefined, { needs: 'msr' });
row(0x1a0, 'push', 'fs'); row(0x1a1, 'pop', 'fs'); row(0x1a2, 'cpuid', undefined, { needs: 'cpuid' });
row(0x1a3, 'bt', 'Ev,Gv'); row(0x1a4, 'shld', 'Ev,Gv,Ib'); row(0x1a5, 'shld', 'Ev,Gv,cl');
row(0x1a8, 'push', 'gs'); row(0x1a9, 'pop', 'gs'); row(0x1ab, 'bts', 'Ev,Gv', { lock: 0xff });
row(0x1ac, 'shrd', 'Ev,Gv,Ib'); row(0x1ad, 'shrd', 'Ev,Gv,cl'); row(0x1af, 'imul', 'Gv,Ev');
row(0x1b0, 'cmpxchg', 'Eb,Gb', { lock: 0xff }); row(0x1b1, 'cmpxchg', 'Ev,Gv', { lock: 0xff });
row(0x1b2, 'lss', 'Gv,Mp'); row(0x1b3, 'btr', 'Ev,Gv', { lock: 0xff }); row(0x1b4, 'lfs', 'Gv,Mp'); row(0x1b5, 'lgs', 'Gv,Mp');
row(0x1b6, 'movzx', 'Gv,Eb'); row(0x1b7, 'movzx', 'Gv,Ew');
T[0x1ba] = { m: null, o: 'Ev,Ib', group: [null, null, null, null, 'bt', 'bts', 'btr', 'btc'], lock: 0xe0 };
row(0x1bb, 'btc', 'Ev,Gv', { lock: 0xff }); row(0x1bc, 'bsf', 'Gv,Ev'); row(0x1bd, 'bsr', 'Gv,Ev');
row(0x1be, 'movsx', 'Gv,Eb'); row(0x1bf, 'movsx', 'Gv,Ew');
row(0x1c0, 'xadd', 'Eb,Gb', { lock: 0xff }); row(0x1c1, 'xadd', 'Ev,Gv', { lock: 0xff });
T[0x1c7] = { m: null, o: 'Mq', group: [null, 'cmpxchg8b', null, null, null, null, null, null], lock: 0x02, needs: 'cmpxchg8b' };

/** The table, indexed by opcode (0x000-0x0FF one-byte, 0x100-0x1FF after 0F). */
export const OPCODES: ReadonlyArray<OpcodeRow | undefined> = T;

/** LOCK legality by opcode: bit mask of ModRM.reg values (0 = LOCK is #UD). */
export const LOCKABLE = new Uint8Array(512);
for (let i = 0; i < 512; i++) LOCKABLE[i] = T[i]?.lock ?? 0;

/** Does this opcode take a ModRM byte? (derived from its operand forms) */
export function hasModrm(op: number): boolean {
  const r = T[op];
  if (!r) return false;
  if (r.group) return true;
  return /(^|,)[EGMSCDRT]/.test(r.o ?? '');
}
