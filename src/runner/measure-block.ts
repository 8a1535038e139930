import type { PerformanceReport } from '../types';

/**
 * A measured block: created by `tester.measure(name)`, ended when a `using` or
 * `await using` block exits (or by `end()`). Ending records the run; the report is then in
 * {@link MeasureBlock.report}.
 */
export class MeasureBlock implements Disposable, AsyncDisposable {
  /** The name the run is recorded under. */
  readonly name: string;
  private result: PerformanceReport | undefined;
  private readonly finish: () => PerformanceReport;

  /** @internal created by `tester.measure(name)` */
  constructor(name: string, finish: () => PerformanceReport) {
    this.name = name;
    this.finish = finish;
  }

  /** The report, once the block has ended. */
  get report(): PerformanceReport | undefined {
    return this.result;
  }

  /** Ends the run (once) and returns its report. */
  end(): PerformanceReport {
    this.result ??= this.finish();
    return this.result;
  }

  /** Ends the run when a `using` block exits. */
  [Symbol.dispose](): void {
    this.end();
  }

  /** Ends the run when an `await using` block exits. */
  [Symbol.asyncDispose](): Promise<void> {
    this.end();
    return Promise.resolve();
  }
}
