import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startDashboard, type RunningDashboard } from '../../src/dashboard/dashboard-server';
import { openStore } from '../../src/store/open-store';
import { createTestDatabase, describeWithPostgres, freshSchema, testRole, type TestDatabase } from '../helpers/postgres';
import { makeResult } from '../helpers/records';
import { seedStore } from '../helpers/seeded-store';

// The dashboard server reading the shared PostgreSQL store: the same history, written by the
// tester into SQLite and into PostgreSQL, draws the same answers; new results reach the live
// feed; a store it cannot reach is an error page with the password masked.

const RUNS = [
  { steady: 2_000_000, slows_down: 3_000_000 },
  { steady: 2_000_000, slows_down: 5_000_000 },
  { steady: 2_000_000, slows_down: 3_100_000 },
];

interface Overview {
  tests: { name: string; sparkline: number[]; latestStatus: string; latestMedian: number; branch: string; baselineSince: string | null }[];
}
interface Series {
  points: { median: number; status: string; commit: string; runs: number; attempt: number }[];
  epochs: { reason: string; median: number }[];
  thresholds: unknown;
}

async function getJson<T>(dashboard: RunningDashboard, route: string): Promise<T> {
  const reply = await fetch(`${dashboard.url}${route}`);
  expect(reply.status).toBe(200);
  return (await reply.json()) as T;
}

/** The parts of an answer that do not depend on when and under which run id the history was written. */
function comparable(overview: Overview): unknown {
  return overview.tests.map(({ name, sparkline, latestStatus, latestMedian, branch, baselineSince }) => ({ name, sparkline, latestStatus, latestMedian, branch, hasBaseline: baselineSince !== null }));
}

describeWithPostgres()('the dashboard on a PostgreSQL store', () => {
  let tmp: string;
  let database: TestDatabase;
  let url: string;
  const dashboards: RunningDashboard[] = [];

  async function serve(location: string): Promise<RunningDashboard> {
    const dashboard = await startDashboard({ dbPath: location, port: 0, pollMs: 100 });
    dashboards.push(dashboard);
    return dashboard;
  }

  beforeAll(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'perfguard-dashboard-pg-'));
    database = await createTestDatabase('dashboard');
    url = database.url(freshSchema('dashboard'));
    await seedStore(path.join(tmp, 'perf.db'), RUNS);
    await seedStore(url, RUNS, 'c0ffee', tmp);
  }, 60_000);
  afterEach(async () => {
    await Promise.all(dashboards.splice(0).map((dashboard) => dashboard.close()));
  });
  afterAll(async () => {
    await database?.drop();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('draws what it draws for the same history in SQLite: overview, series, epochs, regressions, coverage', async () => {
    const [sqlite, postgres] = [await serve(path.join(tmp, 'perf.db')), await serve(url)];
    expect((await fetch(`${postgres.url}/`)).status).toBe(200);
    const overview = await getJson<Overview>(postgres, '/api/overview');
    expect(overview.tests.map((test) => test.name)).toEqual(['slows_down', 'steady']);
    expect(comparable(overview)).toEqual(comparable(await getJson<Overview>(sqlite, '/api/overview')));
    for (const name of ['slows_down', 'steady']) {
      const [fromSqlite, fromPostgres] = [await getJson<Series>(sqlite, `/api/tests/${name}`), await getJson<Series>(postgres, `/api/tests/${name}`)];
      const shape = ({ points, epochs, thresholds }: Series): unknown => ({
        points: points.map(({ median, status, commit, runs, attempt }) => ({ median, status, commit, runs, attempt })),
        epochs: epochs.map(({ reason, median }) => ({ reason, median })),
        thresholds,
      });
      expect(shape(fromPostgres)).toEqual(shape(fromSqlite));
    }
    const regressions = await getJson<{ regressions: { name: string; severity: string }[] }>(postgres, '/api/regressions');
    expect(regressions.regressions.map(({ name, severity }) => ({ name, severity }))).toEqual([{ name: 'slows_down', severity: 'critical' }]);
    const coverage = await getJson<{ testsInLatestRun: string[]; withoutBaseline: string[]; staleBaselines: unknown[] }>(postgres, '/api/coverage');
    expect(coverage).toEqual(expect.objectContaining({ testsInLatestRun: ['slows_down', 'steady'], withoutBaseline: [], staleBaselines: [] }));
  });

  it('tells the live feed when a runner elsewhere commits a result', async () => {
    const dashboard = await serve(url);
    const controller = new AbortController();
    const events = await fetch(`${dashboard.url}/api/events`, { signal: controller.signal });
    const reader = events.body?.getReader();
    let seen = '';
    const changed = (async () => {
      while (!seen.includes('event: change')) {
        const chunk = await reader?.read();
        if (chunk === undefined || chunk.done) return;
        seen += Buffer.from(chunk.value).toString();
      }
    })();
    // The feed's first reading only sets its marker: keep committing until one is noticed.
    const writer = await openStore(url);
    try {
      const run = await writer.latestRun();
      while (!seen.includes('event: change')) {
        await writer.insertResult(makeResult(run?.id ?? '', 'steady'));
        await Promise.race([changed, new Promise((resolve) => setTimeout(resolve, 200))]);
      }
    } finally {
      await writer.close();
    }
    await changed;
    controller.abort();
    expect(seen).toContain('event: change');
  });

  it('shows an error page naming the fix for a server it cannot reach, the password masked', async () => {
    const wrong = url.replace(`:${encodeURIComponent(testRole().password)}@`, ':not-the-password@');
    const dashboard = await serve(wrong);
    const page = await fetch(`${dashboard.url}/`);
    const body = await page.text();
    expect(page.status).toBe(503);
    expect(body).toContain('perfguard cannot read its store');
    expect(body).toMatch(/PostgreSQL refused the password of the user &quot;perfguard_test&quot;/);
    expect(body).toContain('perfguard_test:****@');
    expect(body).not.toContain('not-the-password');
    expect((await fetch(`${dashboard.url}/api/overview`)).status).toBe(503);
  });
});
