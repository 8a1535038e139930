import fs from 'node:fs';
import type { Measurement } from '../tracker';
import type { ProcessFigures } from '../types';

/**
 * The contract between a measuring process and the fresh processes it starts for a
 * benchmark's rounds. The child is the same test (or script) started again with these
 * variables set: it measures the named benchmark as usual, writes what it measured to the
 * output file, and stores nothing; every other benchmark it meets is run once, unmeasured.
 */
export const ROUND_TARGET_ENV = 'PERFGUARD_ROUND_TARGET';
/** Where the child writes its {@link RoundOutput}. */
export const ROUND_OUTPUT_ENV = 'PERFGUARD_ROUND_OUTPUT';

/** What a round child hands back. */
export interface RoundOutput {
  /** The benchmark measured. */
  name: string;
  process: ProcessFigures;
}

/** The round this process is, if it is one. */
export interface RoundRole {
  target: string;
  output: string;
}

/** Reads the round variables: undefined in an ordinary process. */
export function readRoundRole(env: NodeJS.ProcessEnv): RoundRole | undefined {
  const target = env[ROUND_TARGET_ENV];
  const output = env[ROUND_OUTPUT_ENV];
  if (target === undefined || target === '' || output === undefined || output === '') return undefined;
  return { target, output };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

/** A process's centres and conditions, from its measurement (report units: s, MB, %). */
export function processFiguresOf(measurement: Measurement): ProcessFigures {
  const { samples } = measurement;
  return {
    measuredAt: measurement.startedAt,
    duration: median(samples.durationNs) / 1e9,
    memory: median(samples.heapDeltaBytes) / (1024 * 1024),
    cpu: measurement.cpu.percent,
    machineProbeNs: measurement.machineProbeNs > 0 ? measurement.machineProbeNs : null,
    memoryProbeNs: measurement.memoryProbeNs > 0 ? measurement.memoryProbeNs : null,
    preemptedShare: measurement.preemptedShare,
    cpuTimePerCall: measurement.cpu.timePerCallNs === null ? null : measurement.cpu.timePerCallNs / 1e9,
  };
}

/** Writes a round's output (child side). */
export function writeRoundOutput(role: RoundRole, measurement: Measurement): void {
  const output: RoundOutput = { name: measurement.name, process: processFiguresOf(measurement) };
  fs.writeFileSync(role.output, JSON.stringify(output));
}

function isProcessFigures(value: unknown): value is ProcessFigures {
  if (typeof value !== 'object' || value === null) return false;
  const figures = value as Record<string, unknown>;
  return typeof figures['measuredAt'] === 'string' && typeof figures['duration'] === 'number' && typeof figures['memory'] === 'number';
}

/** Reads a round's output (parent side); undefined when the child wrote none or garbage. */
export function readRoundOutput(file: string, name: string): ProcessFigures | undefined {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  try {
    const parsed = JSON.parse(text) as Partial<RoundOutput>;
    return parsed.name === name && isProcessFigures(parsed.process) ? parsed.process : undefined;
  } catch {
    return undefined;
  }
}
