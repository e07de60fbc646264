/** Shikiri's machine API: the public barrel (rollup input and typedoc entry). */

// Core: the bus, IRQ wires, interrupt pins, virtual time and device roles.
export * from './core/bus.js';
export * from './core/irq-line.js';
export * from './core/interrupt-controller.js';
export * from './core/clock.js';
export * from './core/device.js';
export * from './core/address-space.js';
export * from './core/power-control.js';
export * from './core/char-device.js';

// The CPU.
export * from './cpu/x86/index.js';

// Devices, one chip per module.
export * from './devices/index.js';

// Boards and machines.
export * from './machine/board-description.js';
export * from './machine/validate-board.js';
export * from './machine/machine.js';
export * from './machine/run-report.js';

// Image loaders.
export type { Entry, Segment, RomImage, LoadResult } from './machine/loaders/entry.js';
export * from './machine/loaders/image-error.js';
export * from './machine/loaders/detect.js';
export { loadElf } from './machine/loaders/elf.js';
export * from './machine/loaders/multiboot.js';
export * from './machine/loaders/raw.js';
export * from './machine/loaders/rom.js';
export * from './machine/loaders/linux-bzimage.js';

// Host back ends that need no Node built-ins.
export * from './host/byte-buffer.js';

// Types the public signatures above refer to.
export type { UndefinedFlags } from './cpu/x86/models.js';
export type { SegmentSnapshot } from './cpu/x86/snapshot.js';
export { CpuState, REG_NAMES, SEG_NAMES } from './cpu/x86/state.js';
export type { RamMap, Span } from './machine/loaders/ram-map.js';
