import type { ProcessFigures, ResultRecord } from '../types';

/**
 * The processes behind a stored result: its report's `processes`, or, for a report written
 * before fresh-process rounds existed, one process from the report's own figures.
 */
export function processesOf(result: ResultRecord): ProcessFigures[] {
  const { report } = result;
  if (Array.isArray(report.processes) && report.processes.length > 0) return report.processes;
  return [
    {
      measuredAt: result.createdAt,
      duration: report.duration.median,
      memory: report.memory.median,
      cpu: report.cpu.median,
      machineProbeNs: report.machineProbeNs,
      memoryProbeNs: report.memoryProbeNs ?? null,
      preemptedShare: null,
      cpuTimePerCall: null,
    },
  ];
}
