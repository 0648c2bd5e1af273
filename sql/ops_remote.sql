-- Remote rollups (ops_add_remote_rollup / ops_remove_remote_rollup): registration and its
-- refusals, and ops_metrics merging a remote's rollups with its own coverage. The "remote"
-- here is a schema of local tables shaped like what IMPORT FOREIGN SCHEMA makes of a shard
-- (t/003_scale_out.pl runs the same over postgres_fdw with live shards).
SET TimeZone = 'UTC';
SET DateStyle = 'ISO, YMD';
\getenv abs_srcdir PG_ABS_SRCDIR
\set attempt :abs_srcdir '/sql/include/attempt.sql'
\i :attempt

-- Every server has the view a coordinator imports: ops_rollup_coverage over all time.
SELECT count(*) AS rows,
       bool_and(ROW(v.*) IS NOT DISTINCT FROM
                (SELECT ROW(c.rolled_from, c.rolled_to, c.hourly_from, c.daily_from, c.dirty_starts, c.dirty_ends)
                 FROM ops_rollup_coverage('-infinity', 'infinity') AS c)) AS same_as_the_function
FROM ops_rollup_coverage_all AS v;
SELECT has_table_privilege('public', 'ops_rollup_coverage_all', 'SELECT') AS coverage_readable_by_all,
       has_table_privilege('public', 'ops_remote_rollups', 'SELECT') AS registrations_readable_by_all;

-- The shard: 3 days of events; its rollup rows and coverage as its worker would leave them.
-- It rolled up [D0, D0 + 2 days 5 hours), the hour D0 + 1 day 3 hours is dirty (late rows
-- not rolled up yet), and rows it did not roll up are garbage that must not be read.
CREATE SCHEMA shard_a;
CREATE TABLE shard_a.events (occurred_at timestamptz NOT NULL, platform text, status_code integer,
                             latency_ms double precision, is_timeout boolean);
CREATE TABLE shard_a.ops_metrics_hourly (LIKE ops_metrics_hourly INCLUDING DEFAULTS);
CREATE TABLE shard_a.ops_metrics_daily (LIKE ops_metrics_daily INCLUDING DEFAULTS);
CREATE TABLE shard_a.ops_rollup_coverage_all AS SELECT * FROM ops_rollup_coverage_all WITH NO DATA;
SELECT '2026-03-01 00:00:00+00'::timestamptz AS d0 \gset
SELECT setseed(0.31);
INSERT INTO shard_a.events
SELECT :'d0'::timestamptz + random() * interval '3 days',
       (ARRAY['anthropic', 'openai', ''])[1 + (random() * 2)::int],
       CASE WHEN random() < 0.1 THEN 503 WHEN random() < 0.1 THEN 404 ELSE 200 END,
       CASE WHEN random() < 0.05 THEN NULL ELSE round((random() * random() * 3000)::numeric, 3) END,
       random() < 0.02
FROM generate_series(1, 6000);
-- The figures of the shard's events per key, as its worker computes them.
CREATE FUNCTION pg_temp.figures(bucket interval)
RETURNS TABLE (k timestamptz, platform text, request_count bigint, success_count bigint, error_count bigint,
               error_4xx_count bigint, error_5xx_count bigint, timeout_count bigint, avg_latency_ms float8,
               max_latency_ms float8, latency_sample_count bigint, latency latency_sketch)
LANGUAGE sql AS $$
    SELECT date_bin(bucket, occurred_at, '2000-01-01'), COALESCE(platform, ''), count(*),
           count(*) FILTER (WHERE NOT (COALESCE(status_code >= 400, false) OR COALESCE(is_timeout, false))),
           count(*) FILTER (WHERE COALESCE(status_code >= 400, false) OR COALESCE(is_timeout, false)),
           count(*) FILTER (WHERE status_code BETWEEN 400 AND 499), count(*) FILTER (WHERE status_code >= 500),
           count(*) FILTER (WHERE is_timeout), avg(latency_ms), max(latency_ms), count(latency_ms),
           latency_sketch(latency_ms)
    FROM shard_a.events GROUP BY 1, 2
$$;
INSERT INTO shard_a.ops_metrics_hourly (bucket_start, platform, request_count, success_count, error_count,
    error_4xx_count, error_5xx_count, timeout_count, avg_latency_ms, max_latency_ms, latency_sample_count, latency)
SELECT * FROM pg_temp.figures('1 hour');
INSERT INTO shard_a.ops_metrics_daily (bucket_date, platform, request_count, success_count, error_count,
    error_4xx_count, error_5xx_count, timeout_count, avg_latency_ms, max_latency_ms, latency_sample_count, latency)
SELECT k::date, platform, request_count, success_count, error_count, error_4xx_count, error_5xx_count,
       timeout_count, avg_latency_ms, max_latency_ms, latency_sample_count, latency
FROM pg_temp.figures('1 day');
-- Garbage where the shard's rollups are not exact: the third day (only partly rolled up),
-- the hours after rolled_to, and the dirty hour (late rows came after its rollup).
UPDATE shard_a.ops_metrics_daily SET request_count = request_count + 1000000 WHERE bucket_date = :'d0'::date + 2;
UPDATE shard_a.ops_metrics_hourly SET request_count = request_count + 1000000
WHERE bucket_start >= :'d0'::timestamptz + interval '2 days 5 hours';
INSERT INTO shard_a.events
SELECT :'d0'::timestamptz + interval '1 day 3 hours' + i * interval '7 seconds', 'anthropic', 500, 90000 + i, false
FROM generate_series(1, 50) AS i;
INSERT INTO shard_a.ops_rollup_coverage_all
VALUES (:'d0', :'d0'::timestamptz + interval '2 days 5 hours', :'d0', :'d0',
        ARRAY[:'d0'::timestamptz + interval '1 day 3 hours'], ARRAY[:'d0'::timestamptz + interval '1 day 4 hours']);

-- This server's own events: a registered source, never rolled up here (read raw).
CREATE TABLE local_events (occurred_at timestamptz NOT NULL, platform text, status_code integer,
                           latency_ms double precision, is_timeout boolean);
INSERT INTO local_events
SELECT :'d0'::timestamptz + random() * interval '3 days', (ARRAY['gemini', 'openai'])[1 + (random())::int],
       CASE WHEN random() < 0.2 THEN 429 ELSE 200 END, round((random() * 900)::numeric, 3), false
FROM generate_series(1, 2000);
SELECT ops_add_source('local_events');

-- Registration and its refusals, each one row.
CREATE SCHEMA shard_missing_daily;
CREATE TABLE shard_missing_daily.ops_metrics_hourly (LIKE ops_metrics_hourly);
CREATE TABLE shard_missing_daily.ops_rollup_coverage_all AS SELECT * FROM ops_rollup_coverage_all WITH NO DATA;
CREATE SCHEMA shard_bad_types;
CREATE TABLE shard_bad_types.ops_metrics_hourly (LIKE ops_metrics_hourly);
ALTER TABLE shard_bad_types.ops_metrics_hourly ALTER COLUMN latency TYPE bytea USING NULL;
CREATE TABLE shard_bad_types.ops_metrics_daily (LIKE ops_metrics_daily);
CREATE TABLE shard_bad_types.ops_rollup_coverage_all AS SELECT * FROM ops_rollup_coverage_all WITH NO DATA;
CREATE SCHEMA shard_no_column;
CREATE TABLE shard_no_column.ops_metrics_hourly (LIKE ops_metrics_hourly);
CREATE TABLE shard_no_column.ops_metrics_daily (LIKE ops_metrics_daily);
CREATE TABLE shard_no_column.ops_rollup_coverage_all AS
    SELECT rolled_from, rolled_to, hourly_from, daily_from, dirty_starts FROM ops_rollup_coverage_all WITH NO DATA;
CREATE SCHEMA shard_c;
CREATE TABLE shard_c.ops_metrics_hourly (LIKE ops_metrics_hourly);
CREATE TABLE shard_c.ops_metrics_daily (LIKE ops_metrics_daily);
CREATE TABLE shard_c.ops_rollup_coverage_all AS SELECT * FROM ops_rollup_coverage_all WITH NO DATA;
-- A shard over postgres_fdw (never connected to here: registration reads no rows).
CREATE EXTENSION postgres_fdw;
CREATE SERVER elsewhere FOREIGN DATA WRAPPER postgres_fdw OPTIONS (dbname 'nowhere');
CREATE SCHEMA shard_f;
CREATE FOREIGN TABLE shard_f.ops_metrics_hourly (bucket_start timestamptz, platform varchar(50),
    request_count bigint, success_count bigint, error_count bigint, error_4xx_count bigint,
    error_5xx_count bigint, timeout_count bigint, avg_latency_ms float8, max_latency_ms float8,
    latency_sample_count bigint, latency latency_sketch) SERVER elsewhere;
CREATE FOREIGN TABLE shard_f.ops_metrics_daily (bucket_date date, platform varchar(50),
    request_count bigint, success_count bigint, error_count bigint, error_4xx_count bigint,
    error_5xx_count bigint, timeout_count bigint, avg_latency_ms float8, max_latency_ms float8,
    latency_sample_count bigint, latency latency_sketch) SERVER elsewhere;
CREATE FOREIGN TABLE shard_f.ops_rollup_coverage_all (rolled_from timestamptz, rolled_to timestamptz,
    hourly_from timestamptz, daily_from date, dirty_starts timestamptz[], dirty_ends timestamptz[])
    SERVER elsewhere;
-- Its events as a partition of a table here.
CREATE TABLE all_events (LIKE local_events) PARTITION BY LIST (platform);
CREATE TABLE all_events_here PARTITION OF all_events FOR VALUES IN ('gemini');
CREATE FOREIGN TABLE all_events_there PARTITION OF all_events FOR VALUES IN ('anthropic') SERVER elsewhere;
CREATE SEQUENCE not_events;

SELECT c.n, c.what, a.result, a.message
FROM (VALUES
    (1, 'registers', $$SELECT ops_add_remote_rollup('shard_a', 'shard_a.events')$$),
    (2, 'twice', $$SELECT ops_add_remote_rollup('shard_a', 'shard_a.events')$$),
    (3, 'NULL remote', $$SELECT ops_add_remote_rollup(NULL, 'shard_a.events')$$),
    (4, 'NULL events', $$SELECT ops_add_remote_rollup('shard_a', NULL)$$),
    (5, 'no such schema', $$SELECT ops_add_remote_rollup('shard_nowhere', 'shard_a.events')$$),
    (6, 'no daily table', $$SELECT ops_add_remote_rollup('shard_missing_daily', 'shard_a.events')$$),
    (7, 'latency not a sketch', $$SELECT ops_add_remote_rollup('shard_bad_types', 'shard_a.events')$$),
    (8, 'coverage without dirty_ends', $$SELECT ops_add_remote_rollup('shard_no_column', 'shard_a.events')$$),
    (9, 'events not a relation', $$SELECT ops_add_remote_rollup('shard_c', 'not_events')$$),
    (10, 'events without the contract', $$SELECT ops_add_remote_rollup('shard_c', 'shard_a.ops_metrics_daily')$$),
    (11, 'events of a local source', $$SELECT ops_add_remote_rollup('shard_c', 'local_events')$$),
    (12, 'foreign and local mixed', $$SELECT ops_add_remote_rollup('shard_f', 'shard_a.events')$$),
    (13, 'remove unknown', $$SELECT ops_remove_remote_rollup('shard_nowhere')$$),
    (14, 'remove NULL', $$SELECT ops_remove_remote_rollup(NULL)$$)
) AS c(n, what, call), LATERAL pg_temp.attempt(c.call) AS a
ORDER BY c.n;
-- The hints say how to import a shard.
SELECT a.hint FROM pg_temp.attempt($$SELECT ops_add_remote_rollup('shard_missing_daily', 'shard_a.events')$$) AS a;
-- Events counted twice are refused both ways: a table holding a remote's events (here its
-- partition) cannot become a source, and a remote cannot read a local source's partition.
SELECT ops_add_remote_rollup('shard_f', 'all_events_there');
SELECT remote, hourly, daily, coverage, events FROM ops_remote_rollups ORDER BY remote;
SELECT a.result, a.message FROM pg_temp.attempt($$SELECT ops_add_source('all_events')$$) AS a;
SELECT ops_remove_remote_rollup('shard_f');
SELECT ops_add_source('all_events');
SELECT a.result, a.message FROM pg_temp.attempt($$SELECT ops_add_remote_rollup('shard_f', 'all_events_there')$$) AS a;
SELECT ops_remove_source('all_events');
SELECT remote FROM ops_remote_rollups ORDER BY remote;

-- ops_metrics over the shard's rollups and both servers' events equals the figures of all
-- events (the dirty hour and the garbage are not read). Counts exact, the mean within 1e-9,
-- percentiles those of one sketch of all the latencies (sketches merge exactly).
CREATE VIEW all_rows AS
SELECT occurred_at, COALESCE(platform, '') AS platform, status_code, latency_ms, is_timeout,
       COALESCE(status_code >= 400, false) OR COALESCE(is_timeout, false) AS is_error
FROM (SELECT * FROM shard_a.events UNION ALL SELECT * FROM local_events) AS e;
CREATE FUNCTION pg_temp.differences(from_ts timestamptz, to_ts timestamptz) RETURNS bigint
LANGUAGE sql AS $$
    WITH truth AS (
        SELECT platform, count(*) AS n, count(*) FILTER (WHERE is_error) AS errors,
               count(*) FILTER (WHERE status_code BETWEEN 400 AND 499) AS e4,
               count(*) FILTER (WHERE status_code >= 500) AS e5, count(*) FILTER (WHERE is_timeout) AS timeouts,
               avg(latency_ms) AS mean, max(latency_ms) AS top, count(latency_ms) AS samples,
               approx_percentile_array('{0.5,0.9,0.95,0.99}', latency_sketch(latency_ms)) AS p
        FROM all_rows WHERE occurred_at >= from_ts AND occurred_at < to_ts
        GROUP BY GROUPING SETS ((platform), ())
    )
    SELECT count(*)
    FROM ops_metrics(from_ts, to_ts) AS m
    FULL JOIN truth AS t ON COALESCE(t.platform, 'total') = COALESCE(m.platform, 'total')
    WHERE (m.request_count, m.error_count, m.error_4xx_count, m.error_5xx_count, m.timeout_count,
           m.latency_sample_count, m.max_latency_ms,
           ARRAY[m.p50_latency_ms, m.p90_latency_ms, m.p95_latency_ms, m.p99_latency_ms])
          IS DISTINCT FROM (t.n, t.errors, t.e4, t.e5, t.timeouts, t.samples, t.top, t.p)
       OR m.success_count <> m.request_count - m.error_count
       OR NOT abs(m.avg_latency_ms - t.mean) <= 1e-9 * t.mean
$$;
SELECT r.what, pg_temp.differences(r.from_ts, r.to_ts) AS rows_differing
FROM (VALUES
    ('the three days', :'d0'::timestamptz, :'d0'::timestamptz + interval '3 days'),
    ('edges inside hours', :'d0'::timestamptz + interval '3 hours 17 minutes', :'d0'::timestamptz + interval '2 days 9 hours 1 minute'),
    ('the dirty hour alone', :'d0'::timestamptz + interval '1 day 3 hours', :'d0'::timestamptz + interval '1 day 4 hours'),
    ('the first day', :'d0'::timestamptz, :'d0'::timestamptz + interval '1 day'),
    ('after rolled_to', :'d0'::timestamptz + interval '2 days 5 hours', :'d0'::timestamptz + interval '3 days')
) AS r(what, from_ts, to_ts);
-- A series: every 1-hour and 6-hour bucket's count equals the events in it.
SELECT b.bucket, count(*) AS buckets,
       count(*) FILTER (WHERE s.request_count <> (SELECT count(*) FROM all_rows AS e
                                                  WHERE e.occurred_at >= s.bucket_start
                                                    AND e.occurred_at < s.bucket_start + b.bucket)) AS differing
FROM (VALUES (interval '1 hour'), (interval '6 hours')) AS b(bucket),
     LATERAL ops_metrics_series(:'d0'::timestamptz, :'d0'::timestamptz + interval '3 days', b.bucket) AS s
WHERE s.platform IS NULL
GROUP BY b.bucket ORDER BY b.bucket;
-- The shard's part came from its daily and hourly rows, the rest from events.
SELECT cardinality(p.days) AS days, cardinality(p.hours) AS hours, cardinality(p.raw_starts) AS raw_spans
FROM shard_a.ops_rollup_coverage_all AS c,
     ops_plan_metrics(:'d0', :'d0'::timestamptz + interval '3 days', NULL, NULL, c.rolled_from, c.rolled_to,
                      c.hourly_from, c.daily_from, c.dirty_starts, c.dirty_ends) AS p;
-- One platform.
SELECT platform, request_count = (SELECT count(*) FROM all_rows WHERE platform = 'anthropic') AS exact
FROM ops_metrics(:'d0', :'d0'::timestamptz + interval '3 days', 'anthropic');

-- Unregistered, ops_metrics reads this server's events only.
SELECT ops_remove_remote_rollup('shard_a');
SELECT request_count = (SELECT count(*) FROM local_events) AS only_local
FROM ops_metrics(:'d0', :'d0'::timestamptz + interval '3 days') WHERE platform IS NULL;

SELECT ops_remove_source('local_events');
DROP VIEW all_rows;
DROP TABLE local_events, all_events;
DROP SCHEMA shard_a, shard_missing_daily, shard_bad_types, shard_no_column, shard_c, shard_f CASCADE;
DROP SERVER elsewhere CASCADE;
DROP EXTENSION postgres_fdw;
DROP SEQUENCE not_events;
