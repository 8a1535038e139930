import { execFile, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export const REPO_ROOT = path.resolve(__dirname, '../..');
const JEST_BIN = path.join(REPO_ROOT, 'node_modules/jest/bin/jest.js');

/** Outcome of a real subprocess. */
export interface RunOutcome {
  code: number | null;
  stdout: string;
  stderr: string;
  output: string;
}

/** Runs a command to completion without blocking Jest's event loop. */
export function runProcess(file: string, args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv; timeoutMs?: number }): Promise<RunOutcome> {
  return new Promise((resolve) => {
    execFile(
      file,
      args,
      { cwd: options.cwd, env: options.env ?? process.env, maxBuffer: 64 * 1024 * 1024, timeout: options.timeoutMs ?? 300_000 },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : 1;
        resolve({ code, stdout, stderr, output: `${stdout}\n${stderr}` });
      },
    );
  });
}

/**
 * A fresh project that installs perfguard from its packed tarball. It lives under the
 * repository's .tmp folder, so jest, ts-jest and typescript resolve from the repository
 * (as a project's own devDependencies would), while perfguard and its dependencies come
 * from the tarball's npm install. better-sqlite3 is installed without scripts and given
 * the repository's compiled addon (same version, same Node), instead of compiling it
 * again for two minutes.
 */
export function createPackedProject(name: string): string {
  const base = path.join(REPO_ROOT, '.tmp');
  fs.mkdirSync(base, { recursive: true });
  const dir = fs.mkdtempSync(path.join(base, `${name}-`));
  if (!fs.existsSync(path.join(REPO_ROOT, 'dist/index.js'))) execFileSync('npm', ['run', 'build'], { cwd: REPO_ROOT });
  const packed = execFileSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', dir], { cwd: REPO_ROOT, encoding: 'utf8' });
  const tarball = path.join(dir, (JSON.parse(packed) as { filename: string }[])[0]?.filename ?? '');
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: `e2e-${name}`, private: true, version: '1.0.0' }, null, 2));
  execFileSync('npm', ['install', tarball, '--ignore-scripts', '--no-audit', '--no-fund', '--prefer-offline'], { cwd: dir, stdio: 'pipe' });
  const addon = 'build/Release/better_sqlite3.node';
  const installed = path.join(dir, 'node_modules/better-sqlite3');
  const repoVersion = (JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'node_modules/better-sqlite3/package.json'), 'utf8')) as { version: string }).version;
  const installedVersion = (JSON.parse(fs.readFileSync(path.join(installed, 'package.json'), 'utf8')) as { version: string }).version;
  if (installedVersion === repoVersion) {
    fs.mkdirSync(path.dirname(path.join(installed, addon)), { recursive: true });
    fs.copyFileSync(path.join(REPO_ROOT, 'node_modules/better-sqlite3', addon), path.join(installed, addon));
  } else {
    execFileSync('npm', ['rebuild', 'better-sqlite3'], { cwd: dir, stdio: 'pipe' });
  }
  return dir;
}

/** Writes files (relative path → content) into `dir`. */
export function writeFiles(dir: string, files: Record<string, string>): void {
  for (const [file, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), content);
  }
}

/** This process's environment without perfguard's, Jest's and GitHub's own variables. */
export function cleanEnvironment(): NodeJS.ProcessEnv {
  const clean = { ...process.env };
  for (const key of Object.keys(clean)) if (key.startsWith('PERFGUARD_') || key === 'UPDATE_PERFORMANCE_BASELINE' || key.startsWith('JEST_') || key === 'GITHUB_ACTIONS') delete clean[key];
  return clean;
}

/** Runs the repository's Jest in `dir`, as the project's own `npx jest` would. */
export function runJest(dir: string, args: string[] = [], env: NodeJS.ProcessEnv = {}): Promise<RunOutcome> {
  return runProcess(process.execPath, ['--expose-gc', JEST_BIN, '--ci', ...args], { cwd: dir, env: { ...cleanEnvironment(), ...env } });
}
