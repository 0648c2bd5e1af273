#!/usr/bin/env bash
# labels benchmark: labels_canonical, labels_canonical_text and labels_fingerprint against
# the plain-SQL helper over 1 million label sets. See bench/labels/README.md.
#   bash bench/labels/run.sh
# Knobs (environment): N=1000000 (label sets) RUNS=5 PORT=54349 PG_CONFIG=...
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
PG_CONFIG=${PG_CONFIG:-/usr/lib/postgresql/15/bin/pg_config}
PGBIN=$("$PG_CONFIG" --bindir)
N=${N:-1000000}
RUNS=${RUNS:-5}
PORT=${PORT:-54349}

T_START=$(date +%s)
say() { printf '[%4ss] %s\n' "$(($(date +%s) - T_START))" "$*"; }

# shellcheck source=../lib.sh
source "$ROOT/bench/lib.sh"
bench_require_opsagg "$PG_CONFIG" || exit 2
say "starting PostgreSQL (port $PORT)"
bench_start_server "$PORT" "$ROOT/log/bench-labels" || exit 2
PSQL=("$PGBIN/psql" -X -q -v ON_ERROR_STOP=1 -v "n=$N")

"${PSQL[@]}" -c 'CREATE EXTENSION opsagg' -c 'CREATE EXTENSION pg_prewarm' >/dev/null
say "generating $N label sets ..."
"${PSQL[@]}" -f "$HERE/data.sql"
"${PSQL[@]}" -c "SELECT pg_prewarm('label_sets')" >/dev/null
"${PSQL[@]}" -At -F ' ' -c "SELECT count(*), round(avg((SELECT count(*) FROM jsonb_object_keys(labels))), 1),
    replace(pg_size_pretty(pg_total_relation_size('label_sets')), ' ', '') FROM label_sets" |
    { read -r n keys size; say "label_sets: $n rows, $keys labels on average, $size"; }
"${PSQL[@]}" -f "$HERE/queries.sql"

# Correctness: opsagg really deduplicates what the SQL helper does not.
"${PSQL[@]}" -At -F ' ' -c "
SELECT count(DISTINCT series), count(DISTINCT labels_canonical(labels)), count(DISTINCT labels_fingerprint(labels)),
       count(DISTINCT (SELECT jsonb_object_agg(key, value ORDER BY key) FROM jsonb_each(labels)))
FROM label_sets" | {
    read -r d c f s
    say "distinct series: $d written; labels_canonical finds $c, labels_fingerprint $f, the SQL helper $s"
    [[ "$c" == "$d" && "$f" == "$d" ]] || { echo "MISMATCH: opsagg did not find exactly the series written" >&2; exit 1; }
}

say "timing: 1 warm-up round + $RUNS rounds; a round runs every query serial, then parallel"
bench_rounds "$RUNS" "ARRAY['scan','canonical','text','fingerprint','sql_helper']"

echo
echo "== opsagg labels benchmark: median of $RUNS rounds (ms), PostgreSQL $("$PGBIN/postgres" -V | awk '{print $3}'), $(nproc) cores =="
"${PSQL[@]}" <<'SQL'
\pset footer off
CREATE TEMP VIEW med AS SELECT * FROM bench.median;
SELECT m.mode, m.query, round(m.ms::numeric) AS ms,
       round((h.ms / m.ms)::numeric, 2) AS "sql_helper / query",
       round(((h.ms - s.ms) / nullif(m.ms - s.ms, 0))::numeric, 2) AS "same, scan time removed"
FROM med m JOIN med h ON h.query = 'sql_helper' AND h.mode = m.mode
           JOIN med s ON s.query = 'scan' AND s.mode = m.mode
ORDER BY m.mode DESC, array_position(ARRAY['scan','canonical','text','fingerprint','sql_helper'], m.query);
SQL
echo "scan = count(labels); canonical = labels_canonical; text = labels_canonical_text; fingerprint = labels_fingerprint"
echo "sql_helper = (SELECT jsonb_object_agg(key, value ORDER BY key) FROM jsonb_each(labels))"
echo "command: N=$N RUNS=$RUNS bash bench/labels/run.sh   (total $(($(date +%s) - T_START)) s)"
