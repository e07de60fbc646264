/** A machine: one board description built into a bus, a clock, a CPU and wired devices, and its run loop. */

import { AddressSpace } from '../core/address-space.js';
import { Clock } from '../core/clock.js';
import type { CharSink } from '../core/char-device.js';
import type { Device, PortHandler } from '../core/device.js';
import { IrqLine } from '../core/irq-line.js';
import { NO_INTERRUPTS } from '../core/interrupt-controller.js';
import type { PowerControl } from '../core/power-control.js';
import { Cpu, type CpuSnapshot, type Engine, type CpuOptions } from '../cpu/x86/cpu.js';
import { CPU_MODELS } from '../cpu/x86/models.js';
import { WasmLoop, type WASM_MAX_RAM, type compileWasmLoop } from '../cpu/x86/wasm-loop.js';
import {
  CmosRtc,
  DebugConsole,
  DebugExit,
  ElanWatchdog,
  FastReset,
  KbcReset,
  Pic8259Pair,
  Pit8254,
  PortB,
  PostCode,
  PowerOff,
  Uart16550,
} from '../devices/index.js';
import type { BoardDescription, DeviceDescription } from './board-description.js';
import type { LoadResult } from './loaders/entry.js';
import { exitCodeFor, RUN_REPORT_VERSION, type EndReason, type RunReport } from './run-report.js';

/** Host connections and run-wide settings for a machine. */
export interface MachineOptions {
  /** `model` uses the CPU model's cycle table; `uniform` counts one cycle per instruction. */
  cycles?: 'model' | 'uniform';
  /** Port of the POST-code latch, overriding the board's. */
  postPort?: number;
  /** Where the first UART's output goes. */
  serial?: CharSink | null;
  /** Where the second UART's output goes. */
  serial2?: CharSink | null;
  /** Where bytes written to the debug console (0xE9) go. */
  debugcon?: CharSink | null;
  /** Override of the board's reset policy. */
  onReset?: 'end' | 'restart';
  /**
   * CPU engine (see {@link CpuOptions.engine}); default 'interp'. 'wasm' is the fastest on
   * system code (Linux, the RTOS; the `shikiri` command's default): the machine then keeps its
   * RAM in the engine's WebAssembly memory (at most {@link WASM_MAX_RAM} bytes). In a browser's
   * main thread, `await compileWasmLoop()` before creating such a machine (browsers refuse to
   * compile a module of its size synchronously there).
   */
  engine?: Engine;
  /** Hotness threshold of the 'jit' engine (see {@link CpuOptions.jitThreshold}). */
  jitThreshold?: number;
  /** The interpreter's decoded-instruction cache (see {@link CpuOptions.decodedCache}); default on. */
  decodedCache?: boolean;
}

/** Limits for {@link Machine.run}. */
export interface RunLimits {
  /** Stop at this virtual time (nanoseconds since power-on). */
  maxTimeNs?: number;
  /** Stop after this many retired instructions in total. */
  maxInstructions?: number;
  /** Return (without ending the run) after this many instructions, for interactive hosts. */
  sliceInstructions?: number;
  /**
   * Return (without ending the run) once virtual time reaches this many nanoseconds: lets an
   * interactive host keep virtual time from running ahead of the wall clock while the guest idles.
   */
  sliceUntilNs?: number;
  /**
   * True once the host's input for the first UART has ended (stdin closed). When it has and the
   * guest has taken every byte, the run ends with `input-end` at the first moment the CPU is idle
   * one second of virtual time later.
   */
  inputClosed?: () => boolean;
}

/** Virtual time a run goes on after its input was drained, before `input-end` (1 s). */
const INPUT_END_GRACE_NS = 1e9;

/** Saved machine state: named sections, versioned. */
export interface MachineState {
  version: 1;
  board: string;
  clock: ReturnType<Clock['saveState']>;
  cpu: CpuSnapshot;
  devices: Record<string, ReturnType<Device['saveState']>>;
  /** The 8259 pair's own wiring state (NMI latch, cascade level), beside its two chips. */
  interruptController: ReturnType<Device['saveState']> | null;
  /** RAM pages (4 KiB) that hold any non-zero byte, by page number in hex, as base64. */
  ram: Record<string, string>;
  unmapped: ReturnType<AddressSpace['unmappedReport']>;
  unmappedOverflow: number;
  ended: { reason: EndReason; guestExitValue: number | null } | null;
  postCode: number | null;
}

/** Number of instructions a CPU slice may run before the loop checks limits again. */
const DEFAULT_SLICE = 1 << 20;

/**
 * A running instance of a board. Build with {@link Machine.create}, load images with
 * {@link Machine.load}, then {@link Machine.run} until it returns an end reason.
 */
export class Machine implements PowerControl {
  readonly bus: AddressSpace;
  readonly clock: Clock;
  readonly cpu: Cpu;
  /** Devices by instance name, in board order. */
  readonly devices = new Map<string, Device>();
  /** UARTs in board order (first = ttyS0 / COM1). */
  readonly uarts: Uart16550[] = [];
  /** The interrupt controller pair, if the board has one. */
  readonly pics: Pic8259Pair | null;
  private postLatch: PostCode | null = null;
  private loaded: LoadResult | null = null;
  private endState: { reason: EndReason; guestExitValue: number | null } | null = null;
  private wallMs = 0;
  private restartPending = false;
  /** Cycle count at which the closed input was seen fully drained, or null. */
  private inputDrainedAt: number | null = null;
  private resetPolicy: 'end' | 'restart';

  private constructor(
    readonly board: BoardDescription,
    private readonly options: MachineOptions,
  ) {
    const model = CPU_MODELS[board.cpu.model];
    if (!model) throw new Error(`board '${board.name}': unknown CPU model '${board.cpu.model}'`);
    this.resetPolicy = options.onReset ?? board.reset.onReset;
    const ramTop = Math.max(...board.memory.ram.map((r) => r.base + r.size));
    // The 'wasm' engine keeps RAM in its WebAssembly memory, where its loop reads it.
    const wasm = options.engine === 'wasm' ? new WasmLoop(ramTop) : undefined;
    this.bus = new AddressSpace(ramTop, board.memory.ram, wasm);
    this.clock = new Clock(board.cpu.frequencyHz);

    const picMaster = board.devices.find((d) => d.kind === 'pic8259' && d.role === 'master');
    const picSlave = board.devices.find((d) => d.kind === 'pic8259' && d.role === 'slave');
    this.pics = picMaster
      ? new Pic8259Pair({ master: { name: picMaster.name, clock: this.clock }, slave: { name: picSlave?.name ?? `${picMaster.name}-slave`, clock: this.clock } })
      : null;
    this.cpu = new Cpu({
      bus: this.bus,
      clock: this.clock,
      interrupts: this.pics ?? NO_INTERRUPTS,
      model,
      cycles: options.cycles ?? 'model',
      engine: options.engine,
      wasm,
      jitThreshold: options.jitThreshold,
      decodedCache: options.decodedCache,
    });
    for (const d of board.devices) this.addDevice(d);
  }

  /** Build a machine from a board description that has passed `validateBoard`. */
  static create(board: BoardDescription, options: MachineOptions = {}): Machine {
    const m = new Machine(board, options);
    m.cpu.reset();
    return m;
  }

  private irq(n: number): IrqLine {
    if (!this.pics) throw new Error(`board '${this.board.name}': IRQ ${n} used without an interrupt controller`);
    return new IrqLine(this.pics, n);
  }

  private map(name: string, port: number, count: number, handler: PortHandler, device: Device): void {
    this.bus.mapPorts(name, port, count, handler);
    this.devices.set(name, device);
  }

  private addDevice(d: DeviceDescription): void {
    const clock = this.clock;
    switch (d.kind) {
      case 'pic8259': {
        const chip = d.role === 'master' ? this.pics!.master : this.pics!.slave;
        this.map(d.name, d.port, 2, chip, chip);
        return;
      }
      case 'pit8254': {
        const pit = new Pit8254({ name: d.name, clock, irq: this.irq(d.irq), inputHz: d.inputHz });
        this.map(d.name, d.port, 4, pit, pit);
        if (d.portB !== undefined) {
          const portB = new PortB({ name: `${d.name}.port-b`, clock, pit });
          this.map(`${d.name}.port-b`, d.portB, 1, portB, portB);
        }
        return;
      }
      case 'uart16550': {
        const uart = new Uart16550({ name: d.name, clock, irq: this.irq(d.irq), clockHz: d.clockHz, timing: d.timing });
        const sink = this.uarts.length === 0 ? this.options.serial : this.uarts.length === 1 ? this.options.serial2 : null;
        uart.attach(sink ?? null);
        this.uarts.push(uart);
        this.map(d.name, d.port, 8, uart, uart);
        return;
      }
      case 'cmos-rtc': {
        const rtc = new CmosRtc({ name: d.name, clock, irq: this.irq(d.irq), startTime: d.startTime });
        this.map(d.name, d.port, 2, rtc, rtc);
        return;
      }
      case 'kbc-reset': {
        const kbc = new KbcReset({ name: d.name, clock, power: this });
        this.bus.mapPorts(`${d.name}.data`, d.port, 1, kbc.dataPort);
        this.bus.mapPorts(`${d.name}.command`, d.port + 4, 1, kbc.commandPort);
        this.devices.set(d.name, kbc);
        return;
      }
      case 'fast-reset': {
        const dev = new FastReset({ name: d.name, clock, power: this });
        this.map(d.name, d.port, 1, dev, dev);
        return;
      }
      case 'power-off': {
        const dev = new PowerOff({ name: d.name, clock, power: this, value: d.value });
        this.map(d.name, d.port, 2, dev, dev);
        return;
      }
      case 'debug-console': {
        const dev = new DebugConsole({ name: d.name, clock, sink: this.options.debugcon ?? null });
        this.map(d.name, d.port, 1, dev, dev);
        return;
      }
      case 'debug-exit': {
        const dev = new DebugExit({ name: d.name, clock, power: this });
        this.map(d.name, d.port, 1, dev, dev);
        return;
      }
      case 'post-code': {
        const dev = new PostCode({ name: d.name, clock });
        this.postLatch = dev;
        this.map(d.name, this.options.postPort ?? d.port, 1, dev, dev);
        return;
      }
      case 'watchdog': {
        const dev = new ElanWatchdog({ name: d.name, clock, power: this });
        this.map(d.name, d.port, 2, dev, dev);
        return;
      }
    }
  }

  // ---- PowerControl (called by devices) ----

  requestReset(_source: string): void {
    if (this.resetPolicy === 'restart' && this.loaded) {
      // Devices call this in the middle of an instruction: restart at the next boundary.
      this.restartPending = true;
      this.stopCpuAtBoundary();
    } else this.end('reset');
  }

  powerOff(_source: string): void {
    this.end('power-off');
  }

  exit(value: number): void {
    this.end('exit', value & 0xff);
  }

  private end(reason: EndReason, guestExitValue: number | null = null): void {
    if (this.endState === null) this.endState = { reason, guestExitValue };
    this.stopCpuAtBoundary();
  }

  /**
   * Make the CPU return at the next instruction boundary: a device ended the run (or reset the
   * machine) in the middle of an instruction slice. The CPU stops when `now >= nextEventAt`;
   * the run loop recomputes the real deadline afterwards.
   */
  private stopCpuAtBoundary(): void {
    this.clock.nextEventAt = this.clock.now;
  }

  /** True once the run has an end reason. */
  get ended(): boolean {
    return this.endState !== null;
  }

  /** End the run from the host side (user quit, input end, internal error). */
  stop(reason: EndReason): void {
    this.end(reason);
  }

  // ---- images ----

  /** Copy a loader's result into memory and set the CPU's entry state. */
  load(image: LoadResult): void {
    this.loaded = image;
    this.placeImage(image);
  }

  private placeImage(image: LoadResult): void {
    this.cpu.flushBlocks();
    for (const seg of image.segments) {
      if (!this.bus.loadBytes(seg.address, seg.bytes)) throw new Error(`segment at 0x${seg.address.toString(16)} is not in RAM`);
    }
    if (image.rom) for (const w of image.rom.windows) this.bus.mapRom('rom', w, image.rom.data);
    const e = image.entry;
    if (e.mode === 'flat32') this.cpu.enterFlatProtectedMode(e.state);
    else this.cpu.enterRealMode(e.cs, e.ip);
  }

  /** Reset every device and the CPU, then load the images again (board reset policy `restart`). */
  private restart(): void {
    this.restartPending = false;
    // RAM keeps its contents, as on a warm reset of real boards (and clearing 128 MiB per reset
    // would make a guest's reset loop stall the host); the images are copied in again below.
    for (const d of this.devices.values()) d.reset();
    this.pics?.reset();
    this.cpu.reset();
    if (this.loaded && !this.loaded.rom) {
      for (const seg of this.loaded.segments) this.bus.loadBytes(seg.address, seg.bytes);
      const e = this.loaded.entry;
      if (e.mode === 'flat32') this.cpu.enterFlatProtectedMode(e.state);
      else this.cpu.enterRealMode(e.cs, e.ip);
    }
  }

  // ---- running ----

  /**
   * Run until the machine ends or a limit is reached; returns the end reason, or null when a
   * `sliceInstructions` slice is used up (call again to continue).
   *
   * Guest faults are JavaScript exceptions inside the CPU. Node makes them about 8 times dearer
   * in a timer or `setImmediate` callback, inside `vm.Script.runInThisContext`, or at a CommonJS
   * script's top level, than after an `await` (docs/performance.md, "Faults are JavaScript
   * throws"): drive a fault-heavy guest from an async function, awaiting between slices. A short
   * run is mostly V8 compiling the emulator: start Node with `--v8-pool-size=0` (as the `shikiri`
   * command does) so that its compiling threads do not outnumber the CPUs.
   */
  run(limits: RunLimits = {}): EndReason | null {
    const start = performance.now();
    try {
      return this.runInner(limits);
    } finally {
      this.wallMs += performance.now() - start;
    }
  }

  private runInner(limits: RunLimits): EndReason | null {
    const cpu = this.cpu;
    const clock = this.clock;
    const maxCycles = limits.maxTimeNs !== undefined ? clock.nsToCycles(limits.maxTimeNs) : Infinity;
    const maxInstr = limits.maxInstructions ?? Infinity;
    const sliceEnd = limits.sliceInstructions !== undefined ? cpu.instructions + limits.sliceInstructions : Infinity;
    const pauseCycles = limits.sliceUntilNs !== undefined ? clock.nsToCycles(limits.sliceUntilNs) : Infinity;
    const stopCycles = Math.min(maxCycles, pauseCycles);
    while (this.endState === null) {
      if (cpu.instructions >= maxInstr) return this.endWith('instruction-limit');
      if (clock.now >= maxCycles) return this.endWith('time-limit');
      if (cpu.instructions >= sliceEnd || clock.now >= pauseCycles) return null;
      clock.runDue();
      if (this.endState !== null) break;
      const budget = Math.min(DEFAULT_SLICE, maxInstr - cpu.instructions, sliceEnd - cpu.instructions);
      // Never let the CPU run past the time limit or the pause: a pseudo-deadline caps its slice.
      if (stopCycles < clock.nextEventAt) clock.nextEventAt = stopCycles;
      const stop = cpu.run(budget);
      clock.recompute();
      if (this.restartPending) {
        this.restart();
        continue;
      }
      if (stop === 'shutdown') {
        if (this.board.reset.onTripleFault === 'reset') this.requestReset('triple-fault');
        else this.end('triple-fault');
      } else if (stop === 'halt') {
        if (this.inputEnded(limits)) {
          this.end('input-end');
        } else if (!cpu.interruptsEnabled && !(this.pics?.hasNmi() ?? false)) {
          this.end('halt');
        } else if (clock.nextEventAt === Infinity && this.inputDrainedAt !== null) {
          // Idle for good after the input ended: let the grace second pass at once.
          clock.now = Math.max(clock.now, this.inputDrainedAt + clock.nsToCycles(INPUT_END_GRACE_NS));
        } else if (clock.nextEventAt === Infinity) {
          // Halted with nothing that could ever wake it (no timer armed). An interactive host may
          // still deliver input; let it decide by returning at the slice boundary.
          if (limits.sliceInstructions !== undefined) return null;
          this.end('halt');
        } else {
          // Idle: jump virtual time to the next event (no busy simulation of idle time).
          clock.now = Math.min(clock.nextEventAt, stopCycles);
        }
      }
    }
    return this.endState!.reason;
  }

  /** The input-end rule: input closed, drained, and a grace second of virtual time has passed. */
  private inputEnded(limits: RunLimits): boolean {
    if (!limits.inputClosed || !limits.inputClosed()) return false;
    const uart = this.uarts[0];
    if (uart && uart.inputQueued() > 0) {
      this.inputDrainedAt = null;
      return false;
    }
    if (this.inputDrainedAt === null) this.inputDrainedAt = this.clock.now;
    return this.clock.now - this.inputDrainedAt >= this.clock.nsToCycles(INPUT_END_GRACE_NS);
  }

  private endWith(reason: EndReason): EndReason {
    this.end(reason);
    return this.endState!.reason;
  }

  /** Last POST code written, or null. */
  get postCode(): number | null {
    return this.postLatch?.lastCode ?? null;
  }

  /** The run report (valid at any time; final once the run has ended). */
  report(): RunReport {
    const reason = this.endState?.reason ?? 'internal-error';
    const guestExitValue = this.endState?.guestExitValue ?? null;
    const instructions = this.cpu.instructions;
    return {
      version: RUN_REPORT_VERSION,
      board: this.board.name,
      endReason: reason,
      exitCode: exitCodeFor(reason, guestExitValue),
      guestExitValue,
      instructions,
      cycles: this.clock.now,
      virtualTimeNs: Math.round(this.clock.nowNs),
      engine: this.cpu.engine,
      ...(this.cpu.blocks !== null ? { compiledBlocks: this.cpu.blocks.compiled } : {}),
      wallMs: Math.round(this.wallMs),
      mips: this.wallMs > 0 ? Math.round((instructions / this.wallMs / 1000) * 100) / 100 : 0,
      postCode: this.postCode,
      unmapped: this.bus.unmappedReport(),
    };
  }

  // ---- snapshots ----

  /** Save the complete machine state (named fields). */
  saveState(): MachineState {
    const devices: MachineState['devices'] = {};
    for (const [name, d] of this.devices) devices[name] = d.saveState();
    return {
      version: 1,
      board: this.board.name,
      clock: this.clock.saveState(),
      cpu: this.cpu.saveState(),
      devices,
      interruptController: this.pics?.saveState() ?? null,
      ram: saveRamPages(this.bus.ram),
      unmapped: this.bus.unmappedReport(),
      unmappedOverflow: this.bus.unmappedOverflow,
      ended: this.endState,
      postCode: this.postCode,
    };
  }

  /** Restore a state saved from a machine of the same board. */
  loadState(s: MachineState): void {
    if (s.version !== 1) throw new Error(`machine state version ${s.version} is not supported`);
    if (s.board !== this.board.name) throw new Error(`machine state is for board '${s.board}', not '${this.board.name}'`);
    this.bus.ram.fill(0);
    for (const [page, data] of Object.entries(s.ram)) this.bus.ram.set(base64ToBytes(data), parseInt(page, 16) * RAM_PAGE);
    for (const [name, d] of this.devices) {
      const st = s.devices[name];
      if (!st) throw new Error(`machine state has no device '${name}'`);
      d.loadState(st);
    }
    if (this.pics && s.interruptController) this.pics.loadState(s.interruptController);
    this.cpu.loadState(s.cpu);
    this.clock.loadState(s.clock);
    this.bus.loadUnmappedReport(s.unmapped, s.unmappedOverflow);
    this.endState = s.ended;
  }
}

const RAM_PAGE = 4096;

function saveRamPages(ram: Uint8Array): Record<string, string> {
  const out: Record<string, string> = {};
  for (let base = 0; base < ram.length; base += RAM_PAGE) {
    const page = ram.subarray(base, base + RAM_PAGE);
    if (page.some((b) => b !== 0)) out[(base / RAM_PAGE).toString(16)] = bytesToBase64(page);
  }
  return out;
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

function bytesToBase64(b: Uint8Array): string {
  let out = '';
  for (let i = 0; i < b.length; i += 3) {
    const n = (b[i] << 16) | ((b[i + 1] ?? 0) << 8) | (b[i + 2] ?? 0);
    out += B64[(n >> 18) & 63] + B64[(n >> 12) & 63] + (i + 1 < b.length ? B64[(n >> 6) & 63] : '=') + (i + 2 < b.length ? B64[n & 63] : '=');
  }
  return out;
}

function base64ToBytes(s: string): Uint8Array {
  const clean = s.replace(/=+$/, '');
  const out = new Uint8Array(Math.floor((clean.length * 3) / 4));
  let o = 0;
  for (let i = 0; i < clean.length; i += 4) {
    const n = (B64.indexOf(clean[i]) << 18) | (B64.indexOf(clean[i + 1]) << 12) | ((B64.indexOf(clean[i + 2] ?? 'A') & 63) << 6) | (B64.indexOf(clean[i + 3] ?? 'A') & 63);
    if (o < out.length) out[o++] = (n >> 16) & 255;
    if (o < out.length) out[o++] = (n >> 8) & 255;
    if (o < out.length) out[o++] = n & 255;
  }
  return out;
}
