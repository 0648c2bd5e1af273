-- ops_apply_retention(as_of) with the default settings (opsagg.hourly_retention 30 days,
-- opsagg.daily_retention 400 days): hourly rows before the UTC hour of as_of - 30 days and
-- daily rows before the UTC date of as_of - 400 days are deleted, nothing else; raw data is
-- never touched; change records older than the hourly cutoff are dropped.
-- Timestamps are shown in UTC, ISO style.
SET TimeZone = 'UTC';
SET DateStyle = 'ISO, YMD';
CREATE TABLE ret_events (
    occurred_at timestamptz NOT NULL,
    platform text,
    status_code integer,
    latency_ms double precision,
    is_timeout boolean
);
SELECT ops_add_source('ret_events');
-- One event a day at 12:00 UTC from 2023-04-01 to 2024-06-20 (platform 'daily'), and one
-- an hour from 2024-05-15 00:00 to 2024-05-17 23:00 UTC (platform 'hourly').
INSERT INTO ret_events
SELECT d + interval '12 hours', 'daily', 200, 10, false
FROM generate_series('2023-04-01 00:00:00+00'::timestamptz, '2024-06-20 00:00:00+00', interval '1 day') AS d;
INSERT INTO ret_events
SELECT h, 'hourly', 500, NULL, false
FROM generate_series('2024-05-15 00:00:00+00'::timestamptz, '2024-05-17 23:00:00+00', interval '1 hour') AS h;
SELECT * FROM ops_refresh('2023-04-01 00:00:00+00', '2024-06-21 00:00:00+00');
SELECT (SELECT count(*) FROM ops_metrics_hourly) AS hourly_rows, (SELECT count(*) FROM ops_metrics_daily) AS daily_rows,
       (SELECT count(*) FROM ret_events) AS raw_events;

-- as_of = 2024-06-15 20:00 UTC (2024-06-16 01:30 in Kolkata, the session's zone for the call):
-- hourly cutoff 2024-05-16 20:00 UTC, daily cutoff the UTC date 2023-05-12 (as_of - 400 days
-- is 2023-05-12 20:00 UTC; in Kolkata it would already be 2023-05-13).
SELECT hourly_cutoff AT TIME ZONE 'UTC' AS hourly_cutoff_utc, daily_cutoff
FROM ops_retention_cutoffs('2024-06-15 20:00:00+00', '30 days', '30 days', '400 days');
-- What should go: hourly rows before the cutoff, daily rows before the cutoff date.
SELECT count(*) FILTER (WHERE bucket_start < '2024-05-16 20:00:00+00') AS hourly_to_delete,
       count(*) FILTER (WHERE bucket_start >= '2024-05-16 20:00:00+00') AS hourly_to_keep
FROM ops_metrics_hourly;
SELECT count(*) FILTER (WHERE bucket_date < '2023-05-12') AS daily_to_delete,
       count(*) FILTER (WHERE bucket_date >= '2023-05-12') AS daily_to_keep
FROM ops_metrics_daily;
CREATE TEMP TABLE hourly_kept AS SELECT * FROM ops_metrics_hourly WHERE bucket_start >= '2024-05-16 20:00:00+00';
CREATE TEMP TABLE daily_kept AS SELECT * FROM ops_metrics_daily WHERE bucket_date >= '2023-05-12';

-- Change records on both sides of the hourly cutoff (late writes).
INSERT INTO ret_events VALUES
    ('2024-05-16 19:59:59.999999+00', 'late', 200, 1, false),
    ('2024-05-16 20:00:00+00', 'late', 200, 1, false),
    ('2023-01-01 00:00:00+00', 'late', 200, 1, false);
SELECT hour AT TIME ZONE 'UTC' AS hour_utc FROM ops_change_log ORDER BY 1;

SET TimeZone = 'Asia/Kolkata';
SELECT * FROM ops_apply_retention('2024-06-15 20:00:00+00');
SET TimeZone = 'UTC';
-- Exactly those rows went: the rows kept are unchanged, the oldest kept are the cutoffs.
SELECT (SELECT count(*) FROM (TABLE hourly_kept EXCEPT ALL TABLE ops_metrics_hourly) x)
     + (SELECT count(*) FROM (TABLE ops_metrics_hourly EXCEPT ALL TABLE hourly_kept) x) AS hourly_differences,
       (SELECT count(*) FROM (TABLE daily_kept EXCEPT ALL TABLE ops_metrics_daily) x)
     + (SELECT count(*) FROM (TABLE ops_metrics_daily EXCEPT ALL TABLE daily_kept) x) AS daily_differences;
SELECT (SELECT min(bucket_start) AT TIME ZONE 'UTC' FROM ops_metrics_hourly) AS oldest_hour_utc,
       (SELECT min(bucket_date) FROM ops_metrics_daily) AS oldest_day;
-- Raw events are untouched; change records before the hourly cutoff are gone.
SELECT count(*) AS raw_events FROM ret_events;
SELECT hour AT TIME ZONE 'UTC' AS hour_utc FROM ops_change_log ORDER BY 1;
-- Again at the same as_of: nothing left to delete.
SELECT * FROM ops_apply_retention('2024-06-15 20:00:00+00');

-- The hourly cutoff moves with the UTC hour of as_of: at 21:00 the 20:00 row goes, at
-- 23:59:59.999999 the 21:00 and 22:00 rows; the daily cutoff moves at UTC midnight only
-- (then the 23:00 row and the day 2023-05-12 go).
SELECT * FROM ops_apply_retention('2024-06-15 21:00:00+00');
SELECT * FROM ops_apply_retention('2024-06-15 23:59:59.999999+00');
SELECT * FROM ops_apply_retention('2024-06-16 00:00:00+00');
-- The day cut is recorded: ops_metrics reads no daily row before it.
SELECT daily_from FROM ops_rollup_state;
SELECT (SELECT min(bucket_start) AT TIME ZONE 'UTC' FROM ops_metrics_hourly) AS oldest_hour_utc,
       (SELECT min(bucket_date) FROM ops_metrics_daily) AS oldest_day;

-- ops_refresh over part of a day that lost its hourly rows to retention recomputes those
-- hours but keeps the day's daily rows (derived from the few hours left they would shrink);
-- a refresh of the whole day derives it again from all its hours: the same daily rows.
SELECT bucket_date, platform, request_count FROM ops_metrics_daily
WHERE bucket_date IN ('2024-05-15', '2024-05-16') ORDER BY 1, 2;
SELECT * FROM ops_refresh('2024-05-16 21:00:00+00', '2024-05-16 22:00:00+00');
SELECT * FROM ops_refresh('2024-05-15 00:00:00+00', '2024-05-16 00:00:00+00');
SELECT bucket_date, platform, request_count FROM ops_metrics_daily
WHERE bucket_date IN ('2024-05-15', '2024-05-16') ORDER BY 1, 2;

-- NULL as_of is refused.
\set VERBOSITY sqlstate
SELECT ops_apply_retention(NULL);
\set VERBOSITY default
\set SHOW_CONTEXT never
SELECT ops_apply_retention(NULL);
\set SHOW_CONTEXT errors

-- The default as_of is now(): this data (2023 and 2024) is older than both retentions.
SELECT * FROM ops_apply_retention();
SELECT (SELECT count(*) FROM ops_metrics_hourly) AS hourly_rows, (SELECT count(*) FROM ops_metrics_daily) AS daily_rows,
       (SELECT count(*) FROM ret_events) AS raw_events;

-- Clean up.
SELECT ops_remove_source('ret_events');
DELETE FROM ops_change_log;
UPDATE ops_rollup_state SET hourly_from = NULL, daily_from = NULL;
DROP TABLE ret_events;
