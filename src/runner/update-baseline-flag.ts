import { ConfigError } from '../errors';

const YES = ['true', '1', 'yes'];
const NO = ['false', '0', 'no', ''];

/**
 * Reads `UPDATE_PERFORMANCE_BASELINE`: `true`, `1`, `yes` store a new baseline epoch instead
 * of judging; `false`, `0`, `no` or unset judge. Anything else is a ConfigError, since a
 * typo must not silently judge (or silently overwrite) baselines.
 */
export function readUpdateBaselineFlag(env: NodeJS.ProcessEnv = process.env): boolean {
  const raw = env['UPDATE_PERFORMANCE_BASELINE'];
  if (raw === undefined) return false;
  const value = raw.trim().toLowerCase();
  if (YES.includes(value)) return true;
  if (NO.includes(value)) return false;
  throw new ConfigError(
    `UPDATE_PERFORMANCE_BASELINE must be true, 1, yes (store new baselines) or false, 0, no (judge against them), received '${raw}'. Fix the variable or unset it.`,
  );
}
