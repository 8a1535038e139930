import { StoreError } from '../errors';
import { errorCode } from './_busy-retry';
import type { PostgresTarget } from './_pg-url';

/** TLS errors that mean "the server's certificate could not be verified". */
const CERTIFICATE_CODES = [
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
];

/** Errors after which the connection is gone: the pool must not hand it out again. */
const LOST_CONNECTION_CODES = ['ECONNRESET', 'EPIPE', '57P01', '57P02', '08006', '08003', '08000'];

/** Transactions that PostgreSQL aborted to let another one through; running them again is safe. */
export const RETRYABLE_CODES = ['40001', '40P01'];

/** The error's message with the password replaced by `****`, wherever a driver or server put it. */
function scrubbed(target: PostgresTarget, error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const firstLine = message.split('\n')[0] ?? message;
  return target.secret === undefined || target.secret === '' ? firstLine : firstLine.split(target.secret).join('****');
}

/** Whether the connection an error came from is broken. */
export function isConnectionLost(error: unknown): boolean {
  const message = error instanceof Error ? error.message : '';
  return LOST_CONNECTION_CODES.includes(errorCode(error)) || /Connection terminated|connection timeout|Connection ended/i.test(message);
}

/** Whether TLS was refused by a server that has none, which `sslmode=prefer` and `allow` then do without. */
export function isServerWithoutTls(error: unknown): boolean {
  return error instanceof Error && error.message.includes('The server does not support SSL connections');
}

const STORE_OPTIONS = 'PERFGUARD_DB (or --db, or the store option)';

function connectionAdvice(target: PostgresTarget, code: string, detail: string): string | undefined {
  const where = target.host.startsWith('/') ? `the socket folder ${target.host}, port ${target.port}` : `${target.host}:${target.port}`;
  if (code === 'ECONNREFUSED' || (code === 'ENOENT' && target.host.startsWith('/'))) {
    return `no PostgreSQL server accepts connections at ${where} (${code}). Start the server, or fix the host and port in ${STORE_OPTIONS}.`;
  }
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return `the host ${target.host} was not found (${code}). Fix the host in ${STORE_OPTIONS}.`;
  if (code === 'ETIMEDOUT' || /timeout/i.test(detail)) {
    return `no answer from ${where} in time (${detail}). Check that the host and port are right and that a firewall lets this machine through; add connect_timeout=SECONDS to the URL to wait longer.`;
  }
  if (code === '28P01') {
    return `PostgreSQL refused the password of the user "${target.user}" (28P01: ${detail}). Fix the user or the password in the URL, or set PGUSER and PGPASSWORD (or ~/.pgpass) instead of writing the password in the URL.`;
  }
  if (code === '28000') {
    return `PostgreSQL refused the user "${target.user}" (28000: ${detail}). Check that the role exists and may log in, and that the server's pg_hba.conf lets it connect from this machine.`;
  }
  if (code === '3D000') {
    return `the database "${target.database}" does not exist on ${where} (3D000). Create it (createdb -O ${target.user} ${target.database}, or CREATE DATABASE ${target.database} OWNER ${target.user}), or fix the database name in the URL.`;
  }
  if (code === '53300') return `the server has no connection left (53300: ${detail}). Raise max_connections or run fewer writers at once.`;
  if (code === '57P03') return `the server is starting up or shutting down (57P03: ${detail}). Wait for it and run again.`;
  return undefined;
}

function tlsAdvice(target: PostgresTarget, code: string, detail: string): string | undefined {
  if (detail.includes('The server does not support SSL connections')) {
    return `the server at ${target.host}:${target.port} does not offer TLS, but sslmode=${target.sslMode} requires it. Turn ssl on in the server, or, on a network you trust, use sslmode=prefer or sslmode=disable.`;
  }
  if (CERTIFICATE_CODES.includes(code)) {
    return `the server's certificate could not be verified (${code}: ${detail}), as sslmode=${target.sslMode} requires. Name the certificate authority that signed it with sslrootcert=/path/to/ca.crt (or PGSSLROOTCERT), or use sslmode=require to encrypt without verifying the server.`;
  }
  return undefined;
}

function refusalAdvice(target: PostgresTarget, code: string, detail: string): string | undefined {
  if (code === '54000' && detail.includes('index row size')) {
    return `a value is too long for a PostgreSQL index (54000: ${detail}); nothing was written. Test names (and other indexed text) must stay under about 2,700 bytes: shorten the benchmark's name.`;
  }
  if (code !== '42501') return undefined;
  return `the user "${target.user}" lacks a privilege it needs (42501: ${detail}). perfguard needs its own schema "${target.schema}": CREATE on the database to make it (GRANT CREATE ON DATABASE ${target.database} TO ${target.user}), or a schema made for it beforehand (CREATE SCHEMA ${target.schema} AUTHORIZATION ${target.user}); no superuser.`;
}

/**
 * A {@link StoreError} for an error from PostgreSQL or the driver while doing `action` (a verb
 * phrase completed by "the perfguard store", such as `store a result in`): what happened, why
 * and the fix, naming the store by its URL with the password masked.
 */
export function explainPgError(target: PostgresTarget, action: string, error: unknown): StoreError {
  if (error instanceof StoreError) return error;
  const code = errorCode(error);
  const detail = scrubbed(target, error);
  const advice = connectionAdvice(target, code, detail) ?? tlsAdvice(target, code, detail) ?? refusalAdvice(target, code, detail);
  if (advice !== undefined) return new StoreError(`Could not ${action} the perfguard store ${target.location}: ${advice}`, { cause: error });
  if (isConnectionLost(error)) {
    return new StoreError(
      `The connection to the perfguard store ${target.location} was lost while trying to ${action} it (${code || 'no error code'}: ${detail}). An unfinished transaction was rolled back by the server; one lost while committing may or may not have been stored. Check that the server is up and run again.`,
      { cause: error },
    );
  }
  return new StoreError(`Could not ${action} the perfguard store ${target.location} (${code || 'no error code'}): ${detail}`, { cause: error });
}
