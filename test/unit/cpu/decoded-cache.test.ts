// The interpreter's decoded-instruction cache: which forms it keeps, and that running them from the cache is running them through the decoder.
import { describe, test, expect } from 'vitest';
import { flat, machine, writeFlatGdt, asm, peek32, PM_PRELUDE, identityPaging, type TestMachine } from '../../cpu/harness.js';
import { NONE } from '../../../src/cpu/x86/decoded-cache.js';
import type { Engine } from '../../../src/cpu/x86/cpu.js';

const CODE = 0x10000;
const DATA = 0x50000;
const FORM = CODE + 1;

/** Everything an instruction may change, for comparing the cache with the plain decoder. */
function state(m: TestMachine) {
  const c = m.cpu;
  return {
    eip: c.eip >>> 0, regs: Array.from(c.r32, (v) => v >>> 0), eflags: c.getEflags(), instructions: c.instructions,
    now: m.clock.now, cr2: c.cr2 >>> 0, lastException: c.lastException, halted: c.halted,
    data: Array.from(m.bus.ram.subarray(DATA, DATA + 0x40)), stack: Array.from(m.bus.ram.subarray(0x7ff00, 0x80000)),
  };
}

/** The kind the cache holds for the instruction at physical address `p` (NONE if it holds nothing there). */
function kindAt(m: TestMachine, p: number): number {
  const d = m.cpu.decoded!;
  const s = p & 0xffff;
  return d.tag[s] === p ? d.info[s] & 0xff : NONE;
}

/**
 * One instruction at FORM, after a NOP at CODE (the first instruction of every run() takes the
 * slow path, which never looks at the cache), with HLT everywhere after it (so every jump and
 * call near it stops), on a machine with the cache and one without, from the same registers,
 * flags and memory.
 */
function single(src: string, engine: Engine = 'interp'): { cached: TestMachine; plain: TestMachine } {
  const make = (decodedCache: boolean) => {
    const m = machine({ decodedCache, engine: decodedCache ? engine : 'interp' });
    writeFlatGdt(m.bus);
    m.bus.ram.fill(0xf4, CODE, CODE + 0x100);
    m.bus.loadBytes(CODE, asm(`nop\n${src}`, 32, CODE));
    for (let i = 0; i < 0x40; i++) m.bus.ram[DATA + i] = (i * 37 + 11) & 0xff;
    new DataView(m.bus.ram.buffer, m.bus.ram.byteOffset).setUint32(0x7fffc, CODE + 0x40, true); // a return address for RET
    m.cpu.enterFlatProtectedMode({
      eip: CODE, esp: 0x7fffc, codeSelector: 0x08, dataSelector: 0x10, gdtBase: 0x800, gdtLimit: 0x3f,
      eax: CODE + 0x20, ebx: DATA, ecx: 0x8003, edx: 0x7fffffff, esi: 3, edi: 0xfffffffe, ebp: DATA + 0x10,
    });
    m.cpu.setEflags(0x2 | 0x1 | 0x40 | 0x800); // CF, ZF, OF set
    return m;
  };
  return { cached: make(true), plain: make(false) };
}

/** `src` as flat code run to its HLT (within `budget` instructions) with the cache and without. */
function bothToHalt(src: string, budget: number): { cached: TestMachine; plain: TestMachine } {
  const cached = flat(src), plain = flat(src, { decodedCache: false });
  expect(cached.cpu.run(budget)).toBe('halt');
  expect(plain.cpu.run(budget)).toBe('halt');
  return { cached, plain };
}

/** Every form the cache keeps, as NASM (32-bit code; EBX, EBP point at data, EAX at HLTs). */
const KEPT = [
  // ALU with registers and immediates, by operation
  'add eax, ebx', 'or ecx, edx', 'adc eax, ebx', 'sbb edx, esi', 'and ebx, ecx', 'sub ecx, edx', 'xor eax, eax', 'cmp edx, ebx',
  'add eax, 5', 'add ecx, 0x12345678', 'adc edx, -1', 'sbb esi, 3', 'or eax, -2', 'sub ecx, 7', 'cmp edx, 0x7fffffff', 'xor edi, 1',
  'db 0x03, 0xc3 ; add eax, ebx (reg, r/m)', 'db 0x2b, 0xca ; sub ecx, edx (reg, r/m)',
  'test eax, ebx', 'test eax, 0x100', 'test ecx, 0x8000', 'inc esi', 'dec edi', 'db 0xff, 0xc1 ; inc ecx', 'db 0xff, 0xc9 ; dec ecx',
  'mov eax, ebx', 'db 0x8b, 0xc3 ; mov eax, ebx (8B)', 'mov edx, 5', 'db 0xc7, 0xc1, 1, 2, 3, 4 ; mov ecx, imm32 (C7)',
  'lea eax, [ebx+esi*4+8]', 'lea ecx, [esi*8+0x1000]', 'lea edx, [ebp-4]',
  // Jumps: taken, not taken, near, short
  'jz $+0x10', 'jnz $+0x10', 'jc $+0x20', 'jo $-0', 'jl $+0x30', 'jg near $+0x40', 'jbe near $+0x50', 'jmp short $+0x12', 'jmp near $+0x60', 'loop $+0x10',
  // Bytes
  'add al, bl', 'sub bh, cl', 'db 0x02, 0xc3 ; add al, bl (reg, r/m)', 'add al, 5', 'cmp al, 0x40', 'adc cl, 3', 'and dh, 0x0f',
  'test al, bl', 'test al, 1', 'test bl, 0x80', 'test bh, 1', 'mov al, bl', 'mov ah, ch', 'db 0x8a, 0xc3 ; mov al, bl (8A)', 'mov bh, 3', 'db 0xc6, 0xc3, 9 ; mov bl, 9 (C6)',
  'movzx eax, bl', 'movzx eax, bh', 'movzx ecx, dx', 'movsx eax, cl', 'movsx edx, dx',
  'shl eax, 3', 'shr edx, 1', 'sar edx, cl', 'rol ecx, 5', 'rcr ebx, 2', 'shl ecx, 0', 'setz al', 'setnc bh', 'setl cl', 'nop',
  'db 0x66, 0x90 ; two-byte nop', 'not eax', 'neg ecx', 'neg edi',
  'imul eax, ebx', 'imul ecx, edx, 7', 'imul edx, edx, 2', 'imul eax, esi, 0x12345', 'bt eax, 3', 'bts ecx, 31', 'btr edx, 0', 'btc esi, 1',
  // Memory
  'add eax, [ebx+8]', 'sub [ebx+esi*4], eax', 'cmp [ebx+4], ecx', 'add dword [ebx+8], 5', 'sbb dword [ebx], 0x12345', 'cmp dword [ebx], 7',
  'test [ebx], eax', 'mov eax, [ebx+esi*4+8]', 'mov ecx, [ebp+4]', 'mov edx, [esp]', 'mov [ebx+4], eax', 'mov dword [ebx], 7',
  'mov al, [ebx]', 'mov [ebx+1], ch', 'mov byte [ebx], 7', 'mov ax, [ebx+2]', 'mov [ebx], dx', 'mov word [ebx+6], 0x1234',
  'movzx eax, byte [ebx+3]', 'movzx eax, word [ebx]', 'movsx eax, byte [ebx+5]', 'movsx ecx, word [ebx+6]',
  'add byte [ebx], 5', 'cmp byte [ebx+1], 0xff', 'add al, [ebx]', 'cmp ch, [ebx+2]', 'add [ebx], al', 'xor [ebx+3], bh', 'test byte [ebx], 1',
  'inc dword [ebx]', 'dec dword [ebx+4]', 'mov eax, [0x50020]', 'mov [0x50020], eax', 'mov al, [0x50021]', 'mov [0x50022], al',
  'push eax', 'push esp', 'pop ecx', 'pop esp', 'push 5', 'push 0x12345', 'push dword [ebx]', 'db 0xff, 0xf3 ; push ebx (FF /6)',
  'imul edx, [ebx+4]', 'imul ecx, [ebx], -3', 'imul eax, [ebx+8], 0x7fffffff',
  'bt dword [ebx], 5', 'bts dword [ebx+4], 7', 'btr dword [ebx], 9', 'btc dword [ebx+8], 30',
  // Transfers
  'call $+0x30', 'ret', 'call eax', 'call [ebx+0x30]', 'jmp eax', 'jmp [ebx+0x30]', 'leave',
];

/**
 * String instructions, which the cache decodes for the wasm engine only (ECX = 0x8003 elements:
 * the destination EDI = 0xfffffffe wraps past 4 GiB, where the loop stops and leaves the rest of
 * the step to the decoder; a REPE/REPNE stops at the first element that decides it).
 */
const STRINGS_BY_WASM = [
  'movsb', 'movsd', 'stosb', 'stosd', 'lodsb', 'lodsd', 'scasb', 'scasd', 'cmpsb', 'cmpsd',
  'rep stosd', 'rep movsb', 'repe cmpsb', 'repne scasb', 'repe scasd', 'rep lodsb',
  'db 0xf2, 0xa5 ; repne movsd (REP)', 'std\nrep movsd', 'xchg esi, edi\nrep movsd', 'mov edi, ebx\nrep stosd', 'mov edi, ebx\nstd\nrep stosb',
  'mov ecx, 5000\nmov edi, ebx\nrep stosb', 'mov ecx, 0\nrep movsd',
];

/** The other forms the cache decodes for the wasm engine only. */
const KEPT_BY_WASM = [
  ...STRINGS_BY_WASM,
  'cli', 'pushfd', 'bt eax, ebx', 'bts ecx, edx', 'btr esi, ecx', 'btc edx, eax',
  'bt dword [ebx], eax', 'bts dword [ebx+4], esi', 'btr dword [ebx], ecx', 'btc dword [ebp], esi', 'bt dword [ebx], edi',
  'cmpxchg ecx, edx', 'cmpxchg eax, ebx', 'cmpxchg eax, eax', 'cmpxchg [ebx], ecx', 'cmpxchg [ebx+8], eax',
  'xadd ecx, edx', 'xadd eax, eax', 'xadd [ebx+4], esi', 'xadd [ebx], ebx',
];

/** Forms the cache leaves to the decoder. */
const NOT_KEPT = [
  'rep movsd', 'in al, 0xe9', 'out 0xe9, al', 'pushfd', 'popfd', 'db 0x66, 0x89, 0xd8 ; mov ax, bx', 'db 0x64, 0x8b, 0x03 ; mov eax, fs:[ebx]',
  'mul ebx', 'div ecx', 'xchg eax, ebx', 'cld', 'stosd', 'int 3', 'lea eax, [bx+si]', 'imul ebx', 'bt eax, ebx', 'bt dword [ebx], eax', 'not dword [ebx]', 'neg dword [ebx]', 'db 0x0f, 0xba, 0xc0, 3 ; 0F BA /0 (#UD)', 'db 0x66, 0xc9 ; leave (16-bit)', 'ret 4',
  'loope $+0x10', 'loopne $+0x10', 'jecxz $+0x10', 'db 0x67, 0xe2, 0x0e ; loop with CX',
];

describe('forms the cache keeps', () => {
  // The operand of `call [ebx+0x30]` and `jmp [ebx+0x30]`: a HLT after the code.
  const withTarget = (m: TestMachine) => new DataView(m.bus.ram.buffer, m.bus.ram.byteOffset).setUint32(DATA + 0x30, CODE + 0x50, true);

  for (const engine of ['interp', 'wasm'] as const) test.each(engine === 'wasm' ? [...KEPT, ...KEPT_BY_WASM.filter((src) => !src.includes('\n'))] : KEPT)(`%s is decoded once and runs from the cache as it runs through the decoder (${engine} engine)`, (src) => {
    const { cached, plain } = single(src, engine);
    withTarget(cached); withTarget(plain);
    expect(cached.cpu.run(2)).toBe(plain.cpu.run(2));
    expect(kindAt(cached, FORM)).not.toBe(NONE);
    expect(state(cached)).toEqual(state(plain));
    // And again from the cache, with the state the first run left.
    cached.cpu.eip = CODE; plain.cpu.eip = CODE;
    expect(cached.cpu.run(2)).toBe(plain.cpu.run(2));
    expect(state(cached)).toEqual(state(plain));
    expect(cached.cpu.internalErrors).toBe(0);
    // The WebAssembly loop ran the form itself (it leaves RCL and RCR to JavaScript; string
    // instructions here write at EDI = 0xfffffffe, past RAM, where it stops: wasm-loop.test.ts
    // runs them on RAM).
    if (engine === 'wasm' && !src.startsWith('rc') && !STRINGS_BY_WASM.includes(src)) expect(cached.cpu.wasm!.retired).toBeGreaterThan(0);
  });

  test.each(NOT_KEPT)('%s is left to the decoder', (src) => {
    const { cached, plain } = single(src);
    expect(cached.cpu.run(2)).toBe(plain.cpu.run(2));
    expect(kindAt(cached, FORM)).toBe(NONE);
    expect(state(cached)).toEqual(state(plain));
  });
});

describe('LOOP from the cache', () => {
  test('counts ECX down, jumps while it is not zero, and falls through at zero, as the decoder does', () => {
    const src = `
      mov ecx, 5
      xor eax, eax
    top:
      add eax, ecx
      loop top
      hlt`;
    const { cached, plain } = bothToHalt(src, 100);
    expect(cached.cpu.eax).toBe(15);
    expect(cached.cpu.ecx).toBe(0);
    expect(state(cached)).toEqual(state(plain));
  });
});

describe('what the cache may not keep', () => {
  test('an instruction that crosses into the next page is decoded at every execution, and runs', () => {
    const m = flat(`
      mov ecx, 3
    top:
      mov eax, 0x12345678     ; its last bytes lie in the next page
      add ebx, eax
      dec ecx
      jnz top
      hlt`, { at: 0x10ffa });
    expect(m.cpu.run(100)).toBe('halt');
    expect(m.cpu.ebx).toBe((3 * 0x12345678) | 0);
    expect(kindAt(m, 0x10fff)).toBe(NONE);
    expect(kindAt(m, 0x11004)).not.toBe(NONE); // add ebx, eax
  });

  test('an instruction that runs past the CS limit raises #GP, not a cached form', () => {
    // Code segment 0x40: base 0, byte-granular limit 0x11803; MOV EAX, imm32 at 0x11800 ends at 0x11804.
    const src = `${PM_PRELUDE}
      mov dword [0x840], 0x00001803
      mov dword [0x844], 0x00419a00
      lgdt [gdtr]
      jmp 0x40:0x117fe
    gdtr: dw 0x47
      dd 0x800
      times 0x117fe - 0x10000 - ($-$$) nop
      nop
      nop
      mov eax, 0x11223344`;
    for (const decodedCache of [true, false]) {
      const m = flat(src, { decodedCache });
      expect(m.cpu.run(10_000)).toBe('halt');
      expect(peek32(m, 0x3000)).toBe(13); // #GP
      expect(peek32(m, 0x3008)).toBe(0x11800);
      expect(m.cpu.eax).not.toBe(0x11223344);
    }
  });
});

describe('writes to code', () => {
  test('a store into a decoded instruction is seen the next time it runs', () => {
    const m = flat(`
      mov ecx, 4
    top:
    site:
      add eax, 1              ; 83 C0 01: its immediate is patched below
      inc byte [site + 2]
      dec ecx
      jnz top
      hlt`);
    expect(m.cpu.run(100)).toBe('halt');
    expect(m.cpu.eax).toBe(1 + 2 + 3 + 4);
    expect(m.cpu.decoded!.invalidated).toBe(4);
  });

  test('a loader copy over decoded code (bus.loadBytes) drops what was decoded there', () => {
    const m = flat('mov eax, 1\nhlt');
    expect(m.cpu.run(10)).toBe('halt');
    expect(m.cpu.eax).toBe(1);
    m.bus.loadBytes(CODE, asm('mov eax, 2\nhlt', 32, CODE));
    m.cpu.eip = CODE; m.cpu.halted = false;
    expect(m.cpu.run(10)).toBe('halt');
    expect(m.cpu.eax).toBe(2);
  });

  test('RAM replaced behind the bus is noticed at a state restore (the cache is flushed)', () => {
    const m = flat('mov eax, 1\nhlt');
    const start = m.cpu.saveState();
    expect(m.cpu.run(10)).toBe('halt');
    m.bus.ram.set(asm('mov eax, 3\nhlt', 32, CODE), CODE); // no bus notification
    m.cpu.loadState(start);
    expect(m.cpu.run(10)).toBe('halt');
    expect(m.cpu.eax).toBe(3);
  });

  test('a page whose code and written data share it is given up after 8 quick invalidations, and still runs right', () => {
    const src = `
      mov ecx, 40
    top:
      add [counter], ecx      ; a write into this very page
      dec ecx
      jnz top
      mov eax, [counter]
      hlt
    counter: dd 0`;
    const { cached, plain } = bothToHalt(src, 1000);
    expect(cached.cpu.eax).toBe((40 * 41) / 2);
    // The first write comes after no earlier one; the eight after it each come a few instructions
    // after the one before.
    expect(cached.cpu.decoded!.invalidated).toBe(9);
    expect(cached.cpu.decoded!.givenUp[CODE >>> 12]).toBe(1);
    expect(kindAt(cached, CODE)).toBe(NONE);
    expect(state(cached)).toEqual(state(plain));
  });

  test('a page whose data is written only now and then stays cached, and runs right', () => {
    // An inner loop of 100 decoded iterations between two writes into the code page.
    const src = `
      mov ebx, 30
    outer:
      mov ecx, 100
    inner:
      add eax, ecx
      dec ecx
      jnz inner
      add [counter], ebx      ; one write into this very page per outer turn
      dec ebx
      jnz outer
      mov edx, [counter]
      hlt
    counter: dd 0`;
    const { cached, plain } = bothToHalt(src, 100_000);
    expect(cached.cpu.edx).toBe((30 * 31) / 2);
    expect(cached.cpu.decoded!.invalidated).toBe(30);
    expect(cached.cpu.decoded!.givenUp[CODE >>> 12]).toBe(0);
    expect(kindAt(cached, CODE + 24)).not.toBe(NONE); // mov edx, [counter]: decoded after the last write
    expect(state(cached)).toEqual(state(plain));
  });
});

describe('faults and devices inside decoded runs', () => {
  test('a page fault in a decoded load reports the load as the faulting instruction, with the same count and time', () => {
    const src = `${PM_PRELUDE}
      ${identityPaging({ edits: 'and dword [0x21000 + 0x60*4], ~1' })}
      mov ecx, 5
      xor eax, eax
    top:
      add eax, ecx
      dec ecx
      jnz top
    load:
      mov ebx, [0x60010]      ; page 0x60 is not present
      hlt`;
    const { cached, plain } = bothToHalt(src, 100_000);
    expect(peek32(cached, 0x3000)).toBe(14);
    expect(cached.cpu.cr2 >>> 0).toBe(0x60010);
    expect(peek32(cached, 0x3008)).toBe(peek32(plain, 0x3008));
    expect(state(cached)).toEqual(state(plain));
  });

  test('a LEAVE whose load faults leaves ESP and EBP as they were, as the decoder does', () => {
    const src = `${PM_PRELUDE}
      ${identityPaging({ edits: 'and dword [0x21000 + 0x60*4], ~1' })}
      mov ebp, 0x60ff0        ; page 0x60 is not present
      mov esp, 0x7f000
      mov ecx, 3
    top:
      dec ecx
      jnz top
      leave
      hlt`;
    const { cached, plain } = bothToHalt(src, 100_000);
    expect(peek32(cached, 0x3000)).toBe(14);
    expect(cached.cpu.cr2 >>> 0).toBe(0x60ff0);
    expect(cached.cpu.ebp).toBe(0x60ff0);
    expect(state(cached)).toEqual(state(plain));
  });

  test('a device read by a decoded load sees the clock and the instruction count of that load', () => {
    const seen: Record<string, string[]> = {};
    for (const decodedCache of [true, false]) {
      const m = flat(`
        mov ecx, 3
      top:
        add eax, [0x200000]
        mov [0x200004], eax
        dec ecx
        jnz top
        hlt`, { decodedCache });
      const log: string[] = [];
      m.bus.mapMmio('probe', 0x200000, 0x1000, {
        read8: (o) => { log.push(`r${o}@${m.clock.now}/${m.cpu.instructions}`); return (m.clock.now + o) & 0xff; },
        write8: (o, v) => { log.push(`w${o}=${v}@${m.clock.now}/${m.cpu.instructions}`); },
      });
      expect(m.cpu.run(1000)).toBe('halt');
      seen[String(decodedCache)] = log;
    }
    expect(seen.true.length).toBeGreaterThan(0);
    expect(seen.true).toEqual(seen.false);
  });

  test('a run() budget or a clock event ends a decoded run on the same instruction as the decoder', () => {
    const src = `
    top:
      add eax, 3
      xor ebx, eax
      sub ecx, 1
      jmp top`;
    const cached = flat(src), plain = flat(src, { decodedCache: false });
    for (const m of [cached, plain]) m.clock.createTimer('t', () => {}).set(1237);
    for (const budget of [1, 2, 3, 5, 100, 1000, 7]) {
      expect(cached.cpu.run(budget)).toBe(plain.cpu.run(budget));
      expect(state(cached)).toEqual(state(plain));
    }
  });
});
