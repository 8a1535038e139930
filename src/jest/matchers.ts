import type { MatcherContext, MatcherFunction } from 'expect';
import { formatDuration } from '../_format';
import { describeRegression, failingRegressions } from '../report';
import type { PerformanceReport, ReportStatus } from '../types';

/** Options of `toHaveNoRegressions`. */
export interface NoRegressionsOptions {
  /** Lowest severity that fails. @default 'warning' */
  failOn?: 'warning' | 'critical';
}

function isReport(value: unknown): value is PerformanceReport {
  return typeof value === 'object' && value !== null && Array.isArray((value as PerformanceReport).regressions) && typeof (value as PerformanceReport).name === 'string';
}

function notAReport(context: MatcherContext, matcher: string, received: unknown): { pass: boolean; message: () => string } {
  return {
    pass: false,
    message: () =>
      `${context.utils.matcherHint(matcher)}\n\nExpected a perfguard report (what benchmark() resolves to), received: ${context.utils.printReceived(received)}`,
  };
}

const toHaveNoRegressions: MatcherFunction<[options?: NoRegressionsOptions]> = function (received, options = {}) {
  if (!isReport(received)) return notAReport(this, '.toHaveNoRegressions', received);
  const failOn = options.failOn ?? 'warning';
  const failing = failingRegressions(received, failOn);
  const hint = this.utils.matcherHint('.toHaveNoRegressions', received.name, failOn === 'critical' ? "{ failOn: 'critical' }" : '', {
    isNot: this.isNot === true,
  });
  if (failing.length === 0) {
    return {
      pass: true,
      message: () => `${hint}\n\nExpected '${received.name}' to have regressions, but it has none at or above ${failOn} (status ${this.utils.printReceived(received.status)}).`,
    };
  }
  return {
    pass: false,
    message: () =>
      `${hint}\n\nExpected '${received.name}' to have no regressions at or above ${failOn}, received:\n${failing
        .map((r) => `  ${this.utils.RECEIVED_COLOR(describeRegression(r))}`)
        .join('\n')}\n\nAccept intended slowdowns with UPDATE_PERFORMANCE_BASELINE=true.`,
  };
};

const toHaveStatus: MatcherFunction<[status: ReportStatus]> = function (received, status) {
  if (!isReport(received)) return notAReport(this, '.toHaveStatus', received);
  const pass = received.status === status;
  return {
    pass,
    message: () =>
      `${this.utils.matcherHint('.toHaveStatus', received.name, this.utils.printExpected(status), { isNot: this.isNot === true })}\n\nExpected status: ${this.isNot ? 'not ' : ''}${this.utils.printExpected(status)}\nReceived status: ${this.utils.printReceived(received.status)}`,
  };
};

const toHaveMedianDurationBelow: MatcherFunction<[seconds: number]> = function (received, seconds) {
  if (!isReport(received)) return notAReport(this, '.toHaveMedianDurationBelow', received);
  const pass = received.duration.median < seconds;
  return {
    pass,
    message: () =>
      `${this.utils.matcherHint('.toHaveMedianDurationBelow', received.name, formatDuration(seconds), { isNot: this.isNot === true })}\n\nExpected median: ${this.isNot ? 'not ' : ''}below ${this.utils.EXPECTED_COLOR(formatDuration(seconds))}\nReceived median: ${this.utils.RECEIVED_COLOR(formatDuration(received.duration.median))} (median CI ${formatDuration(received.duration.medianCi.lower)} to ${formatDuration(received.duration.medianCi.upper)})`,
  };
};

/** perfguard's Jest matchers, for `expect.extend`. */
export const perfguardMatchers = { toHaveNoRegressions, toHaveStatus, toHaveMedianDurationBelow };

// Type parameters must match the declarations these interfaces merge with.
/* eslint-disable @typescript-eslint/no-unused-vars, @typescript-eslint/no-empty-object-type */
declare module 'expect' {
  interface Matchers<R extends void | Promise<void>, T = unknown> {
    /** Passes when the perfguard report has no regression at or above `failOn` (default 'warning'). */
    toHaveNoRegressions(options?: NoRegressionsOptions): R;
    /** Passes when the perfguard report's status is `status`. */
    toHaveStatus(status: ReportStatus): R;
    /** Passes when the report's median duration per call is below `seconds`. */
    toHaveMedianDurationBelow(seconds: number): R;
  }
}

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace -- @types/jest declares its matchers in this namespace
  namespace jest {
    interface Matchers<R, T = {}> {
      /** Passes when the perfguard report has no regression at or above `failOn` (default 'warning'). */
      toHaveNoRegressions(options?: NoRegressionsOptions): R;
      /** Passes when the perfguard report's status is `status`. */
      toHaveStatus(status: ReportStatus): R;
      /** Passes when the report's median duration per call is below `seconds`. */
      toHaveMedianDurationBelow(seconds: number): R;
    }
  }
}
/* eslint-enable @typescript-eslint/no-unused-vars, @typescript-eslint/no-empty-object-type */
