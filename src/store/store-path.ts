import path from 'node:path';
import { isPostgresUrl } from './store-url';

/** Store file under the project root when nothing else is said. */
export const DEFAULT_STORE_RELATIVE_PATH = path.join('baselines', 'perfguard.db');

/**
 * Where the store lives: an explicit path or URL, else `PERFGUARD_DB`, else
 * `baselines/perfguard.db` under `rootDir` (Jest's rootDir, or the working directory).
 * Relative paths resolve against `rootDir`; a `postgres://` URL is returned as it is.
 */
export function resolveStorePath(options: { path?: string | undefined; rootDir?: string; env?: NodeJS.ProcessEnv } = {}): string {
  const rootDir = options.rootDir ?? process.cwd();
  const env = options.env ?? process.env;
  const chosen = options.path ?? (env['PERFGUARD_DB'] === undefined || env['PERFGUARD_DB'] === '' ? undefined : env['PERFGUARD_DB']);
  if (chosen !== undefined && isPostgresUrl(chosen)) return chosen;
  return path.resolve(rootDir, chosen ?? DEFAULT_STORE_RELATIVE_PATH);
}
