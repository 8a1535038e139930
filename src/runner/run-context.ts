import { randomUUID } from 'node:crypto';
import os from 'node:os';
import { captureEnvironment, readGitInfo } from '../tracker';
import type { RunRecord } from '../types';

// One run per process unless the Jest reporter (or CI) names the run in PERFGUARD_RUN_ID.
const PROCESS_RUN_ID = randomUUID();

/** Id of the run measurements join: `PERFGUARD_RUN_ID`, else one id per process. */
export function currentRunId(env: NodeJS.ProcessEnv = process.env): string {
  const named = env['PERFGUARD_RUN_ID'];
  return named === undefined || named.trim() === '' ? PROCESS_RUN_ID : named.trim();
}

/** A new run record for this machine and checkout. */
export function createRunRecord(id: string, rootDir: string, env: NodeJS.ProcessEnv = process.env): RunRecord {
  const git = readGitInfo(rootDir, env);
  return {
    id,
    startedAt: new Date().toISOString(),
    endedAt: null,
    commit: git.commit ?? null,
    branch: git.branch ?? null,
    isCi: git.isCi,
    environment: captureEnvironment(),
  };
}

/** Who stores a baseline: the GitHub actor in Actions, else the OS user. */
export function baselineAuthor(env: NodeJS.ProcessEnv = process.env): string | null {
  const actor = env['GITHUB_ACTOR'];
  if (actor !== undefined && actor !== '') return actor;
  try {
    return os.userInfo().username;
  } catch {
    return null;
  }
}
