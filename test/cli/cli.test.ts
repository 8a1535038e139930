import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { run } from '../../src/cli/run';
import { MARKDOWN_MARKER } from '../../src/report/render-markdown';
import { runCli } from '../helpers/cli';
import { REPO_ROOT } from '../helpers/packed-project';
import { openStore } from '../../src/store/open-store';
import { plantedHistory, writeHistory } from '../helpers/planted-history';
import { seedStore } from '../helpers/seeded-store';

let tmp: string;
let db: string;

beforeEach(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'perfguard-cli-'));
  db = path.join(tmp, 'perf.db');
  await seedStore(db, [
    { fast_path: 2_000_000, slow_path: 5_000_000, "quote's | pipe": 1_000_000 },
    { fast_path: 2_000_000, slow_path: 8_500_000, "quote's | pipe": 1_000_000 },
  ]);
});
afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('perfguard report', () => {
  it('prints the latest run as a table and exits 1 on a critical regression', async () => {
    const outcome = await runCli(['report', '--db', db], tmp);
    expect(outcome.code).toBe(1);
    expect(outcome.stdout).toMatch(/slow_path\s+8\.\d\d ms \(7 runs\)\s+[45]\.\d\d ms ± [\d.]+ µs \(3 runs\)\s+1\.[67]\dx \[[\d.]+, [\d.]+\]\s+1\.\d\dx\s+critical/);
    expect(outcome.stdout).toMatch(/fast_path\s+.*\s+pass/);
    expect(outcome.stdout).toContain('1 critical, 0 warning');
  });

  it('exits 0 with --fail-on none', async () => {
    expect((await runCli(['report', '--db', db, '--fail-on', 'none'], tmp)).code).toBe(0);
  });

  it('gives the report structure of DESIGN.md as JSON', async () => {
    const outcome = await runCli(['report', '--db', db, '--format', 'json'], tmp);
    const json = JSON.parse(outcome.stdout) as { tests: { name: string; duration: { median: number }; regressions: { severity: string; confidence: number }[] }[] };
    const slow = json.tests.find((test) => test.name === 'slow_path');
    expect(slow?.duration.median).toBeGreaterThan(0.008);
    expect(slow?.duration.median).toBeLessThan(0.009);
    expect(slow?.regressions[0]?.severity).toBe('critical');
    expect(slow?.regressions[0]?.confidence).toBeGreaterThan(0.99);
  });

  it('writes a pull-request comment with --format markdown --output', async () => {
    const outcome = await runCli(['report', '--db', db, '--format', 'markdown', '--output', 'out/comment.md'], tmp);
    expect(outcome.stdout).toBe('');
    const markdown = fs.readFileSync(path.join(tmp, 'out/comment.md'), 'utf8');
    expect(markdown.startsWith(MARKDOWN_MARKER)).toBe(true);
    expect(markdown).toContain("`quote's \\| pipe`");
    expect(markdown).toContain('Compared with baselines from commit `c0ffee0`');
  });

  it('refuses an unknown run id with a one-line reason and exit code 2', async () => {
    const outcome = await runCli(['report', '--db', db, '--run', 'nope'], tmp);
    expect(outcome.code).toBe(2);
    expect(outcome.stderr).toMatch(/^perfguard: No run 'nope' in .*perf\.db/);
    expect(outcome.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('refuses an unknown format', async () => {
    const outcome = await runCli(['report', '--db', db, '--format', 'xml'], tmp);
    expect(outcome.code).toBe(2);
    expect(outcome.stderr).toContain("argument 'xml' is invalid. Allowed choices are table, json, markdown.");
  });
});

describe('perfguard baselines', () => {
  it('lists the current baselines', async () => {
    const outcome = await runCli(['baselines', 'list', '--db', db], tmp);
    expect(outcome.code).toBe(0);
    expect(outcome.stdout).toMatch(/fast_path\s+2\.00 ms ± .*c0ffee0\s+first measurement/);
    const json = JSON.parse((await runCli(['baselines', 'list', '--db', db, '--format', 'json'], tmp)).stdout) as { testName: string }[];
    expect(json.map((entry) => entry.testName).sort()).toEqual(['fast_path', "quote's | pipe", 'slow_path']);
  });

  it('shows one baseline and its history', async () => {
    const shown = await runCli(['baselines', 'show', 'slow_path', '--db', db], tmp);
    expect(shown.stdout).toMatch(/duration\s+median [45]\.\d\d ms/);
    const history = await runCli(['baselines', 'history', 'slow_path', '--db', db], tmp);
    expect(history.stdout).toMatch(/[45]\.\d\d ms\s+c0ffee0\s+first measurement/);
  });

  it('deletes only with --yes, keeping the history', async () => {
    const refused = await runCli(['baselines', 'delete', 'slow_path', '--db', db], tmp);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('needs --yes');
    const deleted = await runCli(['baselines', 'delete', 'slow_path', '--yes', '--db', db], tmp);
    expect(deleted.code).toBe(0);
    const list = await runCli(['baselines', 'list', '--db', db, '--format', 'json'], tmp);
    expect((JSON.parse(list.stdout) as { testName: string }[]).map((e) => e.testName)).not.toContain('slow_path');
    const history = await runCli(['baselines', 'history', 'slow_path', '--db', db], tmp);
    expect(history.stdout).toContain('deleted');
  });

  it('exports a reviewable file that imports back exactly', async () => {
    expect((await runCli(['baselines', 'export', 'baselines.json', '--db', db], tmp)).code).toBe(0);
    const exported = fs.readFileSync(path.join(tmp, 'baselines.json'), 'utf8');
    expect(exported).toMatch(/"durationNs": \[[\d., ]+\]/);
    expect(exported.indexOf('"fast_path"')).toBeLessThan(exported.indexOf('"slow_path"'));
    const copy = path.join(tmp, 'copy.db');
    expect((await runCli(['baselines', 'import', 'baselines.json', '--db', copy], tmp)).stdout).toContain('Imported 3 new baseline epoch(s) of 3');
    expect((await runCli(['baselines', 'import', 'baselines.json', '--db', copy], tmp)).stdout).toContain('Imported 0 new baseline epoch(s) of 3');
    await runCli(['baselines', 'export', 'again.json', '--db', copy], tmp);
    expect(fs.readFileSync(path.join(tmp, 'again.json'), 'utf8')).toBe(exported);
  });

  it.each([
    ['not json at all', /is not valid JSON/],
    ['{"format":"something-else","version":1,"baselines":[]}', /format: expected 'perfguard-baselines'/],
    ['{"format":"perfguard-baselines","version":9,"baselines":[]}', /version: expected 1, received 9/],
  ])('refuses the malformed import %p whole, writing nothing', async (content, message) => {
    fs.writeFileSync(path.join(tmp, 'bad.json'), content);
    const target = path.join(tmp, 'target.db');
    const outcome = await runCli(['baselines', 'import', 'bad.json', '--db', target], tmp);
    expect(outcome.code).toBe(2);
    expect(outcome.stderr).toMatch(message);
    expect(fs.existsSync(target)).toBe(false);
  });

  it('refuses an import with one bad sample, naming its place, and writes nothing', async () => {
    await runCli(['baselines', 'export', 'baselines.json', '--db', db], tmp);
    const file = JSON.parse(fs.readFileSync(path.join(tmp, 'baselines.json'), 'utf8')) as { baselines: { result: { samples: { durationNs: unknown[] } } }[] };
    const last = file.baselines[2];
    if (last !== undefined) last.result.samples.durationNs[4] = 'fast';
    fs.writeFileSync(path.join(tmp, 'bad.json'), JSON.stringify(file));
    const target = path.join(tmp, 'target.db');
    await runCli(['baselines', 'list', '--db', target], tmp);
    const outcome = await runCli(['baselines', 'import', 'bad.json', '--db', target], tmp);
    expect(outcome.code).toBe(2);
    expect(outcome.stderr).toContain('Import refused, nothing was written: baselines[2].result.samples.durationNs[4]: expected a finite number.');
  });
});

describe('perfguard history', () => {
  it("shows a test's runs newest first with commit, median and verdict", async () => {
    const outcome = await runCli(['history', 'slow_path', '--db', db, '--limit', '5'], tmp);
    const lines = outcome.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/date\s+commit\s+branch\s+median\s+factor\s+verdict/);
    expect(lines[1]).toMatch(/c0ffee1\s+main\s+8\.\d\d ms\s+1\.[67]\dx\s+critical/);
    expect(lines[2]).toMatch(/c0ffee0\s+main\s+[45]\.\d\d ms\s+–\s+no-baseline/);
  });

  it('shows instructions per call for results counted in instructions mode, and says the mode in JSON', async () => {
    const both = path.join(tmp, 'both-modes.db');
    const store = await openStore(both);
    await writeHistory(store, plantedHistory());
    await store.close();
    const table = (await runCli(['history', 'gamma', '--db', both, '--limit', '6'], tmp)).stdout.trim().split('\n').slice(1);
    expect(table.filter((line) => / M instr /.test(line))).toHaveLength(3);
    expect(table.filter((line) => / (ns|µs|ms) /.test(line))).toHaveLength(3);
    const json = JSON.parse((await runCli(['history', 'gamma', '--db', both, '--format', 'json'], tmp)).stdout) as { mode: string; instructionsPerCall: number | null }[];
    expect(json.every((entry) => (entry.mode === 'instructions') === (entry.instructionsPerCall !== null))).toBe(true);
    const epochs = JSON.parse((await runCli(['baselines', 'list', '--db', both, '--format', 'json'], tmp)).stdout) as { testName: string; mode: string; instructionsPerCall: number | null }[];
    expect(epochs.filter((epoch) => epoch.testName === 'gamma').map((epoch) => [epoch.mode, epoch.instructionsPerCall !== null]).sort()).toContainEqual(['instructions', true]);
    expect((await runCli(['baselines', 'history', 'gamma', '--db', both], tmp)).stdout).toMatch(/ M instr /);
  });

  it('refuses a bad --limit', async () => {
    const outcome = await runCli(['history', 'slow_path', '--db', db, '--limit', '0'], tmp);
    expect(outcome.code).toBe(2);
    expect(outcome.stderr).toContain("--limit must be a positive integer, received '0'");
  });
});

describe('perfguard compare', () => {
  it("judges the head store's latest run against the base store's", async () => {
    const base = path.join(tmp, 'base.db');
    const head = path.join(tmp, 'head.db');
    await seedStore(base, [{ fast_path: 2_000_000, slow_path: 5_000_000 }], 'base');
    await seedStore(head, [{ fast_path: 2_000_000, slow_path: 8_000_000, added: 1_000_000 }], 'head');
    const outcome = await runCli(['compare', '--base', base, '--head', head], tmp);
    expect(outcome.code).toBe(1);
    expect(outcome.stdout).toMatch(/slow_path\s+.*1\.[567]\dx.*critical/);
    expect(outcome.stdout).toMatch(/fast_path\s+.*pass/);
    expect(outcome.stdout).toMatch(/added\s+.*no-baseline/);
  });

  it('requires both stores', async () => {
    const outcome = await runCli(['compare', '--base', db], tmp);
    expect(outcome.code).toBe(2);
    expect(outcome.stderr).toContain("required option '--head <path>' not specified");
  });
});

describe('perfguard merge', () => {
  it('folds shard stores into one, and merging the same input twice adds nothing', async () => {
    const shard = path.join(tmp, 'shard.db');
    await seedStore(shard, [{ shard_only: 1_000_000 }], 'shard');
    const out = path.join(tmp, 'merged.db');
    const first = await runCli(['merge', out, db, shard], tmp);
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('shard.db: 1 run(s), 1 result(s), 1 baseline epoch(s) added');
    const again = await runCli(['merge', out, shard, db], tmp);
    expect(again.stdout).toContain('shard.db: 0 run(s), 0 result(s), 0 baseline epoch(s) added');
    const merged = new Database(out, { readonly: true });
    expect(merged.prepare('SELECT COUNT(*) AS n FROM results').get()).toEqual({ n: 7 });
    merged.close();
  });
});

describe('perfguard with bad input', () => {
  it('refuses a missing store with exit code 2', async () => {
    const outcome = await runCli(['report', '--db', 'missing.db'], tmp);
    expect(outcome.code).toBe(2);
    expect(outcome.stderr).toMatch(/^perfguard: No perfguard store at .*missing\.db/);
  });

  it('refuses a corrupt store, leaving it as it was', async () => {
    const corrupt = path.join(tmp, 'corrupt.db');
    fs.writeFileSync(corrupt, 'SQLite format 3\u0000'.padEnd(4096, 'x'));
    const before = fs.readFileSync(corrupt);
    const outcome = await runCli(['baselines', 'list', '--db', corrupt], tmp);
    expect(outcome.code).toBe(2);
    expect(outcome.stderr).toMatch(/^perfguard: The perfguard store .*corrupt\.db is corrupt/);
    expect(fs.readFileSync(corrupt).equals(before)).toBe(true);
  });

  it('refuses unknown commands and options', async () => {
    const command = await runCli(['reprot'], tmp);
    expect(command.code).toBe(2);
    expect(command.stderr).toContain("unknown command 'reprot'");
    const option = await runCli(['report', '--colour'], tmp);
    expect(option.code).toBe(2);
    expect(option.stderr).toContain("unknown option '--colour'");
  });

  it.each([
    [['test', '--rounds', '0', '--', '--ci'], /^perfguard: --rounds must be a positive integer, received '0'\./],
    [['test', '--rounds', 'abc', '--', '--ci'], /^perfguard: --rounds must be a positive integer, received 'abc'\./],
    [['test'], /^perfguard: perfguard test needs the Jest arguments after --, such as: perfguard test -- --config jest\.perf\.config\.js/],
    [['test', '--fail-on', 'sometimes', '--', '--ci'], /argument 'sometimes' is invalid/],
  ])('refuses perfguard %p with exit code 2 before running anything', async (argv, message) => {
    const outcome = await runCli(argv, tmp);
    expect(outcome.code).toBe(2);
    expect(outcome.stderr).toMatch(message);
  });

  it('says plainly when Jest is not installed where perfguard test runs', async () => {
    const outcome = await runCli(['test', '--', '--ci'], os.tmpdir());
    expect(outcome.code).toBe(2);
    expect(outcome.stderr).toMatch(/Jest is not installed in .*: npm install --save-dev jest/);
  });

  it('prints help for every command', async () => {
    for (const argv of [['--help'], ['report', '--help'], ['baselines', 'export', '--help'], ['compare', '--help'], ['merge', '--help'], ['history', '--help'], ['test', '--help']]) {
      const outcome = await runCli(argv, tmp);
      expect(outcome.code).toBe(0);
      expect(outcome.stdout).toContain('Usage: perfguard');
    }
  });
});

describe('the built perfguard bin', () => {
  it('runs as a real subprocess with exit codes', async () => {
    const bin = path.join(REPO_ROOT, 'bin/perfguard.js');
    const result = await new Promise<{ code: number | null; stdout: string }>((resolve) => {
      execFile(process.execPath, [bin, 'report', '--db', db], { cwd: tmp }, (error, stdout) => resolve({ code: error === null ? 0 : (error.code as number), stdout }));
    });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('slow_path');
  });
});

describe('perfguard dashboard', () => {
  it('serves the store until told to stop', async () => {
    let stop: () => void = () => undefined;
    const stopped = new Promise<void>((resolve) => (stop = resolve));
    let stdout = '';
    const running = run({
      argv: ['dashboard', '--db', db, '--port', '0'],
      cwd: tmp,
      env: {},
      stdout: { write: (chunk: string) => (stdout += chunk) },
      stderr: { write: () => undefined },
      untilStopped: () => stopped,
    });
    for (let i = 0; i < 100 && !stdout.includes('http://'); i++) await new Promise((resolve) => setTimeout(resolve, 20));
    const url = /http:\/\/127\.0\.0\.1:\d+/.exec(stdout)?.[0] ?? '';
    const overview = (await (await fetch(`${url}/api/overview`)).json()) as { tests: unknown[] };
    expect(overview.tests).toHaveLength(3);
    stop();
    expect(await running).toBe(0);
  });

  it('refuses a bad port', async () => {
    const outcome = await runCli(['dashboard', '--port', 'eighty'], tmp);
    expect(outcome.code).toBe(2);
    expect(outcome.stderr).toContain("--port must be a positive integer, received 'eighty'");
  });
});
