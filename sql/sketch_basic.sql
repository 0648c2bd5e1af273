-- latency_sketch: the aggregates, the accessors and their pipeline forms, GROUP BY and window use.
-- Estimates are shown rounded (their last bits come from exp/log) and checked against
-- percentile_disc with booleans.

-- A sketch small enough to read: 0 has a bucket of its own; at accuracy 0.5 (gamma = 3)
-- 1 is in bucket 0 and 2 in bucket 1 = (3^0, 3^1].
SELECT latency_sketch(v, 0.5) FROM (VALUES (0.0::float8), (1), (2)) t(v);
-- At accuracy 0.5 the estimate of bucket i is 3^i / 2: 2 -> bucket 1 (1.5), 5 -> bucket 2 (4.5),
-- 20 -> bucket 3 (13.5). The lowest and highest ranks are the exact min and max.
CREATE TEMP TABLE small AS
SELECT latency_sketch(v, 0.5) AS s FROM (VALUES (2.0::float8), (5), (5), (20), (20), (NULL)) t(v);
SELECT s FROM small;
SELECT q, round(approx_percentile(q, s)::numeric, 6) AS estimate
FROM small, unnest('{0,0.2,0.21,0.4,0.5,0.6,0.61,0.8,0.81,1}'::float8[]) AS q ORDER BY q;
SELECT num_vals(s), mean(s), min_val(s), max_val(s), error(s) FROM small;

-- The default accuracy is 0.01, and it is the same sketch as asking for 0.01.
CREATE TEMP TABLE lat AS
SELECT i, CASE WHEN i % 10 = 0 THEN NULL ELSE i::float8 END AS v FROM generate_series(1, 110) AS i;
SELECT error(latency_sketch(v)), latency_sketch(v) = latency_sketch(v, 0.01) AS same_as_001,
       latency_sketch(v) = latency_sketch(v, 0.02) AS same_as_002
FROM lat;
-- NULL values are skipped: 99 values, mean of 1..110 without the multiples of 10.
SELECT num_vals(s), mean(s), min_val(s), max_val(s), error(s), s = (SELECT latency_sketch(v) FROM lat WHERE v IS NOT NULL) AS nulls_skipped
FROM (SELECT latency_sketch(v) AS s FROM lat) x;
-- Estimates within 1% of percentile_disc; the extremes exact.
SELECT q, percentile_disc(q) WITHIN GROUP (ORDER BY v) AS exact,
       round(approx_percentile(q, latency_sketch(v))::numeric, 4) AS estimate,
       abs(approx_percentile(q, latency_sketch(v)) - percentile_disc(q) WITHIN GROUP (ORDER BY v))
           <= 0.01 * percentile_disc(q) WITHIN GROUP (ORDER BY v) AS within_1pct
FROM lat, unnest('{0,0.01,0.1,0.25,0.5,0.75,0.9,0.99,1}'::float8[]) AS q GROUP BY q ORDER BY q;

-- Zero is a value like any other: counted, exact, and reported as exactly 0.
SELECT num_vals(s), min_val(s), max_val(s), mean(s), approx_percentile(0.5, s) AS p50,
       approx_percentile(0.6, s) AS p60, round(approx_percentile(0.61, s)::numeric, 4) AS p61
FROM (SELECT latency_sketch(CASE WHEN i <= 6 THEN 0 ELSE 7 END) AS s FROM generate_series(1, 10) i) z;
SELECT s, num_vals(s), mean(s), min_val(s), max_val(s), approx_percentile(0.5, s)
FROM (SELECT latency_sketch(0.0::float8) AS s) z;
SELECT latency_sketch(v) AS only_zeros FROM (VALUES (0.0::float8), (0), (NULL)) t(v);
-- One value: every percentile is that value.
SELECT approx_percentile_array('{0,0.3,0.5,0.99,1}', latency_sketch(42.125::float8)) AS one_value;

-- No rows, or only NULLs: NULL, and the (strict) accessors of NULL are NULL.
SELECT latency_sketch(v) IS NULL AS no_rows, latency_sketch(v, 0.05) IS NULL AS no_rows_acc
FROM lat WHERE false;
SELECT latency_sketch(v) IS NULL AS only_nulls, latency_sketch(v, 0.05) IS NULL AS only_nulls_acc
FROM (VALUES (NULL::float8), (NULL)) t(v);
-- A NULL accuracy on a row whose value is NULL is just a skipped row.
SELECT latency_sketch(v, a) IS NULL AS skipped FROM (VALUES (NULL::float8, NULL::float8)) t(v, a);
SELECT latency_sketch(v, a) = latency_sketch(v, 0.05) AS skipped
FROM (VALUES (3.0::float8, 0.05::float8), (NULL, NULL), (4, 0.05)) t(v, a);
SELECT approx_percentile(0.5, NULL::latency_sketch) IS NULL AS p, approx_percentile_array('{0.5}', NULL) IS NULL AS pa,
       num_vals(NULL) IS NULL AS n, mean(NULL) IS NULL AS m, min_val(NULL) IS NULL AS lo,
       max_val(NULL) IS NULL AS hi, error(NULL) IS NULL AS e, approx_percentile(NULL, s) IS NULL AS null_q,
       approx_percentile_array(NULL, s) IS NULL AS null_qs
FROM small;

-- approx_percentile_array: element by element as approx_percentile; NULL elements stay NULL;
-- an empty array gives an empty array; the lower bound is kept.
SELECT approx_percentile_array('{0,0.2,0.4,0.5,0.8,1}', s)
     = ARRAY[approx_percentile(0, s), approx_percentile(0.2, s), approx_percentile(0.4, s),
             approx_percentile(0.5, s), approx_percentile(0.8, s), approx_percentile(1, s)] AS same
FROM small;
SELECT approx_percentile_array('{NULL,1,NULL,0}', s) AS with_nulls, approx_percentile_array('{}', s) AS empty,
       approx_percentile_array('{NULL}', s) AS only_null, approx_percentile_array('[0:1]={0,1}', s) AS lower_bound_0
FROM small;

-- Pipeline forms equal the function forms.
SELECT s -> approx_percentile(0.5) = approx_percentile(0.5, s) AS p50,
       s -> approx_percentile(0.99) = approx_percentile(0.99, s) AS p99,
       s -> approx_percentile_array('{0.1,NULL,0.9}') IS NOT DISTINCT FROM approx_percentile_array('{0.1,NULL,0.9}', s) AS arr,
       s -> num_vals() = num_vals(s) AS n, s -> mean() = mean(s) AS m, s -> min_val() = min_val(s) AS lo,
       s -> max_val() = max_val(s) AS hi, s -> error() = error(s) AS e
FROM (SELECT latency_sketch(v) AS s FROM lat) x;
SELECT round((s -> approx_percentile(0.5))::numeric, 6) AS p50, s -> approx_percentile_array('{0,1}') AS ends, s -> num_vals() AS n,
       s -> mean() AS mean, s -> min_val() AS lo, s -> max_val() AS hi, s -> error() AS e
FROM small;
-- A NULL sketch on the left gives NULL.
SELECT (NULL::latency_sketch -> approx_percentile(0.5)) IS NULL AS null_sketch;

-- GROUP BY: one sketch per group.
SELECT i % 3 AS g, num_vals(latency_sketch(v)), min_val(latency_sketch(v)), max_val(latency_sketch(v)),
       mean(latency_sketch(v)), round((latency_sketch(v) -> approx_percentile(0.5))::numeric, 4) AS p50,
       percentile_disc(0.5) WITHIN GROUP (ORDER BY v) AS exact_p50
FROM lat GROUP BY 1 ORDER BY 1;
-- Each group's sketch equals the sketch of that group's rows alone.
SELECT bool_and(s = (SELECT latency_sketch(v) FROM lat l WHERE l.i % 3 = g.g)) AS groups_equal
FROM (SELECT i % 3 AS g, latency_sketch(v) AS s FROM lat GROUP BY 1) g;

-- Window use: a running sketch (the final function leaves the state usable), and a moving frame.
SELECT i, v, num_vals(s), min_val(s), max_val(s), round(approx_percentile(0.5, s)::numeric, 4) AS p50
FROM (SELECT i, v, latency_sketch(v) OVER (ORDER BY i) AS s FROM lat WHERE i <= 12) w ORDER BY i;
SELECT i, v, num_vals(s), min_val(s), max_val(s), mean(s)
FROM (SELECT i, v, latency_sketch(v, 0.05) OVER (ORDER BY i ROWS BETWEEN 2 PRECEDING AND CURRENT ROW) AS s
      FROM lat WHERE i <= 12) w ORDER BY i;
-- The running sketch at each row equals the sketch of the rows so far.
SELECT bool_and(s = (SELECT latency_sketch(v) FROM lat l WHERE l.i <= w.i)) AS running_equal
FROM (SELECT i, latency_sketch(v) OVER (ORDER BY i) AS s FROM lat) w WHERE s IS NOT NULL;
-- Window partitions, and a frame with no values yet.
SELECT i, i % 2 AS part, num_vals(s), max_val(s)
FROM (SELECT i, latency_sketch(NULLIF(v, 1)) OVER (PARTITION BY i % 2 ORDER BY i) AS s FROM lat WHERE i <= 6) w
ORDER BY i;
