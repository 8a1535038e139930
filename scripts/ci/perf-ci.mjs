#!/usr/bin/env node
// The logic behind .github/workflows/performance*.yml, kept here so the test suite can run
// it (test/scripts/perf-ci.test.ts) instead of trusting inline shell in YAML.
//
//   node scripts/ci/perf-ci.mjs mode
//       'update' on pushes to main and on the nightly schedule, else 'judge'; written to
//       $GITHUB_OUTPUT as mode=… and printed.
//   node scripts/ci/perf-ci.mjs check-baselines --db PATH --label NAME
//       Says plainly whether a baseline store was restored; a missing one is not an error.
//   node scripts/ci/perf-ci.mjs compare-base-head --base REF [--command CMD] [--workdir DIR]
//       Measures the base commit and the head commit on this runner, one after the other,
//       into base.db and head.db, then runs `perfguard compare` (markdown to comment.md).
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const perfguardBin = path.resolve(here, '../../bin/perfguard.js');

function option(args, name, fallback) {
  const index = args.indexOf(name);
  if (index === -1) return fallback;
  const value = args[index + 1];
  if (value === undefined || value.startsWith('--')) throw new Error(`${name} needs a value`);
  return value;
}

function appendFile(variable, text) {
  const file = process.env[variable];
  if (file) fs.appendFileSync(file, text);
}

export function decideMode(env) {
  const event = env.GITHUB_EVENT_NAME ?? '';
  const ref = env.GITHUB_REF ?? '';
  if (event === 'schedule') return 'update';
  if (event === 'push' && ref === 'refs/heads/main') return 'update';
  if (event === 'workflow_dispatch' && env.PERFGUARD_FORCE_UPDATE === 'true') return 'update';
  return 'judge';
}

function mode() {
  const decided = decideMode(process.env);
  appendFile('GITHUB_OUTPUT', `mode=${decided}\n`);
  console.log(decided);
  return 0;
}

function checkBaselines(args) {
  const db = path.resolve(option(args, '--db', 'baselines/perfguard.db'));
  const label = option(args, '--label', 'this job');
  if (fs.existsSync(db) && fs.statSync(db).size > 0) {
    console.log(`perfguard: restored the baseline store for ${label} (${fs.statSync(db).size} bytes).`);
    return 0;
  }
  const note = `No baseline store for ${label} yet (no artifact from main). This run measures without one: every test reports no-baseline, nothing fails. The next run on main stores baselines.`;
  console.log(`::notice title=perfguard: no baselines yet::${note}`);
  appendFile('GITHUB_STEP_SUMMARY', `> [!NOTE]\n> ${note}\n\n`);
  return 0;
}

function git(args, cwd) {
  return execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
}

function measure(label, dir, command, db) {
  console.log(`perfguard: measuring ${label} in ${dir}`);
  const result = spawnSync(command, {
    cwd: dir,
    shell: true,
    stdio: 'inherit',
    env: { ...process.env, PERFGUARD_DB: db, UPDATE_PERFORMANCE_BASELINE: 'false', PERFGUARD_RUN_ID: '' },
  });
  if (result.status !== 0 && !fs.existsSync(db)) throw new Error(`measuring ${label} failed (exit ${result.status}) and stored nothing`);
}

function compareBaseHead(args) {
  const base = option(args, '--base');
  if (!base) throw new Error('compare-base-head needs --base REF (the pull request base, such as origin/main)');
  const command = option(args, '--command', 'npm ci && npm run perf');
  const workdir = path.resolve(option(args, '--workdir', '.perf-compare'));
  const repo = git(['rev-parse', '--show-toplevel'], process.cwd());
  const baseSha = git(['rev-parse', '--verify', `${base}^{commit}`], repo);
  fs.rmSync(workdir, { recursive: true, force: true });
  fs.mkdirSync(workdir, { recursive: true });
  const baseTree = path.join(workdir, 'base');
  git(['worktree', 'add', '--detach', baseTree, baseSha], repo);
  try {
    const baseDb = path.join(workdir, 'base.db');
    const headDb = path.join(workdir, 'head.db');
    measure(`base ${baseSha.slice(0, 12)}`, baseTree, command, baseDb);
    measure('head', repo, command, headDb);
    const comment = path.join(workdir, 'comment.md');
    const compare = spawnSync(process.execPath, [perfguardBin, 'compare', '--base', baseDb, '--head', headDb, '--format', 'markdown', '--output', comment, '--fail-on', 'critical'], { stdio: 'inherit' });
    spawnSync(process.execPath, [perfguardBin, 'compare', '--base', baseDb, '--head', headDb, '--fail-on', 'none'], { stdio: 'inherit' });
    appendFile('GITHUB_STEP_SUMMARY', fs.readFileSync(comment, 'utf8'));
    return compare.status ?? 2;
  } finally {
    git(['worktree', 'remove', '--force', baseTree], repo);
  }
}

const commands = { mode, 'check-baselines': checkBaselines, 'compare-base-head': compareBaseHead };

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const [name, ...args] = process.argv.slice(2);
  const command = commands[name];
  if (command === undefined) {
    console.error(`perf-ci: unknown command '${name ?? ''}'. Commands: ${Object.keys(commands).join(', ')}`);
    process.exitCode = 2;
  } else {
    try {
      process.exitCode = command(args);
    } catch (error) {
      console.error(`perf-ci: ${error.message}`);
      process.exitCode = 2;
    }
  }
}
