// Intel 8259A pair: initialisation, masking, priority, EOI kinds, cascade, trigger modes, spurious IRQs, state.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AddressSpace } from '../../../src/core/address-space.js';
import { Clock } from '../../../src/core/clock.js';
import { IrqLine } from '../../../src/core/irq-line.js';
import { Pic8259Pair } from '../../../src/devices/pic8259-cascade.js';

function board() {
  const clock = new Clock(100_000_000);
  const bus = new AddressSpace(0x10000);
  const pic = new Pic8259Pair({ master: { name: 'pic-master', clock }, slave: { name: 'pic-slave', clock } });
  bus.mapPorts('pic-master', 0x20, 2, pic.master);
  bus.mapPorts('pic-slave', 0xa0, 2, pic.slave);
  const lines = new Map<number, IrqLine>();
  const irq = (n: number) => {
    if (!lines.has(n)) lines.set(n, new IrqLine(pic, n));
    return lines.get(n)!;
  };
  return { clock, bus, pic, irq };
}

/** The sequence Linux's init_8259A() writes (vectors 0x30 and 0x38, slave on IR2, 8086 mode). */
function linuxInit(bus: AddressSpace, icw1 = 0x11, icw4 = 0x01): void {
  bus.out8(0x21, 0xff);
  bus.out8(0xa1, 0xff);
  bus.out8(0x20, icw1);
  bus.out8(0x21, 0x30);
  bus.out8(0x21, 0x04);
  bus.out8(0x21, icw4);
  bus.out8(0xa0, icw1);
  bus.out8(0xa1, 0x38);
  bus.out8(0xa1, 0x02);
  bus.out8(0xa1, icw4);
  bus.out8(0x21, 0x00);
  bus.out8(0xa1, 0x00);
}

const readIsr = (bus: AddressSpace, port: number) => {
  bus.out8(port, 0x0b);
  const v = bus.in8(port);
  bus.out8(port, 0x0a);
  return v;
};

describe('8259A initialisation', () => {
  it('delivers nothing before ICW1-ICW4 (power-on state)', () => {
    const { pic, irq } = board();
    irq(0).raise();
    expect(pic.hasInterrupt()).toBe(false);
  });

  it('answers Linux’s probe_8259A before initialisation: IMR reads back 0xFF', () => {
    const { bus } = board();
    bus.out8(0xa1, 0xff);
    bus.out8(0x21, 0xff);
    expect(bus.in8(0x21)).toBe(0xff);
  });

  it('reads back the IMR written with OCW1 on both chips', () => {
    const { bus } = board();
    linuxInit(bus);
    bus.out8(0x21, 0xfb);
    bus.out8(0xa1, 0xa5);
    expect(bus.in8(0x21)).toBe(0xfb);
    expect(bus.in8(0xa1)).toBe(0xa5);
  });

  it('ICW1 clears the IMR and needs a fresh rising edge (edge sense reset)', () => {
    const { bus, pic, irq } = board();
    const line = irq(3);
    line.raise();
    linuxInit(bus);
    expect(bus.in8(0x21)).toBe(0);
    expect(pic.hasInterrupt()).toBe(false);
    line.lower();
    line.raise();
    expect(pic.hasInterrupt()).toBe(true);
    expect(pic.acknowledge()).toBe(0x33);
  });

  it('delivers vector base + IR and moves the request to ISR', () => {
    const { bus, pic, irq } = board();
    linuxInit(bus);
    irq(0).pulse();
    expect(pic.hasInterrupt()).toBe(true);
    expect(pic.acknowledge()).toBe(0x30);
    expect(pic.hasInterrupt()).toBe(false);
    expect(readIsr(bus, 0x20)).toBe(0x01);
    expect(bus.in8(0x20)).toBe(0x00); // IRR read (default after OCW3 RR=1 RIS=0)
  });
});

describe('8259A masking and priority', () => {
  it('masked inputs stay in IRR and are delivered once unmasked', () => {
    const { bus, pic, irq } = board();
    linuxInit(bus);
    bus.out8(0x21, 0x10);
    irq(4).raise();
    expect(pic.hasInterrupt()).toBe(false);
    expect(bus.in8(0x20) & 0x10).toBe(0x10);
    bus.out8(0x21, 0x00);
    expect(pic.acknowledge()).toBe(0x34);
  });

  it('IR0 has the highest priority; a lower level waits while a higher one is in service', () => {
    const { bus, pic, irq } = board();
    linuxInit(bus);
    irq(3).raise();
    irq(1).raise();
    expect(pic.acknowledge()).toBe(0x31);
    expect(pic.hasInterrupt()).toBe(false); // IR3 blocked by IR1 in service (fully nested)
    irq(0).raise();
    expect(pic.acknowledge()).toBe(0x30); // a higher level nests
    bus.out8(0x20, 0x20); // non-specific EOI clears the highest in service: IR0
    expect(readIsr(bus, 0x20)).toBe(0x02);
    bus.out8(0x20, 0x61); // specific EOI for IR1
    expect(pic.acknowledge()).toBe(0x33);
  });

  it('set-priority (OCW2 R=1 SL=1) makes level L+1 the highest', () => {
    const { bus, pic, irq } = board();
    linuxInit(bus);
    bus.out8(0x20, 0xc3); // IR3 lowest → order 4 5 6 7 0 1 2 3
    irq(1).raise();
    irq(5).raise();
    expect(pic.acknowledge()).toBe(0x35);
  });

  it('rotate on non-specific EOI makes the serviced level the lowest', () => {
    const { bus, pic, irq } = board();
    linuxInit(bus);
    irq(0).raise();
    expect(pic.acknowledge()).toBe(0x30);
    bus.out8(0x20, 0xa0);
    irq(0).lower();
    irq(0).raise();
    irq(7).raise();
    expect(pic.acknowledge()).toBe(0x37); // IR0 is now the lowest priority
  });

  it('special mask mode lets lower levels through while the masked level is in service', () => {
    const { bus, pic, irq } = board();
    linuxInit(bus);
    irq(3).raise();
    expect(pic.acknowledge()).toBe(0x33);
    irq(5).raise();
    expect(pic.hasInterrupt()).toBe(false);
    bus.out8(0x21, 0x08); // mask IR3
    bus.out8(0x20, 0x68); // OCW3: ESMM SMM
    expect(pic.acknowledge()).toBe(0x35);
    bus.out8(0x20, 0x48); // leave special mask mode
  });

  it('automatic EOI leaves ISR clear (ICW4.AEOI)', () => {
    const { bus, pic, irq } = board();
    linuxInit(bus, 0x11, 0x03);
    irq(6).raise();
    expect(pic.acknowledge()).toBe(0x36);
    expect(readIsr(bus, 0x20)).toBe(0);
  });

  it('poll command returns 0x80 | level and acts as the acknowledge', () => {
    const { bus, pic, irq } = board();
    linuxInit(bus);
    irq(5).raise();
    bus.out8(0x20, 0x0c);
    expect(bus.in8(0x20)).toBe(0x85);
    expect(readIsr(bus, 0x20)).toBe(0x20);
    expect(pic.hasInterrupt()).toBe(false);
    bus.out8(0x20, 0x0c);
    expect(bus.in8(0x20)).toBe(0x00); // nothing pending
  });
});

describe('8259A cascade', () => {
  it('an IRQ on the slave is delivered with the slave vector, both chips in service', () => {
    const { bus, pic, irq } = board();
    linuxInit(bus);
    irq(12).raise();
    expect(pic.hasInterrupt()).toBe(true);
    expect(pic.acknowledge()).toBe(0x3c);
    expect(readIsr(bus, 0xa0)).toBe(0x10);
    expect(readIsr(bus, 0x20)).toBe(0x04);
    bus.out8(0xa0, 0x64);
    bus.out8(0x20, 0x62);
    expect(readIsr(bus, 0xa0)).toBe(0);
    expect(readIsr(bus, 0x20)).toBe(0);
  });

  it('a second slave request waiting behind the first is delivered after both EOIs', () => {
    const { bus, pic, irq } = board();
    linuxInit(bus);
    irq(14).raise();
    irq(9).raise();
    expect(pic.acknowledge()).toBe(0x39);
    expect(pic.hasInterrupt()).toBe(false);
    bus.out8(0xa0, 0x20);
    bus.out8(0x20, 0x20);
    expect(pic.hasInterrupt()).toBe(true);
    expect(pic.acknowledge()).toBe(0x3e);
  });

  it('a masked cascade input blocks every slave IRQ', () => {
    const { bus, pic, irq } = board();
    linuxInit(bus);
    bus.out8(0x21, 0x04);
    irq(8).raise();
    expect(pic.hasInterrupt()).toBe(false);
  });
});

describe('8259A special fully nested mode and single mode', () => {
  it('SFNM (ICW4 D4) on the master: a higher slave request nests while IR2 is in service', () => {
    const { bus, pic, irq } = board();
    linuxInit(bus, 0x11, 0x11);
    irq(12).raise();
    expect(pic.acknowledge()).toBe(0x3c);
    irq(9).raise();
    expect(pic.acknowledge()).toBe(0x39); // blocked without SFNM (see the cascade tests)
  });

  it('single mode (ICW1.SNGL) skips ICW3 and the master supplies IR2 itself', () => {
    const { bus, pic, irq } = board();
    bus.out8(0x20, 0x13); // ICW1: single, IC4
    bus.out8(0x21, 0x40); // ICW2
    bus.out8(0x21, 0x01); // ICW4 (no ICW3)
    expect(bus.in8(0x21)).toBe(0x00);
    irq(2).raise();
    expect(pic.acknowledge()).toBe(0x42);
  });
});

describe('8259A edge and level triggering', () => {
  it('edge mode: an input held high requests once', () => {
    const { bus, pic, irq } = board();
    linuxInit(bus);
    irq(4).raise();
    expect(pic.acknowledge()).toBe(0x34);
    bus.out8(0x20, 0x64);
    expect(pic.hasInterrupt()).toBe(false);
  });

  it('edge mode: a pulse is latched even though the line is low again', () => {
    const { bus, pic, irq } = board();
    linuxInit(bus);
    irq(4).pulse();
    expect(pic.acknowledge()).toBe(0x34);
  });

  it('level mode (ICW1.LTIM): an input held high requests again after EOI', () => {
    const { bus, pic, irq } = board();
    linuxInit(bus, 0x19);
    irq(4).raise();
    expect(pic.acknowledge()).toBe(0x34);
    bus.out8(0x20, 0x64);
    expect(pic.hasInterrupt()).toBe(true);
    expect(pic.acknowledge()).toBe(0x34);
  });

  it('spurious IRQ 7: a level request that vanished before INTA gives base+7 and leaves ISR clear', () => {
    const { bus, pic, irq } = board();
    linuxInit(bus, 0x19);
    irq(4).raise();
    expect(pic.hasInterrupt()).toBe(true);
    irq(4).lower();
    expect(pic.acknowledge()).toBe(0x37);
    expect(readIsr(bus, 0x20)).toBe(0);
  });

  it('spurious IRQ 15: the slave answers base+7 while the master has IR2 in service', () => {
    const { bus, pic, irq } = board();
    linuxInit(bus);
    // Slave inputs level-triggered, master cascade input edge-triggered (as on a PC).
    bus.out8(0xa0, 0x19);
    bus.out8(0xa1, 0x38);
    bus.out8(0xa1, 0x02);
    bus.out8(0xa1, 0x01);
    irq(10).raise();
    expect(pic.hasInterrupt()).toBe(true);
    // The master latched the cascade edge; the slave request vanishes before the INTA cycle.
    irq(10).lower();
    expect(pic.acknowledge()).toBe(0x3f);
    expect(readIsr(bus, 0xa0)).toBe(0);
    expect(readIsr(bus, 0x20)).toBe(0x04);
  });
});

describe('NMI latch', () => {
  it('is set by raiseNmi and cleared when the CPU takes it', () => {
    const { pic } = board();
    expect(pic.hasNmi()).toBe(false);
    pic.raiseNmi();
    expect(pic.hasNmi()).toBe(true);
    pic.acknowledgeNmi();
    expect(pic.hasNmi()).toBe(false);
  });
});

describe('8259A state', () => {
  type Op = { kind: 'out'; slave: boolean; a0: number; value: number } | { kind: 'irq'; pin: number; level: boolean } | { kind: 'inta' } | { kind: 'in'; slave: boolean; a0: number };
  const opArb: fc.Arbitrary<Op> = fc.oneof(
    fc.record({ kind: fc.constant('out' as const), slave: fc.boolean(), a0: fc.integer({ min: 0, max: 1 }), value: fc.oneof(fc.integer({ min: 0, max: 255 }), fc.constantFrom(0x11, 0x19, 0x20, 0x0b, 0x0a, 0x0c, 0x60, 0xc3, 0x68)) }),
    fc.record({ kind: fc.constant('irq' as const), pin: fc.integer({ min: 0, max: 15 }), level: fc.boolean() }),
    fc.record({ kind: fc.constant('inta' as const) }),
    fc.record({ kind: fc.constant('in' as const), slave: fc.boolean(), a0: fc.integer({ min: 0, max: 1 }) }),
  );

  function apply(b: ReturnType<typeof board>, op: Op): number | boolean {
    switch (op.kind) {
      case 'out':
        b.bus.out8((op.slave ? 0xa0 : 0x20) + op.a0, op.value);
        return b.pic.hasInterrupt();
      case 'irq':
        b.pic.setInput(op.pin, op.level);
        return b.pic.hasInterrupt();
      case 'inta':
        return b.pic.hasInterrupt() ? b.pic.acknowledge() : -1;
      default:
        return b.bus.in8((op.slave ? 0xa0 : 0x20) + op.a0);
    }
  }

  it('save → load into a fresh pair behaves the same for any operation sequence', () => {
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 40 }), fc.array(opArb, { maxLength: 40 }), (prefix, suffix) => {
        const a = board();
        linuxInit(a.bus);
        for (const op of prefix) apply(a, op);
        const saved = JSON.parse(JSON.stringify({ m: a.pic.master.saveState(), s: a.pic.slave.saveState(), p: a.pic.saveState() }));
        const b = board();
        b.pic.master.loadState(saved.m);
        b.pic.slave.loadState(saved.s);
        b.pic.loadState(saved.p);
        expect(b.pic.hasInterrupt()).toBe(a.pic.hasInterrupt());
        for (const op of suffix) expect(apply(b, op)).toEqual(apply(a, op));
      }),
      { numRuns: 300, seed: 8259 },
    );
  });

  it('rejects an unknown state version', () => {
    const { pic } = board();
    expect(() => pic.master.loadState({ version: 99 })).toThrow(/version/);
  });
});
