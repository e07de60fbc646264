// Guest workloads: real images built from guests/ (the demo program; Linux and the RTOS join later).
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
];
