// `npm run bench [-- --json FILE] [--runs N] [--only NAME,...] [--engines interp,jit,wasm] [--compare]`:
// runs the registered workloads on each of Shikiri's CPU engines (default all three) and reports instructions, virtual time, wall time (median, from process start), MIPS and
// peak RSS as a table and as JSON. `--compare` also runs each workload's image on the peer
// emulators (bench/peers: QEMU TCG, v86 JIT / no JIT), interleaved run by run with Shikiri, and
// adds their wall times and the ratios ours / theirs. A workload may have `parse(stdout)`: the
// figures the guest printed then go into its result as `extra` and are listed under the table.
// A benchmark, never a test: nothing here asserts on time.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { peerCells, peerColumns, peerEnvironment, peerNotes, peersFor } from './peers/index.mjs';
import { WORKLOADS } from './workloads/index.mjs';
import { ENGINES } from '../dist/index.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(root, 'dist', 'cli.js');

/**
 * Node options of the `shikiri` executable: those on its `#!/usr/bin/env -S node …` line. Runs
 * here start Node with them, as the executable starts itself.
 */
function executableNodeOptions() {
  const first = readFileSync(cli, 'latin1').split('\n', 1)[0];
  const m = /^#!\S*env(?: -S)? node((?: \S+)*)$/.exec(first);
  if (!m) throw new Error(`${cli}: unexpected first line ${JSON.stringify(first)}`);
  return m[1].split(' ').filter(Boolean);
}
const nodeOptions = executableNodeOptions();

function parseArgs(argv) {
  const o = { json: null, runs: 5, only: null, compare: false, engines: [...ENGINES] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--json') o.json = argv[++i];
    else if (a === '--runs') o.runs = Math.max(1, Number(argv[++i]));
    else if (a === '--only') o.only = argv[++i].split(',');
    else if (a === '--compare') o.compare = true;
    else if (a === '--engines') {
      o.engines = argv[++i].split(',');
      for (const e of o.engines) if (!ENGINES.includes(e)) { console.error(`bench: unknown engine '${e}' (${ENGINES.join(', ')})`); process.exit(2); }
    }
    else if (a === '--help') {
      console.log(`usage: npm run bench [-- --json FILE] [--runs N] [--only NAME,...] [--engines ${ENGINES.join(',')}] [--compare]`);
      console.log('workloads: ' + WORKLOADS.map((w) => w.name).join(', '));
      process.exit(0);
    } else {
      console.error(`bench: unknown argument '${a}'`);
      process.exit(2);
    }
  }
  return o;
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** One run of `shikiri run` for a workload; wall time from spawn to exit. */
function runOnce({ args, input }, engine, tmp) {
  const report = join(tmp, 'report.json');
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [...nodeOptions, cli, 'run', ...args, '--engine', engine, '--report', report, '--quiet'], { encoding: 'latin1', input: input ?? '', stdio: ['pipe', 'pipe', 'pipe'], maxBuffer: 1 << 28 });
  const wallMs = Number(process.hrtime.bigint() - t0) / 1e6;
  let rep;
  try {
    rep = JSON.parse(readFileSync(report, 'utf8'));
  } catch {
    throw new Error(`run failed (exit ${r.status}): ${r.stderr.slice(-400)}`);
  }
  return { wallMs, report: rep, stdout: r.stdout };
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const tmp = mkdtempSync(join(tmpdir(), 'shikiri-bench-'));
  const results = [];
  try {
    for (const w of WORKLOADS) {
      if (opts.only && !opts.only.includes(w.name)) continue;
      let args;
      try {
        args = { args: await w.prepare(tmp), input: w.input };
      } catch (e) {
        results.push({ name: w.name, skipped: e.message });
        continue;
      }
      const peers = opts.compare ? peersFor(w, args.args, tmp) : null;
      for (const engine of opts.engines) runOnce(args, engine, tmp); // warm-up (file cache, JIT of the host)
      const warm = runOnce(args, opts.engines[0], tmp);
      await peers?.warmUp(warm.report);
      const runs = new Map(opts.engines.map((e) => [e, []]));
      for (let i = 0; i < opts.runs; i++) {
        // Interleaved: every engine and peer sees the same drift in host load.
        for (const engine of opts.engines) runs.get(engine).push(runOnce(args, engine, tmp));
        await peers?.runOnce();
      }
      for (const engine of opts.engines) {
        const rs = runs.get(engine);
        const last = rs[rs.length - 1];
        if (w.check) w.check(last);
        const wall = median(rs.map((r) => r.wallMs));
        const inner = median(rs.map((r) => r.report.wallMs));
        results.push({
          name: w.name,
          engine,
          description: w.description,
          board: last.report.board,
          endReason: last.report.endReason,
          instructions: last.report.instructions,
          virtualTimeNs: last.report.virtualTimeNs,
          wallMsFromProcessStart: Math.round(wall),
          wallMsRunLoop: Math.round(inner),
          mips: Math.round((last.report.instructions / inner / 1000) * 10) / 10,
          peakRssMiB: Math.max(...rs.map((r) => r.report.host?.peakRssMiB ?? 0)),
          runs: opts.runs,
          ...(peers ? { peers: peers.summary(wall, last.report.guestExitValue ?? undefined) } : {}),
          ...(w.parse ? { extra: w.parse(last.stdout) } : {}),
        });
        if (results.at(-2)?.name === w.name && results.at(-2).instructions !== last.report.instructions) {
          throw new Error(`${w.name}: the engines retired different instruction counts (${results.at(-2).instructions} vs ${last.report.instructions})`);
        }
      }
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  printTable(results, opts.compare);
  const json = { version: 1, node: process.version, date: null, ...(opts.compare ? { peers: peerEnvironment() } : {}), results };
  if (opts.json) writeFileSync(opts.json, JSON.stringify(json, null, 2) + '\n');
}

function printTable(results, compare) {
  const extra = compare ? peerColumns() : [];
  const cols = ['workload', 'engine', 'instructions', 'virtual', 'wall (process)', 'wall (run loop)', 'MIPS', 'peak RSS', ...extra];
  const rows = results.map((r) =>
    r.skipped
      ? [r.name, '', `skipped: ${r.skipped}`, '', '', '', '', '', ...extra.map(() => '')]
      : [
          r.name,
          r.engine,
          `${(r.instructions / 1e6).toFixed(2)} M`,
          `${(r.virtualTimeNs / 1e6).toFixed(1)} ms`,
          `${r.wallMsFromProcessStart} ms`,
          `${r.wallMsRunLoop} ms`,
          String(r.mips),
          `${r.peakRssMiB} MiB`,
          ...(compare ? peerCells(r.peers) : []),
        ],
  );
  const width = cols.map((c, i) => Math.max(c.length, ...rows.map((r) => r[i].length)));
  const line = (cells) => cells.map((c, i) => (i === 0 ? c.padEnd(width[i]) : c.padStart(width[i]))).join('  ');
  console.log(line(cols));
  console.log(width.map((w) => '-'.repeat(w)).join('  '));
  for (const r of rows) console.log(line(r));
  if (compare) for (const n of peerNotes(results)) console.log(`note: ${n}`);
  for (const r of results) {
    for (const [fig, v] of Object.entries(r.extra ?? {})) {
      const text = 'cyclesMean' in v ? `mean ${v.cyclesMean} cycles (min ${v.cyclesMin}, max ${v.cyclesMax}), ${v.nsMean} ns, n=${v.n}` : JSON.stringify(v);
      console.log(`${r.name} [${r.engine}]  ${fig}: ${text}`);
    }
  }
}

main().catch((e) => {
  console.error(`bench: ${e.stack ?? e.message}`);
  process.exit(1);
});
