import fs from 'node:fs';
import path from 'node:path';
import { openStore } from '../../src/store/open-store';
import { cleanEnvironment, createPackedProject, runJest, runProcess, writeFiles } from '../helpers/packed-project';
import { createTestDatabase, describeWithPostgres, freshSchema, type TestDatabase } from '../helpers/postgres';

// A user's project writing to the shared PostgreSQL store through PERFGUARD_DB: the reporter,
// performanceTest and benchmark in real Jest workers, fresh Jest processes for the rounds, and
// `perfguard test` / `perfguard report` reading it back.

const PROJECT_FILES: Record<string, string> = {
  'jest.config.js': `module.exports = {
  testEnvironment: 'node',
  testMatch: ['<rootDir>/perf/**/*.perf.test.js'],
  setupFilesAfterEnv: ['perfguard/jest'],
  reporters: ['default', ['perfguard/reporter', { outputDir: 'reports' }]],
};
`,
  'perf/spin.js': `const { sqrt } = Math;
exports.spin = function spin(n) {
  let x = 0;
  for (let i = 0; i < n; i++) x += sqrt(i + (x % 7));
  return x;
};
`,
  'perf/first.perf.test.js': `const { benchmark, performanceTest } = require('perfguard');
const { spin } = require('./spin');
performanceTest('pg_spin', { time: 200 }, () => spin(100_000));
test('benchmark() stores into the shared store', async () => {
  const report = await benchmark(() => spin(20_000), 'pg_benchmark', { time: 200 });
  expect(report.duration.median).toBeGreaterThan(0);
});
`,
  'perf/second.perf.test.js': `const { performanceTest } = require('perfguard');
const { spin } = require('./spin');
performanceTest('pg_other_file', { time: 200 }, () => spin(50_000));
`,
};

describeWithPostgres()('perfguard in a real Jest project with a PostgreSQL store', () => {
  let dir: string;
  let database: TestDatabase;
  let url: string;

  beforeAll(async () => {
    dir = createPackedProject('pg-e2e');
    writeFiles(dir, PROJECT_FILES);
    database = await createTestDatabase('e2e');
    url = database.url(freshSchema('e2e'));
  }, 300_000);
  afterAll(async () => {
    await database?.drop();
    if (dir !== undefined) fs.rmSync(dir, { recursive: true, force: true });
  });

  async function stored(): Promise<{ tests: string[]; runs: number; baselines: string[] }> {
    const store = await openStore(url, { readonly: true });
    try {
      const latest = await store.latestRun();
      const results = latest === undefined ? [] : await store.resultsOfRun(latest.id);
      return { tests: [...new Set(results.map((result) => result.testName))].sort(), runs: (await store.counts()).runs, baselines: (await store.listBaselines()).map((entry) => entry.testName) };
    } finally {
      await store.close();
    }
  }

  it('stores baselines there from two workers in one run, then judges a rerun against them', async () => {
    const first = await runJest(dir, ['--maxWorkers=2'], { PERFGUARD_DB: url });
    expect({ code: first.code, output: first.output }).toEqual({ code: 0, output: expect.stringContaining('Tests:       3 passed, 3 total') as unknown });
    expect(first.stderr).toMatch(/pg_spin\s+[\d.]+ [µm]s \(3 runs\)\s+.*no-baseline/);
    expect(await stored()).toEqual({ tests: ['pg_benchmark', 'pg_other_file', 'pg_spin'], runs: 1, baselines: ['pg_benchmark', 'pg_other_file', 'pg_spin'] });
    expect(fs.existsSync(path.join(dir, 'baselines'))).toBe(false);
    const second = await runJest(dir, ['--maxWorkers=2'], { PERFGUARD_DB: url });
    expect({ code: second.code, output: second.output }).toEqual({ code: 0, output: expect.any(String) as unknown });
    expect(second.stderr).toMatch(/pg_spin\s+.*\s(pass|improved|inconclusive)\n/);
    expect((await stored()).runs).toBe(2);
  }, 400_000);

  it('runs the suite with perfguard test and reads the run back with perfguard report', async () => {
    const bin = path.join(dir, 'node_modules/perfguard/bin/perfguard.js');
    fs.rmSync(path.join(dir, 'reports'), { recursive: true, force: true });
    const tested = await runProcess(process.execPath, [bin, 'test', '--rounds', '2', '--db', url, '--', '--ci'], { cwd: dir, env: cleanEnvironment() });
    expect({ code: tested.code, output: tested.output }).toEqual({ code: 0, output: expect.any(String) as unknown });
    expect(fs.existsSync(path.join(dir, 'reports/perfguard-report.json'))).toBe(true);
    expect(tested.output).not.toContain(new URL(url).password);
    const report = await runProcess(process.execPath, [bin, 'report', '--format', 'json'], { cwd: dir, env: { ...cleanEnvironment(), PERFGUARD_DB: url } });
    expect(report.code).toBe(0);
    expect((JSON.parse(report.stdout) as { tests: { name: string }[] }).tests.map((test) => test.name).sort()).toEqual(['pg_benchmark', 'pg_other_file', 'pg_spin']);
  }, 400_000);
});
