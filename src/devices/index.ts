/** Device models: one chip per file; this barrel is what the machine and the public API import. */

export * from './input-clock.js';
export * from './pic8259.js';
export * from './pic8259-cascade.js';
export * from './pit8254.js';
export * from './port-b.js';
export * from './uart16550.js';
export * from './null-modem.js';
export * from './cmos-rtc.js';
export * from './kbc-reset.js';
export * from './fast-reset.js';
export * from './power-off.js';
export * from './debug-console.js';
export * from './debug-exit.js';
export * from './post-code.js';
export * from './elan-watchdog.js';
