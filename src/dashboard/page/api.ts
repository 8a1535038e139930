// What the dashboard's JSON endpoints answer: the same types the server's store queries return.
import type { CoverageReport, EpochPoint, OverviewRow, RegressionRow, SeriesPoint } from '../../store/dashboard-types';

export type { CoverageReport, EpochPoint, OverviewRow, RegressionRow, SeriesPoint };

/** GET /api/overview */
export interface OverviewResponse {
  generatedAt: string;
  tests: OverviewRow[];
}

/** GET /api/tests/:name?mode=time|instructions (default: the latest result's mode) */
export interface TestResponse {
  name: string;
  /** The mode of every point and epoch here: counts and times are never drawn together. */
  mode: 'time' | 'instructions';
  /** The modes this test has results in. */
  modes: ('time' | 'instructions')[];
  points: SeriesPoint[];
  epochs: EpochPoint[];
  /** The duration thresholds this test's latest verdict used. */
  thresholds: { warning: number; critical: number };
}

/** GET /api/regressions */
export interface RegressionsResponse {
  regressions: RegressionRow[];
}

/** Reads a JSON endpoint; an error answer becomes an Error with the server's reason. */
export async function getJson<T>(url: string): Promise<T> {
  const response = await fetch(url, { cache: 'no-store' });
  const body = (await response.json()) as T & { error?: string };
  if (!response.ok) throw new Error(body.error ?? `HTTP ${response.status}`);
  return body;
}
