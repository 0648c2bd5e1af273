#!/usr/bin/env bash
# latency_sketch benchmark: latency_sketch + approx_percentile against exact
# percentile_disc / percentile_cont and the tdigest extension on 10 million latencies, and
# rollup of 1000 stored hourly sketches against the raw aggregate. See bench/sketch/README.md.
#   bash bench/sketch/run.sh
# Needs opsagg built and installed (make install). Installs Debian's postgresql-15-tdigest
# when it is missing (root; the server package is pinned to the installed version).
# Knobs (environment): N=10000000 (values) HOURS=1000 (groups of the rollup table) RUNS=5
# PORT=54359 PG_CONFIG=...
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
PG_CONFIG=${PG_CONFIG:-/usr/lib/postgresql/15/bin/pg_config}
PGBIN=$("$PG_CONFIG" --bindir)
N=${N:-10000000}
HOURS=${HOURS:-1000}
RUNS=${RUNS:-5}
PORT=${PORT:-54359}
QS='{0.5,0.9,0.99,0.999}'
QUERIES="ARRAY['scan','sketch','exact_disc','exact_cont','tdigest','rollup','tdigest_rollup','sketch_by_hour','tdigest_by_hour']"

T_START=$(date +%s)
say() { printf '[%4ss] %s\n' "$(($(date +%s) - T_START))" "$*"; }
fail() { echo "run.sh: $*" >&2; exit 2; }

# --- the peer: tdigest from Debian, for this benchmark only -----------------------------
# Installed only when missing, from apt, with postgresql-15 held at the installed version
# (apt must not upgrade the server under the benchmark); refused if apt would upgrade or
# remove anything.
ensure_tdigest() {
    local pkg=postgresql-15-tdigest pgv cand plan
    if [[ -f "$("$PG_CONFIG" --sharedir)/extension/tdigest.control" &&
          -f "$("$PG_CONFIG" --pkglibdir)/tdigest.so" ]]; then
        return 0
    fi
    ((EUID == 0)) || fail "tdigest is not installed; as root: apt-get install $pkg"
    pgv=$(dpkg-query -W -f='${Version}' postgresql-15 2>/dev/null) || fail "postgresql-15 is not installed"
    cand=$(apt-cache policy "$pkg" | awk '/Candidate:/ { print $2 }')
    if [[ -z "$cand" || "$cand" == "(none)" ]]; then
        apt-get -q update >/dev/null
        cand=$(apt-cache policy "$pkg" | awk '/Candidate:/ { print $2 }')
    fi
    [[ -n "$cand" && "$cand" != "(none)" ]] || fail "apt has no $pkg"
    plan=$(apt-get install -s -y --no-install-recommends "$pkg=$cand" "postgresql-15=$pgv" 2>&1) ||
        fail "apt cannot install $pkg=$cand next to postgresql-15=$pgv: $plan"
    if grep -E '^(Inst|Remv) ' <<<"$plan" | grep -qv "^Inst $pkg "; then
        fail "installing $pkg would change other packages:
$(grep -E '^(Inst|Remv) ' <<<"$plan")"
    fi
    local log="$ROOT/log/bench-sketch/apt.log"
    mkdir -p "$(dirname "$log")"
    say "installing $pkg $cand (postgresql-15 held at $pgv; log: $log)"
    DEBIAN_FRONTEND=noninteractive apt-get -q -y --no-install-recommends -o DPkg::Lock::Timeout=300 \
        install "$pkg=$cand" "postgresql-15=$pgv" >>"$log" 2>&1 || { tail -n 20 "$log" >&2; fail "apt-get install $pkg failed"; }
}

# --- throwaway server -----------------------------------------------------------------
# shellcheck source=../lib.sh
source "$ROOT/bench/lib.sh"
bench_require_opsagg "$PG_CONFIG" || exit 2
ensure_tdigest
TDIGEST_PKG=$(dpkg-query -W -f='${Version}' postgresql-15-tdigest 2>/dev/null || echo '?')
say "starting PostgreSQL (port $PORT)"
bench_start_server "$PORT" "$ROOT/log/bench-sketch" || fail "could not start PostgreSQL"
PSQL=("$PGBIN/psql" -X -q -v ON_ERROR_STOP=1 -v "n=$N" -v "hours=$HOURS" -v "qs=$QS")

"${PSQL[@]}" -c 'CREATE EXTENSION opsagg' -c 'CREATE EXTENSION tdigest' -c 'CREATE EXTENSION pg_prewarm' >/dev/null
VERSIONS=$("${PSQL[@]}" -Atc "SELECT string_agg(extname || ' ' || extversion, ', ' ORDER BY extname DESC)
                              FROM pg_extension WHERE extname IN ('opsagg', 'tdigest')")

# --- data -----------------------------------------------------------------------------
say "generating $N latencies in $HOURS hours, and the hourly table ..."
"${PSQL[@]}" -f "$HERE/data.sql"
"${PSQL[@]}" -c "SELECT pg_prewarm('lat'), pg_prewarm('hourly')" >/dev/null
"${PSQL[@]}" -At -F ' ' <<'EOF' | { read -r n mn mx sz nh hs ssz tsz; say "lat: $n values from $mn to $mx ms, $sz; hourly: $nh rows, $hs (sketches $ssz, t-digests $tsz); all prewarmed"; }
SELECT (SELECT count(*) FROM lat), (SELECT min(v) FROM lat), (SELECT max(v) FROM lat),
       replace(pg_size_pretty(pg_relation_size('lat')), ' ', ''),
       (SELECT count(*) FROM hourly), replace(pg_size_pretty(pg_total_relation_size('hourly')), ' ', ''),
       (SELECT replace(pg_size_pretty(sum(pg_column_size(s))), ' ', '') FROM hourly),
       (SELECT replace(pg_size_pretty(sum(pg_column_size(td))), ' ', '') FROM hourly);
EOF
"${PSQL[@]}" -f "$HERE/queries.sql"

# --- accuracy and checks ----------------------------------------------------------------
# Every method once, serial and with 2 workers; the exact percentile_disc is the reference.
say "accuracy: every method once, serial and parallel ..."
"${PSQL[@]}" <<'EOF'
SET client_min_messages = warning;
SET max_parallel_workers_per_gather = 0;
SELECT percentile_disc(:'qs'::float8[]) WITHIN GROUP (ORDER BY v) AS disc,
       percentile_cont(:'qs'::float8[]) WITHIN GROUP (ORDER BY v) AS cont FROM lat \gset
SELECT latency_sketch(v) AS sk_serial FROM lat \gset
SELECT tdigest_percentile(v, 100, :'qs'::float8[]) AS td_serial FROM lat \gset
SELECT rollup(s) AS sk_rollup FROM hourly \gset
SELECT tdigest_percentile(td, :'qs'::float8[]) AS td_rollup FROM hourly \gset
SET max_parallel_workers_per_gather = 2;
SELECT latency_sketch(v) AS sk_parallel FROM lat \gset
SELECT tdigest_percentile(v, 100, :'qs'::float8[]) AS td_parallel FROM lat \gset
DROP TABLE IF EXISTS acc_sketch, acc;
CREATE TABLE acc_sketch AS
SELECT * FROM (VALUES ('serial', :'sk_serial'::latency_sketch), ('parallel', :'sk_parallel'::latency_sketch),
                      ('rollup', :'sk_rollup'::latency_sketch)) v(mode, s);
CREATE TABLE acc AS
SELECT q, disc, cont, approx_percentile(q, :'sk_serial'::latency_sketch) AS sk,
       approx_percentile(q, :'sk_parallel'::latency_sketch) AS skp,
       approx_percentile(q, :'sk_rollup'::latency_sketch) AS skr, td, tdp, tdr
FROM unnest(:'qs'::float8[], :'disc'::float8[], :'cont'::float8[], :'td_serial'::float8[],
            :'td_parallel'::float8[], :'td_rollup'::float8[]) AS u(q, disc, cont, td, tdp, tdr);
EOF

echo
echo "accuracy: relative error vs the exact percentile_disc, signed, in % (100 * (estimate - exact) / exact)"
"${PSQL[@]}" <<'EOF'
\pset footer off
SELECT 'p' || (100 * q)::text AS q, disc AS "exact ms", round(sk::numeric, 3) AS "sketch ms",
       round((100 * (sk - disc) / disc)::numeric, 3) AS "sketch err%",
       round(td::numeric, 3) AS "tdigest ms", round((100 * (td - disc) / disc)::numeric, 3) AS "tdigest err%",
       round((100 * (tdp - disc) / disc)::numeric, 3) AS "tdigest 2w err%",
       round((100 * (tdr - disc) / disc)::numeric, 3) AS "tdigest rollup err%",
       round(cont::numeric, 3) AS "percentile_cont ms"
FROM acc ORDER BY q;
EOF
echo "(sketch: the same value serial, parallel and from rollup(hourly) -- see the checks; tdigest 2w: with 2 parallel workers)"

CHECKS=$("${PSQL[@]}" -At -F '|' <<EOF
SELECT 'CHECK', 'sketch serial = parallel = rollup(hourly)',
       CASE WHEN count(DISTINCT s::text) = 1 AND count(*) = 3 THEN 'OK' ELSE 'MISMATCH' END,
       string_agg(mode || ' ' || num_vals(s) || ' values', ', ' ORDER BY mode)
FROM acc_sketch;
SELECT 'CHECK', 'sketch holds every value',
       CASE WHEN num_vals(s) = $N THEN 'OK' ELSE 'MISMATCH' END, num_vals(s) || ' of $N'
FROM acc_sketch WHERE mode = 'serial';
SELECT 'CHECK', 'sketch within its relative accuracy at every quantile',
       CASE WHEN bool_and(abs(sk - disc) <= error(s) * disc * (1 + 1e-9) AND sk = skp AND sk = skr)
            THEN 'OK' ELSE 'MISMATCH' END,
       'worst |error| ' || round(max(100 * abs(sk - disc) / disc)::numeric, 3) || '%, bound ' || (100 * max(error(s))) || '%'
FROM acc, acc_sketch WHERE mode = 'serial';
EOF
)
STATUS=0
while IFS='|' read -r _ name verdict detail; do
    printf '%-8s %s  (%s)\n' "$verdict" "$name" "$detail"
    [ "$verdict" = OK ] || STATUS=1
done <<<"$CHECKS"
[ "$(grep -c '^CHECK|' <<<"$CHECKS")" = 3 ] || { echo "MISMATCH: checks did not all run" >&2; STATUS=1; }

# --- plans ------------------------------------------------------------------------------
echo
echo "plans (node chain, outermost first):"
"${PSQL[@]}" -At -F '  ' -c "
SELECT rpad(name, 15), rpad(m.mode, 8), bench.plan_shape(sql, m.w)
FROM bench.query CROSS JOIN (VALUES ('serial', 0, 1), ('parallel', 2, 2)) m(mode, w, o)
ORDER BY array_position($QUERIES, name), m.o" | sed 's/^/  /'

# --- timing -------------------------------------------------------------------------------
echo
say "timing: 1 warm-up round + $RUNS rounds; a round runs every query serial, then parallel (rollup, tdigest_rollup: 5 times each)"
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
bench_rounds "$RUNS" "$QUERIES"
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)

echo
echo "== opsagg latency_sketch benchmark: median of $RUNS rounds, $N values, PostgreSQL $("$PGBIN/postgres" -V | awk '{print $3}'), $VERSIONS (package $TDIGEST_PKG), $(nproc) cores =="
"${PSQL[@]}" <<'EOF'
\pset footer off
CREATE TEMP VIEW med AS SELECT * FROM bench.median;
CREATE TEMP VIEW piv AS
SELECT mode, max(ms) FILTER (WHERE query = 'scan') AS scan, max(ms) FILTER (WHERE query = 'sketch') AS sketch,
       max(ms) FILTER (WHERE query = 'exact_disc') AS disc, max(ms) FILTER (WHERE query = 'exact_cont') AS cont,
       max(ms) FILTER (WHERE query = 'tdigest') AS td, max(ms) FILTER (WHERE query = 'rollup') AS r,
       max(ms) FILTER (WHERE query = 'tdigest_rollup') AS tdr,
       max(ms) FILTER (WHERE query = 'sketch_by_hour') AS skh, max(ms) FILTER (WHERE query = 'tdigest_by_hour') AS tdh
FROM med GROUP BY mode;
\echo 'p50, p90, p99, p99.9 of all the values: time ratios against the sketch (> 1: the sketch is faster)'
SELECT mode, round((disc / sketch)::numeric, 2) AS "exact_disc / sketch", round((cont / sketch)::numeric, 2) AS "exact_cont / sketch",
       round((td / sketch)::numeric, 2) AS "tdigest / sketch",
       round(((td - scan) / nullif(sketch - scan, 0))::numeric, 2) AS "tdigest / sketch, scan removed",
       round(sketch::numeric) AS "sketch ms", round(disc::numeric) AS "exact_disc ms", round(cont::numeric) AS "exact_cont ms",
       round(td::numeric) AS "tdigest ms", round(scan::numeric) AS "scan ms"
FROM piv ORDER BY mode DESC;
\echo 'dashboard: the same percentiles from the 1000 stored hourly aggregates, and building them (GROUP BY hour)'
SELECT mode, round((sketch / r)::numeric, 1) AS "raw sketch / rollup", round((tdr / r)::numeric, 2) AS "tdigest_rollup / rollup",
       round((disc / r)::numeric) AS "exact_disc / rollup", round((td / tdr)::numeric, 1) AS "raw tdigest / tdigest_rollup",
       round((tdh / skh)::numeric, 2) AS "tdigest_by_hour / sketch_by_hour",
       round(r::numeric, 2) AS "rollup ms", round(tdr::numeric, 2) AS "tdigest_rollup ms",
       round(skh::numeric) AS "sketch_by_hour ms", round(tdh::numeric) AS "tdigest_by_hour ms"
FROM piv ORDER BY mode DESC;
\echo 'speed-up serial / parallel (2 workers)'
SELECT round((s.sketch / p.sketch)::numeric, 2) AS sketch, round((s.disc / p.disc)::numeric, 2) AS exact_disc,
       round((s.cont / p.cont)::numeric, 2) AS exact_cont, round((s.td / p.td)::numeric, 2) AS tdigest,
       round((s.scan / p.scan)::numeric, 2) AS scan, round((s.r / p.r)::numeric, 2) AS rollup,
       round((s.tdr / p.tdr)::numeric, 2) AS tdigest_rollup,
       round((s.skh / p.skh)::numeric, 2) AS sketch_by_hour, round((s.tdh / p.tdh)::numeric, 2) AS tdigest_by_hour
FROM piv s, piv p WHERE s.mode = 'serial' AND p.mode = 'parallel';
EOF
TARGET=$("${PSQL[@]}" -At <<'EOF'
WITH med AS (SELECT * FROM bench.median)
SELECT 'sketch faster than exact_disc, exact_cont and tdigest, serial and parallel: '
       || CASE WHEN bool_and(o.ms > s.ms) THEN 'yes' ELSE 'NO' END
       || '; within 1% of percentile_disc at p50, p90, p99, p99.9: '
       || (SELECT CASE WHEN bool_and(abs(sk - disc) <= 0.01 * disc) THEN 'yes' ELSE 'NO' END FROM acc)
FROM med s JOIN med o ON o.mode = s.mode AND o.query IN ('exact_disc', 'exact_cont', 'tdigest')
WHERE s.query = 'sketch'
EOF
)
echo "sketch = latency_sketch(v) then approx_percentile(q, s) for each q; exact_disc / exact_cont = percentile_disc / percentile_cont(ARRAY[...]) WITHIN GROUP (ORDER BY v)"
echo "tdigest = tdigest_percentile(v, 100, ARRAY[...]); scan = count(v); rollup = rollup(s) over hourly, then approx_percentile;"
echo "tdigest_rollup = tdigest_percentile(td, ARRAY[...]) over hourly; sketch_by_hour / tdigest_by_hour = latency_sketch(v) / tdigest(v, 100) GROUP BY hour"
echo "load average (1/5/15 min) before timing: $LOAD_BEFORE, after: $LOAD_AFTER (the benchmark itself accounts for about 1-2 of it on $(nproc) cores; more means other work shared the CPUs)"
echo "target (the issue): $TARGET"
echo "checks: $(awk -F'|' '{printf "%s%s", sep, $3; sep=" "}' <<<"$CHECKS")"
echo "command: N=$N HOURS=$HOURS RUNS=$RUNS bash bench/sketch/run.sh   (total $(($(date +%s) - T_START)) s)"
if [ "$STATUS" != 0 ]; then
    echo "MISMATCH: results differ (see above)" >&2
    exit 1
fi
