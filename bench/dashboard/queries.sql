-- bench/dashboard: the timed queries (the harness is bench/harness.sql), after bench/rollup's
-- setup.sql and data.sql have filled public.events (the harness drops rollup's bench schema;
-- public.events and the rollups stay).
-- psql variables: from_ts, to_ts (the 30-day range ending at the data's end, in the open hour),
-- hour_from, hour_to (the 720 whole hours ending at the start of that hour), platform,
-- ops_reps (timed executions of each opsagg query per round and mode).
\ir ../harness.sql

-- The raw query a user writes without opsagg: the dashboard's figures straight from the
-- events, percentile_cont for the percentiles (ordered-set aggregates with the same ORDER BY
-- share one sort per group). keys: the grouping columns of the select list (with a trailing
-- comma), cond: the WHERE clause, group_by: the GROUP BY clause, extra: more select-list items
-- (the checks add percentile_disc; the timed queries have none).
CREATE FUNCTION bench.raw_sql(keys text, cond text, group_by text, extra text DEFAULT '')
RETURNS text LANGUAGE sql IMMUTABLE
RETURN format($q$SELECT %s
       count(*) AS request_count,
       count(*) FILTER (WHERE NOT (coalesce(status_code >= 400, false) OR is_timeout)) AS success_count,
       count(*) FILTER (WHERE status_code >= 400 OR is_timeout) AS error_count,
       count(*) FILTER (WHERE status_code BETWEEN 400 AND 499) AS error_4xx_count,
       count(*) FILTER (WHERE status_code BETWEEN 500 AND 599) AS error_5xx_count,
       count(*) FILTER (WHERE is_timeout) AS timeout_count,
       100.0 * count(*) FILTER (WHERE status_code >= 400 OR is_timeout) / count(*) AS error_rate,
       avg(latency_ms) AS avg_latency_ms,
       percentile_cont(0.50) WITHIN GROUP (ORDER BY latency_ms) AS p50_latency_ms,
       percentile_cont(0.90) WITHIN GROUP (ORDER BY latency_ms) AS p90_latency_ms,
       percentile_cont(0.95) WITHIN GROUP (ORDER BY latency_ms) AS p95_latency_ms,
       percentile_cont(0.99) WITHIN GROUP (ORDER BY latency_ms) AS p99_latency_ms,
       max(latency_ms) AS max_latency_ms,
       count(latency_ms) AS latency_sample_count%s
FROM public.events
WHERE %s%s$q$, keys, extra, cond, group_by);

-- The three cases: the raw query's parts and the opsagg query.
CREATE TABLE bench.dash (name text PRIMARY KEY, keys text, cond text, group_by text, ops_sql text);
INSERT INTO bench.dash VALUES
-- (1) 30 days, one platform
('one', '',
 format('occurred_at >= %L AND occurred_at < %L AND platform = %L', :'from_ts', :'to_ts', :'platform'), '',
 format('SELECT * FROM public.ops_metrics(%L, %L, %L)', :'from_ts', :'to_ts', :'platform')),
-- (2) 30 days, every platform and the total
('all', 'platform,',
 format('occurred_at >= %L AND occurred_at < %L', :'from_ts', :'to_ts'), E'\nGROUP BY ROLLUP (platform)',
 format('SELECT * FROM public.ops_metrics(%L, %L)', :'from_ts', :'to_ts')),
-- (3) 720 hourly buckets, every platform (opsagg: and a total row per bucket, and the
--     previous 30 days' figures of every bucket)
('series', $k$date_bin('1 hour', occurred_at, '2000-01-01 00:00:00+00') AS bucket_start, platform,$k$,
 format('occurred_at >= %L AND occurred_at < %L', :'hour_from', :'hour_to'), E'\nGROUP BY 1, 2',
 format($q$SELECT * FROM public.ops_metrics_series(%L, %L, '1 hour')$q$, :'hour_from', :'hour_to'));

INSERT INTO bench.query (name, sql, reps)
SELECT 'raw_' || name, bench.raw_sql(keys, cond, group_by), 1 FROM bench.dash
UNION ALL
SELECT 'ops_' || name, ops_sql, :ops_reps FROM bench.dash;
