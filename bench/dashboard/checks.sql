-- bench/dashboard: correctness, run once before the timing. The raw queries of bench.dash
-- (with percentile_disc(0.99) added: the nearest-rank p99 the sketch's guarantee is stated
-- against) and the opsagg queries, each into a temp table, compared row by row.
-- psql variables: from_ts, to_ts, hour_from, hour_to, platform.
-- Prints lines "CHECK|<name>|OK or MISMATCH|<detail>", "INFO|<name>|<value>|<detail>" and
-- "P99|<case>|<max rel diff to percentile_cont>|<to percentile_disc>|<rows>|<rows over 1 % to
-- percentile_cont>|<rows with a p99 on one side only>|<fewest, most samples of the rows over 1 %>".
\set ON_ERROR_STOP on
SET client_min_messages = warning;
SET TimeZone = 'UTC';
\pset footer off

-- What the rollups cover, and what each opsagg query reads from where (the same plan
-- ops_metrics_rows makes: ops_rollup_coverage, then ops_plan_metrics).
SELECT 'INFO', 'ops_rollup_state: rolled_from, next_hour, hourly_from, daily_from',
       concat_ws(', ', rolled_from, next_hour, hourly_from, daily_from),
       'events from ' || (SELECT min(occurred_at) FROM public.events) || ' to ' || (SELECT max(occurred_at) FROM public.events)
FROM public.ops_rollup_state;
SELECT 'CHECK', 'the rollups cover the data (rolled_from within the first hour of events, next_hour = the open hour)',
       CASE WHEN s.rolled_from <= date_trunc('hour', e.mn) + interval '1 hour'
                 AND s.hourly_from <= s.rolled_from
                 AND s.next_hour >= date_trunc('hour', e.mx) THEN 'OK' ELSE 'MISMATCH' END,
       'rolled_from ' || s.rolled_from || ', next_hour ' || s.next_hour || ', hourly_from ' || s.hourly_from
FROM public.ops_rollup_state AS s,
     (SELECT min(occurred_at) AS mn, max(occurred_at) AS mx FROM public.events) AS e;
SELECT 'INFO', 'plan of ' || what,
       cardinality(p.days) || ' days, ' || cardinality(p.hours) || ' hours, ' || cardinality(p.raw_starts) || ' raw spans',
       coalesce((SELECT string_agg(to_char(s, 'MM-DD HH24:MI:SS') || ' .. ' || to_char(e, 'MM-DD HH24:MI:SS')
                                   || ' (' || (SELECT count(*) FROM public.events WHERE occurred_at >= s AND occurred_at < e)
                                   || ' events)', ', ' ORDER BY s)
                 FROM unnest(p.raw_starts, p.raw_ends) AS u(s, e)), 'no raw span')
FROM (VALUES ('(1)/(2) ' || :'from_ts' || ' .. ' || :'to_ts', :'from_ts'::timestamptz, :'to_ts'::timestamptz, NULL::interval,
              NULL::timestamptz),
             ('(3) ' || :'hour_from' || ' .. ' || :'hour_to' || ', 1 hour', :'hour_from', :'hour_to', '1 hour',
              '2000-01-01 00:00:00+00'),
             ('(3) the previous period', :'hour_from'::timestamptz - (:'hour_to'::timestamptz - :'hour_from'::timestamptz),
              :'hour_from', '1 hour',
              '2000-01-01 00:00:00+00'::timestamptz - (:'hour_to'::timestamptz - :'hour_from'::timestamptz))
     ) AS r(what, f, t, bucket, origin),
     LATERAL public.ops_rollup_coverage(r.f, r.t) AS c,
     LATERAL public.ops_plan_metrics(r.f, r.t, r.bucket, r.origin, c.rolled_from, c.rolled_to, c.hourly_from,
                                     c.daily_from, c.dirty_starts, c.dirty_ends) AS p;

SELECT format('CREATE TEMP TABLE raw_%s AS %s', name,
              bench.raw_sql(keys, cond, group_by, E',\n       percentile_disc(0.99) WITHIN GROUP (ORDER BY latency_ms) AS p99_disc'))
FROM bench.dash \gexec
SELECT format('CREATE TEMP TABLE ops_%s AS %s', name, ops_sql) FROM bench.dash \gexec

-- One shape for all three cases: c (case), b (bucket; -infinity without), p (platform;
-- '<total>' for the total rows). The raw (3) has no total rows: they are summed from its
-- rows (derived, without percentiles).
CREATE TEMP VIEW raw AS
SELECT '1' AS c, '-infinity'::timestamptz AS b, :'platform'::text AS p, false AS derived,
       request_count, success_count, error_count, error_4xx_count, error_5xx_count, timeout_count,
       latency_sample_count, avg_latency_ms, max_latency_ms, p99_latency_ms, p99_disc
FROM raw_one
UNION ALL
SELECT '2', '-infinity', coalesce(platform, '<total>'), false,
       request_count, success_count, error_count, error_4xx_count, error_5xx_count, timeout_count,
       latency_sample_count, avg_latency_ms, max_latency_ms, p99_latency_ms, p99_disc
FROM raw_all
UNION ALL
SELECT '3', bucket_start, platform, false,
       request_count, success_count, error_count, error_4xx_count, error_5xx_count, timeout_count,
       latency_sample_count, avg_latency_ms, max_latency_ms, p99_latency_ms, p99_disc
FROM raw_series
UNION ALL
SELECT '3', bucket_start, '<total>', true,
       sum(request_count), sum(success_count), sum(error_count), sum(error_4xx_count), sum(error_5xx_count),
       sum(timeout_count), sum(latency_sample_count),
       sum(avg_latency_ms::numeric * latency_sample_count) / nullif(sum(latency_sample_count), 0),
       max(max_latency_ms), NULL, NULL
FROM raw_series GROUP BY bucket_start;

CREATE TEMP VIEW ops AS
SELECT '1' AS c, '-infinity'::timestamptz AS b, coalesce(platform, '<total>') AS p,
       request_count, success_count, error_count, error_4xx_count, error_5xx_count, timeout_count,
       latency_sample_count, avg_latency_ms, max_latency_ms, p99_latency_ms
FROM ops_one
UNION ALL
SELECT '2', '-infinity', coalesce(platform, '<total>'),
       request_count, success_count, error_count, error_4xx_count, error_5xx_count, timeout_count,
       latency_sample_count, avg_latency_ms, max_latency_ms, p99_latency_ms
FROM ops_all
UNION ALL
SELECT '3', bucket_start, coalesce(platform, '<total>'),
       request_count, success_count, error_count, error_4xx_count, error_5xx_count, timeout_count,
       latency_sample_count, avg_latency_ms, max_latency_ms, p99_latency_ms
FROM ops_series;

-- A row missing on one side counts as zero events (ops_metrics reports zeros for a platform
-- without events; the raw query has no row for it).
CREATE TEMP TABLE cmp AS
SELECT c, b, p, r.derived,
       r.request_count AS r_n, o.request_count AS o_n,
       (coalesce(r.request_count, 0), coalesce(r.success_count, 0), coalesce(r.error_count, 0),
        coalesce(r.error_4xx_count, 0), coalesce(r.error_5xx_count, 0), coalesce(r.timeout_count, 0),
        coalesce(r.latency_sample_count, 0))
       = (coalesce(o.request_count, 0), coalesce(o.success_count, 0), coalesce(o.error_count, 0),
          coalesce(o.error_4xx_count, 0), coalesce(o.error_5xx_count, 0), coalesce(o.timeout_count, 0),
          coalesce(o.latency_sample_count, 0)) AS counts_equal,
       coalesce(abs(r.avg_latency_ms - o.avg_latency_ms) <= 1e-9 * abs(r.avg_latency_ms),
                r.avg_latency_ms IS NULL AND o.avg_latency_ms IS NULL) AS avg_equal,
       r.max_latency_ms IS NOT DISTINCT FROM o.max_latency_ms AS max_equal,
       r.latency_sample_count AS samples,
       abs(o.p99_latency_ms - r.p99_latency_ms) / r.p99_latency_ms AS p99_cont_diff,
       abs(o.p99_latency_ms - r.p99_disc) / r.p99_disc AS p99_disc_diff,
       r.p99_latency_ms IS NULL IS DISTINCT FROM (o.p99_latency_ms IS NULL) AND NOT coalesce(r.derived, false)
           AS p99_null_mismatch
FROM raw AS r FULL JOIN ops AS o USING (c, b, p);

SELECT 'CHECK', '(' || c || ') counts = the raw query''s (request, success, error, 4xx, 5xx, timeout, samples)'
                || CASE c WHEN '3' THEN ', every (hour, platform) and every hour''s total' ELSE ', every platform and the total' END,
       CASE WHEN count(*) > 0 AND bool_and(counts_equal) THEN 'OK' ELSE 'MISMATCH' END,
       count(*) || ' rows, ' || coalesce(sum(r_n) FILTER (WHERE p <> '<total>' OR c = '1'), 0) || ' events'
       || CASE WHEN bool_and(counts_equal) THEN '' ELSE ', ' || count(*) FILTER (WHERE NOT counts_equal) || ' differ, e.g. '
               || (array_agg(b || ' ' || p || ': ' || coalesce(r_n::text, '-') || ' vs ' || coalesce(o_n::text, '-'))
                   FILTER (WHERE NOT counts_equal))[1] END
       || CASE c WHEN '3' THEN ', ' || (SELECT count(DISTINCT bucket_start) FROM ops_series) || ' buckets' ELSE '' END
FROM cmp GROUP BY c ORDER BY c;
SELECT 'CHECK', '(1) (2) (3) avg (to 1e-9) and max = the raw query''s',
       CASE WHEN bool_and(avg_equal AND max_equal) THEN 'OK' ELSE 'MISMATCH' END,
       count(*) FILTER (WHERE NOT (avg_equal AND max_equal)) || ' rows differ of ' || count(*)
FROM cmp;
SELECT 'P99', c, coalesce(max(p99_cont_diff), 0), coalesce(max(p99_disc_diff), 0), count(p99_cont_diff),
       count(*) FILTER (WHERE p99_cont_diff > 0.01), count(*) FILTER (WHERE p99_null_mismatch),
       coalesce(min(samples) FILTER (WHERE p99_cont_diff > 0.01), 0),
       coalesce(max(samples) FILTER (WHERE p99_cont_diff > 0.01), 0)
FROM cmp WHERE NOT coalesce(derived, false) GROUP BY c ORDER BY c;
