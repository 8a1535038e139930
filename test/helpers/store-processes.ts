import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';

const repoRoot = path.resolve(__dirname, '../..');

/** The script the store's fault tests run as real processes (it uses dist/). */
export const STORE_WORKER = path.join(__dirname, 'store-worker.js');

/** Builds dist/ when it is missing (`npm test` builds before Jest runs). */
export function ensureBuilt(): void {
  if (!fs.existsSync(path.join(repoRoot, 'dist/store/index.js'))) execFileSync('npm', ['run', 'build'], { cwd: repoRoot });
}

/** How a worker process ended and what it printed. */
export interface WorkerExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/**
 * Starts the worker with `args`; `command` runs it through another program first (such as
 * `['bash', '-c', 'ulimit -f 1536 && exec "$0" "$@"']`), which receives node and its arguments.
 */
export function startWorker(args: string[], command: string[] = []): { child: ChildProcess; exit: Promise<WorkerExit> } {
  const [program, ...programArgs] = [...command, process.execPath, STORE_WORKER, ...args];
  const child = spawn(program ?? process.execPath, programArgs, { stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exit = new Promise<WorkerExit>((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })));
  return { child, exit };
}

/** Resolves once a child process has printed a line matching `pattern`. */
export function waitForLine(child: ChildProcess, pattern: RegExp): Promise<void> {
  return new Promise((resolve) => {
    let seen = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      seen += chunk.toString();
      if (pattern.test(seen)) resolve();
    });
  });
}

/** Runs the worker to its end. */
export function runWorker(args: string[], command: string[] = []): Promise<WorkerExit> {
  const { child, exit } = startWorker(args, command);
  child.stdin?.end();
  return exit;
}

/** Ids of the results a worker reported committed (it prints each after its transaction). */
export function committedIds(stdout: string): string[] {
  return [...stdout.matchAll(/^committed (\S+)$/gm)].map((match) => match[1] ?? '');
}

/** The error a worker reported: the perfguard error's name and message and the SQLite code behind it. */
export function reportedError(stdout: string): { name: string; message: string; cause?: string } | undefined {
  const line = /^error (.*)$/m.exec(stdout)?.[1];
  return line === undefined ? undefined : (JSON.parse(line) as { name: string; message: string; cause?: string });
}

/** What a store file holds, read in one snapshot, and what SQLite's full integrity check says. */
export interface StoreHealth {
  integrity: string;
  results: number;
  /** Results missing their reports row, or their baseline epoch; epochs and reports whose result is missing. */
  halfWritten: { resultsWithoutData: number; resultsWithoutEpoch: number; epochsWithoutResult: number; dataWithoutResult: number };
}

/** Counts of results and of anything half-written, in one statement (plain SQL: both backends run it). */
export const HALF_WRITTEN = `SELECT
  (SELECT COUNT(*) FROM results) AS "results",
  (SELECT COUNT(*) FROM results r WHERE NOT EXISTS (SELECT 1 FROM result_data d WHERE d.result_id = r.id)) AS "resultsWithoutData",
  (SELECT COUNT(*) FROM results r WHERE NOT EXISTS (SELECT 1 FROM baselines b WHERE b.result_id = r.id)) AS "resultsWithoutEpoch",
  (SELECT COUNT(*) FROM baselines b WHERE b.result_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM results r WHERE r.id = b.result_id)) AS "epochsWithoutResult",
  (SELECT COUNT(*) FROM result_data d WHERE NOT EXISTS (SELECT 1 FROM results r WHERE r.id = d.result_id)) AS "dataWithoutResult"`;

/** The half-written check alone, on an open handle (one statement, so one snapshot). */
export function halfWritten(db: Database.Database): StoreHealth['halfWritten'] & { results: number } {
  return db.prepare(HALF_WRITTEN).get() as StoreHealth['halfWritten'] & { results: number };
}

/** Opens `file` read-only with plain better-sqlite3 and checks it; the file must hold the perfguard tables. */
export function inspectStore(file: string): StoreHealth {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const integrity = (db.pragma('integrity_check') as { integrity_check: string }[]).map((row) => row.integrity_check).join('; ');
    const { results, ...counts } = halfWritten(db);
    return { integrity, results, halfWritten: counts };
  } finally {
    db.close();
  }
}

/** What a healthy store with `results` results looks like to {@link inspectStore}. */
export function healthyStore(results: number): StoreHealth {
  return { integrity: 'ok', results, halfWritten: { resultsWithoutData: 0, resultsWithoutEpoch: 0, epochsWithoutResult: 0, dataWithoutResult: 0 } };
}

/** Ids of every stored result. */
export function storedResultIds(file: string): string[] {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    return (db.prepare('SELECT id FROM results ORDER BY id').all() as { id: string }[]).map((row) => row.id);
  } finally {
    db.close();
  }
}

/** The bytes of a store and its -wal and -shm files (null where absent), to prove nothing changed. */
export function storeFiles(file: string): Record<string, string | null> {
  const bytes = (name: string): string | null => (fs.existsSync(name) ? fs.readFileSync(name).toString('base64') : null);
  return { db: bytes(file), wal: bytes(`${file}-wal`), shm: bytes(`${file}-shm`) };
}

/**
 * A test that needs a mechanism of the operating system (an unwritable folder for root, a
 * small file system). When the mechanism is missing the test is skipped with a loud warning,
 * or, under CI=true, fails instead.
 */
export function itWhenAvailable(mechanism: string, reasonMissing: string | undefined): jest.It {
  if (reasonMissing === undefined) return it;
  const message = `${mechanism} is not available here (${reasonMissing}), so the tests that need it cannot run`;
  if (process.env['CI'] === 'true') {
    return ((name: string) => it(name, () => {
      throw new Error(`${message}; under CI=true this is a failure, not a skip.`);
    })) as jest.It;
  }
  console.warn(`\n*** SKIPPING STORE FAULT TESTS: ${message}. ***\n`);
  return it.skip;
}

/**
 * A command prefix under which a process cannot write to a folder whose mode forbids it.
 * Root passes such checks through CAP_DAC_OVERRIDE, so for root the prefix drops that
 * capability (setpriv, util-linux). Probed for real: `reason` says why it cannot be done.
 */
export function findPermissionEnforcer(): { command: string[]; reason?: undefined } | { command?: undefined; reason: string } {
  const command = process.getuid?.() === 0 ? ['setpriv', '--bounding-set=-dac_override,-dac_read_search'] : [];
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'perfguard-probe-'));
  try {
    fs.chmodSync(folder, 0o555);
    const [program, ...args] = [...command, process.execPath, '-e', `require('fs').writeFileSync(${JSON.stringify(path.join(folder, 'probe'))}, 'x')`];
    const probe = spawnSync(program ?? process.execPath, args, { encoding: 'utf8' });
    if (probe.error !== undefined) return { reason: `${program ?? ''} cannot run: ${probe.error.message}` };
    if (probe.status === 0) return { reason: `a process started with [${command.join(' ')}] could still write to a folder of mode 0555` };
    if (!probe.stderr.includes('EACCES')) return { reason: `the probe failed for another reason: ${probe.stderr.trim().split('\n')[0] ?? ''}` };
    return { command };
  } finally {
    fs.chmodSync(folder, 0o755);
    fs.rmSync(folder, { recursive: true, force: true });
  }
}
