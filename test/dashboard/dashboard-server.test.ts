import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { startDashboard, type RunningDashboard } from '../../src/dashboard/dashboard-server';
import { PerformanceRegressionTester } from '../../src/runner/performance-regression-tester';
import { openStore } from '../../src/store/open-store';
import { createFakeClock } from '../helpers/fake-clock';
import { plantedWork } from '../helpers/planted';
import { plantedHistory, writeHistory } from '../helpers/planted-history';
import { seedStore } from '../helpers/seeded-store';
import { ensureBuilt, startWorker, waitForLine } from '../helpers/store-processes';

interface Reply {
  status: number;
  type: string;
  body: string;
}

/** A raw HTTP request, so paths reach the server exactly as written. */
function request(base: string, rawPath: string, method = 'GET'): Promise<Reply> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: url.hostname, port: url.port, path: rawPath, method }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type']), body }));
    });
    req.on('error', reject);
    req.end();
  });
}

let tmp: string;
let dashboard: RunningDashboard | undefined;

beforeAll(async () => {
  ensureBuilt();
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'perfguard-dashboard-'));
  await seedStore(path.join(tmp, 'perf.db'), [
    { steady: 2_000_000, slows_down: 3_000_000 },
    { steady: 2_000_000, slows_down: 5_000_000 },
  ]);
});
afterEach(async () => {
  await dashboard?.close();
  dashboard = undefined;
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('the dashboard server', () => {
  it('binds to 127.0.0.1 by default and serves the page', async () => {
    dashboard = await startDashboard({ dbPath: path.join(tmp, 'perf.db'), port: 0 });
    expect(dashboard.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const page = await request(dashboard.url, '/');
    expect(page.status).toBe(200);
    expect(page.body).toContain('<script src="/static/uPlot.iife.min.js"></script>');
    const uplot = await request(dashboard.url, '/static/uPlot.iife.min.js');
    expect(uplot.status).toBe(200);
    expect(uplot.type).toContain('javascript');
  });

  it('answers the documented JSON endpoints', async () => {
    dashboard = await startDashboard({ dbPath: path.join(tmp, 'perf.db'), port: 0 });
    const overview = JSON.parse((await request(dashboard.url, '/api/overview')).body) as { tests: { name: string; sparkline: number[]; latestStatus: string }[] };
    expect(overview.tests.map((t) => t.name)).toEqual(['slows_down', 'steady']);
    expect(overview.tests[0]?.sparkline).toHaveLength(2);
    expect(overview.tests[0]?.latestStatus).toBe('regression');
    const series = JSON.parse((await request(dashboard.url, '/api/tests/slows_down')).body) as {
      points: { median: number; commit: string; runs: number; detectable: number | null }[];
      epochs: unknown[];
      thresholds: { warning: number; critical: number };
    };
    expect(series.points.map((p) => p.median)).toEqual([expect.closeTo(0.003, 4), expect.closeTo(0.005, 4)]);
    // The slower run rests on as many runs as ranks need against a baseline of three founding runs.
    expect(series.points.map((p) => p.runs)).toEqual([3, 7]);
    expect(series.points[1]?.detectable).toBeGreaterThan(1);
    expect(series.thresholds).toEqual({ warning: 1.2, critical: 1.5 });
    expect(series.points[1]?.commit).toBe('c0ffee1');
    expect(series.epochs).toHaveLength(1);
    const regressions = JSON.parse((await request(dashboard.url, '/api/regressions')).body) as { regressions: { name: string; severity: string }[] };
    expect(regressions.regressions).toEqual([expect.objectContaining({ name: 'slows_down', severity: 'critical' })]);
    const coverage = JSON.parse((await request(dashboard.url, '/api/coverage')).body) as { testsInLatestRun: string[]; withoutBaseline: string[] };
    expect(coverage.testsInLatestRun).toEqual(['slows_down', 'steady']);
    expect(coverage.withoutBaseline).toEqual([]);
  });

  it("serves each test's own thresholds, as its latest verdict used them", async () => {
    const file = path.join(tmp, 'own-thresholds.db');
    const clock = createFakeClock();
    const tester = new PerformanceRegressionTester({ store: file, env: { PERFGUARD_RUN_ID: 'strict' }, defaults: { clock, rounds: 1 } });
    await tester.benchmark(plantedWork(clock, 1_000_000), 'strict', { thresholds: { duration: { warning: 1.05, critical: 1.1 } }, iterations: 5 });
    await tester.close();
    dashboard = await startDashboard({ dbPath: file, port: 0 });
    const series = JSON.parse((await request(dashboard.url, '/api/tests/strict')).body) as { thresholds: { warning: number; critical: number } };
    expect(series.thresholds).toEqual({ warning: 1.05, critical: 1.1 });
  });

  it.each([
    ['/nowhere'],
    ['/api/unknown'],
    ['/static/../../package.json'],
    ['/static/%2e%2e/%2e%2e/package.json'],
    ['/static/..%2f..%2fpackage.json'],
    ['/../../../../etc/passwd'],
  ])('answers %p with 404 and serves nothing outside its own files', async (rawPath) => {
    dashboard = await startDashboard({ dbPath: path.join(tmp, 'perf.db'), port: 0 });
    const reply = await request(dashboard.url, rawPath);
    expect(reply.status).toBe(404);
    expect(reply.body).not.toContain('"name": "perfguard"');
    expect(reply.body).not.toContain('root:');
  });

  it('never mixes counts and times: a test measured in both modes is served one mode at a time', async () => {
    const file = path.join(tmp, 'both-modes.db');
    const store = await openStore(file);
    await writeHistory(store, plantedHistory());
    await store.close();
    dashboard = await startDashboard({ dbPath: file, port: 0 });
    type Series = { mode: string; modes: string[]; points: { mode: string; instructions: number | null }[]; epochs: { mode: string }[] };
    const get = async (query: string): Promise<Series> => JSON.parse((await request(dashboard?.url ?? '', `/api/tests/gamma${query}`)).body) as Series;
    const latest = await get('');
    expect(latest.modes).toEqual(['instructions', 'time']);
    for (const mode of ['time', 'instructions']) {
      const series = await get(`?mode=${mode}`);
      expect(series.mode).toBe(mode);
      expect(series.points.length).toBeGreaterThan(2);
      expect(new Set(series.points.map((point) => point.mode))).toEqual(new Set([mode]));
      expect(new Set(series.epochs.map((epoch) => epoch.mode))).toEqual(new Set([mode]));
    }
    expect(latest.points.every((point) => point.mode === latest.mode)).toBe(true);
    expect((await request(dashboard.url, '/api/tests/alpha?mode=instructions')).status).toBe(404);
    expect((await get('?mode=time')).modes).toEqual(['instructions', 'time']);

    type Overview = { tests: { name: string; latestMode: string; latestInstructions: number | null; sparkline: number[] }[] };
    const gamma = (JSON.parse((await request(dashboard.url, '/api/overview')).body) as Overview).tests.find((row) => row.name === 'gamma');
    expect(gamma?.sparkline.length).toBeGreaterThan(1);
    // Counts are millions per call, times well under a second: one mode only in the sparkline.
    const counted = gamma?.latestMode === 'instructions';
    expect(gamma?.sparkline.every((value) => (counted ? value > 1_000_000 : value < 1))).toBe(true);
    expect(gamma?.latestInstructions === null).toBe(!counted);
    type Regressions = { regressions: { name: string; mode: string; instructions: number | null }[] };
    const regressions = (JSON.parse((await request(dashboard.url, '/api/regressions')).body) as Regressions).regressions;
    expect(regressions.filter((row) => row.mode === 'instructions').length).toBeGreaterThan(0);
    expect(regressions.every((row) => (row.mode === 'instructions') === (row.instructions !== null))).toBe(true);
  });

  it('is read-only: anything but GET is refused', async () => {
    dashboard = await startDashboard({ dbPath: path.join(tmp, 'perf.db'), port: 0 });
    expect((await request(dashboard.url, '/api/overview', 'POST')).status).toBe(405);
  });

  it('shows a readable error page for a missing store instead of crashing', async () => {
    dashboard = await startDashboard({ dbPath: path.join(tmp, 'missing.db'), port: 0 });
    const page = await request(dashboard.url, '/');
    expect(page.status).toBe(503);
    expect(page.body).toContain('perfguard cannot read its store');
    expect(page.body).toMatch(/No perfguard store at .*missing\.db/);
    expect((await request(dashboard.url, '/api/overview')).status).toBe(503);
    expect(fs.existsSync(path.join(tmp, 'missing.db'))).toBe(false);
  });

  it('shows a readable error page for a corrupt store and leaves it untouched', async () => {
    const corrupt = path.join(tmp, 'corrupt.db');
    fs.writeFileSync(corrupt, '<html>not a database</html>');
    dashboard = await startDashboard({ dbPath: corrupt, port: 0 });
    const page = await request(dashboard.url, '/');
    expect(page.status).toBe(503);
    expect(page.body).toContain('is not a SQLite database');
    expect(page.body).not.toContain('<html>not a database</html>');
    expect(fs.readFileSync(corrupt, 'utf8')).toBe('<html>not a database</html>');
  });

  it.each([
    ['/api/tests/slows_down?limit=abc', "query parameter 'limit' must be a whole number from 1 to 10000, received 'abc'"],
    ['/api/tests/slows_down?limit=0', "query parameter 'limit' must be a whole number from 1 to 10000, received '0'"],
    ['/api/tests/slows_down?limit=-5', "query parameter 'limit' must be a whole number from 1 to 10000, received '-5'"],
    ['/api/tests/slows_down?limit=1.5', "query parameter 'limit' must be a whole number from 1 to 10000, received '1.5'"],
    ['/api/regressions?limit=', "query parameter 'limit' must be a whole number from 1 to 10000, received ''"],
    ['/api/regressions?limit=1e3', "query parameter 'limit' must be a whole number from 1 to 10000, received '1e3'"],
    ['/api/coverage?stale=99999999999', "query parameter 'stale' must be a whole number from 1 to 10000, received '99999999999'"],
    ['/api/tests/%E0%A4%A', "the test name in the path is not valid percent-encoding: '%E0%A4%A'"],
    ['/api/tests/slows_down?mode=cycles', "query parameter 'mode' must be 'time' or 'instructions', received 'cycles'"],
  ])('answers %p with 400 and the reason, and keeps serving', async (rawPath, reason) => {
    dashboard = await startDashboard({ dbPath: path.join(tmp, 'perf.db'), port: 0 });
    const reply = await request(dashboard.url, rawPath);
    expect({ status: reply.status, body: JSON.parse(reply.body) as unknown }).toEqual({ status: 400, body: { error: reason } });
    expect((await request(dashboard.url, '/api/tests/slows_down?limit=1')).status).toBe(200);
  });

  it('serves a store while another process holds its write lock, showing only what was committed', async () => {
    const locked = path.join(tmp, 'locked.db');
    await seedStore(locked, [{ steady: 2_000_000 }]);
    const holder = startWorker(['hold', locked]);
    await waitForLine(holder.child, /^locked$/m);
    try {
      dashboard = await startDashboard({ dbPath: locked, port: 0 });
      expect((await request(dashboard.url, '/')).status).toBe(200);
      const overview = await request(dashboard.url, '/api/overview');
      expect(overview.status).toBe(200);
      expect((JSON.parse(overview.body) as { tests: { name: string }[] }).tests.map((t) => t.name)).toEqual(['steady']);
      const coverage = await request(dashboard.url, '/api/coverage');
      expect(coverage.status).toBe(200);
      expect((JSON.parse(coverage.body) as { latestRunId: string }).latestRunId).not.toBe('uncommitted-run');
    } finally {
      holder.child.stdin?.end();
    }
    expect(await holder.exit).toEqual(expect.objectContaining({ code: 0, stderr: '' }));
  });
});
