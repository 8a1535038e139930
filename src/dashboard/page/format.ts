// Units for people, as the reports print them.

/** Three significant digits (at most two decimals); 99.96 is `100`. */
function trim(value: number): string {
  const rounded = Number(Math.abs(value).toPrecision(3));
  return value.toFixed(rounded >= 100 ? 0 : rounded >= 10 ? 1 : 2);
}

/** `value` in the largest unit (worth, suffix) it reaches; into the next one when rounding carries it there. */
function inUnits(value: number, units: readonly (readonly [number, string])[]): string {
  let index = 0;
  while (index < units.length - 1 && Math.abs(value) >= (units[index + 1]?.[0] ?? Infinity)) index++;
  const [worth, suffix] = units[index] ?? [1, ''];
  const shown = trim(value / worth);
  const next = units[index + 1];
  if (next !== undefined && Math.abs(Number(shown)) >= next[0] / worth) return `${trim(value / next[0])}${next[1]}`;
  return `${shown}${suffix}`;
}

/** A duration in seconds in the most readable unit; – for none. */
export function formatDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return '–';
  return inUnits(seconds, [
    [1e-9, ' ns'],
    [1e-6, ' µs'],
    [1e-3, ' ms'],
    [1, ' s'],
  ]);
}

/** How long ago: `5 min`, `3 h`, `2 d`. */
export function formatAge(iso: string | null): string {
  if (iso === null || iso === '') return '–';
  const hours = (Date.now() - Date.parse(iso)) / 3.6e6;
  if (hours < 1) return `${Math.max(1, Math.round(hours * 60))} min`;
  if (hours < 48) return `${Math.round(hours)} h`;
  return `${Math.round(hours / 24)} d`;
}

/** A factor: `1.23x`; – for none. */
export function formatFactor(factor: number | null | undefined): string {
  return factor === null || factor === undefined ? '–' : `${factor.toFixed(2)}x`;
}

/** Instructions per call: `812`, `3.40 k`, `1.19 M`. */
export function formatCount(count: number | null | undefined): string {
  if (count === null || count === undefined || !Number.isFinite(count)) return '–';
  return inUnits(count, [
    [1, ''],
    [1e3, ' k'],
    [1e6, ' M'],
    [1e9, ' G'],
  ]);
}

/** Heap growth per call in MB, shown in KB. */
export function formatMemory(megabytes: number | null): string {
  return megabytes === null ? '–' : `${(megabytes * 1024).toFixed(1)} KB`;
}
