-- ops_metrics and ops_metrics_series against the raw events: counts exact, means to 1e-9,
-- percentiles within the sketch's bound of the exact nearest-rank ones (percentile_disc),
-- for random ranges and buckets, before the worker ran, while it is catching up, once it
-- caught up, and with late rows pending. The data are placed relative to now() with a fixed
-- seed; only booleans and counts of failures are shown.
-- This suite expects the worker state of a fresh install and leaves it so.
SET TimeZone = 'UTC';
SET DateStyle = 'ISO, YMD';
SET IntervalStyle = 'postgres';
SELECT next_hour IS NULL AND rolled_from IS NULL AND daily_from IS NULL AS fresh_state FROM ops_rollup_state;

-- Two sources: a table, and a view over a table of errors with other column names.
CREATE TABLE m_events (
    occurred_at timestamptz NOT NULL,
    platform text,
    status_code integer,
    latency_ms double precision,
    is_timeout boolean NOT NULL DEFAULT false
);
CREATE INDEX ON m_events (occurred_at);
CREATE TABLE m_errors (at timestamptz NOT NULL, plat varchar(20), code smallint, took real, timed_out boolean);
CREATE INDEX ON m_errors (at);
CREATE VIEW m_error_events AS
SELECT at AS occurred_at, plat AS platform, code::int AS status_code, took::float8 AS latency_ms,
       COALESCE(timed_out, false) AS is_timeout
FROM m_errors;

-- 40 days of events up to now, and some in the rest of the open hour.
SELECT setseed(0.5);
CREATE TEMP TABLE t0 AS SELECT now() AS t0;
INSERT INTO m_events
SELECT (SELECT t0 FROM t0) - random() * interval '40 days',
       (ARRAY['web', 'ios', '', NULL, 'android'])[1 + (random() * 4.999)::int % 5],
       (ARRAY[200, 200, 200, 201, 204, 404, 429, 500, 503, NULL])[1 + (random() * 9.999)::int % 10],
       CASE WHEN random() < 0.9 THEN round((random() ^ 3 * 2000)::numeric, 3)::float8 END,
       random() < 0.02
FROM generate_series(1, 30000);
INSERT INTO m_events
SELECT (SELECT t0 FROM t0) + random() * (date_bin('1 hour', (SELECT t0 FROM t0), '2000-01-01 00:00:00+00')
                                           + interval '1 hour' - (SELECT t0 FROM t0)),
       'web', 200, 5, false
FROM generate_series(1, 50);
INSERT INTO m_errors
SELECT (SELECT t0 FROM t0) - random() * interval '40 days',
       (ARRAY['web', 'ios', NULL])[1 + (random() * 2.999)::int % 3],
       (ARRAY[500, 502, 400, 408])[1 + (random() * 3.999)::int % 4],
       CASE WHEN random() < 0.5 THEN (random() * 100)::real END,
       CASE WHEN random() < 0.1 THEN true END
FROM generate_series(1, 5000);
SELECT ops_add_source('m_events');
SELECT ops_add_source('m_error_events', watch => 'm_errors', watch_time_column => 'at');

-- The truth: every event of both sources.
CREATE TEMP VIEW all_events AS
SELECT occurred_at, COALESCE(platform, '') AS platform, status_code, latency_ms, is_timeout,
       COALESCE(status_code >= 400, false) OR is_timeout AS is_error
FROM (SELECT occurred_at, platform, status_code, latency_ms, is_timeout FROM m_events
      UNION ALL
      SELECT occurred_at, platform, status_code, latency_ms, is_timeout FROM m_error_events) e;

-- The expected figures of [from_ts, to_ts) per bucket (date_bin on origin; NULL: one bucket at from_ts)
-- and platform, with a total row (platform NULL) per bucket that has events; with
-- only_platform, that platform's rows only.
CREATE TYPE pg_temp.expected_row AS (bucket_start timestamptz, platform text, request_count bigint,
    success_count bigint, error_count bigint, error_4xx_count bigint, error_5xx_count bigint,
    timeout_count bigint, error_rate float8, avg_latency_ms float8, max_latency_ms float8,
    latency_sample_count bigint, exact float8[]);
CREATE FUNCTION pg_temp.expected(from_ts timestamptz, to_ts timestamptz, bucket interval, only_platform text,
                                  origin timestamptz DEFAULT '2000-01-01 00:00:00+00')
RETURNS SETOF pg_temp.expected_row
LANGUAGE sql AS $$
    SELECT b, CASE WHEN GROUPING(e.platform) = 1 THEN NULL ELSE e.platform END,
           count(*), count(*) FILTER (WHERE NOT is_error), count(*) FILTER (WHERE is_error),
           count(*) FILTER (WHERE status_code BETWEEN 400 AND 499),
           count(*) FILTER (WHERE status_code BETWEEN 500 AND 599), count(*) FILTER (WHERE is_timeout),
           (100.0 * count(*) FILTER (WHERE is_error) / count(*))::float8,
           avg(latency_ms), max(latency_ms), count(latency_ms),
           percentile_disc('{0.5,0.9,0.95,0.99}'::float8[]) WITHIN GROUP (ORDER BY latency_ms)
    FROM all_events e,
         LATERAL (SELECT CASE WHEN bucket IS NULL THEN from_ts
                              ELSE date_bin(bucket, e.occurred_at, origin) END AS b) k
    WHERE e.occurred_at >= from_ts AND e.occurred_at < to_ts
      AND (only_platform IS NULL OR e.platform = only_platform)
    GROUP BY GROUPING SETS ((b, e.platform), (b))
    HAVING only_platform IS NULL OR GROUPING(e.platform) = 0
$$;

-- Whether a percentile is within the sketch's bound of the exact one (or both are missing).
CREATE FUNCTION pg_temp.within(got float8, exact float8) RETURNS boolean LANGUAGE sql AS $$
    SELECT COALESCE(abs(got - exact) <= 0.01 * exact, got IS NULL AND exact IS NULL)
$$;
-- Whether one actual row (its counts, error rate, mean, max and percentiles) agrees with its
-- expected row (NULL: no events, all zero). SQL, so that it is inlined: no statement per row.
CREATE FUNCTION pg_temp.agrees(counts bigint[], error_rate float8, avg_latency_ms float8, max_latency_ms float8,
                               percentiles float8[], x pg_temp.expected_row) RETURNS boolean LANGUAGE sql AS $$
    SELECT counts[1] IS NOT NULL
       AND counts = ARRAY[COALESCE(x.request_count, 0), COALESCE(x.success_count, 0), COALESCE(x.error_count, 0),
                          COALESCE(x.error_4xx_count, 0), COALESCE(x.error_5xx_count, 0),
                          COALESCE(x.timeout_count, 0), COALESCE(x.latency_sample_count, 0)]
       AND error_rate = COALESCE(x.error_rate, 0)
       AND max_latency_ms IS NOT DISTINCT FROM x.max_latency_ms
       AND COALESCE(abs(avg_latency_ms - x.avg_latency_ms) <= 1e-9 * abs(x.avg_latency_ms),
                    avg_latency_ms IS NULL AND x.avg_latency_ms IS NULL)
       AND pg_temp.within(percentiles[1], x.exact[1]) AND pg_temp.within(percentiles[2], x.exact[2])
       AND pg_temp.within(percentiles[3], x.exact[3]) AND pg_temp.within(percentiles[4], x.exact[4])
$$;

-- The number of rows of ops_metrics(from_ts, to_ts, only_platform) that disagree with the raw
-- events, a missing or extra row included.
CREATE FUNCTION pg_temp.metrics_failures(from_ts timestamptz, to_ts timestamptz, only_platform text)
RETURNS bigint LANGUAGE sql AS $$
    SELECT count(*) FILTER (WHERE NOT pg_temp.agrees(
               ARRAY[a.request_count, a.success_count, a.error_count, a.error_4xx_count, a.error_5xx_count,
                     a.timeout_count, a.latency_sample_count],
               a.error_rate, a.avg_latency_ms, a.max_latency_ms,
               ARRAY[a.p50_latency_ms, a.p90_latency_ms, a.p95_latency_ms, a.p99_latency_ms], x))
    FROM (SELECT * FROM ops_metrics(from_ts, to_ts, only_platform)) a
    FULL JOIN pg_temp.expected(from_ts, to_ts, NULL, only_platform) x
      ON COALESCE(a.platform, '(total)') = COALESCE(x.platform, '(total)')
$$;

CREATE FUNCTION pg_temp.random_ranges(n int) RETURNS TABLE (from_ts timestamptz, to_ts timestamptz)
LANGUAGE sql AS $$
    SELECT f, f + len
    FROM (SELECT (SELECT t0 FROM t0) + interval '30 minutes' - random() * interval '42 days' AS f,
                 CASE (random() * 3)::int
                      WHEN 0 THEN random() * interval '50 minutes'
                      WHEN 1 THEN random() * interval '30 hours'
                      ELSE random() * interval '20 days' END + interval '1 microsecond' AS len
          FROM generate_series(1, n)) r
$$;

-- Named ranges: inside one hour, across a day boundary, ending in the open hour, aligned
-- days and hours, the whole 40 days.
CREATE TEMP VIEW named_ranges AS
SELECT name, f AS from_ts, t AS to_ts
FROM t0, LATERAL (VALUES
    ('inside one hour', date_bin('1 hour', t0, '2000-01-01') - interval '50 hours' + interval '7 minutes',
                        date_bin('1 hour', t0, '2000-01-01') - interval '50 hours' + interval '41 minutes'),
    ('across midnight', date_bin('1 day', t0, '2000-01-01') - interval '3 days 2 hours 13 minutes',
                        date_bin('1 day', t0, '2000-01-01') - interval '2 days 20 hours 1 minute'),
    ('ending in the open hour', t0 - interval '2 days 5 hours 3 minutes', t0),
    ('to the end of the open hour', t0 - interval '10 days', date_bin('1 hour', t0, '2000-01-01') + interval '1 hour'),
    ('aligned days', date_bin('1 day', t0, '2000-01-01') - interval '20 days', date_bin('1 day', t0, '2000-01-01') - interval '2 days'),
    ('aligned hours', date_bin('1 hour', t0, '2000-01-01') - interval '30 hours', date_bin('1 hour', t0, '2000-01-01') - interval '3 hours'),
    ('all 40 days and more', t0 - interval '41 days', t0 + interval '1 day')) v(name, f, t);

CREATE TEMP TABLE runs (phase text, checked int, failures int);
-- A phase checks n random ranges and, with named, the named ones: every platform and the
-- total, and the named ones also for the platform ''. (Each call is a few statements: under
-- forced JIT each costs a compilation, hence the modest numbers.)
CREATE PROCEDURE pg_temp.check_phase(phase text, n int, named boolean) LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO runs
    SELECT phase, count(*) + count(*) FILTER (WHERE r.named),
           sum(pg_temp.metrics_failures(from_ts, to_ts, NULL)
               + CASE WHEN r.named THEN pg_temp.metrics_failures(from_ts, to_ts, '') ELSE 0 END)
    FROM (SELECT true AS named, from_ts, to_ts FROM named_ranges WHERE check_phase.named
          UNION ALL SELECT false, * FROM pg_temp.random_ranges(n)) r;
END $$;

-- The parts a range is read from now.
CREATE FUNCTION pg_temp.parts(from_ts timestamptz, to_ts timestamptz)
RETURNS TABLE (days int, hours int, raw_spans int) LANGUAGE sql AS $$
    SELECT cardinality(p.days), cardinality(p.hours), cardinality(p.raw_starts)
    FROM ops_rollup_coverage(from_ts, to_ts) c,
         ops_plan_metrics(from_ts, to_ts, NULL, NULL, c.rolled_from, c.rolled_to, c.hourly_from,
                          c.daily_from, c.dirty_starts, c.dirty_ends) p
$$;

CREATE PROCEDURE pg_temp.worker_steps(max_steps int) LANGUAGE plpgsql AS $$
DECLARE
    n int := 0;
BEGIN
    SET LOCAL search_path = pg_catalog, pg_temp;
    PERFORM public.ops_worker_cycle_begin();
    COMMIT;
    LOOP
        n := n + 1;
        SET LOCAL search_path = pg_catalog, pg_temp;
        EXIT WHEN NOT public.ops_worker_cycle_step() OR n >= max_steps;
        COMMIT;
    END LOOP;
    COMMIT;
    IF n < max_steps THEN
        SET LOCAL search_path = pg_catalog, pg_temp;
        PERFORM public.ops_worker_cycle_end();
        COMMIT;
    END IF;
END $$;

-- 1. Before the worker ran: every range from the sources.
SELECT days, hours, raw_spans FROM pg_temp.parts((SELECT t0 - interval '20 days' FROM t0), (SELECT t0 FROM t0));
CALL pg_temp.check_phase('1 nothing rolled up', 3, false);

-- 2. Part way through the first catch-up (10 steps of at most 24 hours from 30 days back):
-- the hours not reached yet come from the sources.
CALL pg_temp.worker_steps(10);
SELECT rolled_from < next_hour AS rolled_some, next_hour < now() - interval '15 days' AS far_from_now
FROM ops_rollup_state;
SELECT days > 0 AS some_days, hours > 0 AS some_hours, raw_spans > 0 AS some_raw
FROM pg_temp.parts((SELECT t0 - interval '29 days' FROM t0), (SELECT t0 FROM t0));
CALL pg_temp.check_phase('2 catching up', 2, true);

-- 3. Caught up: whole days and hours from the rollups, the edges and the open hour raw.
CALL pg_temp.worker_steps(1000);
SELECT days >= 18 AS days_from_daily_rows, hours > 0 AS hours_from_hourly_rows, raw_spans = 2 AS edges_raw
FROM pg_temp.parts((SELECT t0 - interval '20 days 5 minutes' FROM t0), (SELECT t0 FROM t0));
CALL pg_temp.check_phase('3 caught up', 2, true);

-- 4. Late rows, updates and deletes in rolled-up hours: pending until the next cycle, read
-- from the sources meanwhile.
INSERT INTO m_events
SELECT (SELECT t0 FROM t0) - interval '5 days' - i * interval '7 hours 3 minutes', 'web', 503, 900 + i, false
FROM generate_series(1, 40) AS i;
UPDATE m_events SET platform = 'ios' WHERE occurred_at BETWEEN (SELECT t0 - interval '12 days' FROM t0)
                                                         AND (SELECT t0 - interval '11 days 22 hours' FROM t0);
DELETE FROM m_errors WHERE at BETWEEN (SELECT t0 - interval '3 days' FROM t0) AND (SELECT t0 - interval '2 days 23 hours' FROM t0);
SELECT cardinality(dirty_starts) > 30 AS hours_pending
FROM ops_rollup_coverage((SELECT t0 - interval '20 days' FROM t0), (SELECT t0 FROM t0));
CALL pg_temp.check_phase('4 late rows pending', 2, true);

-- 5. The next cycle folds them in.
CALL pg_temp.worker_steps(1000);
SELECT cardinality(dirty_starts) AS hours_pending
FROM ops_rollup_coverage((SELECT t0 - interval '20 days' FROM t0), (SELECT t0 FROM t0));
CALL pg_temp.check_phase('5 refreshed', 3, false);

SELECT phase, checked, failures FROM runs ORDER BY phase;

-- ops_metrics_series: every bucket of random ranges, all platforms and one, against the raw
-- events per bucket; the *_prev figures against the same bucket moved back by the range's
-- length. Also with a session time zone that has daylight saving time: buckets are UTC.
-- t moved back by len in UTC (a day is 24 hours whatever the session's time zone).
CREATE FUNCTION pg_temp.back(t timestamptz, len interval) RETURNS timestamptz LANGUAGE sql AS $$
    SELECT ((t AT TIME ZONE 'UTC') - len) AT TIME ZONE 'UTC'
$$;
CREATE FUNCTION pg_temp.series_failures(from_ts timestamptz, to_ts timestamptz, bucket interval, only_platform text)
RETURNS bigint LANGUAGE sql AS $$
    WITH x0 AS (SELECT * FROM pg_temp.expected(from_ts, to_ts, bucket, only_platform)),
    -- every bucket has a total row (or the asked platform's), zero without events
    x AS (SELECT x0::pg_temp.expected_row AS r FROM x0
          UNION ALL
          SELECT (b, only_platform, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)::pg_temp.expected_row
          FROM generate_series(date_bin(bucket, from_ts, '2000-01-01 00:00:00+00') AT TIME ZONE 'UTC',
                               (to_ts - interval '1 microsecond') AT TIME ZONE 'UTC', bucket) AS u,
               LATERAL (SELECT u AT TIME ZONE 'UTC' AS b) AS v
          WHERE NOT EXISTS (SELECT 1 FROM x0 WHERE x0.bucket_start = b
                                               AND x0.platform IS NOT DISTINCT FROM only_platform))
    SELECT count(*) FILTER (WHERE NOT (
               pg_temp.agrees(ARRAY[a.request_count, a.success_count, a.error_count, a.error_4xx_count,
                                    a.error_5xx_count, a.timeout_count, a.latency_sample_count],
                              a.error_rate, a.avg_latency_ms, a.max_latency_ms,
                              ARRAY[a.p50_latency_ms, a.p90_latency_ms, a.p95_latency_ms, a.p99_latency_ms], x.r)
               AND a.request_count_prev = COALESCE(p.request_count, 0)
               AND a.error_rate_prev = COALESCE(p.error_rate, 0)
               AND pg_temp.within(a.p99_latency_ms_prev, p.exact[4])
               AND a.request_count_change_pct IS NOT DISTINCT FROM
                   100 * (a.request_count - p.request_count)::float8 / NULLIF(p.request_count, 0)))
    FROM (SELECT * FROM ops_metrics_series(from_ts, to_ts, bucket, only_platform)) a
    FULL JOIN x ON a.bucket_start = (x.r).bucket_start
               AND COALESCE(a.platform, '(total)') = COALESCE((x.r).platform, '(total)')
    LEFT JOIN pg_temp.expected(pg_temp.back(from_ts, to_ts - from_ts), from_ts, bucket, only_platform,
                               pg_temp.back('2000-01-01 00:00:00+00', to_ts - from_ts)) AS p
           ON p.bucket_start = pg_temp.back(a.bucket_start, to_ts - from_ts)
          AND COALESCE(p.platform, '(total)') = COALESCE(a.platform, '(total)')
$$;

CREATE TEMP TABLE series_runs AS
SELECT bucket, count(*) AS ranges, sum(pg_temp.series_failures(r.from_ts, r.to_ts, bucket,
                                                               CASE WHEN bucket IN ('15 minutes', '1 day') THEN 'ios' END)) AS failures
FROM (VALUES (interval '1 hour'), (interval '1 day'), (interval '15 minutes'), (interval '90 minutes')) AS b(bucket),
     LATERAL (SELECT f AS from_ts, f + least(random() * 300 * bucket, interval '25 days') + interval '1 second' AS to_ts
              FROM (SELECT (SELECT t0 FROM t0) - random() * interval '35 days' AS f) g) r
GROUP BY bucket;
SET TimeZone = 'America/New_York';
INSERT INTO series_runs
SELECT interval '1 day', 1, pg_temp.series_failures(t0 - interval '20 days', t0, '1 day', NULL)
FROM t0;
RESET TimeZone;
SELECT bucket, sum(ranges) AS ranges, sum(failures) AS failures FROM series_runs GROUP BY bucket ORDER BY bucket;

-- A bucket of a series comes from the rollups when it holds whole hours or days.
SELECT count(*) AS buckets, count(DISTINCT bucket_start) AS distinct_buckets,
       bool_and(platform IS NULL) AS total_rows_only
FROM ops_metrics_series((SELECT date_bin('1 day', t0, '2000-01-01') - interval '7 days' FROM t0),
                        (SELECT date_bin('1 day', t0, '2000-01-01') FROM t0), '1 day', NULL)
WHERE platform IS NULL;
SELECT bucket_start, platform, request_count, request_count_prev
FROM ops_metrics_series('2001-01-01', '2001-01-01 03:00', '1 hour', 'web');

-- Rows of ops_metrics: the platforms in order, then the total.
SELECT platform, request_count > 0 AS has_requests FROM ops_metrics((SELECT t0 - interval '10 days' FROM t0), (SELECT t0 FROM t0));
SELECT * FROM ops_metrics('2001-01-01', '2001-01-02');
SELECT * FROM ops_metrics('2001-01-01', '2001-01-02', 'web');

-- Bad arguments.
\set VERBOSITY sqlstate
SELECT * FROM ops_metrics('2024-01-02', '2024-01-01');
SELECT * FROM ops_metrics('2024-01-01', '2024-01-01');
SELECT * FROM ops_metrics(NULL, '2024-01-01');
SELECT * FROM ops_metrics('2024-01-01', NULL);
SELECT * FROM ops_metrics('-infinity', '2024-01-01');
SELECT * FROM ops_metrics('2024-01-01', 'infinity');
SELECT * FROM ops_metrics_series('2024-01-01', '2024-01-02', NULL);
SELECT * FROM ops_metrics_series('2024-01-01', '2024-01-02', '0');
SELECT * FROM ops_metrics_series('2024-01-01', '2024-01-02', '-1 hour');
SELECT * FROM ops_metrics_series('2024-01-01', '2024-03-01', '1 month');
SELECT * FROM ops_metrics_series('2024-01-01', '2024-03-01', '1 day 1 month');
SELECT * FROM ops_metrics_series('2024-01-01', '2025-01-01', '1 minute');
SELECT * FROM ops_metrics_series('2024-01-01', '2024-01-02', '1 microsecond');
SELECT * FROM ops_metrics_series('2024-01-02', '2024-01-01', '1 hour');
\set VERBOSITY terse
SELECT * FROM ops_metrics('2024-01-02', '2024-01-01');
SELECT * FROM ops_metrics(NULL, '2024-01-01');
SELECT * FROM ops_metrics('2024-01-01', 'infinity');
SELECT * FROM ops_metrics_series('2024-01-01', '2024-01-02', NULL);
SELECT * FROM ops_metrics_series('2024-01-01', '2024-01-02', '0');
SELECT * FROM ops_metrics_series('2024-01-01', '2025-01-01', '1 minute');
SELECT * FROM ops_metrics_series('2024-01-01', '2024-03-01', '1 month');
\set VERBOSITY default
-- The largest series allowed: 100000 buckets.
SELECT count(*) FROM ops_metrics_series('2001-01-01', '2001-01-01'::timestamptz + 100000 * interval '1 second', '1 second', 'web');

-- Clean up: no source, no rows, no change records, the state of a fresh install.
SELECT ops_remove_source('m_events'), ops_remove_source('m_error_events');
TRUNCATE ops_metrics_hourly, ops_metrics_daily, ops_change_log;
UPDATE ops_rollup_state SET next_hour = NULL, caught_up_to = NULL, cycle_started_at = NULL, cycle_ended_at = NULL,
    cycle_hours_refreshed = 0, cycle_rows_written = 0, last_error = NULL, last_error_at = NULL,
    rolled_from = NULL, hourly_from = NULL, daily_from = NULL;
DROP VIEW m_error_events;
DROP TABLE m_events, m_errors;
