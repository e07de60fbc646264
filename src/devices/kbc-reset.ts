/** The reset and status subset of an Intel 8042 keyboard controller (ports 0x60 and 0x64 on a PC). */

import type { Clock } from '../core/clock.js';
import { StateError, type Device, type DeviceState, type PortHandler } from '../core/device.js';
import type { PowerControl } from '../core/power-control.js';

/*
 * Ports (IBM PC/AT Technical Reference, "Keyboard Controller"): offset 0 = data (0x60),
 * offset 4 = status (read) / command (write) (0x64). No keyboard or mouse is attached.
 *
 * Status byte: 0 OBF output buffer full, 1 IBF input buffer full (always 0: commands complete at
 * once), 2 SYS system flag (1: self-test passed), 3 A2 (1: last write was a command),
 * 4 INH (1: keyboard not inhibited), 5-7 0.
 *
 * | command | effect                                                               |
 * |---------|----------------------------------------------------------------------|
 * | 0x20    | read command byte → output buffer                                    |
 * | 0x60    | next data byte is the command byte                                   |
 * | 0xAA    | self test → 0x55                                                     |
 * | 0xAB    | keyboard interface test → 0x00                                       |
 * | 0xAD/AE | disable/enable keyboard (command byte bit 4)                         |
 * | 0xD0    | read output port → output buffer                                     |
 * | 0xD1    | next data byte is the output port: bit 0 = 0 resets, bit 1 = A20     |
 * | 0xDD/DF | A20 off/on (output port bit 1)                                       |
 * | 0xF0-FF | pulse output port bits 0-3 low where the command has a 0; bit 0 is    |
 * |         | the CPU reset line, so 0xFE (and any even 0xFx) resets the board      |
 *
 * Reading 0x60 with nothing in the output buffer returns 0.
 */

const STATUS_OBF = 0x01;
const STATUS_SYS = 0x04;
const STATUS_A2 = 0x08;
const STATUS_INH = 0x10;

/** Output port value after reset: reset line high (not asserted), A20 enabled. */
const OUTPUT_PORT_DEFAULT = 0x03;

/** Options for the 8042 reset subset; `power` receives the reset requests. */
export interface KbcResetOptions {
  name: string;
  clock: Clock;
  power: PowerControl;
}

/** A single-port view of one register of the controller (for mapping 0x60 and 0x64 apart). */
class KbcPortView implements PortHandler {
  constructor(
    private readonly kbc: KbcReset,
    private readonly offset: number,
  ) {}
  read8(): number {
    return this.kbc.read8(this.offset);
  }
  write8(_offset: number, value: number): void {
    this.kbc.write8(this.offset, value);
  }
}

/**
 * The 8042 subset a PC kernel uses to reset the board. As a PortHandler it decodes offsets 0
 * and 4; since 0x61-0x63 belong to other devices, map {@link dataPort} at 0x60 and
 * {@link commandPort} at 0x64 (one port each).
 */
export class KbcReset implements Device, PortHandler {
  readonly name: string;
  private readonly power: PowerControl;
  /** One-port handler for the data register (map at the data port, e.g. 0x60). */
  readonly dataPort: PortHandler;
  /** One-port handler for the status/command register (map at data + 4, e.g. 0x64). */
  readonly commandPort: PortHandler;
  private outputBuffer = -1;
  private commandByte = 0x45;
  private outputPort = OUTPUT_PORT_DEFAULT;
  /** Command waiting for its data byte (0x60 or 0xD1), or 0. */
  private pendingCommand = 0;
  private lastWasCommand = false;

  constructor(options: KbcResetOptions) {
    this.name = options.name;
    this.power = options.power;
    this.dataPort = new KbcPortView(this, 0);
    this.commandPort = new KbcPortView(this, 4);
  }

  /** A20 gate as set through the output port (recorded; the bus does not mask A20). */
  get a20(): boolean {
    return (this.outputPort & 2) !== 0;
  }

  reset(): void {
    this.outputBuffer = -1;
    this.commandByte = 0x45;
    this.outputPort = OUTPUT_PORT_DEFAULT;
    this.pendingCommand = 0;
    this.lastWasCommand = false;
  }

  read8(offset: number): number {
    if (offset === 4) {
      return (this.outputBuffer >= 0 ? STATUS_OBF : 0) | STATUS_SYS | (this.lastWasCommand ? STATUS_A2 : 0) | STATUS_INH;
    }
    if (offset !== 0) return 0xff;
    const v = this.outputBuffer;
    this.outputBuffer = -1;
    return v < 0 ? 0 : v;
  }

  write8(offset: number, value: number): void {
    value &= 0xff;
    if (offset === 4) {
      this.lastWasCommand = true;
      this.command(value);
    } else if (offset === 0) {
      this.lastWasCommand = false;
      const cmd = this.pendingCommand;
      this.pendingCommand = 0;
      if (cmd === 0x60) this.commandByte = value;
      else if (cmd === 0xd1) this.writeOutputPort(value);
      // Otherwise the byte would go to the keyboard; none is attached.
    }
  }

  private command(cmd: number): void {
    this.pendingCommand = 0;
    switch (cmd) {
      case 0x20:
        this.outputBuffer = this.commandByte;
        return;
      case 0x60:
      case 0xd1:
        this.pendingCommand = cmd;
        return;
      case 0xaa:
        this.outputBuffer = 0x55;
        return;
      case 0xab:
        this.outputBuffer = 0x00;
        return;
      case 0xad:
        this.commandByte |= 0x10;
        return;
      case 0xae:
        this.commandByte &= ~0x10;
        return;
      case 0xd0:
        this.outputBuffer = this.outputPort;
        return;
      case 0xdd:
        this.outputPort &= ~2;
        return;
      case 0xdf:
        this.outputPort |= 2;
        return;
      default:
        // 0xF0-0xFF: pulse the output port lines whose bit in the command is 0 (about 6 µs).
        if (cmd >= 0xf0 && (cmd & 1) === 0) this.power.requestReset('kbc');
    }
  }

  private writeOutputPort(value: number): void {
    this.outputPort = value;
    // Bit 0 drives the CPU reset line (active low).
    if ((value & 1) === 0) {
      this.outputPort |= 1;
      this.power.requestReset('kbc');
    }
  }

  saveState(): DeviceState {
    return {
      version: 1,
      outputBuffer: this.outputBuffer,
      commandByte: this.commandByte,
      outputPort: this.outputPort,
      pendingCommand: this.pendingCommand,
      lastWasCommand: this.lastWasCommand,
    };
  }

  loadState(s: DeviceState): void {
    if (s.version !== 1) throw new StateError(this.name, `unknown state version ${String(s.version)}`);
    const n = (v: unknown, d: number) => (typeof v === 'number' ? v : d);
    this.outputBuffer = n(s.outputBuffer, -1);
    this.commandByte = n(s.commandByte, 0x45) & 0xff;
    this.outputPort = n(s.outputPort, OUTPUT_PORT_DEFAULT) & 0xff;
    this.pendingCommand = n(s.pendingCommand, 0);
    this.lastWasCommand = s.lastWasCommand === true;
  }
}
