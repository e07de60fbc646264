// PC16550D: Linux's probe, THRE semantics, FIFO trigger levels, timeouts, loopback, modem status, input hold-back, state.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AddressSpace } from '../../../src/core/address-space.js';
import { Clock } from '../../../src/core/clock.js';
import { IrqLine } from '../../../src/core/irq-line.js';
import { NullModem } from '../../../src/devices/null-modem.js';
import { Uart16550 } from '../../../src/devices/uart16550.js';
import { ByteCollector, IrqProbe, runFor, runUntil } from './harness.js';

const CPU_HZ = 100_000_000;
const COM1 = 0x3f8;
const [RBR, IER, IIR, LCR, MCR, LSR, MSR, SCR] = [0, 1, 2, 3, 4, 5, 6, 7].map((o) => COM1 + o);
const FCR = IIR;

function board(timing: 'instant' | 'baud' = 'instant', clock = new Clock(CPU_HZ), name = 'uart0', base = COM1) {
  const bus = new AddressSpace(0x10000);
  const probe = new IrqProbe(clock);
  const uart = new Uart16550({ name, clock, irq: new IrqLine(probe, 4), clockHz: 1_843_200, timing });
  bus.mapPorts(name, base, 8, uart);
  const sink = new ByteCollector();
  uart.attach(sink);
  return { clock, bus, probe, uart, sink };
}

/** Linux's driver set-up for 115200 8N1, FIFO trigger 8, RX and line-status interrupts, OUT2. */
function linuxOpen(bus: AddressSpace): void {
  bus.out8(LCR, 0x80);
  bus.out8(RBR, 1);
  bus.out8(IER, 0);
  bus.out8(LCR, 0x03);
  bus.out8(FCR, 0x87); // enable, clear both, trigger 8
  bus.out8(MCR, 0x0b); // DTR RTS OUT2
  bus.out8(IER, 0x05); // RX data + line status
}

/** Read RBR while LSR.DR is set, letting virtual time pass between bursts, until the host queue is empty. */
function drain(bus: AddressSpace, clock: Clock, uart: Uart16550): number[] {
  const got: number[] = [];
  for (let spins = 0; spins < 10_000; spins++) {
    if (bus.in8(LSR) & 1) got.push(bus.in8(RBR));
    else if (uart.inputQueued() === 0) break;
    else runFor(clock, 1000);
  }
  return got;
}

describe('16550 probe as Linux 6.1 8250_port.c autoconfig() does it', () => {
  it('passes the IER scratch test, the loopback test and is classified as a 16550A', () => {
    const { bus } = board();
    // IER read-back: write 0 then 0x0F; only the low nibble is implemented.
    const saved = bus.in8(IER);
    bus.out8(IER, 0);
    expect(bus.in8(IER) & 0x0f).toBe(0);
    bus.out8(IER, 0x0f);
    expect(bus.in8(IER) & 0x0f).toBe(0x0f);
    bus.out8(IER, saved);
    // Loopback: MCR = LOOP | OUT2 | RTS shows DCD and CTS in MSR.
    bus.out8(MCR, 0x1a);
    expect(bus.in8(MSR) & 0xf0).toBe(0x90);
    bus.out8(MCR, 0x00);
    // EFR probe (LCR = 0xBF), then FIFO enable: IIR bits 7-6 = 11 means a 16550A.
    bus.out8(LCR, 0xbf);
    bus.out8(FCR, 0);
    bus.out8(LCR, 0);
    bus.out8(FCR, 0x01);
    expect(bus.in8(IIR)).toBe(0xc1);
    expect(bus.in8(IIR) >> 6).toBe(3);
    // autoconfig_16550a: no EFR (offset 2 reads IIR, non-zero, in both config modes) ...
    bus.out8(LCR, 0x80);
    expect(bus.in8(IIR)).not.toBe(0);
    bus.out8(LCR, 0xbf);
    expect(bus.in8(IIR)).not.toBe(0);
    // ... no National SuperIO bank switching (MCR.LOOP does not show in "EXCR1") ...
    bus.out8(LCR, 0);
    const mcr = bus.in8(MCR);
    bus.out8(LCR, 0xe0);
    expect((bus.in8(IIR) ^ mcr) & 0x10).toBe(0);
    bus.out8(LCR, 0);
    // ... no 64-byte FIFO (IIR bit 5 stays 0 with FCR7_64BYTE) ...
    bus.out8(FCR, 0x21);
    expect(bus.in8(IIR) >> 5).toBe(6);
    bus.out8(FCR, 0x01);
    // ... and IER bit 6 (UUE) does not stick.
    bus.out8(IER, 0x40);
    expect(bus.in8(IER) & 0x40).toBe(0);
    bus.out8(IER, 0);
  });

  it('serial8250_do_startup THRE test: enabling ETBEI with THR empty raises THRE, again after IER=0', () => {
    const { bus } = board();
    bus.out8(FCR, 0x07);
    expect(bus.in8(LSR) & 0x60).toBe(0x60);
    bus.out8(IER, 0x02);
    const iir1 = bus.in8(IIR);
    expect(iir1 & 0x0f).toBe(0x02); // THRE interrupt pending
    expect(bus.in8(IIR) & 0x01).toBe(1); // reading IIR cleared it
    bus.out8(IER, 0);
    bus.out8(IER, 0x02);
    expect(bus.in8(IIR) & 0x0f).toBe(0x02); // re-asserted
    bus.out8(IER, 0);
  });

  it('LSR after reset reads 0x60 and MSR shows a connected terminal (CTS DSR DCD)', () => {
    const { bus } = board();
    expect(bus.in8(LSR)).toBe(0x60);
    expect(bus.in8(MSR)).toBe(0xb0);
    expect(bus.in8(IIR)).toBe(0x01);
  });

  it('the scratch register keeps what was written', () => {
    const { bus } = board();
    bus.out8(SCR, 0x5a);
    expect(bus.in8(SCR)).toBe(0x5a);
  });
});

describe('16550 transmitter', () => {
  it('instant timing: a byte reaches the sink at once and THR/TSR are empty right away', () => {
    const { bus, sink, clock } = board('instant');
    for (const ch of 'ok\n') bus.out8(COM1, ch.charCodeAt(0));
    expect(sink.text).toBe('ok\n');
    expect(bus.in8(LSR) & 0x60).toBe(0x60);
    expect(clock.nextEventAt).toBe(Infinity);
  });

  it('baud timing: each byte takes start + 8 data + stop bits at the divisor rate', () => {
    const { bus, sink, clock } = board('baud');
    bus.out8(LCR, 0x80);
    bus.out8(RBR, 1); // 115200 baud
    bus.out8(IER, 0);
    bus.out8(LCR, 0x03);
    const charCycles = Math.round((10 * 16 * CPU_HZ) / 1_843_200); // 86.8 µs
    bus.out8(COM1, 0x41);
    expect(bus.in8(LSR) & 0x60).toBe(0x20); // THR empty (moved to TSR), transmitter busy
    runUntil(clock, charCycles - 1);
    expect(sink.bytes).toEqual([]);
    runUntil(clock, charCycles);
    expect(sink.bytes).toEqual([0x41]);
    expect(bus.in8(LSR) & 0x60).toBe(0x60);
  });

  it('baud timing with FIFOs: 16 bytes queue and drain one line time apart', () => {
    const { bus, sink, clock, uart } = board('baud');
    bus.out8(FCR, 0x07);
    for (let i = 0; i < 20; i++) bus.out8(COM1, i); // 1 in TSR, 16 in the FIFO, 3 lost
    const per = uart.charCycles();
    runFor(clock, per * 17);
    expect(sink.bytes).toEqual([...Array(17).keys()]);
  });

  it('THRE interrupt: raised when the THR empties while ETBEI is set; writing THR clears it', () => {
    const { bus, probe } = board('instant');
    bus.out8(MCR, 0x08);
    bus.out8(IER, 0x02);
    expect(probe.level(4)).toBe(true);
    const before = probe.risingEdges(4).length;
    bus.out8(COM1, 0x41);
    // The write clears THRE and the instant transmitter sets it again: a fresh edge for the 8259.
    expect(probe.risingEdges(4).length).toBe(before + 1);
    expect(bus.in8(IIR)).toBe(0x02);
    expect(probe.level(4)).toBe(false);
  });

  it('the IRQ line is gated by MCR.OUT2 (PC wiring)', () => {
    const { bus, probe } = board();
    bus.out8(IER, 0x02);
    expect(probe.level(4)).toBe(false);
    bus.out8(MCR, 0x08);
    expect(probe.level(4)).toBe(true);
    bus.out8(MCR, 0x18); // loopback forces OUT2 inactive
    expect(probe.level(4)).toBe(false);
  });
});

describe('16550 receiver FIFO and interrupts', () => {
  it('RX data interrupt fires when the FIFO reaches the trigger level (1, 4, 8, 14)', () => {
    for (const [fcr, trigger] of [[0x01, 1], [0x41, 4], [0x81, 8], [0xc1, 14]] as const) {
      const { bus, uart, probe } = board();
      bus.out8(FCR, fcr);
      bus.out8(MCR, 0x08); // MCR.OUT2: the interrupt reaches the 8259
      bus.out8(IER, 0x01);
      uart.pushInput(new Uint8Array(trigger - 1).fill(0x61));
      expect(bus.in8(IIR) & 0x0f, `trigger ${trigger}`).toBe(0x01);
      uart.pushInput(Uint8Array.of(0x62));
      expect(bus.in8(IIR), `trigger ${trigger}`).toBe(0xc4);
      expect(probe.level(4)).toBe(true);
    }
  });

  it('character timeout: below the trigger level, IIR reports 0xCC after four character times', () => {
    const { bus, uart, clock } = board();
    linuxOpen(bus);
    uart.pushInput(new TextEncoder().encode('ls\n'));
    expect(bus.in8(IIR)).toBe(0xc1);
    const four = 4 * uart.charCycles();
    runFor(clock, four - 1);
    expect(bus.in8(IIR)).toBe(0xc1);
    runFor(clock, 1);
    expect(bus.in8(IIR)).toBe(0xcc);
    expect(bus.in8(RBR)).toBe(0x6c); // reading clears the timeout indication
    expect(bus.in8(IIR)).toBe(0xc1);
  });

  it('line status interrupt has the highest priority and is cleared by reading LSR', () => {
    const { bus } = board();
    bus.out8(MCR, 0x18); // loopback, no FIFO: RBR holds one byte
    bus.out8(IER, 0x07);
    bus.out8(COM1, 1);
    bus.out8(COM1, 2); // overrun: the second byte is lost
    expect(bus.in8(IIR)).toBe(0x06);
    expect(bus.in8(LSR) & 0x03).toBe(0x03);
    expect(bus.in8(IIR)).toBe(0x04);
    expect(bus.in8(RBR)).toBe(1);
  });

  it('modem status: delta bits follow input changes, interrupt with EDSSI, cleared by reading MSR', () => {
    const { bus, uart } = board();
    bus.out8(IER, 0x08);
    expect(bus.in8(IIR)).toBe(0x01);
    uart.setModemInputs(0xf0); // RI rises
    uart.setModemInputs(0xb0); // RI falls: trailing edge
    expect(bus.in8(IIR)).toBe(0x00);
    expect(bus.in8(MSR)).toBe(0xb4);
    expect(bus.in8(MSR)).toBe(0xb0);
    uart.setModemInputs(0x20); // CTS and DCD drop
    expect(bus.in8(MSR)).toBe(0x29);
  });
});

describe('16550 loopback (MCR bit 4)', () => {
  it('TX bytes come back on RX and never reach the line', () => {
    const { bus, sink } = board();
    bus.out8(FCR, 0x07);
    bus.out8(MCR, 0x10);
    bus.out8(COM1, 0x55);
    bus.out8(COM1, 0xaa);
    expect(sink.bytes).toEqual([]);
    expect(bus.in8(LSR) & 1).toBe(1);
    expect([bus.in8(RBR), bus.in8(RBR)]).toEqual([0x55, 0xaa]);
  });

  it('maps DTR→DSR, RTS→CTS, OUT1→RI, OUT2→DCD', () => {
    const { bus } = board();
    bus.out8(MCR, 0x11);
    expect(bus.in8(MSR) & 0xf0).toBe(0x20);
    bus.out8(MCR, 0x12);
    expect(bus.in8(MSR) & 0xf0).toBe(0x10);
    bus.out8(MCR, 0x14);
    expect(bus.in8(MSR) & 0xf0).toBe(0x40);
    bus.out8(MCR, 0x18);
    expect(bus.in8(MSR) & 0xf0).toBe(0x80);
  });
});

describe('16550 host input hold-back', () => {
  it('holds input until the guest enables the RX interrupt; Linux’s start-up (flushes, discard reads) loses nothing', () => {
    const { bus, uart, clock } = board();
    const text = new TextEncoder().encode('echo hello world, this is more than sixteen bytes\n');
    uart.pushInput(text);
    // serial8250_do_startup() in Linux 6.1, in order (8250_port.c):
    bus.out8(FCR, 0x01);
    bus.out8(FCR, 0x07);
    bus.out8(FCR, 0x00); // serial8250_clear_fifos
    for (const r of [LSR, RBR, IIR, MSR, LSR, LSR]) bus.in8(r); // clear, LSR safety check, wait_for_xmitr
    bus.out8(IER, 0x02);
    bus.in8(IIR);
    bus.out8(IER, 0);
    bus.out8(IER, 0x02);
    bus.in8(IIR);
    bus.out8(IER, 0); // THRE test
    bus.out8(LCR, 0x03);
    bus.out8(MCR, 0x0b);
    bus.out8(IER, 0x02);
    bus.in8(LSR);
    bus.in8(IIR);
    bus.out8(IER, 0); // TXEN test
    for (const r of [LSR, RBR, IIR, MSR]) bus.in8(r); // "clear the interrupt registers again for luck"
    expect(uart.inputQueued()).toBe(text.length);
    linuxOpen(bus);
    const got = drain(bus, clock, uart);
    expect(String.fromCharCode(...got)).toBe(new TextDecoder().decode(text));
    expect(uart.inputQueued()).toBe(0);
  });

  it('Linux’s console output (LSR then THR per byte) does not count as polling for input', () => {
    const { bus, uart, sink } = board();
    uart.pushInput(Uint8Array.of(0x71));
    for (const ch of 'boot log\n') {
      bus.in8(LSR);
      bus.out8(COM1, ch.charCodeAt(0));
    }
    bus.in8(LSR); // wait_for_xmitr(BOTH_EMPTY)
    bus.out8(IER, 0);
    expect(sink.text).toBe('boot log\n');
    expect(uart.inputQueued()).toBe(1);
    expect(bus.in8(LSR) & 1).toBe(0);
  });

  it('a polling guest (LSR read three times in a row) receives without enabling interrupts', () => {
    const { bus, uart } = board();
    uart.pushInput(Uint8Array.of(0x71));
    expect(bus.in8(LSR) & 1).toBe(0);
    expect(bus.in8(LSR) & 1).toBe(0);
    expect(bus.in8(LSR) & 1).toBe(1);
    expect(bus.in8(RBR)).toBe(0x71);
  });

  it('feeds only as fast as the FIFO has room, a FIFO-full per burst, one character time apart', () => {
    const { bus, uart, clock } = board();
    bus.out8(FCR, 0x01);
    bus.out8(MCR, 0x08); // MCR.OUT2: the interrupt reaches the 8259
    bus.out8(IER, 0x01);
    uart.pushInput(new Uint8Array(40).map((_, i) => i));
    expect(uart.inputQueued()).toBe(40);
    const burst: number[] = [];
    while (bus.in8(LSR) & 1) burst.push(bus.in8(RBR));
    expect(burst).toEqual([...Array(16).keys()]);
    runFor(clock, uart.charCycles() - 1);
    expect(bus.in8(LSR) & 1).toBe(0); // DR drops between bursts
    runFor(clock, 1);
    expect(bus.in8(LSR) & 0x03).toBe(0x01); // next burst, never an overrun
    expect(drain(bus, clock, uart)).toEqual([...Array(24).keys()].map((i) => i + 16));
  });

  it('an edge-triggered interrupt controller sees a fresh IRQ edge for every burst', () => {
    const { bus, uart, clock, probe } = board();
    linuxOpen(bus);
    uart.pushInput(new Uint8Array(64).fill(0x2e));
    // An interrupt handler that reads until LSR.DR is clear, then returns.
    let handled = 0;
    for (let i = 0; i < 100 && uart.inputQueued() > 0; i++) {
      if (probe.level(4)) {
        while (bus.in8(LSR) & 1) {
          bus.in8(RBR);
          handled++;
        }
        expect(bus.in8(IIR) & 1).toBe(1); // nothing pending when the handler leaves
      }
      runFor(clock, uart.charCycles());
    }
    expect(handled).toBe(64);
    expect(probe.risingEdges(4).length).toBe(4);
  });

  it('an RX FIFO flush puts unread host bytes back in order', () => {
    const { bus, uart, clock } = board();
    bus.out8(FCR, 0x01);
    bus.out8(MCR, 0x08); // MCR.OUT2: the interrupt reaches the 8259
    bus.out8(IER, 0x01);
    uart.pushInput(new Uint8Array(20).map((_, i) => 100 + i));
    expect(bus.in8(RBR)).toBe(100);
    bus.out8(FCR, 0x03); // clear RX FIFO
    expect(drain(bus, clock, uart)).toEqual([...Array(19).keys()].map((i) => 101 + i));
  });

  it('baud timing: input arrives one character time apart', () => {
    const { bus, uart, clock } = board('baud');
    bus.out8(FCR, 0x01);
    bus.out8(MCR, 0x08); // MCR.OUT2: the interrupt reaches the 8259
    bus.out8(IER, 0x01);
    uart.pushInput(Uint8Array.of(1, 2, 3));
    const per = uart.charCycles();
    runFor(clock, per - 1);
    expect(bus.in8(LSR) & 1).toBe(0);
    runFor(clock, 1);
    expect(bus.in8(RBR)).toBe(1);
    runFor(clock, 2 * per);
    expect([bus.in8(RBR), bus.in8(RBR)]).toEqual([2, 3]);
  });
});

describe('null modem link', () => {
  it('each UART’s TX feeds the other’s RX, held back until the receiver is ready', () => {
    const clock = new Clock(CPU_HZ);
    const a = board('instant', clock, 'uart-a', 0x3f8);
    const b = board('instant', clock, 'uart-b', 0x2f8);
    new NullModem(a.uart, b.uart);
    for (const ch of 'ping') a.bus.out8(0x3f8, ch.charCodeAt(0));
    expect(b.uart.inputQueued()).toBe(4);
    b.bus.out8(0x2fc, 0x08);
    b.bus.out8(0x2f9, 0x01); // without FIFOs: one byte per character time
    const got: number[] = [];
    for (let i = 0; i < 100 && got.length < 4; i++) {
      if (b.bus.in8(0x2fd) & 1) got.push(b.bus.in8(0x2f8));
      else runFor(clock, 10_000); // 9600 baud after reset: 104 µs per character
    }
    expect(String.fromCharCode(...got)).toBe('ping');
    b.bus.out8(0x2f8, 0x21);
    a.bus.in8(0x3fd);
    a.bus.in8(0x3fd);
    expect(a.bus.in8(0x3fd) & 1).toBe(1);
    expect(a.bus.in8(0x3f8)).toBe(0x21);
  });
});

describe('16550 state', () => {
  type Op = { kind: 'out'; offset: number; value: number } | { kind: 'in'; offset: number } | { kind: 'run'; cycles: number } | { kind: 'push'; bytes: number[] };
  const opArb: fc.Arbitrary<Op> = fc.oneof(
    fc.record({ kind: fc.constant('out' as const), offset: fc.integer({ min: 0, max: 7 }), value: fc.oneof(fc.integer({ min: 0, max: 255 }), fc.constantFrom(0x07, 0x87, 0xc1, 0x0b, 0x1a, 0x03, 0x80)) }),
    fc.record({ kind: fc.constant('in' as const), offset: fc.integer({ min: 0, max: 7 }) }),
    fc.record({ kind: fc.constant('run' as const), cycles: fc.integer({ min: 1, max: 200_000 }) }),
    fc.record({ kind: fc.constant('push' as const), bytes: fc.array(fc.integer({ min: 0, max: 255 }), { maxLength: 20 }) }),
  );

  for (const timing of ['instant', 'baud'] as const) {
    it(`save → load into a fresh UART behaves the same for any operation sequence (${timing})`, () => {
      fc.assert(
        fc.property(fc.array(opArb, { maxLength: 30 }), fc.array(opArb, { maxLength: 30 }), fc.boolean(), (prefix, suffix, clockFirst) => {
          const a = board(timing);
          const apply = (x: ReturnType<typeof board>, op: Op) => {
            if (op.kind === 'out') x.bus.out8(COM1 + op.offset, op.value);
            else if (op.kind === 'in') return x.bus.in8(COM1 + op.offset);
            else if (op.kind === 'run') runFor(x.clock, op.cycles);
            else x.uart.pushInput(Uint8Array.from(op.bytes));
            return [x.probe.level(4), x.uart.inputQueued()];
          };
          for (const op of prefix) apply(a, op);
          const saved = JSON.parse(JSON.stringify({ clock: a.clock.saveState(), uart: a.uart.saveState() }));
          const b = board(timing);
          if (clockFirst) b.clock.loadState(saved.clock);
          b.uart.loadState(saved.uart);
          if (!clockFirst) b.clock.loadState(saved.clock);
          const sentBefore = a.sink.bytes.length;
          for (const op of suffix) expect(apply(b, op)).toEqual(apply(a, op));
          expect(b.sink.bytes).toEqual(a.sink.bytes.slice(sentBefore));
        }),
        { numRuns: 200, seed: 16550 },
      );
    });
  }

  it('rejects an unknown state version', () => {
    const { uart } = board();
    expect(() => uart.loadState({ version: 7 })).toThrow(/version/);
  });
});

describe('16550 host input hold-back during a driver probe', () => {
  it('keeps typed-ahead input queued while IER.ERBFI is set with OUT2 clear (Linux probes IER = 0x0F this way)', () => {
    const { bus, uart } = board();
    bus.out8(FCR, 0x01);
    uart.pushInput(Uint8Array.of(0x61, 0x62));
    bus.out8(IER, 0x0f);
    bus.in8(RBR); // probe and start-up reads of RBR consume nothing
    bus.out8(IER, 0x00);
    expect(uart.inputQueued()).toBe(2);
    bus.out8(MCR, 0x08); // OUT2
    bus.out8(IER, 0x01);
    expect(bus.in8(RBR)).toBe(0x61);
    expect(bus.in8(RBR)).toBe(0x62);
  });

  it('loopback also keeps the interrupt from the 8259, so it does not count as readiness', () => {
    const { bus, uart } = board();
    uart.pushInput(Uint8Array.of(0x41, 0x42));
    bus.out8(MCR, 0x18); // OUT2 with loopback
    bus.out8(IER, 0x01);
    bus.in8(RBR);
    expect(uart.inputQueued()).toBe(2);
    bus.out8(MCR, 0x08); // leaving loopback with ERBFI already set makes the guest ready
    expect(bus.in8(LSR) & 1).toBe(1);
    expect(bus.in8(RBR)).toBe(0x41);
  });
});
