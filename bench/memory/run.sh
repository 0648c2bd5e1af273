#!/usr/bin/env bash
# Memory benchmark: peak backend memory of a large hash aggregation under a small work_mem,
# for every opsagg aggregate against array_agg over the same rows. See bench/memory/README.md.
#   bash bench/memory/run.sh
# Needs opsagg built and installed (make install). Starts a throwaway PostgreSQL on a Unix
# socket in a temp dir (port $PORT), removes it on exit.
# Knobs (environment): N=10000000 (rows) NGROUPS=20000 WORK_MEM=4MB PORT=54369 PG_CONFIG=...
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
PG_CONFIG=${PG_CONFIG:-/usr/lib/postgresql/15/bin/pg_config}
PGBIN=$("$PG_CONFIG" --bindir)
N=${N:-10000000}
NGROUPS=${NGROUPS:-20000}
WORK_MEM=${WORK_MEM:-4MB}
PORT=${PORT:-54369}
BASE='2025-01-01 00:00:00+00'

T_START=$(date +%s)
say() { printf '[%4ss] %s\n' "$(($(date +%s) - T_START))" "$*"; }
fail() { echo "run.sh: $*" >&2; exit 2; }

# shellcheck source=../lib.sh
source "$ROOT/bench/lib.sh"
bench_require_opsagg "$PG_CONFIG" || exit 2
# A small shared_buffers: VmHWM counts the shared pages a backend touches, and a table
# larger than a quarter of shared_buffers is scanned through a 256 kB ring, so the peak is
# the backend's own memory (work_mem, states, hash table), not the buffer cache.
BENCH_CONF+=("shared_buffers = 128MB")
say "starting PostgreSQL (port $PORT)"
bench_start_server "$PORT" "$ROOT/log/bench-memory" || fail "could not start PostgreSQL"
PSQL=("$PGBIN/psql" -X -q -v ON_ERROR_STOP=1 -v "n=$N" -v "base=$BASE")

"${PSQL[@]}" -c 'CREATE EXTENSION opsagg' >/dev/null
OPSAGG_VERSION=$("${PSQL[@]}" -Atc "SELECT extversion FROM pg_extension WHERE extname = 'opsagg'")
say "generating $N rows (beats) and $N one-row aggregates (aggs) ..."
"${PSQL[@]}" -f "$HERE/data.sql"
"${PSQL[@]}" -At -F ' ' -c "SELECT replace(pg_size_pretty(pg_relation_size('beats')), ' ', ''),
                                   replace(pg_size_pretty(pg_relation_size('aggs')), ' ', '')" |
    { read -r b a; say "beats: $b, aggs: $a"; }

# Each query runs in a fresh connection (a fresh backend), serially (no parallel workers,
# whose memory is in other processes), under work_mem = $WORK_MEM, as EXPLAIN ANALYZE so
# the whole aggregation and every final function run without sending the result. The
# backend's peak resident memory is VmHWM from /proc/<pid>/status, read by the backend
# itself at the end of the session (pg_read_file, superuser).
HB="heartbeat_agg(ts, '$BASE', '120 days', '1 minute')"
declare -A QUERY=(
    [array_agg]="SELECT g % $NGROUPS, array_agg(ts) FROM beats GROUP BY 1"
    [heartbeat_agg]="SELECT g % $NGROUPS, $HB FROM beats GROUP BY 1"
    [latency_sketch]="SELECT g % $NGROUPS, latency_sketch(v) FROM beats GROUP BY 1"
    [array_agg_aggs]="SELECT g % $NGROUPS, array_agg(g) FROM aggs GROUP BY 1"
    [rollup_heartbeat]="SELECT g % $NGROUPS, rollup(hb) FROM aggs GROUP BY 1"
    [rollup_sketch]="SELECT g % $NGROUPS, rollup(sk) FROM aggs GROUP BY 1"
    [rollup_heartbeat_hashed]="SELECT g % $NGROUPS, rollup(hb) FROM aggs GROUP BY 1"
    [rollup_sketch_hashed]="SELECT g % $NGROUPS, rollup(sk) FROM aggs GROUP BY 1"
)
# The planner sorts for the rollups; the *_hashed runs force the hash path (enable_sort = off).
declare -A OPTIONS=([rollup_heartbeat_hashed]="-c enable_sort=off" [rollup_sketch_hashed]="-c enable_sort=off")
# The reference each aggregate is compared with: array_agg over the same rows.
declare -A REFERENCE=(
    [heartbeat_agg]=array_agg [latency_sketch]=array_agg
    [rollup_heartbeat]=array_agg_aggs [rollup_sketch]=array_agg_aggs
    [rollup_heartbeat_hashed]=array_agg_aggs [rollup_sketch_hashed]=array_agg_aggs
)
ORDER=(array_agg heartbeat_agg latency_sketch array_agg_aggs rollup_heartbeat rollup_sketch
       rollup_heartbeat_hashed rollup_sketch_hashed)

declare -A PEAK_KB
for name in "${ORDER[@]}"; do
    out=$(PGOPTIONS="-c work_mem=$WORK_MEM -c max_parallel_workers_per_gather=0 ${OPTIONS[$name]:-}" "${PSQL[@]}" -At <<SQL
EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY ON) ${QUERY[$name]};
SELECT 'VmHWM ' || substring(pg_read_file('/proc/' || pg_backend_pid() || '/status')
                             FROM 'VmHWM:\s*(\d+) kB');
SQL
    )
    kb=$(awk '/^VmHWM / { print $2 }' <<<"$out")
    plan=$(grep -m1 -E 'Aggregate' <<<"$out" | sed 's/^[ >-]*//' || true)
    agg=$(grep -m1 -E 'Batches:|Sort Method:' <<<"$out" | sed 's/^ *//' || true)
    ms=$(grep -m1 'Execution Time' <<<"$out" | sed 's/.*: //' || true)
    PEAK_KB[$name]=$kb
    say "$(printf '%-24s peak %6d MB  (%s; %s)' "$name" "$((kb / 1024))" "$plan, $agg" "$ms")"
done

echo
echo "opsagg $OPSAGG_VERSION, N=$N rows, $NGROUPS groups, work_mem=$WORK_MEM, serial plans"
printf '%-24s %10s %10s %7s\n' aggregate 'peak MB' 'array_agg' ratio
STATUS=0
for name in "${ORDER[@]}"; do
    [[ -n "${REFERENCE[$name]:-}" ]] || continue
    ref=${REFERENCE[$name]}
    ratio=$(awk -v a="${PEAK_KB[$name]}" -v b="${PEAK_KB[$ref]}" 'BEGIN { printf "%.2f", a / b }')
    printf '%-24s %10d %10d %7s\n' "$name" "$((PEAK_KB[$name] / 1024))" "$((PEAK_KB[$ref] / 1024))" "$ratio"
    awk -v r="$ratio" 'BEGIN { exit !(r > 2) }' && STATUS=1
done
((STATUS == 0)) && echo "every aggregate within 2x array_agg's peak" || echo "some aggregate above 2x array_agg's peak"
exit $STATUS
