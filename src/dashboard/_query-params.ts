/** A request the dashboard refuses as malformed; answered with 400 and this message. */
export class BadRequestError extends Error {
  /** @param message names the parameter, what was received, and what is accepted */
  constructor(message: string) {
    super(message);
    this.name = 'BadRequestError';
  }
}

/** The largest `limit` or `stale` a request may ask for. */
export const MAX_QUERY_COUNT = 10_000;

/**
 * The whole number in query parameter `name`, `fallback` when it is absent.
 * @throws BadRequestError for anything but a whole number from 1 to {@link MAX_QUERY_COUNT}
 */
export function readCount(url: URL, name: string, fallback: number): number {
  const raw = url.searchParams.get(name);
  if (raw === null) return fallback;
  const value = /^\d{1,6}$/.test(raw) ? Number(raw) : Number.NaN;
  if (!(value >= 1 && value <= MAX_QUERY_COUNT)) {
    throw new BadRequestError(`query parameter '${name}' must be a whole number from 1 to ${MAX_QUERY_COUNT}, received '${raw}'`);
  }
  return value;
}

/**
 * The measuring mode in query parameter `mode`, undefined when it is absent.
 * @throws BadRequestError for anything but `time` or `instructions`
 */
export function readMode(url: URL): 'time' | 'instructions' | undefined {
  const raw = url.searchParams.get('mode');
  if (raw === null) return undefined;
  if (raw === 'time' || raw === 'instructions') return raw;
  throw new BadRequestError(`query parameter 'mode' must be 'time' or 'instructions', received '${raw}'`);
}

/**
 * A percent-encoded path segment, decoded.
 * @throws BadRequestError when the encoding is broken (such as a lone `%`)
 */
export function decodeSegment(segment: string, what: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new BadRequestError(`the ${what} in the path is not valid percent-encoding: '${segment}'`);
  }
}
