-- rollup(latency_sketch): merging is exact (= the sketch over all the rows) whatever the order
-- and grouping, serially and in forced parallel plans.
SELECT setseed(0.5);

-- Three services, 48 hours, log-normal latencies with some zeros and NULLs.
CREATE TEMP TABLE req AS
SELECT svc, hr, CASE WHEN u1 < 0.02 THEN NULL WHEN u1 < 0.05 THEN 0
                     ELSE round((exp(svc + 0.9 * sqrt(-2 * ln(1 - u2)) * cos(2 * pi() * u3)))::numeric, 3)::float8 END AS v
FROM (SELECT svc, hr, random() AS u1, random() AS u2, random() AS u3
      FROM generate_series(1, 3) svc, generate_series(0, 47) hr, generate_series(1, 60) k) r;
SELECT count(*), count(v), count(*) FILTER (WHERE v = 0) AS zeros FROM req;

CREATE TEMP TABLE hourly AS SELECT svc, hr, latency_sketch(v) AS s FROM req GROUP BY 1, 2;
CREATE TEMP TABLE direct AS SELECT svc, latency_sketch(v) AS s FROM req GROUP BY 1;

-- Per service: the rollup of the hourly sketches is the sketch over the raw rows, also in text.
SELECT d.svc, r.s = d.s AS equal, r.s::text = d.s::text AS same_text, num_vals(d.s), min_val(d.s), max_val(d.s),
       round(mean(d.s)::numeric, 6) AS mean, round((d.s -> approx_percentile(0.99))::numeric, 3) AS p99
FROM direct d JOIN (SELECT svc, rollup(s) AS s FROM hourly GROUP BY 1) r USING (svc) ORDER BY 1;
-- The mean is the mean of the raw values (each rounded to 1 ns; these have 3 decimals), to
-- float8 precision.
SELECT svc, abs(mean(s)::numeric - (SELECT avg(v::numeric) FROM req r WHERE r.svc = d.svc)) < 1e-12 AS mean_right
FROM direct d ORDER BY 1;
-- The sum is kept exactly, so a rollup's mean has no accumulated rounding: 10^6 values of 0.1 ms
-- in 1000 sketches have the mean 0.1 exactly (a float8 sum of them does not).
SELECT mean(rollup(s)) AS mean, mean(rollup(s)) = 0.1 AS exact, num_vals(rollup(s)) AS n
FROM (SELECT latency_sketch(0.1::float8) AS s FROM generate_series(1, 1000) g, generate_series(1, 1000) k GROUP BY g) x;
SELECT sum(0.1::float8) = 100000 AS float_sum_exact FROM generate_series(1, 1000000);
-- The mean is the float8 nearest the exact mean of the values rounded to 1 ns, clamped to
-- [min, max]: 0.2 (not 0.19999999999999998) for 0.1, 0.2, 0.3, and 1e12 (not below min_val) for
-- 100,000 values of 1e12, also after a rollup.
SELECT mean(s) AS mean, mean(s) = 0.2 AS nearest FROM (SELECT latency_sketch(v) AS s FROM unnest('{0.1,0.2,0.3}'::float8[]) v) x;
SELECT mean(s) AS mean, mean(s) = min_val(s) AS equals_min, mean(rollup(s) OVER ()) = 1e12 AS rollup_mean
FROM (SELECT latency_sketch(1e12::float8) AS s FROM generate_series(1, 100000)) x;
-- Against numeric: values with 6 decimals are exact in nanoseconds; their numeric mean to 46
-- decimals, cast to float8 (correctly rounded), is the exact mean's nearest float8: a mean m of
-- at most 7 multiples of 1e-6 is either on a midpoint between two float8s or at least about
-- m * 1e-23 away from it, so rounding it to 46 decimals first cannot change the float8.
SELECT setseed(0.7);
SELECT count(*) AS groups, count(*) FILTER (WHERE mean(s) = exact) AS nearest
FROM (SELECT g, latency_sketch(v::float8) AS s,
             (sum(v) * 1.0000000000000000000000000000000000000000 / count(*))::float8 AS exact
      FROM (SELECT g, round((random() * 10 ^ (g % 7))::numeric, 6) AS v
            FROM generate_series(1, 2000) g, generate_series(1, 1 + g % 7) k) r
      GROUP BY g) x;

-- Whatever the input order or grouping: shuffled, reversed, and rolled up in two stages.
SELECT svc,
       (SELECT rollup(s ORDER BY md5(hr::text)) FROM hourly h WHERE h.svc = d.svc) = d.s AS shuffled,
       (SELECT rollup(s ORDER BY hr DESC) FROM hourly h WHERE h.svc = d.svc) = d.s AS reversed,
       (SELECT rollup(s) FROM (SELECT rollup(s ORDER BY md5(hr::text)) AS s FROM hourly h
                               WHERE h.svc = d.svc GROUP BY hr / 6) x) = d.s AS two_stage,
       (SELECT rollup(s ORDER BY md5(hr::text || 'x')) FROM (SELECT hr % 5 AS hr, latency_sketch(v) AS s FROM req r
                                                           WHERE r.svc = d.svc GROUP BY 1) x) = d.s AS other_grouping
FROM direct d ORDER BY 1;
-- All services, all hours: the same as latency_sketch over every row, and rollup of rollups.
SELECT (SELECT rollup(s ORDER BY md5(svc::text || hr::text)) FROM hourly) = (SELECT latency_sketch(v) FROM req) AS all_rows,
       (SELECT rollup(s) FROM direct) = (SELECT latency_sketch(v) FROM req) AS per_service,
       (SELECT rollup(s) FROM (SELECT rollup(s) AS s FROM hourly GROUP BY hr % 7) x)
           = (SELECT latency_sketch(v ORDER BY md5(v::text)) FROM req) AS two_stage_shuffled_rows;

-- Merging is exact at other accuracies and beyond 4096 buckets (folding depends only on the
-- largest value): values from 1e-6 to 1e9 ms (about 17,000 buckets at 0.001, so folded at 0.001
-- and 0.0001), grouped three ways, at four accuracies.
CREATE TEMP TABLE wide AS
SELECT k, 10 ^ (-6 + 15 * random()) AS v FROM generate_series(1, 5000) k;
SELECT a,
       bool_and(by_mod = whole) AS by_mod, bool_and(by_range = whole) AS by_range,
       bool_and(single = whole) AS row_by_row
FROM (VALUES (0.001::float8), (0.0001), (0.05), (0.5)) acc(a),
     LATERAL (SELECT latency_sketch(v, a) AS whole FROM wide) w,
     LATERAL (SELECT rollup(s ORDER BY md5(g::text)) AS by_mod FROM (SELECT k % 10 AS g, latency_sketch(v, a) AS s FROM wide GROUP BY 1) x) m,
     LATERAL (SELECT rollup(s ORDER BY g DESC) AS by_range FROM (SELECT k / 700 AS g, latency_sketch(v, a) AS s FROM wide GROUP BY 1) x) r,
     LATERAL (SELECT rollup(s ORDER BY md5(k::text)) AS single FROM (SELECT k, latency_sketch(v, a) AS s FROM wide GROUP BY 1) x) o
GROUP BY a ORDER BY a;
-- Small groups first or last: a group far below the others is folded when merged.
SELECT rollup(s ORDER BY o) = (SELECT latency_sketch(v, 0.001) FROM wide) AS low_first,
       rollup(s ORDER BY o DESC) = (SELECT latency_sketch(v, 0.001) FROM wide) AS low_last
FROM (SELECT v < 1 AS o, latency_sketch(v, 0.001) AS s FROM wide GROUP BY 1) x;

-- rollup of one sketch is that sketch; NULL inputs are skipped; nothing (or only NULLs) gives NULL.
SELECT rollup(s) = (SELECT s FROM direct WHERE svc = 1) AS one FROM direct WHERE svc = 1;
SELECT rollup(s) = (SELECT s FROM direct WHERE svc = 1) AS nulls_skipped
FROM (SELECT s FROM direct WHERE svc = 1 UNION ALL SELECT NULL UNION ALL SELECT NULL) x;
SELECT rollup(s) IS NULL AS no_rows FROM hourly WHERE false;
SELECT rollup(s) IS NULL AS only_nulls FROM (VALUES (NULL::latency_sketch), (NULL)) t(s);
-- A sketch of zeros only merges too.
SELECT rollup(s) = (SELECT latency_sketch(v) FROM (VALUES (0.0::float8), (0)) t(v)) AS zeros, num_vals(rollup(s))
FROM (VALUES ((SELECT latency_sketch(0.0::float8))), (NULL), ((SELECT latency_sketch(0.0::float8)))) t(s);
SELECT rollup(s) FROM (SELECT latency_sketch(v, 0.5) AS s FROM (VALUES (0.0::float8), (1)) t(v)
                       UNION ALL SELECT latency_sketch(v, 0.5) FROM (VALUES (0.0::float8), (2)) t(v)) x;
-- A zeros-only sketch first or last.
SELECT rollup(s ORDER BY o) = (SELECT latency_sketch(v) FROM (VALUES (0.0::float8), (1.5), (2.5)) t(v)) AS zeros_first,
       rollup(s ORDER BY o DESC) = (SELECT latency_sketch(v) FROM (VALUES (0.0::float8), (1.5), (2.5)) t(v)) AS zeros_last
FROM (SELECT 1 AS o, latency_sketch(0.0::float8) AS s
      UNION ALL SELECT 2, latency_sketch(v) FROM (VALUES (1.5::float8), (2.5)) t(v)) x;
-- rollup in a window.
SELECT hr, num_vals(rollup(s) OVER (ORDER BY hr)) = (SELECT count(v) FROM req r WHERE r.svc = 1 AND r.hr <= h.hr) AS running
FROM hourly h WHERE svc = 1 AND hr < 4 ORDER BY hr;

-- Different accuracies cannot be merged: 22023.
\set VERBOSITY sqlstate
SELECT rollup(s) FROM (SELECT latency_sketch(v) AS s FROM req UNION ALL SELECT latency_sketch(v, 0.02) FROM req) x;
SELECT rollup(s) FROM (SELECT latency_sketch(v, 0.05) AS s FROM req UNION ALL SELECT NULL
                       UNION ALL SELECT latency_sketch(0.0::float8)) x;
\set VERBOSITY default
SELECT rollup(s) FROM (SELECT latency_sketch(v) AS s FROM req UNION ALL SELECT latency_sketch(v, 0.02) FROM req) x;
\set VERBOSITY sqlstate

-- Forced parallel plans: Partial Aggregate in the plan, results equal to the serial plan.
-- Regular tables, so that parallel workers can read them.
CREATE TABLE sketch_preq AS
SELECT svc, hr, v FROM req, generate_series(1, 4) copy;
INSERT INTO sketch_preq SELECT 9, k % 48, v FROM wide;
ANALYZE sketch_preq;
CREATE TABLE sketch_serial AS SELECT svc, latency_sketch(v) AS s, latency_sketch(v, 0.001) AS s3 FROM sketch_preq GROUP BY 1;
CREATE TABLE sketch_serial_hourly AS SELECT svc, hr, latency_sketch(v) AS s FROM sketch_preq GROUP BY 1, 2;
ANALYZE sketch_serial_hourly;
CREATE TABLE sketch_serial_all AS SELECT latency_sketch(v) AS s FROM sketch_preq;

SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
SET force_parallel_mode = on;
-- The leader only gathers, so the workers' partial states are serialized, sent and combined.
SET parallel_leader_participation = off;

EXPLAIN (COSTS OFF) SELECT svc, latency_sketch(v), latency_sketch(v, 0.001) FROM sketch_preq GROUP BY 1;
SELECT p.svc, p.s = s.s AS equal_to_serial, p.s3 = s.s3 AS equal_to_serial_0001, num_vals(p.s)
FROM (SELECT svc, latency_sketch(v) AS s, latency_sketch(v, 0.001) AS s3 FROM sketch_preq GROUP BY 1) p
JOIN sketch_serial s USING (svc) ORDER BY 1;

-- Without GROUP BY: one state per worker, combined by the leader.
EXPLAIN (COSTS OFF) SELECT latency_sketch(v) FROM sketch_preq;
SELECT latency_sketch(v) = (SELECT s FROM sketch_serial_all) AS equal_to_serial FROM sketch_preq;
SELECT latency_sketch(v, 0.001) = (SELECT s3 FROM sketch_serial WHERE svc = 9) AS folded_equal_to_serial
FROM sketch_preq WHERE svc = 9;

-- rollup in parallel.
EXPLAIN (COSTS OFF) SELECT svc, rollup(s) FROM sketch_serial_hourly GROUP BY 1;
SELECT p.svc, p.s = s.s AS equal_to_serial
FROM (SELECT svc, rollup(s) AS s FROM sketch_serial_hourly GROUP BY 1) p JOIN sketch_serial s USING (svc) ORDER BY 1;
EXPLAIN (COSTS OFF) SELECT rollup(s) FROM sketch_serial_hourly;
SELECT rollup(s) = (SELECT s FROM sketch_serial_all) AS equal_to_serial FROM sketch_serial_hourly;

-- Errors raised in workers keep their SQLSTATE: an accuracy mismatch between rows.
SELECT latency_sketch(v, CASE WHEN hr < 24 THEN 0.01 ELSE 0.02 END) FROM sketch_preq;
SELECT latency_sketch(CASE WHEN hr = 47 AND svc = 9 THEN -1 ELSE v END) FROM sketch_preq;

RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;
RESET force_parallel_mode;
RESET parallel_leader_participation;
DROP TABLE sketch_preq, sketch_serial, sketch_serial_hourly, sketch_serial_all;
