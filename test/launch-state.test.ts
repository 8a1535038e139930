import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { LAUNCH_STATE_ENV, readLaunchState, writeLaunchState } from '../src/_launch';

describe('the launch state the reporter hands to `perfguard test`', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'perfguard-launch-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const state = { runId: 'run-1', storePath: 'postgres://alice:hunter2@db/perf', outputDir: 'reports', rootDir: '/project', failOn: 'warning' as const };

  it('is written readable by this user only, since the store URL may hold a password, and read back whole', () => {
    const file = path.join(dir, 'state.json');
    expect(writeLaunchState({ [LAUNCH_STATE_ENV]: file }, state)).toBe(true);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(readLaunchState(file)).toEqual(state);
  });

  it('is not written when perfguard test did not launch this Jest', () => {
    expect(writeLaunchState({}, state)).toBe(false);
    expect(writeLaunchState({ [LAUNCH_STATE_ENV]: '' }, state)).toBe(false);
  });

  it('reads as absent when the file is missing or not a launch state', () => {
    expect(readLaunchState(path.join(dir, 'missing.json'))).toBeUndefined();
    fs.writeFileSync(path.join(dir, 'other.json'), JSON.stringify({ runId: 1 }));
    expect(readLaunchState(path.join(dir, 'other.json'))).toBeUndefined();
  });
});
