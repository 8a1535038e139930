// Workloads of `npm run bench:verdicts` and `npm run bench:instructions`: ordinary code whose
// speed wanders between processes in different ways. Inputs are built once, deterministically.
import { createRequire } from 'node:module';

const { createSeededRandom } = createRequire(import.meta.url)('../dist/internals.js');

const random = createSeededRandom(20261129);

const NAMES = Array.from({ length: 50 }, (_, i) => `user${i}_${Math.floor(random() * 1e6)}`);
const TAGS = ['red', 'green', 'blue', 'admin', 'beta', 'vip'];
/** Allocation: a thousand small objects with arrays, then a pass over them. */
function alloc() {
  const items = [];
  for (let i = 0; i < 1000; i++) items.push({ id: i, name: NAMES[i % 50], tags: [TAGS[i % 6], TAGS[(i * 7) % 6]] });
  let sum = 0;
  for (const item of items) sum += item.id + item.name.length + item.tags.length;
  return sum;
}

const KEYS = Array.from({ length: 5000 }, (_, i) => `key:${i}:${Math.floor(random() * 1e9).toString(36)}`);
/** Map: five thousand string keys set, then read back. */
function map() {
  const entries = new Map();
  for (let i = 0; i < KEYS.length; i++) entries.set(KEYS[i], i);
  let sum = 0;
  for (let i = 0; i < KEYS.length; i++) sum += entries.get(KEYS[i]);
  return sum;
}

const WORDS = ['lorem', 'ipsum', 'dolor', 'sit', 'amet', 'order', 'id', 'total', 'qty'];
let text = '';
while (text.length < 20_000) {
  const x = random();
  text += x < 0.1 ? `u${Math.floor(random() * 1e4)}@ex${Math.floor(random() * 99)}.com ` : x < 0.3 ? `${Math.floor(random() * 1e6)} ` : `${WORDS[Math.floor(random() * WORDS.length)]} `;
}
const TEXT = text;
/** Regular expressions over 20 KB of text: find the e-mail addresses, mask the numbers. */
function regex() {
  return TEXT.match(/[\w.+-]+@[\w-]+\.[a-z]{2,}/g).length + TEXT.replace(/\d+/g, '#').length;
}

const ORDERS = Array.from({ length: 200 }, (_, i) => ({
  id: i,
  customer: { name: `cust${Math.floor(random() * 1e5)}`, email: `c${i}@shop.example` },
  status: ['new', 'paid', 'shipped'][i % 3],
  items: Array.from({ length: 1 + (i % 4) }, (_, j) => ({ sku: `SKU-${Math.floor(random() * 1e6)}`, qty: 1 + j, price: Math.round(random() * 10_000) / 100 })),
}));
/** JSON: a round trip of two hundred nested orders. */
function json() {
  return JSON.parse(JSON.stringify(ORDERS)).length;
}

// CSV header lines as string literals. V8 caches String.prototype.split results for
// internalized strings in a small cache indexed by each string's hash, and the hash seed is
// random per process: in about a third of processes every line hits the cache (about 2.4 µs a
// call), in the rest some lines keep evicting each other (4.7 to 9 µs). Same code, two speeds.
const HEADERS = [
  'id,name,email,phone,created_at,updated_at,status,plan',
  'order_id,customer_id,sku,qty,unit_price,discount,tax,total,currency',
  'invoice_id,order_id,issued_at,due_at,paid_at,amount,balance,terms',
  'user_id,login,last_seen,ip,agent,locale,timezone,theme,mfa',
  'product_id,title,brand,category,price,stock,weight,width,height,depth',
  'shipment_id,order_id,carrier,tracking,shipped_at,delivered_at,cost',
  'ticket_id,user_id,subject,priority,state,assignee,opened_at,closed_at',
  'event_id,kind,source,payload_size,received_at,processed_at,retries',
  'account_id,owner,tier,seats,mrr,arr,churn_risk,renewal_at,region',
  'address_id,line1,line2,city,state,zip,country,lat,lng',
  'review_id,product_id,user_id,rating,title,body_len,helpful,created_at',
  'coupon_id,code,percent,amount,valid_from,valid_to,max_uses,used',
  'warehouse_id,name,city,capacity,used,manager,opened_at,temperature',
  'supplier_id,name,country,lead_days,rating,contact,email,phone,terms',
  'payment_id,invoice_id,method,amount,fee,status,settled_at,reference',
  'session_id,user_id,started_at,ended_at,pages,referrer,device,os',
  'refund_id,payment_id,amount,reason,requested_at,approved_by,state',
  'cart_id,user_id,items,subtotal,discount,shipping,tax,total,updated_at',
  'log_id,level,service,host,message_len,trace_id,span_id,timestamp',
  'metric_id,name,unit,value,min,max,p50,p95,p99,window',
  'batch_id,job,queued_at,started_at,finished_at,worker,exit_code,attempts',
  'device_id,model,firmware,serial,owner_id,registered_at,last_ping,battery',
  'campaign_id,channel,budget,spent,clicks,impressions,ctr,cpc,start,end',
  'employee_id,first,last,dept,title,manager_id,hired_at,salary,location',
  'flight_id,origin,dest,departs,arrives,aircraft,seats,booked,gate',
  'route_id,service,method,path,handler,timeout_ms,retries,auth,rate_limit',
];
/** Splitting CSV header literals: bimodal between processes (see above). */
function csvHeaders() {
  let count = 0;
  for (let i = 0; i < HEADERS.length; i++) {
    const columns = HEADERS[i].split(',');
    count += columns.length + columns[columns.length - 1].length;
  }
  return count;
}

const { sqrt } = Math;
/** A steady arithmetic loop: the control, nearly the same in every process. */
function arith() {
  let sum = 0;
  for (let i = 1; i <= 20_000; i++) sum += sqrt(i);
  return sum;
}

/** Every workload by name, with what it stands for. */
export const WORKLOADS = {
  alloc: { fn: alloc, kind: 'allocation' },
  map: { fn: map, kind: 'Map' },
  regex: { fn: regex, kind: 'regular expressions' },
  json: { fn: json, kind: 'JSON' },
  'csv-headers': { fn: csvHeaders, kind: 'JIT/VM-sensitive, bimodal' },
  arith: { fn: arith, kind: 'steady arithmetic' },
};
