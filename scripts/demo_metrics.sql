-- What an SRE asks of metric labels and request latencies, answered with opsagg's
-- labels_canonical and latency_sketch. Run by scripts/demo.sh after scripts/demo_metrics_data.sql;
-- needs CREATE EXTENSION opsagg.
--
-- Labels: one canonical form per label set, so a series table keyed on (metric_name, labels)
-- really deduplicates what differently written label sets mean the same series.
-- Latency: one latency_sketch per service per hour (small, kept with the hourly counts), merged
-- with rollup() into any longer period, and percentiles read off the merged sketch. Checked
-- against exact percentile_disc over the raw rows, and against averaging hourly p99s.

\set ON_ERROR_STOP 1
\set QUIET 1
SET client_min_messages = warning;
SET TimeZone = 'UTC';
SET DateStyle = 'ISO, YMD';
SET IntervalStyle = 'postgres';
\pset footer off
\pset null ''

DROP TABLE IF EXISTS metric_points, metric_series, latency_hourly;
DROP FUNCTION IF EXISTS series_id(text, jsonb);

-- =============================================================================================
-- labels

\echo
\echo '=== Metric labels: one series, four writers ==='
\echo 'The samples of http_requests_total for api-1, as each writer sent its labels, and their'
\echo 'canonical form: every value a string, empty and null labels dropped.'
SELECT DISTINCT ON (writer) writer,
       labels AS "labels (jsonb as received)",
       labels_canonical(labels) AS "labels_canonical(labels)"
FROM metric_samples
WHERE metric_name = 'http_requests_total' AND labels ->> 'host' = 'api-1'
ORDER BY writer, id;

\echo
\echo '=== How many series? (8 hosts x 2 metrics = 16) ==='
\echo 'jsonb equality already ignores key order and 8080 vs 8080.0, and sorting the keys with'
\echo 'jsonb_object_agg changes nothing; "8080" vs 8080 and empty or null labels remain.'
SELECT count(*) AS samples,
       count(DISTINCT (metric_name, labels::text)) AS "by labels::text",
       count(DISTINCT (metric_name, labels)) AS "by raw jsonb",
       count(DISTINCT (metric_name, (SELECT jsonb_object_agg(key, value ORDER BY key)
                                     FROM jsonb_each(labels)))) AS "by jsonb_object_agg sorted",
       count(DISTINCT (metric_name, labels_canonical(labels))) AS "by labels_canonical"
FROM metric_samples;

-- The README's worked example (section "labels_canonical"), as it is.
\ir ../sql/include/metric_series.sql

-- Ingest: every sample gets the id of its series, created on first sight (in arrival order).
CREATE TABLE metric_points AS
SELECT series_id(metric_name, labels) AS series, ts, value
FROM (SELECT * FROM metric_samples ORDER BY id OFFSET 0) AS s;

\echo
\echo '=== Series registered with series_id() into metric_series (README worked example) ==='
\echo 'Every sample was stored with the id of its series; each series was received in 4 spellings.'
SELECT s.id, s.metric_name, s.labels,
       (SELECT count(*) FROM metric_points p WHERE p.series = s.id) AS samples,
       (SELECT count(DISTINCT m.labels::text) FROM metric_samples m
        WHERE m.metric_name = s.metric_name AND labels_canonical(m.labels) = s.labels) AS spellings
FROM metric_series s
ORDER BY s.id;

\echo
\echo '=== One series: canonical text and fingerprint, the same for every writer ==='
SELECT DISTINCT ON (writer) writer,
       labels_canonical_text(labels) AS labels_canonical_text,
       labels_fingerprint(labels) AS labels_fingerprint,
       lpad(to_hex(labels_fingerprint(labels)), 16, '0') AS "fingerprint (hex)",
       series_id(metric_name, labels) AS series_id
FROM metric_samples
WHERE metric_name = 'http_requests_total' AND labels ->> 'host' = 'api-1'
ORDER BY writer, id;

-- =============================================================================================
-- latency

\echo
\echo '=== Hourly latency sketches ==='
\echo 'One latency_sketch(ms) per service and hour (relative accuracy 1 %), kept with the count.'
CREATE TABLE latency_hourly (
    service  text           NOT NULL,
    hour     timestamptz    NOT NULL,
    requests bigint         NOT NULL,
    sketch   latency_sketch NOT NULL,
    PRIMARY KEY (service, hour)
);
INSERT INTO latency_hourly (service, hour, requests, sketch)
SELECT service, date_trunc('hour', ts), count(*), latency_sketch(ms)
FROM requests
GROUP BY 1, 2;
ANALYZE latency_hourly;

SELECT service,
       count(*) AS hours,
       sum(requests) AS requests,
       round(avg(requests)) AS "requests/hour",
       round(avg(pg_column_size(sketch))) AS "avg sketch bytes",
       rollup(sketch) = (SELECT latency_sketch(r.ms) FROM requests r WHERE r.service = h.service)
           AS "rollup = direct"
FROM latency_hourly h
GROUP BY service
ORDER BY service;

\echo
\echo '=== Three-week p50 / p90 / p99: rollup(sketch) vs exact percentile_disc over the raw rows ==='
\echo 'The sketch guarantees a relative error of at most 1 %.'
WITH exact AS (
    SELECT coalesce(service, 'all') AS service,
           percentile_disc(ARRAY[0.5, 0.9, 0.99]) WITHIN GROUP (ORDER BY ms) AS v
    FROM requests
    GROUP BY ROLLUP (service)
), approx AS (
    SELECT coalesce(service, 'all') AS service,
           rollup(sketch) -> approx_percentile_array(ARRAY[0.5, 0.9, 0.99]) AS v
    FROM latency_hourly
    GROUP BY ROLLUP (service)
)
SELECT e.service,
       p.name AS percentile,
       round(e.v[p.i]::numeric, 1) AS "exact ms",
       round(a.v[p.i]::numeric, 1) AS "sketch ms",
       to_char(100 * (a.v[p.i] - e.v[p.i]) / e.v[p.i], 'S0.000') AS "error %"
FROM exact e
JOIN approx a USING (service)
CROSS JOIN (VALUES (1, 'p50'), (2, 'p90'), (3, 'p99')) AS p(i, name)
ORDER BY e.service = 'all', e.service, p.i;

\echo
\echo '=== The classic mistake: averaging hourly p99s ==='
\echo 'Hourly p99s, computed exactly from the raw rows, then averaged or maxed over three weeks,'
\echo 'against the true three-week p99. The average gives a quiet night hour the weight of a busy'
\echo 'afternoon hour, and the busy hours are the slow ones; the max is the worst hour.'
WITH hourly_p99 AS (
    SELECT service, date_trunc('hour', ts) AS hour,
           percentile_disc(0.99) WITHIN GROUP (ORDER BY ms) AS p99
    FROM requests
    GROUP BY 1, 2
), true_p99 AS (
    SELECT service, percentile_disc(0.99) WITHIN GROUP (ORDER BY ms) AS p99
    FROM requests
    GROUP BY service
), sketch_p99 AS (
    SELECT service, rollup(sketch) -> approx_percentile(0.99) AS p99
    FROM latency_hourly
    GROUP BY service
), wrong AS (
    SELECT t.service, t.p99, s.p99 AS sketch_p99, avg(h.p99) AS avg_p99, max(h.p99) AS max_p99
    FROM true_p99 t
    JOIN sketch_p99 s USING (service)
    JOIN hourly_p99 h USING (service)
    GROUP BY t.service, t.p99, s.p99
)
SELECT service,
       round(p99::numeric, 1) AS "true p99 ms",
       round(sketch_p99::numeric, 1) AS "rollup p99 ms",
       round(avg_p99::numeric, 1) AS "avg of hourly p99s",
       lpad(to_char(100 * (avg_p99 - p99) / p99, 'FMS99990') || ' %', 7) AS "off by",
       round(max_p99::numeric, 1) AS "max of hourly p99s",
       lpad(to_char(100 * (max_p99 - p99) / p99, 'FMS99990') || ' %', 7) AS "off by "
FROM wrong
ORDER BY service;

\echo
\echo '=== Dashboard: billing latency per day, from the hourly sketches ==='
\echo 'rollup() of the hourly sketches of each day; the exact p99 comes from the raw rows, to check.'
\echo 'The nightly invoice batch slowed billing down on 2026-10-16 from 23:00 UTC.'
WITH daily AS (
    SELECT date_trunc('day', hour)::date AS day,
           sum(requests) AS requests,
           rollup(sketch) AS sketch
    FROM latency_hourly
    WHERE service = 'billing'
    GROUP BY 1
), daily_exact AS (
    SELECT date_trunc('day', ts)::date AS day,
           percentile_disc(0.99) WITHIN GROUP (ORDER BY ms) AS p99
    FROM requests
    WHERE service = 'billing'
    GROUP BY 1
)
SELECT d.day,
       d.requests,
       round((d.sketch -> approx_percentile(0.5))::numeric, 1) AS "p50 ms",
       round((d.sketch -> approx_percentile(0.99))::numeric, 1) AS "p99 ms",
       round(x.p99::numeric, 1) AS "exact p99 ms",
       round((d.sketch -> max_val())::numeric, 1) AS "max ms"
FROM daily d
JOIN daily_exact x USING (day)
ORDER BY d.day;

\echo
\echo '=== Storage: raw request rows vs hourly sketches ==='
\echo 'The hourly table grows with services x hours, not with traffic: the size of a sketch depends'
\echo 'on the spread of the latencies, hardly on how many there are (last row: one sketch of all).'
SELECT t.name::text AS data, t.rows,
       pg_size_pretty(pg_total_relation_size(t.name)) AS size,
       round(pg_total_relation_size(t.name)::numeric / t.rows) AS "bytes/row"
FROM (VALUES ('requests'::regclass, (SELECT count(*) FROM requests)),
             ('latency_hourly'::regclass, (SELECT count(*) FROM latency_hourly))) AS t(name, rows)
UNION ALL
SELECT 'rollup(sketch) of latency_hourly', 1, pg_size_pretty(pg_column_size(rollup(sketch))::bigint),
       pg_column_size(rollup(sketch))
FROM latency_hourly;
