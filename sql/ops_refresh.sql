-- ops_refresh over fixed 2024 hours: every hourly row equals a plain-SQL GROUP BY over the
-- raw events of both sources, every daily row the sum of its hourly rows and an independent
-- daily GROUP BY; a rerun writes nothing; late inserts, updates and deletes are reflected by
-- the next refresh; hours and days without events lose their rows; bad arguments are refused.
-- Random data with a fixed seed; only counts and booleans are shown for it.
-- Timestamps are shown in UTC, ISO style.
SET TimeZone = 'UTC';
SET DateStyle = 'ISO, YMD';
SELECT setseed(0.42);

-- Source A is a table in the contract's shape; source B a view over a table with other names
-- and types (varchar platform, smallint status, numeric latency, nullable is_timeout).
CREATE TABLE events_a (
    id bigserial PRIMARY KEY,
    occurred_at timestamptz NOT NULL,
    platform text,
    status_code integer,
    latency_ms double precision,
    is_timeout boolean NOT NULL DEFAULT false
);
CREATE TABLE raw_b (
    id bigserial PRIMARY KEY,
    ts timestamptz NOT NULL,
    plat varchar(20),
    code smallint,
    dur numeric,
    timed_out boolean
);
CREATE VIEW events_b AS
SELECT ts AS occurred_at, plat AS platform, code AS status_code, dur AS latency_ms, timed_out AS is_timeout FROM raw_b;
SELECT ops_add_source('events_a');
SELECT ops_add_source('events_b', 'raw_b', 'ts');

-- Three UTC days, 2024-03-09 to 2024-03-11, with no event from 2024-03-10 03:00 to 06:00.
-- Platforms web, ios, android, '' and NULL; status NULL, 2xx, 3xx, 4xx, 5xx; timeouts (with
-- status NULL or 504); latencies log-uniform from 0.5 ms to 20 s, NULL for most errors and
-- some successes, a few zeros.
CREATE FUNCTION pg_temp.random_time() RETURNS timestamptz LANGUAGE plpgsql AS $$
DECLARE
    t timestamptz;
BEGIN
    LOOP
        t := '2024-03-09 00:00:00+00'::timestamptz + random() * interval '3 days';
        EXIT WHEN t NOT BETWEEN '2024-03-10 03:00:00+00' AND '2024-03-10 05:59:59.999999+00';
    END LOOP;
    RETURN t;
END $$;
CREATE TEMP TABLE generated AS
SELECT g, pg_temp.random_time() AS occurred_at,
       (ARRAY['web', 'web', 'web', 'ios', 'ios', 'android', '', NULL])[1 + floor(random() * 8)::int] AS platform,
       random() AS r_status, random() AS r_code, random() AS r_latency, random() AS r_null
FROM generate_series(1, 30000) AS g;
CREATE TEMP TABLE shaped AS
SELECT g, occurred_at, platform,
       CASE WHEN r_status < 0.15 THEN NULL
            WHEN r_status < 0.70 THEN (ARRAY[200, 201, 204])[1 + floor(r_code * 3)::int]
            WHEN r_status < 0.75 THEN (ARRAY[301, 304, 399])[1 + floor(r_code * 3)::int]
            WHEN r_status < 0.85 THEN (ARRAY[400, 401, 404, 429, 499])[1 + floor(r_code * 5)::int]
            WHEN r_status < 0.95 THEN (ARRAY[500, 502, 503, 599])[1 + floor(r_code * 4)::int]
            WHEN r_status < 0.97 THEN 504
            ELSE NULL END AS status_code,
       r_status >= 0.95 AS is_timeout,
       CASE WHEN r_status >= 0.75 AND r_null < 0.9 THEN NULL   -- most errors: no latency
            WHEN r_null < 0.1 THEN NULL                         -- some successes: not sampled
            WHEN r_null > 0.99 THEN 0                           -- answered from cache
            ELSE round((0.5 * exp(r_latency * ln(40000)))::numeric, 3)::float8 END AS latency_ms
FROM generated;
INSERT INTO events_a (occurred_at, platform, status_code, latency_ms, is_timeout)
SELECT occurred_at, platform, status_code, latency_ms, is_timeout FROM shaped WHERE g % 3 <> 0;
INSERT INTO raw_b (ts, plat, code, dur, timed_out)
SELECT occurred_at, platform, status_code, latency_ms,
       CASE WHEN is_timeout THEN true WHEN g % 2 = 0 THEN NULL ELSE false END
FROM shaped WHERE g % 3 = 0;
-- Edge cases: the first and last microsecond of a UTC hour and day, status codes 399 / 400 /
-- 499 / 500 / 599 / 600, a timeout without status, a timeout with status 200.
INSERT INTO events_a (occurred_at, platform, status_code, latency_ms, is_timeout) VALUES
    ('2024-03-09 23:59:59.999999+00', 'edge', 399, 1, false),
    ('2024-03-10 00:00:00+00', 'edge', 400, 2, false),
    ('2024-03-10 00:59:59.999999+00', 'edge', 499, 3, false),
    ('2024-03-10 01:00:00+00', 'edge', 500, NULL, false),
    ('2024-03-10 01:30:00+00', 'edge', 599, NULL, false),
    ('2024-03-10 01:30:00+00', 'edge', 600, NULL, false),
    ('2024-03-10 01:45:00+00', 'edge', NULL, NULL, true),
    ('2024-03-10 01:50:00+00', 'edge', 200, 30000, true);
SELECT (SELECT count(*) FROM events_a) AS events_a, (SELECT count(*) FROM raw_b) AS events_b;

-- The reference: plain SQL over the raw events of both sources. UTC hours by date_trunc of
-- the UTC wall clock (not date_bin as the refresh does), error = status >= 400 or timeout.
CREATE TEMP VIEW all_events AS
SELECT occurred_at, platform, status_code, latency_ms, is_timeout FROM events_a
UNION ALL
SELECT ts, plat::text, code::integer, dur::float8, timed_out FROM raw_b;
CREATE TEMP VIEW expected_hourly AS
SELECT date_trunc('hour', occurred_at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' AS bucket_start,
       coalesce(platform, '') AS platform,
       count(*) AS request_count,
       count(*) FILTER (WHERE (status_code >= 400 OR is_timeout) IS NOT TRUE) AS success_count,
       count(*) FILTER (WHERE (status_code >= 400 OR is_timeout) IS TRUE) AS error_count,
       count(*) FILTER (WHERE status_code >= 400 AND status_code < 500) AS error_4xx_count,
       count(*) FILTER (WHERE status_code >= 500 AND status_code < 600) AS error_5xx_count,
       count(*) FILTER (WHERE is_timeout) AS timeout_count,
       avg(latency_ms) AS avg_latency_ms,
       max(latency_ms) AS max_latency_ms,
       count(latency_ms) AS latency_sample_count,
       percentile_disc(ARRAY[0.5, 0.9, 0.95, 0.99]) WITHIN GROUP (ORDER BY latency_ms) AS exact,
       latency_sketch(latency_ms) AS sketch
FROM all_events
GROUP BY 1, 2;
CREATE TEMP VIEW expected_daily AS
SELECT (occurred_at AT TIME ZONE 'UTC')::date AS bucket_date,
       coalesce(platform, '') AS platform,
       count(*) AS request_count,
       count(*) FILTER (WHERE (status_code >= 400 OR is_timeout) IS NOT TRUE) AS success_count,
       count(*) FILTER (WHERE (status_code >= 400 OR is_timeout) IS TRUE) AS error_count,
       count(*) FILTER (WHERE status_code >= 400 AND status_code < 500) AS error_4xx_count,
       count(*) FILTER (WHERE status_code >= 500 AND status_code < 600) AS error_5xx_count,
       count(*) FILTER (WHERE is_timeout) AS timeout_count,
       avg(latency_ms) AS avg_latency_ms,
       max(latency_ms) AS max_latency_ms,
       count(latency_ms) AS latency_sample_count,
       percentile_disc(ARRAY[0.5, 0.9, 0.95, 0.99]) WITHIN GROUP (ORDER BY latency_ms) AS exact
FROM all_events
GROUP BY 1, 2;
-- x within rel (relative) of y, or both NULL.
CREATE FUNCTION pg_temp.near(x float8, y float8, rel float8) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$
    SELECT (x IS NULL AND y IS NULL) OR coalesce(abs(x - y) <= rel * abs(y), false)
$$;
-- Percentiles from the sketch within its 1% relative accuracy of the exact nearest-rank ones.
CREATE FUNCTION pg_temp.percentiles_ok(p50 float8, p90 float8, p95 float8, p99 float8, exact float8[]) RETURNS boolean
LANGUAGE sql IMMUTABLE AS $$
    SELECT pg_temp.near(p50, exact[1], 0.01) AND pg_temp.near(p90, exact[2], 0.01)
       AND pg_temp.near(p95, exact[3], 0.01) AND pg_temp.near(p99, exact[4], 0.01)
$$;
-- Hourly rows against the reference, row by row (a row on one side only is a mismatch):
-- counts and max exact, mean within 1e-9 (relative), percentiles within 1% of the exact
-- ones, the sketch equal to one built from the hour's latencies (it does not depend on the
-- order of the values). Every column but rows_compared must be 0.
CREATE TEMP VIEW hourly_check AS
SELECT count(*) FILTER (WHERE h.bucket_start IS NOT NULL AND e.bucket_start IS NOT NULL) AS rows_compared,
       count(*) FILTER (WHERE h.bucket_start IS NULL) AS missing,
       count(*) FILTER (WHERE e.bucket_start IS NULL) AS extra,
       count(*) FILTER (WHERE (h.request_count, h.success_count, h.error_count, h.error_4xx_count,
                               h.error_5xx_count, h.timeout_count, h.latency_sample_count)
                              IS DISTINCT FROM
                              (e.request_count, e.success_count, e.error_count, e.error_4xx_count,
                               e.error_5xx_count, e.timeout_count, e.latency_sample_count)) AS bad_counts,
       count(*) FILTER (WHERE NOT pg_temp.near(h.avg_latency_ms, e.avg_latency_ms, 1e-9)) AS bad_avg,
       count(*) FILTER (WHERE h.max_latency_ms IS DISTINCT FROM e.max_latency_ms) AS bad_max,
       count(*) FILTER (WHERE NOT pg_temp.percentiles_ok(h.p50_latency_ms, h.p90_latency_ms, h.p95_latency_ms,
                                                         h.p99_latency_ms, e.exact)) AS bad_percentiles,
       count(*) FILTER (WHERE NOT pg_temp.near(h.error_rate, 100.0::float8 * e.error_count / e.request_count, 1e-12)) AS bad_rate,
       count(*) FILTER (WHERE h.latency IS DISTINCT FROM e.sketch) AS bad_sketch
FROM ops_metrics_hourly h
FULL JOIN expected_hourly e ON e.bucket_start = h.bucket_start AND e.platform = h.platform;
-- Daily rows against the independent daily reference, the same way.
CREATE TEMP VIEW daily_check AS
SELECT count(*) FILTER (WHERE d.bucket_date IS NOT NULL AND e.bucket_date IS NOT NULL) AS rows_compared,
       count(*) FILTER (WHERE d.bucket_date IS NULL) AS missing,
       count(*) FILTER (WHERE e.bucket_date IS NULL) AS extra,
       count(*) FILTER (WHERE (d.request_count, d.success_count, d.error_count, d.error_4xx_count,
                               d.error_5xx_count, d.timeout_count, d.latency_sample_count)
                              IS DISTINCT FROM
                              (e.request_count, e.success_count, e.error_count, e.error_4xx_count,
                               e.error_5xx_count, e.timeout_count, e.latency_sample_count)) AS bad_counts,
       count(*) FILTER (WHERE NOT pg_temp.near(d.avg_latency_ms, e.avg_latency_ms, 1e-9)) AS bad_avg,
       count(*) FILTER (WHERE d.max_latency_ms IS DISTINCT FROM e.max_latency_ms) AS bad_max,
       count(*) FILTER (WHERE NOT pg_temp.percentiles_ok(d.p50_latency_ms, d.p90_latency_ms, d.p95_latency_ms,
                                                         d.p99_latency_ms, e.exact)) AS bad_percentiles,
       count(*) FILTER (WHERE NOT pg_temp.near(d.error_rate, 100.0::float8 * e.error_count / e.request_count, 1e-12)) AS bad_rate
FROM ops_metrics_daily d
FULL JOIN expected_daily e ON e.bucket_date = d.bucket_date AND e.platform = d.platform;
-- Daily rows against their own hourly rows: counts summed, the mean weighted by samples, the
-- max the largest, the sketch the merge of the hourly sketches (so percentiles are the merged
-- sketch's, not averages of hourly percentiles).
CREATE TEMP VIEW daily_from_hourly_check AS
SELECT count(*) AS rows_compared,
       count(*) FILTER (WHERE h.bucket_date IS NULL) AS without_hourly_rows,
       count(*) FILTER (WHERE (d.request_count, d.success_count, d.error_count, d.error_4xx_count,
                               d.error_5xx_count, d.timeout_count, d.latency_sample_count)
                              IS DISTINCT FROM
                              (h.request_count, h.success_count, h.error_count, h.error_4xx_count,
                               h.error_5xx_count, h.timeout_count, h.latency_sample_count)) AS bad_sums,
       count(*) FILTER (WHERE NOT pg_temp.near(d.avg_latency_ms, h.weighted_avg, 1e-9)) AS bad_avg,
       count(*) FILTER (WHERE d.max_latency_ms IS DISTINCT FROM h.max_latency_ms) AS bad_max,
       count(*) FILTER (WHERE d.latency IS DISTINCT FROM h.merged) AS bad_sketch,
       count(*) FILTER (WHERE (d.p50_latency_ms, d.p90_latency_ms, d.p95_latency_ms, d.p99_latency_ms)
                              IS DISTINCT FROM
                              (approx_percentile(0.5, h.merged), approx_percentile(0.9, h.merged),
                               approx_percentile(0.95, h.merged), approx_percentile(0.99, h.merged))) AS bad_percentiles
FROM ops_metrics_daily d
LEFT JOIN (SELECT (bucket_start AT TIME ZONE 'UTC')::date AS bucket_date, platform,
                  sum(request_count) AS request_count, sum(success_count) AS success_count,
                  sum(error_count) AS error_count, sum(error_4xx_count) AS error_4xx_count,
                  sum(error_5xx_count) AS error_5xx_count, sum(timeout_count) AS timeout_count,
                  sum(latency_sample_count) AS latency_sample_count,
                  sum(avg_latency_ms * latency_sample_count) / nullif(sum(latency_sample_count), 0) AS weighted_avg,
                  max(max_latency_ms) AS max_latency_ms, rollup(latency) AS merged
           FROM ops_metrics_hourly GROUP BY 1, 2) h
  ON h.bucket_date = d.bucket_date AND h.platform = d.platform;
-- The reference's size: hours and days with events, and (hour, platform) / (day, platform) rows.
SELECT (SELECT count(DISTINCT bucket_start) FROM expected_hourly) AS hours_with_events,
       (SELECT count(*) FROM expected_hourly) AS hourly_rows,
       (SELECT count(*) FROM expected_daily) AS daily_rows;

-- The first refresh: 72 hours, one row per (hour, platform) and per (day, platform).
SELECT * FROM ops_refresh('2024-03-09 00:00:00+00', '2024-03-12 00:00:00+00');
SELECT * FROM hourly_check;
SELECT * FROM daily_check;
SELECT * FROM daily_from_hourly_check;
-- The edge events: the hour and the day of each boundary microsecond, and the counts.
SELECT bucket_start, request_count, success_count, error_count, error_4xx_count, error_5xx_count,
       timeout_count, latency_sample_count, avg_latency_ms, max_latency_ms, error_rate
FROM ops_metrics_hourly WHERE platform = 'edge' ORDER BY 1;
SELECT bucket_date, request_count, success_count, error_count, error_4xx_count, error_5xx_count,
       timeout_count, latency_sample_count, avg_latency_ms, max_latency_ms, error_rate
FROM ops_metrics_daily WHERE platform = 'edge' ORDER BY 1;
-- NULL and '' platforms share the '' rows; no hour of the gap has a row.
SELECT count(*) FILTER (WHERE platform = '') AS empty_platform_rows,
       (SELECT count(*) FROM all_events WHERE coalesce(platform, '') = '')
       = (SELECT sum(request_count) FROM ops_metrics_hourly WHERE platform = '') AS empty_platform_counts_all,
       count(*) FILTER (WHERE bucket_start >= '2024-03-10 03:00:00+00' AND bucket_start < '2024-03-10 06:00:00+00') AS rows_in_gap,
       sum(request_count) = (SELECT count(*) FROM all_events) AS every_event_counted_once
FROM ops_metrics_hourly;
-- The refresh consumed the change records of its hours.
SELECT count(*) AS change_records_left FROM ops_change_log;

-- A rerun writes nothing and leaves every row as it was, computed_at included.
CREATE TEMP TABLE hourly_before AS SELECT * FROM ops_metrics_hourly;
CREATE TEMP TABLE daily_before AS SELECT * FROM ops_metrics_daily;
SELECT * FROM ops_refresh('2024-03-09 00:00:00+00', '2024-03-12 00:00:00+00');
SELECT (SELECT count(*) FROM (TABLE ops_metrics_hourly EXCEPT ALL TABLE hourly_before) x)
     + (SELECT count(*) FROM (TABLE hourly_before EXCEPT ALL TABLE ops_metrics_hourly) x) AS hourly_rows_changed,
       (SELECT count(*) FROM (TABLE ops_metrics_daily EXCEPT ALL TABLE daily_before) x)
     + (SELECT count(*) FROM (TABLE daily_before EXCEPT ALL TABLE ops_metrics_daily) x) AS daily_rows_changed;

-- The range's hours: every hour overlapping [from_ts, to_ts).
SELECT * FROM ops_refresh('2024-03-10 12:00:00+00', '2024-03-10 13:00:00+00');
SELECT * FROM ops_refresh('2024-03-10 12:30:00+00', '2024-03-10 12:30:00.000001+00');
SELECT * FROM ops_refresh('2024-03-10 12:59:59.999999+00', '2024-03-10 13:00:00.000001+00');

-- A late insert into a refreshed hour: the row is stale (the change is queued) until the
-- next refresh of that hour, which rewrites exactly that hourly row and its day's row.
INSERT INTO events_a (occurred_at, platform, status_code, latency_ms) VALUES ('2024-03-10 12:34:56+00', 'web', 503, NULL);
SELECT hour, watch_table::regclass FROM ops_change_log ORDER BY 1;
SELECT count(*) AS hourly_mismatches_before_refresh FROM hourly_check WHERE bad_counts > 0;
SELECT * FROM ops_refresh('2024-03-10 12:00:00+00', '2024-03-10 13:00:00+00');
SELECT * FROM hourly_check;
SELECT * FROM daily_check;
SELECT count(*) AS change_records_left FROM ops_change_log;

-- An update moving one event of source B to another hour, day and platform: both hours and
-- both days change at the next refresh over them.
UPDATE raw_b SET ts = '2024-03-11 20:00:00+00', plat = 'moved'
WHERE id = (SELECT min(id) FROM raw_b WHERE ts >= '2024-03-09 07:00:00+00' AND ts < '2024-03-09 08:00:00+00');
SELECT hour FROM ops_change_log ORDER BY 1;
SELECT * FROM ops_refresh('2024-03-09 07:00:00+00', '2024-03-11 21:00:00+00');
SELECT * FROM hourly_check;
SELECT * FROM daily_check;
SELECT * FROM daily_from_hourly_check;
SELECT bucket_start, platform, request_count FROM ops_metrics_hourly WHERE platform = 'moved';

-- Deletes: some events of one hour (its rows are rewritten), every event of one (hour,
-- platform) (its row is deleted), and every event of one hour (all its rows are deleted).
DELETE FROM events_a WHERE occurred_at >= '2024-03-09 10:00:00+00' AND occurred_at < '2024-03-09 10:30:00+00';
DELETE FROM events_a WHERE platform = 'edge' AND occurred_at >= '2024-03-10 00:00:00+00' AND occurred_at < '2024-03-10 01:00:00+00';
DELETE FROM events_a WHERE occurred_at >= '2024-03-11 15:00:00+00' AND occurred_at < '2024-03-11 16:00:00+00';
DELETE FROM raw_b WHERE ts >= '2024-03-11 15:00:00+00' AND ts < '2024-03-11 16:00:00+00';
SELECT (SELECT count(*) FROM ops_metrics_hourly WHERE bucket_start = '2024-03-11 15:00:00+00') AS rows_of_emptied_hour,
       (SELECT count(*) FROM expected_hourly WHERE bucket_start = '2024-03-09 10:00:00+00') AS platforms_left_at_10;
SELECT * FROM ops_refresh('2024-03-09 00:00:00+00', '2024-03-12 00:00:00+00');
SELECT * FROM hourly_check;
SELECT * FROM daily_check;
SELECT * FROM daily_from_hourly_check;
SELECT (SELECT count(*) FROM ops_metrics_hourly WHERE bucket_start = '2024-03-11 15:00:00+00') AS rows_of_emptied_hour,
       (SELECT count(*) FROM ops_metrics_hourly WHERE platform = 'edge' AND bucket_start = '2024-03-10 00:00:00+00') AS edge_rows_at_midnight;

-- A day that lost all its events loses its daily rows (and all its hourly rows).
DELETE FROM events_a WHERE occurred_at >= '2024-03-11 00:00:00+00';
DELETE FROM raw_b WHERE ts >= '2024-03-11 00:00:00+00';
SELECT * FROM ops_refresh('2024-03-11 00:00:00+00', '2024-03-12 00:00:00+00');
SELECT (SELECT count(*) FROM ops_metrics_hourly WHERE bucket_start >= '2024-03-11 00:00:00+00') AS hourly_rows_of_day,
       (SELECT count(*) FROM ops_metrics_daily WHERE bucket_date = '2024-03-11') AS daily_rows_of_day;
SELECT * FROM hourly_check;
SELECT * FROM daily_check;

-- Bad arguments: each refused with its SQLSTATE, nothing refreshed.
\set VERBOSITY sqlstate
SELECT ops_refresh('2024-03-10 00:00:00+00', '2024-03-10 00:00:00+00');
SELECT ops_refresh('2024-03-10 00:00:00+00', '2024-03-09 00:00:00+00');
SELECT ops_refresh(NULL, '2024-03-10 00:00:00+00');
SELECT ops_refresh('2024-03-10 00:00:00+00', NULL);
SELECT ops_refresh('-infinity', '2024-03-10 00:00:00+00');
SELECT ops_refresh('2024-03-10 00:00:00+00', 'infinity');
SELECT ops_refresh('2000-01-01 00:00:00+00', '2000-01-01 00:00:00+00'::timestamptz + interval '100000 hours 1 microsecond');
-- The messages (without the PL/pgSQL context).
\set VERBOSITY default
\set SHOW_CONTEXT never
SELECT ops_refresh('2024-03-10 00:00:00+00', '2024-03-09 00:00:00+00');
SELECT ops_refresh(NULL, NULL);
SELECT ops_refresh('2024-03-10 00:00:00+00', 'infinity');
SELECT ops_refresh('2000-01-01 00:00:00+00', '2000-01-01 00:00:00+00'::timestamptz + interval '100000 hours 1 microsecond');
\set SHOW_CONTEXT errors
-- The limit itself, 100000 hours, is accepted.
SELECT hours_refreshed FROM ops_refresh('2000-01-01 00:00:00+00', '2000-01-01 00:00:00+00'::timestamptz + interval '100000 hours');
SELECT * FROM hourly_check;

-- Clean up.
SELECT ops_remove_source('events_a');
SELECT ops_remove_source('events_b');
DELETE FROM ops_metrics_hourly;
DELETE FROM ops_metrics_daily;
DELETE FROM ops_change_log;
DROP VIEW daily_from_hourly_check, daily_check, hourly_check, expected_daily, expected_hourly, all_events, events_b;
DROP TABLE events_a, raw_b;
