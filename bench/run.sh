#!/usr/bin/env bash
# batchgate benchmark: the ceiling (wrk), plain clients (JDK HttpClient, Node fetch) and batchgate itself,
# against the same local stub downstream, in one run. See bench/README.md for the variables and the output.
#
#   bench/run.sh                                   # throughput scenario, N=20000 C=64 LATENCY_MS=0
#   SCENARIOS=all bench/run.sh                     # + makespan, rpm, status-probe (< 10 minutes)
#   JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64 bench/run.sh
#
# Not `set -e`: one failed measurement must not stop the others; every failure is reported.
set -uo pipefail

cd "$(dirname "$0")/.."
ROOT=$(pwd)

N=${N:-20000}
C=${C:-64}
LATENCY_MS=${LATENCY_MS:-0}
WARMUP=${WARMUP:-2000}
WRK_SECONDS=${WRK_SECONDS:-10}
WRK_WARMUP_SECONDS=${WRK_WARMUP_SECONDS:-10}
SCENARIOS=${SCENARIOS:-throughput}
MAX_RUN_SECONDS=${MAX_RUN_SECONDS:-570}
BUILD=${BUILD:-1}
BATCHGATE_JAR=${BATCHGATE_JAR:-target/batchgate.jar}
BATCHGATE_OPTS=${BATCHGATE_OPTS:-}
JDK_CLIENT_HOMES=${JDK_CLIENT_HOMES:-/usr/lib/jvm/java-17-openjdk-amd64 /usr/lib/jvm/temurin-25-jdk-amd64}
JDK_CLIENT_MODE=${JDK_CLIENT_MODE:-async}
STUB_JAVA=${STUB_JAVA:-java}
MAKESPAN_N=${MAKESPAN_N:-20000}
MAKESPAN_C=${MAKESPAN_C:-100}
MAKESPAN_LATENCY_MS=${MAKESPAN_LATENCY_MS:-50}
RPM=${RPM:-6000}
RPM_MINUTES=${RPM_MINUTES:-3}
BG_WARMUP_SECONDS=${BG_WARMUP_SECONDS:-30}
PROBE_N=${PROBE_N:-100000}
PROBE_MAX_SECONDS=${PROBE_MAX_SECONDS:-180}
FILEDROP_N=${FILEDROP_N:-1000000}
FILEDROP_MAX_SECONDS=${FILEDROP_MAX_SECONDS:-600}

[[ $BATCHGATE_JAR == /* ]] || BATCHGATE_JAR=$ROOT/$BATCHGATE_JAR
BG_JAVA=${JAVA_HOME:+$JAVA_HOME/bin/}java
BG_JCMD=${JAVA_HOME:+$JAVA_HOME/bin/}jcmd
[[ $SCENARIOS == all ]] && SCENARIOS="throughput makespan rpm probe"

OUT=$ROOT/bench/out/$(date +%Y%m%d-%H%M%S)
RESULTS=$OUT/results.jsonl
mkdir -p "$OUT"
ln -sfn "$OUT" "$ROOT/bench/out/latest"
: > "$RESULTS"

STARTED_PIDS=()
log() { printf '%s %s\n' "$(date +%H:%M:%S)" "$*" | tee -a "$OUT/run.log" >&2; }
record() { [[ -n $1 ]] && printf '%s\n' "$1" >> "$RESULTS"; }
note() { record "$(node -e 'console.log(JSON.stringify({kind:"note",text:process.argv[1]}))' "$1")"; log "$1"; }

stop_pid() { # pid: TERM, up to 20 s, then KILL
  local pid=$1
  kill -0 "$pid" 2>/dev/null || return 0
  kill "$pid" 2>/dev/null
  for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.2; done
  kill -9 "$pid" 2>/dev/null
}
cleanup() { for pid in "${STARTED_PIDS[@]}"; do stop_pid "$pid"; done; }
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() {
  node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
}

# wait_http URL PID SECONDS: until URL answers 200, the process dies, or time runs out.
wait_http() {
  local url=$1 pid=$2 deadline=$((SECONDS + $3))
  while ((SECONDS < deadline)); do
    kill -0 "$pid" 2>/dev/null || return 1
    [[ $(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$url") == 200 ]] && return 0
    sleep 0.5
  done
  return 1
}

budget_left() { echo $((MAX_RUN_SECONDS - SECONDS)); }
# has_budget SECONDS NAME: skip a scenario that would overrun the whole run's time limit.
has_budget() {
  (($(budget_left) >= $1)) && return 0
  note "skipped $2: needs ~$1 s, $(budget_left) s left of MAX_RUN_SECONDS=$MAX_RUN_SECONDS"
  return 1
}

# ---------------------------------------------------------------------------------------------------------
# Build, and the classpath the stub runs on (Vert.x core from the shaded jar, else from ~/.m2).

JAR_OK=0
build_jar() {
  if [[ $BUILD == 1 ]]; then
    log "building $BATCHGATE_JAR (./mvnw -q -DskipTests package)"
    if ! timeout 300 ./mvnw -q -DskipTests package > "$OUT/build.log" 2>&1; then
      note "jar build failed (see $OUT/build.log): baselines only"
      return
    fi
  fi
  if [[ -f $BATCHGATE_JAR ]]; then JAR_OK=1; else note "no $BATCHGATE_JAR: baselines only"; fi
}

STUB_CP=
stub_classpath() {
  # A zip's directory stores names uncompressed: grep finds whether the shaded jar carries Vert.x.
  if [[ -f $BATCHGATE_JAR ]] && grep -qa 'io/vertx/core/Vertx.class' "$BATCHGATE_JAR"; then
    STUB_CP=$BATCHGATE_JAR
    return 0
  fi
  local cached=$ROOT/bench/out/stub-classpath.txt
  if [[ ! -s $cached ]]; then
    log "resolving the stub classpath from ~/.m2"
    timeout 300 ./mvnw -q dependency:build-classpath -Dmdep.outputFile="$cached" > "$OUT/classpath.log" 2>&1 \
      || { note "could not resolve a classpath for the stub (see $OUT/classpath.log)"; return 1; }
  fi
  STUB_CP=$(cat "$cached")
}

# ---------------------------------------------------------------------------------------------------------
# Processes: the stub and batchgate.

STUB_PORT= STUB_PID= STUB_URL= STUB_ARGS=()
start_stub() { # latencyMs [recordFile]
  STUB_ARGS=("$@")
  STUB_PORT=$(free_port)
  "$STUB_JAVA" -Xmx512m -Dlogback.configurationFile="$ROOT/bench/logback-stub.xml" \
    -Dio.netty.leakDetection.level=disabled -cp "$STUB_CP" \
    "$ROOT/bench/StubServer.java" "$STUB_PORT" "$1" "${2:-}" > "$OUT/stub-$STUB_PORT.log" 2>&1 &
  STUB_PID=$!
  STARTED_PIDS+=("$STUB_PID")
  STUB_URL=http://127.0.0.1:$STUB_PORT
  if ! wait_http "$STUB_URL/__stats" "$STUB_PID" 60; then
    note "stub did not start (see $OUT/stub-$STUB_PORT.log)"
    return 1
  fi
  log "stub on :$STUB_PORT latency ${1} ms (pid $STUB_PID)"
}
stop_stub() { stop_pid "$STUB_PID"; }
# measure NAME COMMAND...: run one measurement; if the stub died meanwhile, say so and start a new one.
measure() {
  local name=$1
  shift
  "$@"
  if ! kill -0 "$STUB_PID" 2>/dev/null; then
    note "stub exited during $name, its figure is void ($(tail -1 "$OUT/stub-$STUB_PORT.log")); restarted"
    start_stub "${STUB_ARGS[@]}"
  fi
}

BG_PORT= BG_PID= BG_URL= BG_DIR=
start_batchgate() { # label concurrency [extra -D...]
  local label=$1 concurrency=$2
  shift 2
  BG_PORT=$(free_port)
  BG_DIR=$OUT/batchgate-$label
  mkdir -p "$BG_DIR"
  # shellcheck disable=SC2086 # BATCHGATE_OPTS is a list of flags
  "$BG_JAVA" -Xmx256m -Xlog:gc:file="$BG_DIR/gc.log" \
    -Dbatchgate.port="$BG_PORT" \
    -Dbatchgate.demo.enabled=false \
    -Dbatchgate.db.url="jdbc:h2:file:$BG_DIR/db" \
    -Dbatchgate.sync-timeout=600s \
    -Dbatchgate.targets.bench.url="$STUB_URL" \
    -Dbatchgate.targets.bench.concurrency="$concurrency" \
    "-Dbatchgate.targets.bench.operations.call=POST /items/{id}" \
    "$@" $BATCHGATE_OPTS \
    -jar "$BATCHGATE_JAR" > "$BG_DIR/stdout.log" 2> "$BG_DIR/stderr.log" &
  BG_PID=$!
  STARTED_PIDS+=("$BG_PID")
  BG_URL=http://127.0.0.1:$BG_PORT
  if ! wait_http "$BG_URL/observe/health" "$BG_PID" 120; then
    if kill -0 "$BG_PID" 2>/dev/null; then
      note "batchgate ($label) not healthy within 120 s (see $BG_DIR/stderr.log)"
    else
      note "batchgate ($label) exited at start-up: $(grep -m1 . "$BG_DIR/stderr.log")"
    fi
    stop_pid "$BG_PID"
    return 1
  fi
  log "batchgate ($label) on :$BG_PORT, java $("$BG_JAVA" -version 2>&1 | head -1), pid $BG_PID"
}
stop_batchgate() { # label: heap figures, then stop
  timeout 30 "$BG_JCMD" "$BG_PID" GC.heap_info > "$BG_DIR/heap-info.txt" 2>&1
  stop_pid "$BG_PID"
  record "$(node bench/driver.mjs heap --label="$1" --gclog="$BG_DIR/gc.log" --heapinfo="$BG_DIR/heap-info.txt")"
}

# bg_batch label mode n [driver flags...]: one batch through batchgate, its figures into results.jsonl.
bg_batch() {
  local label=$1 mode=$2 n=$3
  shift 3
  log "batchgate $label: $mode batch of $n items"
  local line
  line=$(timeout 900 node bench/driver.mjs batch --base="$BG_URL" --mode="$mode" --n="$n" --label="$label" \
    --pid="$BG_PID" --stub="$STUB_URL" --extra="{\"java\":\"$("$BG_JAVA" -version 2>&1 | head -1 | sed 's/"//g')\"}" \
    "$@" 2>> "$OUT/driver.log") || { note "batchgate $label failed: $(tail -1 "$OUT/driver.log")"; return 1; }
  record "$line"
}

# ---------------------------------------------------------------------------------------------------------
# Measurements.

measure_wrk() {
  local threads=$((C < 2 ? C : 2))
  # The stub's JIT needs ~10 s of load to settle (10k -> 60-80k requests/s measured): warm it up first.
  log "wrk: $C connections, ${WRK_SECONDS}s (after ${WRK_WARMUP_SECONDS}s warm-up)"
  timeout $((WRK_WARMUP_SECONDS + 30)) wrk -t"$threads" -c"$C" -d"${WRK_WARMUP_SECONDS}s" -s bench/post.lua \
    "$STUB_URL/items/i-0" > /dev/null 2>&1
  timeout $((WRK_SECONDS + 30)) wrk -t"$threads" -c"$C" -d"${WRK_SECONDS}s" --latency -s bench/post.lua \
    "$STUB_URL/items/i-0" > "$OUT/wrk.txt" 2>&1 || { note "wrk failed: $(tail -1 "$OUT/wrk.txt")"; return 1; }
  record "$(node -e '
    const t = require("fs").readFileSync(process.argv[1], "utf8");
    const num = (re) => { const m = re.exec(t); return m ? Number(m[1]) : null; };
    const ms = (re) => { const m = re.exec(t); if (!m) return null;
      return Number(m[1]) * ({ us: 0.001, ms: 1, s: 1000 }[m[2]] ?? 1); };
    console.log(JSON.stringify({ kind: "wrk", client: "wrk", c: Number(process.argv[2]),
      itemsPerSec: num(/Requests\/sec:\s+([\d.]+)/), p50Ms: ms(/50%\s+([\d.]+)(us|ms|s)/),
      p99Ms: ms(/99%\s+([\d.]+)(us|ms|s)/), errors: num(/Non-2xx or 3xx responses:\s+(\d+)/) ?? 0,
      socketErrors: /Socket errors/.test(t) }));' "$OUT/wrk.txt" "$C")"
}

measure_jdk_clients() {
  local home mode line
  for home in $JDK_CLIENT_HOMES; do
    [[ -x $home/bin/java ]] || { log "no JDK at $home, skipped"; continue; }
    for mode in $JDK_CLIENT_MODE; do
      log "JDK HttpClient ($mode) on $home: N=$N C=$C"
      line=$(timeout 600 "$home/bin/java" -Xmx512m bench/JdkClient.java "$STUB_URL/items" "$N" "$C" "$WARMUP" \
        "$mode" 2>> "$OUT/clients.log") || { note "JDK client ($mode) on $home failed"; continue; }
      record "$(node -e 'console.log(JSON.stringify({kind:"client",...JSON.parse(process.argv[1])}))' "$line")"
    done
  done
}

measure_node_pool() {
  log "Node fetch pool: N=$N C=$C"
  local line
  line=$(timeout 600 node bench/node-pool.mjs "$STUB_URL/items" "$N" "$C" "$WARMUP" 2>> "$OUT/clients.log") \
    || { note "Node pool failed"; return 1; }
  record "$(node -e 'console.log(JSON.stringify({kind:"client",...JSON.parse(process.argv[1])}))' "$line")"
}

# ---------------------------------------------------------------------------------------------------------
# Scenarios: each one starts its own stub (and batchgate), measures, and stops what it started.

# warm_batchgate: batches of N items until BG_WARMUP_SECONDS have passed (at most 20 batches). The JIT of
# a server this size keeps compiling for tens of seconds (like the stub's, see measure_wrk): measured cold, the
# figures say more about the compiler than about batchgate. The first full batch is reported as "cold". The
# warm-up takes the measured batches' paths: async and sync in turn, each with its results fetched. Without the
# fetch, the first one came after the measured sync batch, and compiling its code took ~0.5 s of CPU away from
# the measured async batch.
warm_batchgate() {
  local deadline=$((SECONDS + BG_WARMUP_SECONDS)) batches=0 mode
  log "warming batchgate up for ${BG_WARMUP_SECONDS}s"
  while ((SECONDS < deadline && batches < 20)); do
    mode=async
    ((batches % 2)) && mode=sync
    bg_batch warmup "$mode" "$N" || return
    batches=$((batches + 1))
  done
}

scenario_throughput() {
  has_budget $((150 + BG_WARMUP_SECONDS)) throughput || return
  start_stub "$LATENCY_MS" || return
  measure wrk measure_wrk
  measure "JDK clients" measure_jdk_clients
  measure "Node pool" measure_node_pool
  if [[ $JAR_OK == 1 ]] && start_batchgate throughput "$C"; then
    ((WARMUP > 0)) && bg_batch warmup sync "$WARMUP" --no-results
    bg_batch cold async "$N" --latency-ms="$LATENCY_MS" --c="$C" --no-results
    warm_batchgate
    bg_batch sync sync "$N" --latency-ms="$LATENCY_MS" --c="$C"
    bg_batch async async "$N" --latency-ms="$LATENCY_MS" --c="$C"
    stop_batchgate throughput
  fi
  stop_stub
}

# The same makespan check for the JDK HttpClient on batchgate's JDK: can this machine meet the bound at all?
measure_makespan_reference() {
  local line
  log "makespan reference: JDK HttpClient on $BG_JAVA, N=$MAKESPAN_N C=$MAKESPAN_C"
  line=$(timeout 300 "$BG_JAVA" -Xmx512m bench/JdkClient.java "$STUB_URL/items" "$MAKESPAN_N" "$MAKESPAN_C" 1000 \
    "${JDK_CLIENT_MODE%% *}" 2>> "$OUT/clients.log") || { note "makespan reference failed"; return 1; }
  record "$(node -e '
    const r = JSON.parse(process.argv[1]); const [n, c, latency] = process.argv.slice(2).map(Number);
    const boundMs = 1.05 * Math.ceil(n / c) * latency;
    console.log(JSON.stringify({ kind: "makespan-reference", ...r, latencyMs: latency,
      makespanMs: Math.round(r.seconds * 1000), makespanBoundMs: Math.round(boundMs),
      makespanOk: r.seconds * 1000 <= boundMs }));' "$line" "$MAKESPAN_N" "$MAKESPAN_C" "$MAKESPAN_LATENCY_MS")"
}

# What the stub itself allows: wrk's rate at MAKESPAN_C connections on the 50 ms stub, as the makespan of N
# requests at that rate (the stub's timers answer a little after 50 ms, and that counts against the bound).
measure_makespan_wrk() {
  log "makespan reference: wrk, $MAKESPAN_C connections, 10 s"
  timeout 40 wrk -t2 -c"$MAKESPAN_C" -d10s -s bench/post.lua "$STUB_URL/items/i-0" > "$OUT/wrk-makespan.txt" 2>&1 \
    || { note "makespan wrk failed: $(tail -1 "$OUT/wrk-makespan.txt")"; return 1; }
  record "$(node -e '
    const t = require("fs").readFileSync(process.argv[1], "utf8");
    const rate = Number((/Requests\/sec:\s+([\d.]+)/.exec(t) ?? [])[1]);
    const [n, c, latency] = process.argv.slice(2).map(Number);
    const boundMs = 1.05 * Math.ceil(n / c) * latency, makespanMs = Math.round((n / rate) * 1000);
    console.log(JSON.stringify({ kind: "makespan-reference", client: "wrk", n, c, latencyMs: latency, itemsPerSec: rate,
      makespanMs, makespanBoundMs: Math.round(boundMs), makespanOk: makespanMs <= boundMs }));' \
    "$OUT/wrk-makespan.txt" "$MAKESPAN_N" "$MAKESPAN_C" "$MAKESPAN_LATENCY_MS")"
}

# 50 ms downstream, C=100: the batch must finish within 1.05 × ceil(N/C) × latency.
scenario_makespan() {
  [[ $JAR_OK == 1 ]] || return
  has_budget $((MAKESPAN_N / MAKESPAN_C * MAKESPAN_LATENCY_MS / 1000 * 8 + 60)) makespan || return
  start_stub "$MAKESPAN_LATENCY_MS" || return
  measure_makespan_wrk
  measure_makespan_reference
  if start_batchgate makespan "$MAKESPAN_C"; then
    # two whole batches first: after one, the JIT still took most of a core through the measured batch
    bg_batch makespan-warmup async "$MAKESPAN_N" --no-results
    bg_batch makespan-warmup async "$MAKESPAN_N" --no-results
    bg_batch makespan async "$MAKESPAN_N" --latency-ms="$MAKESPAN_LATENCY_MS" --c="$MAKESPAN_C" --check-makespan
    stop_batchgate makespan
  fi
  stop_stub
}

# rpm limit for RPM_MINUTES minutes: the stub records request start times; never more than rpm in 60 s.
scenario_rpm() {
  [[ $JAR_OK == 1 ]] || return
  local n=$((RPM * RPM_MINUTES)) record_file=$OUT/rpm-requests.txt
  has_budget $((RPM_MINUTES * 60 + 45)) rpm || return
  start_stub "$LATENCY_MS" "$record_file" || return
  if start_batchgate rpm "$C" -Dbatchgate.targets.bench.rpm="$RPM"; then
    bg_batch rpm async "$n" --latency-ms="$LATENCY_MS" --c="$C" --poll-ms=1000 \
      --timeout-s=$((RPM_MINUTES * 60 + 30)) --no-results
    curl -s -X POST -o /dev/null --max-time 30 "$STUB_URL/__flush"
    record "$(node bench/driver.mjs rpm --record="$record_file" --rpm="$RPM" --prefix=/items 2>> "$OUT/driver.log")"
    stop_batchgate rpm
  fi
  stop_stub
}

# GET /v1/batches/{id} latency while a PROBE_N-item batch runs.
scenario_probe() {
  [[ $JAR_OK == 1 ]] || return
  has_budget 60 probe || return
  local max_seconds=$(($(budget_left) - 30 < PROBE_MAX_SECONDS ? $(budget_left) - 30 : PROBE_MAX_SECONDS))
  start_stub "$LATENCY_MS" || return
  if start_batchgate probe "$C"; then
    log "status probe: $PROBE_N-item batch, GET every 10 ms, at most $max_seconds s"
    record "$(timeout $((max_seconds + 60)) node bench/driver.mjs probe --base="$BG_URL" --n="$PROBE_N" \
      --interval-ms=10 --max-seconds="$max_seconds" 2>> "$OUT/driver.log")" \
      || note "probe failed: $(tail -1 "$OUT/driver.log")"
    stop_batchgate probe
  fi
  stop_stub
}

# FILEDROP_N ids dropped as one file into inbox/bench/call/ (batchgate at -Xmx256m): time until the outbox
# summary is written, and the heap. Not part of `all` (a million calls take minutes): SCENARIOS=filedrop.
scenario_filedrop() {
  [[ $JAR_OK == 1 ]] || return
  local dir=$OUT/batchgate-filedrop name=bench-$FILEDROP_N
  mkdir -p "$dir/inbox/bench/call" "$dir/outbox"
  seq -f 'item-%.0f' 1 "$FILEDROP_N" > "$dir/$name.txt"
  start_stub "$LATENCY_MS" || return
  if start_batchgate filedrop "$C" -Dbatchgate.inbox="$dir/inbox" -Dbatchgate.outbox="$dir/outbox"; then
    log "file drop: $FILEDROP_N lines, at most $FILEDROP_MAX_SECONDS s"
    local cpu_before t0=$SECONDS
    cpu_before=$(cut -d' ' -f14,15 "/proc/$BG_PID/stat")
    mv "$dir/$name.txt" "$dir/inbox/bench/call/$name.txt"   # one rename: never seen half-written
    while [[ ! -s $dir/outbox/$name.summary.json ]] && ((SECONDS - t0 < FILEDROP_MAX_SECONDS)); do sleep 1; done
    local seconds=$((SECONDS - t0)) cpu_after
    cpu_after=$(cut -d' ' -f14,15 "/proc/$BG_PID/stat")
    record "$(node -e '
      const [file, n, seconds, before, after] = process.argv.slice(1);
      const fs = require("fs");
      const summary = fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, "utf8")) : null;
      const ticks = (s) => s.split(" ").map(Number).reduce((a, b) => a + b, 0);
      const cpu = (ticks(after) - ticks(before)) / 100;
      console.log(JSON.stringify({ kind: "filedrop", n: +n, seconds: +seconds, itemsPerSec: Math.round(n / seconds),
        status: summary?.status ?? "not finished", succeeded: summary?.succeeded ?? null,
        cpuMsPerItem: Math.round((cpu * 1e6) / n) / 1000 }));' \
      "$dir/outbox/$name.summary.json" "$FILEDROP_N" "$seconds" "$cpu_before" "$cpu_after")"
    stop_batchgate filedrop
  fi
  stop_stub
}

# ---------------------------------------------------------------------------------------------------------

command -v wrk > /dev/null || { log "installing wrk"; apt-get install -y wrk > "$OUT/apt.log" 2>&1 \
  || { apt-get update > /dev/null 2>&1 && apt-get install -y wrk >> "$OUT/apt.log" 2>&1; }; }
command -v wrk > /dev/null || { echo "wrk is required (apt-get install wrk)" >&2; exit 1; }

# cluster: what cluster mode costs on this machine, where the nodes share its cores (no speed-up to be had):
# items/s and CPU per item of single-node mode (H2), of a one-node cluster, and of two and three nodes each
# running an async batch of N items at once, all on one PostgreSQL, with the job store's transactions and
# statements per item from PostgreSQL's own statistics (pg_stat_database; pg_stat_statements where the server
# loads it). Needs BENCH_PG_URL (jdbc:postgresql://host:port/db), BENCH_PG_USER and BENCH_PG_PASSWORD; not part
# of `all`: SCENARIOS=cluster.
warm_batchgate_n() { # count: that many async batches of N items, not measured
  local i
  for ((i = 0; i < $1; i++)); do bg_batch warmup async "$N" --no-results || return; done
}
cluster_sql() { # one query on the cluster's database, its one value printed
  local hostport=${BENCH_PG_URL#jdbc:postgresql://}
  local db=${hostport#*/} host=${hostport%%/*}
  PGPASSWORD=$BENCH_PG_PASSWORD psql -qtA -h "${host%%:*}" -p "${host##*:}" -U "$BENCH_PG_USER" -d "${db%%\?*}" -c "$1"
}
cluster_xacts() { # the database's committed transactions so far
  cluster_sql "SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()"
}
cluster_statements() { # the statements run on the database so far, or -1 without pg_stat_statements
  cluster_sql "SELECT COALESCE(SUM(calls), 0) FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database
    WHERE datname = current_database())" 2> /dev/null || echo -1
}
scenario_cluster() {
  if [[ -z ${BENCH_PG_URL:-} ]]; then
    note "cluster scenario skipped: set BENCH_PG_URL, BENCH_PG_USER and BENCH_PG_PASSWORD"
    return
  fi
  has_budget 420 cluster || return
  start_stub "$LATENCY_MS" || return
  if [[ $JAR_OK == 1 ]] && start_batchgate cluster-single "$C"; then
    warm_batchgate_n 3
    bg_batch cluster-single async "$N" --c="$C" --no-results
    stop_batchgate cluster-single
  fi
  local nodes i before after statements_before statements
  for nodes in 1 2 3; do
    local urls=() pids=()
    for ((i = 1; i <= nodes; i++)); do
      start_batchgate "cluster-$nodes-node$i" "$C" -Dbatchgate.cluster.enabled=true \
        -Dbatchgate.cluster.node-id="bench-$nodes-$i" -Dbatchgate.db.url="$BENCH_PG_URL" \
        -Dbatchgate.db.user="$BENCH_PG_USER" -Dbatchgate.db.password="$BENCH_PG_PASSWORD" \
        -Dbatchgate.inbox="$BG_DIR/inbox" || break
      urls+=("$BG_URL") pids+=("$BG_PID")
    done
    if ((${#urls[@]} == nodes)); then
      for ((i = 0; i < nodes; i++)); do
        BG_URL=${urls[i]} BG_PID=${pids[i]}
        warm_batchgate_n 3
      done
      before=$(cluster_xacts) statements_before=$(cluster_statements)
      local drivers=()
      for ((i = 0; i < nodes; i++)); do
        BG_URL=${urls[i]} BG_PID=${pids[i]} bg_batch "cluster-$nodes" async "$N" --c="$C" --no-results &
        drivers+=($!)
      done
      wait "${drivers[@]}"
      after=$(cluster_xacts) statements=-1
      ((statements_before >= 0)) && statements=$(($(cluster_statements) - statements_before))
      record "{\"kind\":\"cluster-store\",\"nodes\":$nodes,\"items\":$((nodes * N)),\"transactions\":$((after - before)),\"statements\":$statements}"
      log "cluster of $nodes: $((after - before)) transactions, $statements statements for $((nodes * N)) items"
    fi
    for ((i = 0; i < ${#pids[@]}; i++)); do
      BG_PID=${pids[i]} BG_DIR=$OUT/batchgate-cluster-$nodes-node$((i + 1)) stop_batchgate "cluster-$nodes-node$((i + 1))"
    done
  done
  stop_stub
}

record "$(node -e 'console.log(JSON.stringify({kind:"params",n:+process.argv[1],c:+process.argv[2],
  latencyMs:+process.argv[3],warmup:+process.argv[4],scenarios:process.argv[5],
  batchgateJava:process.argv[6],cores:require("os").cpus().length,at:new Date().toISOString(),
  loadAtStart:require("fs").readFileSync("/proc/loadavg","utf8").split(" ").slice(0,3).join(" ")}))' \
  "$N" "$C" "$LATENCY_MS" "$WARMUP" "$SCENARIOS" "$("$BG_JAVA" -version 2>&1 | head -1)")"
log "results in $OUT"
build_jar
stub_classpath || exit 1
for scenario in $SCENARIOS; do
  if declare -F "scenario_$scenario" > /dev/null; then "scenario_$scenario"; else note "unknown scenario $scenario"; fi
done
record "{\"kind\":\"load\",\"end\":\"$(cut -d' ' -f1-3 /proc/loadavg)\",\"seconds\":$SECONDS}"
node bench/report.mjs "$RESULTS" | tee "$OUT/summary.txt"
