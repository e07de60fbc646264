// Guest workloads: real images built from guests/ (the demo program, Linux; the RTOS joins later).
import { buildGuests } from '../../scripts/guests.mjs';

async function artefact(guest, name) {
  const all = await buildGuests([guest]);
  const path = all[guest]?.[name];
  if (!path) throw new Error(`guest ${guest} has no artefact ${name}`);
  return path;
}

export const guestWorkloads = [
  {
    name: 'demo',
    description: 'bare-metal demo: UART, PIT interrupts through the 8259, RTC, exit port',
    prepare: async () => ['--kernel', await artefact('tests', 'demo'), '--serial', 'none'],
  },
  {
    name: 'linux-boot',
    description: 'Linux 6.1 LZ4 bzImage on pc-i486: power-on to the shell prompt, then `poweroff` typed at it',
    prepare: async () => ['--kernel', await artefact('linux', 'bzImage'), '--max-time', '60'],
    input: 'poweroff\n',
    check(run) {
      if (run.report.endReason !== 'halt' || !run.stdout.includes('shikiri# ')) throw new Error(`Linux did not reach the prompt and power off (end: ${run.report.endReason})`);
    },
  },
];
