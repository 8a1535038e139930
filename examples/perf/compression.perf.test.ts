import zlib from 'node:zlib';
import { measure, performanceTest } from 'perfguard';
import { gzipRoundTrip, makeOrders } from './workloads';

const payload = Buffer.from(JSON.stringify(makeOrders(2_000, 5)));

// zlib's speed depends on the C allocator's state, which can flip between runs by about
// 1.4x with no change in the code (see README, "Known traps"): fail only on critical here.
performanceTest('gzip_round_trip_payload', { metadata: { bytes: payload.length }, failOn: 'critical' }, () => gzipRoundTrip(payload));

it('records one cold brotli compression with measure()', async () => {
  // One run, judged against the single runs recorded before it (see README, "measure").
  const quality = { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 5 } };
  const report = await measure('brotli_compress_once', () => zlib.brotliCompressSync(payload, quality).length);
  expect(report.iterations).toBe(1);
});
