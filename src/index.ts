/** Shikiri's machine API: the public barrel (rollup input and typedoc entry). */

export * from './core/bus.js';
export * from './core/irq-line.js';
export * from './core/interrupt-controller.js';
export * from './core/clock.js';
export * from './core/device.js';
export * from './core/address-space.js';
export * from './machine/board-description.js';
