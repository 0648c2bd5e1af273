-- Forced parallel plans: Partial Aggregate in the plan, results equal to the serial plan.
SET TimeZone = 'UTC';
SET DateStyle = 'ISO, YMD';
SET IntervalStyle = 'postgres';
SELECT setseed(0.7);

CREATE TABLE pbeats AS
SELECT s AS system, t AS ts
FROM generate_series(1, 4) AS s,
     generate_series('2022-01-01'::timestamptz, '2022-01-07 23:59:59', '30 seconds') AS t
WHERE random() < 0.95;
ANALYZE pbeats;

CREATE TABLE serial_result AS
SELECT system, heartbeat_agg(ts, '2022-01-01', '7 days', '1 minute') AS agg FROM pbeats GROUP BY 1;
CREATE TABLE serial_hourly AS
SELECT system, date_bin('1 hour', ts, '2022-01-01') AS bucket,
       heartbeat_agg(ts, date_bin('1 hour', ts, '2022-01-01'), '1 hour', '1 minute') AS agg
FROM pbeats GROUP BY 1, 2;
CREATE TABLE serial_rollup AS SELECT system, rollup(agg) AS agg FROM serial_hourly GROUP BY 1;

SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
SET force_parallel_mode = on;

EXPLAIN (COSTS OFF)
SELECT system, heartbeat_agg(ts, '2022-01-01', '7 days', '1 minute') FROM pbeats GROUP BY 1;
SELECT p.system, p.agg = s.agg AS equal_to_serial, uptime(p.agg), num_live_ranges(p.agg)
FROM (SELECT system, heartbeat_agg(ts, '2022-01-01', '7 days', '1 minute') AS agg FROM pbeats GROUP BY 1) p
JOIN serial_result s USING (system) ORDER BY 1;

-- Without GROUP BY: one state per worker, combined by the leader.
EXPLAIN (COSTS OFF)
SELECT heartbeat_agg(ts, '2022-01-01', '7 days', '1 minute') FROM pbeats WHERE system = 1;
SELECT heartbeat_agg(ts, '2022-01-01', '7 days', '1 minute') = (SELECT agg FROM serial_result WHERE system = 1) AS equal_to_serial
FROM pbeats WHERE system = 1;

-- rollup in parallel.
ANALYZE serial_hourly;
EXPLAIN (COSTS OFF) SELECT system, rollup(agg) FROM serial_hourly GROUP BY 1;
SELECT p.system, p.agg = s.agg AS equal_to_serial
FROM (SELECT system, rollup(agg) AS agg FROM serial_hourly GROUP BY 1) p
JOIN serial_rollup s USING (system) ORDER BY 1;

-- A window mismatch between rows handled by different workers is still an error.
\set VERBOSITY sqlstate
SELECT heartbeat_agg(ts, CASE WHEN ts < '2022-01-04' THEN '2022-01-01'::timestamptz ELSE '2021-12-31' END, '8 days', '1 minute')
FROM pbeats;

DROP TABLE pbeats, serial_result, serial_hourly, serial_rollup;
