// Specification of IRQ wires: levels, edges, no repeated transitions.
import { describe, expect, it } from 'vitest';
import { IrqLine } from '../../../src/core/irq-line.js';

describe('IrqLine', () => {
  it('reports only level transitions to the controller input', () => {
    const seen: string[] = [];
    const line = new IrqLine({ setInput: (pin, level) => seen.push(`${pin}:${level ? 1 : 0}`) }, 4);
    line.raise();
    line.raise();
    line.lower();
    line.pulse();
    line.set(true);
    expect(seen).toEqual(['4:1', '4:0', '4:1', '4:0', '4:1']);
    expect(line.level).toBe(true);
  });
});
