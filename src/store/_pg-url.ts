import os from 'node:os';
import type { PoolConfig } from 'pg';
import { parse } from 'pg-connection-string';
import { ConfigError } from '../errors';
import { nonEmptyEnv } from '../_options';
import { maskPassword } from './store-url';

/** The schema perfguard keeps its tables in when the URL names none (`?schema=`). @default 'perfguard' */
export const DEFAULT_PG_SCHEMA = 'perfguard';

/** How long connecting may take before it fails, unless the URL says `connect_timeout`. @default 10000 */
export const DEFAULT_PG_CONNECT_TIMEOUT_MS = 10_000;

/** The `sslmode` values perfguard honours, as libpq defines them. */
export const SSL_MODES = ['disable', 'allow', 'prefer', 'require', 'verify-ca', 'verify-full'] as const;

/** A libpq `sslmode`. */
export type SslMode = (typeof SSL_MODES)[number];

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/** Where and as whom a store connects, resolved from the URL and the standard `PG*` variables. */
export interface PostgresTarget {
  /** The URL with its password masked: all that messages ever show. */
  location: string;
  host: string;
  port: number;
  database: string;
  user: string;
  /** The schema holding perfguard's tables. */
  schema: string;
  sslMode: SslMode;
  /** The password, only to scrub it from the server's and the driver's messages; never shown. */
  secret: string | undefined;
  /** What node-postgres connects with. */
  config: PoolConfig;
}

function invalid(location: string, why: string): ConfigError {
  return new ConfigError(
    `The store URL ${location} is not a usable PostgreSQL URL: ${why}. Write it as postgres://user:password@host:5432/database (percent-encode : / @ ? # in the user or password, or leave the password out and set PGPASSWORD), in PERFGUARD_DB, --db or the store option.`,
  );
}

function readSslMode(location: string, value: string | undefined): SslMode {
  const mode = value ?? 'prefer';
  if ((SSL_MODES as readonly string[]).includes(mode)) return mode as SslMode;
  throw invalid(location, `sslmode must be one of ${SSL_MODES.join(', ')}, received '${mode}'`);
}

/** The URL with `sslmode` set (allow and prefer are tried as require first) and the `PGSSL*` files the URL does not name. */
function withSslSettings(url: URL, sslMode: SslMode, env: NodeJS.ProcessEnv): string {
  const copy = new URL(url.href);
  copy.searchParams.delete('schema');
  copy.searchParams.set('sslmode', sslMode === 'allow' || sslMode === 'prefer' ? 'require' : sslMode);
  for (const [name, variable] of [['sslrootcert', 'PGSSLROOTCERT'], ['sslcert', 'PGSSLCERT'], ['sslkey', 'PGSSLKEY']] as const) {
    const fromEnv = env[variable];
    if (!copy.searchParams.has(name) && fromEnv !== undefined && fromEnv !== '') copy.searchParams.set(name, fromEnv);
  }
  return copy.href;
}

function parseUrl(url: string, location: string): URL {
  try {
    // As node-postgres does: spaces and stray percent signs are encoded before parsing.
    return new URL(/ |%[^a-f0-9]|%[a-f0-9][^a-f0-9]/i.test(url) ? encodeURI(url).replace(/%25(\d\d)/g, '%$1') : url);
  } catch {
    throw invalid(location, 'it does not parse as a URL (a port that is not a number from 1 to 65535, or an unencoded character in the password?)');
  }
}

function parseConnection(href: string, location: string): ReturnType<typeof parse> {
  try {
    return parse(href, { useLibpqCompat: true });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const code = (error as { code?: unknown }).code;
    if (code === 'ENOENT' || code === 'EACCES') throw invalid(location, `a certificate file it names cannot be read (${message})`);
    if (message.includes('verify-ca')) throw invalid(location, 'sslmode=verify-ca needs the CA certificate to verify against: add sslrootcert=/path/to/ca.crt (or set PGSSLROOTCERT)');
    throw invalid(location, message);
  }
}

/**
 * `connect_timeout` (or `PGCONNECT_TIMEOUT`, named by `source`) in whole seconds, as libpq
 * reads it: 0 or less waits without limit (node-postgres's 0), 1 counts as 2; absent,
 * perfguard's own limit.
 * @throws ConfigError for anything but a whole number of seconds
 */
function readConnectTimeout(location: string, raw: string | null, source: string): number {
  if (raw === null) return DEFAULT_PG_CONNECT_TIMEOUT_MS;
  if (!/^-?\d{1,6}$/.test(raw.trim())) throw invalid(location, `${source} must be a whole number of seconds (0 for no limit), received '${raw}'`);
  const seconds = Number(raw.trim());
  return seconds <= 0 ? 0 : Math.max(seconds, 2) * 1000;
}

/**
 * Reads a `postgres://` URL: host, port, database and user from the URL, else from `PGHOST`,
 * `PGPORT`, `PGDATABASE`, `PGUSER` (else localhost, 5432, the user's name); the password from
 * the URL, else `PGPASSWORD`, else `~/.pgpass` (`PGPASSFILE`); `sslmode` from the URL, else
 * `PGSSLMODE`, else `prefer`, as libpq does; the schema from `?schema=`, else `perfguard`.
 * @throws ConfigError for a URL that cannot be used, naming what to fix (password masked)
 */
export function parsePostgresUrl(url: string, env: NodeJS.ProcessEnv = process.env): PostgresTarget {
  const location = maskPassword(url);
  const parsed = parseUrl(url, location);
  const schema = parsed.searchParams.get('schema') ?? DEFAULT_PG_SCHEMA;
  if (!SCHEMA_NAME.test(schema)) {
    throw invalid(location, `schema must be a lower-case name of letters, digits and _ (not starting with a digit), received '${schema}'`);
  }
  const sslMode = readSslMode(location, parsed.searchParams.get('sslmode') ?? (env['PGSSLMODE'] || undefined));
  const options = parseConnection(withSslSettings(parsed, sslMode, env), location);
  const user = options.user || env['PGUSER'] || os.userInfo().username;
  const host = options.host || env['PGHOST'] || 'localhost';
  const port = Number(options.port || env['PGPORT'] || 5432);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw invalid(location, `the port must be a number from 1 to 65535, received '${options.port || env['PGPORT'] || ''}'`);
  const database = options.database || env['PGDATABASE'] || user;
  const secret = options.password || env['PGPASSWORD'] || undefined;
  const fromUrl = parsed.searchParams.get('connect_timeout');
  const connectTimeoutMillis =
    fromUrl === null
      ? readConnectTimeout(location, nonEmptyEnv(env['PGCONNECT_TIMEOUT']), 'PGCONNECT_TIMEOUT')
      : readConnectTimeout(location, fromUrl, 'connect_timeout in the URL');
  const config: PoolConfig = {
    host,
    port,
    database,
    user,
    ...(secret === undefined ? {} : { password: secret }),
    ssl: sslMode === 'disable' ? false : (options.ssl as PoolConfig['ssl']),
    application_name: options.application_name ?? 'perfguard',
    ...(options.options === undefined ? {} : { options: options.options }),
    connectionTimeoutMillis: connectTimeoutMillis,
  };
  return { location, host, port, database, user, schema, sslMode, secret, config };
}
