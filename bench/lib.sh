# shellcheck shell=bash
# Shared by bench/*/run.sh (source it): a throwaway PostgreSQL with benchmark settings (JIT as
# the server ships it: jit = on at its default costs, so figures are what a user gets),
# and timed rounds over the queries in bench.query (bench/harness.sql).
#   bench_require_opsagg PG_CONFIG   fail unless opsagg is installed there
#   bench_start_server PORT LOGDIR   start the server (scripts/lib.sh start_pg); exports PG*
#   bench_rounds RUNS QUERIES        run round 0 (warm-up) .. RUNS; QUERIES is a SQL text[]
# Both expect PSQL to be set to a psql command array by the caller before bench_rounds.

BENCH_CONF=(
    "shared_buffers = 2GB"
    "work_mem = 1GB"
    "maintenance_work_mem = 1GB"
    "max_worker_processes = 8"
    "max_parallel_workers_per_gather = 2"
    "max_parallel_workers = 2"
    "autovacuum = off"
    "max_wal_size = 8GB"
    "timezone = 'UTC'"
)

bench_require_opsagg() {
    local share lib
    share=$("$1" --sharedir)/extension/opsagg.control
    lib=$("$1" --pkglibdir)/opsagg.so
    if [[ ! -f "$share" || ! -f "$lib" ]]; then
        echo "opsagg is not installed (run: make PG_CONFIG=$1 && make PG_CONFIG=$1 install)" >&2
        return 1
    fi
}

bench_start_server() {
    export OPSAGG_PGPORT=$1 OPSAGG_LOGDIR=${OPSAGG_LOGDIR:-$2}
    # shellcheck source=../scripts/lib.sh
    source "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib.sh"
    start_pg "${BENCH_CONF[@]}"
}

bench_rounds() {
    local runs=$1 queries=$2 r
    for r in $(seq 0 "$runs"); do
        "${PSQL[@]}" -c "SELECT bench.round($r, $queries)" >/dev/null
        "${PSQL[@]}" -At -c "
          SELECT string_agg(mode || ': ' || t, '; ' ORDER BY mode DESC)
          FROM (SELECT mode, string_agg(query || '=' || ms || 'ms', ' ' ORDER BY query) AS t
                FROM (SELECT query, mode, round(percentile_cont(0.5) WITHIN GROUP (ORDER BY ms)::numeric, 1) AS ms
                      FROM bench.result WHERE round = $r GROUP BY query, mode) x
                GROUP BY mode) y" | sed "s/^/         round $r: /"
    done
}
