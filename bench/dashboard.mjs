/* global document -- used inside page.waitForFunction, which runs in the browser */
// npm run bench:dashboard — how fast the dashboard's overview answers and draws for a
// large store: 200 tests × 500 runs (100,000 results) in a real SQLite file, drawn in
// Debian's Chromium. Prints the median of 5 tries of each figure.
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';

const require = createRequire(import.meta.url);
const { SqliteStore, captureEnvironment } = require('../dist/internals.js');
const { startDashboard } = require('../dist/dashboard/index.js');

const TESTS = Number(process.env.BENCH_TESTS ?? 200);
const RUNS = Number(process.env.BENCH_RUNS ?? 500);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'perfguard-dashboard-bench-'));
const db = path.join(dir, 'big.db');
const environment = captureEnvironment();

function report(name, runId, median, status) {
  const duration = { mean: median, std: median * 0.02, min: median * 0.95, max: median * 1.2, median, p75: median * 1.01, p95: median * 1.05, p99: median * 1.1, mad: median * 0.01, iqr: median * 0.02, cv: 0.02, medianCi: { lower: median * 0.99, upper: median * 1.01, level: 0.95 }, meanCi: { lower: median * 0.99, upper: median * 1.01, level: 0.95 }, outliers: { low: 0, high: 1 } };
  const factor = 1 + (status === 'regression' ? 0.6 : 0.01);
  return {
    name, iterations: 100, callsPerIteration: 1, duration, memory: { mean: 0.01, std: 0, median: 0.01, max: 0.02, rssMean: 0 }, cpu: { mean: 99, median: 99, phase: 99 }, status,
    regressions: status === 'regression' ? [{ metricType: 'duration', baselineValue: median / factor, currentValue: median, regressionFactor: factor, severity: 'critical', confidence: 0.999, factorInterval: null }] : [],
    verdicts: [{ metricType: 'duration', status: status === 'regression' ? 'critical' : 'pass', baselineValue: median / factor, currentValue: median, regressionFactor: factor, factorInterval: null, confidence: 0.9, machineFactor: null, reason: 'synthetic' }],
    notes: [], baseline: null, metadata: {}, environment, measuredAt: new Date().toISOString(), attempt: 1, isAsync: false, isGcAvailable: true,
    loadAverage: { before: 0, after: 0 }, place: 'bench', testFile: null, runId, machineProbeNs: 20000, memoryProbeNs: 20000, profilePath: null,
  };
}

function seed() {
  const store = SqliteStore.open(db);
  const start = Date.parse('2026-01-01T00:00:00Z');
  for (let r = 0; r < RUNS; r++) {
    const run = { id: randomUUID(), startedAt: new Date(start + r * 3.6e6).toISOString(), endedAt: null, commit: randomUUID().replace(/-/g, ''), branch: r % 5 === 0 ? 'develop' : 'main', isCi: true, environment };
    const results = [];
    const epochs = [];
    for (let t = 0; t < TESTS; t++) {
      const median = (1 + t) * 1e-5 * (1 + 0.03 * Math.sin(r / 7 + t));
      const status = (r * 31 + t) % 97 === 0 ? 'regression' : 'pass';
      const result = { id: randomUUID(), runId: run.id, testName: `suite_${Math.floor(t / 10)}/test_${t}`, attempt: 1, createdAt: new Date(start + r * 3.6e6 + t).toISOString(), status, environmentKey: environment.key, report: report(`suite_${Math.floor(t / 10)}/test_${t}`, run.id, median, status), samples: { durationNs: Array.from({ length: 20 }, (_, i) => median * 1e9 * (1 + i / 1000)), heapDeltaBytes: Array(20).fill(10), cpuPercent: Array(20).fill(99) } };
      results.push(result);
      if (r % 50 === 0) epochs.push({ id: randomUUID(), testName: result.testName, environmentKey: environment.key, createdAt: result.createdAt, commit: run.commit, reason: 'seed', createdBy: 'bench', resultId: result.id, isDeleted: false });
    }
    store.writes.importRecords({ runs: [run], results, epochs });
  }
  store.close();
}

const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const started = Date.now();
seed();
console.error(`seeded ${TESTS} tests × ${RUNS} runs in ${((Date.now() - started) / 1000).toFixed(1)} s (${(fs.statSync(db).size / 1e6).toFixed(0)} MB)`);
const dashboard = await startDashboard({ dbPath: db, port: 0 });
const api = [];
for (let i = 0; i < 5; i++) {
  const t0 = performance.now();
  const body = await (await fetch(`${dashboard.url}/api/overview`)).json();
  api.push(performance.now() - t0);
  if (body.tests.length !== TESTS) throw new Error(`overview returned ${body.tests.length} tests`);
}
const browser = await chromium.launch({ executablePath: process.env.PERFGUARD_CHROMIUM ?? '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'] });
const page = await browser.newPage({ viewport: { width: 1360, height: 900 } });
const draw = [];
for (let i = 0; i < 5; i++) {
  const t0 = performance.now();
  await page.goto(dashboard.url);
  await page.waitForFunction((count) => document.querySelectorAll('#overview tbody tr').length === count, TESTS);
  draw.push(performance.now() - t0);
}
const testPage = [];
for (let i = 0; i < 5; i++) {
  const t0 = performance.now();
  await page.goto(`${dashboard.url}/#/test/${encodeURIComponent('suite_9/test_99')}`);
  await page.waitForSelector('#duration-chart canvas');
  testPage.push(performance.now() - t0);
}
await browser.close();
await dashboard.close();
fs.rmSync(dir, { recursive: true, force: true });
console.log(`store: ${TESTS} tests × ${RUNS} runs = ${TESTS * RUNS} results; median of 5 tries`);
console.log('| figure | median |');
console.log('| --- | --- |');
console.log(`| GET /api/overview (server answers) | ${median(api).toFixed(0)} ms |`);
console.log(`| overview page loaded and drawn in Chromium | ${median(draw).toFixed(0)} ms |`);
console.log(`| switching to one test's page (hash route) and drawing its 500-run chart | ${median(testPage).toFixed(0)} ms |`);
