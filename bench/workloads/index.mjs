// The registry of benchmark workloads: each prepares its image and returns `shikiri run` arguments.
import { cpuWorkloads } from './cpu.mjs';
import { guestWorkloads } from './guests.mjs';
import { rtosWorkloads } from './rtos.mjs';

/** Workloads in report order. */
export const WORKLOADS = [...cpuWorkloads, ...guestWorkloads, ...rtosWorkloads];
