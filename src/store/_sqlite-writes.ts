import path from 'node:path';
import type { BaselineEpoch, ResultRecord, RunRecord } from '../types';
import type { SqliteHandle } from './_sqlite-schema';
import { epochToRow, processesToRows, resultDataToRow, resultToRow, runToRow } from './_rows';
import { copySql, insertSql } from './_tables';
import type { StoreCounts, StoreRecords } from './perfguard-store';

const INSERT_RUN = insertSql('runs');
const INSERT_RESULT = insertSql('results');
const INSERT_RESULT_DATA = insertSql('result_data');
const INSERT_PROCESS = insertSql('result_processes');
const INSERT_EPOCH = insertSql('baselines');

/** Runs a write, turning SQLite errors into the store's errors. */
type Guard = <T>(action: string, work: () => T) => T;

/** The SQLite store's write side: every call one immediate transaction (WAL, busy timeout). */
export class SqliteWrites {
  constructor(
    private readonly db: SqliteHandle,
    private readonly guard: Guard,
  ) {}

  private write(action: string, work: () => void): void {
    this.guard(action, () => this.db.transaction(work).immediate());
  }

  ensureRun(run: RunRecord): void {
    this.write('record a run in', () => {
      this.db.prepare(INSERT_RUN).run(runToRow(run));
    });
  }

  endRun(runId: string, endedAt: string): void {
    this.write('end a run in', () => {
      this.db.prepare('UPDATE runs SET ended_at = ? WHERE id = ?').run(endedAt, runId);
    });
  }

  insertResult(result: ResultRecord, epoch?: BaselineEpoch): void {
    this.write('store a result in', () => {
      this.insertResultRows(result);
      if (epoch !== undefined) this.db.prepare(INSERT_EPOCH).run(epochToRow(epoch));
    });
  }

  private insertResultRows(result: ResultRecord): number {
    const added = this.db.prepare(INSERT_RESULT).run(resultToRow(result)).changes;
    this.db.prepare(INSERT_RESULT_DATA).run(resultDataToRow(result));
    const process = this.db.prepare(INSERT_PROCESS);
    for (const row of processesToRows(result)) process.run(row);
    return added;
  }

  addBaselineEpoch(epoch: BaselineEpoch): void {
    this.write('store a baseline in', () => {
      this.db.prepare(INSERT_EPOCH).run(epochToRow(epoch));
    });
  }

  importRecords(records: StoreRecords): StoreCounts {
    const added = { runs: 0, results: 0, epochs: 0 };
    this.write('import into', () => {
      const run = this.db.prepare(INSERT_RUN);
      const epoch = this.db.prepare(INSERT_EPOCH);
      for (const record of records.runs) added.runs += run.run(runToRow(record)).changes;
      for (const record of records.results) added.results += this.insertResultRows(record);
      for (const record of records.epochs) added.epochs += epoch.run(epochToRow(record)).changes;
    });
    return added;
  }

  /** Copies every run, result (with its data and processes) and epoch of another file not here yet. */
  mergeFrom(otherFile: string): StoreCounts {
    const added = { runs: 0, results: 0, epochs: 0 };
    this.guard('merge into', () => {
      this.db.prepare('ATTACH DATABASE ? AS incoming').run(path.resolve(otherFile));
      try {
        // Deferred, not immediate: BEGIN IMMEDIATE would take the write lock of the input too
        // and hold up a run writing to it. Its first statement writes to main, so the lock
        // on main is taken (waiting for other writers) before anything is read.
        this.db
          .transaction(() => {
            added.runs = this.db.prepare(copySql('runs', 'incoming')).run().changes;
            added.results = this.db.prepare(copySql('results', 'incoming')).run().changes;
            this.db.prepare(copySql('result_data', 'incoming')).run();
            this.db.prepare(copySql('result_processes', 'incoming')).run();
            added.epochs = this.db.prepare(copySql('baselines', 'incoming')).run().changes;
          })
          .deferred();
      } finally {
        this.db.prepare('DETACH DATABASE incoming').run();
      }
    });
    return added;
  }
}
