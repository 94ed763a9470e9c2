// Drives batchgate through its HTTP API and analyses what the stub and the JVM recorded.
// Every command prints one JSON line (for bench/out/<run>/results.jsonl) and exits non-zero on failure.
//
//   node bench/driver.mjs batch    --base=URL --n=N --mode=sync|async [--target=bench] [--operation=call]
//                                  [--label=..] [--latency-ms=0] [--c=64] [--check-makespan] [--pid=PID]
//                                  [--stub=URL] [--poll-ms=50] [--no-results] [--timeout-s=600]
//   node bench/driver.mjs probe    --base=URL --n=100000 [--interval-ms=10] [--max-seconds=240] [--pid=PID]
//   node bench/driver.mjs rpm      --record=FILE --rpm=6000 [--prefix=/items]
//   node bench/driver.mjs heap     --gclog=FILE [--heapinfo=FILE] [--label=..]
//
// batchgate API assumed (see bench/README.md, "API assumptions"):
//   POST /v1/batches {"target","operation","items":[...],"mode":"sync"|"async"}
//     sync  -> 200 summary, or 202 + Location when longer than batchgate.sync-timeout
//     async -> 202 {id,status,total} (+ Location)
//   GET  /v1/batches/{id}          -> summary {id?,status,total,succeeded,failed,durationMs,startedAt,finishedAt}
//   GET  /v1/batches/{id}/results?offset=&limit=1000 -> {total,offset,limit,results:[{id,status,httpStatus,attempts,durationMs}]}

import http from 'node:http';
import fs from 'node:fs';

const TERMINAL = new Set(['completed', 'failed', 'cancelled']);
const agent = new http.Agent({ keepAlive: true, maxSockets: 4 });

function parseArgs(argv) {
  const opts = {};
  for (const arg of argv) {
    const m = /^--([^=]+)(?:=(.*))?$/.exec(arg);
    if (!m) throw new Error(`unexpected argument ${arg}`);
    opts[m[1]] = m[2] ?? true;
  }
  return opts;
}

// node:http rather than fetch: fetch (undici) gives up on a response after 300 s, a long sync batch would not.
function request(method, url, body, timeoutMs = 600_000) {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    const req = http.request(url, {
      method,
      agent,
      headers: payload
        ? { 'content-type': 'application/json', 'content-length': payload.length, accept: 'application/json' }
        : { accept: 'application/json' },
    }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json;
        try { json = text ? JSON.parse(text) : undefined; } catch { json = undefined; }
        resolve({ status: res.statusCode, headers: res.headers, text, json });
      });
      res.on('error', reject);
    });
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`${method} ${url}: no answer within ${timeoutMs} ms`)));
    req.on('error', reject);
    if (payload) req.write(payload);
    req.end();
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const round = (x, d = 1) => (x === undefined || x === null || Number.isNaN(x) ? null : +x.toFixed(d));

function percentile(sorted, p) {
  if (sorted.length === 0) return null;
  const idx = Math.ceil((p / 100) * sorted.length) - 1;
  return sorted[Math.max(0, Math.min(sorted.length - 1, idx))];
}

// utime + stime of a process in seconds, from /proc/<pid>/stat (fields 14 and 15, in clock ticks of 1/100 s).
function cpuSeconds(pid) {
  if (!pid) return null;
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return null;
  }
}

function batchUrl(base, idOrLocation) {
  return new URL(idOrLocation.startsWith('/') || idOrLocation.startsWith('http')
    ? idOrLocation : `/v1/batches/${encodeURIComponent(idOrLocation)}`, base).toString();
}

function items(n, prefix = 'i-') {
  return Array.from({ length: n }, (_, k) => `${prefix}${k}`);
}

async function pollUntilDone(url, pollMs, deadline) {
  for (;;) {
    const res = await request('GET', url);
    if (res.status !== 200) throw new Error(`GET ${url} -> ${res.status} ${res.text.slice(0, 200)}`);
    if (TERMINAL.has(res.json?.status)) return res.json;
    if (Date.now() > deadline) throw new Error(`batch not finished before the deadline: ${res.text.slice(0, 200)}`);
    await sleep(pollMs);
  }
}

async function fetchResults(base, id) {
  const all = [];
  for (let offset = 0, page = 0; page < 10_000; page++) {
    const url = new URL(`/v1/batches/${encodeURIComponent(id)}/results?offset=${offset}&limit=1000`, base);
    const res = await request('GET', url.toString());
    if (res.status !== 200) throw new Error(`GET ${url} -> ${res.status} ${res.text.slice(0, 200)}`);
    const rows = res.json?.results ?? [];
    all.push(...rows);
    offset += rows.length;
    if (rows.length === 0 || offset >= (res.json?.total ?? 0)) break;
  }
  return all;
}

function serverDurationMs(summary) {
  if (typeof summary.durationMs === 'number') return summary.durationMs;
  const start = Date.parse(summary.startedAt);
  const end = Date.parse(summary.finishedAt);
  return Number.isFinite(start) && Number.isFinite(end) ? end - start : null;
}

async function runBatch(o) {
  const base = o.base;
  const n = Number(o.n);
  const mode = o.mode ?? 'sync';
  const latencyMs = Number(o['latency-ms'] ?? 0);
  const pollMs = Number(o['poll-ms'] ?? 50);
  const deadline = Date.now() + Number(o['timeout-s'] ?? 600) * 1000;
  const body = { target: o.target ?? 'bench', operation: o.operation ?? 'call', items: items(n), mode };

  if (o.stub) await request('POST', `${o.stub}/__reset`);
  const cpuBefore = cpuSeconds(o.pid);
  const t0 = performance.now();
  const res = await request('POST', new URL('/v1/batches', base).toString(), body);
  let summary;
  let id = res.json?.id;
  if (res.status === 200 && mode === 'sync') {
    summary = res.json;
  } else if (res.status === 202) {
    const location = res.headers.location ?? id;
    if (!location) throw new Error(`202 without Location or id: ${res.text.slice(0, 200)}`);
    summary = await pollUntilDone(batchUrl(base, location), pollMs, deadline);
    id = id ?? summary.id ?? decodeURIComponent(String(location).split('/').pop());
  } else {
    throw new Error(`POST /v1/batches (${mode}) -> ${res.status} ${res.text.slice(0, 300)}`);
  }
  const wallMs = performance.now() - t0;
  const cpuAfter = cpuSeconds(o.pid);
  id = id ?? summary.id;

  const out = {
    kind: 'batchgate',
    label: o.label ?? mode,
    mode,
    id: id ?? null,
    n,
    c: o.c ? Number(o.c) : null,
    latencyMs,
    status: summary.status,
    total: summary.total,
    succeeded: summary.succeeded,
    failed: summary.failed,
    wallSeconds: round(wallMs / 1000, 3),
    itemsPerSec: round(n / (wallMs / 1000)),
  };
  const durationMs = serverDurationMs(summary);
  out.serverDurationMs = durationMs;
  out.serverItemsPerSec = durationMs ? round(n / (durationMs / 1000)) : null;
  if (cpuBefore !== null && cpuAfter !== null) {
    out.cpuSeconds = round(cpuAfter - cpuBefore, 2);
    out.cpuMsPerItem = round(((cpuAfter - cpuBefore) * 1000) / n, 3);
    out.coresUsed = round((cpuAfter - cpuBefore) / (wallMs / 1000), 2);
  }
  if (o.stub) {
    const stats = (await request('GET', `${o.stub}/__stats`)).json ?? {};
    out.stubRequests = stats.requests ?? null;
    out.stubMaxInFlight = stats.maxInFlight ?? null;
  }
  if (o['check-makespan']) {
    const c = Number(o.c);
    const boundMs = 1.05 * Math.ceil(n / c) * latencyMs;
    const makespanMs = durationMs ?? wallMs;
    out.makespanMs = Math.round(makespanMs);
    out.makespanBoundMs = Math.round(boundMs);
    out.makespanOk = makespanMs <= boundMs;
  }
  if (!o['no-results'] && id) {
    let rows;
    try {
      rows = await fetchResults(base, id);
    } catch (e) {
      out.resultsError = e.message;
      return out;
    }
    const overhead = rows
      .map((r) => r.durationMs)
      .filter((d) => typeof d === 'number')
      .map((d) => d - latencyMs)
      .sort((a, b) => a - b);
    out.results = rows.length;
    out.overheadP50Ms = percentile(overhead, 50);
    out.overheadP99Ms = percentile(overhead, 99);
    out.overheadMaxMs = percentile(overhead, 100);
    const statuses = {};
    for (const r of rows) statuses[r.httpStatus ?? r.status] = (statuses[r.httpStatus ?? r.status] ?? 0) + 1;
    out.resultStatuses = statuses;
  }
  return out;
}

async function runProbe(o) {
  const base = o.base;
  const n = Number(o.n ?? 100_000);
  const intervalMs = Number(o['interval-ms'] ?? 10);
  const deadline = Date.now() + Number(o['max-seconds'] ?? 240) * 1000;
  const body = { target: o.target ?? 'bench', operation: o.operation ?? 'call', items: items(n), mode: 'async' };

  const t0 = performance.now();
  const res = await request('POST', new URL('/v1/batches', base).toString(), body);
  if (res.status !== 202) throw new Error(`POST /v1/batches (async) -> ${res.status} ${res.text.slice(0, 300)}`);
  const url = batchUrl(base, res.headers.location ?? res.json?.id);
  const submitMs = performance.now() - t0;

  const latencies = [];
  let summary;
  let errors = 0;
  for (;;) {
    const start = performance.now();
    try {
      const r = await request('GET', url, undefined, 30_000);
      if (r.status !== 200) errors++;
      summary = r.json ?? summary;
    } catch {
      errors++;
    }
    latencies.push(performance.now() - start);
    if (TERMINAL.has(summary?.status) || Date.now() > deadline) break;
    await sleep(intervalMs);
  }
  const wallMs = performance.now() - t0;
  latencies.sort((a, b) => a - b);
  const durationMs = summary ? serverDurationMs(summary) : null;
  return {
    kind: 'probe',
    n,
    submitMs: round(submitMs),
    gets: latencies.length,
    getErrors: errors,
    getP50Ms: round(percentile(latencies, 50), 2),
    getP99Ms: round(percentile(latencies, 99), 2),
    getMaxMs: round(percentile(latencies, 100), 2),
    batchStatus: summary?.status ?? null,
    finished: TERMINAL.has(summary?.status),
    succeeded: summary?.succeeded ?? null,
    wallSeconds: round(wallMs / 1000, 3),
    serverItemsPerSec: durationMs ? round(n / (durationMs / 1000)) : null,
  };
}

// Request start times recorded by the stub: achieved rate, and the most requests seen in any sliding window.
function rpmCheck(o) {
  const rpm = Number(o.rpm);
  const prefix = o.prefix ?? '/items';
  const times = fs.readFileSync(o.record, 'utf8')
    .split('\n')
    .filter((l) => l.endsWith(` ${prefix}`))
    .map((l) => Number(l.split(' ')[0]))
    .sort((a, b) => a - b);
  const maxInWindow = (windowMs) => {
    let best = 0;
    for (let lo = 0, hi = 0; hi < times.length; hi++) {
      while (times[hi] - times[lo] >= windowMs) lo++;
      best = Math.max(best, hi - lo + 1);
    }
    return best;
  };
  const spanMs = times.length > 1 ? times[times.length - 1] - times[0] : 0;
  const achievedRpm = spanMs > 0 ? ((times.length - 1) / spanMs) * 60_000 : null;
  const gaps = times.slice(1).map((t, i) => t - times[i]).sort((a, b) => a - b);
  const max60s = maxInWindow(60_000);
  return {
    kind: 'rpm',
    rpm,
    requests: times.length,
    spanSeconds: round(spanMs / 1000, 1),
    achievedRpm: round(achievedRpm),
    achievedRatio: achievedRpm ? round(achievedRpm / rpm, 3) : null,
    max60s,
    max1s: maxInWindow(1000),
    expected1s: round(rpm / 60),
    gapP50Ms: percentile(gaps, 50),
    gapP99Ms: percentile(gaps, 99),
    windowOk: max60s <= rpm,
  };
}

// Heap peak: the largest heap occupancy before any GC (-Xlog:gc), and the largest after one (live data),
// together with the "used" figure from jcmd GC.heap_info taken just before the process stopped.
function heapSummary(o) {
  const toMiB = (v, unit) => Number(v) * ({ K: 1 / 1024, M: 1, G: 1024 }[unit] ?? 1);
  let peakBefore = 0;
  let peakAfter = 0;
  let gcs = 0;
  let maxHeap = null;
  const log = fs.existsSync(o.gclog) ? fs.readFileSync(o.gclog, 'utf8') : '';
  for (const m of log.matchAll(/(\d+)([KMG])->(\d+)([KMG])\((\d+)([KMG])\)/g)) {
    gcs++;
    peakBefore = Math.max(peakBefore, toMiB(m[1], m[2]));
    peakAfter = Math.max(peakAfter, toMiB(m[3], m[4]));
    maxHeap = toMiB(m[5], m[6]);
  }
  let heapInfoUsed = null;
  if (o.heapinfo && fs.existsSync(o.heapinfo)) {
    const m = /used (\d+)K/.exec(fs.readFileSync(o.heapinfo, 'utf8'));
    if (m) heapInfoUsed = Number(m[1]) / 1024;
  }
  return {
    kind: 'heap',
    label: o.label ?? null,
    gcs,
    heapPeakMiB: round(Math.max(peakBefore, heapInfoUsed ?? 0)),
    liveAfterGcMaxMiB: round(peakAfter),
    committedMiB: round(maxHeap),
    usedAtEndMiB: round(heapInfoUsed),
  };
}

const [command, ...rest] = process.argv.slice(2);
const opts = parseArgs(rest);
const commands = {
  batch: () => runBatch(opts),
  probe: () => runProbe(opts),
  rpm: () => rpmCheck(opts),
  heap: () => heapSummary(opts),
};
if (!commands[command]) {
  console.error('usage: driver.mjs batch|probe|rpm|heap --key=value ...');
  process.exit(2);
}
try {
  const result = await commands[command]();
  if (opts.extra) Object.assign(result, JSON.parse(opts.extra));
  console.log(JSON.stringify(result));
  agent.destroy();
} catch (e) {
  console.error(`driver ${command}: ${e.message}`);
  agent.destroy();
  process.exit(1);
}
