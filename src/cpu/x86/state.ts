/** The architectural state of one IA-32 (i486) core as explicit named fields and typed arrays. */

/** Segment register numbers as encoded in ModRM.reg for MOV Sreg (ES, CS, SS, DS, FS, GS). */
export const ES = 0;
export const CS = 1;
export const SS = 2;
export const DS = 3;
export const FS = 4;
export const GS = 5;
/** Names of the segment registers by number. */
export const SEG_NAMES = ['es', 'cs', 'ss', 'ds', 'fs', 'gs'] as const;

/** General register numbers (ModRM encoding). */
export const EAX = 0, ECX = 1, EDX = 2, EBX = 3, ESP = 4, EBP = 5, ESI = 6, EDI = 7;
export const REG_NAMES = ['eax', 'ecx', 'edx', 'ebx', 'esp', 'ebp', 'esi', 'edi'] as const;

/** EFLAGS bits (SDM vol. 3 §2.3). */
export const CF = 0x1, PF = 0x4, AF = 0x10, ZF = 0x40, SF = 0x80, TF = 0x100, IF = 0x200, DF = 0x400, OF = 0x800;
export const IOPL = 0x3000, NT = 0x4000, RF = 0x10000, VM = 0x20000, AC = 0x40000, ID = 0x200000;
/** The six arithmetic status flags. */
export const ARITH_FLAGS = CF | PF | AF | ZF | SF | OF;

/** CR0 bits. ET is hard-wired to 1 on the 486. */
export const CR0_PE = 0x1, CR0_MP = 0x2, CR0_EM = 0x4, CR0_TS = 0x8, CR0_ET = 0x10, CR0_NE = 0x20;
export const CR0_WP = 0x10000, CR0_AM = 0x40000, CR0_NW = 0x20000000, CR0_CD = 0x40000000, CR0_PG = 0x80000000;

/**
 * Segment-cache attribute word: the descriptor's access byte in bits 0-7 (type, S, DPL, P) and
 * its flags nibble in bits 12-15 (AVL, 0, D/B, G), i.e. bits 8-23 of the descriptor's high dword
 * shifted right by 8 — the layout LAR returns in bits 8-23.
 */
export const ATTR_P = 0x80, ATTR_S = 0x10, ATTR_DB = 0x4000, ATTR_G = 0x8000;

/** Segment-cache access rights usable for memory access (derived from attr). */
export const SEG_R = 1, SEG_W = 2;
/**
 * XOR with this flips an int32's sign bit: unsigned 32-bit values, so flipped, compare in the
 * same order as signed int32s. Segment bounds are kept so (segLo/segHi), letting the limit check
 * work on small integers whatever the address (V8 keeps an unsigned value >= 2^31 as a double).
 */
export const SIGN_FLIP = -0x80000000;

/**
 * Initial value for numeric fields that may hold values >= 2^31 (addresses, EIP, CR0 with PG):
 * a heap-number -0 makes V8 choose the double field representation from the start, so the
 * first kernel address does not change the object's map and deoptimise the interpreter.
 */
export const DOUBLE_FIELD = -0;

/** 8-bit register number → byte index in the register file (AL CL DL BL AH CH DH BH). */
export const R8_INDEX = new Uint8Array([0, 4, 8, 12, 1, 5, 9, 13]);

/**
 * Every field of the architectural state. {@link Cpu} extends this class so that the interpreter
 * reaches state with one property load; {@link CpuState.copyStateFrom} moves a whole state between
 * objects (the next round's vCPU switch).
 */
export class CpuState {
  /** General registers; r32/r16/r8 are views of the same 32 bytes (little-endian host). */
  readonly r32: Int32Array;
  readonly r16: Uint16Array;
  readonly r8: Uint8Array;
  /** Instruction pointer (unsigned 32-bit number). */
  eip = DOUBLE_FIELD;
  /**
   * EFLAGS. The bits in {@link lazyMask} are stale here and computed from the lazy-flags record
   * (lazyKind/lazyBits/lazyDst/lazySrc/lazyRes) on demand.
   */
  flags = 2;
  lazyMask = 0;
  lazyKind = 0;
  lazyBits = 32;
  lazyDst = 0;
  lazySrc = 0;
  lazyRes = 0;

  /** Segment registers: visible selector and hidden descriptor cache. */
  readonly segSel = new Uint16Array(6);
  readonly segBase = new Float64Array(6);
  /** Effective limit in bytes (granularity applied). */
  readonly segLimit = new Float64Array(6);
  readonly segAttr = new Uint16Array(6);
  /**
   * Lowest and highest valid offsets for an access (expand-down aware), derived from the cache,
   * each held as `offset ^ SIGN_FLIP` (int32). An empty segment (expand-down with its limit at
   * the top of its range) has segLo > segHi.
   */
  readonly segLo = new Int32Array(6);
  readonly segHi = new Int32Array(6);
  /** SEG_R | SEG_W rights, 0 for an unusable (null) segment. Derived from the cache. */
  readonly segRights = new Uint8Array(6);
  /**
   * Bit s set: segment s allows every offset (0 to 4 GiB - 1) for reading, or for writing. Derived
   * from the cache with segLo/segHi/segRights: the common flat segment is then checked with one
   * bit and the 4 GiB wrap.
   */
  wholeRead = 0;
  wholeWrite = 0;

  cr0 = DOUBLE_FIELD; // reset() sets 0x60000010
  cr2 = DOUBLE_FIELD;
  cr3 = DOUBLE_FIELD;
  cr4 = DOUBLE_FIELD;
  /** DR0-DR7 (DR4/DR5 alias DR6/DR7 on the 486). */
  readonly dr = new Float64Array(8);

  gdtBase = DOUBLE_FIELD;
  gdtLimit = 0xffff;
  idtBase = DOUBLE_FIELD;
  idtLimit = 0x3ff;
  ldtSel = 0;
  ldtBase = DOUBLE_FIELD;
  ldtLimit = DOUBLE_FIELD; // reset() sets 0xffff
  ldtAttr = 0;
  trSel = 0;
  trBase = DOUBLE_FIELD;
  trLimit = DOUBLE_FIELD; // reset() sets 0xffff
  trAttr = 0;

  /** Current privilege level (0-3). */
  cpl = 0;
  /** In HLT, waiting for an interrupt. */
  halted = false;
  /** Shutdown after a triple fault: nothing runs until reset. */
  shutdown = false;
  /** One-instruction interrupt shadow after STI / MOV SS / POP SS. */
  shadow = false;
  /** NMIs blocked from NMI delivery until the next IRET. */
  nmiBlocked = false;

  /**
   * @param regs buffer holding the 32 bytes of the general registers at `regsOffset` (the 'wasm'
   *   engine's memory); a buffer of their own by default.
   */
  constructor(regs: ArrayBufferLike = new ArrayBuffer(32), regsOffset = 0) {
    this.r32 = new Int32Array(regs, regsOffset, 8);
    this.r16 = new Uint16Array(regs, regsOffset, 16);
    this.r8 = new Uint8Array(regs, regsOffset, 32);
  }

  /** Copy every architectural field from another state (vCPU switch). */
  copyStateFrom(o: CpuState): void {
    this.r32.set(o.r32);
    this.eip = o.eip;
    this.flags = o.flags; this.lazyMask = o.lazyMask; this.lazyKind = o.lazyKind; this.lazyBits = o.lazyBits;
    this.lazyDst = o.lazyDst; this.lazySrc = o.lazySrc; this.lazyRes = o.lazyRes;
    this.segSel.set(o.segSel); this.segBase.set(o.segBase); this.segLimit.set(o.segLimit); this.segAttr.set(o.segAttr);
    this.segLo.set(o.segLo); this.segHi.set(o.segHi); this.segRights.set(o.segRights);
    this.wholeRead = o.wholeRead; this.wholeWrite = o.wholeWrite;
    this.cr0 = o.cr0; this.cr2 = o.cr2; this.cr3 = o.cr3; this.cr4 = o.cr4; this.dr.set(o.dr);
    this.gdtBase = o.gdtBase; this.gdtLimit = o.gdtLimit; this.idtBase = o.idtBase; this.idtLimit = o.idtLimit;
    this.ldtSel = o.ldtSel; this.ldtBase = o.ldtBase; this.ldtLimit = o.ldtLimit; this.ldtAttr = o.ldtAttr;
    this.trSel = o.trSel; this.trBase = o.trBase; this.trLimit = o.trLimit; this.trAttr = o.trAttr;
    this.cpl = o.cpl; this.halted = o.halted; this.shutdown = o.shutdown; this.shadow = o.shadow; this.nmiBlocked = o.nmiBlocked;
  }
}
