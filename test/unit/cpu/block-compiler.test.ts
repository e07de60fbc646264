// The jit engine (block compiler and block cache) as a program sees it: compiled code retires, faults, stops, is interrupted and is replaced exactly as under the interpreter.
import { describe, test, expect } from 'vitest';
import { flat, peek32, PM_PRELUDE, identityPaging, engineOptions, asm, ENGINES, type Engine, type TestMachine } from '../../cpu/harness.js';
import { BOARDS } from '../../../boards/index.js';
import { validateBoard } from '../../../src/machine/validate-board.js';
import { Machine } from '../../../src/machine/machine.js';
import type { LoadResult } from '../../../src/machine/loaders/entry.js';

/** The same program on each engine (jit at threshold 1: every start address compiled at first sight). */
function onBoth(src: string, setup: (m: TestMachine) => void = () => {}): Record<Engine, TestMachine> {
  const out = {} as Record<Engine, TestMachine>;
  for (const engine of ENGINES) {
    const m = flat(src, engineOptions(engine));
    setup(m);
    out[engine] = m;
  }
  return out;
}

/** What must be equal between the engines after a run. */
function state(m: TestMachine) {
  const c = m.cpu;
  return {
    eip: c.eip >>> 0, regs: Array.from(c.r32, (v) => v >>> 0), eflags: c.getEflags(), instructions: c.instructions,
    now: m.clock.now, cr2: c.cr2 >>> 0, lastException: c.lastException, halted: c.halted,
  };
}

/** Where the PM_PRELUDE stubs record an exception: vector, error code, EIP. */
const exception = (m: TestMachine) => ({ vector: peek32(m, 0x3000), error: peek32(m, 0x3004), eip: peek32(m, 0x3008) });

describe('compiled loops', () => {
  test('a loop compiled into a block retires the same instructions in the same cycles as under the interpreter', () => {
    const { interp, jit } = onBoth(`
      mov ecx, 1000
      xor eax, eax
      jmp top
    top:
      add eax, ecx
      imul ebx, eax, 3
      dec ecx
      jnz top
      hlt`);
    expect(interp.cpu.run(1_000_000)).toBe('halt');
    expect(jit.cpu.run(1_000_000)).toBe('halt');
    expect(jit.cpu.blocks!.compiled).toBeGreaterThan(0);
    expect(state(jit)).toEqual(state(interp));
    expect(jit.cpu.instructions).toBe(3 + 4 * 1000 + 1);
    expect(jit.cpu.eax).toBe(500_500);
  });

  test('a run() budget ends inside a block that loops on itself, on the same instruction as the interpreter', () => {
    const { interp, jit } = onBoth(`
      jmp top
    top:
      inc eax
      add ebx, eax
      xor ebx, 0x5a5a
      jmp top`);
    let total = 0;
    for (let k = 1; k <= 40; k++) {
      total += k;
      expect(interp.cpu.run(k)).toBe('budget');
      expect(jit.cpu.run(k)).toBe('budget');
      expect(state(jit), `after run(${k})`).toEqual(state(interp));
      expect(jit.cpu.instructions).toBe(total);
    }
    expect(jit.cpu.blocks!.compiled).toBeGreaterThan(0);
  });

  test('an interrupt raised by a clock event lands on the same instruction of a looping block as under the interpreter', () => {
    const src = PM_PRELUDE + `
      SETGATE 0x40, irq, 0x8E00
      sti
      jmp top
    top:
      inc eax
      add ebx, eax
      xor ebx, 0x55
      jmp top
    irq:
      mov edx, [esp]          ; the interrupted EIP
      mov [0x3100], edx
      inc dword [0x3104]
      iret`;
    // Every event time over a few turns of the loop, so the interrupt falls before each instruction.
    for (let t = 0; t < 24; t++) {
      const m = onBoth(src, (x) => {
        const timer = x.clock.createTimer('irq', () => { x.pic.pending.push(0x40); });
        timer.set(4000 + t);
      });
      for (const x of [m.interp, m.jit]) {
        expect(x.cpu.run(1_000_000)).toBe('event');
        x.clock.runDue();
        x.cpu.run(100);
      }
      expect(peek32(m.jit, 0x3104), `event at ${4000 + t}: one interrupt`).toBe(1);
      expect(peek32(m.jit, 0x3100), `event at ${4000 + t}: interrupted EIP`).toBe(peek32(m.interp, 0x3100));
      expect(state(m.jit), `event at ${4000 + t}`).toEqual(state(m.interp));
      expect(m.jit.cpu.blocks!.compiled).toBeGreaterThan(0);
    }
  });
});

describe('faults inside blocks', () => {
  test('a #PF in the middle of a block reports the faulting instruction\'s EIP, CR2 and the interpreter\'s instruction count', () => {
    const { interp, jit } = onBoth(PM_PRELUDE + identityPaging({ edits: 'and dword [0x21000 + 0x90*4], ~1 ; page 0x90000 not present' }) + `
      mov dword [0x3010], fault
      jmp body
    body:
      mov eax, 1
      add ebx, eax
    fault:
      mov ecx, [0x90010]
      inc edx
      hlt`);
    for (const m of [interp, jit]) expect(m.cpu.run(100_000)).toBe('halt');
    const faultEip = peek32(jit, 0x3010);
    expect(exception(jit)).toEqual({ vector: 14, error: 0, eip: faultEip });
    expect(exception(interp)).toEqual(exception(jit));
    expect(jit.cpu.cr2 >>> 0).toBe(0x90010);
    expect(state(jit)).toEqual(state(interp));
    // The fault really was inside a compiled block: one starts at `body` and holds the faulting instruction after others.
    const blocks = jit.cpu.blocks!;
    const compiled = blocks.compiled;
    const b = blocks.lookup(faultEip - 7, faultEip - 7);
    expect(blocks.compiled, 'the block was compiled by the run, not by this look-up').toBe(compiled);
    expect(b?.eips.indexOf(faultEip)).toBe(2);
  });

  test('a #DE on the last turn of a block that loops on itself counts every earlier turn', () => {
    const { interp, jit } = onBoth(PM_PRELUDE + `
      mov dword [0x3010], divide
      mov ecx, 20
      jmp top
    top:
      mov eax, 1000
      xor edx, edx
      dec ecx
    divide:
      div ecx                 ; #DE when ECX reaches 0, on the 20th turn
      jmp top`);
    for (const m of [interp, jit]) expect(m.cpu.run(100_000)).toBe('halt');
    expect(exception(jit)).toEqual({ vector: 0, error: 0xeeeeeeee, eip: peek32(jit, 0x3010) });
    expect(state(jit)).toEqual(state(interp));
    expect(jit.cpu.blocks!.compiled).toBeGreaterThan(0);
  });
});

describe('self-modifying code', () => {
  test('a store into a page with compiled code makes the new code run, and the page\'s blocks are dropped', () => {
    const { interp, jit } = onBoth(`
      mov esi, 3
      xor edx, edx
    again:
      call fn
      mov dword [fn + 1], 2   ; fn now returns 2
      add edx, eax
      dec esi
      jnz again
      hlt
    fn:
      mov eax, 1
      ret`);
    for (const m of [interp, jit]) expect(m.cpu.run(1000)).toBe('halt');
    expect(jit.cpu.edx).toBe(1 + 2 + 2);
    expect(state(jit)).toEqual(state(interp));
    expect(jit.cpu.blocks!.invalidated).toBeGreaterThan(0);
  });

  test('a store that patches the next instruction of the running block takes effect at once', () => {
    const { interp, jit } = onBoth(`
      jmp go
    go:
      mov byte [next + 1], 7
    next:
      mov al, 5
      hlt`);
    for (const m of [interp, jit]) expect(m.cpu.run(100)).toBe('halt');
    expect(jit.cpu.eax & 0xff).toBe(7);
    expect(state(jit)).toEqual(state(interp));
  });

  test('code not yet compiled runs from the decoded-instruction cache; a write to it on a page with compiled code is seen by both', () => {
    const src = `
      mov esi, 40
      xor edx, edx
    again:
      call fn
      add edx, eax
      cmp esi, 30
      jne skip
      mov dword [fn + 1], 5   ; from the 12th call on, fn returns 5
    skip:
      dec esi
      jnz again
      hlt
    fn:
      mov eax, 1
      ret`;
    const interp = flat(src, { engine: 'interp' });
    const jit = flat(src, { engine: 'jit', jitThreshold: 20 });
    for (const m of [interp, jit]) expect(m.cpu.run(10_000)).toBe('halt');
    expect(jit.cpu.edx).toBe(11 * 1 + 29 * 5);
    expect(state(jit)).toEqual(state(interp));
    expect(jit.cpu.decoded!.decoded).toBeGreaterThan(0);
    expect(jit.cpu.decoded!.invalidated).toBeGreaterThan(0);
    expect(jit.cpu.blocks!.compiled).toBeGreaterThan(0);
  });

  test('a page written over and over stops being compiled but still runs as under the interpreter', () => {
    const { interp, jit } = onBoth(`
      mov ecx, 50
      xor ebx, ebx
      jmp top
    top:
      mov [val + 1], ecx      ; the immediate below becomes ECX
    val:
      mov eax, 0
      add ebx, eax
      dec ecx
      jnz top
      hlt`);
    for (const m of [interp, jit]) expect(m.cpu.run(10_000)).toBe('halt');
    expect(jit.cpu.ebx).toBe((50 * 51) / 2);
    expect(state(jit)).toEqual(state(interp));
    // Recompiled after some of the 50 writes, then given up: far fewer blocks compiled than turns,
    // and the given-up page is no longer watched (its writes stop dropping anything).
    expect(jit.cpu.blocks!.invalidated).toBeGreaterThan(1);
    expect(jit.cpu.blocks!.invalidated).toBeLessThan(25);
    expect(jit.cpu.blocks!.compiled).toBeGreaterThan(1);
    expect(jit.cpu.blocks!.compiled).toBeLessThan(25);
  });
});

/** A loader result entering `code` at 0x100000 in flat 32-bit mode (GDT at 0x800: 0x08 code, 0x10 data). */
function flatImage(code: Uint8Array): LoadResult {
  const gdt = new Uint8Array(24);
  const dv = new DataView(gdt.buffer);
  dv.setUint32(8, 0x0000ffff, true); dv.setUint32(12, 0x00cf9a00, true);
  dv.setUint32(16, 0x0000ffff, true); dv.setUint32(20, 0x00cf9200, true);
  return {
    segments: [{ address: 0x800, bytes: gdt }, { address: 0x100000, bytes: code }],
    entry: { mode: 'flat32', state: { eip: 0x100000, codeSelector: 8, dataSelector: 0x10, gdtBase: 0x800, gdtLimit: 23 } },
  };
}

describe('compiled code is dropped when RAM is replaced', () => {
  test('loadState drops compiled blocks: code changed behind the bus runs after a restore', () => {
    const { interp, jit } = onBoth(`jmp top\ntop: mov eax, 1\nadd ebx, eax\njmp top`);
    for (const m of [interp, jit]) {
      m.cpu.run(100);
      const snap = m.cpu.saveState();
      m.bus.ram[0x10003] = 2; // mov eax, 1 -> mov eax, 2, written straight into RAM (no bus write)
      m.cpu.loadState(snap);
      m.cpu.run(100);
    }
    expect(jit.cpu.eax).toBe(2);
    expect(state(jit)).toEqual(state(interp));
  });

  test('loading a new image into a machine drops the blocks compiled from the old one', () => {
    const v = validateBoard(BOARDS['pc-i486']);
    if (!v.ok) throw new Error('pc-i486 does not validate');
    const machine = Machine.create(v.board, { engine: 'jit', jitThreshold: 1 });
    const image = (value: number) => flatImage(asm(`jmp top\ntop: mov eax, ${value}\ninc ebx\ncli\nhlt`, 32, 0x100000));
    machine.load(image(0x11));
    machine.cpu.run(100);
    expect(machine.cpu.eax).toBe(0x11);
    expect(machine.cpu.blocks!.compiled).toBeGreaterThan(0);
    machine.load(image(0x22));
    machine.cpu.run(100);
    expect(machine.cpu.eax).toBe(0x22);
  });

  test('a board reset with policy restart runs the image copied in again, not code compiled from the patched bytes', () => {
    const v = validateBoard(BOARDS['pc-i486']);
    if (!v.ok) throw new Error('pc-i486 does not validate');
    // First boot: patch `mov bl, 0x11` to 0x42, run it (compiled from the patched bytes), then
    // reset through port 0x92. RAM survives the warm reset, the image is copied in again: the
    // second boot must see 0x11 again and exit with it.
    const code = asm(`
      start: inc dword [0x200000]
             cmp dword [0x200000], 1
             jne second
             mov byte [val + 1], 0x42
             jmp val
      val:   mov bl, 0x11
             cmp dword [0x200000], 1
             jne done
             mov al, 1
             out 0x92, al
             jmp $
      done:  mov al, bl
             out 0xf4, al
             jmp $
      second: jmp val`, 32, 0x100000);
    const image = flatImage(code);
    const exits = ENGINES.map((engine) => {
      const machine = Machine.create(v.board, { ...engineOptions(engine), onReset: 'restart' });
      machine.load(image);
      expect(machine.run({ maxInstructions: 1000 })).toBe('exit');
      return machine.report().guestExitValue;
    });
    expect(exits).toEqual(ENGINES.map(() => 0x11));
  });
});
