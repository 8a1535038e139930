import fs from 'node:fs';
import path from 'node:path';
import { cleanEnvironment, createPackedProject, runProcess, writeFiles } from '../helpers/packed-project';
import { valgrindAvailable } from '../helpers/instructions';

// A user's project, perfguard from its packed tarball, counted under Valgrind by
// `perfguard test --instructions`: the addon is built on first use, Jest runs in band under
// callgrind, and the verdicts compare instruction counts. The planted slowdown is extra work
// (more items, each the same size: ids of six digits, so 1.3x the items is 1.3x the bytes), so
// the count moves by about the same factor in every process. The benchmark's options
// are time-mode ones (warmup: 0, iterations): the same file runs in both modes.
const PROJECT_FILES: Record<string, string> = {
  'jest.config.js': `module.exports = {
  testEnvironment: 'node',
  testMatch: ['<rootDir>/perf/**/*.perf.test.js'],
  reporters: ['default', ['perfguard/reporter', { outputDir: 'reports' }]],
};
`,
  'perf/orders.perf.test.js': `const { performanceTest } = require('perfguard');
const size = Math.round(1000 * Number(process.env.E2E_WORK || '1'));
const orders = Array.from({ length: size }, (_, i) => ({ id: 100000 + i, sku: 'SKU-' + (100000 + i), qty: 1 + (i % 5), price: (i % 97) / 10 }));
performanceTest('orders_round_trip', { warmup: 0, iterations: 5 }, () => JSON.parse(JSON.stringify(orders)).length);
`,
};

const describeWithValgrind = valgrindAvailable() ? describe : describe.skip;

describeWithValgrind('perfguard test --instructions in a real Jest project', () => {
  let dir: string;
  let bin: string;

  beforeAll(() => {
    dir = createPackedProject('instructions-e2e');
    writeFiles(dir, PROJECT_FILES);
    bin = path.join(dir, 'node_modules/perfguard/bin/perfguard.js');
  }, 300_000);

  afterAll(() => {
    if (dir !== undefined) fs.rmSync(dir, { recursive: true, force: true });
  });

  const perfguard = (args: string[], env: NodeJS.ProcessEnv = {}) =>
    runProcess(process.execPath, [bin, 'test', '--instructions', ...args, '--', '--ci'], { cwd: dir, env: { ...cleanEnvironment(), PERFGUARD_CACHE_DIR: path.join(dir, '.cache'), ...env } });

  interface CountedReport {
    tests: { name: string; mode: string; status: string; instructions?: { median: number; roundSpread: number }; verdicts: { metricType: string; status: string; regressionFactor: number | null }[] }[];
  }
  const readReport = (): CountedReport => JSON.parse(fs.readFileSync(path.join(dir, 'reports/perfguard-report.json'), 'utf8')) as CountedReport;

  it('founds an instruction baseline, passes the same code, and fails a planted 1.3x with exit code 1', async () => {
    const founding = await perfguard([]);
    expect({ code: founding.code, output: founding.output }).toEqual({ code: 0, output: expect.any(String) as unknown });
    const first = readReport().tests[0];
    expect(first).toMatchObject({ name: 'orders_round_trip', mode: 'instructions', status: 'no-baseline' });
    expect(first?.instructions?.median).toBeGreaterThan(100_000);

    const same = await perfguard([]);
    expect(same.code).toBe(0);
    const again = readReport().tests[0];
    expect(again?.verdicts).toEqual([expect.objectContaining({ metricType: 'instructions', status: 'pass' })]);
    expect(same.stderr).toMatch(/orders_round_trip\s+[\d.]+ [kM] instr\s+[\d.]+ [kM] instr/);

    const slower = await perfguard([], { E2E_WORK: '1.3' });
    expect(slower.code).toBe(1);
    const counted = readReport().tests[0];
    const verdict = counted?.verdicts[0];
    expect(verdict).toMatchObject({ metricType: 'instructions', status: 'warning' });
    // The count holds the collector's work too, which need not scale exactly with the items:
    // 1.304 here in three runs and 1.352 once on CI's machine, both before the ids had six
    // digits. On a miss the counts of all three runs are printed, to tell which run moved.
    const factor = verdict?.regressionFactor ?? 0;
    expect(factor > 1.25 && factor < 1.45 ? 'about 1.3x' : { factor, founding: first?.instructions, same: again?.instructions, slower: counted?.instructions, output: slower.output }).toBe('about 1.3x');
  }, 600_000);

  it('refuses with exit code 2 and the fix when Valgrind is missing', async () => {
    // A PATH with Node and npm but no valgrind (they may share /usr/bin).
    const bare = path.join(dir, '.bare-bin');
    fs.mkdirSync(bare, { recursive: true });
    for (const tool of ['node', 'npm']) {
      const found = (process.env['PATH'] ?? '').split(path.delimiter).map((folder) => path.join(folder, tool)).find((file) => fs.existsSync(file));
      if (found !== undefined && !fs.existsSync(path.join(bare, tool))) fs.symlinkSync(found, path.join(bare, tool));
    }
    const outcome = await perfguard([], { PATH: bare });
    expect(outcome.code).toBe(2);
    expect(outcome.stderr).toMatch(/perfguard: perfguard test --instructions: The instructions mode counts instructions under Valgrind, and `valgrind` is not on PATH\. Install it: `apt-get install -y valgrind`/);
  }, 120_000);
});
