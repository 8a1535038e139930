import { Option } from 'commander';
import { ConfigError } from '../errors';
import { openStore as openStoreAt, type PerfguardStore, resolveStorePath } from '../store';

/** A writable stream as the CLI needs it; tests pass string collectors. */
export interface Output {
  write(chunk: string): unknown;
}

/** What every command gets: where it runs and where it writes. */
export interface CommandContext {
  cwd: string;
  env: NodeJS.ProcessEnv;
  stdout: Output;
  stderr: Output;
}

/** Listing formats every listing command takes. */
export type ListFormat = 'table' | 'json';

/**
 * `--db`: a SQLite file or a `postgres://` URL. It never gets a default value, so `--help` cannot
 * print PERFGUARD_DB (a URL may hold a password); commands read the variable when they run.
 */
export function dbOption(description = 'store: a SQLite file or a postgres:// URL (default: PERFGUARD_DB, else baselines/perfguard.db)'): Option {
  return new Option('--db <path|url>', description);
}

/** The store a command works on: `--db`, else PERFGUARD_DB, else baselines/perfguard.db. */
export function openStore(context: CommandContext, db: string | undefined, readonly: boolean): Promise<PerfguardStore> {
  return openStoreAt(resolveStorePath({ path: db, rootDir: context.cwd, env: context.env }), { readonly });
}

/** Runs `work` with a store that is closed afterwards. */
export async function withStore<T>(context: CommandContext, db: string | undefined, readonly: boolean, work: (store: PerfguardStore) => Promise<T>): Promise<T> {
  const store = await openStore(context, db, readonly);
  try {
    return await work(store);
  } finally {
    await store.close();
  }
}

/** Parses `--limit` and friends: a positive integer or a usage error. */
export function parsePositiveInteger(value: string, option: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed <= 0) throw new ConfigError(`${option} must be a positive integer, received '${value}'.`);
  return parsed;
}

/** Prints JSON with a trailing newline. */
export function printJson(context: CommandContext, value: unknown): void {
  context.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}
