import type { BaselineEpoch, ResultRecord, RunRecord } from '../types';
import { ConfigError } from '../errors';

/** Identifies a perfguard baselines export. */
export const BASELINES_FILE_FORMAT = 'perfguard-baselines';
/** Version of the export format. */
export const BASELINES_FILE_VERSION = 1;

/** One exported baseline: the epoch, the result it came from, and that result's run. */
export interface ExportedBaseline {
  epoch: BaselineEpoch;
  result: ResultRecord;
  run: RunRecord;
}

/** The export file. */
export interface BaselinesFile {
  format: typeof BASELINES_FILE_FORMAT;
  version: number;
  baselines: ExportedBaseline[];
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (typeof value !== 'object' || value === null) return value;
  const sorted: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) sorted[key] = sortKeys((value as Record<string, unknown>)[key]);
  return sorted;
}

/**
 * JSON in a stable order for review and diffs: object keys sorted, two-space indent,
 * and arrays of numbers (samples) on one line each, so a sample change is a one-line diff
 * rather than a thousand.
 */
export function stableStringify(value: unknown): string {
  const text = JSON.stringify(sortKeys(value), null, 2);
  return `${text.replace(/\[\n\s+(-?[\d.e+-]+(?:,\n\s+-?[\d.e+-]+)*)\n\s+\]/g, (_match, body: string) => `[${body.split(/,\n\s+/).join(', ')}]`)}\n`;
}

/** Serialises baselines, ordered by test name then environment. */
export function writeBaselinesFile(baselines: ExportedBaseline[]): string {
  const ordered = [...baselines].sort(
    (a, b) => a.epoch.testName.localeCompare(b.epoch.testName) || a.epoch.environmentKey.localeCompare(b.epoch.environmentKey),
  );
  return stableStringify({ format: BASELINES_FILE_FORMAT, version: BASELINES_FILE_VERSION, baselines: ordered });
}

type Check = (value: unknown, at: string) => void;

function fail(at: string, reason: string): never {
  throw new ConfigError(`Import refused, nothing was written: ${at}: ${reason}.`);
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const string: Check = (value, at) => (typeof value === 'string' ? undefined : fail(at, 'expected a string'));
const nullableString: Check = (value, at) => (value === null || typeof value === 'string' ? undefined : fail(at, 'expected a string or null'));
const finite: Check = (value, at) => (typeof value === 'number' && Number.isFinite(value) ? undefined : fail(at, 'expected a finite number'));
const boolean: Check = (value, at) => (typeof value === 'boolean' ? undefined : fail(at, 'expected true or false'));
const timestamp: Check = (value, at) => {
  string(value, at);
  if (Number.isNaN(Date.parse(value as string))) fail(at, `expected an ISO date, received '${String(value)}'`);
};
const numbers: Check = (value, at) => {
  if (!Array.isArray(value) || value.length === 0) fail(at, 'expected a non-empty array of numbers');
  value.forEach((item, i) => finite(item, `${at}[${i}]`));
};

function fields(value: unknown, at: string, checks: Record<string, Check>): void {
  if (!isObject(value)) fail(at, 'expected an object');
  for (const [key, check] of Object.entries(checks)) check(value[key], `${at}.${key}`);
}

function checkEntry(entry: unknown, at: string): void {
  fields(entry, at, {
    epoch: (v, a) => fields(v, a, { id: string, testName: string, environmentKey: string, createdAt: timestamp, commit: nullableString, reason: nullableString, createdBy: nullableString, resultId: string, isDeleted: boolean }),
    run: (v, a) => fields(v, a, { id: string, startedAt: timestamp, commit: nullableString, branch: nullableString, isCi: boolean, environment: (e, b) => fields(e, b, { key: string }) }),
    result: (v, a) =>
      fields(v, a, {
        id: string,
        runId: string,
        testName: string,
        attempt: finite,
        createdAt: timestamp,
        status: string,
        environmentKey: string,
        samples: (s, b) => fields(s, b, { durationNs: numbers, heapDeltaBytes: numbers, cpuPercent: numbers }),
        report: (r, b) => fields(r, b, { name: string, duration: (d, c) => fields(d, c, { median: finite, mad: finite, p75: finite, iqr: finite }), verdicts: (x, c) => (Array.isArray(x) ? undefined : fail(c, 'expected an array')) }),
      }),
  });
  const { epoch, result, run } = entry as ExportedBaseline;
  if (epoch.resultId !== result.id) fail(`${at}.epoch.resultId`, `must be the id of ${at}.result ('${result.id}')`);
  if (result.runId !== run.id) fail(`${at}.result.runId`, `must be the id of ${at}.run ('${run.id}')`);
  if (epoch.testName !== result.testName) fail(`${at}.epoch.testName`, `must equal ${at}.result.testName`);
}

/**
 * Parses and checks a whole export before anything is written. A malformed file is refused
 * whole, with the place (`baselines[3].result.samples.durationNs[12]`) and the reason.
 */
export function readBaselinesFile(text: string, file: string): BaselinesFile {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`Import refused, nothing was written: ${file} is not valid JSON (${(error as Error).message}).`, { cause: error });
  }
  if (!isObject(parsed) || parsed['format'] !== BASELINES_FILE_FORMAT) fail('format', `expected '${BASELINES_FILE_FORMAT}' (a file from 'perfguard baselines export')`);
  if (parsed['version'] !== BASELINES_FILE_VERSION) fail('version', `expected ${BASELINES_FILE_VERSION}, received ${JSON.stringify(parsed['version'])}`);
  const baselines = parsed['baselines'];
  if (!Array.isArray(baselines)) fail('baselines', 'expected an array');
  baselines.forEach((entry, i) => checkEntry(entry, `baselines[${i}]`));
  return parsed as unknown as BaselinesFile;
}
