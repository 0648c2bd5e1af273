#!/usr/bin/env bash
# JIT benchmark: what a large GROUP BY with latency_sketch and heartbeat_agg costs with the
# server's default JIT settings, with JIT but no inlining, and with jit = off. opsagg ships no
# LLVM bitcode (README, "JIT and C++ bitcode"), so PostgreSQL's JIT cannot inline its functions;
# this measures what that leaves. See bench/jit/README.md.
#   bash bench/jit/run.sh
# Needs opsagg built and installed (make install). Starts a throwaway PostgreSQL on a Unix
# socket in a temp dir (port $PORT) with bench/lib.sh's settings (JIT as the server ships it),
# removes it on exit.
# Knobs (environment): N=10000000 (rows) NGROUPS=1000 RUNS=3 (timed rounds after one warm-up)
# MODES="default inline no_inline off" PORT=54369 PG_CONFIG=...
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
PG_CONFIG=${PG_CONFIG:-/usr/lib/postgresql/15/bin/pg_config}
PGBIN=$("$PG_CONFIG" --bindir)
N=${N:-10000000}
NGROUPS=${NGROUPS:-1000}
RUNS=${RUNS:-3}
MODES=${MODES:-default inline no_inline off}
PORT=${PORT:-54369}
BASE='2025-01-01 00:00:00+00'
LIVENESS='1 minute'
WINDOW="$((N / NGROUPS * 30 + 60)) seconds"
QUERIES="ARRAY['max_v','sketch','max_ts','heartbeat']"
MODES_SQL="ARRAY['${MODES// /\',\'}']"

T_START=$(date +%s)
say() { printf '[%4ss] %s\n' "$(($(date +%s) - T_START))" "$*"; }
fail() { echo "run.sh: $*" >&2; exit 2; }

# --- throwaway server -----------------------------------------------------------------
# shellcheck source=../lib.sh
source "$ROOT/bench/lib.sh"
bench_require_opsagg "$PG_CONFIG" || exit 2
BITCODE_DIR="$("$PG_CONFIG" --pkglibdir)/bitcode"
if [[ -e "$BITCODE_DIR/opsagg.index.bc" ]]; then
    BITCODE="installed ($BITCODE_DIR/opsagg.index.bc: PostgreSQL's JIT may inline opsagg's functions)"
else
    BITCODE="none (PostgreSQL's JIT cannot inline opsagg's functions)"
fi
say "starting PostgreSQL (port $PORT)"
bench_start_server "$PORT" "$ROOT/log/bench-jit" || fail "could not start PostgreSQL"
PSQL=("$PGBIN/psql" -X -q -v ON_ERROR_STOP=1 -v "n=$N" -v "groups=$NGROUPS"
      -v "base=$BASE" -v "window=$WINDOW" -v "liveness=$LIVENESS")

# A backend that died by a signal (as with the C++ bitcode that opsagg up to 9890cd8
# installed: LLVM's inliner aborted) is reported as such, not as a psql error.
crashed() {
    if grep -E 'terminated by signal' "${OPSAGG_PGDIR}/server.log" >/dev/null 2>&1; then
        echo "CRASH: a backend died; server log:" >&2
        grep -E 'Assertion|terminated by signal' "${OPSAGG_PGDIR}/server.log" | head -n 4 >&2
        return 0
    fi
    return 1
}

"${PSQL[@]}" -c 'CREATE EXTENSION opsagg' -c 'CREATE EXTENSION pg_prewarm' >/dev/null
OPSAGG_VERSION=$("${PSQL[@]}" -Atc "SELECT extversion FROM pg_extension WHERE extname = 'opsagg'")
JIT_CONF=$("${PSQL[@]}" -Atc "SELECT string_agg(name || ' = ' || setting, ', ' ORDER BY name) FROM pg_settings
                              WHERE name IN ('jit', 'jit_above_cost', 'jit_inline_above_cost', 'jit_optimize_above_cost')")
[[ "$("${PSQL[@]}" -Atc 'SELECT pg_jit_available()')" == t ]] || fail "JIT is not available on this server (llvmjit missing)"

# --- data -----------------------------------------------------------------------------
say "generating $N rows in $NGROUPS groups ..."
"${PSQL[@]}" -f "$HERE/data.sql"
"${PSQL[@]}" -Atc "SELECT pg_prewarm('t')" >/dev/null
"${PSQL[@]}" -At -F ' ' -c "SELECT count(*), count(DISTINCT g), replace(pg_size_pretty(pg_relation_size('t')), ' ', '') FROM t" |
    { read -r n g sz; say "t: $n rows, $g groups, $sz (prewarmed)"; }
"${PSQL[@]}" -f "$HERE/queries.sql"

# --- what the JIT does ------------------------------------------------------------------
echo
echo "JIT per mode (serial, EXPLAIN ANALYZE; server: $JIT_CONF; opsagg bitcode: $BITCODE):"
for mode in $MODES; do
    for q in sketch heartbeat; do
        info=$("${PSQL[@]}" -At -c "SELECT bench.jit_info(sql, '$mode') FROM bench.query WHERE name = '$q'") ||
            { crashed && fail "mode $mode, query $q: the server crashed"; fail "mode $mode, query $q failed"; }
        printf '  %-10s %-10s %s\n' "$mode" "$q" "$info"
    done
done

# --- timing -----------------------------------------------------------------------------
echo
say "timing: 1 warm-up round + $RUNS rounds; a round runs every query in every mode ($MODES), serial, then with 2 workers"
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
for r in $(seq 0 "$RUNS"); do
    "${PSQL[@]}" -c "SELECT bench.jit_round($r, $QUERIES, $MODES_SQL)" >/dev/null ||
        { crashed && fail "round $r: the server crashed"; fail "round $r failed"; }
    "${PSQL[@]}" -At -c "
      SELECT string_agg(mode || ': ' || t, '; ' ORDER BY mode)
      FROM (SELECT mode, string_agg(query || '=' || round(ms::numeric) || 'ms', ' ' ORDER BY query) AS t
            FROM bench.result WHERE round = $r GROUP BY mode) y" | sed "s/^/         round $r: /"
done
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)

echo
echo "== opsagg JIT benchmark: median of $RUNS rounds, $N rows, $NGROUPS groups, PostgreSQL $("$PGBIN/postgres" -V | awk '{print $3}'), opsagg $OPSAGG_VERSION, $(nproc) cores =="
echo "opsagg bitcode: $BITCODE"
"${PSQL[@]}" <<'EOF'
\pset footer off
CREATE TEMP VIEW piv AS
SELECT split_part(mode, ' ', 1) AS jmode, split_part(mode, ' ', 2) AS workers,
       max(ms) FILTER (WHERE query = 'sketch') AS sketch, max(ms) FILTER (WHERE query = 'max_v') AS max_v,
       max(ms) FILTER (WHERE query = 'heartbeat') AS hb, max(ms) FILTER (WHERE query = 'max_ts') AS max_ts
FROM bench.median GROUP BY mode;
\echo 'each aggregate against a built-in one over the same rows and grouping, in the same mode'
SELECT jmode AS "JIT mode", workers,
       round((sketch / max_v)::numeric, 2) AS "latency_sketch / max(v)", round((hb / max_ts)::numeric, 2) AS "heartbeat_agg / max(ts)",
       round(sketch::numeric) AS "latency_sketch ms", round(max_v::numeric) AS "max(v) ms",
       round(hb::numeric) AS "heartbeat_agg ms", round(max_ts::numeric) AS "max(ts) ms"
FROM piv JOIN bench.jit_mode m ON m.name = jmode ORDER BY workers DESC, m.o;
\echo 'each mode against jit = off (same query, same workers; < 1: faster than without JIT)'
SELECT p.jmode AS "JIT mode", p.workers,
       round((p.sketch / o.sketch)::numeric, 2) AS "latency_sketch", round((p.max_v / o.max_v)::numeric, 2) AS "max(v)",
       round((p.hb / o.hb)::numeric, 2) AS "heartbeat_agg", round((p.max_ts / o.max_ts)::numeric, 2) AS "max(ts)"
FROM piv p JOIN piv o ON o.jmode = 'off' AND o.workers = p.workers JOIN bench.jit_mode m ON m.name = p.jmode
WHERE p.jmode <> 'off' ORDER BY p.workers DESC, m.o;
EOF
echo "modes: default = the server's JIT settings (jit = on; compiles above cost 100000, inlines and optimizes above 500000);"
echo "inline = what a query above cost 500000 gets: jit_inline_above_cost = 0, jit_optimize_above_cost = 0;"
echo "no_inline = the same without inlining (jit_inline_above_cost = -1); off = jit = off. Each time includes planning and JIT compilation."
echo "load average (1/5/15 min) before timing: $LOAD_BEFORE, after: $LOAD_AFTER (the benchmark itself accounts for about 1-2 of it on $(nproc) cores; more means other work shared the CPUs)"
echo "command: N=$N NGROUPS=$NGROUPS RUNS=$RUNS MODES=\"$MODES\" bash bench/jit/run.sh   (total $(($(date +%s) - T_START)) s)"
if crashed; then
    exit 1
fi
