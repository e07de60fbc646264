/** The board description schema: typed data for modelled hardware (CPU, memory, devices, IRQ wiring). */

/**
 * A board: modelled hardware, described as plain data and checked by `validateBoard` before any
 * machine is built. Addresses are physical addresses on the board's bus; ports are ISA I/O
 * ports; IRQ numbers are inputs of the board's 8259 pair (0..7 master, 8..15 slave).
 */
export interface BoardDescription {
  /** Short identifier used on the command line, e.g. `pc-i486`. Lower case, digits and dashes. */
  name: string;
  /** One-line summary shown by `shikiri boards`. */
  summary: string;
  /** Datasheets and manuals the model follows (titles or document numbers). */
  references: string[];
  cpu: CpuDescription;
  memory: MemoryDescription;
  devices: DeviceDescription[];
  /** What the machine does on a reset request and on a CPU shutdown (triple fault). */
  reset: ResetDescription;
}

export interface CpuDescription {
  /** CPU model name from the CPU model table (e.g. `i486sx`, `vortex86sx`). */
  model: string;
  /** Core clock in Hz (virtual time runs at this rate). */
  frequencyHz: number;
  /** Whether an x87 FPU is present. Round-1 boards have none. */
  fpu: boolean;
}

export interface MemoryDescription {
  /** RAM ranges, each 4 KiB aligned; physical base and size in bytes. */
  ram: RamRange[];
  /** Optional ROM windows the board decodes (filled from a `--rom` image or left empty). */
  rom?: RomWindow[];
}

export interface RamRange {
  /** Physical base address, bytes. */
  base: number;
  /** Size in bytes. */
  size: number;
}

export interface RomWindow {
  /** Physical base address where the firmware image appears, bytes. */
  base: number;
  /** Window size in bytes. */
  size: number;
}

export interface ResetDescription {
  /** On a reset request (keyboard controller 0xFE, port 0x92, `reboot`): end the run or restart the loaded images. */
  onReset: 'end' | 'restart';
  /** On a triple fault: reset the machine (then `onReset` applies) or stop the run. */
  onTripleFault: 'reset' | 'stop';
}

/** Every device kind a board may contain. One chip model per kind. */
export type DeviceDescription =
  | Pic8259Description
  | Pit8254Description
  | Uart16550Description
  | CmosRtcDescription
  | KeyboardControllerDescription
  | FastResetDescription
  | PowerOffDescription
  | DebugConsoleDescription
  | DebugExitDescription
  | PostCodeDescription
  | WatchdogDescription;

interface DeviceBase {
  /** Unique instance name on this board, e.g. `uart0`. */
  name: string;
}

/** Intel 8259A programmable interrupt controller (one chip). */
export interface Pic8259Description extends DeviceBase {
  kind: 'pic8259';
  /** Base port (A0 = 0 at base, A0 = 1 at base+1): 0x20 master, 0xA0 slave on a PC. */
  port: number;
  /** `master` drives the CPU's INTR; `slave` cascades into the master's input `cascadeInput`. */
  role: 'master' | 'slave';
  /** For the slave: the master input it is wired to (2 on a PC). */
  cascadeInput?: number;
}

/** Intel 8254 programmable interval timer. */
export interface Pit8254Description extends DeviceBase {
  kind: 'pit8254';
  /** Base port (counters at +0..+2, control word at +3): 0x40 on a PC. */
  port: number;
  /** IRQ driven by counter 0's output (0 on a PC). */
  irq: number;
  /** Counter input clock in Hz (1 193 182 on a PC). */
  inputHz: number;
  /** Port of system control port B (gate and output of counter 2), 0x61 on a PC; omit if absent. */
  portB?: number;
}

/** National Semiconductor PC16550D UART. */
export interface Uart16550Description extends DeviceBase {
  kind: 'uart16550';
  /** Base port of the 8 registers (0x3F8 COM1, 0x2F8 COM2). */
  port: number;
  irq: number;
  /** Reference clock in Hz into the baud generator (1 843 200 on a PC). */
  clockHz: number;
  /** `instant`: transmission completes at once; `baud`: bytes take their line time. */
  timing: 'instant' | 'baud';
}

/** Motorola MC146818 real-time clock with CMOS RAM. */
export interface CmosRtcDescription extends DeviceBase {
  kind: 'cmos-rtc';
  /** Index port (data at +1): 0x70 on a PC. */
  port: number;
  irq: number;
  /** Date and time the clock holds at power-on, ISO 8601 in UTC (never host time). */
  startTime: string;
}

/** The reset and status part of an 8042 keyboard controller (ports 0x60 and 0x64). */
export interface KeyboardControllerDescription extends DeviceBase {
  kind: 'kbc-reset';
  /** Data port (0x60); the status/command port is data + 4 (0x64). */
  port: number;
}

/** System control port A (0x92): bit 0 pulses a fast reset. */
export interface FastResetDescription extends DeviceBase {
  kind: 'fast-reset';
  port: number;
}

/** A board power-off latch: writing `value` to `port` (8 or 16 bits) powers the board off. */
export interface PowerOffDescription extends DeviceBase {
  kind: 'power-off';
  port: number;
  value: number;
}

/** Byte console: every byte written to the port is a character (QEMU's debugcon, port 0xE9). */
export interface DebugConsoleDescription extends DeviceBase {
  kind: 'debug-console';
  port: number;
}

/** Exit port: writing v ends the run with process exit code (v << 1) | 1 (QEMU's isa-debug-exit). */
export interface DebugExitDescription extends DeviceBase {
  kind: 'debug-exit';
  port: number;
}

/** POST-code latch: remembers the last byte written (port 0x80 by default). */
export interface PostCodeDescription extends DeviceBase {
  kind: 'post-code';
  port: number;
}

/** A board watchdog timer that resets the board when not serviced in time. */
export interface WatchdogDescription extends DeviceBase {
  kind: 'watchdog';
  /** Base port of the watchdog's registers. */
  port: number;
  /** Which watchdog model (register layout) this is. */
  model: 'elan-sc410';
}

/** The device kinds, as a table for validation and listings. */
export const DEVICE_KINDS = [
  'pic8259',
  'pit8254',
  'uart16550',
  'cmos-rtc',
  'kbc-reset',
  'fast-reset',
  'power-off',
  'debug-console',
  'debug-exit',
  'post-code',
  'watchdog',
] as const satisfies ReadonlyArray<DeviceDescription['kind']>;
