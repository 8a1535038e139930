import { fork, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { MIGRATIONS } from '../../src/store/_migrations';
import { ensureBuilt, healthyStore, inspectStore, STORE_WORKER, storedResultIds } from '../helpers/store-processes';

// Real processes, as Jest workers are: each constructs a PerformanceRegressionDetector, looks up
// a baseline and stores a result, all starting at the same instant on a store none has seen.
// Before the fix 13 of 100 rounds (4 of 5 runs of this test) lost a process to SQLITE_BUSY from
// the WAL switch or to "not a perfguard store" (schema version and tables read in two snapshots).
const OPENERS = 8;
const ROUNDS = 20;
const START_DELAY_MS = 40;

type Reply = { ready: true } | { id: string } | { error: string };

let tmp: string;
let workers: ChildProcess[] = [];

function nextReply(worker: ChildProcess): Promise<Reply> {
  return new Promise((resolve) => worker.once('message', (message) => resolve(message as Reply)));
}

/** One round: every worker opens `file` at the same instant; returns the ids stored and the errors. */
async function openAtOnce(file: string): Promise<{ ids: string[]; errors: string[] }> {
  const startAt = Date.now() + START_DELAY_MS;
  const replies = await Promise.all(
    workers.map((worker, index) => {
      const reply = nextReply(worker);
      worker.send({ file, startAt, worker: index });
      return reply;
    }),
  );
  return {
    ids: replies.flatMap((reply) => ('id' in reply ? [reply.id] : [])),
    errors: replies.flatMap((reply) => ('error' in reply ? [reply.error] : [])),
  };
}

beforeAll(async () => {
  ensureBuilt();
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'perfguard-openers-'));
  workers = Array.from({ length: OPENERS }, () => fork(STORE_WORKER, ['serve'], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }));
  await Promise.all(workers.map(nextReply));
});
afterAll(() => {
  for (const worker of workers) worker.kill();
  fs.rmSync(tmp, { recursive: true, force: true });
});

/**
 * Runs `rounds` rounds, each on a new file that `prepare` may seed, and checks after each that
 * every result a process reported stored is there, in an intact store; returns every error.
 */
async function runRounds(rounds: number, name: string, prepare: (file: string) => void = () => undefined): Promise<string[]> {
  const errors: string[] = [];
  for (let round = 0; round < rounds; round++) {
    const file = path.join(tmp, `${name}-${round}.db`);
    prepare(file);
    const outcome = await openAtOnce(file);
    errors.push(...outcome.errors.map((error) => `round ${round}: ${error}`));
    expect(storedResultIds(file)).toEqual([...outcome.ids].sort());
    expect(inspectStore(file)).toEqual(healthyStore(outcome.ids.length));
  }
  return errors;
}

function writeVersion1Store(file: string): void {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.exec(MIGRATIONS[0]?.sql ?? '');
  db.pragma('user_version = 1');
  db.close();
}

describe('many processes opening one store at the same instant', () => {
  it(`creates a fresh store from ${OPENERS} processes at once, ${ROUNDS} rounds, with no error and every result kept`, async () => {
    expect(await runRounds(ROUNDS, 'fresh')).toEqual([]);
  }, 120_000);

  it(`upgrades a version-1 store from ${OPENERS} processes at once, 5 rounds, with no error and every result kept`, async () => {
    expect(await runRounds(5, 'version-1', writeVersion1Store)).toEqual([]);
  }, 60_000);
});
