'use strict';
// A real process using the built store (dist/), driven by the store's fault tests.
//   write FILE COUNT [SAMPLES [STOP]]  store COUNT results (or until the file STOP exists), each with its
//                               epoch in one transaction; prints `committed ID` after each, and on a
//                               failure `error JSON` and exit code 3
//   open FILE [readonly]        open and close the store; prints `opened` or `error JSON`
//   hold FILE                   open the store with better-sqlite3, take its write lock, insert a
//                               result that is never committed, print `locked`, wait for stdin to end
//   serve                       over IPC: { file, startAt, worker } → open through the public API at
//                               startAt, look up a baseline, store a result; replies { id } or { error }
const fs = require('node:fs');
const path = require('node:path');
const { randomUUID } = require('node:crypto');

const dist = path.resolve(__dirname, '../../dist');
const { SqliteStore } = require(path.join(dist, 'store'));

const RUN_ENVIRONMENT = { key: 'fault-test' };

function makeRun(id) {
  return { id, startedAt: new Date().toISOString(), endedAt: null, commit: null, branch: null, isCi: false, environment: RUN_ENVIRONMENT };
}

/** A result and its baseline epoch, with `samples` numbers per series to make transactions larger. */
function makeResultAndEpoch(runId, testName, samples) {
  const id = randomUUID();
  const series = Array.from({ length: samples }, (_, i) => 1000 + ((i * 7919) % 104729) / 7);
  const report = { name: testName, duration: { median: 1, p75: 1, iqr: 0 }, memory: { median: 0 }, cpu: { median: 99 }, verdicts: [], place: `pid ${process.pid}` };
  const createdAt = new Date().toISOString();
  return {
    result: { id, runId, testName, attempt: 1, createdAt, status: 'pass', environmentKey: 'k', report, samples: { durationNs: series, heapDeltaBytes: series, cpuPercent: series } },
    epoch: { id: randomUUID(), testName, environmentKey: 'k', createdAt, commit: null, reason: 'fault test', createdBy: null, resultId: id, isDeleted: false },
  };
}

function describeFailure(error) {
  const cause = error && error.cause;
  return JSON.stringify({ name: error && error.name, message: String(error && error.message), cause: cause && cause.code });
}

function write(file, count, samples, stopFile) {
  const store = SqliteStore.open(file);
  const runId = `run-${process.pid}-${randomUUID()}`;
  store.writes.ensureRun(makeRun(runId));
  for (let i = 0; i < count && !(stopFile && fs.existsSync(stopFile)); i++) {
    const { result, epoch } = makeResultAndEpoch(runId, `test-${i % 5}`, samples);
    store.writes.insertResult(result, epoch);
    process.stdout.write(`committed ${result.id}\n`);
  }
  store.close();
}

function hold(file) {
  const Database = require('better-sqlite3');
  const db = new Database(file);
  db.exec('BEGIN IMMEDIATE');
  db.prepare("INSERT INTO runs (id, started_at, environment_key, environment_json) VALUES ('uncommitted-run', '2026-01-01', 'k', '{}')").run();
  process.stdout.write('locked\n');
  process.stdin.resume();
  process.stdin.on('end', () => db.close());
}

const nap = new Int32Array(new SharedArrayBuffer(4));

function waitUntil(startAt) {
  const early = startAt - Date.now() - 2;
  if (early > 0) Atomics.wait(nap, 0, 0, early);
  while (Date.now() < startAt) {
    // spin the last 2 ms, so that every process starts at the same instant
  }
}

function serve() {
  const { PerformanceRegressionDetector } = require(dist);
  process.on('message', async ({ file, startAt, worker }) => {
    waitUntil(startAt);
    try {
      const detector = new PerformanceRegressionDetector({ store: file });
      detector.getBaseline('shared', 'k');
      await detector.close();
      const store = SqliteStore.open(file);
      const runId = `run-${worker}`;
      store.writes.ensureRun(makeRun(runId));
      const { result, epoch } = makeResultAndEpoch(runId, 'shared', 3);
      store.writes.insertResult(result, epoch);
      store.close();
      process.send({ id: result.id });
    } catch (error) {
      process.send({ error: describeFailure(error) });
    }
  });
  process.send({ ready: true });
}

const [mode, file, ...rest] = process.argv.slice(2);
try {
  if (mode === 'write') write(file, Number(rest[0]), Number(rest[1] ?? 3), rest[2]);
  else if (mode === 'open') {
    SqliteStore.open(file, { readonly: rest[0] === 'readonly' }).close();
    process.stdout.write('opened\n');
  } else if (mode === 'hold') hold(file);
  else if (mode === 'serve') serve();
  else throw new Error(`unknown mode ${mode}`);
} catch (error) {
  process.stdout.write(`error ${describeFailure(error)}\n`);
  process.exitCode = 3;
}
