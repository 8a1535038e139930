// Realistic workloads for the example suite. Inputs are built once, deterministically.
import zlib from 'node:zlib';

function seeded(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state / 2_147_483_648;
  };
}

export interface Order {
  id: number;
  customer: string;
  items: { sku: string; quantity: number; price: number }[];
  note: string;
}

export function makeOrders(count: number, seed = 42): Order[] {
  const random = seeded(seed);
  return Array.from({ length: count }, (_, id) => ({
    id,
    customer: `customer-${Math.floor(random() * 10_000)}@example.com`,
    items: Array.from({ length: 1 + Math.floor(random() * 5) }, () => ({
      sku: `SKU-${Math.floor(random() * 100_000).toString(36).toUpperCase()}`,
      quantity: 1 + Math.floor(random() * 9),
      price: Math.round(random() * 10_000) / 100,
    })),
    note: random() > 0.5 ? 'leave at the door' : 'call on arrival, ring twice',
  }));
}

export function makeNumbers(count: number, seed = 7): number[] {
  const random = seeded(seed);
  return Array.from({ length: count }, () => Math.floor(random() * 1_000_000));
}

export function roundTrip(orders: Order[]): number {
  return (JSON.parse(JSON.stringify(orders)) as Order[]).length;
}

export function orderTotal(orders: Order[]): number {
  let total = 0;
  for (const order of orders) for (const item of order.items) total += item.quantity * item.price;
  return total;
}

const EMAIL = /^[\w.+-]+@([\w-]+\.)+[a-z]{2,}$/i;

export function countValidEmails(lines: string[]): number {
  let valid = 0;
  for (const line of lines) if (EMAIL.test(line)) valid++;
  return valid;
}

export function makeLogLines(count: number, seed = 3): string[] {
  const random = seeded(seed);
  return Array.from({ length: count }, (_, i) =>
    random() > 0.2 ? `user${i}.${Math.floor(random() * 100)}@mail${i % 7}.example.org` : `not an email ${i}`,
  );
}

export function gzipRoundTrip(payload: Buffer): number {
  return zlib.gunzipSync(zlib.gzipSync(payload)).length;
}
