import type { PerformanceReport } from '../types';

/**
 * A measured block: created by `tester.measure(name)`, ended when an `await using` block
 * exits (or by `end()`). Ending judges and records the run; the report is then in
 * {@link MeasureBlock.report}. A plain `using` block ends it too, but cannot wait: the run is
 * judged and recorded in the background, and {@link MeasureBlock.ended} settles when it is.
 */
export class MeasureBlock implements Disposable, AsyncDisposable {
  /** The name the run is recorded under. */
  readonly name: string;
  private result: PerformanceReport | undefined;
  private ending: Promise<PerformanceReport> | undefined;
  private readonly finish: () => Promise<PerformanceReport>;

  /** @internal created by `tester.measure(name)` */
  constructor(name: string, finish: () => Promise<PerformanceReport>) {
    this.name = name;
    this.finish = finish;
  }

  /** The report, once the run has been judged and recorded. */
  get report(): PerformanceReport | undefined {
    return this.result;
  }

  /** Settles with the report once the block has ended and the run is recorded; undefined before `end()`. */
  get ended(): Promise<PerformanceReport> | undefined {
    return this.ending;
  }

  /** Ends the run (once): the time stops now; resolves to the report once it is judged and recorded. */
  end(): Promise<PerformanceReport> {
    this.ending ??= this.finish().then((report) => {
      this.result = report;
      return report;
    });
    return this.ending;
  }

  /**
   * Ends the run when a `using` block exits; the recording goes on in the background (see
   * {@link ended}, which rejects if it fails). Nobody can await it here, so a failure is also
   * emitted as a process warning rather than left as an unhandled rejection.
   */
  [Symbol.dispose](): void {
    this.end().catch((error: unknown) => {
      process.emitWarning(`perfguard: measure '${this.name}' was not recorded: ${error instanceof Error ? error.message : String(error)}`);
    });
  }

  /** Ends the run when an `await using` block exits, and waits until it is recorded. */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.end();
  }
}
