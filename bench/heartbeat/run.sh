#!/usr/bin/env bash
# heartbeat_agg benchmark: see bench/heartbeat/README.md.
#   bash bench/heartbeat/run.sh
# Needs opsagg built and installed (make install). Starts a throwaway PostgreSQL
# on a Unix socket in a temp dir (port $PORT), removes it on exit.
# Knobs (environment): SYSTEMS=10 BEATS=1200000 (beat slots per system, one every
# 30 s) RUNS=5 (timed rounds after one warm-up round) PORT=54339 PG_CONFIG=...
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
PG_CONFIG=${PG_CONFIG:-/usr/lib/postgresql/15/bin/pg_config}
PGBIN=$("$PG_CONFIG" --bindir)
SYSTEMS=${SYSTEMS:-10}
BEATS=${BEATS:-1200000}
RUNS=${RUNS:-5}
PORT=${PORT:-54339}
STEP_S=30
BASE='2025-01-01 00:00:00+00'
LIVENESS='1 minute'
WINDOW="$((BEATS * STEP_S)) seconds"   # exactly covers the beat slots

T_START=$(date +%s)
say() { printf '[%4ss] %s\n' "$(($(date +%s) - T_START))" "$*"; }
fail() { echo "run.sh: $*" >&2; exit 2; }

# --- throwaway server -----------------------------------------------------------
# shellcheck source=../lib.sh
source "$ROOT/bench/lib.sh"
bench_require_opsagg "$PG_CONFIG" || exit 2
say "starting PostgreSQL (port $PORT)"
bench_start_server "$PORT" "$ROOT/log/bench-heartbeat" || fail "could not start PostgreSQL"

PSQL=("$PGBIN/psql" -X -q -v ON_ERROR_STOP=1
      -v "systems=$SYSTEMS" -v "beats=$BEATS" -v "step_s=$STEP_S"
      -v "base=$BASE" -v "window=$WINDOW" -v "liveness=$LIVENESS")

"${PSQL[@]}" -c 'CREATE EXTENSION opsagg' -c 'CREATE EXTENSION pg_prewarm' >/dev/null
OPSAGG_VERSION=$("${PSQL[@]}" -Atc "SELECT extversion FROM pg_extension WHERE extname = 'opsagg'")

# --- data -------------------------------------------------------------------------
say "generating $SYSTEMS systems x $BEATS beat slots (every ${STEP_S}s, window $WINDOW) ..."
"${PSQL[@]}" -f "$HERE/data.sql"
say "building hourly heartbeat_agg table ..."
"${PSQL[@]}" -f "$HERE/hourly.sql"
"${PSQL[@]}" -f "$HERE/bench.sql"
"${PSQL[@]}" -Atc "SELECT pg_prewarm('beats'), pg_prewarm('beats_system_ts'), pg_prewarm('hourly')" >/dev/null
"${PSQL[@]}" -At -F ' ' <<'EOF' | { read -r nb bsz isz nh hsz; say "beats: $nb rows, table $bsz, index $isz; hourly: $nh aggregates, $hsz (all prewarmed in shared_buffers = 2GB)"; }
SELECT (SELECT count(*) FROM beats),
       replace(pg_size_pretty(pg_relation_size('beats')), ' ', ''),
       replace(pg_size_pretty(pg_relation_size('beats_system_ts')), ' ', ''),
       (SELECT count(*) FROM hourly),
       replace(pg_size_pretty(pg_total_relation_size('hourly')), ' ', '');
EOF

# --- correctness --------------------------------------------------------------------
say "checking results (a vs c vs c2, serial vs parallel, rollup vs raw) ..."
CHECKS=$("${PSQL[@]}" -f "$HERE/checks.sql")
echo "$CHECKS" | grep -v '^CHECK|'
STATUS=0
while IFS='|' read -r _ name verdict detail; do
    printf '%-8s %s  (%s)\n' "$verdict" "$name" "$detail"
    [ "$verdict" = OK ] || STATUS=1
done < <(echo "$CHECKS" | grep '^CHECK|')
[ "$(echo "$CHECKS" | grep -c '^CHECK|')" = 4 ] || { echo "MISMATCH: checks did not all run" >&2; STATUS=1; }

# --- plans --------------------------------------------------------------------------
echo
echo "plans (node chain, outermost first):"
"${PSQL[@]}" -At -F '  ' -c "
SELECT rpad(name, 3), rpad(m.mode, 8), bench.plan_shape(sql, m.w)
FROM bench.query CROSS JOIN (VALUES ('serial', 0, 1), ('parallel', 2, 2)) m(mode, w, o)
ORDER BY array_position(ARRAY['a','b','c','c2','r','r0'], name), m.o" | sed 's/^/  /'

# --- timing -------------------------------------------------------------------------
echo
say "timing: 1 warm-up round + $RUNS rounds; a round runs every query serial, then parallel (r, r0: 5 times each)"
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
bench_rounds "$RUNS" "ARRAY['b','a','c','c2','r0','r']"
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)

echo
echo "== opsagg $OPSAGG_VERSION heartbeat benchmark: median of $RUNS rounds (ms), PostgreSQL $("$PGBIN/postgres" -V | awk '{print $3}'), $(nproc) cores =="
"${PSQL[@]}" <<'EOF'
\pset footer off
CREATE TEMP VIEW med AS SELECT * FROM bench.median;
CREATE TEMP VIEW piv AS
SELECT mode,
       max(ms) FILTER (WHERE query = 'a')  AS a,  max(ms) FILTER (WHERE query = 'b')  AS b,
       max(ms) FILTER (WHERE query = 'c')  AS c,  max(ms) FILTER (WHERE query = 'c2') AS c2,
       max(ms) FILTER (WHERE query = 'r')  AS r,  max(ms) FILTER (WHERE query = 'r0') AS r0
FROM med GROUP BY mode;
SELECT mode,
       round(a::numeric) AS "a heartbeat_agg", round(b::numeric) AS "b max(ts)",
       round(c::numeric) AS "c SQL islands", round(c2::numeric) AS "c2 SQL lead",
       round((a / b)::numeric, 2) AS "a/b", round((c / a)::numeric, 2) AS "c/a", round((c2 / a)::numeric, 2) AS "c2/a",
       round(r::numeric, 1) AS "r rollup", round(r0::numeric, 1) AS "r0 count(agg)", round((r / r0)::numeric, 2) AS "r/r0"
FROM piv ORDER BY mode DESC;
SELECT round((s.a / p.a)::numeric, 2) AS "speed-up serial/parallel: a",
       round((s.b / p.b)::numeric, 2) AS "b", round((s.c / p.c)::numeric, 2) AS "c",
       round((s.c2 / p.c2)::numeric, 2) AS "c2", round((s.r / p.r)::numeric, 2) AS "r"
FROM piv s, piv p WHERE s.mode = 'serial' AND p.mode = 'parallel';
EOF
echo "a = heartbeat_agg(ts, '$BASE', '$WINDOW', '$LIVENESS') -> uptime() GROUP BY system over beats"
echo "b = max(ts) GROUP BY system (executor floor); c = plain-SQL gaps-and-islands; c2 = plain-SQL lead() form"
echo "r = rollup(agg) -> uptime() GROUP BY system over the hourly table; r0 = count(agg) over the same rows"
echo "load average (1/5/15 min) before timing: $LOAD_BEFORE, after: $LOAD_AFTER (the benchmark itself accounts for about 1-2 of it on $(nproc) cores; more means other work shared the CPUs)"
echo "checks: $(echo "$CHECKS" | grep '^CHECK|' | awk -F'|' '{printf "%s%s", sep, $3; sep=" "}')"
echo "command: SYSTEMS=$SYSTEMS BEATS=$BEATS RUNS=$RUNS bash bench/heartbeat/run.sh   (total $(($(date +%s) - T_START)) s)"
if [ "$STATUS" != 0 ]; then
    echo "MISMATCH: results differ (see above)" >&2
    exit 1
fi
