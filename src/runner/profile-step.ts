import path from 'node:path';
import { recordCpuProfile } from '../tracker';
import type { PerformanceReport } from '../types';

/** How to profile a benchmark's function: with its setup and teardown, as it was measured. */
export interface ProfileRequest {
  fn: (input: unknown) => unknown;
  setup: (() => unknown) | undefined;
  teardown: ((input: unknown) => unknown) | undefined;
  /** Folder the `.cpuprofile` goes to. */
  directory: string;
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as { then?: unknown } | null)?.then === 'function';
}

function safeFileName(name: string): string {
  return name.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 80) || 'benchmark';
}

/**
 * Writes a V8 CPU profile of the benchmark's function, each call with fresh input from its
 * setup (untimed in the measurement, but visible in the profile as its own frames), and names
 * it in the report.
 */
export async function profileStep(report: PerformanceReport, request: ProfileRequest): Promise<void> {
  const file = path.join(request.directory, `${safeFileName(report.name)}-${Date.now()}.cpuprofile`);
  const { fn, setup, teardown } = request;
  report.profilePath = await recordCpuProfile(async () => {
    const maybeInput = setup === undefined ? undefined : setup();
    const input = isThenable(maybeInput) ? await maybeInput : maybeInput;
    const result = fn(input);
    if (isThenable(result)) await result;
    if (teardown !== undefined) {
      const done = teardown(input);
      if (isThenable(done)) await done;
    }
  }, file);
  report.notes.push({ code: 'profile-written', message: `CPU profile written to ${file} (open it in Chrome DevTools)` });
}
