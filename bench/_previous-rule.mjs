// The rule perfguard used before runs became the unit of evidence (kept here only to compare
// with): the samples of one process against the samples of the baseline's one process, by a
// one-sided Mann–Whitney test, with three guards that withhold alarms (machine slower,
// preemption, the spread of recent accepted runs) and a same-process re-measurement.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { mannWhitneyGreater } = require('../dist/internals.js');

const WARNING = 1.2;
const CRITICAL = 1.5;
const ALPHA = 0.05;

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

function envelope(centres) {
  if (centres.length < 2) return undefined;
  const sorted = [...centres].sort((a, b) => b - a);
  return centres.length < 5 ? sorted[0] : sorted[1];
}

function contention(baseline, current) {
  if (baseline.preemptions === undefined || current.preemptions === undefined) return false;
  const share = (p) => (p.length === 0 ? 0 : p.filter((c) => c > 0).length / p.length);
  const cpuTime = (s) => median(s.durationNs.map((ns, i) => (ns * (s.cpuPercent[i] ?? 0)) / 100));
  const before = cpuTime(baseline);
  if (!(before > 0)) return false;
  const now = share(current.preemptions);
  return now >= 0.2 && now >= share(baseline.preemptions) + 0.1 && cpuTime(current) / before < WARNING;
}

/**
 * The previous verdict on duration: 'pass', 'improved', 'warning', 'critical' or 'inconclusive'.
 * `baseline` and `current` are stored samples; `recentCentres` the medians (ns) of earlier
 * accepted runs; `machineFactor` current over baseline integer-loop time.
 */
export function judgePrevious(baseline, current, { machineFactor, recentCentres }) {
  const factor = median(current.durationNs) / median(baseline.durationNs);
  if (factor >= WARNING) {
    if (mannWhitneyGreater(baseline.durationNs, current.durationNs).pValue > ALPHA) return { status: 'inconclusive', factor };
    if (machineFactor !== undefined && machineFactor >= 1.15 && factor / machineFactor < WARNING) return { status: 'inconclusive', factor };
    const slowest = envelope(recentCentres);
    if (slowest !== undefined && median(current.durationNs) < WARNING * slowest) return { status: 'inconclusive', factor };
    if (contention(baseline, current)) return { status: 'inconclusive', factor };
    return { status: factor >= CRITICAL ? 'critical' : 'warning', factor };
  }
  if (factor <= 1 / WARNING && mannWhitneyGreater(current.durationNs, baseline.durationNs).pValue <= ALPHA) return { status: 'improved', factor };
  return { status: 'pass', factor };
}
