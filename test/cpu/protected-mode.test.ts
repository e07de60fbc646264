// Protected-mode behaviour of the CPU on small nasm programs: exceptions with error codes, paging, rings, interrupts; on both engines.
import { describe, test, expect } from 'vitest';
import { peek32, PM_PRELUDE, runToHalt, identityPaging, ENGINES, onEngine, type TestMachine } from './harness.js';

const vec = (m: TestMachine) => peek32(m, 0x3000);
const err = (m: TestMachine) => peek32(m, 0x3004);
const at = (m: TestMachine) => peek32(m, 0x3008);

for (const engine of ENGINES) describe(`${engine} engine`, () => {
  const { flat, real } = onEngine(engine);

  describe('exceptions in flat protected mode', () => {
    test('UD2 raises #UD with EIP at the instruction', () => {
      const m = flat(PM_PRELUDE + `mov eax, 1\nbad: ud2\nhlt\n` + `dd bad\n`);
      expect(runToHalt(m)).toBe('halt');
      expect(vec(m)).toBe(6);
      expect(m.cpu.internalErrors).toBe(0);
    });

    test('DIV by zero raises #DE restartably (EIP = the DIV)', () => {
      const m = flat(PM_PRELUDE + `xor ecx, ecx\nmov eax, 10\nd: div ecx\nhlt\nmov dword [0x3010], d\n`);
      expect(runToHalt(m)).toBe('halt');
      expect(vec(m)).toBe(0);
      const m2 = flat(PM_PRELUDE + `mov dword [0x3010], d\nxor ecx, ecx\nd: div ecx\nhlt`);
      runToHalt(m2);
      expect(at(m2)).toBe(peek32(m2, 0x3010));
    });

    test('a null data segment access raises #GP(0); a bad selector #GP(selector)', () => {
      const m = flat(PM_PRELUDE + `xor eax, eax\nmov fs, ax\nmov eax, [fs:0x5000]\nhlt`);
      runToHalt(m);
      expect(vec(m)).toBe(13);
      expect(err(m)).toBe(0);
      const m2 = flat(PM_PRELUDE + `mov ax, 0x1234\nmov es, ax\nhlt`);
      runToHalt(m2);
      expect(vec(m2)).toBe(13);
      expect(err(m2)).toBe(0x1234); // selector error code: index | TI, RPL dropped
    });

    test('INT3 is a trap: the pushed EIP follows the INT3', () => {
      const m = flat(PM_PRELUDE + `mov dword [0x3010], after\nint3\nafter: hlt`);
      runToHalt(m);
      expect(vec(m)).toBe(3);
      expect(at(m)).toBe(peek32(m, 0x3010));
    });

    test('x87 opcodes raise #NM when CR0.EM=1 and are no-ops on a 486SX with EM=0', () => {
      const m = flat(PM_PRELUDE + `mov eax, cr0\nor eax, 4\nmov cr0, eax\nfninit\nhlt`);
      runToHalt(m);
      expect(vec(m)).toBe(7);
      const m2 = flat(PM_PRELUDE + `mov word [0x3020], 0xffff\nfninit\nfnstsw [0x3020]\nmov dword [0x3024], 1\nhlt`);
      runToHalt(m2);
      expect(vec(m2)).toBe(0xffffffff);
      expect(peek32(m2, 0x3020) & 0xffff).toBe(0xffff);
      expect(peek32(m2, 0x3024)).toBe(1);
    });

    test('RDTSC, RDMSR and CMPXCHG8B are #UD on a 486; CPUID answers family 4', () => {
      for (const insn of ['rdtsc', 'rdmsr', 'cmpxchg8b [0x4000]']) {
        const m = flat(PM_PRELUDE + insn + `\nhlt`);
        runToHalt(m);
        expect(vec(m)).toBe(6);
      }
      const m = flat(PM_PRELUDE + `xor eax, eax\ncpuid\nmov [0x3010], ebx\nmov [0x3014], edx\nmov [0x3018], ecx\nmov eax, 1\ncpuid\nmov [0x301c], eax\nmov [0x3020], edx\nhlt`);
      runToHalt(m);
      const vendor = Buffer.from(m.bus.ram.slice(0x3010, 0x301c)).toString('latin1');
      expect(vendor).toBe('GenuineIntel');
      expect((peek32(m, 0x301c) >> 8) & 0xf).toBe(4);
      expect(peek32(m, 0x3020)).toBe(0);
    });

    test('LOCK is #UD on a register destination or a non-lockable opcode, legal on ADD to memory', () => {
      const m = flat(PM_PRELUDE + `lock add eax, ebx\nhlt`);
      runToHalt(m);
      expect(vec(m)).toBe(6);
      const m2 = flat(PM_PRELUDE + `mov dword [0x4000], 5\nmov eax, 3\nlock add [0x4000], eax\nlock xadd [0x4000], eax\nhlt`);
      runToHalt(m2);
      expect(vec(m2)).toBe(0xffffffff);
      expect(peek32(m2, 0x4000)).toBe(11);
      expect(m2.cpu.eax).toBe(8);
    });

    test('REP BSF decodes as BSF; BSWAP, CMPXCHG work', () => {
      const m = flat(PM_PRELUDE + `mov ecx, 0x100\nrep bsf eax, ecx\nmov ebx, 0x11223344\nbswap ebx\nmov dword [0x4000], 7\nmov eax, 7\nmov edx, 9\ncmpxchg [0x4000], edx\nhlt`);
      runToHalt(m);
      expect(m.cpu.eax).toBe(7);
      expect(m.cpu.ebx).toBe(0x44332211);
      expect(peek32(m, 0x4000)).toBe(9);
      expect(m.cpu.ecx).toBe(0x100);
    });

    test('an IDT that cannot deliver anything triple-faults into shutdown', () => {
      const m = flat(`lidt [idtr]\nint3\nhlt\nidtr: dw 0\ndd 0`);
      expect(m.cpu.run(1000)).toBe('shutdown');
    });
  });

  describe('paging', () => {
    // Identity-map the first 4 MiB with PD at 0x20000, PT at 0x21000; page 0x400000+ not present.
    const PAGING = identityPaging();

    test('#PF on a not-present page sets CR2 and error code (W=1, P=0) and faults restartably', () => {
      const m = flat(PM_PRELUDE + PAGING + `mov dword [0x3010], bad\nbad: mov dword [0x500123], 1\nhlt`);
      runToHalt(m);
      expect(vec(m)).toBe(14);
      expect(err(m)).toBe(2);
      expect(m.cpu.cr2).toBe(0x500123);
      expect(at(m)).toBe(peek32(m, 0x3010));
    });

    test('accessed and dirty bits are set by reads and writes', () => {
      const m = flat(PM_PRELUDE + PAGING + `mov eax, [0x5000]\nmov dword [0x6000], 1\nhlt`);
      runToHalt(m);
      const pte5 = peek32(m, 0x21000 + 5 * 4), pte6 = peek32(m, 0x21000 + 6 * 4);
      expect(pte5 & 0x60).toBe(0x20);
      expect(pte6 & 0x60).toBe(0x60);
      expect(peek32(m, 0x20000) & 0x20).toBe(0x20);
    });

    test('CR0.WP makes read-only pages fault in ring 0 (error code P|W)', () => {
      const m = flat(PM_PRELUDE + PAGING + `and dword [0x21000 + 0x40*4], ~2\ninvlpg [0x40000]\nmov dword [0x40010], 1\nhlt`);
      runToHalt(m);
      expect(vec(m)).toBe(14);
      expect(err(m)).toBe(3);
      expect(m.cpu.cr2).toBe(0x40010);
    });

    test('a stale TLB entry is used until INVLPG', () => {
      const m = flat(PM_PRELUDE + PAGING + `
        mov dword [0x7000], 0x77
        mov dword [0x8000], 0x88
        mov eax, [0x7000]
        mov dword [0x21000 + 7*4], 0x8007   ; remap page 7 -> frame 8 without flushing
        mov ebx, [0x7000]
        invlpg [0x7000]
        mov ecx, [0x7000]
        hlt`);
      runToHalt(m);
      expect(m.cpu.ebx).toBe(0x77);
      expect(m.cpu.ecx).toBe(0x88);
    });
  });

  describe('privilege levels', () => {
    // TSS at 0x900 (GDT slot 0x28): ESP0 = 0x70000, SS0 = 0x10. User code at DPL 3 selectors 0x1b/0x23.
    const RING3 = `
      mov dword [0x904], 0x70000
      mov dword [0x908], 0x10
      mov ax, 0x28
      ltr ax
      SETGATE 0x80, syscall, 0xEE00
      push dword 0x23        ; SS
      push dword 0x60000     ; ESP
      push dword 0x202       ; EFLAGS (IF)
      push dword 0x1b        ; CS
      push dword user
      iret
    syscall:
      mov [0x3040], esp
      mov eax, [esp+4]
      mov [0x3044], eax      ; CS pushed
      mov eax, [esp+16]
      mov [0x3048], eax      ; SS pushed
      mov eax, [esp+12]
      mov [0x304c], eax      ; ESP pushed
      mov ax, cs
      mov [0x3050], ax
      iret
    user:
      mov ax, 0x23
      mov ds, ax
      mov es, ax
      mov ebx, 42
      int 0x80
      mov [0x3054], ebx
    `;

    test('IRET to ring 3, INT 0x80 switches to the TSS ring-0 stack and back', () => {
      const m = flat(PM_PRELUDE + RING3 + `cli\nhlt`);
      runToHalt(m);
      expect(peek32(m, 0x3040)).toBe(0x70000 - 20);
      expect(peek32(m, 0x3044)).toBe(0x1b);
      expect(peek32(m, 0x3048)).toBe(0x23);
      expect(peek32(m, 0x304c)).toBe(0x60000);
      expect(peek32(m, 0x3050) & 0xffff).toBe(0x08);
      expect(peek32(m, 0x3054)).toBe(42);
      // CLI at CPL 3 with IOPL 0: #GP(0)
      expect(vec(m)).toBe(13);
      expect(err(m)).toBe(0);
    });

    test('HLT and MOV CR3 at ring 3 raise #GP(0); INT to a DPL-0 gate raises #GP(vec*8+2)', () => {
      const m = flat(PM_PRELUDE + RING3 + `hlt`);
      runToHalt(m);
      expect(vec(m)).toBe(13);
      const m2 = flat(PM_PRELUDE + RING3 + `int 0x30\nhlt`);
      runToHalt(m2);
      expect(vec(m2)).toBe(13);
      expect(err(m2)).toBe(0x30 * 8 + 2);
    });

    test('ring-3 code jumping into a supervisor page that ring 0 used (its TLB entry present) raises #PF with U=1', () => {
      const m = flat(PM_PRELUDE + identityPaging({ wp: false, edits: 'and dword [0x21000 + 0x90*4], ~4' }) +
        `mov byte [0x90000], 0xf4\nmov eax, [0x90000]\n` + RING3 + `mov eax, 0x90000\njmp eax\nhlt`);
      runToHalt(m);
      expect([vec(m), err(m)]).toEqual([14, 5]);
      expect(m.cpu.cr2).toBe(0x90000);
      expect(at(m)).toBe(0x90000);
    });

    test('ring-3 access to a supervisor page raises #PF with U=1', () => {
      const m = flat(PM_PRELUDE + identityPaging({ wp: false, edits: 'and dword [0x21000 + 0x90*4], ~4' }) + RING3 + `mov eax, [0x90000]\nhlt`);
      runToHalt(m);
      expect(vec(m)).toBe(14);
      expect(err(m)).toBe(5);
    });
  });

  describe('interrupts', () => {
    const HANDLER = `
      SETGATE 0x40, irq, 0x8E00
      jmp main
    irq:
      mov [0x3060], eax
      inc dword [0x3064]
      iret
    main:
    `;

    test('HLT waits; a pending interrupt wakes it and the handler runs', () => {
      const m = flat(PM_PRELUDE + HANDLER + `sti\nhlt\nmov dword [0x3068], 1\ncli\nhlt`);
      expect(m.cpu.run(10000)).toBe('halt');
      expect(m.cpu.halted).toBe(true);
      m.pic.pending.push(0x40);
      expect(m.cpu.run(10000)).toBe('halt');
      expect(peek32(m, 0x3064)).toBe(1);
      expect(peek32(m, 0x3068)).toBe(1);
    });

    test('STI delays interrupts by one instruction', () => {
      const m = flat(PM_PRELUDE + HANDLER + `mov eax, 0\nsti\nmov eax, 1\nmov eax, 2\ncli\nhlt`);
      m.pic.pending.push(0x40);
      m.cpu.run(10000);
      expect(peek32(m, 0x3064)).toBe(1);
      expect(peek32(m, 0x3060)).toBe(1);
    });

    test('IF=0 keeps a pending interrupt waiting', () => {
      const m = flat(PM_PRELUDE + HANDLER + `mov eax, 5\nhlt`);
      m.pic.pending.push(0x40);
      m.cpu.run(10000);
      expect(peek32(m, 0x3064)).toBe(0);
      expect(m.pic.pending.length).toBe(1);
    });
  });

  describe('real mode', () => {
    test('INT n through the IVT and IRET; #DE pushes the faulting IP', () => {
      const m = real(`
        xor ax, ax
        mov ds, ax
        mov word [0x21*4], h21
        mov word [0x21*4+2], 0
        mov word [0], h0
        mov word [2], 0
        mov bx, 5
        int 0x21
        mov [0x600], bx
        xor cl, cl
      d: div cl
        hlt
      h21: add bx, 10
        iret
      h0: pop word [0x602]
        mov word [0x604], d
        hlt`);
      runToHalt(m);
      expect(m.bus.ram[0x600]).toBe(15);
      expect(peek32(m, 0x602) & 0xffff).toBe(peek32(m, 0x604) & 0xffff);
    });

    test('switch from real mode to protected mode and run 32-bit code', () => {
      const m = real(`
        cli
        xor ax, ax
        mov ds, ax
        lgdt [gdtr]
        mov eax, cr0
        or al, 1
        mov cr0, eax
        jmp 0x08:pm
      bits 32
      pm:
        mov ax, 0x10
        mov ds, ax
        mov ss, ax
        mov esp, 0x9000
        push dword 0x12345678
        pop dword [0x5000]
        hlt
      align 8
      gdt: dq 0
        dq 0x00cf9a000000ffff
        dq 0x00cf92000000ffff
      gdtr: dw 23
        dd gdt`);
      runToHalt(m);
      expect(peek32(m, 0x5000)).toBe(0x12345678);
      expect(m.cpu.cs).toBe(8);
    });

    test('REP MOVSB and REP STOSW honour DF and ECX', () => {
      const m = real(`
        xor ax, ax
        mov ds, ax
        mov es, ax
        mov si, src+3
        mov di, 0x803
        mov cx, 4
        std
        rep movsb
        cld
        mov di, 0x900
        mov ax, 0xabcd
        mov cx, 3
        rep stosw
        hlt
      src: db 1,2,3,4`);
      runToHalt(m);
      expect(Array.from(m.bus.ram.slice(0x800, 0x804))).toEqual([1, 2, 3, 4]);
      expect(Array.from(m.bus.ram.slice(0x900, 0x908))).toEqual([0xcd, 0xab, 0xcd, 0xab, 0xcd, 0xab, 0, 0]);
      expect(m.cpu.ecx).toBe(0);
    });
  });

  describe('restartable faults and I/O permissions', () => {
    test('REP MOVSB faulting mid-copy on a not-present page resumes after the handler maps it', () => {
      const m = flat(PM_PRELUDE + identityPaging({ wp: false, edits: 'and dword [0x21000 + 0x51*4], ~1 ; page 0x51000 not present' }) + `
        SETGATE 14, pf, 0x8E00
        mov esi, 0x30000
        mov edi, 0x50ff0
        mov ecx, 0x40
        cld
        rep movsb
        hlt
      pf:
        mov [0x3070], ecx                     ; ECX at the fault: elements left
        mov [0x3074], edi
        mov eax, cr2
        mov [0x3078], eax
        or dword [0x21000 + 0x51*4], 1
        invlpg [0x51000]
        add esp, 4                            ; drop the error code
        iret`);
      for (let i = 0; i < 0x40; i++) m.bus.ram[0x30000 + i] = i + 1;
      runToHalt(m);
      expect(peek32(m, 0x3070)).toBe(0x30);
      expect(peek32(m, 0x3074)).toBe(0x51000);
      expect(peek32(m, 0x3078)).toBe(0x51000);
      expect(Array.from(m.bus.ram.slice(0x50ff0, 0x51030))).toEqual(Array.from({ length: 0x40 }, (_, i) => i + 1));
      expect(m.cpu.ecx).toBe(0);
    });

    test('ring 3 I/O follows the TSS I/O bitmap when CPL > IOPL', () => {
      const RING3_IO = (insn: string) => PM_PRELUDE + `
        mov dword [0x904], 0x70000
        mov dword [0x908], 0x10
        mov word [0x900 + 0x66], 0x3700      ; I/O bitmap at TSS+0x3700 = 0x4000 (clear of the IDT)
        mov edi, 0x4000                      ; bitmap: every port denied ...
        mov ecx, 0x2001
        mov al, 0xff
        rep stosb
        mov byte [0x4000 + 0x1d], 0xfd       ; ... except port 0xE9 (byte 0x1D, bit 1)
        mov word [0x828], 0x5701             ; TSS limit covers the bitmap and its trailing byte
        mov ax, 0x28
        ltr ax
        push dword 0x23
        push dword 0x60000
        push dword 0x002
        push dword 0x1b
        push dword user
        iret
      user:
        mov bx, 0x23                         ; IRET to ring 3 nulled the DPL-0 data segments
        mov ds, bx
        ${insn}
        mov dword [0x3080], 1
        hlt`;
      const ok = flat(RING3_IO('mov al, 0x41\nout 0xe9, al'));
      runToHalt(ok);
      expect(ok.out).toEqual([0x41]);
      expect(peek32(ok, 0x3080)).toBe(1);
      const denied = flat(RING3_IO('mov al, 0x41\nout 0x80, al'));
      runToHalt(denied);
      expect(vec(denied)).toBe(13);
      expect(err(denied)).toBe(0);
      expect(peek32(denied, 0x3080)).toBe(0);
    });
  });

  describe('segment limit checks', () => {
    // A data descriptor in GDT slot 0x38, loaded into `sreg`: `type` 0x92 read/write expand-up,
    // 0x96 read/write expand-down; `big` is the B bit (expand-down upper bound 4 GiB - 1, not 64 KiB - 1).
    const LOAD = (sreg: string, base: number, limit: number, type: number, big: boolean) => {
      const lo = (((base & 0xffff) << 16) | (limit & 0xffff)) >>> 0;
      const hi = ((base & 0xff000000) | ((big ? 0x40 : 0) << 16) | (((limit >>> 16) & 0xf) << 16) | (type << 8) | ((base >>> 16) & 0xff)) >>> 0;
      return `mov dword [0x838], 0x${lo.toString(16)}\nmov dword [0x83c], 0x${hi.toString(16)}\nmov ax, 0x38\nmov ${sreg}, ax\n`;
    };
    /** Run `access` after storing 0x11223344 at physical 0x4ffc; [0x3010] = 1 if it did not fault. */
    const probe = (setup: string, access: string) => {
      const m = flat(PM_PRELUDE + `mov dword [0x4ffc], 0x11223344\n` + setup + access + `\nmov dword [0x3010], 1\nhlt`);
      runToHalt(m);
      return m;
    };
    const passed = (m: TestMachine) => vec(m) === 0xffffffff && peek32(m, 0x3010) === 1;

    test('expand-up: the last byte of an access must lie at or below the limit, else #GP(0)', () => {
      const up = LOAD('es', 0x4000, 0xfff, 0x92, true);
      const ok = probe(up, 'mov eax, [es:0xffc]');
      expect(passed(ok)).toBe(true);
      expect(ok.cpu.eax).toBe(0x11223344);
      const over = probe(up, 'mov eax, [es:0xffd]');
      expect([vec(over), err(over)]).toEqual([13, 0]);
      expect(peek32(over, 0x3010)).toBe(0);
    });

    test('beyond the SS limit the fault is #SS(0), not #GP', () => {
      const m = probe(LOAD('ss', 0, 0xfffff, 0x92, true), 'mov ebx, 0xffffe\nmov eax, [ss:ebx]');
      expect([vec(m), err(m)]).toEqual([12, 0]);
      const ebp = probe(LOAD('ss', 0, 0xfffff, 0x92, true), 'mov ebp, 0xffffc\nmov eax, [ebp]');
      expect(passed(ebp)).toBe(true);
    });

    test('expand-down with B=1: offsets above the limit up to 4 GiB - 1 are valid; an access wrapping past it is not', () => {
      const down = LOAD('es', 0x5000, 0xfff, 0x96, true);
      expect(passed(probe(down, 'mov eax, [es:0x1000]'))).toBe(true);
      const top = probe(down, 'mov eax, [es:0xfffffffc]'); // linear 0x5000 + 0xfffffffc wraps to 0x4ffc
      expect(passed(top)).toBe(true);
      expect(top.cpu.eax).toBe(0x11223344);
      for (const access of ['mov eax, [es:0xfff]', 'mov al, [es:0]', 'mov eax, [es:0xfffffffd]', 'mov ax, [es:0xffffffff]']) {
        const m = probe(down, access);
        expect([access, vec(m), err(m)]).toEqual([access, 13, 0]);
      }
    });

    test('expand-down with B=0: valid offsets end at 64 KiB - 1; a limit of 0xFFFF leaves none', () => {
      const down = LOAD('es', 0, 0xfff, 0x96, false);
      expect(passed(probe(down, 'mov eax, [es:0xfffc]'))).toBe(true);
      for (const access of ['mov eax, [es:0xfffd]', 'mov al, [es:0x10000]', 'mov al, [es:0xfff]']) {
        const m = probe(down, access);
        expect([access, vec(m)]).toEqual([access, 13]);
      }
      const empty = LOAD('es', 0, 0xffff, 0x96, false);
      for (const access of ['mov al, [es:0xffff]', 'mov al, [es:0]', 'mov al, [es:0x10000]']) {
        const m = probe(empty, access);
        expect([access, vec(m)]).toEqual([access, 13]);
      }
    });

    test('in a flat 4 GiB segment every offset up to 4 GiB - 1 is valid, an access wrapping past it is not', () => {
      for (const access of ['mov al, [0xffffffff]', 'mov eax, [0xfffffffc]', 'mov eax, [0xc0001000]', 'mov eax, [0x80000000]']) {
        expect([access, passed(probe('', access))]).toEqual([access, true]);
      }
      for (const access of ['mov eax, [0xfffffffd]', 'mov ax, [0xffffffff]']) {
        const m = probe('', access);
        expect([access, vec(m), err(m)]).toEqual([access, 13, 0]);
      }
    });

    test('a flat 4 GiB read-only segment allows reads at any offset and no write; reloading a limited one takes effect', () => {
      // Slot 0x38: base 0, limit 0xFFFFF with G=1 (4 GiB), read-only data (type 0x90), B=1.
      const RO_FLAT = `mov dword [0x838], 0x0000ffff\nmov dword [0x83c], 0x00cf9000\nmov ax, 0x38\nmov es, ax\n`;
      const read = probe(RO_FLAT, 'mov eax, [es:0xfffffffc]\nmov ebx, [es:0x4ffc]');
      expect(passed(read)).toBe(true);
      expect(read.cpu.ebx).toBe(0x11223344);
      const write = probe(RO_FLAT, 'mov dword [es:0x5000], 1');
      expect([vec(write), err(write)]).toEqual([13, 0]);
      const limited = probe(`mov eax, [es:0x6000]\n` + LOAD('es', 0, 0xfff, 0x92, true), 'mov eax, [es:0x1000]');
      expect([vec(limited), err(limited)]).toEqual([13, 0]);
    });

    test('REP MOVSD stops with #GP at the first element below an expand-down limit, ECX and EDI counting the elements done', () => {
      const m = probe(LOAD('es', 0x5000, 0xfff, 0x96, true), 'std\nmov esi, 0x6000\nmov edi, 0x1008\nmov ecx, 4\nrep movsd');
      expect([vec(m), err(m)]).toEqual([13, 0]);
      expect(m.cpu.ecx).toBe(1);
      expect(m.cpu.edi).toBe(0xffc);
    });
  });

  describe('instruction fetch window', () => {
    // A 32-bit ring-0 code descriptor in GDT slot 0x38 with base 0x100 (not page-aligned) and a
    // byte-granular limit at `last`, entered by a far jump: EIP = flat address - 0x100.
    const CODE_AT_0x100 = `
      mov eax, last - 0x100
      mov [0x838], ax
      mov word [0x83a], 0x100
      mov byte [0x83c], 0
      mov byte [0x83d], 0x9a
      shr eax, 16
      or al, 0x40
      mov [0x83e], al
      mov byte [0x83f], 0
      jmp 0x38:code - 0x100
    code:
    `;

    test('with a CS base that is not page-aligned, backward jumps land on the right bytes', () => {
      const m = flat(PM_PRELUDE + CODE_AT_0x100 + `
        mov ecx, 5
        xor eax, eax
      back:
        add eax, ecx
        dec ecx
        jnz back
        mov ecx, 3
      again:
        add eax, 100
        loop again
        mov [0x3020], eax
        hlt
      last:`);
      expect(runToHalt(m)).toBe('halt');
      expect(peek32(m, 0x3020)).toBe(15 + 300);
      expect(vec(m)).toBe(0xffffffff);
    });

    test('a jump past the CS limit faults #GP(0) even when the target lies in the same page', () => {
      const m = flat(PM_PRELUDE + CODE_AT_0x100 + `
        mov dword [0x3010], jump - 0x100
        mov dword [0x3020], 1
      jump:
        jmp beyond
      last:
        nop
      beyond:
        mov dword [0x3020], 2
        hlt`);
      runToHalt(m);
      expect([vec(m), err(m)]).toEqual([13, 0]);
      expect(at(m)).toBe(peek32(m, 0x3010));
      expect(peek32(m, 0x3020)).toBe(1);
    });
  });

  describe('task switch segment checks', () => {
    // A second 32-bit TSS at 0xA00 in GDT slot 0x30; the current task's TSS is 0x28 at 0x900.
    const SWITCH = (es: number) => `
      SETGATE 10, vec_stub_10, 0x8E00
      mov ax, 0x28
      ltr ax
      mov dword [0x830], 0x0a000067          ; slot 0x30: base 0xA00, limit 0x67
      mov dword [0x834], 0x00008900          ; present 32-bit TSS, DPL 0
      mov dword [0xa20], target              ; EIP
      mov dword [0xa24], 2                   ; EFLAGS
      mov dword [0xa38], 0x70000             ; ESP
      mov dword [0xa48], ${es}               ; ES
      mov dword [0xa4c], 0x08                ; CS
      mov dword [0xa50], 0x10                ; SS
      mov dword [0xa54], 0x10                ; DS
      mov dword [0xa58], 0x10                ; FS
      mov dword [0xa5c], 0x10                ; GS
      mov dword [0xa60], 0                   ; LDT
      jmp 0x30:0
    target:
      mov dword [0x3010], 0x600d
      hlt
    `;

    test('an ES selector beyond the GDT limit in the new TSS raises #TS(selector), not #GP', () => {
      const m = flat(PM_PRELUDE + SWITCH(0x40));
      runToHalt(m);
      expect(vec(m)).toBe(10);
      expect(err(m)).toBe(0x40);
      expect(peek32(m, 0x3010)).not.toBe(0x600d);
    });

    test('an ES selector naming a system descriptor raises #TS(selector); a valid one switches', () => {
      const m = flat(PM_PRELUDE + SWITCH(0x28));
      runToHalt(m);
      expect(vec(m)).toBe(10);
      expect(err(m)).toBe(0x28);
      const ok = flat(PM_PRELUDE + SWITCH(0x10));
      runToHalt(ok);
      expect(peek32(ok, 0x3010)).toBe(0x600d);
      expect(ok.cpu.es).toBe(0x10);
    });
  });
});
