import fs from 'node:fs';
import { Session } from 'node:inspector/promises';
import path from 'node:path';

/** How long the profiled re-run lasts at least. @default 500 */
export const DEFAULT_PROFILE_MS = 500;

/**
 * Runs `fn` repeatedly for about `durationMs` under V8's sampling CPU profiler and writes
 * the profile to `file` (a `.cpuprofile`, which Chrome DevTools' Performance panel opens).
 * The profile is taken after, and apart from, the measurement: profiling slows code down.
 */
export async function recordCpuProfile(fn: () => unknown, file: string, durationMs = DEFAULT_PROFILE_MS): Promise<string> {
  const session = new Session();
  session.connect();
  try {
    await session.post('Profiler.enable');
    await session.post('Profiler.setSamplingInterval', { interval: 100 });
    await session.post('Profiler.start');
    const deadline = process.uptime() + durationMs / 1000;
    do {
      const result = fn();
      // Duck-typed: a promise from a Jest test's VM context is not an instance of ours.
      if (typeof (result as { then?: unknown } | null)?.then === 'function') await result;
    } while (process.uptime() < deadline);
    const { profile } = await session.post('Profiler.stop');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, JSON.stringify(profile));
    return file;
  } finally {
    session.disconnect();
  }
}
