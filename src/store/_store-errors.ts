import fs from 'node:fs';
import path from 'node:path';
import { StoreError } from '../errors';
import { errorCode, isBusyError } from './_busy-retry';

/** How long a writer waits for another process's lock before giving up. @default 60000 */
export const BUSY_TIMEOUT_MS = 60_000;

/** File-system errors that mean "this location cannot hold a store". */
const FILE_SYSTEM_CODES = ['EACCES', 'EPERM', 'EROFS', 'EEXIST', 'ENOTDIR', 'ENOSPC', 'EISDIR'];

/** A wait as people read it: `3 ms`, `1.2 s`. */
export function formatWait(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

function firstLines(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const lines = message.split('\n');
  return lines.length > 1 ? `${lines.slice(0, 2).join(' ')} …` : message;
}

/** Whether this process may write to `target` (root passes unless it lacks CAP_DAC_OVERRIDE). */
export function isWritable(target: string): boolean {
  try {
    fs.accessSync(target, fs.constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/** Why a location refuses writes, found by looking at it; undefined when nothing shows. */
function unwritablePart(file: string): string | undefined {
  const folder = path.dirname(file);
  const name = path.basename(file);
  if (fs.existsSync(folder) && !isWritable(folder)) {
    return `its folder ${folder} is not writable, and SQLite must create ${name}-wal and ${name}-shm beside the store`;
  }
  for (const candidate of [file, `${file}-wal`, `${file}-shm`]) {
    if (fs.existsSync(candidate) && !isWritable(candidate)) return `${candidate} is read-only`;
  }
  return undefined;
}

function busyError(file: string, action: string, error: unknown, waitedMs: number, busyTimeoutMs: number): StoreError {
  const code = errorCode(error);
  if (waitedMs >= busyTimeoutMs * 0.9) {
    return new StoreError(
      `The perfguard store ${file} stayed locked by another process for ${formatWait(waitedMs)} while trying to ${action} the perfguard store (${code}); perfguard waits up to ${formatWait(busyTimeoutMs)}. Some process held a lock on it all that time: a perfguard run that is stuck or paused in a debugger, or a tool such as the sqlite3 shell with an unfinished transaction. Find it with \`fuser ${file}\`, end it, and run again.`,
      { cause: error },
    );
  }
  return new StoreError(
    `SQLite answered ${code} after ${formatWait(waitedMs)} while trying to ${action} the perfguard store ${file}, without waiting for the lock: another process was using it at the same moment in a way SQLite does not wait for. Nothing was written. Run again; if it happens again, report it to perfguard with this message.`,
    { cause: error },
  );
}

/**
 * A {@link StoreError} for an error thrown while doing `action` (a verb phrase completed by
 * "the perfguard store FILE", such as `store a result in`) after waiting `waitedMs`, on a
 * connection whose busy timeout is `busyTimeoutMs`: what happened, why, and the fix.
 */
export function explainStoreError(file: string, action: string, error: unknown, waitedMs: number, busyTimeoutMs = BUSY_TIMEOUT_MS): StoreError {
  const code = errorCode(error);
  const detail = firstLines(error);
  if (code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB') {
    return new StoreError(
      `The perfguard store ${file} is corrupt (${detail}); it was left untouched. Restore it from a backup or CI artifact, or move it aside to start a new store.`,
      { cause: error },
    );
  }
  if (isBusyError(error)) return busyError(file, action, error, waitedMs, busyTimeoutMs);
  if (code === 'SQLITE_FULL' || code === 'ENOSPC') {
    return new StoreError(
      `The disk holding the perfguard store ${file} is full (${code}: ${detail}); this happened while trying to ${action} the perfguard store, after ${formatWait(waitedMs)}. SQLite rolled that write back, so the store keeps everything written before it. Free space on that disk, or point PERFGUARD_DB (or the store option) at a disk with room, and run again.`,
      { cause: error },
    );
  }
  if (code.startsWith('SQLITE_IOERR')) {
    return new StoreError(
      `${code.includes('READ') ? 'Reading' : 'Writing'} the perfguard store ${file} failed with an I/O error (${code}: ${detail}) while trying to ${action} the perfguard store, after ${formatWait(waitedMs)}. The usual causes are a file size limit (\`ulimit -f\`) or disk quota reached, or a failing disk. SQLite rolled the unfinished write back, so the store keeps everything written before it. Raise the limit or free space and run again; if the disk is suspect, check the store with \`sqlite3 ${file} 'PRAGMA integrity_check'\`.`,
      { cause: error },
    );
  }
  if (code.startsWith('SQLITE_READONLY') || code.startsWith('SQLITE_CANTOPEN') || FILE_SYSTEM_CODES.includes(code)) {
    const reason = unwritablePart(file) ?? detail;
    const fix = fs.existsSync(file)
      ? "Make the folder and the store's files writable for this user, or copy the store to a writable folder and point PERFGUARD_DB (or the store option, or --db) at the copy."
      : 'Make the folder writable for this user, or point PERFGUARD_DB (or the store option) at a file in a writable folder.';
    return new StoreError(`Cannot ${action} the perfguard store ${file}: ${reason} (${code}). Nothing was changed. ${fix}`, { cause: error });
  }
  return new StoreError(`Could not ${action} the perfguard store ${file} (${code || 'no error code'}, after ${formatWait(waitedMs)}): ${detail}`, {
    cause: error,
  });
}

/**
 * Runs `work`, turning anything but a {@link StoreError} it throws into one that names the
 * file and the action and says how long the work had been waiting when it failed.
 */
export function guardStoreWork<T>(file: string, action: string, work: () => T, busyTimeoutMs = BUSY_TIMEOUT_MS): T {
  const startedMs = performance.now();
  try {
    return work();
  } catch (error) {
    if (error instanceof StoreError) throw error;
    throw explainStoreError(file, action, error, performance.now() - startedMs, busyTimeoutMs);
  }
}
