-- bench/scale: correctness, run once on SINGLE before the timing. run.sh has run the timed
-- queries of bench.query untimed on every server and copied the other servers' results into
-- bench.other_raw ((A)) and bench.other_ops ((B)), one row per (server, platform); here they
-- are compared with SINGLE's own results of the same SQL text.
-- psql variable: with_ops (1: (B) was run; 0: skipped).
-- Prints "CHECK|<name>|OK or MISMATCH|<detail>", "INFO|<name>|<value>|<detail>" and
-- "P99|<case>|<largest relative p99 difference, coordinator against SINGLE>|<rows with equal p99>|<rows>".
\set ON_ERROR_STOP on
SET client_min_messages = warning;
SET TimeZone = 'UTC';

SELECT format('CREATE TEMP TABLE single_%s AS %s', name, sql) FROM bench.query \gexec

-- A row missing on one side is a mismatch (full joins, NULL counts).
CREATE TEMP VIEW raw_cmp AS
SELECT s.platform AS s_platform, c.platform AS c_platform,
       s.request_count AS s_req, c.request_count AS c_req,
       s.error_5xx_count AS s_5xx, c.error_5xx_count AS c_5xx,
       s.p99_latency_ms AS s_p99, c.p99_latency_ms AS c_p99,
       abs(c.p99_latency_ms - s.p99_latency_ms) / s.p99_latency_ms AS p99_diff
FROM single_raw AS s
FULL JOIN (SELECT * FROM bench.other_raw WHERE server = 'coord') AS c ON c.platform = s.platform;

SELECT 'INFO', '(A) SINGLE', sum(request_count) || ' events in the range',
       string_agg(quote_literal(platform) || ': ' || request_count || ' (' || error_5xx_count || ' 5xx, p99 '
                  || round(p99_latency_ms::numeric, 1) || ' ms)', ', ' ORDER BY platform)
FROM single_raw;

SELECT 'CHECK', '(A) coordinator = SINGLE: count(*) and the 5xx count of every platform',
       CASE WHEN count(*) > 0 AND bool_and(s_req = c_req AND s_5xx = c_5xx) THEN 'OK' ELSE 'MISMATCH' END,
       count(*) || ' rows (platforms), ' || coalesce(sum(c_req), 0) || ' events on the coordinator, '
       || coalesce(sum(s_req), 0) || ' on SINGLE'
FROM raw_cmp;
SELECT 'CHECK', '(A) coordinator p99 equal to SINGLE''s or within 1 %, every platform',
       CASE WHEN count(*) > 0 AND bool_and(coalesce(p99_diff <= 0.01, s_p99 IS NULL AND c_p99 IS NULL))
            THEN 'OK' ELSE 'MISMATCH' END,
       count(*) FILTER (WHERE s_p99 = c_p99) || ' of ' || count(*) || ' rows equal, largest relative difference '
       || coalesce(to_char(100 * max(p99_diff), 'FM0.000'), '-') || ' %'
FROM raw_cmp;
SELECT 'P99', 'raw', coalesce(max(p99_diff), 0), count(*) FILTER (WHERE s_p99 = c_p99), count(*) FROM raw_cmp;

-- Each shard holds exactly SINGLE's events of its platforms: (A) on the shard = SINGLE's
-- rows of those platforms, sketches included (same rows, same sketch).
SELECT 'CHECK', '(A) on the shards = SINGLE''s rows of their platforms (shard1 anthropic, shard2 openai, gemini, '''')',
       CASE WHEN count(*) = (SELECT count(*) FROM single_raw) AND count(*) > 0
                 AND bool_and(o.server = CASE WHEN s.platform = 'anthropic' THEN 'shard1' ELSE 'shard2' END
                              AND s.request_count = o.request_count AND s.error_5xx_count = o.error_5xx_count
                              AND s.p99_latency_ms IS NOT DISTINCT FROM o.p99_latency_ms)
            THEN 'OK' ELSE 'MISMATCH' END,
       string_agg(o.server || ' ' || quote_literal(coalesce(o.platform, s.platform)) || ' ' || coalesce(o.request_count, 0),
                  ', ' ORDER BY o.server, o.platform)
FROM single_raw AS s
FULL JOIN (SELECT * FROM bench.other_raw WHERE server LIKE 'shard%') AS o ON o.platform = s.platform;

\if :with_ops
CREATE TEMP VIEW ops_cmp AS
SELECT coalesce(s.platform, c.platform, '<total>') AS platform, s IS NULL AS s_missing, c IS NULL AS c_missing,
       (s.request_count, s.success_count, s.error_count, s.error_4xx_count, s.error_5xx_count, s.timeout_count,
        s.latency_sample_count)
       IS NOT DISTINCT FROM
       (c.request_count, c.success_count, c.error_count, c.error_4xx_count, c.error_5xx_count, c.timeout_count,
        c.latency_sample_count) AS counts_equal,
       s.request_count AS s_req, c.request_count AS c_req,
       coalesce(abs(c.avg_latency_ms - s.avg_latency_ms) <= 1e-9 * s.avg_latency_ms,
                s.avg_latency_ms IS NULL AND c.avg_latency_ms IS NULL) AS avg_ok,
       s.max_latency_ms IS NOT DISTINCT FROM c.max_latency_ms AS max_equal,
       abs(c.error_rate - s.error_rate) <= 1e-9 AS rate_ok,
       s.p99_latency_ms AS s_p99, c.p99_latency_ms AS c_p99,
       abs(c.p99_latency_ms - s.p99_latency_ms) / s.p99_latency_ms AS p99_diff,
       greatest(abs(c.p50_latency_ms - s.p50_latency_ms) / s.p50_latency_ms,
                abs(c.p90_latency_ms - s.p90_latency_ms) / s.p90_latency_ms,
                abs(c.p95_latency_ms - s.p95_latency_ms) / s.p95_latency_ms) AS p_other_diff,
       (s.p50_latency_ms, s.p90_latency_ms, s.p95_latency_ms, s.p99_latency_ms)
       IS NOT DISTINCT FROM (c.p50_latency_ms, c.p90_latency_ms, c.p95_latency_ms, c.p99_latency_ms) AS p_equal
FROM single_ops AS s
FULL JOIN (SELECT * FROM bench.other_ops WHERE server = 'coord') AS c
       ON coalesce(c.platform, '<total>') = coalesce(s.platform, '<total>');

SELECT 'CHECK', '(B) coordinator = SINGLE: request, success, error, 4xx, 5xx, timeout and sample counts, every row',
       CASE WHEN count(*) > 0 AND bool_and(counts_equal AND NOT s_missing AND NOT c_missing) THEN 'OK' ELSE 'MISMATCH' END,
       count(*) || ' rows (platforms and the total), ' || coalesce(max(c_req) FILTER (WHERE platform = '<total>'), 0)
       || ' events on the coordinator, ' || coalesce(max(s_req) FILTER (WHERE platform = '<total>'), 0) || ' on SINGLE'
FROM ops_cmp;
SELECT 'CHECK', '(B) coordinator = SINGLE: avg (to 1e-9), max, error_rate, every row',
       CASE WHEN count(*) > 0 AND bool_and(avg_ok AND max_equal AND rate_ok) THEN 'OK' ELSE 'MISMATCH' END,
       count(*) FILTER (WHERE avg_ok AND max_equal AND rate_ok) || ' of ' || count(*) || ' rows'
FROM ops_cmp;
SELECT 'CHECK', '(B) coordinator p50/p90/p95/p99 equal to SINGLE''s or within 1 %, every row',
       CASE WHEN count(*) > 0 AND bool_and(coalesce(greatest(p99_diff, p_other_diff) <= 0.01, s_p99 IS NULL AND c_p99 IS NULL))
            THEN 'OK' ELSE 'MISMATCH' END,
       count(*) FILTER (WHERE p_equal) || ' of ' || count(*) || ' rows equal in all four, largest relative difference '
       || coalesce(to_char(100 * max(greatest(p99_diff, p_other_diff)), 'FM0.000'), '-') || ' %'
FROM ops_cmp;
SELECT 'P99', 'ops', coalesce(max(p99_diff), 0), count(*) FILTER (WHERE s_p99 = c_p99), count(*) FROM ops_cmp;

-- (B) against (A) on SINGLE: the dashboard's rows and the raw aggregate agree (the rollups
-- hold the same sketches: p99 equal).
SELECT 'CHECK', '(B) = (A) on SINGLE: request and 5xx counts of every platform, p99 within 1 %',
       CASE WHEN count(*) > 0 AND bool_and(o.request_count = r.request_count AND o.error_5xx_count = r.error_5xx_count
                                           AND abs(o.p99_latency_ms - r.p99_latency_ms) <= 0.01 * r.p99_latency_ms)
            THEN 'OK' ELSE 'MISMATCH' END,
       count(*) FILTER (WHERE o.p99_latency_ms = r.p99_latency_ms) || ' of ' || count(*) || ' p99 equal'
FROM single_raw AS r
FULL JOIN (SELECT * FROM single_ops WHERE platform IS NOT NULL) AS o ON o.platform = r.platform;

-- The shards' own ops_metrics: their platform rows together are SINGLE's.
SELECT 'CHECK', '(B) on the shards = SINGLE''s rows of their platforms (counts)',
       CASE WHEN count(*) > 0 AND bool_and(o.request_count = s.request_count AND o.error_count = s.error_count
                                           AND o.latency_sample_count = s.latency_sample_count)
            THEN 'OK' ELSE 'MISMATCH' END,
       count(*) || ' rows'
FROM (SELECT * FROM single_ops WHERE platform IS NOT NULL) AS s
FULL JOIN (SELECT * FROM bench.other_ops WHERE server LIKE 'shard%' AND platform IS NOT NULL) AS o
       ON o.platform = s.platform;
\endif
