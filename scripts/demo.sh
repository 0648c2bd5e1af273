#!/usr/bin/env bash
# Demo of opsagg on simulated ops data: heartbeat_agg on three weeks of fleet heartbeats,
# labels_canonical on metric samples whose labels each writer spells its own way,
# latency_sketch on three weeks of request latencies (hourly sketches vs exact percentiles), and
# the ops rollup worker filling hourly and daily tables from an AI-API gateway's request logs.
#
#   bash scripts/demo.sh            install deps, build, install, run the demo, clean up
#   bash scripts/demo.sh --psql     ... then open psql on the demo database (interactive)
#
# Needs root on Debian 12 (apt, make install). The PostgreSQL server is a throwaway one in a
# temp dir on a Unix socket, with opsagg preloaded (the rollup worker); it is stopped and deleted
# when the script ends, even on error. OPSAGG_DEMO_TIMEOUT (default 120) bounds, in seconds,
# each wait for the worker.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
# shellcheck source=scripts/lib.sh
source scripts/lib.sh

interactive=0
for arg in "$@"; do
    case "$arg" in
        --psql) interactive=1 ;;
        -h | --help) sed -n '2,13s/^# \{0,1\}//p' "$0"; exit 0 ;;
        *) die "unknown argument: $arg (try --help)" ;;
    esac
done

step "Installing dependencies"
install_deps || die "could not install the dependencies"

step "Building and installing opsagg"
build_and_install || die "build or install failed"

# The rollup worker is a background worker: opsagg must be preloaded. It runs in the demo
# database (postgres) once the extension exists there, every second instead of every minute.
step "Starting a throwaway PostgreSQL ${PG_MAJOR} (opsagg preloaded: the rollup worker)"
start_pg "shared_preload_libraries = 'opsagg'" "opsagg.database = 'postgres'" \
    "opsagg.worker_interval = '1s'" || die "could not start PostgreSQL"

psql_run() { "${PG_BINDIR}/psql" -X -q -v ON_ERROR_STOP=1 "$@"; }

step "CREATE EXTENSION opsagg"
psql_run -c 'CREATE EXTENSION opsagg' || die "CREATE EXTENSION failed"
psql_run -A -t -c "SELECT format('opsagg %s installed in schema %s', extversion, extnamespace::regnamespace)
                   FROM pg_extension WHERE extname = 'opsagg'" | sed 's/^/    /'

step "Loading sample data (scripts/demo_data.sql)"
psql_run -f scripts/demo_data.sql | sed 's/^/    /' || die "loading the sample data failed"

step "Queries (scripts/demo_queries.sql)"
psql_run -f scripts/demo_queries.sql || die "a demo query failed"

step "Loading metric samples and request latencies (scripts/demo_metrics_data.sql)"
psql_run -f scripts/demo_metrics_data.sql | sed 's/^/    /' || die "loading the metric sample data failed"

step "Queries (scripts/demo_metrics.sql)"
psql_run -f scripts/demo_metrics.sql || die "a metrics demo query failed"

# ---------------------------------------------------------------------------------------------
# Ops rollups: the worker fills ops_metrics_hourly / ops_metrics_daily from the gateway's logs.

demo_timeout=${OPSAGG_DEMO_TIMEOUT:-120}
[[ "$demo_timeout" =~ ^[1-9][0-9]*$ ]] || die "OPSAGG_DEMO_TIMEOUT must be a positive number of seconds"

# wait_until SQL: poll until SQL (one boolean) returns true, at most $demo_timeout seconds.
# Prints the seconds waited; returns 1 on timeout or on a query error.
wait_until() {
    local start=$SECONDS out
    while :; do
        out=$(psql_run -A -t -c "$1") || return 1
        if [[ "$out" == t ]]; then
            echo $((SECONDS - start))
            return 0
        fi
        ((SECONDS - start < demo_timeout)) || return 1
        sleep 0.5
    done
}

rollup_failed() {
    warn "$1; ops_rollup_status:"
    psql_run -x -c 'SELECT * FROM ops_rollup_status' >&2 || true
    warn "last lines of the server log:"
    tail -n 20 "${OPSAGG_PGDIR}/server.log" >&2 || true
    exit 1
}

step "Ops rollups: an AI-API gateway's tables and their mapping (scripts/demo_rollup_schema.sql)"
psql_run -f scripts/demo_rollup_schema.sql || die "creating the gateway tables failed"
info "usage_logs (successes), ops_error_logs (failures), groups, accounts; views ops_usage_events"
info "and ops_error_events map them to the event contract, platform by the gateway's rules"

step "Loading a week of gateway traffic (scripts/demo_rollup_data.sql)"
psql_run -f scripts/demo_rollup_data.sql | sed 's/^/    /' || die "loading the gateway traffic failed"

step "Registering the two sources, each watching its own raw table"
psql_run -A -t >/dev/null <<'EOF' || die "ops_add_source failed"
SELECT ops_add_source('public.ops_usage_events', watch => 'public.usage_logs', watch_time_column => 'created_at');
SELECT ops_add_source('public.ops_error_events', watch => 'public.ops_error_logs', watch_time_column => 'created_at');
EOF
info "SELECT ops_add_source('public.ops_usage_events', watch => 'public.usage_logs', watch_time_column => 'created_at')"
info "SELECT ops_add_source('public.ops_error_events', watch => 'public.ops_error_logs', watch_time_column => 'created_at')"

step "Waiting for the worker to fill the hourly and daily tables (at most ${demo_timeout} s)"
waited=$(wait_until "SELECT count(*) > 0 FROM pg_stat_activity WHERE backend_type = 'opsagg rollup worker'") ||
    rollup_failed "no opsagg rollup worker is running (is this opsagg built with the worker, src/worker.cpp?)"
# Caught up: every raw row is counted, in the hourly and in the daily table.
waited=$(wait_until "
    SELECT raw = (SELECT sum(request_count) FROM ops_metrics_hourly)
       AND raw = (SELECT sum(request_count) FROM ops_metrics_daily)
    FROM (SELECT (SELECT count(*) FROM public.usage_logs) + (SELECT count(*) FROM public.ops_error_logs) AS raw) r") ||
    rollup_failed "the worker did not catch up within ${demo_timeout} s"
info "caught up after ${waited} s"

step "Queries (scripts/demo_rollup_queries.sql)"
psql_run -f scripts/demo_rollup_queries.sql || die "a rollup demo query failed"

step "A late row: a timeout that happened days ago is logged only now"
psql_run <<'EOF' || die "inserting the late row failed"
\set QUIET 1
SET client_min_messages = warning;
SET TimeZone = 'UTC';
DROP TABLE IF EXISTS public.demo_late;
CREATE TABLE public.demo_late AS
SELECT 'before'::text AS "when", bucket_start, platform, request_count, error_count, timeout_count,
       error_rate, computed_at
FROM ops_metrics_hourly, public.demo_rollup_period p
WHERE bucket_start = p.data_start + interval '3 days 10:00' AND platform = 'anthropic';
-- The gateway's log writer was stuck; the row carries the time of the request.
INSERT INTO public.ops_error_logs (request_id, user_id, api_key_id, account_id, group_id, platform,
                                   model, request_path, stream, status_code, error_phase, error_type,
                                   error_message, duration_ms, created_at)
SELECT 'req_late_0001', 7, 42, 1, 1, 'anthropic', 'claude-sonnet-4-5', '/v1/messages', false, 504,
       'upstream', 'timeout', 'upstream response timed out after 600s', 600000,
       p.data_start + interval '3 days 10:17:42'
FROM public.demo_rollup_period p;
SELECT format('    INSERT INTO ops_error_logs ... created_at = %s UTC, error_type timeout, status 504',
              to_char(p.data_start + interval '3 days 10:17:42', 'YYYY-MM-DD HH24:MI:SS'))
FROM public.demo_rollup_period p \g (tuples_only=on format=unaligned)
EOF
waited=$(wait_until "
    SELECT h.request_count = b.request_count + 1
    FROM ops_metrics_hourly h JOIN public.demo_late b USING (bucket_start, platform)") ||
    rollup_failed "the late row was not folded in within ${demo_timeout} s"
psql_run <<'EOF' || die "showing the late row failed"
\set QUIET 1
\pset footer off
SET TimeZone = 'UTC';
INSERT INTO public.demo_late
SELECT 'after', bucket_start, platform, h.request_count, h.error_count, h.timeout_count, h.error_rate, h.computed_at
FROM ops_metrics_hourly h JOIN public.demo_late USING (bucket_start, platform);
SELECT "when", to_char(bucket_start, 'YYYY-MM-DD HH24:MI') AS hour, platform, request_count AS requests,
       error_count AS errors, timeout_count AS timeouts, round(error_rate::numeric, 3) AS "error %",
       to_char(computed_at, 'HH24:MI:SS') AS computed_at
FROM public.demo_late ORDER BY computed_at;
\echo 'Its day, derived again from the hourly rows, against the raw table:'
SELECT d.bucket_date AS day, d.platform, d.request_count AS requests, d.timeout_count AS timeouts,
       (SELECT count(*) FROM public.ops_error_events e
        WHERE e.platform = d.platform AND e.is_timeout
          AND e.occurred_at >= d.bucket_date AND e.occurred_at < d.bucket_date + 1) AS "raw timeouts"
FROM ops_metrics_daily d, public.demo_rollup_period p
WHERE d.bucket_date = (p.data_start + interval '3 days')::date AND d.platform = 'anthropic';
EOF
info "folded in by the next cycle (${waited} s): the hour and its day were recomputed from the raw rows"

step "ops_rollup_status (one row per source)"
psql_run <<'EOF' || die "ops_rollup_status failed"
\pset footer off
SET TimeZone = 'UTC';
SELECT source, pending_changes AS pending, to_char(last_cycle_end, 'HH24:MI:SS') AS last_cycle_end,
       hours_refreshed, rows_written, to_char(newest_hour, 'MM-DD HH24:MI') AS newest_hour,
       round(extract(epoch FROM lag)::numeric, 1) || ' s' AS lag, source_failing AS failing,
       coalesce(last_error, '') AS last_error
FROM ops_rollup_status ORDER BY source::text;
EOF
info "pending: change records not folded in yet; hours_refreshed, rows_written: by the last cycle"

if ((interactive)); then
    if [[ -t 0 ]]; then
        step "psql on the demo database; the server is removed when you quit (\\q)"
        "${PG_BINDIR}/psql" -X || true
    else
        warn "--psql needs a terminal on stdin; skipped"
    fi
fi

step "Stopping PostgreSQL"
stop_pg
step "Demo finished"
