import type { Measurement } from '../tracker';
import type { PerformanceReport } from '../types';
import { buildReport } from './build-report';
import { processFiguresOf, type RoundRole, writeRoundOutput } from './round-protocol';

/**
 * A benchmark met inside a fresh-process round (see round-protocol): the round's own
 * benchmark is measured as usual and handed back to the measuring process; any other is run
 * once, unmeasured for the record. Nothing is judged or stored here.
 */
export async function measureAsRound(
  role: RoundRole,
  name: string,
  measure: () => Promise<Measurement>,
  runOnce: () => Promise<Measurement>,
): Promise<PerformanceReport> {
  const isTarget = name === role.target;
  const measurement = isTarget ? await measure() : await runOnce();
  if (isTarget) writeRoundOutput(role, measurement);
  return buildReport(measurement, {
    verdicts: [],
    status: 'no-baseline',
    baseline: null,
    evidence: null,
    processes: [processFiguresOf(measurement)],
    mode: 'time',
    notes: [
      {
        code: 'rounds',
        message: isTarget
          ? `measured in a fresh process as a round of '${role.target}' for the process that measured it first; not judged or stored here`
          : `run once, unmeasured, in a fresh-process round of '${role.target}'`,
      },
    ],
    metadata: {},
    attempt: 1,
    place: '',
    testFile: null,
    runId: '',
    confidence: 0.95,
  });
}
