// RTOS workloads: the measurement programs of guests/rtos/bench/ on every board, and the sample application.
import { buildGuests } from '../../scripts/guests.mjs';

/** Boards the measurement programs run on (each has an RTOS build). */
const BOARDS = ['pc-i486', 'vortex86sx', 'elan-sc410'];

/** Measurement programs (guests/rtos/bench/<name>/) and what they measure. */
const PROGRAMS = {
  ctxsw: 'task context switch: wup_tsk to a sleeping higher-priority task and slp_tsk back, 10 000 rounds',
  sem: 'semaphore: sig_sem to the wake-up of a higher-priority waiter, and calls without a switch, 10 000 rounds',
  irq: 'interrupt latency: 16550 THR-empty IRQ to ISR and to the woken task (10 000), 8254 one-shot to handler (2 000)',
  cyc: 'cyclic handler (1 ms) start deviation over 10 000 idle periods and 1 000 under load',
};

async function artefact(name) {
  const all = await buildGuests(['rtos']);
  const path = all.rtos?.[name];
  if (!path) throw new Error(`guest rtos has no artefact ${name}`);
  return path;
}

/**
 * Parse the programs' result lines (guests/rtos/bench/common/bench_lib.h):
 *   RTOSBENCH <figure> n=<N> cycles_min=<c> cycles_mean=<c> cycles_max=<c> ns_min=.. ns_mean=.. ns_max=.. res_cycles=<c>
 * into { <figure>: { n, cyclesMin, cyclesMean, cyclesMax, nsMin, nsMean, nsMax, resCycles } }.
 */
export function parseRtosBench(stdout) {
  const figures = {};
  for (const line of stdout.split(/\r?\n/)) {
    const m = /^RTOSBENCH ([a-z0-9_.]+) (n=.*)$/.exec(line.trim());
    if (!m) continue;
    const kv = Object.fromEntries(m[2].split(' ').map((p) => p.split('=')).map(([k, v]) => [k.replace(/_([a-z])/g, (_, c) => c.toUpperCase()), Number(v)]));
    figures[m[1]] = kv;
  }
  return figures;
}

function checkBench(run) {
  if (run.report.endReason !== 'exit' || run.report.guestExitValue !== 0 || !run.stdout.includes('RTOSBENCH end status=ok')) {
    throw new Error(`RTOS measurement did not finish cleanly (end: ${run.report.endReason}, value ${run.report.guestExitValue}): ${run.stdout.slice(-300)}`);
  }
}

const measurementWorkloads = Object.entries(PROGRAMS).flatMap(([prog, description]) =>
  BOARDS.map((board) => ({
    name: `rtos-${prog}-${board}`,
    description: `${description} (${board})`,
    // The programs never read the console: one byte of input stays pending, so an idle (HLT)
    // program is not ended by the input-end rule before it finishes (bench-cyc idles 10 s).
    input: '\n',
    prepare: async () => ['--board', board, '--kernel', await artefact(`bench-${prog}-${board}`), '--serial', 'stdio', '--max-time', '60'],
    check: checkBench,
    parse: parseRtosBench,
  })),
);

export const rtosWorkloads = [
  ...measurementWorkloads,
  {
    name: 'rtos-sample',
    description: 'RTOS sample on pc-i486: three computing tasks, cyclic handler, `s` typed; ends 1 s after the input',
    input: 's',
    prepare: async () => ['--kernel', await artefact('sample'), '--serial', 'stdio', '--max-time', '30'],
    check(run) {
      if (run.report.endReason !== 'input-end' || !/time \d+ us, rounds:/.test(run.stdout)) throw new Error(`RTOS sample did not print its statistics (end: ${run.report.endReason})`);
    },
    parse(stdout) {
      const m = /time (\d+) us, rounds: task1 (\d+) task2 (\d+) task3 (\d+), cyclic (\d+)/.exec(stdout);
      return m ? { statistics: { timeUs: Number(m[1]), task1: Number(m[2]), task2: Number(m[3]), task3: Number(m[4]), cyclic: Number(m[5]) } } : {};
    },
  },
];
