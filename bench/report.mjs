// Prints a run's figures (bench/out/<run>/results.jsonl) as a readable summary with ratios.
// Usage: node bench/report.mjs bench/out/latest/results.jsonl

import fs from 'node:fs';

const file = process.argv[2];
if (!file) {
  console.error('usage: report.mjs <results.jsonl>');
  process.exit(2);
}
const rows = fs.readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
const of = (kind) => rows.filter((r) => r.kind === kind);
const fmt = (x, d = 0) => (x === null || x === undefined ? '–' : Number(x).toFixed(d));
const pad = (s, w) => String(s).padEnd(w);
const rate = (x) => fmt(x).padStart(8);

const params = of('params')[0] ?? {};
console.log(`\n== batchgate benchmark  N=${params.n} C=${params.c} latency=${params.latencyMs} ms `
  + `cores=${params.cores}  ${params.at ?? ''}`);
const load = of('load')[0];
console.log(`   load average (1/5/15 min) at start ${params.loadAtStart ?? '?'}, at end ${load?.end ?? '?'}`
  + `${load ? `, run took ${load.seconds} s` : ''}  (other work on the machine skews every figure)`);

const baselines = [
  ...of('wrk').map((r) => ({ name: 'wrk (ceiling)', ...r })),
  ...of('client').map((r) => ({ name: r.java ? `${r.client} (java ${r.java})` : `${r.client} (node ${r.node})`, ...r })),
];
if (baselines.length) {
  console.log('\n-- ceiling and plain clients (items/s; client-side latency p50/p99; CPU per item)');
  for (const b of baselines) {
    const cpu = b.cpuSeconds !== undefined ? `  cpu ${fmt((b.cpuSeconds * 1000) / b.n, 3)} ms/item` : '';
    const ratio = b.kind === 'wrk' ? '' : `  ${fmt(b.itemsPerSec / of('wrk')[0]?.itemsPerSec, 3)} × wrk`;
    console.log(`${pad(b.name, 34)}${rate(b.itemsPerSec)} items/s  p50 ${fmt(b.p50Ms, 2)} ms  p99 ${fmt(b.p99Ms, 2)} ms`
      + `${ratio}${cpu}${b.errors ? `  ERRORS ${b.errors}` : ''}`);
  }
}

const measured = of('batchgate').filter((r) => !/warmup/.test(r.label));
const throughput = measured.filter((r) => ['cold', 'sync', 'async'].includes(r.label));
if (throughput.length) {
  console.log(`\n-- batchgate (${throughput[0].java ?? 'java ?'}); items/s end to end (server-side in brackets)`);
  for (const r of throughput) {
    const ratios = baselines.map((b) => `${fmt(r.itemsPerSec / b.itemsPerSec, 3)} × ${b.name.replace(/ \(ceiling\)/, '')}`);
    console.log(`${pad(r.label, 6)}${rate(r.itemsPerSec)} items/s (${fmt(r.serverItemsPerSec)})  status ${r.status} `
      + `${r.succeeded}/${r.total} ok, ${r.failed} failed`);
    if (ratios.length) console.log(`        ${ratios.join(' · ')}`);
    console.log(`        per-item overhead p50 ${fmt(r.overheadP50Ms, 1)} ms  p99 ${fmt(r.overheadP99Ms, 1)} ms  `
      + `max ${fmt(r.overheadMaxMs, 1)} ms  (${r.results ?? 0} results${r.resultsError ? `; ${r.resultsError}` : ''})`);
    console.log(`        cpu ${fmt(r.cpuSeconds, 2)} s = ${fmt(r.cpuMsPerItem, 3)} ms/item, ${fmt(r.coresUsed, 2)} cores;  `
      + `stub saw ${r.stubRequests} requests, max ${r.stubMaxInFlight} in flight (C=${r.c})`);
  }
}

for (const h of of('heap')) {
  console.log(`heap (${h.label}): peak ${fmt(h.heapPeakMiB)} MiB, live after GC max ${fmt(h.liveAfterGcMaxMiB)} MiB, `
    + `${h.gcs} GCs, committed ${fmt(h.committedMiB)} MiB`);
}

const makespans = [
  ...of('makespan-reference').map((r) => ({ name: r.java ? `${r.client} (java ${r.java})` : `${r.client} (N at its rate)`, ...r })),
  ...measured.filter((m) => m.makespanMs !== undefined).map((r) => ({ name: 'batchgate', ...r })),
];
if (makespans.length) {
  const r0 = makespans[0];
  console.log(`\n-- makespan: N=${r0.n} C=${r0.c} latency=${r0.latencyMs} ms, bound ${r0.makespanBoundMs} ms `
    + '(1.05 × ceil(N/C) × latency)');
  for (const r of makespans) {
    console.log(`${pad(r.name, 34)}${String(r.makespanMs).padStart(8)} ms → ${r.makespanOk ? 'PASS' : 'FAIL'}`
      + `${r.failed ? `  (${r.failed} failed)` : ''}${r.errors ? `  (${r.errors} errors)` : ''}`);
  }
}

for (const r of of('rpm')) {
  console.log(`\n-- rpm ${r.rpm}: ${r.requests} requests over ${fmt(r.spanSeconds, 1)} s, achieved ${fmt(r.achievedRpm)} rpm `
    + `(${fmt(r.achievedRatio, 3)} × rpm); max in any 60 s window ${r.max60s} → ${r.windowOk ? 'PASS' : 'FAIL'}; `
    + `max in any 1 s ${r.max1s} (even: ${r.expected1s}); gap p50 ${r.gapP50Ms} ms p99 ${r.gapP99Ms} ms`);
}

for (const r of of('probe')) {
  console.log(`\n-- status probe: GET /v1/batches/{id} during a ${r.n}-item batch: ${r.gets} GETs, `
    + `p50 ${fmt(r.getP50Ms, 2)} ms, p99 ${fmt(r.getP99Ms, 2)} ms, max ${fmt(r.getMaxMs, 2)} ms`
    + `${r.getErrors ? `, ${r.getErrors} errors` : ''}; batch ${r.batchStatus}${r.finished ? '' : ' (probe stopped at its time limit)'}`
    + `, ${fmt(r.serverItemsPerSec)} items/s`);
}

for (const r of of('filedrop')) {
  console.log(`\n-- file drop: ${r.n} lines in ${r.seconds} s (${fmt(r.itemsPerSec)} items/s, cpu ${fmt(r.cpuMsPerItem, 3)} ms/item), `
    + `batch ${r.status}, ${r.succeeded ?? '–'} succeeded`);
}

// Cluster mode on this machine: the nodes share its cores, so what is measured is what coordination costs.
const single = measured.find((r) => r.label === 'cluster-single');
const clusterRows = [1, 2, 3].map((nodes) => ({ nodes, runs: measured.filter((r) => r.label === `cluster-${nodes}`),
  store: of('cluster-store').find((r) => r.nodes === nodes) })).filter((c) => c.runs.length);
if (single || clusterRows.length) {
  console.log('\n-- cluster mode (nodes share the cores; items/s summed over the nodes\' batches run at once)');
  if (single) console.log(`${pad('single node (H2)', 24)}${rate(single.itemsPerSec)} items/s  cpu ${fmt(single.cpuMsPerItem, 3)} ms/item`);
  for (const c of clusterRows) {
    c.itemsPerSec = c.runs.reduce((sum, r) => sum + r.itemsPerSec, 0);
    const cpu = c.runs.reduce((sum, r) => sum + (r.cpuSeconds ?? 0), 0) * 1000 / c.runs.reduce((sum, r) => sum + r.n, 0);
    const perItem = c.store ? c.store.transactions / c.store.items : null;
    const statementsPerItem = c.store?.statements >= 0 ? c.store.statements / c.store.items : null;
    console.log(`${pad(`${c.nodes}-node cluster`, 24)}${rate(c.itemsPerSec)} items/s  cpu ${fmt(cpu, 3)} ms/item`
      + `${single ? `  ${fmt(c.itemsPerSec / single.itemsPerSec, 3)} × single` : ''}`
      + `  ${fmt(perItem, 3)} transactions/item  ${fmt(statementsPerItem, 3)} statements/item`);
  }
}

// Issue 10's targets, each from this run's own figures.
const checks = [];
const wrkRate = of('wrk')[0]?.itemsPerSec;
const nodeRate = of('client').find((c) => c.client === 'node-fetch')?.itemsPerSec;
for (const r of throughput.filter((t) => t.label !== 'cold')) {
  if (wrkRate) checks.push([`${r.label}: ≥ 0.12 × wrk (goal 0.25)`, r.itemsPerSec / wrkRate, r.itemsPerSec / wrkRate >= 0.12]);
  if (nodeRate) checks.push([`${r.label}: ≥ 3 × node-fetch`, r.itemsPerSec / nodeRate, r.itemsPerSec / nodeRate >= 3]);
}
for (const r of measured.filter((m) => m.makespanMs !== undefined)) {
  checks.push([`makespan ≤ ${r.makespanBoundMs} ms`, r.makespanMs, r.makespanOk]);
}
for (const r of of('rpm')) {
  checks.push(['rpm: achieved ≥ 0.98 × rpm', r.achievedRatio, r.achievedRatio >= 0.98]);
  checks.push([`rpm: no 60 s window over ${r.rpm}`, r.max60s, r.windowOk]);
}
for (const r of of('filedrop')) {
  checks.push(['file drop: every item succeeded', r.succeeded, r.succeeded === r.n]);
}
for (const r of of('probe')) {
  checks.push(['probe: GET /v1/batches/{id} p99 < 20 ms', r.getP99Ms, r.getP99Ms < 20 && r.finished]);
}
const oneNode = clusterRows.find((c) => c.nodes === 1);
if (single && oneNode) {
  checks.push(['cluster: one node ≥ 0.8 × single node', oneNode.itemsPerSec / single.itemsPerSec,
    oneNode.itemsPerSec / single.itemsPerSec >= 0.8]);
}
for (const c of clusterRows.filter((row) => row.store)) {
  // statements where the server counts them (pg_stat_statements), else transactions
  const statements = c.store.statements >= 0;
  const perItem = (statements ? c.store.statements : c.store.transactions) / c.store.items;
  checks.push([`cluster of ${c.nodes}: ≤ 0.2 ${statements ? 'statements' : 'transactions'} per item`, perItem, perItem <= 0.2]);
}
if (checks.length) {
  console.log('\n-- targets (issue 10)');
  for (const [name, value, ok] of checks) console.log(`${pad(name, 44)}${fmt(value, 3).padStart(10)}  ${ok ? 'PASS' : 'FAIL'}`);
}

const notes = of('note');
if (notes.length) {
  console.log('\n-- notes');
  for (const n of notes) console.log(`* ${n.text}`);
}
console.log('');
