import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { runsToProve } from '../../src/detector';
import { cleanEnvironment, createPackedProject, runJest, runProcess, writeFiles } from '../helpers/packed-project';

// A user's project: perfguard installed from the packed tarball, TypeScript perf tests
// compiled (and type-checked) by ts-jest, real Jest runs with perfguard's reporter.
// Math is aliased in a local: inside Jest's sandbox every global lookup goes through Jest's
// global proxy, which is slow and runs at different speeds from one jest run to the next.
const SPIN = `
const { sqrt } = Math;
export function spin(n: number): number {
  let x = 0;
  for (let i = 0; i < n; i++) x += sqrt(i + (x % 7));
  return x;
}
export const slowdown = Number(process.env['E2E_SLOWDOWN'] ?? '1');
`;

const PROJECT_FILES: Record<string, string> = {
  'jest.config.js': `module.exports = {
  testEnvironment: 'node',
  testMatch: ['<rootDir>/perf/**/*.perf.test.ts'],
  transform: { '^.+\\\\.ts$': ['ts-jest', {}] },
  setupFilesAfterEnv: ['perfguard/jest'],
  reporters: ['default', ['perfguard/reporter', { outputDir: 'reports' }]],
};
`,
  'jest.bad.config.js': `module.exports = {
  testEnvironment: 'node',
  testMatch: ['<rootDir>/bad/**/*.test.ts'],
  transform: { '^.+\\\\.ts$': ['ts-jest', { diagnostics: false }] },
  setupFilesAfterEnv: ['perfguard/jest'],
  reporters: ['default', 'perfguard/reporter'],
};
`,
  'tsconfig.json': JSON.stringify({
    compilerOptions: {
      target: 'ES2022',
      module: 'node16',
      moduleResolution: 'node16',
      lib: ['ES2022', 'esnext.disposable'],
      strict: true,
      // No esModuleInterop and no perfguard/jest in types: perfguard's .d.ts must work for
      // such a project, and the matchers' types arrive with the perfguard import.
      esModuleInterop: false,
      skipLibCheck: false,
      types: ['jest', 'node'],
    },
  }),
  'perf/spin.ts': SPIN,
  'perf/main.perf.test.ts': `import { benchmark, performanceTest, PerformanceRegressionTester } from 'perfguard';
import { slowdown, spin } from './spin';

performanceTest('e2e_spin', { time: 300, metadata: { loops: 200_000 } }, () => spin(Math.round(200_000 * slowdown)));

performanceTest.skip('e2e_skipped', {}, () => spin(10));

test('benchmark() resolves to a report the matchers understand', async () => {
  const report = await benchmark(() => spin(30_000), 'e2e_benchmark', { time: 300 });
  expect(report.duration.median).toBeGreaterThan(0);
  expect(report).toHaveNoRegressions({ failOn: 'critical' });
});

test('await using measures a block', async () => {
  const tester = new PerformanceRegressionTester();
  const handle = tester.measure('e2e_block');
  {
    await using block = handle;
    spin(500_000 + block.name.length);
  }
  expect(handle.report?.iterations).toBe(1);
});
`,
  'bad/misspelled.test.ts': `import { performanceTest } from 'perfguard';
performanceTest('misspelled', { iteratons: 5 } as never, () => 1);
`,
  'bad/fake-timers.test.ts': `import { benchmark } from 'perfguard';
test('under fake timers', async () => {
  jest.useFakeTimers();
  await benchmark(() => 1, 'frozen');
});
`,
  'bad/throwing.test.ts': `import { benchmark } from 'perfguard';
test('a throwing function', async () => {
  let calls = 0;
  await benchmark(() => { if (++calls > 5) throw new Error('kaput'); return calls; }, 'thrower', { time: 100 });
});
`,
  'bad/reused.test.ts': `import { benchmark } from 'perfguard';
test('first use', async () => { await benchmark(() => 1, 'same_name', { time: 50 }); });
test('second use', async () => { await benchmark(() => 2, 'same_name', { time: 50 }); });
`,
};

function parallelFiles(count: number): Record<string, string> {
  const files: Record<string, string> = {};
  for (let i = 0; i < count; i++) {
    files[`perf/parallel-${i}.perf.test.ts`] = `import { performanceTest } from 'perfguard';
import { spin } from './spin';
performanceTest('parallel_${i}_a', { time: 150 }, () => spin(20_000));
performanceTest('parallel_${i}_b', { time: 150 }, () => spin(40_000));
`;
  }
  return files;
}

interface ResultRow {
  test_name: string;
  status: string;
  run_id: string;
}

function storeRows(dir: string): { results: ResultRow[]; baselines: number; runs: number } {
  const db = new Database(path.join(dir, 'baselines/perfguard.db'), { readonly: true });
  try {
    return {
      results: db.prepare('SELECT test_name, status, run_id FROM results ORDER BY created_at').all() as ResultRow[],
      baselines: (db.prepare('SELECT COUNT(*) AS n FROM baselines').get() as { n: number }).n,
      runs: (db.prepare('SELECT COUNT(*) AS n FROM runs').get() as { n: number }).n,
    };
  } finally {
    db.close();
  }
}

/** Exit code 0; on failure Jest prints the run's output beside the code. */
function expectSuccess(outcome: { code: number | null; output: string }): void {
  expect({ code: outcome.code, output: outcome.output }).toEqual({ code: 0, output: expect.any(String) as unknown });
}

/** A failing exit code; on success Jest prints the run's output, which says why it passed. */
function expectFailure(outcome: { code: number | null; output: string }): void {
  expect({ failed: outcome.code !== 0, output: outcome.output }).toEqual({ failed: true, output: expect.any(String) as unknown });
}

describe('perfguard in a real Jest project, installed from its tarball', () => {
  let dir: string;

  beforeAll(() => {
    dir = createPackedProject('jest-e2e');
    writeFiles(dir, PROJECT_FILES);
  }, 300_000);

  afterAll(() => {
    if (dir !== undefined) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('stores baselines on the first run and passes', async () => {
    const outcome = await runJest(dir);
    expect(outcome.output).toContain('Tests:       1 skipped, 3 passed, 4 total');
    expectSuccess(outcome);
    expect(outcome.stderr).toMatch(/perfguard\n.*test\s+current\s+baseline/);
    expect(outcome.stderr).toMatch(/e2e_spin\s+[\d.]+ ms \(3 runs\)\s+.*no-baseline/);
    const rows = storeRows(dir);
    expect(rows.baselines).toBe(3);
    expect(new Set(rows.results.map((r) => r.run_id)).size).toBe(1);
    const json = JSON.parse(fs.readFileSync(path.join(dir, 'reports/perfguard-report.json'), 'utf8')) as { tests: { name: string; duration: { median: number } }[] };
    expect(json.tests.map((t) => t.name).sort()).toEqual(['e2e_benchmark', 'e2e_block', 'e2e_spin']);
    expect(fs.readFileSync(path.join(dir, 'reports/perfguard-report.md'), 'utf8')).toContain('<!-- perfguard-report -->');
  }, 180_000);

  it('passes an unchanged rerun', async () => {
    const outcome = await runJest(dir);
    expectSuccess(outcome);
    expect(outcome.stderr).toMatch(/e2e_spin\s+.*\s(pass|improved|inconclusive)\n/);
  }, 180_000);

  it('confirms a planted 3x slowdown in fresh Jest processes, then fails naming the test and critical', async () => {
    const outcome = await runJest(dir, [], { E2E_SLOWDOWN: '3' });
    expectFailure(outcome);
    // A planted 3x reads from about 2.5x to 3.5x here: the loop is not the only work, and the machine is shared.
    expect(outcome.output).toMatch(/Performance regression in 'e2e_spin':\s+duration critical: .* → .*, [2-4]\.\d+x \[/);
    expect(outcome.output).toContain('UPDATE_PERFORMANCE_BASELINE=true');
    expect(outcome.stderr).toMatch(/e2e_spin\s+.*critical/);
    expect(outcome.output).toMatch(/perfguard: \d+ performance regression\(s\) at or above critical: .*'e2e_spin' \(critical\)/);
    const json = JSON.parse(fs.readFileSync(path.join(dir, 'reports/perfguard-report.json'), 'utf8')) as {
      tests: { name: string; processes: unknown[]; evidence: { referenceRuns: number }; notes: { code: string; message: string }[] }[];
    };
    const spin = json.tests.find((test) => test.name === 'e2e_spin');
    // The baseline is young (a few runs): the verdict rests on as many runs as ranks need.
    const runs = runsToProve(spin?.evidence.referenceRuns ?? 0, 3);
    expect(runs).toBeGreaterThan(3);
    expect(spin?.processes).toHaveLength(runs);
    expect(outcome.output).toContain(`the verdict rests on ${runs} runs in separate processes`);
    expect(spin?.notes.find((note) => note.code === 'rounds')?.message).toMatch(new RegExp(`measured again in ${runs - 1} of ${runs - 1} fresh process\\(es\\) \\(a fresh Jest process running this test alone\\)`));
  }, 240_000);

  it('accepts the slowdown as the new baseline with UPDATE_PERFORMANCE_BASELINE=true', async () => {
    const update = await runJest(dir, [], { E2E_SLOWDOWN: '3', UPDATE_PERFORMANCE_BASELINE: 'true' });
    expectSuccess(update);
    expect(update.stderr).toMatch(/e2e_spin\s+.*baseline-updated/);
    const judged = await runJest(dir, [], { E2E_SLOWDOWN: '3' });
    expectSuccess(judged);
  }, 300_000);

  it('runs the suite with perfguard test, publishes the reports and exits 0, then 1 on a planted slowdown', async () => {
    const bin = path.join(dir, 'node_modules/perfguard/bin/perfguard.js');
    const env = { ...cleanEnvironment(), E2E_SLOWDOWN: '3' };
    fs.rmSync(path.join(dir, 'reports'), { recursive: true, force: true });
    const unchanged = await runProcess(process.execPath, [bin, 'test', '--rounds', '2', '--', '--ci'], { cwd: dir, env });
    expectSuccess(unchanged);
    expect(unchanged.stderr).toMatch(/e2e_spin\s+.*\s(pass|improved|inconclusive)\n/);
    expect(fs.existsSync(path.join(dir, 'reports/perfguard-report.json'))).toBe(true);
    const slower = await runProcess(process.execPath, [bin, 'test', '--rounds', '2', '--', '--ci'], { cwd: dir, env: { ...env, E2E_SLOWDOWN: '9' } });
    expect({ code: slower.code, output: slower.output }).toEqual({ code: 1, output: expect.any(String) as unknown });
    expect(slower.stderr).toMatch(/perfguard: \d+ performance regression\(s\) at or above critical: .*'e2e_spin' \(critical\)/);
    const report = JSON.parse(fs.readFileSync(path.join(dir, 'reports/perfguard-report.json'), 'utf8')) as { tests: { name: string; processes: unknown[]; evidence: { referenceRuns: number } }[] };
    const spin = report.tests.find((test) => test.name === 'e2e_spin');
    // --rounds 2, or as many runs as ranks need against a young baseline.
    expect(spin?.processes).toHaveLength(runsToProve(spin?.evidence.referenceRuns ?? 0, 2));
    const refused = await runProcess(process.execPath, [bin, 'test', '--rounds', '0', '--', '--ci'], { cwd: dir, env });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain("perfguard: --rounds must be a positive integer, received '0'.");
  }, 400_000);

  it('refuses UPDATE_PERFORMANCE_BASELINE=maybe with a message naming the variable', async () => {
    const outcome = await runJest(dir, [], { UPDATE_PERFORMANCE_BASELINE: 'maybe' });
    expect(outcome.code).not.toBe(0);
    expect(outcome.output).toContain("UPDATE_PERFORMANCE_BASELINE must be true, 1, yes (store new baselines) or false, 0, no (judge against them), received 'maybe'");
  }, 180_000);

  it('loses nothing with --maxWorkers=2 over several files, all in one run', async () => {
    writeFiles(dir, parallelFiles(4));
    const before = storeRows(dir).results.length;
    const outcome = await runJest(dir, ['--maxWorkers=2', '--testPathPatterns', 'parallel-'], { E2E_SLOWDOWN: '2' });
    expectSuccess(outcome);
    const rows = storeRows(dir).results.slice(before);
    const names = new Set(rows.map((r) => r.test_name));
    for (let i = 0; i < 4; i++) for (const suffix of ['a', 'b']) expect(names).toContain(`parallel_${i}_${suffix}`);
    expect(new Set(rows.map((r) => r.run_id)).size).toBe(1);
    expect(outcome.stderr).toContain('ran in parallel with other test files');
    for (let i = 0; i < 4; i++) fs.rmSync(path.join(dir, `perf/parallel-${i}.perf.test.ts`));
  }, 240_000);

  it('gives each bad input a clear error', async () => {
    const outcome = await runJest(dir, ['--config', 'jest.bad.config.js']);
    expect(outcome.code).not.toBe(0);
    expect(outcome.output).toContain("performanceTest('misspelled'): unknown option `iteratons`. Did you mean `iterations`?");
    expect(outcome.output).toMatch(/perfguard cannot measure: .*fake timers.*jest\.useRealTimers\(\)/);
    expect(outcome.output).toMatch(/benchmark 'thrower': the measured function \(or its setup\/teardown\) threw, so nothing was recorded: Error: kaput/);
    expect(outcome.output).toMatch(/benchmark name 'same_name' is used twice in this run: at bad\/reused\.test\.ts:2 › first use and at bad\/reused\.test\.ts:3 › second use/);
    expect(storeRows(dir).results.filter((r) => r.test_name === 'thrower')).toEqual([]);
  }, 180_000);
});
