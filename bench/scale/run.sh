#!/usr/bin/env bash
# Scale-out benchmark: the same 30-day queries on one server holding every event (SINGLE)
# against a coordinator (COORD) over two shards holding half each (postgres_fdw), in one run,
# as ratios to SINGLE. See bench/scale/README.md.
#   bash bench/scale/run.sh
# Four throwaway servers on this machine: SINGLE (all events), SHARD1 (anthropic, 50 %),
# SHARD2 (openai, gemini and '', 50 %), COORD (public.events PARTITION BY LIST (platform), its
# partitions foreign tables on the shards' public.events; enable_partitionwise_aggregate = on).
# Data: bench/rollup's generator (setup.sql's bench.events; data.sql here keeps each server's
# platforms): 4 million events over the 30 days ending now, the identical rows on SINGLE and on
# the shards; SINGLE and the shards register public.events with ops_add_source and roll up by
# one worker cycle (its SQL steps, as bench/rollup calls them).
# (A) SELECT platform, count(*), count(*) FILTER (WHERE status_code >= 500),
#     approx_percentile(0.99, latency_sketch(latency_ms)) FROM events WHERE <the 30 days>
#     GROUP BY platform: on COORD pushed down to the shards (checked with EXPLAIN VERBOSE: exit 1
#     if a shard's Foreign Scan is not an "Aggregate on" one)
# (B) ops_metrics(T - 30 days, T): SINGLE from its rollups; COORD from the shards' rollups
#     registered with ops_add_remote_rollup (skipped, with a message, when the installed opsagg
#     has no remote rollup sources)
# Both are also timed on each shard alone. Checks first (counts equal on SINGLE and COORD, p99
# equal or within 1 %; exit 1 on a mismatch), then the timing: one warm-up round and RUNS timed
# rounds (bench/harness.sql's bench.round on each server in turn), serial and parallel; then
# one more execution of each under auto_explain on COORD and on SINGLE, summarised
# (remote_sql.pl): the SQL the coordinator sends the shards, the rows it fetches, JIT.
# Needs opsagg built and installed (make install). Starts its servers on Unix sockets in temp
# dirs (ports $OPSAGG_BENCH_PORT .. +3), with bench/lib.sh's settings (the server's default
# planner, parallelism and JIT settings) plus enable_partitionwise_aggregate = on, and removes
# them on exit. The rollup worker is not preloaded: the benchmark calls its steps.
# Knobs (environment; a quick run: OPSAGG_BENCH_EVENTS=200000):
#   OPSAGG_BENCH_EVENTS=4000000    events over the 30 days (SINGLE; half on each shard)
#   OPSAGG_BENCH_RUNS=5            timed rounds after one warm-up round
#   OPSAGG_BENCH_OPS_REPS=10       executions of (B) per round and mode ((A): 1)
#   OPSAGG_BENCH_FETCH_SIZE=10000  postgres_fdw fetch_size of the shards' servers
#   OPSAGG_BENCH_REMOTE_ESTIMATE=events  postgres_fdw use_remote_estimate: on the events partitions
#                                  only, as the top-level README's setup ("Scaling out") (events),
#                                  on every foreign table of the shards (server), or nowhere
#                                  (none, PostgreSQL's default)
#   OPSAGG_BENCH_PORT=56001 (SINGLE; SHARD1, SHARD2, COORD the next three)
#   PG_CONFIG=/usr/lib/postgresql/15/bin/pg_config
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
ROLLUP=$ROOT/bench/rollup
PG_CONFIG=${PG_CONFIG:-/usr/lib/postgresql/15/bin/pg_config}
PGBIN=$("$PG_CONFIG" --bindir)
EVENTS=${OPSAGG_BENCH_EVENTS:-4000000}
RUNS=${OPSAGG_BENCH_RUNS:-5}
OPS_REPS=${OPSAGG_BENCH_OPS_REPS:-10}
FETCH_SIZE=${OPSAGG_BENCH_FETCH_SIZE:-10000}
REMOTE_ESTIMATE=${OPSAGG_BENCH_REMOTE_ESTIMATE:-events}
PORT=${OPSAGG_BENCH_PORT:-56001}
DAYS=30   # the range of both cases; also the hourly retention, where the first catch-up starts
LOGDIR=$ROOT/log/bench-scale

T_START=$(date +%s)
say() { printf '[%4ss] %s\n' "$(($(date +%s) - T_START))" "$*"; }
fail() { echo "run.sh: $*" >&2; exit 2; }

for v in EVENTS RUNS OPS_REPS FETCH_SIZE PORT; do
    [[ "${!v}" =~ ^[1-9][0-9]*$ ]] || fail "$v must be a positive integer (got '${!v}')"
done
[[ "$REMOTE_ESTIMATE" =~ ^(events|server|none)$ ]] || fail "OPSAGG_BENCH_REMOTE_ESTIMATE must be events, server or none"
((PORT + 3 <= 65535)) || fail "OPSAGG_BENCH_PORT must leave room for three more ports"

# --- throwaway servers ----------------------------------------------------------------------
# bench/lib.sh's settings, on all four servers alike; enable_partitionwise_aggregate only
# changes plans over partitioned tables (COORD's public.events), where postgres_fdw needs it
# to push an aggregate down to a foreign partition.
# shellcheck source=../lib.sh
source "$ROOT/bench/lib.sh"
# shellcheck source=../../scripts/lib.sh
source "$ROOT/scripts/lib.sh"
bench_require_opsagg "$PG_CONFIG" || exit 2
CONF=("${BENCH_CONF[@]}" "enable_partitionwise_aggregate = on")
SERVERS=(single shard1 shard2 coord)
declare -A DIR PORT_OF
# start_pg (scripts/lib.sh) runs one server at a time: start each, keep its directory, and
# stop it on exit through stop_pg with that directory (its log to log/bench-scale/NAME/).
start_server() {
    local name=$1 port=$2
    OPSAGG_PGPORT=$port OPSAGG_PGDIR='' OPSAGG_LOGDIR=$LOGDIR/$name
    start_pg "${CONF[@]}" || return 1
    DIR[$name]=$OPSAGG_PGDIR PORT_OF[$name]=$port
    opsagg_on_exit "OPSAGG_PGDIR='$OPSAGG_PGDIR' OPSAGG_LOGDIR='$LOGDIR/$name' stop_pg"
    OPSAGG_PGDIR=''
}
mkdir -p "$LOGDIR"
for i in "${!SERVERS[@]}"; do
    s=${SERVERS[i]}
    say "starting PostgreSQL ${s^^} (port $((PORT + i)))"
    start_server "$s" $((PORT + i)) || fail "could not start PostgreSQL ${s^^}"
done
OPSAGG_LOGDIR=$LOGDIR
# on SERVER PSQL-ARGS...: psql on that server.
on() { local s=$1; shift; "$PGBIN/psql" -X -q -v ON_ERROR_STOP=1 -h "${DIR[$s]}" -p "${PORT_OF[$s]}" -U postgres -d postgres "$@"; }

for s in "${SERVERS[@]}"; do
    on "$s" -c 'CREATE EXTENSION opsagg' -c 'CREATE EXTENSION pg_prewarm' >/dev/null
done
OPSAGG_VERSION=$(on single -Atc "SELECT extversion FROM pg_extension WHERE extname = 'opsagg'")
MISSING=$(on single -Atc "
    SELECT string_agg(f, ', ') FROM unnest(ARRAY['ops_add_source(regclass,regclass,name)',
        'ops_metrics(timestamptz,timestamptz,text)', 'approx_percentile(float8,latency_sketch)',
        'ops_worker_cycle_begin()', 'ops_worker_cycle_step()', 'ops_worker_cycle_end()']) AS f
    WHERE to_regprocedure('public.' || f) IS NULL")
[[ -z "$MISSING" ]] || fail "the installed opsagg has no dashboards (missing: $MISSING)"
# (B) on the coordinator needs remote rollup sources: ops_add_remote_rollup and the coverage
# view every server exposes.
WITH_OPS=$(on coord -Atc "
    SELECT (to_regclass('public.ops_rollup_coverage_all') IS NOT NULL
            AND EXISTS (SELECT FROM pg_proc WHERE proname = 'ops_add_remote_rollup'
                                                AND pronamespace = 'public'::regnamespace))::int")
if [ "$WITH_OPS" = 1 ]; then
    say "(B): the installed opsagg has remote rollup sources (ops_add_remote_rollup, ops_rollup_coverage_all)"
else
    say "(B) SKIPPED: the installed opsagg has no remote rollup sources (no ops_add_remote_rollup or ops_rollup_coverage_all in $("$PG_CONFIG" --sharedir)/extension/opsagg--$OPSAGG_VERSION.sql); timing (A) only"
fi

# The data ends now (T); both cases read [T - 30 days, T) (unaligned edges, ending in the open
# hour), fixed here so that every round reads the same rows.
TO_TS=$(on single -Atc "SELECT to_char(now(), 'YYYY-MM-DD\"T\"HH24:MI:SS.USOF')")
FROM_TS=$(on single -Atc "SELECT to_char('$TO_TS'::timestamptz - interval '$DAYS days', 'YYYY-MM-DD\"T\"HH24:MI:SS.USOF')")
VARS=(-v "from_ts=$FROM_TS" -v "to_ts=$TO_TS" -v "ops_reps=$OPS_REPS" -v "with_ops=$WITH_OPS")

# --- data: bench/rollup's generator, each server its platforms ---------------------------------
declare -A PLATFORMS=([single]='{anthropic,openai,gemini,""}' [shard1]='{anthropic}' [shard2]='{openai,gemini,""}')
DATA_SERVERS=(single shard1 shard2)
say "generating $EVENTS events over the $DAYS days up to $TO_TS: all on SINGLE, anthropic on SHARD1, openai + gemini + '' on SHARD2, the three at once (bench/rollup/setup.sql, bench/scale/data.sql) ..."
T_DATA=$(date +%s)
PIDS=()
for s in "${DATA_SERVERS[@]}"; do
    {
        on "$s" -f "$ROLLUP/setup.sql" >/dev/null
        on "$s" -v n="$EVENTS" -v days="$DAYS" -v anchor="$TO_TS" -v platforms="${PLATFORMS[$s]}" -f "$HERE/data.sql"
        on "$s" -c "SELECT ops_add_source('public.events', watch => 'public.events', watch_time_column => 'occurred_at')" >/dev/null
    } &
    PIDS+=($!)
done
for i in "${!PIDS[@]}"; do
    wait "${PIDS[i]}" || fail "generating the events of ${DATA_SERVERS[i]^^} failed"
done
for s in "${DATA_SERVERS[@]}"; do
    on "$s" -c "SELECT pg_prewarm('public.events'), pg_prewarm('public.events_occurred_at_idx')" >/dev/null
    on "$s" -At -F ' ' <<'EOF' | { read -r n sz isz mn mx pl; say "${s^^}: $n events ($pl), table $sz, index $isz, from $mn to $mx (prewarmed)"; }
SELECT count(*), replace(pg_size_pretty(pg_relation_size('public.events')), ' ', ''),
       replace(pg_size_pretty(pg_relation_size('public.events_occurred_at_idx')), ' ', ''),
       to_char(min(occurred_at), 'YYYY-MM-DD"T"HH24:MI:SS'), to_char(max(occurred_at), 'YYYY-MM-DD"T"HH24:MI:SS'),
       (SELECT string_agg(quote_literal(platform) || ' ' || n, ', ' ORDER BY n DESC)
        FROM (SELECT platform, count(*) AS n FROM public.events GROUP BY 1) p)
FROM public.events;
EOF
done

say "rolling up SINGLE, SHARD1, SHARD2 at once: the worker's first cycle (ops_worker_cycle_begin, _step until false, _end: bench/rollup's bench.cycle) ..."
T_ROLLUP=$(date +%s)
PIDS=()
for s in "${DATA_SERVERS[@]}"; do
    on "$s" -c "CALL bench.cycle('first_cycle', 'first_cycle', 1)" &
    PIDS+=($!)
done
for i in "${!PIDS[@]}"; do
    wait "${PIDS[i]}" || fail "the first cycle of ${DATA_SERVERS[i]^^} failed"
done
for s in "${DATA_SERVERS[@]}"; do
    on "$s" -c "SELECT pg_prewarm('public.ops_metrics_hourly'), pg_prewarm('public.ops_metrics_daily')" >/dev/null
    on "$s" -At -F ' ' <<'EOF' | { read -r ms steps h d rf nh; say "${s^^}: first cycle $ms ms, $steps steps; ops_metrics_hourly $h rows, ops_metrics_daily $d rows; rolled_from $rf, next_hour $nh"; }
SELECT round(r.ms::numeric), r.steps, (SELECT count(*) FROM public.ops_metrics_hourly), (SELECT count(*) FROM public.ops_metrics_daily),
       to_char(s.rolled_from, 'YYYY-MM-DD"T"HH24:MI'), to_char(s.next_hour, 'YYYY-MM-DD"T"HH24:MI')
FROM bench.result AS r, public.ops_rollup_state AS s WHERE r.part = 'first_cycle';
EOF
done

# --- the coordinator ------------------------------------------------------------------------
say "COORD: postgres_fdw servers shard1 and shard2 (extensions 'opsagg', async_capable, fetch_size $FETCH_SIZE, use_remote_estimate $REMOTE_ESTIMATE), public.events PARTITION BY LIST (platform) of foreign tables (bench/scale/coord.sql)"
on coord -v shard1_host="${DIR[shard1]}" -v shard1_port="${PORT_OF[shard1]}" \
    -v shard2_host="${DIR[shard2]}" -v shard2_port="${PORT_OF[shard2]}" -v fetch_size="$FETCH_SIZE" \
    -v server_estimate="$([ "$REMOTE_ESTIMATE" = server ] && echo true || echo false)" \
    -v events_estimate="$([ "$REMOTE_ESTIMATE" = none ] && echo false || echo true)" -f "$HERE/coord.sql"
if [ "$WITH_OPS" = 1 ]; then
    say "COORD: the shards' rollups as remote rollup sources (IMPORT FOREIGN SCHEMA, ops_add_remote_rollup: bench/scale/remote_rollups.sql)"
    on coord -f "$HERE/remote_rollups.sql" >/dev/null
fi

# --- the queries (the harness replaces rollup's bench schema; the data and rollups stay) ----
for s in "${SERVERS[@]}"; do
    on "$s" "${VARS[@]}" -f "$HERE/queries.sql" >/dev/null
done
sql_of() { on single -Atc "SELECT sql FROM bench.query WHERE name = '$1'"; }
RAW_SQL=$(sql_of raw)
QUERIES="ARRAY['raw']"
[ "$WITH_OPS" = 1 ] && QUERIES="ARRAY['raw','ops']"

# --- pushdown: (A) on COORD must be aggregated on the shards -------------------------------------
T_CHECKS=$(date +%s)
echo
say "checking that COORD pushes (A) down (EXPLAIN VERBOSE of the timed statement, serial and parallel):"
STATUS=0
for w in 0 2; do
    PLAN=$(on coord -At -c "SET max_parallel_workers_per_gather = $w" -c "EXPLAIN (VERBOSE, COSTS OFF) SELECT count(s.*) FROM ($RAW_SQL) s")
    agg=$(grep -c 'Relations: Aggregate on' <<<"$PLAN" || true)
    fscan=$(grep -c 'Foreign Scan' <<<"$PLAN" || true)
    if ((agg == 2 && fscan == 2)); then verdict=OK; else verdict=FAIL; STATUS=1; fi
    printf '%-8s %s  (%s)\n' "$verdict" "(A) pushed down, max_parallel_workers_per_gather = $w: a Foreign Scan per shard, each \"Relations: Aggregate on\"" \
        "$fscan Foreign Scan nodes, $agg aggregate pushdowns"
    [ "$w" = 0 ] && { echo "$PLAN" >"$LOGDIR/explain-raw-coord.txt"; PLAN_RAW=$PLAN; }
done
echo "  plan (serial; full text in log/bench-scale/explain-raw-coord.txt):"
grep -E '^ *(->  )?[A-Z][A-Za-z ]+( on [a-z_.0-9]+.*)?$|Relations:|Remote SQL:' <<<"$PLAN_RAW" | sed 's/^/    /'
# The same query written with now(): postgres_fdw ships no stable function.
NOW_SQL=${RAW_SQL//"occurred_at >= '$FROM_TS' AND occurred_at < '$TO_TS'"/"occurred_at >= now() - interval '30 days'"}
[[ "$NOW_SQL" != "$RAW_SQL" ]] || fail "could not rewrite (A) with now()"
NOW_PLAN=$(on coord -At -c "EXPLAIN (VERBOSE, COSTS OFF) $NOW_SQL")
echo "$NOW_PLAN" >"$LOGDIR/explain-raw-now-coord.txt"
printf 'info     %s: %s  (%s)\n' "(A) written with occurred_at >= now() - interval '30 days'" \
    "$(grep -c 'Relations: Aggregate on' <<<"$NOW_PLAN" || true) aggregate pushdowns" \
    "$(grep -m1 -o 'Remote SQL: .*' <<<"$NOW_PLAN" | cut -c1-160); plan in log/bench-scale/explain-raw-now-coord.txt"
if [ "$STATUS" != 0 ]; then
    echo "NOT PUSHED DOWN: COORD aggregates (A) itself (see the plan above); no timing" >&2
    exit 1
fi

# --- correctness ------------------------------------------------------------------------------
say "checking: the results of COORD and the shards against SINGLE's (the timed SQL, run once on each) ..."
on single -c "CREATE TABLE bench.other_raw (server text, platform text, request_count bigint, error_5xx_count bigint, p99_latency_ms float8)" \
    -c "CREATE TABLE bench.other_ops (server text, platform text, request_count bigint, success_count bigint, error_count bigint,
          error_4xx_count bigint, error_5xx_count bigint, timeout_count bigint, error_rate float8, avg_latency_ms float8,
          p50_latency_ms float8, p90_latency_ms float8, p95_latency_ms float8, p99_latency_ms float8, max_latency_ms float8,
          latency_sample_count bigint)"
for s in coord shard1 shard2; do
    on "$s" -c "COPY (SELECT '$s', * FROM ($RAW_SQL) q) TO STDOUT" | on single -c "COPY bench.other_raw FROM STDIN"
    if [ "$WITH_OPS" = 1 ]; then
        on "$s" -c "COPY (SELECT '$s', * FROM ($(sql_of ops)) q) TO STDOUT" | on single -c "COPY bench.other_ops FROM STDIN"
    fi
done
CHECKS=$(on single "${VARS[@]}" -At -F '|' -f "$HERE/checks.sql")
declare -A P99_DIFF P99_EQ
while IFS='|' read -r _ c diff eq rows; do
    P99_DIFF[$c]=$diff P99_EQ[$c]="$eq of $rows"
done < <(grep '^P99|' <<<"$CHECKS")
grep '^INFO|' <<<"$CHECKS" | awk -F'|' '{printf "info     %s: %s  (%s)\n", $2, $3, $4}'
while IFS='|' read -r _ name verdict detail; do
    printf '%-8s %s  (%s)\n' "$verdict" "$name" "$detail"
    [ "$verdict" = OK ] || STATUS=1
done < <(grep '^CHECK|' <<<"$CHECKS")
NCHECKS=3
[ "$WITH_OPS" = 1 ] && NCHECKS=8
[ "$(grep -c '^CHECK|' <<<"$CHECKS")" = "$NCHECKS" ] || { echo "MISMATCH: checks did not all run" >&2; STATUS=1; }
if [ "$STATUS" != 0 ]; then
    echo "MISMATCH: the coordinator's figures differ from SINGLE's (see above); no timing" >&2
    exit 1
fi

# --- timing -----------------------------------------------------------------------------------
# bench/harness.sql's bench.round on one server at a time, the servers in an order that rotates
# with the round. Each round is a new session on each server that first runs every query once
# untimed (COORD: opens its connections to the shards).
echo
T_TIMING=$(date +%s)
say "timing: 1 warm-up round + $RUNS rounds; a round runs on SINGLE, COORD, SHARD1 and SHARD2 in turn every query serial, then parallel ((B) $OPS_REPS times each)"
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
for r in $(seq 0 "$RUNS"); do
    for k in 0 1 2 3; do
        s=${SERVERS[(r + k) % 4]}
        on "$s" -c "SELECT count(bench.time_once(sql, 2)) FROM bench.query" -c "SELECT bench.round($r, $QUERIES)" >/dev/null
    done
    for s in "${SERVERS[@]}"; do
        on "$s" -At -c "
          SELECT string_agg(mode || ': ' || t, '; ' ORDER BY mode DESC)
          FROM (SELECT mode, string_agg(query || '=' || ms || 'ms', ' ' ORDER BY query DESC) AS t
                FROM (SELECT query, mode, round(percentile_cont(0.5) WITHIN GROUP (ORDER BY ms)::numeric, 1) AS ms
                      FROM bench.result WHERE round = $r GROUP BY query, mode) x
                GROUP BY mode) y" | sed "s/^/         round $r ${s^^}: /"
    done
done
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)
T_TIMED=$(date +%s)

# --- what the coordinator sends the shards ----------------------------------------------------
echo
say "what COORD sends the shards: one more serial execution of each query on COORD under auto_explain (log_analyze, log_verbose, log_nested_statements, every statement; full plans in log/bench-scale/explain-*-analyze.txt), summarised (remote_sql.pl), and SINGLE's for comparison:"
for q in raw ops; do
    [ "$q" = ops ] && [ "$WITH_OPS" != 1 ] && continue
    sql=$(sql_of "$q")
    for s in coord single; do
        on "$s" -c "SET max_parallel_workers_per_gather = 0" -c "SELECT count(s.*) FROM ($sql) s" \
            -c "LOAD 'auto_explain'" -c "SET auto_explain.log_min_duration = 0" -c "SET auto_explain.log_analyze = on" \
            -c "SET auto_explain.log_verbose = on" -c "SET auto_explain.log_nested_statements = on" \
            -c "SET auto_explain.log_format = json" -c "SET auto_explain.log_level = notice" \
            -c "SELECT count(s.*) FROM ($sql) s" >/dev/null 2>"$LOGDIR/explain-$q-$s-analyze.txt"
        perl "$HERE/remote_sql.pl" "$([ "$q" = raw ] && echo '(A) raw aggregate' || echo '(B) ops_metrics') on ${s^^}" <"$LOGDIR/explain-$q-$s-analyze.txt"
    done
done

# --- results ----------------------------------------------------------------------------------
# Every server's timings into SINGLE's bench.all_result, the table from there.
on single -c "CREATE TABLE bench.all_result (server text, query text, mode text, round int, ms float8)"
for s in "${SERVERS[@]}"; do
    on "$s" -c "COPY (SELECT '$s', query, mode, round, ms FROM bench.result) TO STDOUT" | on single -c "COPY bench.all_result FROM STDIN"
done
echo
echo "== opsagg $OPSAGG_VERSION scale-out benchmark, $EVENTS events over $DAYS days, SINGLE against COORD over 2 shards (postgres_fdw, use_remote_estimate $REMOTE_ESTIMATE), all on this machine, median of $RUNS rounds, PostgreSQL $("$PGBIN/postgres" -V | awk '{print $3}'), $(nproc) cores, server default planner/JIT settings =="
on single -v p_raw="${P99_DIFF[raw]}" -v p_ops="${P99_DIFF[ops]:-0}" -v e_raw="${P99_EQ[raw]}" -v e_ops="${P99_EQ[ops]:-}" <<'EOF'
\pset footer off
WITH med AS (
    SELECT server, query, mode, percentile_cont(0.5) WITHIN GROUP (ORDER BY ms) AS ms
    FROM bench.all_result WHERE round > 0 GROUP BY 1, 2, 3
)
SELECT c.label AS "case", m.mode,
       round(s.ms::numeric, CASE WHEN s.ms < 100 THEN 1 ELSE 0 END) AS "SINGLE ms",
       round(k.ms::numeric, CASE WHEN k.ms < 100 THEN 1 ELSE 0 END) AS "COORD ms",
       round((k.ms / s.ms)::numeric, 2) AS "ratio COORD / SINGLE",
       round(a.ms::numeric, CASE WHEN a.ms < 100 THEN 1 ELSE 0 END) AS "SHARD1 ms",
       round(b.ms::numeric, CASE WHEN b.ms < 100 THEN 1 ELSE 0 END) AS "SHARD2 ms",
       round((greatest(a.ms, b.ms) / s.ms)::numeric, 2) AS "slower shard / SINGLE",
       CASE WHEN m.mo = 1 THEN c.p99 END AS "p99 COORD vs SINGLE"
FROM (VALUES (1, 'raw', '(A) raw aggregate, GROUP BY platform', round(100 * :p_raw::numeric, 3) || ' % max (' || :'e_raw' || ' equal)'),
             (2, 'ops', '(B) ops_metrics', round(100 * :p_ops::numeric, 3) || ' % max (' || :'e_ops' || ' equal)')
     ) c(o, name, label, p99)
CROSS JOIN (VALUES ('serial', 1), ('parallel', 2)) m(mode, mo)
JOIN med s ON s.server = 'single' AND s.query = c.name AND s.mode = m.mode
JOIN med k ON k.server = 'coord' AND k.query = c.name AND k.mode = m.mode
JOIN med a ON a.server = 'shard1' AND a.query = c.name AND a.mode = m.mode
JOIN med b ON b.server = 'shard2' AND b.query = c.name AND b.mode = m.mode
ORDER BY c.o, m.mo;
EOF
[ "$WITH_OPS" = 1 ] || echo "(B) SKIPPED: the installed opsagg has no remote rollup sources (ops_add_remote_rollup, ops_rollup_coverage_all)"
echo "ratio COORD / SINGLE: below 1 the coordinator over two shards is faster than one server with every event; slower shard / SINGLE: the same for the slower shard alone (the floor a coordinator can reach)."
echo "serial / parallel: max_parallel_workers_per_gather = 0 / 2 in the timing session of each server; the shards' side of a COORD query runs in postgres_fdw's cursor, which PostgreSQL never plans parallel."
echo "All four servers share this machine's $(nproc) cores: COORD's two shards scan at the same time (Async Append), each on a core."
echo "range: [$FROM_TS, $TO_TS)"
echo "load average (1/5/15 min) before timing: $LOAD_BEFORE, after: $LOAD_AFTER (the benchmark itself accounts for 1 to 2 of it on $(nproc) cores; more means other work shared the CPUs)"
echo "checks: $(grep '^CHECK|' <<<"$CHECKS" | awk -F'|' '{printf "%s%s", sep, $3; sep=" "}')"
echo "command: OPSAGG_BENCH_EVENTS=$EVENTS OPSAGG_BENCH_RUNS=$RUNS OPSAGG_BENCH_OPS_REPS=$OPS_REPS OPSAGG_BENCH_FETCH_SIZE=$FETCH_SIZE OPSAGG_BENCH_REMOTE_ESTIMATE=$REMOTE_ESTIMATE OPSAGG_BENCH_PORT=$PORT bash bench/scale/run.sh   (total $(($(date +%s) - T_START)) s: servers $((T_DATA - T_START)) s, data $((T_ROLLUP - T_DATA)) s, rollups and coordinator $((T_CHECKS - T_ROLLUP)) s, checks $((T_TIMING - T_CHECKS)) s, timing $((T_TIMED - T_TIMING)) s)"
