import fs from 'node:fs';
import path from 'node:path';
import { isInstructionsModeError } from '../../src/errors';
import { loadCallgrindAddon } from '../../src/tracker/instructions/callgrind-addon';
import { countInstructions, type InstructionCount } from '../../src/tracker/instructions/count-instructions';
import { valgrindCommand } from '../../src/tracker/instructions/instructions-support';
import { lastJsonLine, temporaryFolders, transpileSources, valgrindAvailable } from '../helpers/instructions';
import { runProcess } from '../helpers/packed-project';

// Real Node processes under real callgrind, as the launcher will start them. Each launch
// takes tens of seconds, so one child script counts every workload, and the two fresh
// processes that compare counts run side by side. The second first makes 200,000 unrelated
// objects and strings, as a long Jest run would: counts must not depend on what ran before.

/** Counts a set of workloads under Valgrind and prints them as one JSON line. */
const CHILD = `
const fs = require('node:fs');
const { countInstructions } = require('./src/tracker/instructions');

const arithmetic = (n) => () => {
  let s = 0;
  for (let i = 0; i < n; i++) s = (s + i * 7) % 1000003;
  return s;
};
const words = 'alpha beta gamma delta epsilon zeta eta theta'.split(' ');
// Joined, not built with +=: a concatenated string first read after it moved to the old
// generation keeps a level of indirection, which costs 0.7 % more here; whether it does
// depends on when garbage was collected, so on history (see README, Known traps).
const text = Array.from({ length: 200 }, (_, i) => words[i % 8] + ' user' + i + '@host' + (i % 7) + '.com said ' + i * 31 + '; ').join('');
const records = Array.from({ length: 100 }, (_, i) => ({ id: i, name: 'item-' + i, tags: [words[i % 8]], price: i * 1.25 }));
// Allocation, a Map and a Set, a regular expression and a JSON round trip in one call.
const mixed = () => {
  const list = [];
  for (let i = 0; i < 500; i++) list.push({ id: i, label: 'n' + (i % 50) });
  const map = new Map();
  const set = new Set();
  for (const item of list) { map.set(item.label + item.id, item); set.add(item.label); }
  let found = 0;
  const re = /\\b(\\w+)@(\\w+)\\.com\\b/g;
  while (re.exec(text) !== null) found++;
  return found + map.size + set.size + JSON.parse(JSON.stringify(records)).length;
};
// Parsing internalizes every key and short string: V8's string table, which every earlier
// string of the process has filled, is probed for each.
const json = JSON.stringify(Array.from({ length: 300 }, (_, i) => ({ id: i, name: 'n' + i, tag: 't' + (i % 13), price: i * 1.5 })));
const numbers = Array.from({ length: 2000 }, (_, i) => (i * 7919) % 10007);

const history = [];
if (process.env.PERFGUARD_TEST_HISTORY === '1') {
  for (let i = 0; i < 200000; i++) history.push({ i, s: 'x' + i, ['p' + (i % 300)]: i });
}

(async () => {
  const out = {};
  out.arithmetic = await countInstructions(arithmetic(10000), 'arithmetic');
  out.arithmetic13 = await countInstructions(arithmetic(13000), 'arithmetic x1.3');
  out.mixed = await countInstructions(mixed, 'mixed');
  out.jsonParse = await countInstructions(() => JSON.parse(json), 'JSON.parse');
  out.async = await countInstructions(async () => { await null; return mixed(); }, 'async mixed');
  out.empty = await countInstructions(() => undefined, 'empty', { calls: 100 });
  out.sort = await countInstructions((input) => input.sort((a, b) => a - b), 'sort with setup', { setup: () => [...numbers] });
  out.leftBehind = fs.readdirSync(process.env.PERFGUARD_CALLGRIND_DIR).filter((name) => name.startsWith('callgrind.' + process.pid + '.out.'));
  try {
    await countInstructions(() => 1, 'dumps looked for elsewhere', { dumps: { dir: '/nonexistent/perfguard', fileName: /^callgrind/ } });
  } catch (error) {
    out.lost = { name: error.name, message: error.message };
  }
  console.log(JSON.stringify(out));
})().catch((error) => { console.error(error); process.exit(1); });
`;

interface ChildCounts {
  arithmetic: InstructionCount;
  arithmetic13: InstructionCount;
  mixed: InstructionCount;
  jsonParse: InstructionCount;
  async: InstructionCount;
  empty: InstructionCount;
  sort: InstructionCount;
  leftBehind: string[];
  lost: { name: string; message: string };
}

const describeWithValgrind = valgrindAvailable() ? describe : describe.skip;

describeWithValgrind('countInstructions under Valgrind', () => {
  const tempDir = temporaryFolders();
  let sources: string;
  let cacheDir: string;
  let counts: ChildCounts[];

  beforeAll(async () => {
    cacheDir = tempDir('perfguard-cache-');
    await loadCallgrindAddon({ cacheDir });
    sources = transpileSources();
    const child = path.join(sources, 'count-workloads.js');
    fs.writeFileSync(child, CHILD);
    const runs = ['0', '1'].map(async (history) => {
      const dumpDir = tempDir('perfguard-dumps-');
      const command = valgrindCommand([child], { dumpDir, env: { ...process.env, PERFGUARD_CACHE_DIR: cacheDir, PERFGUARD_TEST_HISTORY: history } });
      const outcome = await runProcess(command.command, command.args, { cwd: sources, env: command.env, timeoutMs: 600_000 });
      if (outcome.code !== 0) throw new Error(`child under valgrind exited with ${String(outcome.code)}:\n${outcome.output}`);
      return lastJsonLine<ChildCounts>(outcome);
    });
    counts = await Promise.all(runs);
  }, 660_000);

  afterAll(() => {
    fs.rmSync(sources, { recursive: true, force: true });
  });

  const workloads = ['arithmetic', 'arithmetic13', 'mixed', 'jsonParse', 'async', 'sort'] as const;

  it.each(workloads)('counts %s alike, within 0.1 %, in two fresh processes with different histories', (workload) => {
    const [first, second] = counts.map((c) => c[workload].medianInstructionsPerCall);
    expect(first).toBeGreaterThan(10_000);
    expect(Math.abs((second ?? 0) - (first ?? 0)) / (first ?? 1)).toBeLessThan(0.001);
  });

  it.each(workloads)('counts %s alike, within 0.1 %, between the rounds of one process', (workload) => {
    for (const c of counts) {
      expect(c[workload].instructionsPerCall).toHaveLength(3);
      expect(c[workload].roundSpread).toBeLessThan(0.001);
    }
  });

  it('reads 1.3x the instructions for 1.3x the work', () => {
    // The loop's body is the same instructions per iteration, so the ratio is 1.3 up to the
    // function's fixed cost (about 0.01 % here).
    for (const c of counts) {
      expect(c.arithmetic13.medianInstructionsPerCall / c.arithmetic.medianInstructionsPerCall).toBeCloseTo(1.3, 2);
    }
  });

  it("subtracts the loop's own instructions: an empty function reads about zero, and the overhead is reported", () => {
    for (const c of counts) {
      expect(Math.abs(c.empty.medianInstructionsPerCall)).toBeLessThan(5);
      expect(c.empty.overheadInstructionsPerCall).toBeGreaterThan(50);
      expect(c.async.overheadInstructionsPerCall).toBeGreaterThan(c.mixed.overheadInstructionsPerCall);
    }
  });

  it('awaits async functions and says so', () => {
    for (const c of counts) {
      expect(c.async.isAsync).toBe(true);
      expect(c.mixed.isAsync).toBe(false);
      // The async wrapper adds a promise and an await to the same work.
      expect(c.async.medianInstructionsPerCall / c.mixed.medianInstructionsPerCall).toBeCloseTo(1, 1);
    }
  });

  it('deletes the dumps it read, and says where it looked when it finds none', () => {
    for (const c of counts) {
      expect(c.leftBehind).toEqual([]);
      expect(c.lost.name).toBe('InstructionsModeError');
      expect(c.lost.message).toContain('wrote no dump for this benchmark in /nonexistent/perfguard');
    }
  });

  it('refuses, naming the launcher, in a process that is not under Valgrind', async () => {
    const { addon } = await loadCallgrindAddon({ cacheDir });
    const error: unknown = await countInstructions(() => 1, 'native', { addon }).catch((e: unknown) => e);
    expect(isInstructionsModeError(error)).toBe(true);
    expect((error as Error).message).toContain('perfguard test --instructions');
  });
});
