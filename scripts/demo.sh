#!/usr/bin/env bash
# Demo of opsagg on simulated ops data: heartbeat_agg on three weeks of fleet heartbeats,
# labels_canonical on metric samples whose labels each writer spells its own way, and
# latency_sketch on three weeks of request latencies (hourly sketches vs exact percentiles).
#
#   bash scripts/demo.sh            install deps, build, install, run the demo, clean up
#   bash scripts/demo.sh --psql     ... then open psql on the demo database (interactive)
#
# Needs root on Debian 12 (apt, make install). The PostgreSQL server is a throwaway one in a
# temp dir on a Unix socket; it is stopped and deleted when the script ends, even on error.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
# shellcheck source=scripts/lib.sh
source scripts/lib.sh

interactive=0
for arg in "$@"; do
    case "$arg" in
        --psql) interactive=1 ;;
        -h | --help) sed -n '2,10s/^# \{0,1\}//p' "$0"; exit 0 ;;
        *) die "unknown argument: $arg (try --help)" ;;
    esac
done

step "Installing dependencies"
install_deps || die "could not install the dependencies"

step "Building and installing opsagg"
build_and_install || die "build or install failed"

step "Starting a throwaway PostgreSQL ${PG_MAJOR}"
start_pg || die "could not start PostgreSQL"

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
