#!/usr/bin/env bash
# Dashboard benchmark: ops_metrics and ops_metrics_series against the raw query a user writes
# over the events, in one run, as ratios. See bench/dashboard/README.md.
#   bash bench/dashboard/run.sh
# Data: bench/rollup's (setup.sql, data.sql): 10 million events over the 30 days ending now,
# in public.events (index on occurred_at), registered with ops_add_source, rolled up by one
# worker cycle (its SQL steps, as bench/rollup calls them).
# (1) ops_metrics(now - 30 days, now, platform)  vs  SELECT count(*), ..., percentile_cont ...
#     WHERE occurred_at in the range AND platform = ...
# (2) ops_metrics(now - 30 days, now)            vs  the same GROUP BY ROLLUP (platform)
# (3) ops_metrics_series(hour - 30 days, hour, '1 hour') (720 buckets)  vs  the same
#     GROUP BY date_bin('1 hour', occurred_at, '2000-01-01'), platform
# Checks first (counts exact, p99 within 1 %; exit 1 on a mismatch), then the timing: one
# warm-up round and RUNS timed rounds (bench/harness.sql), serial and parallel; then one more
# serial execution of each opsagg query under auto_explain, summarised (plan_summary.pl): where
# its time goes.
# Needs opsagg built and installed (make install). Starts a throwaway PostgreSQL on a Unix socket
# in a temp dir (port $OPSAGG_BENCH_PORT), with the server's default planner and JIT settings,
# and removes it on exit. The rollup worker is not preloaded: the benchmark calls its steps.
# Knobs (environment; a quick run: OPSAGG_BENCH_EVENTS=200000):
#   OPSAGG_BENCH_EVENTS=10000000   events over the 30 days
#   OPSAGG_BENCH_RUNS=5            timed rounds after one warm-up round
#   OPSAGG_BENCH_OPS_REPS=10       executions of each opsagg query per round and mode
#   OPSAGG_BENCH_PLATFORM=anthropic  the platform of (1) (anthropic 50 % of the events)
#   OPSAGG_BENCH_PORT=54381 PG_CONFIG=/usr/lib/postgresql/15/bin/pg_config
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
ROLLUP=$ROOT/bench/rollup
PG_CONFIG=${PG_CONFIG:-/usr/lib/postgresql/15/bin/pg_config}
PGBIN=$("$PG_CONFIG" --bindir)
EVENTS=${OPSAGG_BENCH_EVENTS:-10000000}
RUNS=${OPSAGG_BENCH_RUNS:-5}
OPS_REPS=${OPSAGG_BENCH_OPS_REPS:-10}
PLATFORM=${OPSAGG_BENCH_PLATFORM:-anthropic}
PORT=${OPSAGG_BENCH_PORT:-54381}
DAYS=30   # the range of every case; also the hourly retention, where the first catch-up starts

T_START=$(date +%s)
say() { printf '[%4ss] %s\n' "$(($(date +%s) - T_START))" "$*"; }
fail() { echo "run.sh: $*" >&2; exit 2; }

for v in EVENTS RUNS OPS_REPS PORT; do
    [[ "${!v}" =~ ^[1-9][0-9]*$ ]] || fail "$v must be a positive integer (got '${!v}')"
done
[[ "$PLATFORM" =~ ^(anthropic|openai|gemini)$ ]] || fail "OPSAGG_BENCH_PLATFORM must be anthropic, openai or gemini"

# --- throwaway server -------------------------------------------------------------------
# shellcheck source=../lib.sh
source "$ROOT/bench/lib.sh"
bench_require_opsagg "$PG_CONFIG" || exit 2
say "starting PostgreSQL (port $PORT)"
bench_start_server "$PORT" "$ROOT/log/bench-dashboard" || fail "could not start PostgreSQL"
PSQL=("$PGBIN/psql" -X -q -v ON_ERROR_STOP=1)

"${PSQL[@]}" -c 'CREATE EXTENSION opsagg' -c 'CREATE EXTENSION pg_prewarm' >/dev/null
OPSAGG_VERSION=$("${PSQL[@]}" -Atc "SELECT extversion FROM pg_extension WHERE extname = 'opsagg'")
MISSING=$("${PSQL[@]}" -Atc "
    SELECT string_agg(f, ', ') FROM unnest(ARRAY['ops_add_source(regclass,regclass,name)',
        'ops_metrics(timestamptz,timestamptz,text)', 'ops_metrics_series(timestamptz,timestamptz,interval,text)',
        'ops_worker_cycle_begin()', 'ops_worker_cycle_step()', 'ops_worker_cycle_end()']) AS f
    WHERE to_regprocedure('public.' || f) IS NULL")
[[ -z "$MISSING" ]] || fail "the installed opsagg has no dashboards (missing: $MISSING)"

# The data ends now (T): the first catch-up starts at the hourly retention cutoff, now - 30 days.
# (1) and (2): [T - 30 days, T), unaligned edges, ending in the open hour; (3): the 720 whole
# hours before T's hour.
read -r TO_TS HOUR_TO < <("${PSQL[@]}" -At -F ' ' -c "SELECT to_char(now(), 'YYYY-MM-DD\"T\"HH24:MI:SS.USOF'),
                                                          to_char(date_trunc('hour', now()), 'YYYY-MM-DD\"T\"HH24:MI:SSOF')")
FROM_TS=$("${PSQL[@]}" -Atc "SELECT to_char('$TO_TS'::timestamptz - interval '$DAYS days', 'YYYY-MM-DD\"T\"HH24:MI:SS.USOF')")
HOUR_FROM=$("${PSQL[@]}" -Atc "SELECT to_char('$HOUR_TO'::timestamptz - interval '$DAYS days', 'YYYY-MM-DD\"T\"HH24:MI:SSOF')")
VARS=(-v "from_ts=$FROM_TS" -v "to_ts=$TO_TS" -v "hour_from=$HOUR_FROM" -v "hour_to=$HOUR_TO"
      -v "platform=$PLATFORM" -v "ops_reps=$OPS_REPS")

# --- data: bench/rollup's ---------------------------------------------------------------------
say "generating $EVENTS events over the $DAYS days up to $TO_TS (bench/rollup/setup.sql, data.sql) ..."
"${PSQL[@]}" -f "$ROLLUP/setup.sql" >/dev/null
"${PSQL[@]}" -v lo=0 -v hi="$EVENTS" -v n="$EVENTS" -v days="$DAYS" -v anchor="$TO_TS" -f "$ROLLUP/data.sql"
"${PSQL[@]}" -c "SELECT ops_add_source('public.events', watch => 'public.events', watch_time_column => 'occurred_at')" >/dev/null
"${PSQL[@]}" -c "SELECT pg_prewarm('public.events'), pg_prewarm('public.events_occurred_at_idx')" >/dev/null
"${PSQL[@]}" -At -F ' ' <<'EOF' | { read -r n sz isz mn mx; say "$n events, table $sz, index on occurred_at $isz, from $mn to $mx (prewarmed)"; }
SELECT count(*), replace(pg_size_pretty(pg_relation_size('public.events')), ' ', ''),
       replace(pg_size_pretty(pg_relation_size('public.events_occurred_at_idx')), ' ', ''),
       to_char(min(occurred_at), 'YYYY-MM-DD"T"HH24:MI:SS'), to_char(max(occurred_at), 'YYYY-MM-DD"T"HH24:MI:SS')
FROM public.events;
EOF

say "rolling up: the worker's first cycle (ops_worker_cycle_begin, _step until false, _end: bench/rollup's bench.cycle) ..."
"${PSQL[@]}" -c "CALL bench.cycle('first_cycle', 'first_cycle', 1)"
"${PSQL[@]}" -At -F ' ' -c "SELECT round(ms::numeric), steps FROM bench.result WHERE part = 'first_cycle'" |
    { read -r ms steps; say "first cycle: $ms ms, $steps steps"; }
"${PSQL[@]}" -At -F ' ' <<'EOF' | { read -r h hs d ds; say "ops_metrics_hourly: $h rows ($hs), ops_metrics_daily: $d rows ($ds)"; }
SELECT (SELECT count(*) FROM public.ops_metrics_hourly), replace(pg_size_pretty(pg_total_relation_size('public.ops_metrics_hourly')), ' ', ''),
       (SELECT count(*) FROM public.ops_metrics_daily), replace(pg_size_pretty(pg_total_relation_size('public.ops_metrics_daily')), ' ', '');
EOF
"${PSQL[@]}" -c "SELECT pg_prewarm('public.ops_metrics_hourly'), pg_prewarm('public.ops_metrics_daily')" >/dev/null
"${PSQL[@]}" -c "SELECT rolled_from, next_hour, hourly_from, daily_from FROM public.ops_rollup_state"

# --- the queries (the harness replaces rollup's bench schema; the data and rollups stay) ------
"${PSQL[@]}" "${VARS[@]}" -f "$HERE/queries.sql" >/dev/null

# --- correctness ------------------------------------------------------------------------------
say "checking: every case's opsagg result against its raw query (with percentile_disc added) ..."
CHECKS=$("${PSQL[@]}" "${VARS[@]}" -At -F '|' -f "$HERE/checks.sql")
# p99: within 1 % of percentile_cont where the raw figure is over many samples ((1), (2));
# see the README on (3).
while IFS='|' read -r _ c cont disc groups over1 nullmis minsamples maxsamples; do
    P99_CONT[c]=$cont P99_DISC[c]=$disc
    if [[ "$c" != 3 ]]; then
        verdict=$(awk -v d="$cont" -v n="$nullmis" 'BEGIN { print (d <= 0.01 && n == 0) ? "OK" : "MISMATCH" }')
        CHECKS+=$'\n'"CHECK|($c) p99 within 1 % of percentile_cont's, every row|$verdict|largest relative difference $(awk -v d="$cont" 'BEGIN { printf "%.3f %%", 100 * d }') over $groups rows"
    else
        verdict=$(awk -v d="$disc" -v n="$nullmis" 'BEGIN { print (d <= 0.01 * (1 + 1e-9) && n == 0) ? "OK" : "MISMATCH" }')
        CHECKS+=$'\n'"CHECK|(3) p99 within 1 % of the nearest-rank p99 (percentile_disc), every (hour, platform)|$verdict|largest relative difference $(awk -v d="$disc" 'BEGIN { printf "%.3f %%", 100 * d }') over $groups rows; to percentile_cont: largest $(awk -v d="$cont" 'BEGIN { printf "%.3f %%", 100 * d }'), over 1 % in $over1 rows (of $minsamples to $maxsamples samples)"
    fi
done < <(grep '^P99|' <<<"$CHECKS")
STATUS=0
grep '^INFO|' <<<"$CHECKS" | awk -F'|' '{printf "info     %s: %s  (%s)\n", $2, $3, $4}'
while IFS='|' read -r _ name verdict detail; do
    printf '%-8s %s  (%s)\n' "$verdict" "$name" "$detail"
    [ "$verdict" = OK ] || STATUS=1
done < <(grep '^CHECK|' <<<"$CHECKS")
[ "$(grep -c '^CHECK|' <<<"$CHECKS")" = 8 ] || { echo "MISMATCH: checks did not all run" >&2; STATUS=1; }
if [ "$STATUS" != 0 ]; then
    echo "MISMATCH: opsagg's figures differ from the raw query's (see above); no timing" >&2
    exit 1
fi

# --- plans ------------------------------------------------------------------------------------
echo
echo "plans of the raw queries (node chain, outermost first):"
"${PSQL[@]}" -At -F '  ' -c "
SELECT rpad(name, 10), rpad(m.mode, 8), bench.plan_shape(sql, m.w)
FROM bench.query CROSS JOIN (VALUES ('serial', 0, 1), ('parallel', 2, 2)) m(mode, w, o)
WHERE name LIKE 'raw%'
ORDER BY array_position(ARRAY['raw_one','raw_all','raw_series'], name), m.o" | sed 's/^/  /'

# --- timing -----------------------------------------------------------------------------------
echo
say "timing: 1 warm-up round + $RUNS rounds; a round runs every query serial, then parallel (opsagg queries $OPS_REPS times each)"
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
bench_rounds "$RUNS" "ARRAY['raw_one','ops_one','raw_all','ops_all','raw_series','ops_series']"
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)

# --- where the opsagg queries' time goes ----------------------------------------------------------
echo
say "where the opsagg queries' time goes: one more serial execution each under auto_explain (log_analyze, log_nested_statements, statements of 1 ms or more; full plans in log/bench-dashboard/explain-*.txt):"
for c in one all series; do
    sql=$("${PSQL[@]}" -Atc "SELECT sql FROM bench.query WHERE name = 'ops_$c'")
    "${PSQL[@]}" -c "SET max_parallel_workers_per_gather = 0" -c "SELECT count(s.*) FROM ($sql) s" \
        -c "LOAD 'auto_explain'" -c "SET auto_explain.log_min_duration = '1ms'" -c "SET auto_explain.log_analyze = on" \
        -c "SET auto_explain.log_nested_statements = on" -c "SET auto_explain.log_format = json" \
        -c "SET auto_explain.log_level = notice" -c "SELECT count(s.*) FROM ($sql) s" >/dev/null 2>"$OPSAGG_LOGDIR/explain-$c.txt"
    perl "$HERE/plan_summary.pl" "ops_$c" <"$OPSAGG_LOGDIR/explain-$c.txt"
done

# --- results ----------------------------------------------------------------------------------
echo
echo "== opsagg $OPSAGG_VERSION dashboard benchmark, $EVENTS events over $DAYS days, median of $RUNS rounds, PostgreSQL $("$PGBIN/postgres" -V | awk '{print $3}'), $(nproc) cores, server default planner/JIT settings =="
"${PSQL[@]}" -v p1="${P99_CONT[1]}" -v p2="${P99_CONT[2]}" -v p3="${P99_CONT[3]}" \
    -v d1="${P99_DISC[1]}" -v d2="${P99_DISC[2]}" -v d3="${P99_DISC[3]}" <<'EOF'
\pset footer off
SELECT c.label AS "case", m.mode,
       round(r.ms::numeric) AS "raw ms",
       round(o.ms::numeric, 1) AS "opsagg ms",
       round((r.ms / o.ms)::numeric, CASE WHEN r.ms / o.ms < 10 THEN 1 ELSE 0 END) AS "ratio raw/opsagg",
       CASE WHEN r.ms / o.ms >= 100 THEN 'yes' ELSE 'NO' END AS ">= 100x",
       c.p99 AS "max p99 rel diff"
FROM (VALUES (1, 'one', '(1) ops_metrics, 1 platform', :p1::numeric, :d1::numeric),
             (2, 'all', '(2) ops_metrics, all platforms', :p2, :d2),
             (3, 'series', '(3) ops_metrics_series, 720 x 1 h', :p3, :d3)
     ) v(o, name, label, cont, disc),
     LATERAL (SELECT v.*, round(100 * cont, 3) || ' % (' || round(100 * disc, 3) || ' % to disc)' AS p99) c
CROSS JOIN (VALUES ('serial', 1), ('parallel', 2)) m(mode, mo)
JOIN bench.median r ON r.query = 'raw_' || c.name AND r.mode = m.mode
JOIN bench.median o ON o.query = 'ops_' || c.name AND o.mode = m.mode
ORDER BY c.o, m.mo;
EOF
echo "raw = the query a user writes over public.events (count(*) FILTER ..., avg, percentile_cont(0.5/0.9/0.95/0.99), max);"
echo "opsagg = SELECT * FROM ops_metrics(...) / ops_metrics_series(...) (which also computes the previous 30 days and a total row per bucket)."
echo "serial: max_parallel_workers_per_gather = 0; parallel: = 2 (the server's setting here). p99 rel diff: |opsagg - percentile_cont| / percentile_cont, largest row (to disc: against percentile_disc, the nearest rank)."
echo "ranges: (1) (2) [$FROM_TS, $TO_TS)  (3) [$HOUR_FROM, $HOUR_TO)  platform of (1): $PLATFORM"
echo "load average (1/5/15 min) before timing: $LOAD_BEFORE, after: $LOAD_AFTER (the benchmark itself accounts for about 1 of it on $(nproc) cores; more means other work shared the CPUs)"
echo "checks: $(grep '^CHECK|' <<<"$CHECKS" | awk -F'|' '{printf "%s%s", sep, $3; sep=" "}')"
echo "command: OPSAGG_BENCH_EVENTS=$EVENTS OPSAGG_BENCH_RUNS=$RUNS OPSAGG_BENCH_OPS_REPS=$OPS_REPS OPSAGG_BENCH_PLATFORM=$PLATFORM bash bench/dashboard/run.sh   (total $(($(date +%s) - T_START)) s)"
