-- The worker's cycle, called the way src/worker.cpp calls it: ops_worker_cycle_begin, then
-- ops_worker_cycle_step until it returns false, then ops_worker_cycle_end, each call in a
-- transaction of its own with search_path = pg_catalog, pg_temp. The data are placed
-- relative to now(), so only deterministic facts are shown (counts and booleans).
-- This suite expects the worker state of a fresh install (no step ever ran) and leaves it so.
-- Timestamps are shown in UTC, ISO style.
SET TimeZone = 'UTC';
SET DateStyle = 'ISO, YMD';
SET IntervalStyle = 'postgres';
SELECT next_hour IS NULL AND caught_up_to IS NULL AND cycle_started_at IS NULL AS fresh_state
FROM ops_rollup_state;

-- pg_temp.run_cycle(cycle): one cycle (at most 200 steps); after each step its now(), its
-- result and the cycle's hours so far are recorded in cycle_steps.
CREATE TEMP TABLE cycle_steps (cycle int, step int, at timestamptz, more boolean, hours_so_far bigint);
CREATE PROCEDURE pg_temp.run_cycle(cycle int) LANGUAGE plpgsql AS $$
DECLARE
    n int := 0;
    more boolean;
BEGIN
    SET LOCAL search_path = pg_catalog, pg_temp;
    PERFORM public.ops_worker_cycle_begin();
    COMMIT;
    LOOP
        n := n + 1;
        SET LOCAL search_path = pg_catalog, pg_temp;
        more := public.ops_worker_cycle_step();
        INSERT INTO pg_temp.cycle_steps
        SELECT cycle, n, now(), more, s.cycle_hours_refreshed FROM public.ops_rollup_state s;
        COMMIT;
        EXIT WHEN NOT more OR n >= 200;
    END LOOP;
    SET LOCAL search_path = pg_catalog, pg_temp;
    PERFORM public.ops_worker_cycle_end();
    COMMIT;
END $$;
-- A cycle's steps: how many, at most 24 hours each, every step but the last said "more",
-- the hours refreshed in all.
CREATE TEMP VIEW cycle_summary AS
SELECT cycle, count(*) AS steps, max(hours) <= 24 AS at_most_24_hours_a_step,
       bool_and(more = (step < last_step)) AS more_until_last, max(hours_so_far) AS hours
FROM (SELECT *, hours_so_far - coalesce(lag(hours_so_far) OVER w, 0) AS hours, max(step) OVER w2 AS last_step
      FROM cycle_steps WINDOW w AS (PARTITION BY cycle ORDER BY step), w2 AS (PARTITION BY cycle)) c
GROUP BY cycle;

-- Source w_events: three events an hour in the open hour and the 700 hours before it, and in
-- the hours 740 to 840 before it (older than the 30-day backfill and retention: never rolled
-- up). No event 701 to 739 hours back, so the results do not depend on where the cutoff
-- falls within that gap.
CREATE TABLE w_events (
    occurred_at timestamptz NOT NULL,
    platform text,
    status_code integer,
    latency_ms double precision,
    is_timeout boolean NOT NULL DEFAULT false
);
INSERT INTO w_events
SELECT date_bin('1 hour', now(), '2000-01-01 00:00:00+00') - k * interval '1 hour' + m * interval '1 minute',
       (ARRAY['web', 'ios', NULL])[1 + (k + m) % 3],
       CASE WHEN (k + m) % 7 = 0 THEN 503 ELSE 200 END,
       CASE WHEN (k + m) % 7 = 0 THEN NULL ELSE ((k * 37 + m * 11) % 997) / 10.0 END,
       false
FROM generate_series(0, 840) AS k, (VALUES (10), (20), (30)) AS mm(m)
WHERE k <= 700 OR k >= 740;
SELECT ops_add_source('w_events');
-- Source w_view: a view over w_raw (platform 'view', one event an hour for 48 hours) that
-- divides by zero for one row, three hours back.
CREATE TABLE w_raw (created_at timestamptz NOT NULL, divisor numeric NOT NULL);
CREATE VIEW w_view AS
SELECT created_at AS occurred_at, 'view'::text AS platform, 200 AS status_code, 100.0 / divisor AS latency_ms,
       false AS is_timeout
FROM w_raw;
INSERT INTO w_raw
SELECT date_bin('1 hour', now(), '2000-01-01 00:00:00+00') - k * interval '1 hour' + interval '15 minutes', 1 + k % 5
FROM generate_series(0, 48) AS k;
INSERT INTO w_raw VALUES (date_bin('1 hour', now(), '2000-01-01 00:00:00+00') - interval '3 hours' + interval '1 minute', 0);
SELECT ops_add_source('w_view', 'w_raw', 'created_at');
-- Source w_gone: a table without rows, dropped later.
CREATE TABLE w_gone (occurred_at timestamptz NOT NULL, platform text, status_code integer, latency_ms float8, is_timeout boolean);
SELECT ops_add_source('w_gone');

-- The reference: the events of the last 30 days in plain SQL, by UTC hour and platform.
-- pg_temp.check(false) compares it with every hourly row of w_events (platforms other than
-- 'view'), pg_temp.check(true) with the rows of w_view (without its bad row): counts, max and
-- sketch exact, mean within 1e-9. Every column but rows_compared must be 0.
CREATE FUNCTION pg_temp.expected(of_view boolean)
RETURNS TABLE (bucket_start timestamptz, platform text, request_count bigint, error_count bigint,
               avg_latency_ms float8, max_latency_ms float8, latency latency_sketch)
LANGUAGE sql AS $$
    SELECT date_trunc('hour', occurred_at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC', coalesce(platform, ''), count(*),
           count(*) FILTER (WHERE (status_code >= 400 OR is_timeout) IS TRUE),
           avg(latency_ms), max(latency_ms), latency_sketch(latency_ms)
    FROM (SELECT occurred_at, platform, status_code, latency_ms, is_timeout FROM w_events
          WHERE NOT of_view
          UNION ALL
          SELECT created_at, 'view', 200, (100.0 / divisor)::float8, false FROM w_raw
          WHERE of_view AND divisor <> 0) e
    WHERE occurred_at >= now() - interval '30 days'
    GROUP BY 1, 2
$$;
CREATE FUNCTION pg_temp.check(of_view boolean,
    OUT rows_compared bigint, OUT missing bigint, OUT extra bigint, OUT mismatched bigint)
LANGUAGE sql AS $$
    SELECT count(*) FILTER (WHERE h.bucket_start IS NOT NULL AND e.bucket_start IS NOT NULL),
           count(*) FILTER (WHERE h.bucket_start IS NULL),
           count(*) FILTER (WHERE e.bucket_start IS NULL),
           count(*) FILTER (WHERE (h.request_count, h.error_count, h.max_latency_ms, h.latency)
                                  IS DISTINCT FROM (e.request_count, e.error_count, e.max_latency_ms, e.latency)
                               OR abs(h.avg_latency_ms - e.avg_latency_ms) > 1e-9 * e.avg_latency_ms
                               OR (h.avg_latency_ms IS NULL) <> (e.avg_latency_ms IS NULL))
    FROM (SELECT * FROM ops_metrics_hourly WHERE (platform = 'view') = of_view) h
    FULL JOIN pg_temp.expected(of_view) e ON e.bucket_start = h.bucket_start AND e.platform = h.platform
$$;
-- Daily rows: derived for the UTC days wholly inside hourly retention, each the sum of its
-- hourly rows (the first, partial day of the catch-up gets none: its older hours are not
-- rolled up). The retention cutoff is taken at the first step (it only moves forward).
CREATE TEMP VIEW daily_check AS
WITH cut AS (SELECT date_bin('1 hour', min(at) - interval '30 days', '2000-01-01 00:00:00+00') AS hour FROM cycle_steps)
SELECT count(*) > 0 AS has_daily_rows,
       count(*) FILTER (WHERE d.bucket_date::timestamp AT TIME ZONE 'UTC' < (SELECT hour FROM cut)) AS partial_days,
       count(*) FILTER (WHERE h.bucket_date IS NULL
                           OR (d.request_count, d.error_count, d.max_latency_ms, d.latency)
                              IS DISTINCT FROM (h.request_count, h.error_count, h.max_latency_ms, h.latency)) AS mismatched,
       (SELECT count(DISTINCT (bucket_start AT TIME ZONE 'UTC')::date) FROM ops_metrics_hourly
        WHERE bucket_start >= date_trunc('day', (SELECT hour FROM cut) - interval '1 microsecond', 'UTC') + interval '1 day')
       = count(DISTINCT d.bucket_date) AS every_whole_day_derived
FROM ops_metrics_daily d
LEFT JOIN (SELECT (bucket_start AT TIME ZONE 'UTC')::date AS bucket_date, platform,
                  sum(request_count)::bigint AS request_count, sum(error_count)::bigint AS error_count,
                  max(max_latency_ms) AS max_latency_ms, rollup(latency) AS latency
           FROM ops_metrics_hourly GROUP BY 1, 2) h
  ON h.bucket_date = d.bucket_date AND h.platform = d.platform;

-- Cycle 1, the first catch-up: from the UTC hour 30 days back (opsagg.backfill, never before
-- hourly retention) to the open hour, at most 24 hours a step, in 31 steps. w_view fails on
-- its bad row (in one of the last steps): one WARNING, recorded in ops_rollup_status, the
-- source left out of the remaining steps; the other sources' hours are all refreshed.
CALL pg_temp.run_cycle(1);
SELECT steps, at_most_24_hours_a_step, more_until_last,
       hours = (SELECT (extract(epoch FROM s.next_hour - date_bin('1 hour', min(c.at) - interval '30 days', '2000-01-01 00:00:00+00')) / 3600)::bigint + 1
                FROM ops_rollup_state s, cycle_steps c WHERE c.cycle = 1 GROUP BY s.next_hour) AS hours_from_backfill_to_open_hour
FROM cycle_summary WHERE cycle = 1;
SELECT source, pending_changes, hours_refreshed = (SELECT hours FROM cycle_summary WHERE cycle = 1) AS hours_shown,
       rows_written > 0 AS rows_written, last_cycle_end >= last_cycle_start AS cycle_ended,
       newest_hour = (SELECT date_bin('1 hour', max(at), '2000-01-01 00:00:00+00') FROM cycle_steps) AS newest_is_open_hour,
       lag < interval '1 minute' AS lag_small, source_failing, source_error,
       source_retry_at - source_error_at AS backoff, last_error
FROM ops_rollup_status ORDER BY source;
SELECT * FROM pg_temp.check(false);
SELECT * FROM daily_check;
SELECT count(*) AS rows_older_than_30_days FROM ops_metrics_hourly WHERE bucket_start < now() - interval '31 days';

-- A source registered after the catch-up gets every hour within retention queued (its
-- records go with it when it is removed).
CREATE TABLE w_late (occurred_at timestamptz NOT NULL, platform text, status_code integer, latency_ms float8, is_timeout boolean);
SELECT ops_add_source('w_late');
SELECT pending_changes BETWEEN 719 AND 720 AS hours_within_retention_queued FROM ops_rollup_status WHERE source = 'public.w_late';
SELECT ops_remove_source('w_late');
SELECT count(*) AS change_records FROM ops_change_log;
DROP TABLE w_late;

-- A late row in an hour already rolled up is queued in ops_change_log, shown as pending,
-- and folded in by the next cycle (one step: that hour and the open hour). w_view's retry
-- time has come (simulated by moving it to the past): it works on these two hours, so the
-- hours refreshed without it are queued, and it stays failing until they are done.
INSERT INTO w_events VALUES (date_bin('1 hour', now(), '2000-01-01 00:00:00+00') - interval '5 hours' + interval '42 minutes', 'web', 500, NULL, true);
SELECT source, pending_changes FROM ops_rollup_status WHERE source = 'public.w_events';
SELECT mismatched AS mismatched_before FROM pg_temp.check(false);
UPDATE ops_source_config SET retry_at = now() - interval '1 second' WHERE source = 'w_view'::regclass;
CALL pg_temp.run_cycle(2);
SELECT steps, more_until_last, hours >= 2 AS late_hour_and_open_hour FROM cycle_summary WHERE cycle = 2;
SELECT source, pending_changes > 0 AS has_pending, source_failing, source_retry_at IS NULL AS no_backoff, last_error
FROM ops_rollup_status ORDER BY source;
SELECT * FROM pg_temp.check(false);

-- The next cycle refreshes those hours and w_view fails on the bad row again: no new
-- WARNING, a longer back-off (1 minute after the first failure, 2 after the second).
CALL pg_temp.run_cycle(3);
SELECT c.source_name, c.consecutive_failures, c.last_error, c.retry_at - c.last_error_at AS backoff
FROM ops_source_config c ORDER BY 1;

-- Fixed (the bad row deleted): at its next retry it works, the hours it missed are
-- refreshed with it in the cycle after, and it is failing no more. w_gone, dropped
-- meanwhile, is recorded as failing (its message names its oid, so WARNINGs are hidden).
DELETE FROM w_raw WHERE divisor = 0;
DROP TABLE w_gone;
UPDATE ops_source_config SET retry_at = now() - interval '1 second' WHERE source = 'w_view'::regclass;
SET client_min_messages = error;
CALL pg_temp.run_cycle(4);
CALL pg_temp.run_cycle(5);
RESET client_min_messages;
SELECT source, pending_changes, source_failing,
       regexp_replace(source_error, '[0-9]+', 'N', 'g') AS source_error
FROM ops_rollup_status ORDER BY source;
-- Every hour within retention matches the reference, for both sources.
SELECT * FROM pg_temp.check(false);
SELECT * FROM pg_temp.check(true);
SELECT * FROM daily_check;
-- The dropped source is removed by its oid.
SELECT ops_remove_source(source) FROM ops_source_config WHERE source_name = 'public.w_gone';
SELECT source_name FROM ops_sources ORDER BY 1;

-- ops_worker_record_error: true when the message is new (the worker then logs it), false
-- when it repeats, true again for the same message after a cycle that ended well; shown as
-- last_error.
SELECT ops_worker_record_error('boom'), ops_worker_record_error('boom');
SELECT ops_worker_record_error('bang');
SELECT DISTINCT last_error, last_error_at IS NOT NULL AS at_set FROM ops_rollup_status;
SELECT ops_worker_cycle_end();
SELECT ops_worker_record_error('bang') AS after_a_good_cycle, ops_worker_record_error('bang') AS repeated;

-- Clean up: no source, no rows, no change records, the state of a fresh install.
SELECT ops_remove_source('w_events'), ops_remove_source('w_view');
TRUNCATE ops_metrics_hourly, ops_metrics_daily, ops_change_log;
UPDATE ops_rollup_state SET next_hour = NULL, caught_up_to = NULL, cycle_started_at = NULL, cycle_ended_at = NULL,
    cycle_hours_refreshed = 0, cycle_rows_written = 0, last_error = NULL, last_error_at = NULL,
    rolled_from = NULL, hourly_from = NULL, daily_from = NULL;
DROP VIEW daily_check, w_view;
DROP FUNCTION pg_temp.check(boolean), pg_temp.expected(boolean);
DROP TABLE w_events, w_raw;
