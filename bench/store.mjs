// npm run bench:store — the shared PostgreSQL store beside the SQLite file, side by side:
//   1. many writer processes at once (16 into PostgreSQL, 4 into SQLite), each storing 100
//      results with their epochs: results lost, writes failed, wall time;
//   2. the dashboard's overview (GET /api/overview, server time, median of 5 after one warm-up)
//      on 200 tests × 500 runs (100,000 results), seeded through importRecords in batches.
// PostgreSQL: PERFGUARD_BENCH_PG_URL (a role that may create databases), else a throwaway
// cluster of its own with the server's default durability (scripts/pg-cluster.mjs), removed at the end.
import { spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { startCluster } from '../scripts/pg-cluster.mjs';
import { benchRecord } from './_store-records.mjs';

const require = createRequire(import.meta.url);
const { openStore } = require('../dist/store/index.js');
const { captureEnvironment } = require('../dist/internals.js');
const { startDashboard } = require('../dist/dashboard/index.js');

const here = path.dirname(fileURLToPath(import.meta.url));
const WRITERS = { sqlite: Number(process.env.BENCH_SQLITE_WRITERS ?? 4), postgres: Number(process.env.BENCH_PG_WRITERS ?? 16) };
const RESULTS_EACH = Number(process.env.BENCH_RESULTS_EACH ?? 100);
const TESTS = Number(process.env.BENCH_TESTS ?? 200);
const RUNS = Number(process.env.BENCH_RUNS ?? 500);
const RUNS_PER_IMPORT = 10;
const environment = captureEnvironment();
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

async function postgresServer() {
  if (process.env.PERFGUARD_BENCH_PG_URL) return { adminUrl: process.env.PERFGUARD_BENCH_PG_URL, stop: () => undefined, label: 'PERFGUARD_BENCH_PG_URL' };
  const cluster = await startCluster({ durable: true });
  return { adminUrl: cluster.adminUrl, stop: cluster.stop, label: 'a throwaway local cluster (127.0.0.1, default settings: fsync and synchronous_commit on)' };
}

async function createDatabase(adminUrl) {
  const name = `perfguard_bench_${randomBytes(4).toString('hex')}`;
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  await client.query(`CREATE DATABASE ${name}`);
  await client.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.href,
    drop: async () => {
      const admin = new pg.Client({ connectionString: adminUrl });
      await admin.connect();
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    },
  };
}

function runWriter(location, count) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(here, '_store-writer.mjs'), location, String(count)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('close', (code) => {
      const runId = /^run (\S+)$/m.exec(stdout)?.[1];
      const committed = Number(/^committed (\d+)$/m.exec(stdout)?.[1] ?? 0);
      const error = /^error (.*)$/m.exec(stdout)?.[1] ?? (code === 0 ? undefined : stderr.trim() || `exit code ${code}`);
      resolve({ runId, committed, error });
    });
  });
}

/** `writers` processes at once, each storing RESULTS_EACH results: what was lost, what failed, how long it took. */
async function writeAtOnce(location, writers) {
  // Create the store first, as a real shared store exists before its runners arrive.
  await (await openStore(location)).close();
  const startedMs = performance.now();
  const exits = await Promise.all(Array.from({ length: writers }, () => runWriter(location, RESULTS_EACH)));
  const seconds = (performance.now() - startedMs) / 1000;
  const store = await openStore(location, { readonly: true });
  let stored = 0;
  for (const exit of exits) if (exit.runId) stored += (await store.resultsOfRun(exit.runId)).length;
  await store.close();
  const committed = exits.reduce((sum, exit) => sum + exit.committed, 0);
  const errors = exits.filter((exit) => exit.error !== undefined);
  for (const exit of errors) console.error(`writer error: ${exit.error}`);
  return { writers, committed, stored, lost: committed - stored, failed: writers * RESULTS_EACH - committed, errors: errors.length, seconds };
}

/** 200 tests × 500 runs through importRecords, RUNS_PER_IMPORT runs per call. */
async function seed(location) {
  const store = await openStore(location);
  const startMs = Date.parse('2026-01-01T00:00:00Z');
  const startedMs = performance.now();
  for (let first = 0; first < RUNS; first += RUNS_PER_IMPORT) {
    const records = { runs: [], results: [], epochs: [] };
    for (let r = first; r < Math.min(RUNS, first + RUNS_PER_IMPORT); r++) {
      const run = { id: randomUUID(), startedAt: new Date(startMs + r * 3.6e6).toISOString(), endedAt: null, commit: randomUUID().replace(/-/g, ''), branch: r % 5 === 0 ? 'develop' : 'main', isCi: true, environment };
      records.runs.push(run);
      for (let t = 0; t < TESTS; t++) {
        const status = (r * 31 + t) % 97 === 0 ? 'regression' : 'pass';
        const createdAt = new Date(startMs + r * 3.6e6 + t).toISOString();
        const { result, epoch } = benchRecord(run, environment, `suite_${Math.floor(t / 10)}/test_${t}`, (1 + t) * 1e-5 * (1 + 0.03 * Math.sin(r / 7 + t)), r % 50 === 0, createdAt, status);
        records.results.push(result);
        if (epoch) records.epochs.push(epoch);
      }
    }
    await store.importRecords(records);
  }
  await store.close();
  return (performance.now() - startedMs) / 1000;
}

async function overviewMs(location) {
  const dashboard = await startDashboard({ dbPath: location, port: 0 });
  const times = [];
  try {
    for (let i = 0; i < 6; i++) {
      const t0 = performance.now();
      const body = await (await fetch(`${dashboard.url}/api/overview`)).json();
      if (i > 0) times.push(performance.now() - t0);
      if (body.tests?.length !== TESTS) throw new Error(`overview returned ${body.tests?.length} tests: ${JSON.stringify(body).slice(0, 200)}`);
    }
  } finally {
    await dashboard.close();
  }
  return median(times);
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'perfguard-store-bench-'));
const server = await postgresServer();
const databases = [];
try {
  const writersDb = await createDatabase(server.adminUrl);
  const overviewDb = await createDatabase(server.adminUrl);
  databases.push(writersDb, overviewDb);
  console.error(`PostgreSQL: ${server.label}`);
  const writes = { sqlite: await writeAtOnce(path.join(dir, 'writers.db'), WRITERS.sqlite), postgres: await writeAtOnce(writersDb.url, WRITERS.postgres) };
  console.error('writers done; seeding…');
  const seeding = { sqlite: await seed(path.join(dir, 'overview.db')), postgres: await seed(overviewDb.url) };
  const overview = { sqlite: await overviewMs(path.join(dir, 'overview.db')), postgres: await overviewMs(overviewDb.url) };
  const row = (label, sqlite, postgres) => console.log(`| ${label} | ${sqlite} | ${postgres} |`);
  console.log(`machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, Node ${process.version}; PostgreSQL: ${server.label}`);
  console.log('| figure | SQLite | PostgreSQL |');
  console.log('| --- | --- | --- |');
  row('writer processes at once × results each', `${writes.sqlite.writers} × ${RESULTS_EACH}`, `${writes.postgres.writers} × ${RESULTS_EACH}`);
  row('results lost (committed, then missing)', writes.sqlite.lost, writes.postgres.lost);
  row('writes failed / writers with an error', `${writes.sqlite.failed} / ${writes.sqlite.errors}`, `${writes.postgres.failed} / ${writes.postgres.errors}`);
  row('wall time, all writers', `${writes.sqlite.seconds.toFixed(1)} s`, `${writes.postgres.seconds.toFixed(1)} s`);
  row('results stored per second', (writes.sqlite.stored / writes.sqlite.seconds).toFixed(0), (writes.postgres.stored / writes.postgres.seconds).toFixed(0));
  row(`seeding ${TESTS} tests × ${RUNS} runs (importRecords, ${RUNS_PER_IMPORT} runs a call)`, `${seeding.sqlite.toFixed(1)} s`, `${seeding.postgres.toFixed(1)} s`);
  row('GET /api/overview, median of 5', `${overview.sqlite.toFixed(0)} ms`, `${overview.postgres.toFixed(0)} ms (${(overview.postgres / overview.sqlite).toFixed(2)}x)`);
} finally {
  for (const database of databases) await database.drop().catch(() => undefined);
  server.stop();
  fs.rmSync(dir, { recursive: true, force: true });
}
