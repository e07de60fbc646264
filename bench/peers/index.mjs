// `npm run bench -- --compare`: the peer engines (QEMU TCG, v86 with and without its JIT), run on
// the same images as Shikiri, interleaved run by run with it, and reported as ours / theirs.
//
// Every engine is timed alike: a new process per run, wall time from spawn to the workload's
// marker (exit-port write, or the last text of a console dialogue), median of the measured runs
// after one warm-up run. A peer that is not installed, or cannot run a workload, is reported
// with the reason instead of a figure; no figure is ever estimated.

import { qemuMissing, qemuRun, qemuVersion } from './qemu.mjs';
import { peerTarget } from './targets.mjs';
import { v86Missing, v86Run, v86Version } from './v86.mjs';

/** Per-run limit: v86 without its JIT is the slowest peer; the longest workload idles ~11 s. */
const RUN_TIMEOUT_MS = 90_000;

/** The peer engines in report order. */
export const PEER_ENGINES = [
  { name: 'qemu', label: 'QEMU', missing: qemuMissing, version: qemuVersion, run: (t) => qemuRun(t, RUN_TIMEOUT_MS) },
  { name: 'v86-jit', label: 'v86 JIT', missing: v86Missing, version: v86Version, run: (t) => v86Run(t, true, RUN_TIMEOUT_MS) },
  { name: 'v86-nojit', label: 'v86 no JIT', missing: v86Missing, version: v86Version, run: (t) => v86Run(t, false, RUN_TIMEOUT_MS) },
];

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Installed engines' versions and missing engines' reasons, once per invocation (for the JSON). */
export function peerEnvironment() {
  const env = {};
  for (const e of PEER_ENGINES) {
    const missing = e.missing();
    env[e.name] = missing ? { missing } : { version: e.version() };
  }
  return env;
}

/**
 * The peers for one workload: `warmUp(oursReport)` (given the report of Shikiri's warm-up run) and
 * `runOnce()` run every usable engine once (call them between Shikiri's own runs to interleave),
 * `summary(oursMs)` gives the per-engine figures.
 */
export function peersFor(workload, args, tmp) {
  const target = peerTarget(workload, args, tmp);
  const engines = PEER_ENGINES.map((e) => {
    const missing = e.missing();
    const skipped = missing ?? target.skip;
    return { engine: e, skipped, runs: [], exitValues: new Set() };
  });
  const once = async (record) => {
    for (const p of engines) {
      if (p.skipped) continue;
      try {
        const r = await p.engine.run(target);
        if (record) p.runs.push(r.wallMs);
        if (r.exitValue !== undefined) p.exitValues.add(r.exitValue);
      } catch (e) {
        p.skipped = `failed: ${e.message.split('\n')[0]}`;
      }
    }
  };
  return {
    warmUp(oursReport) {
      // A port marker is the same end only if Shikiri's run ends at the exit port too (a workload
      // ended by its input running out, or by a time limit, has no marker a peer could see).
      if (target.marker?.port !== undefined && oursReport?.endReason !== 'exit') {
        for (const p of engines) p.skipped ??= `Shikiri's run ends by ${oursReport?.endReason}, not at the exit port: no end marker for peers`;
      }
      return once(false);
    },
    runOnce: () => once(true),
    /** Per engine: { wallMsFromProcessStart, ratio (ours / theirs), runs, exitValue? } or { skipped }. */
    summary(oursMs, oursExitValue) {
      const out = {};
      for (const p of engines) {
        if (p.skipped) {
          out[p.engine.name] = { skipped: p.skipped };
          continue;
        }
        const values = [...p.exitValues];
        if (oursExitValue !== undefined && values.some((v) => v !== oursExitValue)) {
          out[p.engine.name] = { skipped: `guest exit value ${values.join('/')} differs from Shikiri's ${oursExitValue}` };
          continue;
        }
        const wall = median(p.runs);
        out[p.engine.name] = {
          wallMsFromProcessStart: Math.round(wall),
          ratio: Math.round((oursMs / wall) * 100) / 100,
          runs: p.runs.length,
          ...(values.length ? { exitValue: values[0] } : {}),
        };
      }
      return out;
    },
  };
}

/** Table columns for the peers: `<label> wall` (median ms) and `ours/<label>` per engine. */
export function peerColumns() {
  return PEER_ENGINES.flatMap((e) => [`${e.label} wall`, `ours/${e.label}`]);
}

/** Table cells for one result's peers (blank when skipped; the reason goes in the notes). */
export function peerCells(peers) {
  return PEER_ENGINES.flatMap((e) => {
    const p = peers?.[e.name];
    if (!p || p.skipped) return ['—', '—'];
    return [`${p.wallMsFromProcessStart} ms`, p.ratio.toFixed(2)];
  });
}

/** Notes under the table: why a peer has no figure (a missing engine once, other reasons per workload). */
export function peerNotes(results) {
  const notes = [];
  const missing = new Map();
  for (const e of PEER_ENGINES) {
    const reason = e.missing();
    if (reason) {
      missing.set(e.name, reason);
      notes.push(`${e.label}: ${reason}; no figures`);
    }
  }
  for (const r of results) {
    const byReason = new Map();
    for (const e of PEER_ENGINES) {
      const p = r.peers?.[e.name];
      if (!p?.skipped || missing.has(e.name)) continue;
      byReason.set(p.skipped, [...(byReason.get(p.skipped) ?? []), e.label]);
    }
    for (const [reason, labels] of byReason) notes.push(`${r.name} on ${labels.join(', ')}: ${reason}`);
  }
  return [...new Set(notes)]; // one note per reason, whichever engine rows share it
}
