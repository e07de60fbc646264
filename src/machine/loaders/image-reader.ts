/** Bounds-checked little-endian reads from an image, turning every out-of-range read into an ImageError. */

import { ImageError } from './image-error.js';

/** Reads fields of a boot image by offset; a read past the end is a truncated-file ImageError naming the field. */
export class ImageReader {
  constructor(
    readonly bytes: Uint8Array,
    readonly file: string,
  ) {}

  get length(): number {
    return this.bytes.length;
  }

  /** Throw a truncation error unless [offset, offset+size) lies inside the image. */
  need(offset: number, size: number, what: string): void {
    if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(size) || offset < 0 || size < 0 || offset + size > this.bytes.length) {
      throw new ImageError(this.file, `truncated: ${what} at offset 0x${Math.max(0, offset).toString(16)} (+${size} bytes) is past the end of the ${this.bytes.length}-byte file`);
    }
  }

  u8(offset: number, what: string): number {
    this.need(offset, 1, what);
    return this.bytes[offset];
  }

  u16(offset: number, what: string): number {
    this.need(offset, 2, what);
    return this.bytes[offset] | (this.bytes[offset + 1] << 8);
  }

  u32(offset: number, what: string): number {
    this.need(offset, 4, what);
    const b = this.bytes;
    return (b[offset] | (b[offset + 1] << 8) | (b[offset + 2] << 16) | (b[offset + 3] << 24)) >>> 0;
  }

  /** A copy-free view of [offset, offset+size). */
  slice(offset: number, size: number, what: string): Uint8Array {
    this.need(offset, size, what);
    return this.bytes.subarray(offset, offset + size);
  }

  fail(detail: string): never {
    throw new ImageError(this.file, detail);
  }
}

/** Little-endian stores into a boot structure the loader builds (zero page, Multiboot info). */
export function put32(buf: Uint8Array, offset: number, value: number): void {
  buf[offset] = value & 0xff;
  buf[offset + 1] = (value >>> 8) & 0xff;
  buf[offset + 2] = (value >>> 16) & 0xff;
  buf[offset + 3] = (value >>> 24) & 0xff;
}

export function put16(buf: Uint8Array, offset: number, value: number): void {
  buf[offset] = value & 0xff;
  buf[offset + 1] = (value >>> 8) & 0xff;
}

/** Store a 64-bit value given as a non-negative safe integer (e820 and mmap entries). */
export function put64(buf: Uint8Array, offset: number, value: number): void {
  put32(buf, offset, value % 0x1_0000_0000);
  put32(buf, offset + 4, Math.floor(value / 0x1_0000_0000));
}
