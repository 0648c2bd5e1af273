-- :n rows for the memory benchmark (bench/memory/README.md). Deterministic (hash-based).
--   beats(g, ts, v): row g (1..n) is a heartbeat at base + g seconds and a latency v in
--     [1, 22026] ms (log-uniform), so group g % 20000 gets n / 20000 heartbeats 20000 s
--     apart (each its own live range with a 1-minute liveness) and n / 20000 latencies.
--   aggs(g, hb, sk): the same rows as one-row heartbeat_agg (a 1-hour window) and
--     latency_sketch values, the input of the rollups.
\set ON_ERROR_STOP on
SET client_min_messages = warning;

DROP TABLE IF EXISTS beats, aggs;
CREATE UNLOGGED TABLE beats AS
SELECT g, :'base'::timestamptz + g * interval '1 second' AS ts,
       round(exp(10 * ((hashint8extended(g, 1) & 9007199254740991)::float8 / 9007199254740992))::numeric,
             3)::float8 AS v
FROM generate_series(1::bigint, :n) AS g;

-- One group per row, by sort (each state is reset after its group).
SET enable_hashagg = off;
SET work_mem = '1GB';
CREATE UNLOGGED TABLE aggs AS
SELECT g, heartbeat_agg(ts, date_bin('1 hour', ts, :'base'), '1 hour', '1 minute') AS hb,
       latency_sketch(v) AS sk
FROM beats GROUP BY g;
RESET work_mem;
RESET enable_hashagg;
VACUUM ANALYZE beats, aggs;
