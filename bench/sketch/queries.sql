-- sketch benchmark: the timed queries (the harness is bench/harness.sql). Each computes
-- p50, p90, p99 and p99.9 of the latencies in `lat` (or of the hourly aggregates).
\ir ../harness.sql

INSERT INTO bench.query (name, sql, reps) VALUES
-- the cost of reading the values, for reference
('scan',       'SELECT count(v) FROM lat', 1),
-- opsagg: one sketch, four estimates from it
('sketch',     $q$SELECT approx_percentile(0.5, s) AS p50, approx_percentile(0.9, s) AS p90,
                         approx_percentile(0.99, s) AS p99, approx_percentile(0.999, s) AS p999
                  FROM (SELECT latency_sketch(v) AS s FROM lat) x$q$, 1),
-- exact, built in (ordered-set aggregates: they sort every value and never run in parallel)
('exact_disc', $q$SELECT percentile_disc(ARRAY[0.5, 0.9, 0.99, 0.999]) WITHIN GROUP (ORDER BY v) FROM lat$q$, 1),
('exact_cont', $q$SELECT percentile_cont(ARRAY[0.5, 0.9, 0.99, 0.999]) WITHIN GROUP (ORDER BY v) FROM lat$q$, 1),
-- the peer: the tdigest extension, compression 100
('tdigest',    $q$SELECT tdigest_percentile(v, 100, ARRAY[0.5, 0.9, 0.99, 0.999]) FROM lat$q$, 1),
-- dashboard: the same four percentiles over all the data from the 1000 stored hourly
-- aggregates (to compare with sketch and tdigest over the raw values)
('rollup',     $q$SELECT approx_percentile(0.5, s) AS p50, approx_percentile(0.9, s) AS p90,
                         approx_percentile(0.99, s) AS p99, approx_percentile(0.999, s) AS p999
                  FROM (SELECT rollup(s) AS s FROM hourly) x$q$, 5),
('tdigest_rollup', $q$SELECT tdigest_percentile(td, ARRAY[0.5, 0.9, 0.99, 0.999]) FROM hourly$q$, 5),
-- building the hourly table from the raw values (GROUP BY hour, 1000 groups)
('sketch_by_hour',  $q$SELECT hour, latency_sketch(v) AS s FROM lat GROUP BY hour$q$, 1),
('tdigest_by_hour', $q$SELECT hour, tdigest(v, 100) AS td FROM lat GROUP BY hour$q$, 1);
