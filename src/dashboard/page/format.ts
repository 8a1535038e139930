// Units for people, as the reports print them.

/** A duration in seconds in the most readable unit; – for none. */
export function formatDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return '–';
  const abs = Math.abs(seconds);
  const fixed = (value: number): string => value.toFixed(Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 10 ? 1 : 2);
  if (abs < 1e-6) return `${fixed(seconds * 1e9)} ns`;
  if (abs < 1e-3) return `${fixed(seconds * 1e6)} µs`;
  if (abs < 1) return `${fixed(seconds * 1e3)} ms`;
  return `${fixed(seconds)} s`;
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
  const abs = Math.abs(count);
  const fixed = (value: number): string => value.toFixed(Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 10 ? 1 : 2);
  if (abs < 1e3) return fixed(count);
  if (abs < 1e6) return `${fixed(count / 1e3)} k`;
  if (abs < 1e9) return `${fixed(count / 1e6)} M`;
  return `${fixed(count / 1e9)} G`;
}

/** Heap growth per call in MB, shown in KB. */
export function formatMemory(megabytes: number | null): string {
  return megabytes === null ? '–' : `${(megabytes * 1024).toFixed(1)} KB`;
}
