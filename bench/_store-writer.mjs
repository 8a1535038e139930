// One writer process of `npm run bench:store`: opens the store at STORE (a file or a
// postgres:// URL) through perfguard's public factory and stores COUNT results, each with its
// baseline epoch in one transaction, as a runner founding baselines would.
//   node bench/_store-writer.mjs STORE COUNT   prints `run ID`, then `committed N` at the end, or `error MESSAGE`
import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import { benchRecord } from './_store-records.mjs';

const require = createRequire(import.meta.url);
const { openStore } = require('../dist/store/index.js');
const { captureEnvironment } = require('../dist/internals.js');

const [location, count] = process.argv.slice(2);
const environment = captureEnvironment();
let committed = 0;
try {
  const store = await openStore(location);
  const run = { id: randomUUID(), startedAt: new Date().toISOString(), endedAt: null, commit: 'bench', branch: 'main', isCi: true, environment };
  process.stdout.write(`run ${run.id}\n`);
  await store.ensureRun(run);
  for (let i = 0; i < Number(count); i++) {
    const { result, epoch } = benchRecord(run, environment, `writer_test_${i % 20}`, 1e-4 * (1 + (i % 7) / 100), i === 0 || i % 10 === 0);
    await store.insertResult(result, epoch);
    committed += 1;
  }
  await store.close();
  process.stdout.write(`committed ${committed}\n`);
} catch (error) {
  process.stdout.write(`committed ${committed}\nerror ${String(error?.message ?? error).split('\n')[0]}\n`);
  process.exitCode = 3;
}
