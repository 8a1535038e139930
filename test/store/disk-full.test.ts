import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  committedIds,
  ensureBuilt,
  healthyStore,
  inspectStore,
  itWhenAvailable,
  reportedError,
  runWorker,
  storedResultIds,
  type WorkerExit,
} from '../helpers/store-processes';

// Real limits, no mocks: a file size limit (RLIMIT_FSIZE through `ulimit -f`, which needs no
// privilege) and a full disk (a 1 MB tmpfs mounted in a private mount namespace, which leaves
// no mount behind). A writer stores large results until the limit stops it.
const SAMPLES = '4000';
const FILE_SIZE_LIMIT_KB = 1536;

/** The `unshare` prefix that lets this user mount a private tmpfs, or why there is none. */
function findPrivateMount(): { command: string[]; reason?: undefined } | { command?: undefined; reason: string } {
  const command = process.getuid?.() === 0 ? ['unshare', '--mount', '--propagation', 'private'] : ['unshare', '--user', '--map-root-user', '--mount'];
  const probe = spawnSync(command[0] ?? 'unshare', [...command.slice(1), 'sh', '-c', 'mount -t tmpfs -o size=64k tmpfs "$(mktemp -d)"'], { encoding: 'utf8' });
  if (probe.error !== undefined) return { reason: `unshare cannot run: ${probe.error.message}` };
  if (probe.status !== 0) return { reason: `${command.join(' ')} cannot mount a tmpfs: ${probe.stderr.trim()}` };
  return { command };
}

const privateMount = findPrivateMount();
const itWithSmallDisk = itWhenAvailable('Mounting a small tmpfs in a private mount namespace', privateMount.reason);

let tmp: string;
beforeAll(() => {
  ensureBuilt();
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'perfguard-full-'));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** The store after the failure is intact, kept every result the writer reported, and takes the next run. */
async function expectIntactAndUsable(file: string, failed: WorkerExit): Promise<void> {
  const committed = committedIds(failed.stdout);
  expect(committed.length).toBeGreaterThan(0);
  expect(inspectStore(file)).toEqual(healthyStore(storedResultIds(file).length));
  expect(committed.filter((id) => !storedResultIds(file).includes(id))).toEqual([]);
  const next = await runWorker(['write', file, '3']);
  expect(next).toEqual(expect.objectContaining({ code: 0, stderr: '' }));
  expect(inspectStore(file)).toEqual(healthyStore(storedResultIds(file).length));
}

describe('a store that runs out of room while writing', () => {
  it('reports a file size limit clearly and keeps the store intact', async () => {
    const file = path.join(tmp, 'limited', 'perf.db');
    const failed = await runWorker(['write', file, '100000', SAMPLES], ['bash', '-c', `ulimit -f ${FILE_SIZE_LIMIT_KB} && exec "$0" "$@"`]);
    expect(failed.code).toBe(3);
    const error = reportedError(failed.stdout);
    expect(error?.name).toBe('StoreError');
    // A write beyond RLIMIT_FSIZE fails with EFBIG, which SQLite reports as a write I/O error.
    expect(error?.cause).toBe('SQLITE_IOERR_WRITE');
    expect(error?.message).toContain(`I/O error (SQLITE_IOERR_WRITE`);
    expect(error?.message).toContain(`while trying to store a result in the perfguard store, after`);
    expect(error?.message).toContain(`perfguard store ${file}`);
    expect(error?.message).toContain('file size limit (`ulimit -f`)');
    await expectIntactAndUsable(file, failed);
  }, 60_000);

  itWithSmallDisk('reports a full disk (SQLITE_FULL) clearly and keeps the store intact', async () => {
    const mountPoint = fs.mkdtempSync(path.join(tmp, 'small-disk-'));
    const keptCopy = fs.mkdtempSync(path.join(tmp, 'kept-'));
    const file = path.join(mountPoint, 'perf.db');
    // The tmpfs exists only inside the namespace: once the writer has stopped, copy the store
    // (all three files, nothing has it open) out to check it here.
    const script = 'mount -t tmpfs -o size=1m tmpfs "$MOUNT" && "$@"; status=$?; cp -a "$MOUNT"/. "$KEEP"/; exit $status';
    const inNamespace = [...(privateMount.command ?? []), 'env', `MOUNT=${mountPoint}`, `KEEP=${keptCopy}`, 'sh', '-c', script, 'sh'];
    const failed = await runWorker(['write', file, '100000', SAMPLES], inNamespace);
    expect(failed.code).toBe(3);
    const error = reportedError(failed.stdout);
    expect(error?.cause).toBe('SQLITE_FULL');
    expect(error?.message).toMatch(/^The disk holding the perfguard store .*perf\.db is full \(SQLITE_FULL: database or disk is full\); this happened while trying to store a result in the perfguard store, after \d+ ms\. SQLite rolled that write back/);
    expect(error?.message).toContain('Free space on that disk');
    await expectIntactAndUsable(path.join(keptCopy, 'perf.db'), failed);
  }, 60_000);
});
