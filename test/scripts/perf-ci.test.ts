import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from '../helpers/packed-project';

const SCRIPT = path.join(REPO_ROOT, 'scripts/ci/perf-ci.mjs');

function runScript(args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}) {
  const result = spawnSync(process.execPath, [SCRIPT, ...args], {
    cwd: options.cwd ?? REPO_ROOT,
    encoding: 'utf8',
    env: { PATH: process.env['PATH'], HOME: process.env['HOME'], ...options.env },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

let tmp: string;
beforeEach(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'perfguard-ci-'));
});
afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('perf-ci mode', () => {
  it.each([
    [{ GITHUB_EVENT_NAME: 'push', GITHUB_REF: 'refs/heads/main' }, 'update'],
    [{ GITHUB_EVENT_NAME: 'schedule', GITHUB_REF: 'refs/heads/main' }, 'update'],
    [{ GITHUB_EVENT_NAME: 'push', GITHUB_REF: 'refs/heads/develop' }, 'judge'],
    [{ GITHUB_EVENT_NAME: 'pull_request', GITHUB_REF: 'refs/pull/7/merge' }, 'judge'],
    [{ GITHUB_EVENT_NAME: 'workflow_dispatch', PERFGUARD_FORCE_UPDATE: 'true' }, 'update'],
    [{ GITHUB_EVENT_NAME: 'workflow_dispatch', PERFGUARD_FORCE_UPDATE: 'false' }, 'judge'],
  ])('decides %p → %p and writes it to GITHUB_OUTPUT', (env, expected) => {
    const output = path.join(tmp, 'output');
    const result = runScript(['mode'], { env: { ...env, GITHUB_OUTPUT: output } });
    expect(result.code).toBe(0);
    expect(result.stdout.trim()).toBe(expected);
    expect(fs.readFileSync(output, 'utf8')).toBe(`mode=${expected}\n`);
  });

  it('refuses an unknown command with exit code 2', () => {
    const result = runScript(['deploy']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("perf-ci: unknown command 'deploy'");
  });
});

describe('perf-ci check-baselines', () => {
  it('says plainly that no baselines exist yet, without failing', () => {
    const summary = path.join(tmp, 'summary.md');
    const result = runScript(['check-baselines', '--db', path.join(tmp, 'missing.db'), '--label', 'node 22'], { env: { GITHUB_STEP_SUMMARY: summary } });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('::notice title=perfguard: no baselines yet::No baseline store for node 22 yet');
    expect(fs.readFileSync(summary, 'utf8')).toContain('every test reports no-baseline, nothing fails');
  });

  it('reports a restored store', () => {
    fs.writeFileSync(path.join(tmp, 'perfguard.db'), 'SQLite format 3\u0000');
    const result = runScript(['check-baselines', '--db', path.join(tmp, 'perfguard.db'), '--label', 'node 20']);
    expect(result.stdout).toContain('restored the baseline store for node 20');
  });
});

describe('perf-ci compare-base-head in a temporary git repository', () => {
  const perfScript = `
const { PerformanceRegressionTester } = require(${JSON.stringify(path.join(REPO_ROOT, 'dist/index.js'))});
const { loops } = require('./work.json');
const { sqrt } = Math;
function work() { let x = 0; for (let i = 0; i < loops; i++) x += sqrt(i + (x % 7)); return x; }
new PerformanceRegressionTester({ defaults: { time: 300 } }).benchmark(work, 'work_loop').then(() => console.log('measured'));
`;

  function git(args: string[], cwd: string): string {
    return execFileSync('git', args, { cwd, encoding: 'utf8', env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@e', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@e' } });
  }

  it('measures base and head on this machine and fails on a planted 3x slowdown', () => {
    const repo = path.join(tmp, 'repo');
    fs.mkdirSync(repo);
    git(['init', '-q', '-b', 'main'], repo);
    fs.writeFileSync(path.join(repo, 'perf.js'), perfScript);
    fs.writeFileSync(path.join(repo, 'work.json'), JSON.stringify({ loops: 100_000 }));
    git(['add', '.'], repo);
    git(['commit', '-qm', 'base'], repo);
    fs.writeFileSync(path.join(repo, 'work.json'), JSON.stringify({ loops: 300_000 }));
    git(['commit', '-qam', 'slower'], repo);
    const summary = path.join(tmp, 'summary.md');
    const result = runScript(['compare-base-head', '--base', 'HEAD~1', '--command', 'node perf.js', '--workdir', path.join(tmp, 'compare')], {
      cwd: repo,
      env: { GITHUB_STEP_SUMMARY: summary },
    });
    expect(result.code).toBe(1);
    const comment = fs.readFileSync(path.join(tmp, 'compare/comment.md'), 'utf8');
    expect(comment).toContain('## 🔴 perfguard: 1 critical regression');
    expect(comment).toMatch(/`work_loop` .* \| [2-4]\.\d\dx \[/);
    expect(fs.readFileSync(summary, 'utf8')).toContain('<!-- perfguard-report -->');
    expect(git(['worktree', 'list'], repo).trim().split('\n')).toHaveLength(1);
  }, 120_000);

  it('refuses a missing --base', () => {
    const result = runScript(['compare-base-head'], { cwd: tmp });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('compare-base-head needs --base REF');
  });
});

describe('workflow files', () => {
  const validator = path.join(REPO_ROOT, 'node_modules/@action-validator/cli/cli.mjs');
  const workflows = fs.readdirSync(path.join(REPO_ROOT, '.github/workflows')).filter((file) => file.endsWith('.yml'));

  it.each(workflows)('%s is valid against the workflow schema', (file) => {
    const result = spawnSync(process.execPath, [validator, path.join(REPO_ROOT, '.github/workflows', file)], { encoding: 'utf8' });
    expect({ code: result.status, output: result.stdout + result.stderr }).toEqual({ code: 0, output: '' });
  });

  it('the validator does reject a broken workflow', () => {
    const broken = path.join(tmp, 'broken.yml');
    fs.writeFileSync(broken, 'name: broken\non: [push]\njobs:\n  perf:\n    steps:\n      - run: echo no runs-on\n');
    const result = spawnSync(process.execPath, [validator, broken], { encoding: 'utf8' });
    expect(result.status).not.toBe(0);
  });

  it('pins every action to a version and keeps permissions least-privilege', () => {
    for (const file of workflows) {
      const text = fs.readFileSync(path.join(REPO_ROOT, '.github/workflows', file), 'utf8');
      for (const [, action] of text.matchAll(/uses: (\S+)/g)) expect(action).toMatch(/@v\d+(\.\d+){0,2}$/);
      expect(text).toMatch(/^permissions:\n {2}contents: read$/m);
    }
  });
});
