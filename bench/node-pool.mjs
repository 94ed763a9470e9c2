// Plain-client baseline: N POSTs to <baseUrl>/i-<k> from C async workers pulling from a shared index,
// using Node's built-in fetch.
// Usage: node bench/node-pool.mjs <baseUrl> <N> <C> [warmup]
// Prints one JSON line: {"client":"node-fetch","node":..,"n":..,"c":..,"seconds":..,"itemsPerSec":..,
//   "p50Ms":..,"p99Ms":..,"errors":..,"cpuSeconds":..}

const [baseUrl, nArg, cArg, warmupArg = '0'] = process.argv.slice(2);
if (!baseUrl || !nArg || !cArg) {
  console.error('usage: node-pool.mjs <baseUrl> <N> <C> [warmup]');
  process.exit(2);
}
const n = Number(nArg);
const c = Number(cArg);
const warmup = Number(warmupArg);

async function runPool(count, latencies) {
  let next = 0;
  let errors = 0;
  async function worker() {
    while (next < count) {
      const k = next++;
      const start = process.hrtime.bigint();
      try {
        const res = await fetch(`${baseUrl}/i-${k}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ id: `i-${k}` }),
          signal: AbortSignal.timeout(30_000),
        });
        await res.text();
        if (res.status >= 300) errors++;
      } catch {
        errors++;
      }
      latencies[k] = Number(process.hrtime.bigint() - start) / 1e6;
    }
  }
  await Promise.all(Array.from({ length: Math.min(c, count) }, worker));
  return errors;
}

function percentile(sorted, p) {
  if (sorted.length === 0) return 0;
  const idx = Math.ceil((p / 100) * sorted.length) - 1;
  return sorted[Math.max(0, Math.min(sorted.length - 1, idx))];
}

if (warmup > 0) await runPool(warmup, new Float64Array(warmup));
const latencies = new Float64Array(n);
const cpuBefore = process.cpuUsage();
const t0 = process.hrtime.bigint();
const errors = await runPool(n, latencies);
const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
const cpu = process.cpuUsage(cpuBefore);
latencies.sort();

console.log(JSON.stringify({
  client: 'node-fetch',
  node: process.versions.node,
  n,
  c,
  seconds: +seconds.toFixed(3),
  itemsPerSec: +(n / seconds).toFixed(1),
  p50Ms: +percentile(latencies, 50).toFixed(3),
  p99Ms: +percentile(latencies, 99).toFixed(3),
  errors,
  cpuSeconds: +((cpu.user + cpu.system) / 1e6).toFixed(2),
}));
