import { escapeLiteral, Pool, type PoolClient, type QueryResult, type QueryResultRow } from 'pg';
import { StoreError } from '../errors';
import { errorCode } from './_busy-retry';
import { explainPgError, isConnectionLost, isServerWithoutTls, RETRYABLE_CODES } from './_pg-errors';
import { qualify } from './_pg-migrations';
import type { PostgresTarget } from './_pg-url';

/** Connections one store keeps open at most: the dashboard answers a few requests at once. @default 4 */
const POOL_SIZE = 4;

/** Times a transaction that PostgreSQL aborted for a deadlock or serialization failure is run again. */
const TRANSACTION_ATTEMPTS = 5;

/** Runs SQL whose `{name}`s are perfguard's tables, inside a transaction or not. */
export interface PgRunner {
  run<R extends QueryResultRow>(sql: string, values?: unknown[]): Promise<QueryResult<R>>;
}

/** One statement of a write: SQL with `$n` placeholders, and their values. */
export interface PgStatement {
  sql: string;
  values: (string | number | string[])[];
}

/** A value as an SQL literal, escaped by node-postgres. */
function literal(value: string | number | string[]): string {
  if (Array.isArray(value)) return value.length === 0 ? "'{}'::text[]" : `ARRAY[${value.map(escapeLiteral).join(', ')}]::text[]`;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`cannot write the number ${value}`);
    return String(value);
  }
  return escapeLiteral(value);
}

/** The statement with its values written in as literals. */
function inline(statement: PgStatement): string {
  return statement.sql.replace(/\$(\d+)/g, (_, index: string) => {
    const value = statement.values[Number(index) - 1];
    if (value === undefined) throw new Error(`no value for $${index}`);
    return literal(value);
  });
}

function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * A pool of connections to one PostgreSQL database, speaking for perfguard's schema in it.
 * Every failure becomes a {@link StoreError} naming the store (password masked) and the fix.
 */
export class PgDatabase implements PgRunner {
  private pool: Pool;
  private readonly statements = new Map<string, string>();

  constructor(
    readonly target: PostgresTarget,
    private readonly isReadonly: boolean,
  ) {
    this.pool = this.createPool(target.config.ssl);
  }

  private createPool(ssl: PostgresTarget['config']['ssl']): Pool {
    const pool = new Pool({ ...this.target.config, ssl, max: POOL_SIZE, allowExitOnIdle: true });
    // An idle connection the server closed must not end the process; the next query opens another.
    pool.on('error', () => undefined);
    return pool;
  }

  /**
   * Connects once, so that a wrong address, user, password, database or TLS setting is reported
   * before anything else. With sslmode=prefer or allow, a server without TLS is used without it.
   */
  async connect(): Promise<void> {
    try {
      (await this.pool.connect()).release();
    } catch (error) {
      const mayGoWithoutTls = this.target.sslMode === 'prefer' || this.target.sslMode === 'allow';
      if (!mayGoWithoutTls || !isServerWithoutTls(error)) throw explainPgError(this.target, 'connect to', error);
      await this.pool.end();
      this.pool = this.createPool(false);
      await this.connect();
    }
  }

  /** The SQL with perfguard's tables qualified by its schema (computed once per statement). */
  private sql(text: string): string {
    let qualified = this.statements.get(text);
    if (qualified === undefined) {
      qualified = qualify(this.target.schema, text);
      this.statements.set(text, qualified);
    }
    return qualified;
  }

  run<R extends QueryResultRow>(text: string, values: unknown[] = []): Promise<QueryResult<R>> {
    return this.pool.query<R>(this.sql(text), values);
  }

  /** Rows of one read, its errors explained as `action` ('read', …). */
  async rows<R extends QueryResultRow>(text: string, values: unknown[] = [], action = 'read'): Promise<R[]> {
    try {
      return (await this.run<R>(text, values)).rows;
    } catch (error) {
      throw explainPgError(this.target, action, error);
    }
  }

  /**
   * Runs `statements` as one transaction in one round trip: several statements sent as one
   * simple query are one implicit transaction, so an error in any rolls back all of them. A
   * writer on another machine pays the network's latency once per write, not once per statement.
   * @returns how many rows each statement stored or changed
   */
  async script(action: string, statements: PgStatement[]): Promise<number[]> {
    this.refuseIfReadonly(action);
    return this.retrying(action, async () => {
      const text = statements.map((statement) => inline({ ...statement, sql: this.sql(statement.sql) })).join(';\n');
      const outcome = (await this.pool.query(text)) as QueryResult | QueryResult[];
      return (Array.isArray(outcome) ? outcome : [outcome]).map((result) => result.rowCount ?? 0);
    });
  }

  /**
   * Runs `work` in one transaction: all of it, or nothing (for work that reads between writes,
   * such as a migration).
   */
  async transaction<T>(action: string, work: (tx: PgRunner) => Promise<T>): Promise<T> {
    this.refuseIfReadonly(action);
    return this.retrying(action, () => this.once(work));
  }

  private refuseIfReadonly(action: string): void {
    if (this.isReadonly) {
      throw new StoreError(`Cannot ${action} the perfguard store ${this.target.location}: it was opened read-only. Nothing was written.`);
    }
  }

  /** Runs a transaction again from the start when PostgreSQL aborted it to break a deadlock or a serialization conflict. */
  private async retrying<T>(action: string, attempt: () => Promise<T>): Promise<T> {
    for (let count = 1; ; count++) {
      try {
        return await attempt();
      } catch (error) {
        if (count >= TRANSACTION_ATTEMPTS || !RETRYABLE_CODES.includes(errorCode(error))) throw explainPgError(this.target, action, error);
        // The transaction was rolled back whole: running it again cannot store anything twice.
        await pause(5 * count * (1 + Math.random()));
      }
    }
  }

  private async once<T>(work: (tx: PgRunner) => Promise<T>): Promise<T> {
    const client: PoolClient = await this.pool.connect();
    const tx: PgRunner = { run: (text, values = []) => client.query(this.sql(text), values) };
    try {
      await client.query('BEGIN');
      const outcome = await work(tx);
      await client.query('COMMIT');
      client.release();
      return outcome;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      // A broken connection goes back destroyed, never to be handed out again.
      client.release(isConnectionLost(error) ? (error as Error) : undefined);
      throw error;
    }
  }

  close(): Promise<void> {
    return this.pool.end();
  }
}
