import { randomUUID } from 'node:crypto';
import path from 'node:path';
import type { AggregatedResult, Config, Reporter, Test, TestContext, TestResult } from '@jest/reporters';
import { assertKnownOptions, expectOneOf } from '../_options';
import { JEST_COMMAND_ENV, jestCommandOfThisProcess, writeLaunchState } from '../_launch';
import { publishRun, runFailure, type RunSummary, summarizeRun } from '../report';
import { createRunRecord } from '../runner';
import { openStore, resolveStorePath } from '../store';

/** Options of the perfguard Jest reporter: `reporters: ['default', ['perfguard/reporter', { … }]]`. */
export interface PerfguardReporterOptions {
  /** Folder for perfguard-report.json, perfguard-report.md and CPU profiles. @default '<rootDir>/perfguard-reports' */
  outputDir?: string;
  /** Lowest severity that fails the run: 'warning', 'critical' or 'none'. @default 'critical' */
  failOn?: 'warning' | 'critical' | 'none';
  /** The store: a file path or a `postgres://` URL. @default PERFGUARD_DB, else '<rootDir>/baselines/perfguard.db' */
  store?: string;
}

const OPTION_NAMES = ['outputDir', 'failOn', 'store'] as const;

interface FileWindow {
  start: number;
  end: number;
}

/**
 * Gathers every perfguard result of one `jest` invocation, across all workers, into one run
 * of the store; prints a table to stderr; writes the JSON report and the pull-request
 * comment; annotates GitHub Actions; and fails the run on regressions at or above `failOn`.
 */
export default class PerfguardReporter implements Pick<Reporter, 'onRunStart' | 'onTestFileStart' | 'onTestFileResult' | 'onRunComplete' | 'getLastError'> {
  private readonly rootDir: string;
  private readonly outputDir: string;
  private readonly failOn: 'warning' | 'critical' | 'none';
  private readonly storePath: string;
  private readonly maxWorkers: number;
  private readonly windows = new Map<string, FileWindow>();
  private runId: string;
  private lastError: Error | undefined;
  /** Under `perfguard test`, which publishes the run and decides the exit code itself. */
  private isLaunched = false;

  constructor(globalConfig: Config.GlobalConfig, options: PerfguardReporterOptions = {}) {
    const record = assertKnownOptions(options, OPTION_NAMES, 'perfguard/reporter');
    this.rootDir = globalConfig.rootDir;
    this.maxWorkers = globalConfig.maxWorkers;
    this.outputDir = path.resolve(this.rootDir, typeof record['outputDir'] === 'string' ? record['outputDir'] : 'perfguard-reports');
    this.failOn = record['failOn'] === undefined ? 'critical' : expectOneOf(record['failOn'], ['warning', 'critical', 'none'] as const, 'failOn');
    this.storePath = resolveStorePath({ path: typeof record['store'] === 'string' ? record['store'] : undefined, rootDir: this.rootDir });
    this.runId = this.shareRunSettings();
  }

  /**
   * Workers are forked after the reporter starts and inherit its environment: this is how
   * every worker's measurements join one run, in one store, relative to one root, and how a
   * worker knows the Jest command to run a flagged test again in a fresh process. Under
   * `perfguard test`, the launcher learns here where the run went.
   */
  private shareRunSettings(): string {
    const named = process.env['PERFGUARD_RUN_ID'];
    const runId = named !== undefined && named.trim() !== '' ? named.trim() : randomUUID();
    process.env['PERFGUARD_RUN_ID'] = runId;
    process.env['PERFGUARD_DB'] = this.storePath;
    process.env['PERFGUARD_PROFILE_DIR'] ??= path.join(this.outputDir, 'profiles');
    const command = jestCommandOfThisProcess();
    if (process.env[JEST_COMMAND_ENV] === undefined && command !== undefined) process.env[JEST_COMMAND_ENV] = JSON.stringify(command);
    this.isLaunched = writeLaunchState(process.env, { runId, storePath: this.storePath, outputDir: this.outputDir, rootDir: this.rootDir, failOn: this.failOn });
    return runId;
  }

  async onRunStart(): Promise<void> {
    this.lastError = undefined;
    this.windows.clear();
    const store = await openStore(this.storePath);
    try {
      await store.ensureRun(createRunRecord(this.runId, this.rootDir));
    } finally {
      await store.close();
    }
  }

  onTestFileStart(test: Test): void {
    this.windows.set(test.path, { start: Date.now(), end: Infinity });
  }

  onTestFileResult(test: Test, _result: TestResult): void {
    const window = this.windows.get(test.path);
    if (window !== undefined) window.end = Date.now();
  }

  async onRunComplete(_contexts: Set<TestContext>, _results: AggregatedResult): Promise<void> {
    const summary = await this.summarize();
    if (summary.reports.length === 0 || this.isLaunched) return;
    publishRun(summary, { outputDir: this.outputDir, rootDir: this.rootDir, write: (text) => process.stderr.write(text), env: process.env });
    const failure = runFailure(summary, this.failOn);
    this.lastError = failure === undefined ? undefined : new Error(failure);
    // Jest turns a reporter's error into the exit code without printing it: say why here.
    if (failure !== undefined) process.stderr.write(`${failure}\n`);
  }

  private async summarize(): Promise<RunSummary> {
    const store = await openStore(this.storePath);
    try {
      await store.endRun(this.runId, new Date().toISOString());
      const reports = (await store.resultsOfRun(this.runId)).map((result) => result.report);
      return summarizeRun((await store.getRun(this.runId)) ?? null, reports, this.parallelNotes(reports.map((r) => r.testFile)));
    } finally {
      await store.close();
    }
  }

  /** Perf test files that ran while another file was running measured each other too. */
  private parallelNotes(testFiles: (string | null)[]): string[] {
    if (this.maxWorkers <= 1) return [];
    const perfFiles = new Set(testFiles.filter((file): file is string => file !== null));
    const overlapping = [...perfFiles].filter((file) => {
      const mine = this.windows.get(file);
      if (mine === undefined) return false;
      return [...this.windows].some(([other, window]) => other !== file && window.start < mine.end && mine.start < window.end);
    });
    if (overlapping.length === 0) return [];
    return [
      `${overlapping.length} perf test file(s) ran in parallel with other test files, which competed for the CPU: run performance tests serially (--runInBand, or a separate Jest config with maxWorkers: 1).`,
    ];
  }

  getLastError(): Error | undefined {
    return this.lastError;
  }
}
