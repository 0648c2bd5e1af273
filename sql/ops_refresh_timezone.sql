-- ops_refresh buckets by UTC hour and UTC date whatever the session's TimeZone: the same
-- events refreshed under UTC, America/Los_Angeles (across both 2024 DST changes),
-- Asia/Kolkata (+05:30) and Pacific/Chatham (+13:45) give the same rows.
SET TimeZone = 'UTC';
SET DateStyle = 'ISO, YMD';
SELECT setseed(0.7);
CREATE TABLE tz_events (
    occurred_at timestamptz NOT NULL,
    platform text,
    status_code integer,
    latency_ms double precision,
    is_timeout boolean
);
SELECT ops_add_source('tz_events');
-- Random events over 2024-03-09 .. 2024-03-11 (Los Angeles moves to DST on 2024-03-10 at
-- 10:00 UTC) and 2024-11-02 .. 2024-11-04 (back on 2024-11-03 at 09:00 UTC).
INSERT INTO tz_events
SELECT base + random() * interval '3 days',
       (ARRAY['web', 'ios', '', NULL])[1 + floor(random() * 4)::int],
       (ARRAY[200, 200, 200, 404, 500, NULL])[1 + floor(random() * 6)::int],
       CASE WHEN random() < 0.8 THEN round((1 + random() * 500)::numeric, 2)::float8 END,
       random() < 0.03
FROM (VALUES ('2024-03-09 00:00:00+00'::timestamptz), ('2024-11-02 00:00:00+00')) AS b(base),
     generate_series(1, 3000);
-- Events on the local day and DST boundaries of both zones (UTC hours 18:29:59 / 18:30 are
-- Kolkata's midnight; 09:59:59 / 10:00 and 08:59:59 / 09:00 Los Angeles' DST changes;
-- 07:00 / 08:00 its midnights).
INSERT INTO tz_events VALUES
    ('2024-03-09 18:29:59.999999+00', 'edge', 200, 1, false), ('2024-03-09 18:30:00+00', 'edge', 200, 2, false),
    ('2024-03-10 09:59:59.999999+00', 'edge', 200, 3, false), ('2024-03-10 10:00:00+00', 'edge', 200, 4, false),
    ('2024-03-10 07:59:59.999999+00', 'edge', 500, 5, false), ('2024-03-10 08:00:00+00', 'edge', 500, 6, false),
    ('2024-11-03 08:59:59.999999+00', 'edge', 200, 7, false), ('2024-11-03 09:00:00+00', 'edge', 200, 8, false),
    ('2024-11-03 06:59:59.999999+00', 'edge', 404, 9, false), ('2024-11-03 07:00:00+00', 'edge', 404, 10, true);

-- The rows under UTC, kept (without computed_at) as the reference.
SELECT * FROM ops_refresh('2024-03-09 00:00:00+00', '2024-11-05 00:00:00+00');
CREATE TEMP TABLE utc_hourly AS
SELECT bucket_start, platform, request_count, success_count, error_count, error_4xx_count, error_5xx_count,
       timeout_count, avg_latency_ms, p50_latency_ms, p90_latency_ms, p95_latency_ms, p99_latency_ms,
       max_latency_ms, error_rate, latency_sample_count, latency::text AS latency
FROM ops_metrics_hourly;
CREATE TEMP TABLE utc_daily AS
SELECT bucket_date, platform, request_count, success_count, error_count, error_4xx_count, error_5xx_count,
       timeout_count, avg_latency_ms, p50_latency_ms, p90_latency_ms, p95_latency_ms, p99_latency_ms,
       max_latency_ms, error_rate, latency_sample_count, latency::text AS latency
FROM ops_metrics_daily;
SELECT (SELECT count(*) FROM utc_hourly) AS hourly_rows, (SELECT count(*) FROM utc_daily) AS daily_rows,
       (SELECT sum(request_count) FROM utc_hourly) = (SELECT count(*) FROM tz_events) AS hourly_counts_all,
       (SELECT sum(request_count) FROM utc_daily) = (SELECT count(*) FROM tz_events) AS daily_counts_all;
-- The edge events' hours and days (shown in UTC).
SELECT bucket_start, request_count, avg_latency_ms FROM ops_metrics_hourly WHERE platform = 'edge' ORDER BY 1;
SELECT bucket_date, request_count, error_count, avg_latency_ms FROM ops_metrics_daily WHERE platform = 'edge' ORDER BY 1;

-- Rows differing from the reference (both directions), after clearing the tables and
-- refreshing the same ranges again in the session's zone. Every column must be equal but
-- the mean, a float8 average whose last bits depend on the order the rows are summed in
-- (another range, another plan): it must agree within 1e-12 (relative).
CREATE TEMP VIEW differences AS
SELECT (SELECT count(*) FROM (
            SELECT bucket_start, platform, request_count, success_count, error_count, error_4xx_count, error_5xx_count,
                   timeout_count, p50_latency_ms, p90_latency_ms, p95_latency_ms, p99_latency_ms,
                   max_latency_ms, error_rate, latency_sample_count, latency::text
            FROM ops_metrics_hourly
            EXCEPT ALL
            SELECT bucket_start, platform, request_count, success_count, error_count, error_4xx_count, error_5xx_count,
                   timeout_count, p50_latency_ms, p90_latency_ms, p95_latency_ms, p99_latency_ms,
                   max_latency_ms, error_rate, latency_sample_count, latency::text
            FROM utc_hourly) x)
     + (SELECT count(*) FROM (
            SELECT bucket_start, platform, request_count, success_count, error_count, error_4xx_count, error_5xx_count,
                   timeout_count, p50_latency_ms, p90_latency_ms, p95_latency_ms, p99_latency_ms,
                   max_latency_ms, error_rate, latency_sample_count, latency::text
            FROM utc_hourly
            EXCEPT ALL
            SELECT bucket_start, platform, request_count, success_count, error_count, error_4xx_count, error_5xx_count,
                   timeout_count, p50_latency_ms, p90_latency_ms, p95_latency_ms, p99_latency_ms,
                   max_latency_ms, error_rate, latency_sample_count, latency::text
            FROM ops_metrics_hourly) x) AS hourly_differences,
       (SELECT count(*) FROM ops_metrics_hourly h JOIN utc_hourly u USING (bucket_start, platform)
        WHERE abs(h.avg_latency_ms - u.avg_latency_ms) > 1e-12 * u.avg_latency_ms
           OR (h.avg_latency_ms IS NULL) <> (u.avg_latency_ms IS NULL)) AS hourly_mean_differences,
       (SELECT count(*) FROM (
            SELECT bucket_date, platform, request_count, success_count, error_count, error_4xx_count, error_5xx_count,
                   timeout_count, p50_latency_ms, p90_latency_ms, p95_latency_ms, p99_latency_ms,
                   max_latency_ms, error_rate, latency_sample_count, latency::text
            FROM ops_metrics_daily
            EXCEPT ALL
            SELECT bucket_date, platform, request_count, success_count, error_count, error_4xx_count, error_5xx_count,
                   timeout_count, p50_latency_ms, p90_latency_ms, p95_latency_ms, p99_latency_ms,
                   max_latency_ms, error_rate, latency_sample_count, latency::text
            FROM utc_daily) x)
     + (SELECT count(*) FROM (
            SELECT bucket_date, platform, request_count, success_count, error_count, error_4xx_count, error_5xx_count,
                   timeout_count, p50_latency_ms, p90_latency_ms, p95_latency_ms, p99_latency_ms,
                   max_latency_ms, error_rate, latency_sample_count, latency::text
            FROM utc_daily
            EXCEPT ALL
            SELECT bucket_date, platform, request_count, success_count, error_count, error_4xx_count, error_5xx_count,
                   timeout_count, p50_latency_ms, p90_latency_ms, p95_latency_ms, p99_latency_ms,
                   max_latency_ms, error_rate, latency_sample_count, latency::text
            FROM ops_metrics_daily) x) AS daily_differences,
       (SELECT count(*) FROM ops_metrics_daily d JOIN utc_daily u USING (bucket_date, platform)
        WHERE abs(d.avg_latency_ms - u.avg_latency_ms) > 1e-12 * u.avg_latency_ms
           OR (d.avg_latency_ms IS NULL) <> (u.avg_latency_ms IS NULL)) AS daily_mean_differences,
       -- bucket_start is a UTC hour: no minutes, seconds or fraction on the UTC clock.
       (SELECT count(*) FROM ops_metrics_hourly
        WHERE bucket_start <> date_trunc('hour', bucket_start AT TIME ZONE 'UTC') AT TIME ZONE 'UTC') AS not_utc_hours,
       -- each daily row sums the hourly rows of its UTC date.
       (SELECT count(*) FROM ops_metrics_daily d
        WHERE d.request_count IS DISTINCT FROM
              (SELECT sum(h.request_count) FROM ops_metrics_hourly h
               WHERE h.platform = d.platform AND (h.bucket_start AT TIME ZONE 'UTC')::date = d.bucket_date)) AS not_utc_dates;

SET TimeZone = 'America/Los_Angeles';
DELETE FROM ops_metrics_hourly;
DELETE FROM ops_metrics_daily;
SELECT * FROM ops_refresh('2024-03-09 00:00:00+00', '2024-11-05 00:00:00+00');
SELECT * FROM differences;
-- Shown in Los Angeles time: the same UTC hours; around the DST changes local 02:00 is
-- skipped in March and local 01:00 comes twice in November.
SELECT bucket_start, request_count FROM ops_metrics_hourly
WHERE platform = 'edge' ORDER BY 1;

SET TimeZone = 'Asia/Kolkata';
DELETE FROM ops_metrics_hourly;
DELETE FROM ops_metrics_daily;
SELECT * FROM ops_refresh('2024-03-09 00:00:00+00', '2024-11-05 00:00:00+00');
SELECT * FROM differences;
-- Shown in Kolkata time the UTC hours start at :30.
SELECT bucket_start, request_count FROM ops_metrics_hourly
WHERE platform = 'edge' AND bucket_start < '2024-11-01' ORDER BY 1;
-- A range given in local time covers the UTC hours that overlap it: Kolkata's 2024-03-10 is
-- 2024-03-09 18:30 to 2024-03-10 18:30 UTC, 25 UTC hours, touching two UTC days (the
-- internal planner shows them; shown in UTC).
SELECT first_hour AT TIME ZONE 'UTC' AS first_hour_utc, end_hour AT TIME ZONE 'UTC' AS end_hour_utc, first_day, end_day
FROM ops_plan_refresh('2024-03-10 00:00:00', '2024-03-11 00:00:00');
SELECT * FROM ops_refresh('2024-03-10 00:00:00', '2024-03-11 00:00:00');
SELECT * FROM differences;

-- A zone with a 45-minute offset (+13:45 on both dates: daylight time), refreshed in
-- pieces cut at local times that are not UTC hours (the UTC hour of a cut is refreshed by
-- both pieces): still the same rows.
SET TimeZone = 'Pacific/Chatham';
DELETE FROM ops_metrics_hourly;
DELETE FROM ops_metrics_daily;
SELECT sum(hours_refreshed) AS hours_refreshed, sum(hourly_rows_written) AS hourly_rows_written
FROM (VALUES ('2024-03-09 00:00'::timestamptz, '2024-03-10 12:00'::timestamptz),
             ('2024-03-10 12:00', '2024-03-13 00:00'),
             ('2024-11-02 00:00', '2024-11-03 12:00'),
             ('2024-11-03 12:00', '2024-11-06 00:00')) AS r(from_ts, to_ts),
     LATERAL ops_refresh(from_ts, to_ts);
SELECT * FROM differences;
SET TimeZone = 'UTC';

-- Clean up.
SELECT ops_remove_source('tz_events');
DELETE FROM ops_metrics_hourly;
DELETE FROM ops_metrics_daily;
DROP VIEW differences;
DROP TABLE tz_events;
