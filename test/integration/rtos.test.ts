// The RTOS guest (TOPPERS 3rd-generation API): its conformance suite and sample run on every board.
import { describe, expect, inject, it } from 'vitest';
import { BOARDS } from '../../boards/index.js';
import { ConsoleDriver } from '../helpers/console-driver.js';
import { runGuest } from '../helpers/run-guest.js';

describe('RTOS guest', () => {
  const rtos = inject('guests').rtos ?? {};
  const tests = Object.keys(rtos).filter((k) => /^test-[a-z0-9]+$/.test(k));

  it('has a conformance program per object type and scheduling area', () => {
    expect(tests.map((t) => t.slice(5)).sort()).toEqual(expect.arrayContaining(['task', 'sem', 'flg', 'dtq', 'mtx', 'mpf', 'ter', 'int', 'time']));
  });

  for (const board of Object.keys(BOARDS)) {
    for (const t of tests) {
      it(`${t} passes every check point on ${board}`, () => {
        const image = rtos[`${t}-${board}`];
        expect(image, `artefact ${t}-${board}`).toBeTruthy();
        const run = runGuest({ board, kernel: image, maxTimeSeconds: 120 });
        expect(run.serial).toContain('All check points passed.');
        expect(run.report.endReason).toBe('exit');
        expect(run.report.guestExitValue).toBe(0);
      });
    }
  }

  it('runs the sample interactively: tasks, cyclic handler, statistics, ext_ker', () => {
    const d = new ConsoleDriver({ board: 'pc-i486', kernel: rtos.sample });
    d.waitFor('Sample program starts');
    d.waitFor(/task1 is running/);
    d.waitFor(/cyclic handler: round \d+/);
    d.send('s');
    d.waitFor(/time \d+ us, rounds: task1 \d+ task2 \d+ task3 \d+, cyclic \d+/, 5);
    d.send('q');
    expect(d.runToEnd(5)).toBe('exit');
    expect(d.machine.report().exitCode).toBe(1);
  });
});
