'use strict';
// A real process using the built store (dist/), driven by the store's fault tests.
//   write STORE COUNT [SAMPLES [STOP]]  store COUNT results (or until the file STOP exists), each with its
//                               epoch in one transaction, in the store at STORE (a file or a postgres://
//                               URL); prints `committed ID` after each, and on a failure `error JSON`
//                               and exit code 3
//   found STORE TEST            open the store, print `ready`, read START_AT (ms since the epoch) from
//                               stdin; at that instant look up TEST's baseline and, finding none, store
//                               a result founding it; prints `founded ID` or `judged ID`
//   open FILE [readonly]        open and close the store; prints `opened` or `error JSON`
//   hold FILE                   open the store with better-sqlite3, take its write lock, insert a
//                               result that is never committed, print `locked`, wait for stdin to end
//   serve                       over IPC: { file, startAt, worker } → open through the public API at
//                               startAt, look up a baseline, store a result; replies { id } or { error }
const fs = require('node:fs');
const path = require('node:path');
const { randomUUID } = require('node:crypto');

const dist = path.resolve(__dirname, '../../dist');
const { openStore, SqliteStore } = require(path.join(dist, 'store'));

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

async function write(location, count, samples, stopFile) {
  const store = await openStore(location);
  try {
    const runId = `run-${process.pid}-${randomUUID()}`;
    await store.ensureRun(makeRun(runId));
    for (let i = 0; i < count && !(stopFile && fs.existsSync(stopFile)); i++) {
      const { result, epoch } = makeResultAndEpoch(runId, `test-${i % 5}`, samples);
      await store.insertResult(result, epoch);
      process.stdout.write(`committed ${result.id}\n`);
    }
  } finally {
    await store.close();
  }
}

/** What a runner does with a test of no baseline: look, measure, and found the baseline with the result. */
/** The first line written to stdin. */
function firstLine() {
  return new Promise((resolve) => {
    let text = '';
    process.stdin.on('data', (chunk) => {
      text += chunk.toString();
      if (text.includes('\n')) {
        process.stdin.pause();
        resolve(text.split('\n')[0]);
      }
    });
  });
}

async function found(location, testName) {
  const store = await openStore(location);
  try {
    const runId = `run-${process.pid}-${randomUUID()}`;
    await store.ensureRun(makeRun(runId));
    process.stdout.write('ready\n');
    waitUntil(Number(await firstLine()));
    const baseline = await store.currentBaseline(testName, 'k');
    const { result, epoch } = makeResultAndEpoch(runId, testName, 3);
    await store.insertResult(result, baseline === undefined ? epoch : undefined);
    process.stdout.write(`${baseline === undefined ? 'founded' : 'judged'} ${result.id}\n`);
  } finally {
    await store.close();
  }
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

async function main(mode, file, rest) {
  if (mode === 'write') await write(file, Number(rest[0]), Number(rest[1] ?? 3), rest[2]);
  else if (mode === 'found') await found(file, rest[0]);
  else if (mode === 'open') {
    SqliteStore.open(file, { readonly: rest[0] === 'readonly' }).close();
    process.stdout.write('opened\n');
  } else if (mode === 'hold') hold(file);
  else if (mode === 'serve') serve();
  else throw new Error(`unknown mode ${mode}`);
}

const [mode, file, ...rest] = process.argv.slice(2);
main(mode, file, rest).catch((error) => {
  process.stdout.write(`error ${describeFailure(error)}\n`);
  process.exitCode = 3;
});
