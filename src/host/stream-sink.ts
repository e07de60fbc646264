/** Character back ends writing to Node streams and files (stdout, a file path). */

import { openSync, writeSync, closeSync } from 'node:fs';
import type { CharSink } from '../core/char-device.js';

/** Buffers bytes and flushes them to a file descriptor in batches (one write per slice, not per byte). */
export class FdSink implements CharSink {
  private buf = Buffer.alloc(8192);
  private used = 0;
  constructor(
    private readonly fd: number,
    private readonly closeOnEnd = false,
  ) {}

  /** Open (truncate) a file for writing. */
  static file(path: string): FdSink {
    return new FdSink(openSync(path, 'w'), true);
  }

  write(byte: number): void {
    if (this.used === this.buf.length) this.flush();
    this.buf[this.used++] = byte;
  }

  /** Push buffered bytes to the descriptor. */
  flush(): void {
    let off = 0;
    while (off < this.used) {
      try {
        off += writeSync(this.fd, this.buf, off, this.used - off);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'EAGAIN') continue;
        throw e;
      }
    }
    this.used = 0;
  }

  /** Flush and close (files only). */
  end(): void {
    this.flush();
    if (this.closeOnEnd) closeSync(this.fd);
  }
}

/** Several sinks fed with the same bytes. */
export class TeeSink implements CharSink {
  constructor(private readonly sinks: CharSink[]) {}
  write(byte: number): void {
    for (const s of this.sinks) s.write(byte);
  }
}
