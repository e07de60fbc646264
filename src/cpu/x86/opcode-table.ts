/**
 * The opcode table: one row per opcode (one-byte 0x00-0xFF, two-byte 0x100 | second byte) with
 * mnemonic, operand forms, group sub-tables by ModRM.reg, lockability, the flags it reads, writes
 * and leaves undefined, the protected-mode exceptions it can raise, and the model group that must
 * be present. The disassembler prints from it, the decoder takes its LOCK legality from it, and
 * tests enumerate it (test/unit/cpu/opcode-table.test.ts, test/unit/cpu/opcode-flags.test.ts).
 *
 * Operand codes (Intel SDM appendix A): E/G ModRM r/m and reg, I immediate, J relative, O moffs,
 * M memory only, S segment register, C/D control/debug register, R register-only r/m;
 * suffixes b (byte), w (word), v (word/dword by operand size), d (dword), p (far pointer),
 * a (BOUND pair), s (6-byte descriptor-table operand), bs (sign-extended byte). Fixed registers
 * are written in lowercase (al, eAX, dx, cl, 1, es ...).
 *
 * Flag fields `f` (written with a defined value), `fr` (read) and `fu` (left undefined) use
 * EFLAGS letters: C CF, P PF, A AF, Z ZF, S SF, O OF (F = all six status flags), D DF, I IF,
 * T TF, L IOPL, N NT, R RF, V VM, K AC, and * = the whole EFLAGS image (PUSHF/POPF, IRET, task
 * switch). A field is a comma-separated list of items, each `LETTERS` (always) or
 * `LETTERS:condition` (only in that case, e.g. `O:count≠1`); '' = none. Flags in neither `f` nor
 * `fu` are preserved. The fields describe an instruction that completes; a fault delivers
 * through the IDT instead (which then changes IF/TF/NT/RF/VM as the gate says).
 * Sources: Intel SDM vol. 2 instruction pages ("Flags Affected"), Intel486 Programmer's
 * Reference Manual (1990) for the 486-only rows (MOV TRn).
 *
 * Undefined flags and CPU models: `fu` says WHICH flags the architecture leaves undefined (and
 * when); it does not say what is in them. What a particular chip leaves there is model data:
 * `CpuModel.undefinedFlags` in models.ts (style 'intel486': logic ops clear AF, MUL/IMUL set
 * SF/ZF/PF from the low half and clear AF, DIV/IDIV keep all flags, shifts by >1 compute OF as
 * for the last single step, ...). Code that compares our flags with silicon or another emulator
 * masks the `fu` flags unless the model's behaviour for them is documented; a new model that
 * differs (e.g. a Cyrix core) changes models.ts, never this table.
 *
 * Exceptions `x`: the protected-mode (and virtual-8086) exceptions the instruction itself can
 * raise, in vector order: #DE #DB #BP #OF #BR #UD #NM #TS #NP #SS #GP #PF #MF #AC, items may
 * carry a condition as the flags do (`#GP:v86 IOPL<3`). Not listed, because every instruction
 * has them: code-fetch #GP/#PF, and #UD for a LOCK prefix on an opcode/ModRM.reg that `lock`
 * does not allow. Listed #UD means the row's own reasons: LOCK on a lockable opcode with a
 * register destination, a register where only memory is allowed (M* forms), an invalid
 * register number, an instruction unrecognised in virtual-8086 mode, or a model without its
 * `needs` group.
 */

/** Flags and exceptions of one instruction (a row, or one ModRM.reg entry of a group). */
export interface OpcodeEffects {
  /** Flags written with a defined value (see the file header for the letters). */
  f?: string;
  /** Flags read. */
  fr?: string;
  /** Flags left undefined (architecturally), with conditions. */
  fu?: string;
  /** Protected-mode exceptions raised. */
  x?: string;
}

/** One opcode's row. */
export interface OpcodeRow extends OpcodeEffects {
  /** Mnemonic, or null when the opcode is a group (see `group`) or undefined (#UD). */
  m: string | null;
  /** Operand forms, comma separated. */
  o?: string;
  /** Mnemonics by ModRM.reg for group opcodes (null entries are #UD). */
  group?: (string | null)[];
  /** Operand forms per ModRM.reg for groups whose forms differ. */
  groupOps?: (string | undefined)[];
  /** Flags/exceptions per ModRM.reg for groups whose entries differ (override the row's fields). */
  groupFx?: (OpcodeEffects | undefined)[];
  /** ModRM.reg values for which LOCK is legal (bit mask); undefined = never. */
  lock?: number;
  /** Model group required (CpuGroups key); absent = base i486. */
  needs?: 'cpuid' | 'rdtsc' | 'msr' | 'cmpxchg8b' | 'cmov';
}

// Exception lists used by many rows (vector order).
/** A data memory operand: limit/null selector/read-only #GP, SS-relative #SS, #PF, #AC at CPL 3. */
const MEM = '#SS,#GP,#PF,#AC';
/** A lockable memory-destination form: MEM plus #UD for LOCK with a register destination. */
const MEM_L = '#UD,#SS,#GP,#PF,#AC';
/** Stack accesses only (PUSH/POP of registers, ENTER/LEAVE, PUSHA/POPA). */
const STK = '#SS,#PF,#AC';
/** ES:EDI-only string destination (STOS, SCAS, INS): no SS-relative access. */
const ESDI = '#GP,#PF,#AC';
/** Near transfers: target beyond the CS limit. */
const NEAR = '#GP';
/** Segment-register loads from memory (MOV Sreg, POP Sreg, LDS ...): descriptor checks add #NP. */
const SEGLD = '#NP,#SS,#GP,#PF,#AC';
/** Interrupt delivery through the IDT (INT n, INT3, INTO, INT1). */
const INTX = '#TS,#NP,#SS,#GP,#PF';
/** Flags an interrupt/trap delivered through the IDT changes. */
const INTF = 'TNRV,I:interrupt gate,*:task gate';
/** System instructions usable only at CPL 0. */
const PRIV = '#GP';

const T: (OpcodeRow | undefined)[] = new Array(512);
const ALU = ['add', 'or', 'adc', 'sbb', 'and', 'sub', 'xor', 'cmp'];
/** Flags of the eight ALU operations by ModRM.reg / opcode bits 5:3 (logic ops: CF=OF=0, AF undefined). */
const ALU_FX: OpcodeEffects[] = ALU.map((m) => (
  m === 'or' || m === 'and' || m === 'xor' ? { f: 'CPZSO', fr: '', fu: 'A' }
    : { f: 'F', fr: m === 'adc' || m === 'sbb' ? 'C' : '', fu: '' }));
for (let i = 0; i < 8; i++) {
  const m = ALU[i];
  const lk = i === 7 ? undefined : 0xff;
  T[i * 8 + 0] = { m, o: 'Eb,Gb', lock: lk, ...ALU_FX[i], x: lk ? MEM_L : MEM };
  T[i * 8 + 1] = { m, o: 'Ev,Gv', lock: lk, ...ALU_FX[i], x: lk ? MEM_L : MEM };
  T[i * 8 + 2] = { m, o: 'Gb,Eb', ...ALU_FX[i], x: MEM };
  T[i * 8 + 3] = { m, o: 'Gv,Ev', ...ALU_FX[i], x: MEM };
  T[i * 8 + 4] = { m, o: 'al,Ib', ...ALU_FX[i], x: '' };
  T[i * 8 + 5] = { m, o: 'eAX,Iv', ...ALU_FX[i], x: '' };
}
/** Defaults for a plain row: touches no flags, raises nothing (rows override). */
const NONE: OpcodeEffects = { f: '', fr: '', fu: '', x: '' };
const row = (op: number, m: string | null, o?: string, extra: Partial<OpcodeRow> = {}): void => {
  T[op] = { m, o, ...NONE, ...extra };
};
row(0x06, 'push', 'es', { x: STK }); row(0x07, 'pop', 'es', { x: SEGLD }); row(0x0e, 'push', 'cs', { x: STK });
row(0x16, 'push', 'ss', { x: STK }); row(0x17, 'pop', 'ss', { x: '#SS,#GP,#PF,#AC' }); // SS not present is #SS, not #NP
row(0x1e, 'push', 'ds', { x: STK }); row(0x1f, 'pop', 'ds', { x: SEGLD });
row(0x26, 'es'); row(0x2e, 'cs'); row(0x36, 'ss'); row(0x3e, 'ds');
// Decimal adjust: DAA/DAS OF undefined; AAA/AAS define only AF and CF.
row(0x27, 'daa', undefined, { f: 'CPAZS', fr: 'CA', fu: 'O' }); row(0x2f, 'das', undefined, { f: 'CPAZS', fr: 'CA', fu: 'O' });
row(0x37, 'aaa', undefined, { f: 'CA', fr: 'A', fu: 'PZSO' }); row(0x3f, 'aas', undefined, { f: 'CA', fr: 'A', fu: 'PZSO' });
const R = ['eAX', 'eCX', 'eDX', 'eBX', 'eSP', 'eBP', 'eSI', 'eDI'];
for (let i = 0; i < 8; i++) {
  row(0x40 + i, 'inc', R[i], { f: 'PAZSO' }); row(0x48 + i, 'dec', R[i], { f: 'PAZSO' }); // CF preserved
  row(0x50 + i, 'push', R[i], { x: STK }); row(0x58 + i, 'pop', R[i], { x: STK });
  if (i) row(0x90 + i, 'xchg', `eAX,${R[i]}`);
  row(0xb0 + i, 'mov', `${['al', 'cl', 'dl', 'bl', 'ah', 'ch', 'dh', 'bh'][i]},Ib`);
  row(0xb8 + i, 'mov', `${R[i]},Iv`);
  row(0x1c8 + i, 'bswap', R[i]);
}
row(0x60, 'pusha', undefined, { x: STK }); row(0x61, 'popa', undefined, { x: STK });
row(0x62, 'bound', 'Gv,Ma', { x: '#BR,#UD,#SS,#GP,#PF,#AC' }); row(0x63, 'arpl', 'Ew,Gw', { f: 'Z', x: '#UD:v86,#SS,#GP,#PF,#AC' });
row(0x64, 'fs'); row(0x65, 'gs'); row(0x66, 'o16'); row(0x67, 'a16');
// IMUL (all forms) and MUL: CF=OF=overflow into the high half; SF ZF AF PF undefined.
const MULFX: OpcodeEffects = { f: 'CO', fr: '', fu: 'PAZS', x: MEM };
row(0x68, 'push', 'Iv', { x: STK }); row(0x69, 'imul', 'Gv,Ev,Iv', MULFX); row(0x6a, 'push', 'Ibs', { x: STK }); row(0x6b, 'imul', 'Gv,Ev,Ibs', MULFX);
// String I/O: IOPL (and in VM86 the I/O bitmap) decide #GP; DF steps the index.
row(0x6c, 'insb', undefined, { fr: 'DLV', x: ESDI }); row(0x6d, 'insv', undefined, { fr: 'DLV', x: ESDI });
row(0x6e, 'outsb', undefined, { fr: 'DLV', x: MEM }); row(0x6f, 'outsv', undefined, { fr: 'DLV', x: MEM });
const CC = ['o', 'no', 'b', 'ae', 'e', 'ne', 'be', 'a', 's', 'ns', 'p', 'np', 'l', 'ge', 'le', 'g'];
/** Flags a condition code tests (pairs share them: cc and its negation). */
const CC_READS = ['O', 'O', 'C', 'C', 'Z', 'Z', 'CZ', 'CZ', 'S', 'S', 'P', 'P', 'SO', 'SO', 'ZSO', 'ZSO'];
for (let i = 0; i < 16; i++) {
  row(0x70 + i, 'j' + CC[i], 'Jb', { fr: CC_READS[i], x: NEAR });
  row(0x180 + i, 'j' + CC[i], 'Jv', { fr: CC_READS[i], x: NEAR });
  row(0x190 + i, 'set' + CC[i], 'Eb', { fr: CC_READS[i], x: MEM });
  row(0x140 + i, 'cmov' + CC[i], 'Gv,Ev', { needs: 'cmov', fr: CC_READS[i], x: '#UD,' + MEM });
}
const ALU_GROUP_FX = ALU_FX.map((fx, i) => ({ ...fx, x: i === 7 ? MEM : MEM_L }));
T[0x80] = { m: null, o: 'Eb,Ib', group: ALU, lock: 0x7f, groupFx: ALU_GROUP_FX };
T[0x81] = { m: null, o: 'Ev,Iv', group: ALU, lock: 0x7f, groupFx: ALU_GROUP_FX };
T[0x82] = { m: null, o: 'Eb,Ib', group: ALU, lock: 0x7f, groupFx: ALU_GROUP_FX };
T[0x83] = { m: null, o: 'Ev,Ibs', group: ALU, lock: 0x7f, groupFx: ALU_GROUP_FX };
const TESTFX: OpcodeEffects = { f: 'CPZSO', fr: '', fu: 'A', x: MEM };
row(0x84, 'test', 'Eb,Gb', TESTFX); row(0x85, 'test', 'Ev,Gv', TESTFX);
row(0x86, 'xchg', 'Eb,Gb', { lock: 0xff, x: MEM_L }); row(0x87, 'xchg', 'Ev,Gv', { lock: 0xff, x: MEM_L });
row(0x88, 'mov', 'Eb,Gb', { x: MEM }); row(0x89, 'mov', 'Ev,Gv', { x: MEM }); row(0x8a, 'mov', 'Gb,Eb', { x: MEM }); row(0x8b, 'mov', 'Gv,Ev', { x: MEM });
row(0x8c, 'mov', 'Ew,Sw', { x: '#UD,' + MEM }); // Sreg 6/7 is #UD
row(0x8d, 'lea', 'Gv,M', { x: '#UD' }); // no memory access; a register operand is #UD
row(0x8e, 'mov', 'Sw,Ew', { x: '#UD,' + SEGLD }); // loading CS (or Sreg 6/7) is #UD
row(0x8f, 'pop', 'Ev', { x: MEM });
row(0x90, 'nop'); row(0x98, 'cbw'); row(0x99, 'cwd');
// Far CALL/JMP through a task gate or TSS switch tasks: the old EFLAGS is saved and the new one loaded.
row(0x9a, 'call', 'Ap', { f: '*:task switch', fr: '*:task switch', x: '#TS,#NP,#SS,#GP,#PF,#AC' });
row(0x9b, 'wait', undefined, { x: '#NM,#MF:FPU present' });
row(0x9c, 'pushf', undefined, { fr: '*', x: '#SS,#GP:v86 IOPL<3,#PF,#AC' });
// POPF: IF changes only if CPL≤IOPL, IOPL only at CPL 0; VM and RF never change (SDM POPF).
row(0x9d, 'popf', undefined, { f: 'FDTNK,I:CPL≤IOPL,L:CPL=0', fr: 'LV', x: '#SS,#GP:v86 IOPL<3,#PF,#AC' });
row(0x9e, 'sahf', undefined, { f: 'CPAZS' }); row(0x9f, 'lahf', undefined, { fr: 'CPAZS' });
row(0xa0, 'mov', 'al,Ob', { x: MEM }); row(0xa1, 'mov', 'eAX,Ov', { x: MEM }); row(0xa2, 'mov', 'Ob,al', { x: MEM }); row(0xa3, 'mov', 'Ov,eAX', { x: MEM });
row(0xa4, 'movsb', undefined, { fr: 'D', x: MEM }); row(0xa5, 'movsv', undefined, { fr: 'D', x: MEM });
row(0xa6, 'cmpsb', undefined, { f: 'F', fr: 'D', x: MEM }); row(0xa7, 'cmpsv', undefined, { f: 'F', fr: 'D', x: MEM });
row(0xa8, 'test', 'al,Ib', { ...TESTFX, x: '' }); row(0xa9, 'test', 'eAX,Iv', { ...TESTFX, x: '' });
row(0xaa, 'stosb', undefined, { fr: 'D', x: ESDI }); row(0xab, 'stosv', undefined, { fr: 'D', x: ESDI });
row(0xac, 'lodsb', undefined, { fr: 'D', x: MEM }); row(0xad, 'lodsv', undefined, { fr: 'D', x: MEM });
row(0xae, 'scasb', undefined, { f: 'F', fr: 'D', x: ESDI }); row(0xaf, 'scasv', undefined, { f: 'F', fr: 'D', x: ESDI });
const SH = ['rol', 'ror', 'rcl', 'rcr', 'shl', 'shr', 'sal', 'sar'];
/**
 * Group 2 flags for a variable count (Ib, cl; masked to 5 bits, 0 changes nothing): rotates
 * change only CF and OF (OF undefined unless the count is 1); shifts set SZP from the result,
 * AF undefined, OF defined only for count 1, and CF undefined for SHL/SHR by ≥ the operand size.
 */
const SH_FX: OpcodeEffects[] = SH.map((m) => (m.startsWith('r')
  ? { f: 'CO', fr: m === 'rcl' || m === 'rcr' ? 'C' : '', fu: 'O:count≠1', x: MEM }
  : { f: 'CPZSO', fr: '', fu: m === 'sar' ? 'A:count≠0,O:count≠1' : 'A:count≠0,O:count≠1,C:count≥size', x: MEM }));
/** Group 2 flags for the count-1 forms (D0/D1): everything defined except AF after a shift. */
const SH1_FX: OpcodeEffects[] = SH_FX.map((fx) => ({ ...fx, fu: fx.f === 'CO' ? '' : 'A' }));
T[0xc0] = { m: null, o: 'Eb,Ib', group: SH, groupFx: SH_FX }; T[0xc1] = { m: null, o: 'Ev,Ib', group: SH, groupFx: SH_FX };
T[0xd0] = { m: null, o: 'Eb,1', group: SH, groupFx: SH1_FX }; T[0xd1] = { m: null, o: 'Ev,1', group: SH, groupFx: SH1_FX };
T[0xd2] = { m: null, o: 'Eb,cl', group: SH, groupFx: SH_FX }; T[0xd3] = { m: null, o: 'Ev,cl', group: SH, groupFx: SH_FX };
row(0xc2, 'ret', 'Iw', { x: '#SS,#GP,#PF,#AC' }); row(0xc3, 'ret', undefined, { x: '#SS,#GP,#PF,#AC' });
row(0xc4, 'les', 'Gv,Mp', { x: '#UD,' + SEGLD }); row(0xc5, 'lds', 'Gv,Mp', { x: '#UD,' + SEGLD });
const MOV_GROUP: (OpcodeEffects | undefined)[] = [{ ...NONE, x: MEM }];
T[0xc6] = { m: null, o: 'Eb,Ib', group: ['mov', null, null, null, null, null, null, null], groupFx: MOV_GROUP };
T[0xc7] = { m: null, o: 'Ev,Iv', group: ['mov', null, null, null, null, null, null, null], groupFx: MOV_GROUP };
row(0xc8, 'enter', 'Iw,Ib', { x: STK }); row(0xc9, 'leave', undefined, { x: STK });
row(0xca, 'retf', 'Iw', { x: '#NP,#SS,#GP,#PF,#AC' }); row(0xcb, 'retf', undefined, { x: '#NP,#SS,#GP,#PF,#AC' });
// Software interrupts push EFLAGS (read all), then clear TF NT RF VM (and IF through an interrupt gate).
row(0xcc, 'int3', undefined, { f: INTF, fr: '*', x: '#BP,' + INTX });
row(0xcd, 'int', 'Ib', { f: INTF, fr: '*', x: INTX }); // #GP includes VM86 with IOPL<3
row(0xce, 'into', undefined, { f: 'TNRV:OF=1,I:OF=1 interrupt gate,*:OF=1 task gate', fr: 'O,*:OF=1', x: '#OF,' + INTX });
// IRET: NT selects a task return, VM in the popped image a return to virtual-8086 mode.
row(0xcf, 'iret', undefined, { f: '*', fr: 'LNV', x: '#TS,#NP,#SS,#GP,#PF,#AC' });
// AAM/AAD: SF ZF PF from AL; OF AF CF undefined. AAM with base 0 divides by zero.
row(0xd4, 'aam', 'Ib', { f: 'PZS', fu: 'CAO', x: '#DE' }); row(0xd5, 'aad', 'Ib', { f: 'PZS', fu: 'CAO' });
row(0xd6, 'salc', undefined, { fr: 'C' }); row(0xd7, 'xlat', undefined, { x: MEM });
// x87 escapes: no EFLAGS effect on a 486; #NM with CR0.EM (every 486SX board) or TS.
for (let i = 0; i < 8; i++) row(0xd8 + i, 'esc', `${i},M`, { x: '#NM,#SS,#GP,#PF,#MF:FPU present,#AC' });
row(0xe0, 'loopne', 'Jb', { fr: 'Z', x: NEAR }); row(0xe1, 'loope', 'Jb', { fr: 'Z', x: NEAR });
row(0xe2, 'loop', 'Jb', { x: NEAR }); row(0xe3, 'jcxz', 'Jb', { x: NEAR });
// Port I/O: #GP when CPL > IOPL (or VM86) and the TSS I/O bitmap denies the port.
const IO: Partial<OpcodeRow> = { fr: 'LV', x: '#GP' };
row(0xe4, 'in', 'al,Ib', IO); row(0xe5, 'in', 'eAX,Ib', IO); row(0xe6, 'out', 'Ib,al', IO); row(0xe7, 'out', 'Ib,eAX', IO);
row(0xe8, 'call', 'Jv', { x: '#SS,#GP,#PF,#AC' }); row(0xe9, 'jmp', 'Jv', { x: NEAR });
row(0xea, 'jmp', 'Ap', { f: '*:task switch', fr: '*:task switch', x: '#TS,#NP,#GP,#PF' }); row(0xeb, 'jmp', 'Jb', { x: NEAR });
row(0xec, 'in', 'al,dx', IO); row(0xed, 'in', 'eAX,dx', IO); row(0xee, 'out', 'dx,al', IO); row(0xef, 'out', 'dx,eAX', IO);
row(0xf0, 'lock', undefined, { x: '#UD' }); row(0xf1, 'int1', undefined, { f: INTF, fr: '*', x: '#DB,' + INTX });
row(0xf2, 'repne', undefined, { fr: 'Z:cmps/scas' }); row(0xf3, 'rep', undefined, { fr: 'Z:cmps/scas' });
row(0xf4, 'hlt', undefined, { x: PRIV }); row(0xf5, 'cmc', undefined, { f: 'C', fr: 'C' });
const G3 = ['test', 'test', 'not', 'neg', 'mul', 'imul', 'div', 'idiv'];
/** Group 3: TEST like AND; NOT no flags; NEG like SUB from 0; MUL/IMUL; DIV/IDIV leave all six undefined. */
const G3_FX: OpcodeEffects[] = [
  TESTFX, TESTFX, { ...NONE, x: MEM_L }, { f: 'F', fr: '', fu: '', x: MEM_L },
  MULFX, MULFX, { f: '', fr: '', fu: 'F', x: '#DE,' + MEM }, { f: '', fr: '', fu: 'F', x: '#DE,' + MEM },
];
T[0xf6] = { m: null, o: 'Eb', group: G3, groupOps: ['Eb,Ib', 'Eb,Ib'], lock: 0x0c, groupFx: G3_FX };
T[0xf7] = { m: null, o: 'Ev', group: G3, groupOps: ['Ev,Iv', 'Ev,Iv'], lock: 0x0c, groupFx: G3_FX };
row(0xf8, 'clc', undefined, { f: 'C' }); row(0xf9, 'stc', undefined, { f: 'C' });
row(0xfa, 'cli', undefined, { f: 'I', fr: 'LV', x: '#GP' }); row(0xfb, 'sti', undefined, { f: 'I', fr: 'LV', x: '#GP' });
row(0xfc, 'cld', undefined, { f: 'D' }); row(0xfd, 'std', undefined, { f: 'D' });
const INCDEC: OpcodeEffects = { f: 'PAZSO', fr: '', fu: '', x: MEM_L };
const FAR_MEM: OpcodeEffects = { f: '*:task switch', fr: '*:task switch', fu: '', x: '#UD,#TS,#NP,#SS,#GP,#PF,#AC' };
T[0xfe] = { m: null, o: 'Eb', group: ['inc', 'dec', null, null, null, null, null, null], lock: 0x03, groupFx: [INCDEC, INCDEC] };
T[0xff] = {
  m: null, o: 'Ev', group: ['inc', 'dec', 'call', 'call far', 'jmp', 'jmp far', 'push', null], groupOps: [undefined, undefined, undefined, 'Mp', undefined, 'Mp'], lock: 0x03,
  groupFx: [INCDEC, INCDEC, { ...NONE, x: MEM }, FAR_MEM, { ...NONE, x: MEM }, FAR_MEM, { ...NONE, x: MEM }],
};
// Two-byte opcodes.
// Group 6/7 and LAR/LSL/ARPL are not recognised in virtual-8086 mode (#UD there).
const SYS_MEM = '#UD:v86,' + MEM;
T[0x100] = {
  m: null, o: 'Ew', group: ['sldt', 'str', 'lldt', 'ltr', 'verr', 'verw', null, null],
  groupFx: [{ ...NONE, x: SYS_MEM }, { ...NONE, x: SYS_MEM }, { ...NONE, x: '#UD:v86,#NP,#SS,#GP,#PF' }, { ...NONE, x: '#UD:v86,#NP,#SS,#GP,#PF' },
    { ...NONE, f: 'Z', x: SYS_MEM }, { ...NONE, f: 'Z', x: SYS_MEM }],
};
T[0x101] = {
  m: null, o: 'Ms', group: ['sgdt', 'sidt', 'lgdt', 'lidt', 'smsw', null, 'lmsw', 'invlpg'], groupOps: [undefined, undefined, undefined, undefined, 'Ew', undefined, 'Ew', 'M'],
  groupFx: [{ ...NONE, x: '#UD,' + MEM }, { ...NONE, x: '#UD,' + MEM }, { ...NONE, x: '#UD,#SS,#GP,#PF' }, { ...NONE, x: '#UD,#SS,#GP,#PF' },
    { ...NONE, x: MEM }, undefined, { ...NONE, x: '#SS,#GP,#PF' }, { ...NONE, x: '#UD,#GP' }],
};
row(0x102, 'lar', 'Gv,Ew', { f: 'Z', x: SYS_MEM }); row(0x103, 'lsl', 'Gv,Ew', { f: 'Z', x: SYS_MEM });
row(0x106, 'clts', undefined, { x: PRIV }); row(0x108, 'invd', undefined, { x: PRIV }); row(0x109, 'wbinvd', undefined, { x: PRIV });
// MOV to/from CRn/DRn leave the six status flags undefined (SDM); the 486 test registers likewise (486 PRM).
const MOVCR: Partial<OpcodeRow> = { fu: 'F', x: '#UD,#GP' };
const MOVDR: Partial<OpcodeRow> = { fu: 'F', x: '#DB,#UD,#GP' }; // #DB when DR7.GD is set
row(0x120, 'mov', 'Rd,Cd', MOVCR); row(0x121, 'mov', 'Rd,Dd', MOVDR); row(0x122, 'mov', 'Cd,Rd', MOVCR); row(0x123, 'mov', 'Dd,Rd', MOVDR);
row(0x124, 'mov', 'Rd,Td', MOVCR); row(0x126, 'mov', 'Td,Rd', MOVCR);
row(0x130, 'wrmsr', undefined, { needs: 'msr', x: '#UD,#GP' }); row(0x131, 'rdtsc', undefined, { needs: 'rdtsc', x: '#UD,#GP' });
row(0x132, 'rdmsr', undefined, { needs: 'msr', x: '#UD,#GP' });
row(0x1a0, 'push', 'fs', { x: STK }); row(0x1a1, 'pop', 'fs', { x: SEGLD }); row(0x1a2, 'cpuid', undefined, { needs: 'cpuid', x: '#UD' });
// Bit tests: CF = the bit; ZF kept; OF SF AF PF undefined.
const BTFX: OpcodeEffects = { f: 'C', fr: '', fu: 'PASO', x: MEM };
const BTFX_L: OpcodeEffects = { ...BTFX, x: MEM_L };
/** SHLD/SHRD: as SHL/SHR, and every flag undefined when the count exceeds the operand size. */
const SHDFX: Partial<OpcodeRow> = { f: 'CPZSO', fu: 'A:count≠0,O:count≠1,F:count>size', x: MEM };
row(0x1a3, 'bt', 'Ev,Gv', BTFX); row(0x1a4, 'shld', 'Ev,Gv,Ib', SHDFX); row(0x1a5, 'shld', 'Ev,Gv,cl', SHDFX);
row(0x1a8, 'push', 'gs', { x: STK }); row(0x1a9, 'pop', 'gs', { x: SEGLD }); row(0x1ab, 'bts', 'Ev,Gv', { lock: 0xff, ...BTFX_L });
row(0x1ac, 'shrd', 'Ev,Gv,Ib', SHDFX); row(0x1ad, 'shrd', 'Ev,Gv,cl', SHDFX); row(0x1af, 'imul', 'Gv,Ev', MULFX);
row(0x1b0, 'cmpxchg', 'Eb,Gb', { lock: 0xff, f: 'F', x: MEM_L }); row(0x1b1, 'cmpxchg', 'Ev,Gv', { lock: 0xff, f: 'F', x: MEM_L });
row(0x1b2, 'lss', 'Gv,Mp', { x: '#UD,#SS,#GP,#PF,#AC' }); row(0x1b3, 'btr', 'Ev,Gv', { lock: 0xff, ...BTFX_L });
row(0x1b4, 'lfs', 'Gv,Mp', { x: '#UD,' + SEGLD }); row(0x1b5, 'lgs', 'Gv,Mp', { x: '#UD,' + SEGLD });
row(0x1b6, 'movzx', 'Gv,Eb', { x: MEM }); row(0x1b7, 'movzx', 'Gv,Ew', { x: MEM });
T[0x1ba] = { m: null, o: 'Ev,Ib', group: [null, null, null, null, 'bt', 'bts', 'btr', 'btc'], lock: 0xe0, groupFx: [undefined, undefined, undefined, undefined, BTFX, BTFX_L, BTFX_L, BTFX_L] };
// BSF/BSR: ZF = (source is 0); CF OF SF AF PF undefined.
row(0x1bb, 'btc', 'Ev,Gv', { lock: 0xff, ...BTFX_L });
row(0x1bc, 'bsf', 'Gv,Ev', { f: 'Z', fu: 'CPASO', x: MEM }); row(0x1bd, 'bsr', 'Gv,Ev', { f: 'Z', fu: 'CPASO', x: MEM });
row(0x1be, 'movsx', 'Gv,Eb', { x: MEM }); row(0x1bf, 'movsx', 'Gv,Ew', { x: MEM });
row(0x1c0, 'xadd', 'Eb,Gb', { lock: 0xff, f: 'F', x: MEM_L }); row(0x1c1, 'xadd', 'Ev,Gv', { lock: 0xff, f: 'F', x: MEM_L });
T[0x1c7] = {
  m: null, o: 'Mq', group: [null, 'cmpxchg8b', null, null, null, null, null, null], lock: 0x02, needs: 'cmpxchg8b',
  groupFx: [undefined, { f: 'Z', fr: '', fu: '', x: MEM_L }],
};

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

/** One instruction as the table defines it: a plain row, or one ModRM.reg entry of a group. */
export interface OpcodeEntry {
  op: number;
  /** ModRM.reg for group entries, -1 for plain rows. */
  reg: number;
  m: string;
  o: string;
  f: string;
  fr: string;
  fu: string;
  x: string;
  lockable: boolean;
  needs?: OpcodeRow['needs'];
}

/** The instruction at `op` (and ModRM.reg for groups), with group overrides applied; undefined = #UD. */
export function opcodeEntry(op: number, reg = 0): OpcodeEntry | undefined {
  const r = T[op];
  if (!r) return undefined;
  const g = r.group ? r.groupFx?.[reg] : undefined;
  const m = r.group ? r.group[reg] : r.m;
  if (m === null || m === undefined) return undefined;
  const pick = (k: keyof OpcodeEffects): string => {
    const v = g?.[k] ?? r[k];
    // A field left out is a table error; the tests report it, consumers see ''.
    return v ?? '';
  };
  return {
    op, reg: r.group ? reg : -1, m, o: (r.group && r.groupOps?.[reg]) ?? r.o ?? '',
    f: pick('f'), fr: pick('fr'), fu: pick('fu'), x: pick('x'),
    lockable: r.group ? ((r.lock ?? 0) >> reg & 1) === 1 : (r.lock ?? 0) !== 0, needs: r.needs,
  };
}

/** Every defined instruction of the table (plain rows and non-null group entries), in opcode order. */
export function opcodeEntries(): OpcodeEntry[] {
  const out: OpcodeEntry[] = [];
  for (let op = 0; op < 512; op++) {
    const r = T[op];
    if (!r) continue;
    if (!r.group) { out.push(opcodeEntry(op)!); continue; }
    for (let reg = 0; reg < 8; reg++) { const e = opcodeEntry(op, reg); if (e) out.push(e); }
  }
  return out;
}

/** EFLAGS bit of each flag letter (L = the two IOPL bits; * = every defined bit). */
export const FLAG_BITS: Readonly<Record<string, number>> = Object.freeze({
  C: 0x1, P: 0x4, A: 0x10, Z: 0x40, S: 0x80, O: 0x800, F: 0x8d5,
  T: 0x100, I: 0x200, D: 0x400, L: 0x3000, N: 0x4000, R: 0x10000, V: 0x20000, K: 0x40000, '*': 0x77fd5,
});

/** A flag field as EFLAGS masks: `always` (unconditional items) and `maybe` (every item, conditional or not). */
export function flagMasks(field: string): { always: number; maybe: number } {
  let always = 0, maybe = 0;
  for (const item of field ? field.split(',') : []) {
    const [letters, cond] = item.split(':');
    let bits = 0;
    for (const ch of letters) bits |= FLAG_BITS[ch] ?? 0;
    maybe |= bits;
    if (cond === undefined) always |= bits;
  }
  return { always, maybe };
}
