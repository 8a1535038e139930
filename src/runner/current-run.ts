import { randomUUID } from 'node:crypto';
import { DuplicateNameError } from '../errors';
import type { PerfguardStore } from '../store';
import type { BaselineEpoch, MeasuringMode, ResultRecord } from '../types';
import type { CallerPlace } from './_caller';
import { REFERENCE_WINDOW, type ReferenceRuns } from '../detector';
import { baselineAuthor, createRunRecord } from './run-context';

/** What to do when the baseline was measured on another environment key. */
export type EnvironmentMismatchMode = 'compare' | 'skip';

/**
 * The run (one `jest` invocation, or one process) that measurements join, and the one owner of
 * its store: it records the run once, refuses a benchmark name used from two places, finds
 * baselines with their reference runs, and stores each result with its epoch in one
 * transaction.
 */
export class CurrentRun {
  private isStarted = false;

  constructor(
    private readonly store: PerfguardStore,
    /** The run id results are stored under. */
    readonly id: string,
    private readonly rootDir: string,
    private readonly env: NodeJS.ProcessEnv,
  ) {}

  /** Records the run, once. */
  async start(): Promise<void> {
    if (this.isStarted) return;
    await this.store.ensureRun(createRunRecord(this.id, this.rootDir, this.env));
    this.isStarted = true;
  }

  /** Refuses a benchmark name already measured from another place in this run. */
  async assertNameFree(name: string, caller: CallerPlace): Promise<void> {
    const other = (await this.store.placesOfTestInRun(this.id, name)).find((place) => place !== caller.place);
    if (other !== undefined) {
      throw new DuplicateNameError(
        `benchmark name '${name}' is used twice in this run: at ${other} and at ${caller.place}. Give each benchmark its own name.`,
      );
    }
  }

  /**
   * The baseline a measurement on `environmentKey` is judged against, with its reference runs;
   * one from another environment only in `compare` mode. Undefined when there is none.
   */
  async findBaseline(name: string, environmentKey: string, mode: MeasuringMode, mismatch: EnvironmentMismatchMode): Promise<ReferenceRuns | undefined> {
    const stored = await this.store.currentBaseline(name, environmentKey, mode);
    if (stored === undefined) return undefined;
    if (stored.epoch.environmentKey !== environmentKey && mismatch === 'skip') return undefined;
    return { epoch: stored.epoch, processes: await this.store.referenceProcesses(stored.epoch, REFERENCE_WINDOW) };
  }

  /** Stores a result and, in the same transaction, the epoch founded on it. */
  async record(result: ResultRecord, epoch?: BaselineEpoch): Promise<void> {
    await this.store.insertResult(result, epoch);
  }

  /** A new baseline epoch founded on `resultId`, created at `createdAt` (the result's own time). */
  async newEpoch(name: string, environmentKey: string, mode: MeasuringMode, resultId: string, reason: string, createdAt: string): Promise<BaselineEpoch> {
    const run = await this.store.getRun(this.id);
    return {
      id: randomUUID(),
      testName: name,
      environmentKey,
      mode,
      createdAt,
      commit: run?.commit ?? null,
      reason,
      createdBy: baselineAuthor(this.env),
      resultId,
      isDeleted: false,
    };
  }
}
