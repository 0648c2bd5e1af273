-- Pipeline forms, interpolate, trim_to and trim_until.
SET TimeZone = 'UTC';
SET DateStyle = 'ISO, YMD';
SET IntervalStyle = 'postgres';

CREATE TEMP TABLE hb(ts timestamptz);
INSERT INTO hb VALUES
    ('2022-01-01 00:02:20'), ('2022-01-01 00:10:00'), ('2022-01-01 00:17:00'),
    ('2022-01-01 00:30:00'), ('2022-01-01 00:50:30'), ('2022-01-01 01:38:01'),
    ('2022-01-01 01:55:00');
CREATE TEMP TABLE a AS SELECT heartbeat_agg(ts, '2022-01-01', '2h', '10m') AS agg FROM hb;
SELECT agg FROM a;

-- Every accessor's pipeline form equals its function form.
SELECT agg -> uptime() = uptime(agg) AS uptime,
       agg -> downtime() = downtime(agg) AS downtime,
       agg -> num_live_ranges() = num_live_ranges(agg) AS num_live_ranges,
       agg -> num_gaps() = num_gaps(agg) AS num_gaps,
       agg -> live_at('2022-01-01 00:05') = live_at(agg, '2022-01-01 00:05') AS live_at
FROM a;
SELECT (agg -> live_ranges()).* FROM a;
SELECT (agg -> dead_ranges()).* FROM a;
SELECT * FROM live_ranges((SELECT agg FROM a)) EXCEPT ALL SELECT (agg -> live_ranges()).* FROM a;

-- live_at: start inclusive, end exclusive, false outside coverage.
SELECT t, live_at(agg, t)
FROM a, unnest(ARRAY['2021-12-31 23:59:59', '2022-01-01 00:00', '2022-01-01 00:02:20',
                     '2022-01-01 00:40:00', '2022-01-01 00:39:59.999999', '2022-01-01 01:59:59.999999',
                     '2022-01-01 02:00', '2022-01-02', 'infinity', '-infinity']::timestamptz[]) AS t;

-- trim_to: function and pipeline forms, named arguments, chained accessors.
SELECT trim_to(agg, '2022-01-01 00:30', '30m') FROM a;
SELECT agg -> trim_to('2022-01-01 00:30'::timestamptz, '30m') -> uptime() AS chained FROM a;
SELECT uptime(trim_to(agg, duration => '30m')) AS first_half_hour,
       uptime(trim_to(agg, '2022-01-01 01:00')) AS last_hour,
       agg -> trim_to('2022-01-01 01:00'::timestamptz) -> uptime() AS last_hour_arrow
FROM a;
-- Trimming to the aggregate's own bounds returns an equal value.
SELECT trim_to(agg) = agg AS no_args, trim_to(agg, '2022-01-01', '2h') = agg AS own_bounds FROM a;
-- A window after the last live range is valid (no live ranges, one gap).
SELECT trim_to(agg, '2022-01-01 00:42', '8m') AS empty_window,
       num_live_ranges(trim_to(agg, '2022-01-01 00:42', '8m')),
       num_gaps(trim_to(agg, '2022-01-01 00:42', '8m')),
       uptime(trim_to(agg, '2022-01-01 00:42', '8m')) FROM a;
-- Exact boundaries never leave empty ranges.
SELECT * FROM live_ranges((SELECT trim_to(agg, '2022-01-01 00:27', '3m') FROM a));
SELECT * FROM live_ranges((SELECT trim_to(agg, '2022-01-01 00:17', '10m') FROM a));
-- last_seen moves when the end moves earlier (the toolkit's rule).
SELECT trim_to(agg, '2022-01-01 00:00', '25m') FROM a;
SELECT trim_to(agg, '2022-01-01 00:00', '1h') FROM a;
-- An end at 2000-01-01 00:00 UTC is an ordinary end, not "no end".
SELECT agg -> trim_to('1999-12-31 23:00'::timestamptz, '1h') -> uptime() AS at_epoch
FROM (SELECT heartbeat_agg(t, '1999-12-31 22:00', '3h', '1m') AS agg
      FROM generate_series('1999-12-31 22:00'::timestamptz, '2000-01-01 00:59', '1 minute') AS t) s;

-- trim_until: measuring the current, unfinished bucket.
SELECT trim_until(agg, '2022-01-01 01:00') = trim_to(agg, duration => '1h') AS same_as_duration,
       uptime(trim_until(agg, '2022-01-01 01:00')) AS uptime_so_far,
       downtime(trim_until(agg, '2022-01-01 01:00')) AS downtime_so_far,
       trim_until(agg, '2022-01-05') = agg AS after_end_is_whole,
       agg -> trim_until('2022-01-01 00:20') -> uptime() AS arrow
FROM a;

-- interpolate: liveness carried over from the previous bucket.
CREATE TEMP TABLE buckets AS
SELECT date_trunc('hour', ts) AS bucket,
       heartbeat_agg(ts, date_trunc('hour', ts), '1h', '10m') AS agg
FROM hb GROUP BY 1;
SELECT bucket, uptime(agg),
       interpolated_uptime(agg, LAG(agg) OVER w) AS interpolated_uptime,
       interpolated_downtime(agg, LAG(agg) OVER w) AS interpolated_downtime,
       agg -> interpolated_uptime(LAG(agg) OVER w) AS arrow_uptime,
       agg -> interpolated_downtime(LAG(agg) OVER w) AS arrow_downtime
FROM buckets WINDOW w AS (ORDER BY bucket) ORDER BY bucket;
SELECT bucket, interpolate(agg, LAG(agg) OVER w) AS interpolated,
       agg -> interpolate(LAG(agg) OVER w) = interpolate(agg, LAG(agg) OVER w) AS arrow_equal
FROM buckets WINDOW w AS (ORDER BY bucket) ORDER BY bucket;
-- interpolate with NULL: agg unchanged; NULL agg: NULL.
SELECT interpolate(agg, NULL) = agg AS null_pred, interpolate(NULL, agg) IS NULL AS null_agg,
       interpolated_uptime(NULL, agg) IS NULL AS null_agg_uptime FROM a;
-- A predecessor whose liveness does not reach the start changes nothing; a gap is allowed.
SELECT interpolate(b.agg, p.agg) = b.agg AS unchanged
FROM (SELECT heartbeat_agg('2022-01-01 00:30', '2022-01-01 00:00', '1h', '10m') AS agg) p,
     (SELECT heartbeat_agg('2022-01-01 02:30', '2022-01-01 02:00', '1h', '10m') AS agg) b;
-- The carried-over range merges with a first range it reaches.
SELECT live_ranges(interpolate(b.agg, p.agg))
FROM (SELECT heartbeat_agg('2022-01-01 00:58', '2022-01-01 00:00', '1h', '10m') AS agg) p,
     (SELECT heartbeat_agg('2022-01-01 01:05', '2022-01-01 01:00', '1h', '10m') AS agg) b;
-- ... or is inserted before a first range it does not reach.
SELECT live_ranges(interpolate(b.agg, p.agg))
FROM (SELECT heartbeat_agg('2022-01-01 00:58', '2022-01-01 00:00', '1h', '10m') AS agg) p,
     (SELECT heartbeat_agg('2022-01-01 01:20', '2022-01-01 01:00', '1h', '10m') AS agg) b;

-- num_live_ranges reads only the header of a stored value: the same count whether the value is
-- inline, compressed (STORAGE main or extended) or out of line uncompressed (STORAGE external),
-- for 1, 1000 and 20,000 ranges (16 bytes each).
CREATE TEMP TABLE hb_src AS
SELECT n, heartbeat_agg(ts, '2022-01-01', '30 days', '1m') AS agg
FROM (VALUES (1), (1000), (20000)) c(n),
     LATERAL (SELECT '2022-01-01'::timestamptz + k * interval '2 minutes' AS ts FROM generate_series(0, n - 1) k) t
GROUP BY n;
CREATE TEMP TABLE hb_external (n int, agg heartbeat_agg);
ALTER TABLE hb_external ALTER COLUMN agg SET STORAGE EXTERNAL;
CREATE TEMP TABLE hb_main (n int, agg heartbeat_agg);
ALTER TABLE hb_main ALTER COLUMN agg SET STORAGE MAIN;
CREATE TEMP TABLE hb_extended (n int, agg heartbeat_agg);
-- (Through text, so each table gets an uncompressed value to store its own way.)
INSERT INTO hb_external SELECT n, agg::text::heartbeat_agg FROM hb_src;
INSERT INTO hb_main SELECT n, agg::text::heartbeat_agg FROM hb_src;
INSERT INTO hb_extended SELECT n, agg::text::heartbeat_agg FROM hb_src;
SELECT t.storage, t.n, pg_column_compression(t.agg) AS compression, pg_column_size(t.agg) AS stored,
       num_live_ranges(t.agg) AS num_live_ranges,
       num_live_ranges(t.agg) = (SELECT count(*) FROM live_ranges(t.agg)) AS counted,
       t.agg = src.agg::text::heartbeat_agg AS equal
FROM (SELECT 'external' AS storage, * FROM hb_external UNION ALL SELECT 'main', * FROM hb_main
      UNION ALL SELECT 'extended', * FROM hb_extended) t JOIN hb_src src USING (n)
ORDER BY 1, 2;
