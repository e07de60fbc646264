/** The host side of a character device: where the bytes a guest sends out go. */

/**
 * Receives the bytes a device transmits (a UART's TX line, a debug console), one byte (0..255)
 * at a time, in order. Host back ends (terminal, file, buffer) implement it in src/host.
 * `write` must not throw back into the device.
 */
export interface CharSink {
  write(byte: number): void;
}
