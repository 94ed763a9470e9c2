#!/usr/bin/env bash
# What one PostgreSQL serves of a cluster's coordination: pgbench on the statements the nodes run
# (bench/pgbench/*.sql, copied from the job store's sources), in a database of its own that is created,
# migrated (src/main/resources/db/migration, in version order) and seeded here and dropped at the end.
# Prints per scenario and client count the median and spread of tps over REPEATS runs, and the server's
# CPU per transaction (the postmaster's reaped children, when /proc shows it).
#
#   bench/pgbench.sh                       # DURATION=2 s per run: about 3.5 minutes
#   DURATION=10 bench/pgbench.sh           # the figures in docs/benchmarks.md (about 16 minutes)
#   SCENARIOS="duties-noinbox slots-10targets" bench/pgbench.sh   # not in the default list: the duties without
#                                          # the inbox lease, slot rebalances spread over 10 targets
#   ROWS=8 SCENARIOS="results-rows results-unnest" bench/pgbench.sh   # commits of 8 results instead of 128
#
# Needs psql and pgbench, and a local superuser to create the database: `su postgres` as root, else
# `sudo -u postgres` (or set PG_ADMIN to a command that runs psql as a superuser).
set -euo pipefail
cd "$(dirname "$0")/.."

export PGHOST=${PGHOST:-127.0.0.1} PGPORT=${PGPORT:-5432} PGUSER=${PGUSER:-batchgate}
export PGPASSWORD=${PGPASSWORD:-batchgate-pg-test}
export PGDATABASE=${BENCH_DB:-batchgate_pgbench}
DURATION=${DURATION:-2}
CLIENTS=${CLIENTS:-"1 4 16"}
REPEATS=${REPEATS:-3}
ROWS=${ROWS:-128}
SCENARIOS=${SCENARIOS:-"claim-idle claim-take10 rate-1row rate-10rows slots heartbeat duties results-rows results-unnest"}
OUT=${OUT:-$(mktemp -d /tmp/batchgate-pgbench.XXXXXX)}
mkdir -p "$OUT"
PGBENCH=$(command -v pgbench || echo /usr/lib/postgresql/15/bin/pgbench)
if [[ -n ${PG_ADMIN:-} ]]; then
    admin() { $PG_ADMIN "$@"; }
elif [[ $(id -u) == 0 ]]; then
    admin() { su postgres -c "$(printf '%q ' env -u PGHOST -u PGUSER -u PGPASSWORD -u PGDATABASE psql "$@")"; }
else
    admin() { sudo -u postgres env -u PGHOST -u PGUSER -u PGPASSWORD -u PGDATABASE psql "$@"; }
fi
q() { psql -X -q -v ON_ERROR_STOP=1 "$@"; }

drop_db() { admin -X -q -c "DROP DATABASE IF EXISTS $PGDATABASE" >/dev/null 2>&1 || true; }
trap drop_db EXIT
drop_db
admin -X -q -v ON_ERROR_STOP=1 -c "CREATE DATABASE $PGDATABASE OWNER $PGUSER"
for f in $(ls src/main/resources/db/migration/V*__*.sql | sed 's/.*\/V\([0-9]*\)__.*/\1 &/' | sort -n | cut -d' ' -f2); do
    q -f "$f"
done
q -f bench/pgbench/seed.sql >/dev/null

# the parameters, as the nodes bind them
RESULT='{"id":"i-1","status":"succeeded","httpStatus":200,"attempts":1,"durationMs":12,"response":{"ok":true}}'
NODE1_BATCHES="{$(seq -s, 1 3 100)}"   # node 1's batches (the seed gives them to nodes 1, 2, 3 in turn)
ALL_BATCHES="{$(seq -s, 1 100)}"
TAKE10=$(seq -s, 2 3 29)               # ten of node 2's batches, left by a node that is gone
repeat() { local s=$1 out="" i; for ((i = 0; i < ROWS; i++)); do out+="${out:+,}$s"; done; printf '{%s}' "$out"; }
RESULTS=$(repeat "\"$(printf '%s' "$RESULT" | sed 's/\\/\\\\/g; s/"/\\"/g')\"")
awk -v n="$ROWS" '/^-- repeat/ {r = 1; next} /^-- end repeat/ {for (i = 0; i < n; i++) printf "%s", blk; r = 0; next}
    r {blk = blk $0 "\n"; next} {print}' bench/pgbench/result_rows.sql > "$OUT/result_rows.sql"

# scenario -> script and variables; prep = SQL run after the reset
scenario() {
    prep=""
    case $1 in
        claim-idle)   script=bench/pgbench/claim.sql; vars=(-D reading=reading -D node=1 -D "here=$NODE1_BATCHES") ;;
        claim-take10) script=bench/pgbench/claim.sql; vars=(-D reading=reading -D node=gone -D "here={}")
                      prep="UPDATE batches SET owner_node = 'gone' WHERE num IN ($TAKE10)" ;;
        rate-1row)    script=bench/pgbench/rate_reserve.sql; vars=(-D targets=1 -D span=20333) ;;
        rate-10rows)  script=bench/pgbench/rate_reserve.sql; vars=(-D targets=10 -D span=20333) ;;
        slots)        script=bench/pgbench/slots.sql; vars=(-D targets=1) ;;
        slots-10targets) script=bench/pgbench/slots.sql; vars=(-D targets=10) ;;
        heartbeat)    script=bench/pgbench/heartbeat.sql; vars=(-D deadms=60000) ;;
        duties|duties-noinbox) script=bench/pgbench/duties.sql
                      vars=(-D reading=reading -D lease=inbox -D target=1 -D "here=$ALL_BATCHES" -D deadms=60000
                            -D inbox=$([[ $1 == duties ]] && echo 1 || echo 0)) ;;
        results-rows) script=$OUT/result_rows.sql
                      vars=(-D w=-1 -D rows="$ROWS" -D status=succeeded -D "result=$RESULT" -D stage=0) ;;
        results-unnest) script=bench/pgbench/result_unnest.sql
                      vars=(-D w=-1 -D rows="$ROWS" -D "statuses=$(repeat succeeded)" -D "results=$RESULTS"
                            -D "stages=$(repeat NULL)" -D "seqs={$(seq -s, 1 "$ROWS")}") ;;
        *) echo "unknown scenario $1" >&2; exit 2 ;;
    esac
}

# the server's CPU: the postmaster's reaped children (the run's backends exit when pgbench ends)
POSTMASTER=$(admin -X -Atc "SELECT pid FROM pg_stat_activity WHERE backend_type = 'checkpointer'" 2>/dev/null \
    | xargs -r -I{} awk '/^PPid:/ {print $2}' /proc/{}/status 2>/dev/null || true)
server_ticks() { [[ -n $POSTMASTER ]] && awk '{print $16 + $17}' "/proc/$POSTMASTER/stat" 2>/dev/null || echo ""; }
TCK=$(getconf CLK_TCK)
# rows inserted, updated and deleted so far (a backend's counts are all in once it has exited)
rows_written() { psql -X -Atc "SELECT sum(n_tup_ins + n_tup_upd + n_tup_del) FROM pg_stat_user_tables"; }

median() { sort -g | awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }
fmt() { awk -v x="$1" 'BEGIN {printf (x >= 100 ? "%.0f" : "%.1f"), x}'; }

{
    echo "# pgbench $("$PGBENCH" --version | awk '{print $3}'), server $(psql -X -Atc 'SHOW server_version'), $(nproc) cores," \
        "load $(cut -d' ' -f1-3 /proc/loadavg); -M prepared, -T $DURATION, $REPEATS runs each, $(date -u +%FT%TZ)"
    printf '%-15s %7s %10s %21s %11s %8s %9s\n' scenario clients "tps median" "tps min–max" "server µs/tx" "rows/tx" \
        "client cores"
} | tee "$OUT/summary.txt"
for s in $SCENARIOS; do
    scenario "$s"
    for c in $CLIENTS; do
        tps=() cpu=() ccpu=() rows=()
        for ((r = 1; r <= REPEATS; r++)); do
            q -f bench/pgbench/reset.sql
            [[ -n $prep ]] && q -c "$prep"
            log="$OUT/$s-c$c-$r.log"
            sleep 0.1   # the reset's backends exit and are counted before the run
            before=$(server_ticks) written=$(rows_written)
            TIMEFORMAT='client_cpu %U %S'
            { time timeout $((DURATION + 60)) "$PGBENCH" -n -M prepared -c "$c" -j 1 -T "$DURATION" -f "$script" \
                -D clients="$c" "${vars[@]}" >"$log" 2>&1; } 2>>"$log" || { echo "pgbench failed: $log" >&2; tail -5 "$log" >&2; exit 1; }
            sleep 0.1   # the run's backends exit and are counted
            after=$(server_ticks) written=$(($(rows_written) - written))
            t=$(awk '/^tps = / {print $3}' "$log")
            n=$(awk '/^number of transactions actually processed:/ {print $NF}' "$log")
            grep -q '^number of failed transactions: 0 ' "$log" || { echo "failed transactions: $log" >&2; exit 1; }
            tps+=("$t") rows+=("$(awk -v w="$written" -v n="$n" 'BEGIN {print w / n}')")
            ccpu+=("$(awk '/^client_cpu/ {print ($2 + $3) / '"$DURATION"'}' "$log")")
            [[ -n $before && -n $after ]] && cpu+=("$(awk -v d=$((after - before)) -v n="$n" -v k="$TCK" 'BEGIN {print d / k / n * 1e6}')")
        done
        med=$(printf '%s\n' "${tps[@]}" | median)
        lo=$(printf '%s\n' "${tps[@]}" | sort -g | head -1)
        hi=$(printf '%s\n' "${tps[@]}" | sort -g | tail -1)
        us=$([[ ${#cpu[@]} -gt 0 ]] && printf '%s\n' "${cpu[@]}" | median || echo "-")
        cc=$(printf '%s\n' "${ccpu[@]}" | median)
        rw=$(printf '%s\n' "${rows[@]}" | median)
        printf '%-15s %7s %10s %21s %11s %8s %9s\n' "$s" "$c" "$(fmt "$med")" "$(fmt "$lo")–$(fmt "$hi")" \
            "$([[ $us == - ]] && echo - || fmt "$us")" "$(fmt "$rw")" "$(awk -v x="$cc" 'BEGIN {printf "%.2f", x}')" \
            | tee -a "$OUT/summary.txt"
    done
done
echo "(each run's pgbench output: $OUT)" | tee -a "$OUT/summary.txt"
