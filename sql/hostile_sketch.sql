-- Hostile floats into latency_sketch, and sketches at the accuracy limits. Each case is an
-- ERROR with its SQLSTATE or the correct answer.
\getenv abs_srcdir PG_ABS_SRCDIR
\set outcome :abs_srcdir '/sql/include/outcome.sql'
\i :outcome

-- Values: finite, 0 <= v <= 1e12 (-0 is 0); else 22003 (NaN: 22023). Shown: the sketch's count,
-- zero count, min and max, or the error.
SELECT name, pg_temp.outcome(format(
           'SELECT num_vals(s) || '' values, '' || substring(s::text FROM ''zero_count:[0-9]+'') || '', min '' || min_val(s) || '', max '' || max_val(s)
            FROM (SELECT latency_sketch(v) AS s FROM unnest(%L::float8[]) AS v) AS x', vals)) AS outcome
FROM (VALUES
    ('-0',                 '{-0}'),
    ('-0 and 0',           '{-0,0,5}'),
    ('1e12',               '{1e12}'),
    ('just above 1e12',    '{1000000000000.0002}'),
    ('1e308',              '{1e308}'),
    ('max float8',         '{1.7976931348623157e308}'),
    ('Infinity',           '{Infinity}'),
    ('-Infinity',          '{-Infinity}'),
    ('NaN',                '{NaN}'),
    ('NaN after values',   '{1,2,NaN}'),
    ('-1e-300',            '{-1e-300}'),
    ('smallest normal',    '{2.2250738585072014e-308}'),
    ('smallest subnormal', '{5e-324}'),
    ('subnormal and 1e12', '{5e-324,1e12}'),
    ('NULL only',          '{NULL}')
) AS t(name, vals)
ORDER BY name;

-- Values that span more than 4096 buckets fold the lowest ones: the guarantee still holds for
-- the top percentiles, and min and max are exact.
SELECT min_val(s) = 5e-324 AS min_exact, max_val(s) = 1e12 AS max_exact, num_vals(s) AS n,
       abs(approx_percentile(1, s) - 1e12) <= 0.01 * 1e12 AS p100_within,
       abs(approx_percentile(0.99, s) - 1e12) <= 0.01 * 1e12 AS p99_within
FROM (SELECT latency_sketch(v) AS s FROM (SELECT 5e-324::float8 UNION ALL SELECT 1e12 FROM generate_series(1, 200)) AS t(v)) AS x;

-- Accuracy: [0.0001, 0.5]; just outside, NaN, infinite, zero, -0 and negative are 22023;
-- NULL on a row with a value is 22004.
SELECT name, pg_temp.outcome(format(
           'SELECT error(latency_sketch(v, %s)) FROM generate_series(1, 10) AS v', accuracy)) AS outcome
FROM (VALUES
    ('0.0001',              '0.0001'),
    ('0.5',                 '0.5'),
    ('just below 0.0001',   '0.00009999999999999999'),
    ('next below 0.0001',   '0.00009999999999999998'),
    ('just above 0.5',      '0.5000000000000001'),
    ('0',                   '0'),
    ('-0',                  '''-0''::float8'),
    ('-0.01',               '-0.01'),
    ('1',                   '1'),
    ('NaN',                 '''NaN''::float8'),
    ('Infinity',            '''Infinity''::float8'),
    ('-Infinity',           '''-Infinity''::float8'),
    ('NULL',                'NULL')
) AS t(name, accuracy)
ORDER BY name;

-- At the limits the guarantee holds: |approx - exact| <= accuracy * exact for every percentile,
-- exact being the nearest-rank percentile. At 0.0001 the values span a ratio of 2 (about 3500
-- buckets, within the 4096 kept); at 0.5 they span 1 to 1e12.
CREATE TEMP TABLE limit_values AS
SELECT 0.0001::float8 AS accuracy, 1000 + g * 0.5 AS v FROM generate_series(0, 1999) AS g
UNION ALL SELECT 0.5, 10 ^ (g / 100.0) FROM generate_series(0, 1200) AS g;
SELECT accuracy, count(*) AS percentiles,
       bool_and(abs(approx - exact) <= accuracy * exact) AS guarantee_holds,
       bool_and(q NOT IN (0, 1) OR approx = exact) AS min_max_exact
FROM (
    SELECT l.accuracy, q, approx_percentile(q, s.sketch) AS approx,
           (SELECT percentile_disc(q) WITHIN GROUP (ORDER BY v) FROM limit_values x WHERE x.accuracy = l.accuracy) AS exact
    FROM (SELECT DISTINCT accuracy FROM limit_values) AS l
    JOIN LATERAL (SELECT latency_sketch(v, l.accuracy) AS sketch FROM limit_values x WHERE x.accuracy = l.accuracy) AS s ON true,
         generate_series(0, 100) AS p, LATERAL (SELECT p / 100.0::float8 AS q) AS qq
) AS r
GROUP BY accuracy ORDER BY accuracy;
-- Sketches of different accuracies do not merge (22023); the limits round-trip through text.
SELECT pg_temp.outcome($$SELECT rollup(s) FROM (SELECT latency_sketch(1, 0.0001) UNION ALL SELECT latency_sketch(1, 0.5)) AS t(s)$$) AS mixed_rollup;
SELECT bool_and(s::text::latency_sketch = s) AS round_trip
FROM (SELECT latency_sketch(v, accuracy) AS s FROM limit_values GROUP BY accuracy) AS t;

-- Percentiles: [0, 1] (-0 is 0); else 22023, NaN included.
SELECT name, pg_temp.outcome(format(
           'SELECT approx_percentile(%s, latency_sketch(v)) FROM generate_series(1, 100) AS v', q)) AS outcome
FROM (VALUES
    ('0', '0'), ('-0', '''-0''::float8'), ('1', '1'),
    ('just above 1', '1.0000000000000002'), ('just below 0', '-5e-324'),
    ('NaN', '''NaN''::float8'), ('Infinity', '''Infinity''::float8'), ('-Infinity', '''-Infinity''::float8')
) AS t(name, q)
ORDER BY name;
SELECT pg_temp.outcome($$SELECT approx_percentile_array('{0,NaN,1}', latency_sketch(v)) FROM generate_series(1, 100) AS v$$) AS array_with_nan,
       pg_temp.outcome($$SELECT approx_percentile_array('{-0,1}', latency_sketch(v)) FROM generate_series(1, 100) AS v$$) AS array_with_minus_zero,
       pg_temp.outcome($$SELECT approx_percentile_array('{}', latency_sketch(v)) FROM generate_series(1, 100) AS v$$) AS empty_array;

-- Counts near 2^64 through rollup: the total must not wrap (22003), and a forged count of
-- 2^63 and more in the text form is read as the unsigned count it is, or refused.
SELECT pg_temp.outcome($$SELECT num_vals('(version:1,accuracy:0.01,count:18446744073709551615,zero_count:18446744073709551615,min:0,max:0,sum_ns:[0,0],offset:0,counts:[])'::latency_sketch)$$) AS count_2_64_minus_1,
       pg_temp.outcome($$SELECT num_vals(rollup(s)) FROM (VALUES ('(version:1,accuracy:0.01,count:18446744073709551615,zero_count:18446744073709551615,min:0,max:0,sum_ns:[0,0],offset:0,counts:[])'::latency_sketch),
                                                               ('(version:1,accuracy:0.01,count:1,zero_count:1,min:0,max:0,sum_ns:[0,0],offset:0,counts:[])')) AS t(s)$$) AS rollup_past_2_64,
       pg_temp.outcome($$SELECT num_vals('(version:1,accuracy:0.01,count:18446744073709551616,zero_count:18446744073709551616,min:0,max:0,sum_ns:[0,0],offset:0,counts:[])'::latency_sketch)$$) AS count_2_64,
       pg_temp.outcome($$SELECT num_vals('(version:1,accuracy:0.01,count:-1,zero_count:-1,min:0,max:0,sum_ns:[0,0],offset:0,counts:[])'::latency_sketch)$$) AS count_minus_1;
