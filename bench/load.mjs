// Open-loop load: POST /api/v1/orders at a fixed arrival rate with varied orders from every demo retailer.
// Each request is timed from its *scheduled* send time, so a slow server cannot hide latency (coordinated omission).
// usage: node bench/load.mjs <apiBaseUrl> <ratePerSecond> <seconds>   -> one JSON line on stdout
import { readFileSync } from 'node:fs';

const [api = 'http://localhost:5080', rate = '100', seconds = '30'] = process.argv.slice(2);
const catalog = JSON.parse(readFileSync(new URL('../Khaacho.Worker/Database/Seed/catalog.json', import.meta.url)));
// Products at least two vendors stock well, so orders spread over vendors instead of queueing on one row.
const stocked = catalog.products.map(p => p.code).filter(code =>
  catalog.vendors.filter(v => v.products.some(o => o.productCode === code && o.stock >= 300)).length >= 2);

const tokens = await Promise.all(catalog.retailers.map(async r => {
  const res = await fetch(`${api}/api/v1/auth/token`, { method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ phone: r.phone, password: catalog.demoLogins.password }) });
  return (await res.json()).accessToken;
}));

let seed = 42;
const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
const pick = list => list[Math.floor(random() * list.length)];

const total = Number(rate) * Number(seconds);
const interval = 1000 / Number(rate);
const latencies = [];
const statuses = {};
const started = performance.now();
const pending = [];
for (let i = 0; i < total; i++) {
  const scheduled = started + i * interval;
  const wait = scheduled - performance.now();
  if (wait > 1) await new Promise(r => setTimeout(r, wait));
  const lines = [...new Set(Array.from({ length: 1 + Math.floor(random() * 3) }, () => pick(stocked)))]
    .map(productCode => ({ productCode, quantity: 1 + Math.floor(random() * 3) }));
  pending.push(fetch(`${api}/api/v1/orders`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${tokens[i % tokens.length]}` },
    body: JSON.stringify({ items: lines }),
    signal: AbortSignal.timeout(10_000),
  }).then(async res => { await res.arrayBuffer(); statuses[res.status] = (statuses[res.status] ?? 0) + 1; },
          err => { statuses[err.name] = (statuses[err.name] ?? 0) + 1; })
    .finally(() => latencies.push(performance.now() - scheduled)));
}
await Promise.all(pending);
const elapsed = (performance.now() - started) / 1000;
latencies.sort((a, b) => a - b);
const at = q => Math.round(latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] * 10) / 10;
console.log(JSON.stringify({ rate: Number(rate), seconds: Number(seconds), sent: total, achieved: Math.round(total / elapsed),
  statuses, p50: at(0.5), p95: at(0.95), p99: at(0.99), max: at(1) }));
