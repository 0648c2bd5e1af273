-- The guarantee: for every q, |approx_percentile(q) - x| <= error * x, where x is the exact
-- nearest-rank percentile (percentile_disc); min and max (q = 0 and q = 1) exact, zeros exact.
-- Only booleans and rounded maxima are shown: the data come from random() with a fixed seed,
-- but exp/ln/cos may differ in their last bit between platforms.
SELECT setseed(0.25);

CREATE TEMP TABLE dist (name text, v float8);
-- Uniform on [1, 1000).
INSERT INTO dist SELECT 'uniform', 1 + random() * 999 FROM generate_series(1, 10000);
-- Log-normal, median e^3 = 20 ms (Box-Muller from two uniforms).
INSERT INTO dist
SELECT 'lognormal', exp(3 + 0.8 * sqrt(-2 * ln(1 - u1)) * cos(2 * pi() * u2))
FROM (SELECT random() AS u1, random() AS u2 FROM generate_series(1, 10000)) r;
-- Bimodal: 90% near 5 ms (cache hits), 10% near 300 ms (misses).
INSERT INTO dist
SELECT 'bimodal', CASE WHEN u3 < 0.9 THEN 5 + 0.5 * z ELSE 300 + 30 * z END
FROM (SELECT random() AS u3, sqrt(-2 * ln(1 - random())) * cos(2 * pi() * random()) AS z
      FROM generate_series(1, 10000)) r;
-- Constant.
INSERT INTO dist SELECT 'constant', 42.5 FROM generate_series(1, 1000);
-- Heavy tail: Pareto with alpha 1.5 and minimum 1 ms.
INSERT INTO dist SELECT 'pareto', 1 / (1 - random()) ^ (1 / 1.5) FROM generate_series(1, 10000);
-- A third of the values zero (answered from cache), the rest log-normal.
INSERT INTO dist
SELECT 'with_zeros', CASE WHEN u1 < 0.3 THEN 0 ELSE exp(1 + 0.5 * sqrt(-2 * ln(1 - u2)) * cos(2 * pi() * u3)) END
FROM (SELECT random() AS u1, random() AS u2, random() AS u3 FROM generate_series(1, 3000)) r;
-- Sub-millisecond (microseconds) and huge (days to years) values.
INSERT INTO dist SELECT 'microseconds', 0.0001 + random() * 0.05 FROM generate_series(1, 2000);
INSERT INTO dist SELECT 'huge', 1e9 + random() * (1e12 - 1e9) FROM generate_series(1, 2000);
-- Tiny inputs.
INSERT INTO dist VALUES ('tiny1', 7.3), ('tiny2', 0.5), ('tiny2', 900), ('tiny3', 3), ('tiny3', 0), ('tiny3', 1e3);
SELECT name, count(*), count(*) FILTER (WHERE v = 0) AS zeros, min(v) > 0 OR min(v) = 0 AS non_negative,
       max(v) <= 1e12 AS in_range, max(v) / min(v) FILTER (WHERE v > 0) < 3600 AS spans_less_than_4096_buckets_at_0001
FROM dist GROUP BY 1 ORDER BY 1;

CREATE FUNCTION pg_temp.bucket_count(s latency_sketch) RETURNS int LANGUAGE sql AS $$
    SELECT cardinality(string_to_array(substring(s::text FROM 'counts:\[([^]]*)\]'), ','))
$$;
CREATE TEMP TABLE qs AS SELECT '{0,0.01,0.1,0.25,0.5,0.75,0.9,0.95,0.99,0.999,1}'::float8[] AS q;

-- One sketch per data set and accuracy (0.01 by default), with the exact percentiles.
CREATE TEMP TABLE sketches AS
SELECT name, 0.01::float8 AS accuracy, latency_sketch(v) AS s,
       percentile_disc((SELECT q FROM qs)) WITHIN GROUP (ORDER BY v) AS exact
FROM dist GROUP BY 1
UNION ALL
SELECT name, a, latency_sketch(v, a), percentile_disc((SELECT q FROM qs)) WITHIN GROUP (ORDER BY v)
FROM dist, (VALUES (0.001::float8), (0.05)) acc(a) GROUP BY 1, 2;

-- Every q in (0, 0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99, 0.999, 1) within the bound.
-- (zeros_exact is blank for the data sets without zeros.)
SELECT name, accuracy, num_vals(s)::int AS n, error(s) = accuracy AS error_is_accuracy,
       pg_temp.bucket_count(s) < 4096 AS not_folded, c.*
FROM sketches, LATERAL (
    SELECT bool_and(abs(e - x) <= error(s) * x) AS within_bound,
           round(max(abs(e - x) / x) FILTER (WHERE x > 0)::numeric, 4) AS max_rel_err,
           bool_and(e = x) FILTER (WHERE ord IN (1, 11)) AS min_max_exact,
           bool_and(e = 0) FILTER (WHERE x = 0) AS zeros_exact
    FROM unnest((SELECT q FROM qs), exact) WITH ORDINALITY AS u(q, x, ord), LATERAL approx_percentile(q, s) AS e) c
ORDER BY name, accuracy;

-- approx_percentile_array gives the same estimates as approx_percentile.
SELECT bool_and(approx_percentile_array((SELECT q FROM qs), s)
                = ARRAY(SELECT approx_percentile(q, s) FROM unnest((SELECT q FROM qs)) WITH ORDINALITY AS u(q, o) ORDER BY o))
       AS array_same
FROM sketches;

-- Finer q: every percentile from 0 to 1 in steps of 0.001, on the larger data sets.
CREATE TEMP TABLE fine AS SELECT array_agg(k / 1000.0 ORDER BY k)::float8[] AS q FROM generate_series(0, 1000) k;
SELECT name, accuracy, c.*
FROM sketches
     JOIN (SELECT name, percentile_disc((SELECT q FROM fine)) WITHIN GROUP (ORDER BY v) AS fine_exact
           FROM dist WHERE name IN ('uniform', 'lognormal', 'bimodal', 'pareto', 'with_zeros') GROUP BY 1) p USING (name),
     LATERAL (
         SELECT count(*) AS qs, bool_and(abs(e - x) <= error(s) * x) AS within_bound,
                round(max(abs(e - x) / x) FILTER (WHERE x > 0)::numeric, 4) AS max_rel_err
         FROM unnest((SELECT q FROM fine), fine_exact) AS u(q, x), LATERAL approx_percentile(q, s) AS e) c
ORDER BY 1, 2;

-- Each single value: the median of {v/2, v, 2v} is the estimate of v's bucket, also at the
-- extreme accuracies 0.0001 and 0.5.
SELECT a, count(*) AS values, bool_and(abs(approx_percentile(0.5, s) - v) <= a * v) AS within_bound,
       round(max(abs(approx_percentile(0.5, s) - v) / v)::numeric, 4) AS max_rel_err
FROM (SELECT a, d.v, (SELECT latency_sketch(w, a) FROM (VALUES (d.v / 2), (d.v), (d.v * 2)) t(w)) AS s
      FROM dist d, (VALUES (0.01::float8), (0.001), (0.05), (0.0001), (0.5)) acc(a)
      WHERE d.name IN ('lognormal', 'microseconds', 'huge') AND d.v * 2 <= 1e12) x
GROUP BY a ORDER BY a;
