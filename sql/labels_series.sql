-- The README's worked example: a metric_series table that really deduplicates series.
\getenv abs_srcdir PG_ABS_SRCDIR
\set metric_series :abs_srcdir '/sql/include/metric_series.sql'
\i :metric_series

SELECT series_id('http_requests_total', '{"host":"a","port":8080,"path":"/"}') AS first,
       series_id('http_requests_total', '{"path":"/","port":"8080","host":"a"}') AS same_series,
       series_id('http_requests_total', '{"path":"/","port":8080.0,"host":"a","zone":""}') AS still_same,
       series_id('http_requests_total', '{"path":"/","port":8081,"host":"a"}') AS other_series,
       series_id('http_errors_total', '{"host":"a","port":8080,"path":"/"}') AS other_metric;
SELECT id, metric_name, labels FROM metric_series ORDER BY id;

-- Non-canonical labels cannot be written directly.
\set VERBOSITY sqlstate
INSERT INTO metric_series (metric_name, labels) VALUES ('http_requests_total', '{"port":8080}');
INSERT INTO metric_series (metric_name, labels) VALUES ('http_requests_total', '{"host":"a","port":"8080","path":"/"}');
\set VERBOSITY default
SELECT series_id('up', '["not","an","object"]');

DROP FUNCTION series_id(text, jsonb);
DROP TABLE metric_series;
