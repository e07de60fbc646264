/** Host input for the first UART: a raw-mode terminal with Ctrl-A escapes, or piped stdin. */

/** Keys after Ctrl-A, as in QEMU's character-device multiplexer. */
const HELP_TEXT = '\r\nC-a h    print this help\r\nC-a x    exit Shikiri\r\nC-a C-a  send C-a to the guest\r\n';

/**
 * Reads the host's stdin and hands bytes to the guest's console. On a terminal it switches to
 * raw mode (every key goes to the guest) and interprets Ctrl-A escapes; otherwise it reads the
 * pipe or file until its end and reports {@link closed}.
 */
export class ConsoleInput {
  /** True once stdin has ended (never on a terminal, which ends by Ctrl-A x). */
  closed = false;
  private escape = false;
  private readonly isTty: boolean;

  constructor(
    private readonly stdin: NodeJS.ReadStream,
    private readonly deliver: (bytes: Uint8Array) => void,
    private readonly quit: () => void,
    private readonly say: (text: string) => void,
  ) {
    this.isTty = Boolean(stdin.isTTY);
  }

  /** Whether the console is an interactive terminal. */
  get interactive(): boolean {
    return this.isTty;
  }

  start(): void {
    if (this.isTty) this.stdin.setRawMode(true);
    this.stdin.on('data', this.onData);
    this.stdin.on('end', this.onEnd);
    this.stdin.on('error', this.onEnd);
    this.stdin.resume();
  }

  stop(): void {
    this.stdin.off('data', this.onData);
    this.stdin.off('end', this.onEnd);
    this.stdin.off('error', this.onEnd);
    if (this.isTty) this.stdin.setRawMode(false);
    this.stdin.pause();
    this.stdin.unref?.();
  }

  private onEnd = (): void => {
    this.closed = true;
  };

  private onData = (chunk: Buffer | string): void => {
    const data = typeof chunk === 'string' ? Buffer.from(chunk, 'latin1') : chunk;
    if (!this.isTty) {
      this.deliver(new Uint8Array(data));
      return;
    }
    const out: number[] = [];
    for (const b of data) {
      if (this.escape) {
        this.escape = false;
        if (b === 0x78 /* x */) {
          this.quit();
          return;
        }
        if (b === 0x68 /* h */) this.say(HELP_TEXT);
        else if (b === 0x01) out.push(0x01);
        continue;
      }
      if (b === 0x01) this.escape = true;
      else out.push(b === 0x0d ? 0x0d : b);
    }
    if (out.length) this.deliver(Uint8Array.from(out));
  };
}
