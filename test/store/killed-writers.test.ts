import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { SCHEMA_VERSION } from '../../src/store/_migrations';
import {
  committedIds,
  ensureBuilt,
  halfWritten,
  healthyStore,
  inspectStore,
  runWorker,
  startWorker,
  storedResultIds,
  type WorkerExit,
} from '../helpers/store-processes';

// Writers killed with SIGKILL at random moments: while starting and creating the store, and
// between or inside transactions (each result carries 3 × 2,000 samples, so a good part of a
// writer's time is spent inside one). Meanwhile this process reads the store over and over.
const ROUNDS = 6;
const WRITERS_PER_ROUND = 3;
const SAMPLES = 2000;

let tmp: string;
beforeAll(() => {
  ensureBuilt();
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'perfguard-killed-'));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function randomInt(below: number): number {
  return Math.floor(Math.random() * below);
}

/** Starts a writer and kills it: after a random delay from its start, or after its k-th commit. */
function killAtRandom(file: string, writer: number): { plan: string; exit: Promise<WorkerExit> } {
  const { child, exit } = startWorker(['write', file, '10000', String(SAMPLES)]);
  const kill = (): boolean => child.kill('SIGKILL');
  if (writer % 2 === 0) {
    const delayMs = randomInt(400);
    setTimeout(kill, delayMs);
    return { plan: `writer ${writer}: killed ${delayMs} ms after start`, exit };
  }
  const commits = 1 + randomInt(15);
  const extraMs = randomInt(6);
  let seen = 0;
  child.stdout?.on('data', (chunk: Buffer) => {
    seen += (chunk.toString().match(/^committed /gm) ?? []).length;
    if (seen >= commits) setTimeout(kill, extraMs);
  });
  return { plan: `writer ${writer}: killed ${extraMs} ms after commit ${commits}`, exit };
}

/** Reads the store again and again while `until` is pending; returns any half-written state seen. */
async function watchWhile(file: string, until: Promise<unknown>): Promise<string[]> {
  const seen: string[] = [];
  let isDone = false;
  void until.finally(() => (isDone = true));
  while (!isDone) {
    await new Promise((resolve) => setTimeout(resolve, 5));
    if (!fs.existsSync(file)) continue;
    const db = new Database(file, { readonly: true });
    try {
      if (db.pragma('user_version', { simple: true }) !== SCHEMA_VERSION) continue;
      const { results: _results, ...counts } = halfWritten(db);
      if (Object.values(counts).some((count) => count !== 0)) seen.push(JSON.stringify(counts));
    } finally {
      db.close();
    }
  }
  return seen;
}

describe('writers killed with SIGKILL', () => {
  it(`leave an intact store with every committed result and no half-written one (${ROUNDS} rounds × ${WRITERS_PER_ROUND} writers)`, async () => {
    const file = path.join(tmp, 'perf.db');
    const committed: string[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const writers = Array.from({ length: WRITERS_PER_ROUND }, (_, writer) => killAtRandom(file, writer));
      const plan = `round ${round}: ${writers.map((w) => w.plan).join('; ')}`;
      const exits = Promise.all(writers.map((w) => w.exit));
      const halfSeen = await watchWhile(file, exits);
      for (const exit of await exits) {
        expect({ plan, stderr: exit.stderr, error: /^error .*/m.exec(exit.stdout)?.[0] }).toEqual({ plan, stderr: '', error: undefined });
        committed.push(...committedIds(exit.stdout));
      }
      expect({ plan, halfSeen }).toEqual({ plan, halfSeen: [] });
      if (!fs.existsSync(file)) continue;
      const stored = storedResultIds(file);
      expect({ plan, health: inspectStore(file) }).toEqual({ plan, health: healthyStore(stored.length) });
      expect({ plan, lost: committed.filter((id) => !stored.includes(id)) }).toEqual({ plan, lost: [] });
    }

    const next = await runWorker(['write', file, '5']);
    expect(next).toEqual(expect.objectContaining({ code: 0, stderr: '' }));
    const stored = storedResultIds(file);
    expect(inspectStore(file)).toEqual(healthyStore(stored.length));
    expect(committed.concat(committedIds(next.stdout)).filter((id) => !stored.includes(id))).toEqual([]);
  }, 120_000);
});
