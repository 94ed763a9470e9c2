#!/usr/bin/env bash
# Remediation benchmark: the engine's lines per second on a 1,000-line config pair, then one job of
# DEVICES × LINES-line configs submitted through the remediation job API to the jar running at -Xmx512m.
#
#   bench/remediation.sh                          # 1,000 devices × 1,000 lines
#   DEVICES=100 LINES=500 BUILD=0 bench/remediation.sh
#
# Output: bench/out/remediation-<timestamp>/ (summary.txt, batchgate.log, gc.log, heap-info.txt, the H2 db).
set -euo pipefail

cd "$(dirname "$0")/.."
DEVICES=${DEVICES:-1000}
LINES=${LINES:-1000}
WARMUP_DEVICES=${WARMUP_DEVICES:-100}
HEAP=${HEAP:-512m}
BUILD=${BUILD:-1}
JAVA=${JAVA_HOME:+$JAVA_HOME/bin/}java
JCMD=${JAVA_HOME:+$JAVA_HOME/bin/}jcmd
OUT=bench/out/remediation-$(date +%Y%m%d-%H%M%S)
mkdir -p "$OUT"

if [[ $BUILD == 1 ]]; then
  ./mvnw -q -o -DskipTests package
  ./mvnw -q -o test-compile
fi
CLASSPATH=target/test-classes:target/batchgate.jar

echo "== engine: lines per second (one thread, 1,000-line IOS config pair)" | tee "$OUT/summary.txt"
"$JAVA" -cp "$CLASSPATH" dev.batchgate.facade.remediation.config.RemediationThroughput | tee -a "$OUT/summary.txt"

PORT=${PORT:-$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}
# the request is ~60 MB of JSON for 1,000 × 1,000 lines, above the default batchgate.max-body of 32 MiB
"$JAVA" -Xmx"$HEAP" -Xlog:gc:file="$OUT/gc.log" \
  -Dbatchgate.port="$PORT" -Dbatchgate.demo.enabled=false -Dbatchgate.max-body=256MiB \
  -Dbatchgate.db.url="jdbc:h2:file:$(pwd)/$OUT/db" -jar target/batchgate.jar > "$OUT/batchgate.log" 2>&1 &
BATCHGATE_PID=$!
trap 'kill "$BATCHGATE_PID" 2>/dev/null || true' EXIT
for _ in $(seq 1 120); do
  curl -sf "http://127.0.0.1:$PORT/observe/health" > /dev/null && break
  kill -0 "$BATCHGATE_PID" 2>/dev/null || { echo "batchgate did not start, see $OUT/batchgate.log"; exit 1; }
  sleep 0.5
done

echo "== warm-up job: $WARMUP_DEVICES devices" | tee -a "$OUT/summary.txt"
"$JAVA" -cp "$CLASSPATH" dev.batchgate.facade.remediation.RemediationJobBenchmark "http://127.0.0.1:$PORT" "$WARMUP_DEVICES" "$LINES" \
  | tee -a "$OUT/summary.txt"

cpu_seconds() { awk -v tck="$(getconf CLK_TCK)" '{ printf "%.1f", ($14 + $15) / tck }' "/proc/$BATCHGATE_PID/stat"; }
CPU_BEFORE=$(cpu_seconds)
echo "== job: $DEVICES devices x $LINES-line configs through POST /api/v1/batch/remediation, -Xmx$HEAP" | tee -a "$OUT/summary.txt"
"$JAVA" -cp "$CLASSPATH" dev.batchgate.facade.remediation.RemediationJobBenchmark "http://127.0.0.1:$PORT" "$DEVICES" "$LINES" \
  | tee -a "$OUT/summary.txt"
CPU_AFTER=$(cpu_seconds)
awk -v b="$CPU_BEFORE" -v a="$CPU_AFTER" -v n="$DEVICES" -v l="$LINES" 'BEGIN {
  printf "batchgate CPU for the job (submit, run, results): %.1f s, %.1f ms per device, %.0f config lines per CPU second\n",
         a - b, (a - b) * 1000 / n, 2 * n * l / (a - b) }' | tee -a "$OUT/summary.txt"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores" | tee -a "$OUT/summary.txt"

"$JCMD" "$BATCHGATE_PID" GC.heap_info > "$OUT/heap-info.txt" 2>&1 || true
# G1 lines look like "Pause Young (Normal) (G1 Evacuation Pause) 301M->97M(512M) 12.345ms"
# (after a young GC, old-generation garbage still counts: the live data is at most the "after" figure)
awk '/->/ { if (match($0, /[0-9]+M->[0-9]+M\([0-9]+M\)/)) { split(substr($0, RSTART, RLENGTH), p, /M->|M\(|M\)/);
       if (p[1] > before) before = p[1]; if (p[2] > after) after = p[2]; heap = p[3]; gcs++; if (/Pause Full/) full++ } }
     END { printf "heap: %d GCs (%d full), largest occupancy before a GC %d MiB, largest after a GC %d MiB, heap size %d MiB\n",
           gcs, full, before, after, heap }' "$OUT/gc.log" | tee -a "$OUT/summary.txt"
grep -q OutOfMemoryError "$OUT/batchgate.log" && echo "OutOfMemoryError in batchgate.log" | tee -a "$OUT/summary.txt"
echo "output: $OUT"
