import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { committedIds, ensureBuilt, healthyStore, inspectStore, runWorker, startWorker, storedResultIds, waitForLine } from '../helpers/store-processes';

const BIN = path.resolve(__dirname, '../../bin/perfguard.js');

let tmp: string;
beforeAll(() => {
  ensureBuilt();
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'perfguard-merge-'));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** Runs the real `perfguard` command in its own process. */
function perfguard(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: tmp });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('perfguard merge while a test run writes to one of its inputs', () => {
  it('merges a whole snapshot each time and every result in the end, and the run never notices', async () => {
    const input = path.join(tmp, 'run.db');
    const out = path.join(tmp, 'merged.db');
    const stopFile = path.join(tmp, 'stop');
    const writer = startWorker(['write', input, '100000', '500', stopFile]);
    writer.child.stdin?.end();
    let writerOutput = '';
    writer.child.stdout?.on('data', (chunk: Buffer) => (writerOutput += chunk.toString()));
    await waitForLine(writer.child, /^committed /m);
    for (let merge = 0; merge < 4; merge++) {
      const committedBefore = committedIds(writerOutput);
      expect(await perfguard(['merge', out, input])).toEqual(expect.objectContaining({ code: 0, stderr: '' }));
      const merged = storedResultIds(out);
      expect(inspectStore(out)).toEqual(healthyStore(merged.length));
      expect(committedBefore.filter((id) => !merged.includes(id))).toEqual([]);
    }
    fs.writeFileSync(stopFile, '');
    const finished = await writer.exit;
    expect(finished).toEqual(expect.objectContaining({ code: 0, stderr: '' }));
    expect(await perfguard(['merge', out, input])).toEqual(expect.objectContaining({ code: 0, stderr: '' }));
    const written = committedIds(finished.stdout);
    expect(inspectStore(input)).toEqual(healthyStore(written.length));
    expect(storedResultIds(out)).toEqual([...written].sort());
    expect(inspectStore(out)).toEqual(healthyStore(written.length));
  }, 120_000);

  it('does not wait for a writer holding the write lock of an input, and leaves out what it has not committed', async () => {
    const input = path.join(tmp, 'locked.db');
    const out = path.join(tmp, 'merged-locked.db');
    const written = committedIds((await runWorker(['write', input, '3'])).stdout);
    const holder = startWorker(['hold', input]);
    await waitForLine(holder.child, /^locked$/m);
    try {
      // Taking the input's write lock, as BEGIN IMMEDIATE on the merging connection would,
      // means waiting for the holder: 60 s, past this test's timeout.
      expect(await perfguard(['merge', out, input])).toEqual(expect.objectContaining({ code: 0, stderr: '' }));
    } finally {
      holder.child.stdin?.end();
    }
    expect(await holder.exit).toEqual(expect.objectContaining({ code: 0, stderr: '' }));
    expect(storedResultIds(out)).toEqual([...written].sort());
    const merged = new Database(out, { readonly: true });
    expect(merged.prepare("SELECT COUNT(*) AS n FROM runs WHERE id = 'uncommitted-run'").get()).toEqual({ n: 0 });
    merged.close();
  }, 45_000);
});
