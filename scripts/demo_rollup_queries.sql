-- What the ops rollup worker made of a week of gateway traffic: hourly rows during the two
-- outages, and daily rows (derived from the hourly rows) against exact percentiles over the raw
-- rows. Run by scripts/demo.sh once the worker has caught up (scripts/demo_rollup_schema.sql,
-- scripts/demo_rollup_data.sql, both sources registered).

\set ON_ERROR_STOP 1
\set QUIET 1
SET client_min_messages = warning;
SET TimeZone = 'UTC';
SET DateStyle = 'ISO, YMD';
\pset footer off
\pset null ''

SELECT to_char(data_start + interval '2 days', 'YYYY-MM-DD') AS outage1_day,
       to_char(data_start + interval '5 days', 'YYYY-MM-DD') AS outage2_day
FROM public.demo_rollup_period \gset

\echo
\echo '=== ops_metrics_hourly during the two outages ==='
\echo 'openai down on' :outage1_day '13:20-15:05 UTC (502/503); anthropic slow on' :outage2_day '02:40-04:10 UTC'
\echo '(timeouts). Latencies in ms, from successful requests only; error % = 100 * errors / requests.'
SELECT to_char(h.bucket_start, 'MM-DD HH24:MI') AS hour, h.platform,
       h.request_count AS requests, h.error_count AS errors, h.error_5xx_count AS "5xx",
       h.timeout_count AS timeouts, round(h.error_rate::numeric, 1) AS "error %",
       round(h.p50_latency_ms::numeric) AS p50, round(h.p99_latency_ms::numeric) AS p99,
       round(h.max_latency_ms::numeric) AS max
FROM public.ops_metrics_hourly h, public.demo_rollup_period p
WHERE (h.platform = 'openai' AND h.bucket_start >= p.data_start + interval '2 days 12:00'
                             AND h.bucket_start <  p.data_start + interval '2 days 16:00')
   OR (h.platform = 'anthropic' AND h.bucket_start >= p.data_start + interval '5 days 02:00'
                                AND h.bucket_start <  p.data_start + interval '5 days 05:00')
ORDER BY h.platform DESC, h.bucket_start;

\echo
\echo '=== ops_metrics_daily on' :outage1_day '(from the hourly rows; p99 from merged sketches) ==='
\echo 'Beside it the exact percentile_cont over the raw rows of that day. Platform '''' = requests'
\echo 'whose group and account have no platform, and unknown keys: kept, not dropped.'
WITH raw AS (
    SELECT e.platform, percentile_cont(0.99) WITHIN GROUP (ORDER BY e.latency_ms) AS p99
    FROM public.ops_usage_events e, public.demo_rollup_period p
    WHERE e.occurred_at >= p.data_start + interval '2 days'
      AND e.occurred_at <  p.data_start + interval '3 days'
    GROUP BY e.platform
)
SELECT d.bucket_date AS day, CASE WHEN d.platform = '' THEN '''''' ELSE d.platform END AS platform, d.request_count AS requests,
       d.error_count AS errors, d.timeout_count AS timeouts, round(d.error_rate::numeric, 2) AS "error %",
       round(d.p50_latency_ms::numeric) AS p50, round(d.p99_latency_ms::numeric) AS p99,
       round(raw.p99::numeric) AS "exact p99",
       to_char(100 * (d.p99_latency_ms - raw.p99) / raw.p99, 'S0.00') || ' %' AS "p99 off by"
FROM public.ops_metrics_daily d
JOIN public.demo_rollup_period p ON d.bucket_date = (p.data_start + interval '2 days')::date
LEFT JOIN raw ON raw.platform = d.platform
ORDER BY d.request_count DESC;

\echo
\echo '=== The whole week: rollups against the raw tables ==='
SELECT (SELECT count(*) FROM public.usage_logs) + (SELECT count(*) FROM public.ops_error_logs) AS "raw rows",
       (SELECT sum(request_count) FROM public.ops_metrics_hourly) AS "hourly requests",
       (SELECT sum(request_count) FROM public.ops_metrics_daily) AS "daily requests",
       (SELECT count(*) FROM public.ops_error_logs) AS "raw errors",
       (SELECT sum(error_count) FROM public.ops_metrics_hourly) AS "hourly errors",
       (SELECT count(*) FROM public.ops_metrics_hourly) AS "hourly rows",
       (SELECT count(*) FROM public.ops_metrics_daily) AS "daily rows";

\echo
\echo '=== ops_metrics: any range, here from 03:17 six days ago to now ==='
\echo 'Whole days from ops_metrics_daily, whole hours from ops_metrics_hourly, the partial first hour'
\echo 'and the open hour from the raw tables: the counts are the raw counts. Beside them, the raw count.'
SELECT CASE WHEN m.platform IS NULL THEN '(total)' WHEN m.platform = '' THEN '''''' ELSE m.platform END AS platform,
       m.request_count AS requests, r.raw AS "raw requests", m.error_count AS errors,
       round(m.error_rate::numeric, 2) AS "error %", round(m.p50_latency_ms::numeric) AS p50,
       round(m.p99_latency_ms::numeric) AS p99, m.latency_sample_count AS "latency samples"
FROM public.demo_rollup_period p,
     LATERAL public.ops_metrics(p.data_start + interval '1 day 03:17', now()) m
LEFT JOIN LATERAL (
    SELECT count(*) AS raw
    FROM (SELECT occurred_at, platform FROM public.ops_usage_events
          UNION ALL SELECT occurred_at, platform FROM public.ops_error_events) e
    WHERE e.occurred_at >= p.data_start + interval '1 day 03:17' AND e.occurred_at < now()
      AND (m.platform IS NULL OR e.platform = m.platform)) r ON true
ORDER BY m.platform IS NULL, m.request_count DESC;

\echo
\echo '=== ops_metrics_series: openai in 6-hour buckets around its outage, against the same buckets a day earlier ==='
SELECT to_char(s.bucket_start, 'MM-DD HH24:MI') AS bucket, s.request_count AS requests,
       s.request_count_prev AS "day before", round(s.request_count_change_pct::numeric, 1) AS "change %",
       round(s.error_rate::numeric, 2) AS "error %", round(s.error_rate_prev::numeric, 2) AS "error % before",
       round(s.p99_latency_ms::numeric) AS p99
FROM public.demo_rollup_period p,
     LATERAL public.ops_metrics_series(p.data_start + interval '2 days', p.data_start + interval '3 days',
                                       '6 hours', 'openai') s
ORDER BY s.bucket_start;
