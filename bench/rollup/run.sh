#!/usr/bin/env bash
# Ops rollup benchmark: the cost of opsagg's rollups and of its change tracking, each against
# a baseline measured in the same run. See bench/rollup/README.md.
#   bash bench/rollup/run.sh
# (a) first backfill of 30 days (10 million events): ops_refresh, and the worker's own first
#     cycle, against the one-statement INSERT ... SELECT ... percentile_cont ... GROUP BY
# (b) steady state: one worker cycle after one new minute of events and 10 late events in 10
#     old hours, with 1 million and with 10 million events of history (same event rate)
# (c) bulk inserts (100 x 10,000-row INSERT ... SELECT) into a registered source table against
#     an identical unregistered one: the overhead of change tracking
# Needs opsagg built and installed (make install). Starts a throwaway PostgreSQL on a Unix socket
# in a temp dir (port $OPSAGG_BENCH_PORT), with the server's default planner and JIT settings,
# and removes it on exit. The rollup worker is not preloaded: the benchmark calls its steps.
# Knobs (environment; a quick run: OPSAGG_BENCH_EVENTS=200000):
#   OPSAGG_BENCH_EVENTS=10000000   events of history in (a) and the large case of (b)
#   OPSAGG_BENCH_DAYS=30           days they span (at most 30: the hourly retention)
#   OPSAGG_BENCH_SMALL_EVENTS=EVENTS/10  the small history of (b), the most recent events
#   OPSAGG_BENCH_RUNS=3            timed rounds of (a) after one warm-up round
#   OPSAGG_BENCH_CYCLES=9          timed steady-state cycles per history after one warm-up
#   OPSAGG_BENCH_LATE=10           late events (in as many old hours) before each cycle
#   OPSAGG_BENCH_BATCHES=100 OPSAGG_BENCH_BATCH_ROWS=10000  the bulk inserts of (c)
#   OPSAGG_BENCH_INSERT_ROUNDS=3   timed rounds of (c) after one warm-up round
#   OPSAGG_BENCH_PORT=54379 PG_CONFIG=/usr/lib/postgresql/15/bin/pg_config
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
PG_CONFIG=${PG_CONFIG:-/usr/lib/postgresql/15/bin/pg_config}
PGBIN=$("$PG_CONFIG" --bindir)
EVENTS=${OPSAGG_BENCH_EVENTS:-10000000}
DAYS=${OPSAGG_BENCH_DAYS:-30}
SMALL=${OPSAGG_BENCH_SMALL_EVENTS:-$((EVENTS / 10))}
RUNS=${OPSAGG_BENCH_RUNS:-3}
CYCLES=${OPSAGG_BENCH_CYCLES:-9}
LATE=${OPSAGG_BENCH_LATE:-10}
BATCHES=${OPSAGG_BENCH_BATCHES:-100}
BATCH_ROWS=${OPSAGG_BENCH_BATCH_ROWS:-10000}
INSERT_ROUNDS=${OPSAGG_BENCH_INSERT_ROUNDS:-3}
PORT=${OPSAGG_BENCH_PORT:-54379}

T_START=$(date +%s)
say() { printf '[%4ss] %s\n' "$(($(date +%s) - T_START))" "$*"; }
fail() { echo "run.sh: $*" >&2; exit 2; }

for v in EVENTS DAYS SMALL RUNS CYCLES LATE BATCHES BATCH_ROWS INSERT_ROUNDS PORT; do
    [[ "${!v}" =~ ^[1-9][0-9]*$ ]] || fail "$v must be a positive integer (got '${!v}')"
done
((DAYS <= 30)) || fail "OPSAGG_BENCH_DAYS must be at most 30 (the hourly retention)"
((SMALL < EVENTS)) || fail "OPSAGG_BENCH_SMALL_EVENTS must be below OPSAGG_BENCH_EVENTS"
# The event rate of the history, per minute: each steady-state cycle gets one minute of it.
PER_MINUTE=$(((EVENTS + DAYS * 720) / (DAYS * 1440)))
((PER_MINUTE >= 1)) || PER_MINUTE=1
# Hours of each history (the small one is the most recent SMALL events at the same rate).
FULL_HOURS=$((DAYS * 24))
SMALL_HOURS=$((DAYS * 24 * SMALL / EVENTS))
((SMALL_HOURS >= LATE + 4)) || fail "the small history spans $SMALL_HOURS hours: too few for $LATE late events in distinct old hours"

# --- throwaway server -------------------------------------------------------------------
# shellcheck source=../lib.sh
source "$ROOT/bench/lib.sh"
bench_require_opsagg "$PG_CONFIG" || exit 2
say "starting PostgreSQL (port $PORT)"
bench_start_server "$PORT" "$ROOT/log/bench-rollup" || fail "could not start PostgreSQL"
PSQL=("$PGBIN/psql" -X -q -v ON_ERROR_STOP=1)

for db in hist_full hist_small inserts; do
    "${PSQL[@]}" -c "CREATE DATABASE $db" >/dev/null
    "${PSQL[@]}" -d "$db" -c 'CREATE EXTENSION opsagg' -c 'CREATE EXTENSION pg_prewarm' >/dev/null
    "${PSQL[@]}" -d "$db" -f "$HERE/setup.sql" >/dev/null
done
OPSAGG_VERSION=$("${PSQL[@]}" -d hist_full -Atc "SELECT extversion FROM pg_extension WHERE extname = 'opsagg'")
MISSING=$("${PSQL[@]}" -d hist_full -Atc "
    SELECT string_agg(f, ', ') FROM unnest(ARRAY['ops_add_source(regclass,regclass,name)',
        'ops_refresh(timestamptz,timestamptz)', 'ops_worker_cycle_begin()', 'ops_worker_cycle_step()',
        'ops_worker_cycle_end()']) AS f
    WHERE to_regprocedure('public.' || f) IS NULL")
[[ -z "$MISSING" ]] || fail "the installed opsagg has no ops rollups (missing: $MISSING)"

# Every timestamp is relative to one hour boundary, fixed here: the history ends at it.
ANCHOR=$("${PSQL[@]}" -d hist_full -Atc "SELECT date_trunc('hour', now())")
FROM_TS=$("${PSQL[@]}" -d hist_full -Atc "SELECT '$ANCHOR'::timestamptz - $DAYS * interval '1 day'")

# --- data ---------------------------------------------------------------------------------
say "generating $EVENTS events over $DAYS days up to $ANCHOR (database hist_full) and the most recent $SMALL of them (database hist_small) ..."
"${PSQL[@]}" -d hist_full -v lo=0 -v hi="$EVENTS" -v n="$EVENTS" -v days="$DAYS" -v anchor="$ANCHOR" -f "$HERE/data.sql"
"${PSQL[@]}" -d hist_small -v lo=$((EVENTS - SMALL)) -v hi="$EVENTS" -v n="$EVENTS" -v days="$DAYS" -v anchor="$ANCHOR" -f "$HERE/data.sql"
for db in full small; do
    "${PSQL[@]}" -d "hist_$db" -c "SELECT ops_add_source('public.events', watch => 'public.events', watch_time_column => 'occurred_at')" >/dev/null
    "${PSQL[@]}" -d "hist_$db" -c "SELECT pg_prewarm('public.events'), pg_prewarm('public.events_occurred_at_idx')" >/dev/null
done
"${PSQL[@]}" -d hist_full -At -F ' ' <<'EOF' | { read -r n sz isz mn mx; say "full: $n events, table $sz, index $isz, from $mn to $mx (prewarmed)"; }
SELECT count(*), replace(pg_size_pretty(pg_relation_size('public.events')), ' ', ''),
       replace(pg_size_pretty(pg_relation_size('public.events_occurred_at_idx')), ' ', ''),
       to_char(min(occurred_at), 'YYYY-MM-DD"T"HH24:MI'), to_char(max(occurred_at), 'YYYY-MM-DD"T"HH24:MI')
FROM public.events;
EOF
"${PSQL[@]}" -d hist_small -At -F ' ' -c "SELECT count(*), to_char(min(occurred_at), 'YYYY-MM-DD\"T\"HH24:MI') FROM public.events" |
    { read -r n mn; say "small: $n events from $mn (the same rate: $PER_MINUTE a minute)"; }

# --- (a) first backfill -------------------------------------------------------------------
say "(a) the worker's first cycle (catch-up from an empty state) in full, then in small ..."
"${PSQL[@]}" -d hist_full -c "CALL bench.cycle('first_cycle', 'worker_first_cycle', 1)"
"${PSQL[@]}" -d hist_small -c "CALL bench.cycle('first_cycle', 'worker_first_cycle', 1)"
say "(a) $((RUNS + 1)) rounds (1 warm-up) of: hourly baseline, daily baseline, ops_refresh('$FROM_TS', '$ANCHOR') ..."
for r in $(seq 0 "$RUNS"); do
    "${PSQL[@]}" -d hist_full -c "CALL bench.backfill_round($r, '$FROM_TS', '$ANCHOR')"
    "${PSQL[@]}" -d hist_full -At -c "SELECT string_agg(name || '=' || round(ms::numeric) || 'ms', ' ' ORDER BY started)
                                FROM bench.result WHERE part = 'backfill' AND round = $r" | sed "s/^/         round $r: /"
done

CHECKS=$("${PSQL[@]}" -d hist_full -At -F '|' -v from_ts="$FROM_TS" -v to_ts="$ANCHOR" <<'EOF'
CREATE TEMP TABLE cmp AS
SELECT b.*, h.request_count AS o_request, h.success_count AS o_success, h.error_count AS o_error,
       h.error_4xx_count AS o_4xx, h.error_5xx_count AS o_5xx, h.timeout_count AS o_timeout,
       h.latency_sample_count AS o_samples, h.avg_latency_ms AS o_avg, h.error_rate AS o_rate,
       h.p50_latency_ms AS o_p50, h.p99_latency_ms AS o_p99, h.max_latency_ms AS o_max
FROM bench.base_hourly b
FULL JOIN (SELECT * FROM public.ops_metrics_hourly
           WHERE bucket_start >= :'from_ts' AND bucket_start < :'to_ts') h
  ON h.bucket_start = b.bucket_start AND h.platform = b.platform;
SELECT 'CHECK', '(a) ops_metrics_hourly counts = the baseline''s, every (hour, platform)',
       CASE WHEN count(*) > 0 AND bool_and(request_count = o_request AND success_count = o_success
                 AND error_count = o_error AND error_4xx_count = o_4xx AND error_5xx_count = o_5xx
                 AND timeout_count = o_timeout AND latency_sample_count = o_samples)
            THEN 'OK' ELSE 'MISMATCH' END,
       count(*) || ' rows, ' || coalesce(sum(o_request), 0) || ' events'
FROM cmp;
SELECT 'CHECK', '(a) avg, max and error_rate = the baseline''s (to 1e-9)',
       CASE WHEN count(*) > 0 AND bool_and(coalesce(abs(o_avg - avg_latency_ms) <= 1e-9 * avg_latency_ms,
                                                     o_avg IS NULL AND avg_latency_ms IS NULL)
                 AND o_max IS NOT DISTINCT FROM max_latency_ms AND abs(o_rate - error_rate) <= 1e-9)
            THEN 'OK' ELSE 'MISMATCH' END,
       'worst avg difference ' || to_char(max(abs(o_avg - avg_latency_ms) / avg_latency_ms), '9.9EEEE')
FROM cmp;
SELECT 'INFO', '(a) hourly p50 / p99 against percentile_cont, absolute difference in %',
       'median ' || round(percentile_cont(0.5) WITHIN GROUP (ORDER BY abs(o_p50 - p50_latency_ms) / p50_latency_ms)::numeric * 100, 2)
       || ' / ' || round(percentile_cont(0.5) WITHIN GROUP (ORDER BY abs(o_p99 - p99_latency_ms) / p99_latency_ms)::numeric * 100, 2)
       || ', worst ' || round(max(abs(o_p50 - p50_latency_ms) / p50_latency_ms)::numeric * 100, 2)
       || ' / ' || round(max(abs(o_p99 - p99_latency_ms) / p99_latency_ms)::numeric * 100, 2),
       'a 1 % sketch against an interpolated exact percentile; ' || round(avg(latency_sample_count))
       || ' samples an hour and platform on average, '
       || (array_agg(latency_sample_count ORDER BY abs(o_p99 - p99_latency_ms) / p99_latency_ms DESC))[1]
       || ' in the worst p99''s'
FROM cmp;
SELECT 'CHECK', '(a) ops_metrics_daily counts = the daily baseline''s',
       CASE WHEN count(*) > 0 AND bool_and(d.request_count IS NOT DISTINCT FROM b.request_count
                 AND d.error_count IS NOT DISTINCT FROM b.error_count
                 AND d.latency_sample_count IS NOT DISTINCT FROM b.latency_sample_count)
            THEN 'OK' ELSE 'MISMATCH' END,
       count(*) || ' rows'
FROM bench.base_daily b
FULL JOIN (SELECT * FROM public.ops_metrics_daily
           WHERE bucket_date >= (:'from_ts'::timestamptz)::date AND bucket_date < (:'to_ts'::timestamptz)::date) d
  ON d.bucket_date = b.bucket_date AND d.platform = b.platform
WHERE coalesce(b.bucket_date, d.bucket_date) > (:'from_ts'::timestamptz)::date
  AND coalesce(b.bucket_date, d.bucket_date) < (:'to_ts'::timestamptz)::date;
EOF
)

# --- (b) steady state -----------------------------------------------------------------------
# small and full: the late events go to the same old hours (within the small history's span),
# so both cycles do the same work and only the history differs; full_spread: the late hours
# spread over the whole large history (more distinct days to derive again).
echo
say "(b) $((CYCLES + 1)) rounds (1 warm-up) of: $PER_MINUTE new events (one minute) and $LATE late events in $LATE old hours, then one worker cycle; in small, full and full_spread, order rotating ..."
for r in $(seq 0 "$CYCLES"); do
    all=(small full full_spread)
    for j in 0 1 2; do
        case=${all[$(((r + j) % 3))]}
        db=hist_full hours=$SMALL_HOURS
        [[ "$case" == small ]] && db=hist_small
        [[ "$case" == full_spread ]] && hours=$FULL_HOURS
        "${PSQL[@]}" -d "$db" -c "CALL bench.steady_inserts($r, $PER_MINUTE, $LATE, $hours)"
        "${PSQL[@]}" -d "$db" -c "CALL bench.cycle('steady', '$case', $r)"
    done
    line=""
    for db in hist_small hist_full; do
        line+=$("${PSQL[@]}" -d "$db" -At -c "SELECT string_agg(name || '=' || round(ms::numeric, 1) || 'ms (' || steps || ' steps)', ' ' ORDER BY name DESC)
                                             FROM bench.result WHERE part = 'steady' AND round = $r")" "
    done
    echo "         round $r: $line"
done
# One more cycle, then every event of a closed hour must be counted.
for db in small full; do
    "${PSQL[@]}" -d "hist_$db" -c "CALL bench.cycle('final', 'final', 1)"
    CHECKS+=$'\n'$("${PSQL[@]}" -d "hist_$db" -At -F '|' <<EOF
WITH cut AS (SELECT date_trunc('hour', started) AS t FROM bench.result WHERE part = 'final')
SELECT 'CHECK', '(b) $db: ops_metrics_hourly = the events of every closed hour, late ones included',
       CASE WHEN raw = agg THEN 'OK' ELSE 'MISMATCH' END, raw || ' events, ' || agg || ' counted'
FROM (SELECT (SELECT count(*) FROM public.events, cut WHERE occurred_at < cut.t
                AND occurred_at >= date_trunc('hour', cut.t - interval '$DAYS days' + interval '1 hour')) AS raw,
             (SELECT coalesce(sum(request_count), 0) FROM public.ops_metrics_hourly, cut WHERE bucket_start < cut.t
                AND bucket_start >= date_trunc('hour', cut.t - interval '$DAYS days' + interval '1 hour')) AS agg) x;
EOF
)
done

# --- (c) bulk inserts -----------------------------------------------------------------------
echo
say "(c) $((INSERT_ROUNDS + 1)) rounds (1 warm-up) of $BATCHES x $BATCH_ROWS-row INSERT ... SELECT into a registered and an unregistered table ..."
"${PSQL[@]}" -d inserts -v batches="$BATCHES" -v rows="$BATCH_ROWS" -v days="$DAYS" -v anchor="$ANCHOR" \
    -v per_minute="$PER_MINUTE" >/dev/null <<'EOF'
CREATE TABLE public.events_tracked (LIKE public.events INCLUDING ALL);
CREATE INDEX ON public.events_tracked (occurred_at);
CREATE TABLE public.events_plain (LIKE public.events INCLUDING ALL);
CREATE INDEX ON public.events_plain (occurred_at);
SELECT ops_add_source('public.events_tracked', watch => 'public.events_tracked', watch_time_column => 'occurred_at');
-- recent: the batches follow each other in time at the history's rate (a log shipper
-- flushing), the last one ending at the anchor; scattered: every batch spreads over all the
-- days (the worst case for tracking changed hours).
CREATE UNLOGGED TABLE bench.feed AS
SELECT 'recent'::text AS variant, 1 + (row_number() OVER () - 1) / :rows AS batch, e.*
FROM bench.events(0, :batches * :rows, :batches * :rows, 7,
                  :'anchor'::timestamptz - (:batches * :rows / :per_minute) * interval '1 minute',
                  (:batches * :rows / :per_minute) * interval '1 minute') e
UNION ALL
SELECT 'scattered', 1 + (i - 1) % :batches, occurred_at, platform, status_code, latency_ms, is_timeout
FROM (SELECT row_number() OVER () AS i, e.*
      FROM bench.events(0, :batches * :rows, :batches * :rows, 8,
                        :'anchor'::timestamptz - :days * interval '1 day', :days * interval '1 day') e) s;
CREATE INDEX ON bench.feed (variant, batch);
VACUUM ANALYZE bench.feed;
SELECT pg_prewarm('bench.feed');
EOF
for r in $(seq 0 "$INSERT_ROUNDS"); do
    for variant in recent scattered; do
        "${PSQL[@]}" -d inserts -c "CALL bench.insert_round($r, '$variant', $BATCHES)"
    done
    "${PSQL[@]}" -d inserts -At -c "SELECT string_agg(part || ' ' || name || '=' || round(ms::numeric) || 'ms', ' ' ORDER BY part, name DESC)
                                FROM bench.result WHERE part LIKE 'insert%' AND round = $r" | sed "s/^/         round $r: /"
done
CHECKS+=$'\n'$("${PSQL[@]}" -d inserts -At -F '|' -c "
SELECT 'CHECK', '(c) both tables got every row', CASE WHEN t = p AND t = $BATCHES::bigint * $BATCH_ROWS THEN 'OK' ELSE 'MISMATCH' END,
       t || ' and ' || p || ' rows (last round)'
FROM (SELECT (SELECT count(*) FROM public.events_tracked) AS t, (SELECT count(*) FROM public.events_plain) AS p) x")

# --- results --------------------------------------------------------------------------------
echo
STATUS=0
while IFS='|' read -r _ name verdict detail; do
    printf '%-8s %s  (%s)\n' "$verdict" "$name" "$detail"
    [ "$verdict" = OK ] || STATUS=1
done < <(grep '^CHECK|' <<<"$CHECKS")
[ "$(grep -c '^CHECK|' <<<"$CHECKS")" = 6 ] || { echo "MISMATCH: checks did not all run" >&2; STATUS=1; }
grep '^INFO|' <<<"$CHECKS" | awk -F'|' '{printf "info     %s: %s  (%s)\n", $2, $3, $4}'

med() { "${PSQL[@]}" -d "$1" -At -c "SELECT ms FROM bench.median WHERE part = '$2' AND name = '$3'"; }
first() { "${PSQL[@]}" -d "$1" -At -c "SELECT ms FROM bench.result WHERE part = 'first_cycle'"; }
ratio() { "${PSQL[@]}" -d hist_full -At -c "SELECT round(($1)::numeric, ${2:-2})"; }
B_H=$(med hist_full backfill base_hourly); B_D=$(med hist_full backfill base_daily); B_R=$(med hist_full backfill ops_refresh)
B_F=$(first hist_full)
S_S=$(med hist_small steady small); S_F=$(med hist_full steady full); S_X=$(med hist_full steady full_spread)
steps() { "${PSQL[@]}" -d "$1" -At -c "SELECT steps FROM bench.median WHERE part = 'steady' AND name = '$2'"; }
OV=()
for variant in recent scattered; do
    OV+=("$("${PSQL[@]}" -d inserts -At -c "
        SELECT round((100 * (percentile_cont(0.5) WITHIN GROUP (ORDER BY t.ms / p.ms) - 1))::numeric, 1) || ' ' ||
               round(percentile_cont(0.5) WITHIN GROUP (ORDER BY t.ms)::numeric) || ' ' ||
               round(percentile_cont(0.5) WITHIN GROUP (ORDER BY p.ms)::numeric)
        FROM bench.result t JOIN bench.result p USING (part, round)
        WHERE t.part = 'insert_$variant' AND t.name = 'tracked' AND p.name = 'plain' AND t.round > 0")")
done
read -r OV_R OV_R_T OV_R_P <<<"${OV[0]}"
read -r OV_S OV_S_T OV_S_P <<<"${OV[1]}"

echo
echo "== opsagg $OPSAGG_VERSION ops rollup benchmark, PostgreSQL $("$PGBIN/postgres" -V | awk '{print $3}'), $(nproc) cores, server default planner/JIT settings =="
echo "(a) first backfill, $EVENTS events over $DAYS days, median of $RUNS rounds (ratios > 1: opsagg is slower)"
printf '    %-60s %9s ms\n' "baseline: INSERT ... percentile_cont ... GROUP BY hour" "$(ratio "$B_H" 0)"
printf '    %-60s %9s ms\n' "baseline: the same GROUP BY day (daily table from raw rows)" "$(ratio "$B_D" 0)"
printf '    %-60s %9s ms   ratio %s to the hourly baseline, %s to hourly + daily\n' \
    "ops_refresh(30 days): hourly + daily rows, with sketches" "$(ratio "$B_R" 0)" "$(ratio "$B_R / $B_H")" "$(ratio "$B_R / ($B_H + $B_D)")"
printf '    %-60s %9s ms   ratio %s to the hourly baseline (one run)\n' \
    "the worker's first cycle (begin, step until false, end)" "$(ratio "$B_F" 0)" "$(ratio "$B_F / $B_H")"
echo "(b) steady-state cycle: $PER_MINUTE new events (one minute) + $LATE late events in $LATE old hours, median of $CYCLES cycles"
printf '    %-60s %9s ms   (%s steps)\n' "history $SMALL events ($SMALL_HOURS hours)" "$(ratio "$S_S" 1)" "$(steps hist_small small)"
printf '    %-60s %9s ms   (%s steps)\n' "history $EVENTS events ($FULL_HOURS hours), the same late hours" "$(ratio "$S_F" 1)" "$(steps hist_full full)"
printf '    %-60s %9s      (goal: near 1)\n' "ratio large / small history" "$(ratio "$S_F / $S_S")"
printf '    %-60s %9s ms   (%s steps) ratio %s to the small history\n' "history $EVENTS events, late hours over all $DAYS days" "$(ratio "$S_X" 1)" "$(steps hist_full full_spread)" "$(ratio "$S_X / $S_S")"
echo "(c) bulk inserts: $BATCHES x $BATCH_ROWS-row INSERT ... SELECT, median of $INSERT_ROUNDS rounds (goal: overhead at most 10 %)"
printf '    %-60s %9s ms tracked, %s ms plain: overhead %s %%\n' "recent (batches follow each other in time)" "$OV_R_T" "$OV_R_P" "$OV_R"
printf '    %-60s %9s ms tracked, %s ms plain: overhead %s %%\n' "scattered (each batch over all $DAYS days)" "$OV_S_T" "$OV_S_P" "$OV_S"
echo "checks: $(grep '^CHECK|' <<<"$CHECKS" | awk -F'|' '{printf "%s%s", sep, $3; sep=" "}')"
echo "command: OPSAGG_BENCH_EVENTS=$EVENTS OPSAGG_BENCH_DAYS=$DAYS OPSAGG_BENCH_SMALL_EVENTS=$SMALL OPSAGG_BENCH_RUNS=$RUNS OPSAGG_BENCH_CYCLES=$CYCLES OPSAGG_BENCH_INSERT_ROUNDS=$INSERT_ROUNDS bash bench/rollup/run.sh   (total $(($(date +%s) - T_START)) s)"
echo "load average (1/5/15 min) at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
if [ "$STATUS" != 0 ]; then
    echo "MISMATCH: results differ (see above)" >&2
    exit 1
fi
