// Drives a guest's serial console from a test: run until text appears, then type a line.
import { readFileSync } from 'node:fs';
import { BOARDS } from '../../boards/index.js';
import { Machine } from '../../src/machine/machine.js';
import type { EndReason } from '../../src/machine/run-report.js';
import { validateBoard } from '../../src/machine/validate-board.js';
import { ByteBuffer } from '../../src/host/byte-buffer.js';
import { loadImages } from '../../src/cli/load-images.js';

/** Instructions per slice between checks of the console output. */
const SLICE = 200_000;

/** A machine with its first UART wired to a transcript the test can wait on. */
export class ConsoleDriver {
  readonly machine: Machine;
  readonly serial = new ByteBuffer();
  private seen = 0;
  private inputClosed = false;
  ended: EndReason | null = null;

  constructor(opts: { board?: string; kernel: string; append?: string }) {
    const v = validateBoard(BOARDS[opts.board ?? 'pc-i486']);
    if (!v.ok) throw new Error(`board ${opts.board} is invalid`);
    this.machine = Machine.create(v.board, { serial: this.serial });
    this.machine.load(loadImages({ kernel: opts.kernel, append: opts.append, loads: [], modules: [] }, v.board, (f) => new Uint8Array(readFileSync(f))));
  }

  /** Everything the guest printed so far. */
  get transcript(): string {
    return this.serial.text();
  }

  /**
   * Run until `pattern` appears in output printed after the previous match (or the run ends, or
   * `maxSeconds` of virtual time pass); returns the output up to and including the match.
   */
  waitFor(pattern: string | RegExp, maxSeconds = 30): string {
    const deadline = this.machine.clock.nowNs + maxSeconds * 1e9;
    for (;;) {
      const text = this.serial.text().slice(this.seen);
      const m = typeof pattern === 'string' ? (text.includes(pattern) ? { index: text.indexOf(pattern), 0: pattern } : null) : pattern.exec(text);
      if (m) {
        const upto = m.index + m[0].length;
        this.seen += upto;
        return text.slice(0, upto);
      }
      if (this.ended === 'time-limit') throw new Error(`${String(pattern)} did not appear within ${maxSeconds} s of virtual time; last output:\n${text.slice(-2000)}`);
      if (this.ended !== null) throw new Error(`run ended (${this.ended}) before ${String(pattern)} appeared; last output:\n${text.slice(-2000)}`);
      this.ended = this.machine.run({ sliceInstructions: SLICE, maxTimeNs: deadline, inputClosed: () => this.inputClosed });
    }
  }

  /** Type a line (a carriage return ends it, as a terminal sends). */
  send(line: string): void {
    this.machine.uarts[0].pushInput(Buffer.from(line + '\r', 'latin1'));
  }

  /** Run to the end of the run (or `maxSeconds` of virtual time). */
  runToEnd(maxSeconds = 30): EndReason {
    this.inputClosed = true;
    const r = this.machine.run({ maxTimeNs: this.machine.clock.nowNs + maxSeconds * 1e9, inputClosed: () => true });
    this.ended = r;
    return r!;
  }
}
