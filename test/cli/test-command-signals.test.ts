import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from '../helpers/packed-project';
import { ensureBuilt } from '../helpers/store-processes';

// `perfguard test` cancelled while Jest runs (Ctrl-C, a CI cancel): a real perfguard process,
// a real Jest child. Jest is stopped, perfguard removes its state folder (it can hold a store
// URL with its password), writes no report and exits 128 + the signal's number.
describe('perfguard test, interrupted', () => {
  let dir: string;
  let tmp: string;

  beforeAll(() => ensureBuilt());
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'perfguard-signal-'));
    tmp = path.join(dir, 'tmp');
    fs.mkdirSync(tmp);
    fs.mkdirSync(path.join(dir, 'node_modules'));
    fs.symlinkSync(path.join(REPO_ROOT, 'node_modules/jest'), path.join(dir, 'node_modules/jest'));
    fs.writeFileSync(path.join(dir, 'jest.config.js'), "module.exports = { testEnvironment: 'node', testMatch: ['<rootDir>/slow.test.js'], globalSetup: '<rootDir>/setup.js' };\n");
    // Jest's own process, stubborn on demand: it ignores SIGTERM.
    fs.writeFileSync(path.join(dir, 'setup.js'), "module.exports = async () => {\n  if (process.env.IGNORE_SIGTERM) process.on('SIGTERM', () => {});\n};\n");
    fs.writeFileSync(
      path.join(dir, 'slow.test.js'),
      "const fs = require('node:fs');\ntest('waits', async () => {\n  fs.writeFileSync(process.env.STARTED_FILE, String(process.pid));\n  await new Promise((resolve) => setTimeout(resolve, 60_000));\n}, 120_000);\n",
    );
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it.each([
    ['SIGTERM', 143, 1, false],
    ['SIGINT', 130, 1, false],
    ['SIGTERM', 143, 2, true],
  ] as const)('on %s stops Jest, leaves no state folder and exits %i (signals: %i; Jest ignores SIGTERM: %p)', async (signal, expected, times, ignores) => {
    const started = path.join(dir, 'started');
    const child = spawn(process.execPath, [path.join(REPO_ROOT, 'bin/perfguard.js'), 'test', '--db', path.join(dir, 'perf.db'), '--', '--config', 'jest.config.js', '--ci'], {
      cwd: dir,
      env: { PATH: process.env['PATH'], HOME: dir, TMPDIR: tmp, STARTED_FILE: started, ...(ignores ? { IGNORE_SIGTERM: '1' } : {}) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    while (!fs.existsSync(started) || fs.readFileSync(started, 'utf8') === '') await new Promise((resolve) => setTimeout(resolve, 100));
    const jestPid = Number(fs.readFileSync(started, 'utf8'));
    expect(fs.readdirSync(tmp).filter((name) => name.startsWith('perfguard-test-'))).toHaveLength(1);

    child.kill(signal);
    if (times === 2) {
      // Jest ignores the first: the second kills it.
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(() => process.kill(jestPid, 0)).not.toThrow();
      child.kill(signal);
    }
    expect(await exited).toBe(expected);
    expect(stderr).toContain(`perfguard: interrupted (${signal}); no report written.`);
    expect(fs.readdirSync(tmp).filter((name) => name.startsWith('perfguard-test-'))).toEqual([]);
    expect(fs.existsSync(path.join(dir, 'perfguard-reports'))).toBe(false);
    expect(() => process.kill(jestPid, 0)).toThrow();
  }, 60_000);
});
