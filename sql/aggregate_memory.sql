-- Aggregate states live in the aggregate's memory context, so PostgreSQL sees their memory:
-- hash aggregation spills to disk when the states outgrow work_mem (with the same results as
-- sort-based aggregation), and EXPLAIN ANALYZE reports what they hold.
SET TimeZone = 'UTC';
SET DateStyle = 'ISO, YMD';
SET IntervalStyle = 'postgres';

-- HashAggregate statistics of a query, from EXPLAIN (ANALYZE, FORMAT JSON): every
-- HashAggregate node, in the leader and in parallel workers alike, so the figures do not
-- depend on whether the plan is parallel.
CREATE FUNCTION pg_temp.hashagg(query text, OUT hash_nodes int, OUT max_batches int,
                                OUT disk_kb bigint, OUT peak_kb bigint)
LANGUAGE plpgsql AS $$
DECLARE
    plan jsonb;
BEGIN
    EXECUTE 'EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF, FORMAT JSON) ' || query INTO plan;
    SELECT count(*), max((n->>'HashAgg Batches')::int), sum((n->>'Disk Usage')::bigint),
           sum((n->>'Peak Memory Usage')::bigint)
    INTO hash_nodes, max_batches, disk_kb, peak_kb
    FROM jsonb_path_query(plan, 'strict $.** ? (exists (@."HashAgg Batches"))') AS n;
END $$;

-- 200 systems x 400 heartbeats 10 minutes apart (liveness 1 minute: 400 ranges each), and
-- 400 latencies each over six decades (hundreds of buckets each).
CREATE TABLE mem_rows AS
SELECT i % 200 AS g, '2022-01-01'::timestamptz + (i / 200) * interval '10 minutes' AS ts,
       round(power(10, 6 * ((hashint4(i) & 65535) / 65536.0))::numeric, 3)::float8 AS v
FROM generate_series(0, 79999) AS i
ORDER BY 1, 2;
ANALYZE mem_rows;
CREATE TABLE mem_hourly AS
SELECT g, date_bin('1 hour', ts, '2022-01-01') AS hr,
       heartbeat_agg(ts, date_bin('1 hour', ts, '2022-01-01'), '1 hour', '1 minute') AS hb,
       latency_sketch(v) AS sk
FROM mem_rows GROUP BY 1, 2;
ANALYZE mem_hourly;

-- The same queries by sort and group aggregation: the reference results.
SET enable_hashagg = off;
CREATE TABLE mem_sorted AS
SELECT g, heartbeat_agg(ts, '2022-01-01', '7 days', '1 minute') AS hb, latency_sketch(v) AS sk
FROM mem_rows GROUP BY 1;
CREATE TABLE mem_sorted_rollup AS SELECT g, rollup(hb) AS hb, rollup(sk) AS sk FROM mem_hourly GROUP BY 1;
RESET enable_hashagg;

-- Under the smallest work_mem each aggregate's hash aggregation spills (more than one batch,
-- some disk), and gives the sort-based result. (enable_sort = off: the planner would rather
-- sort than spill, and the hash path is the one under test.)
SET enable_sort = off;
SET work_mem = '64kB';
SELECT hash_nodes > 0 AS hashed, max_batches > 1 AS spilled, disk_kb > 0 AS used_disk
FROM pg_temp.hashagg($$SELECT g, heartbeat_agg(ts, '2022-01-01', '7 days', '1 minute') FROM mem_rows GROUP BY 1$$);
SELECT hash_nodes > 0 AS hashed, max_batches > 1 AS spilled, disk_kb > 0 AS used_disk
FROM pg_temp.hashagg($$SELECT g, latency_sketch(v) FROM mem_rows GROUP BY 1$$);
SELECT hash_nodes > 0 AS hashed, max_batches > 1 AS spilled, disk_kb > 0 AS used_disk
FROM pg_temp.hashagg($$SELECT g, rollup(hb) FROM mem_hourly GROUP BY 1$$);
SELECT hash_nodes > 0 AS hashed, max_batches > 1 AS spilled, disk_kb > 0 AS used_disk
FROM pg_temp.hashagg($$SELECT g, rollup(sk) FROM mem_hourly GROUP BY 1$$);

SELECT count(*) AS groups, count(*) FILTER (WHERE h.hb = s.hb) AS heartbeat_equal,
       count(*) FILTER (WHERE h.sk = s.sk) AS sketch_equal
FROM (SELECT g, heartbeat_agg(ts, '2022-01-01', '7 days', '1 minute') AS hb, latency_sketch(v) AS sk
      FROM mem_rows GROUP BY 1) h
JOIN mem_sorted s USING (g);
SELECT count(*) AS groups, count(*) FILTER (WHERE h.hb = s.hb) AS heartbeat_equal,
       count(*) FILTER (WHERE h.sk = s.sk) AS sketch_equal
FROM (SELECT g, rollup(hb) AS hb, rollup(sk) AS sk FROM mem_hourly GROUP BY 1) h
JOIN mem_sorted_rollup s USING (g);
SELECT min(num_live_ranges(hb)) AS min_ranges, max(num_live_ranges(hb)) AS max_ranges FROM mem_sorted;

-- The same in parallel: partial hash aggregations in the workers spill too, and the combined
-- result is still the sort-based one.
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
SET parallel_leader_participation = off;
SELECT hash_nodes > 0 AS hashed, max_batches > 1 AS spilled, disk_kb > 0 AS used_disk
FROM pg_temp.hashagg($$SELECT g, heartbeat_agg(ts, '2022-01-01', '7 days', '1 minute'), latency_sketch(v) FROM mem_rows GROUP BY 1$$);
SELECT count(*) AS groups, count(*) FILTER (WHERE h.hb = s.hb) AS heartbeat_equal,
       count(*) FILTER (WHERE h.sk = s.sk) AS sketch_equal
FROM (SELECT g, heartbeat_agg(ts, '2022-01-01', '7 days', '1 minute') AS hb, latency_sketch(v) AS sk
      FROM mem_rows GROUP BY 1) h
JOIN mem_sorted s USING (g);
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;
RESET parallel_leader_participation;
RESET work_mem;
RESET enable_sort;

-- Working memory follows live ranges, not rows, and PostgreSQL sees it: a million heartbeats
-- in one range hold a few kB, while 100,000 heartbeats in as many ranges hold at least their
-- 16 bytes a range (1.6 MB).
SET enable_sort = off;
SET work_mem = '64MB';
SELECT max_batches AS batches, peak_kb < 1024 AS under_1_mb
FROM pg_temp.hashagg($$SELECT t > '-infinity' AS g, heartbeat_agg(t, '2022-01-01', '12 days', '10 seconds')
                       FROM generate_series('2022-01-01'::timestamptz, '2022-01-12 13:46:39', '1 second') AS t
                       GROUP BY 1$$);
SELECT num_live_ranges(agg), uptime(agg)
FROM (SELECT heartbeat_agg(t, '2022-01-01', '12 days', '10 seconds') AS agg
      FROM generate_series('2022-01-01'::timestamptz, '2022-01-12 13:46:39', '1 second') AS t) s;
SELECT max_batches AS batches, peak_kb >= 100000 * 16 / 1024 AS holds_the_ranges
FROM pg_temp.hashagg($$SELECT t > '-infinity' AS g, heartbeat_agg(t, '2022-01-01', '100 days', '10 seconds')
                       FROM generate_series('2022-01-01'::timestamptz, '2022-01-01'::timestamptz + 99999 * interval '1 minute', '1 minute') AS t
                       GROUP BY 1$$);
SELECT num_live_ranges(heartbeat_agg(t, '2022-01-01', '100 days', '10 seconds'))
FROM generate_series('2022-01-01'::timestamptz, '2022-01-01'::timestamptz + 99999 * interval '1 minute', '1 minute') AS t;
RESET work_mem;

DROP TABLE mem_rows, mem_hourly, mem_sorted, mem_sorted_rollup;
