import { execFileSync } from 'node:child_process';

/** The commit and branch a run measured, when they can be told. */
export interface GitInfo {
  commit: string | undefined;
  branch: string | undefined;
  isCi: boolean;
}

function git(args: string[], cwd: string): string | undefined {
  try {
    const output = execFileSync('git', args, {
      cwd,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
      timeout: 5000,
    }).trim();
    return output === '' ? undefined : output;
  } catch {
    return undefined;
  }
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}

/**
 * Commit and branch from GitHub Actions' variables (`GITHUB_SHA`, then `GITHUB_HEAD_REF`
 * for pull requests or `GITHUB_REF_NAME`), else from `git` in `cwd`.
 */
export function readGitInfo(cwd: string, env: NodeJS.ProcessEnv = process.env): GitInfo {
  const isCi = env['CI'] !== undefined && env['CI'] !== '' && env['CI'] !== 'false' && env['CI'] !== '0';
  const commit = nonEmpty(env['GITHUB_SHA']) ?? git(['rev-parse', 'HEAD'], cwd);
  let branch = nonEmpty(env['GITHUB_HEAD_REF']) ?? nonEmpty(env['GITHUB_REF_NAME']);
  if (branch === undefined) {
    const head = git(['rev-parse', '--abbrev-ref', 'HEAD'], cwd);
    branch = head === 'HEAD' ? undefined : head;
  }
  return { commit, branch, isCi };
}
