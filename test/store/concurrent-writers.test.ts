import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';

// Real processes, as Jest workers are: each opens the same file and writes at the same time.
const WRITERS = 4;
const RESULTS_EACH = 60;
const repoRoot = path.resolve(__dirname, '../..');

const writerScript = `
const { SqliteStore } = require(${JSON.stringify(path.join(repoRoot, 'dist/store'))});
const { captureEnvironment } = require(${JSON.stringify(path.join(repoRoot, 'dist/tracker'))});
const { randomUUID } = require('node:crypto');
const [file, writer, count, startAt] = process.argv.slice(2);
while (Date.now() < Number(startAt)) {}
const store = SqliteStore.open(file);
const run = { id: 'shared-run', startedAt: new Date().toISOString(), endedAt: null, commit: null, branch: null, isCi: false, environment: captureEnvironment() };
store.ensureRun(run);
for (let i = 0; i < Number(count); i++) {
  const id = randomUUID();
  const report = { name: 'w' + writer + '-' + i, duration: { median: 1, p75: 1, iqr: 0 }, memory: { median: 0 }, cpu: { median: 99 }, verdicts: [], place: 'writer ' + writer };
  store.insertResult(
    { id, runId: run.id, testName: report.name, attempt: 1, createdAt: new Date().toISOString(), status: 'pass', environmentKey: 'k', report, samples: { durationNs: [1, 2, 3], heapDeltaBytes: [0, 0, 0], cpuPercent: [99, 99, 99] } },
    { id: randomUUID(), testName: report.name, environmentKey: 'k', createdAt: new Date().toISOString(), commit: null, reason: 'test', createdBy: null, resultId: id, isDeleted: false },
  );
}
store.close();
`;

describe('SqliteStore with several processes writing at once', () => {
  let tmp: string;
  beforeAll(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'perfguard-concurrency-'));
    if (!fs.existsSync(path.join(repoRoot, 'dist/store/index.js'))) execFileSync('npm', ['run', 'build'], { cwd: repoRoot });
  });
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it(`loses nothing and never fails with SQLITE_BUSY (${WRITERS} processes × ${RESULTS_EACH} results)`, async () => {
    const file = path.join(tmp, 'shared.db');
    const scriptFile = path.join(tmp, 'writer.js');
    fs.writeFileSync(scriptFile, writerScript);
    const startAt = String(Date.now() + 1500);
    const exits = await Promise.all(
      Array.from({ length: WRITERS }, (_, writer) =>
        new Promise<{ code: number | null; stderr: string }>((resolve) => {
          const child = spawn(process.execPath, [scriptFile, file, String(writer), String(RESULTS_EACH), startAt]);
          let stderr = '';
          child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
          child.on('close', (code) => resolve({ code, stderr }));
        }),
      ),
    );
    for (const exit of exits) expect(exit).toEqual({ code: 0, stderr: '' });
    const db = new Database(file, { readonly: true });
    expect(db.prepare('SELECT COUNT(*) AS n FROM results').get()).toEqual({ n: WRITERS * RESULTS_EACH });
    expect(db.prepare('SELECT COUNT(*) AS n FROM baselines').get()).toEqual({ n: WRITERS * RESULTS_EACH });
    expect(db.prepare('SELECT COUNT(*) AS n FROM runs').get()).toEqual({ n: 1 });
    db.close();
  }, 60_000);
});
