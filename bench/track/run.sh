#!/bin/bash
# Change-tracking overhead, as the benchmark that motivated the C tracker: 100 x INSERT ...
# SELECT of 10,000 rows into three identical 5-column tables (index on occurred_at):
#   t_plain  not registered
#   t_new    registered with ops_add_source (ops_track_row + ops_track_flush)
#   t_old    the former tracking: ops_track_changes as AFTER ... FOR EACH STATEMENT with
#            transition tables (what ops_watch still creates for a generated time column)
# pgbench runs the three inserts in turn, one statement each per transaction, so all see
# the same machine load; -r reports each statement's mean latency. The order rotates
# between rounds. Usage: PGHOST=... PGPORT=... PGUSER=postgres bench/track/run.sh [rounds]
# [spread: 1h|30d]
set -euo pipefail
ROUNDS=${1:-3}
SPREAD=${2:-1h}
BIN=${PGBIN:-$(dirname "$(command -v pgbench)")}
DB=${PGDATABASE:-opsagg_bench_track}
psql -qX -d postgres -c "DROP DATABASE IF EXISTS $DB" -c "CREATE DATABASE $DB" 2>/dev/null
export PGDATABASE=$DB
psql -qX -v ON_ERROR_STOP=1 >/dev/null <<'SQL'
CREATE EXTENSION opsagg;
CREATE TABLE t_plain (occurred_at timestamptz, platform text, status_code int, latency_ms float8, is_timeout bool);
CREATE TABLE t_new (LIKE t_plain);
CREATE TABLE t_old (LIKE t_plain);
CREATE INDEX ON t_plain (occurred_at);
CREATE INDEX ON t_new (occurred_at);
CREATE INDEX ON t_old (occurred_at);
SELECT ops_add_source('t_new');
CREATE TRIGGER opsagg_track_insert AFTER INSERT ON t_old REFERENCING NEW TABLE AS ops_new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION ops_track_changes('occurred_at');
SQL
case $SPREAD in
    1h) span=3600 ;;
    30d) span=2592000 ;;
    *) echo "spread: 1h or 30d" >&2; exit 2 ;;
esac
insert() {
    echo "INSERT INTO $1 SELECT now() - random() * interval '$span seconds', (ARRAY['ios','android','web'])[1 + g % 3], CASE WHEN g % 50 = 0 THEN 503 ELSE 200 END, random() * 300, g % 200 = 0 FROM generate_series(1, 10000) AS g;"
}
script=$(mktemp)
trap 'rm -f "$script"' EXIT
orders=("t_plain t_new t_old" "t_new t_old t_plain" "t_old t_plain t_new")
for r in $(seq "$ROUNDS"); do
    psql -qX -c "TRUNCATE t_plain, t_new, t_old" -c "TRUNCATE ops_change_log" -c "VACUUM ANALYZE" -c "CHECKPOINT" >/dev/null
    : >"$script"
    for t in ${orders[$(( (r - 1) % 3 ))]}; do insert "$t" >>"$script"; done
    out=$("$BIN/pgbench" -n -t 100 -r -f "$script" 2>&1)
    ms() { echo "$out" | awk -v t="INSERT INTO $1 " 'index($0, t) { print $1 }'; }
    p=$(ms t_plain); n=$(ms t_new); o=$(ms t_old)
    rows=$(psql -qXAt -c "SELECT count(*) FILTER (WHERE watch_table = 't_new'::regclass) || ' / ' || count(*) FILTER (WHERE watch_table = 't_old'::regclass) FROM ops_change_log")
    awk -v r="$r" -v s="$SPREAD" -v p="$p" -v n="$n" -v o="$o" -v rows="$rows" 'BEGIN {
        printf "round %d (%s): ms per 10k rows: plain %.2f, new %.2f (+%.1f%%), old %.2f (+%.1f%%); log rows new/old %s\n",
               r, s, p, n, 100 * (n - p) / p, o, 100 * (o - p) / p, rows }'
done
