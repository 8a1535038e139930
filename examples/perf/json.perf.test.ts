import { benchmark, performanceTest } from 'perfguard';
import { makeOrders, orderTotal, roundTrip } from './workloads';

const orders = makeOrders(1_000);

describe('JSON', () => {
  performanceTest('json_round_trip_1k_orders', { metadata: { orders: orders.length } }, () => roundTrip(orders));

  it('parses a large document within its baseline', async () => {
    const text = JSON.stringify(makeOrders(5_000, 9));
    const report = await benchmark(() => JSON.parse(text) as unknown, 'json_parse_5k_orders', { metadata: { bytes: text.length } });
    expect(report).toHaveNoRegressions({ failOn: 'critical' });
  });

  performanceTest('order_totals_1k', {}, () => orderTotal(orders));
});
