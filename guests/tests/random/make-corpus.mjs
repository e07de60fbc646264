// Records a corpus of random instruction streams with their end states on QEMU (never run in CI).
//
// Usage: node guests/tests/random/make-corpus.mjs [--seed N] [--count N] [--batch N] [--name NAME]
// Generates COUNT vectors from SEED (generate.mjs), runs them in batches on qemu-system-i386 (an
// FPU-less 486, as make-goldens.mjs) through the runner program `random` (one Multiboot module per
// batch), and writes guests/tests/random/corpus/NAME.json. test/cpu/differential.test.ts replays it.

import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from '../build.mjs';
import { encodeBatch, generate, parseResult } from './generate.mjs';
import { toCorpusVector } from './corpus-format.mjs';

const here = dirname(fileURLToPath(import.meta.url));

function arg(name, dflt) {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : dflt;
}

/** The reference machine of make-goldens.mjs, plus the vector batch as a Multiboot module. */
function runQemu(elf, module, out) {
  const args = [
    '-cpu', '486,-fpu,-vme,-pse', '-m', '32', '-kernel', elf, '-initrd', module, '-display', 'none',
    '-debugcon', `file:${out}`, '-device', 'isa-debug-exit,iobase=0xf4,iosize=1', '-no-reboot',
    '-serial', 'null', '-monitor', 'none', '-nodefaults',
  ];
  return new Promise((resolve) => {
    execFile('qemu-system-i386', args, { timeout: 300_000 }, (err, _stdout, stderr) => {
      resolve({ code: err ? (err.code ?? -1) : 0, stderr });
    });
  });
}

async function main() {
  const seed = Number(arg('seed', '1')) >>> 0;
  const count = Number(arg('count', '1000'));
  const batch = Number(arg('batch', '500'));
  const name = arg('name', `seed-${seed}`);
  console.log(`make-corpus: seed ${seed}, ${count} vectors`);
  const { artefacts } = await build();
  const elf = artefacts.random;
  const vectors = generate(seed, count);
  const tmp = mkdtempSync(join(tmpdir(), 'shikiri-corpus-'));
  const records = [];
  try {
    for (let start = 0; start < count; start += batch) {
      const part = vectors.slice(start, start + batch);
      const mod = join(tmp, `batch-${start}.bin`);
      const out = join(tmp, `batch-${start}.txt`);
      writeFileSync(mod, encodeBatch(part));
      const r = await runQemu(elf, mod, out);
      const text = readFileSync(out, 'latin1');
      const results = text.split('\n').map(parseResult).filter((x) => x !== undefined);
      if (r.code !== 1 || results.length !== part.length) {
        throw new Error(`QEMU batch at ${start}: status ${r.code}, ${results.length}/${part.length} results\n${r.stderr}\n${text.split('\n').slice(-5).join('\n')}`);
      }
      part.forEach((v, i) => records.push(toCorpusVector(v, results[i])));
      console.log(`  ${start + part.length}/${count}`);
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  mkdirSync(join(here, 'corpus'), { recursive: true });
  const file = join(here, 'corpus', `${name}.json`);
  const body = records.map((r) => JSON.stringify(r)).join(',\n');
  writeFileSync(file, `{"seed":${seed},"count":${count},"qemu":"qemu-system-i386 7.2 -cpu 486,-fpu,-vme,-pse","vectors":[\n${body}\n]}\n`);
  const faults = records.filter((r) => !r.expect.startsWith('ff')).length;
  console.log(`wrote ${file}: ${records.length} vectors (${faults} end in an exception)`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().catch((e) => { console.error(e.message); process.exit(1); });
}
