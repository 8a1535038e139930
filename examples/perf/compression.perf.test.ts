import zlib from 'node:zlib';
import { measure, performanceTest } from 'perfguard';
import { gzipRoundTrip, makeOrders } from './workloads';

const payload = Buffer.from(JSON.stringify(makeOrders(2_000, 5)));

performanceTest('gzip_round_trip_payload', { metadata: { bytes: payload.length } }, () => gzipRoundTrip(payload));

it('records one cold brotli compression with measure()', async () => {
  // One run, judged against the single runs recorded before it (see README, "measure").
  const report = await measure('brotli_compress_once', () => zlib.brotliCompressSync(payload).length);
  expect(report.iterations).toBe(1);
});
