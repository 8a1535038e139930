import { ConfigError } from './errors';

/** Renders a received value for an error message: `0`, `2.5`, `NaN`, `'fast'`, `an object`. */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') return `'${value}'`;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') {
    return String(value);
  }
  if (value === null || value === undefined) return String(value);
  if (typeof value === 'function') return 'a function';
  if (Array.isArray(value)) return 'an array';
  return 'an object';
}

function editDistance(a: string, b: string): number {
  const previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = previous[0] ?? 0;
    previous[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = previous[j] ?? 0;
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      previous[j] = Math.min(above + 1, (previous[j - 1] ?? 0) + 1, diagonal + cost);
      diagonal = above;
    }
  }
  return previous[b.length] ?? 0;
}

/** The known name closest to `name`, if it is close enough to be a likely typo. */
export function suggestName(name: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  const lower = name.toLowerCase();
  const byPrefix = known.find((candidate) => candidate.toLowerCase().startsWith(lower) && lower.length >= 3);
  if (byPrefix !== undefined) return byPrefix;
  for (const candidate of known) {
    const distance = editDistance(lower, candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return bestDistance <= Math.max(2, Math.floor(name.length / 3)) ? best : undefined;
}

/**
 * Refuses anything but a plain object (or undefined) and any key not in `known`.
 * @returns the options as a record, `{}` for undefined
 */
export function assertKnownOptions(
  options: unknown,
  known: readonly string[],
  where: string,
): Record<string, unknown> {
  if (options === undefined) return {};
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new ConfigError(
      `${where}: options must be an object, received ${describeValue(options)}. Pass an object such as { iterations: 20 } or leave it out.`,
    );
  }
  const record = options as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    if (known.includes(key)) continue;
    const suggestion = suggestName(key, known);
    const hint = suggestion === undefined ? '' : ` Did you mean \`${suggestion}\`?`;
    throw new ConfigError(
      `${where}: unknown option \`${key}\`.${hint} Known options: ${known.join(', ')}.`,
    );
  }
  return record;
}

/** A whole number above zero, or a ConfigError naming `name`. */
export function expectPositiveInteger(value: unknown, name: string, fix: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0) {
    throw new ConfigError(`\`${name}\` must be a positive integer, received ${describeValue(value)}. ${fix}`);
  }
  return value;
}

/** A whole number of zero or more, or a ConfigError naming `name`. */
export function expectNonNegativeInteger(value: unknown, name: string, fix: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    throw new ConfigError(
      `\`${name}\` must be a whole number of zero or more, received ${describeValue(value)}. ${fix}`,
    );
  }
  return value;
}

/** A finite number above zero, or a ConfigError naming `name`. */
export function expectPositiveNumber(value: unknown, name: string, fix: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new ConfigError(`\`${name}\` must be a number above zero, received ${describeValue(value)}. ${fix}`);
  }
  return value;
}

/** A function, or a ConfigError naming `name`. */
export function expectFunction<T>(value: unknown, name: string, fix: string): T {
  if (typeof value !== 'function') {
    throw new ConfigError(`\`${name}\` must be a function, received ${describeValue(value)}. ${fix}`);
  }
  return value as T;
}

/** One of `allowed`, or a ConfigError naming `name` and listing the choices. */
export function expectOneOf<T extends string | boolean>(
  value: unknown,
  allowed: readonly T[],
  name: string,
): T {
  if (!allowed.includes(value as T)) {
    const choices = allowed.map((choice) => describeValue(choice)).join(', ');
    throw new ConfigError(`\`${name}\` must be one of ${choices}, received ${describeValue(value)}.`);
  }
  return value as T;
}

/** A non-empty string, or a ConfigError naming `name`. */
export function expectName(value: unknown, name: string, fix: string): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new ConfigError(`\`${name}\` must be a non-empty string, received ${describeValue(value)}. ${fix}`);
  }
  return value;
}

/** Validates a confidence level where it enters. */
export function expectConfidence(value: unknown, name = 'confidence'): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0.5 || value >= 1) {
    throw new ConfigError(`\`${name}\` must be a probability from 0.5 up to (not including) 1, such as 0.95, received ${describeValue(value)}.`);
  }
  return value;
}

/** An environment variable's value, trimmed; null when unset or blank. */
export function nonEmptyEnv(value: string | undefined): string | null {
  return value === undefined || value.trim() === '' ? null : value.trim();
}
