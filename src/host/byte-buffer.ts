/** A character back end that keeps everything the guest sent in memory (tests, reports). */

import type { CharSink } from '../core/char-device.js';

/** Collects bytes; read them back as text with {@link ByteBuffer.text}. */
export class ByteBuffer implements CharSink {
  private chunks: Uint8Array[] = [];
  private current = new Uint8Array(4096);
  private used = 0;
  /** Called after each byte, e.g. to watch for a prompt. */
  onByte: ((byte: number) => void) | null = null;

  write(byte: number): void {
    if (this.used === this.current.length) {
      this.chunks.push(this.current);
      this.current = new Uint8Array(this.current.length * 2);
      this.used = 0;
    }
    this.current[this.used++] = byte;
    if (this.onByte) this.onByte(byte);
  }

  /** Everything written so far. */
  bytes(): Uint8Array {
    const total = this.chunks.reduce((n, c) => n + c.length, 0) + this.used;
    const out = new Uint8Array(total);
    let o = 0;
    for (const c of this.chunks) {
      out.set(c, o);
      o += c.length;
    }
    out.set(this.current.subarray(0, this.used), o);
    return out;
  }

  /** Everything written so far as Latin-1 text (one character per byte). */
  text(): string {
    let s = '';
    for (const b of this.bytes()) s += String.fromCharCode(b);
    return s;
  }
}
