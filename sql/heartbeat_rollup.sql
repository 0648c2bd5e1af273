-- rollup: adjacent buckets, redundant systems, and equality with heartbeat_agg over the union.
SET TimeZone = 'UTC';
SET DateStyle = 'ISO, YMD';
SET IntervalStyle = 'postgres';
SELECT setseed(0.42);

-- Heartbeats of three systems over two days with random dropouts.
CREATE TEMP TABLE beats AS
SELECT s AS system, t AS ts
FROM generate_series(1, 3) AS s,
     generate_series('2022-01-01'::timestamptz, '2022-01-02 23:59:59', '20 seconds') AS t
WHERE random() < 0.97
  AND NOT (s = 2 AND t >= '2022-01-01 05:00' AND t < '2022-01-01 06:30')
  AND NOT (s = 3 AND t >= '2022-01-01 05:59:00' AND t < '2022-01-01 06:01:30');

-- Hourly buckets, rolled up into the whole period, equal heartbeat_agg over all rows.
CREATE TEMP TABLE hourly AS
SELECT system, date_bin('1 hour', ts, '2022-01-01') AS bucket,
       heartbeat_agg(ts, date_bin('1 hour', ts, '2022-01-01'), '1 hour', '1 minute') AS agg
FROM beats GROUP BY 1, 2;
CREATE TEMP TABLE direct AS
SELECT system, heartbeat_agg(ts, '2022-01-01', '2 days', '1 minute') AS agg FROM beats GROUP BY 1;
SELECT d.system, r.agg = d.agg AS equal, uptime(d.agg), num_gaps(d.agg)
FROM direct d JOIN (SELECT system, rollup(agg) AS agg FROM hourly GROUP BY 1) r USING (system)
ORDER BY 1;

-- Whatever the input order or grouping: shuffled, and rolled up in two stages.
SELECT system,
       (SELECT rollup(agg ORDER BY md5(bucket::text)) FROM hourly h WHERE h.system = d.system) = d.agg AS shuffled,
       (SELECT rollup(agg ORDER BY bucket DESC) FROM hourly h WHERE h.system = d.system) = d.agg AS reversed,
       (SELECT rollup(agg) FROM (SELECT rollup(agg ORDER BY md5(bucket::text)) AS agg FROM hourly h
                                 WHERE h.system = d.system GROUP BY date_bin('6 hours', bucket, '2022-01-01')) s)
           = d.agg AS two_stage
FROM direct d ORDER BY 1;

-- Holes between inputs are dead, and the window is [min start, max end).
SELECT rollup(agg) -> dead_ranges() AS dead
FROM (SELECT heartbeat_agg('2022-01-01 00:55', '2022-01-01 00:00', '1h', '10m') AS agg
      UNION ALL SELECT heartbeat_agg('2022-01-01 03:10', '2022-01-01 03:00', '1h', '10m')) v;
-- A last range clipped at its bucket end re-opens into the next bucket.
SELECT rollup(agg)
FROM (SELECT heartbeat_agg('2022-01-01 00:55', '2022-01-01 00:00', '1h', '10m') AS agg
      UNION ALL SELECT heartbeat_agg('2022-01-01 01:30', '2022-01-01 01:00', '1h', '10m')) v;

-- Redundant systems: live if any is live; dead ranges are when all were down together.
SELECT (rollup(agg) -> dead_ranges()).*
FROM (SELECT heartbeat_agg(ts, '2022-01-01', '2 days', '1 minute') AS agg
      FROM beats WHERE system IN (2, 3) GROUP BY system) s;

-- NULL inputs are skipped; no input gives NULL.
SELECT rollup(agg) = (SELECT agg FROM direct WHERE system = 1) AS nulls_skipped
FROM (SELECT agg FROM direct WHERE system = 1 UNION ALL SELECT NULL) s;
SELECT rollup(agg) IS NULL AS empty FROM direct WHERE false;
SELECT rollup(NULL::heartbeat_agg) IS NULL AS only_null;

-- A bucket cut out of the rollup equals the bucket interpolated from its predecessor.
SELECT bool_and(trim_to(r.agg, h.bucket, '1 hour') -> uptime() = h.interpolated_uptime
                AND trim_to(r.agg, h.bucket, '1 hour') -> num_live_ranges() = h.interpolated_ranges)
       AS buckets_recovered, count(*) AS buckets
FROM (SELECT system, rollup(agg) AS agg FROM hourly GROUP BY 1) r
JOIN (SELECT system, bucket,
             agg -> interpolated_uptime(LAG(agg) OVER w) AS interpolated_uptime,
             agg -> interpolate(LAG(agg) OVER w) -> num_live_ranges() AS interpolated_ranges
      FROM hourly WINDOW w AS (PARTITION BY system ORDER BY bucket)) h USING (system);
