-- latency_sketch text and binary forms: exact round trips, complete validation, SQLSTATE 22P02.
SELECT setseed(0.125);

-- The text, byte for byte, in and out; it is the sketch the aggregate builds.
SELECT '(version:1,accuracy:0.5,count:5,zero_count:0,min:2,max:20,sum_ns:[0,52000000],offset:1,counts:[1,2,2])'::latency_sketch::text
     = '(version:1,accuracy:0.5,count:5,zero_count:0,min:2,max:20,sum_ns:[0,52000000],offset:1,counts:[1,2,2])' AS exact,
       '(version:1,accuracy:0.5,count:5,zero_count:0,min:2,max:20,sum_ns:[0,52000000],offset:1,counts:[1,2,2])'::latency_sketch
     = (SELECT latency_sketch(v, 0.5) FROM (VALUES (2.0::float8), (5), (5), (20), (20)) t(v)) AS same_as_aggregate;
-- Whitespace between tokens is tolerated; the output is canonical.
SELECT ' ( version : 1 , accuracy : 0.5 , count : 5 , zero_count : 0 , min : 2 , max : 20 ,
  sum_ns : [ 0 , 52000000 ] , offset : 1 , counts : [ 1 , 2 , 2 ] ) '::latency_sketch;
-- A negative offset (values below 1 ms), zeros only, one value, and a 128-bit sum (20 x 1e12 ms
-- is 2e19 ns: 1 * 2^64 + 1553255926290448384).
SELECT latency_sketch(0.5::float8) AS half_ms, latency_sketch(0.0::float8) AS zero;
SELECT '(version:1,accuracy:0.01,count:1,zero_count:0,min:0.5,max:0.5,sum_ns:[0,500000],offset:-34,counts:[1])'::latency_sketch
     = latency_sketch(0.5::float8) AS negative_offset;
SELECT s, mean(s), num_vals(s) FROM (SELECT latency_sketch(1e12::float8) AS s FROM generate_series(1, 20)) x;
-- Counts beyond 32 bits, up to 2^64 - 1 values.
SELECT s, num_vals(s) FROM (VALUES
    ('(version:1,accuracy:0.01,count:10000000000,zero_count:0,min:1,max:1,sum_ns:[0,10000000000000000],offset:0,counts:[10000000000])'::latency_sketch),
    ('(version:1,accuracy:0.01,count:18446744073709551615,zero_count:18446744073709551615,min:0,max:0,sum_ns:[0,0],offset:0,counts:[])')) t(s);
-- The offset of a sketch without buckets is not kept (it is written as 0).
SELECT '(version:1,accuracy:0.01,count:1,zero_count:1,min:0,max:0,sum_ns:[0,0],offset:77,counts:[])'::latency_sketch;
-- Subnormal and extreme values are written in full and read back.
SELECT s, s::text::latency_sketch = s AS round_trip
FROM (SELECT (SELECT latency_sketch(w) FROM (VALUES (v)) t(w)) AS s
      FROM (VALUES ('5e-324'::float8), ('2.2250738585072014e-308'), (1e-300), (1e12)) t(v)) x;

-- Round trips of computed sketches: equal values, identical text.
CREATE TEMP TABLE v (name text, s latency_sketch);
INSERT INTO v
SELECT 'lognormal ' || a, latency_sketch(exp(2 + 1.2 * sqrt(-2 * ln(1 - u1)) * cos(2 * pi() * u2)), a)
FROM (SELECT random() AS u1, random() AS u2 FROM generate_series(1, 5000)) r,
     (VALUES (0.01::float8), (0.001), (0.0001), (0.05), (0.5)) acc(a) GROUP BY a;
INSERT INTO v SELECT 'with zeros', latency_sketch(CASE WHEN k % 4 = 0 THEN 0 ELSE k * 0.37 END) FROM generate_series(1, 999) k;
INSERT INTO v SELECT 'folded', latency_sketch(10 ^ (-9 + 21 * random()), 0.001) FROM generate_series(1, 3000);
INSERT INTO v SELECT 'zeros', latency_sketch(0.0::float8) FROM generate_series(1, 3);
INSERT INTO v SELECT 'one value', latency_sketch(123.456::float8);
INSERT INTO v SELECT 'huge sum', latency_sketch(1e12::float8) FROM generate_series(1, 100);
SELECT name, num_vals(s), s::text::latency_sketch = s AS round_trip, s::text::latency_sketch::text = s::text AS same_text,
       length(s::text) > 0 AS has_text
FROM v ORDER BY name;

-- Text output does not depend on extra_float_digits or DateStyle.
CREATE TEMP TABLE text_default AS SELECT name, s::text AS t FROM v;
SET extra_float_digits = -15;
SET DateStyle = 'German';
SELECT bool_and(v.s::text = d.t) AS same_at_minus_15 FROM v JOIN text_default d USING (name);
SET extra_float_digits = 3;
SELECT bool_and(v.s::text = d.t) AS same_at_3 FROM v JOIN text_default d USING (name);
SELECT latency_sketch(v, 0.01) FROM (VALUES (0.1::float8), (0.3)) t(v);
RESET extra_float_digits;
RESET DateStyle;
SELECT latency_sketch(v, 0.01) FROM (VALUES (0.1::float8), (0.3)) t(v);

-- Rejected text: each with 22P02 and a message naming the problem.
CREATE FUNCTION pg_temp.try_in(t text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    s latency_sketch;
BEGIN
    s := t::latency_sketch;
    RETURN 'accepted';
EXCEPTION WHEN OTHERS THEN
    RETURN SQLSTATE || ': ' || SQLERRM;
END $$;
-- The template: the sketch of {2, 5, 5, 20, 20} at accuracy 0.5, accepted.
SELECT pg_temp.try_in('(version:1,accuracy:0.5,count:5,zero_count:0,min:2,max:20,sum_ns:[0,52000000],offset:1,counts:[1,2,2])') AS valid;
SELECT pg_temp.try_in(t) FROM (VALUES
    (''), ('garbage'), ('()'), ('(version:1)'),
    -- wrong version
    ('(version:2,accuracy:0.5,count:5,zero_count:0,min:2,max:20,sum_ns:[0,52000000],offset:1,counts:[1,2,2])'),
    ('(version:0,accuracy:0.5,count:5,zero_count:0,min:2,max:20,sum_ns:[0,52000000],offset:1,counts:[1,2,2])'),
    -- fields missing, renamed or out of order
    ('(version:1,count:5,accuracy:0.5,zero_count:0,min:2,max:20,sum_ns:[0,52000000],offset:1,counts:[1,2,2])'),
    ('(version:1,accuracy:0.5,count:5,zeros:0,min:2,max:20,sum_ns:[0,52000000],offset:1,counts:[1,2,2])'),
    ('(version:1,accuracy:0.5,count:5,zero_count:0,min:2,max:20,sum_ns:52000000,offset:1,counts:[1,2,2])'),
    -- count does not match the buckets
    ('(version:1,accuracy:0.5,count:4,zero_count:0,min:2,max:20,sum_ns:[0,52000000],offset:1,counts:[1,2,2])'),
    ('(version:1,accuracy:0.5,count:6,zero_count:0,min:2,max:20,sum_ns:[0,52000000],offset:1,counts:[1,2,2])'),
    ('(version:1,accuracy:0.5,count:5,zero_count:1,min:2,max:20,sum_ns:[0,52000000],offset:1,counts:[1,2,2])'),
    -- empty first or last bucket
    ('(version:1,accuracy:0.5,count:5,zero_count:0,min:2,max:20,sum_ns:[0,52000000],offset:0,counts:[0,1,2,2])'),
    ('(version:1,accuracy:0.5,count:5,zero_count:0,min:2,max:20,sum_ns:[0,52000000],offset:1,counts:[1,2,2,0])'),
    -- bad accuracy
    ('(version:1,accuracy:0,count:5,zero_count:0,min:2,max:20,sum_ns:[0,52000000],offset:1,counts:[1,2,2])'),
    ('(version:1,accuracy:-0.5,count:5,zero_count:0,min:2,max:20,sum_ns:[0,52000000],offset:1,counts:[1,2,2])'),
    ('(version:1,accuracy:0.50001,count:5,zero_count:0,min:2,max:20,sum_ns:[0,52000000],offset:1,counts:[1,2,2])'),
    ('(version:1,accuracy:0.00009,count:5,zero_count:0,min:2,max:20,sum_ns:[0,52000000],offset:1,counts:[1,2,2])'),
    ('(version:1,accuracy:nan,count:5,zero_count:0,min:2,max:20,sum_ns:[0,52000000],offset:1,counts:[1,2,2])'),
    ('(version:1,accuracy:inf,count:5,zero_count:0,min:2,max:20,sum_ns:[0,52000000],offset:1,counts:[1,2,2])'),
    -- min > max, min or max out of range, not in their buckets
    ('(version:1,accuracy:0.5,count:5,zero_count:0,min:21,max:20,sum_ns:[0,52000000],offset:1,counts:[1,2,2])'),
    ('(version:1,accuracy:0.5,count:5,zero_count:0,min:-2,max:20,sum_ns:[0,52000000],offset:1,counts:[1,2,2])'),
    ('(version:1,accuracy:0.5,count:5,zero_count:0,min:2,max:30,sum_ns:[0,52000000],offset:1,counts:[1,2,2])'),
    ('(version:1,accuracy:0.5,count:5,zero_count:0,min:2,max:8,sum_ns:[0,52000000],offset:1,counts:[1,2,2])'),
    ('(version:1,accuracy:0.5,count:5,zero_count:0,min:4,max:20,sum_ns:[0,52000000],offset:1,counts:[1,2,2])'),
    ('(version:1,accuracy:0.5,count:1,zero_count:0,min:2e12,max:2e12,sum_ns:[0,2000000000000000000],offset:26,counts:[1])'),
    ('(version:1,accuracy:0.5,count:5,zero_count:0,min:2,max:1e400,sum_ns:[0,52000000],offset:1,counts:[1,2,2])'),
    -- zeros exactly when min = 0; max = 0 when every value is 0
    ('(version:1,accuracy:0.5,count:5,zero_count:0,min:0,max:20,sum_ns:[0,52000000],offset:1,counts:[1,2,2])'),
    ('(version:1,accuracy:0.5,count:6,zero_count:1,min:2,max:20,sum_ns:[0,52000000],offset:1,counts:[1,2,2])'),
    ('(version:1,accuracy:0.5,count:1,zero_count:1,min:0,max:1,sum_ns:[0,0],offset:0,counts:[])'),
    -- no values at all
    ('(version:1,accuracy:0.5,count:0,zero_count:0,min:0,max:0,sum_ns:[0,0],offset:0,counts:[])'),
    -- one value but min < max (found by fuzzing)
    ('(version:1,accuracy:0.01,count:1,zero_count:0,min:0.99,max:1,sum_ns:[0,1000000],offset:0,counts:[1])'),
    -- negative sum; negative or out-of-range counts; counts that overflow
    ('(version:1,accuracy:0.5,count:5,zero_count:0,min:2,max:20,sum_ns:[-1,52000000],offset:1,counts:[1,2,2])'),
    ('(version:1,accuracy:0.5,count:5,zero_count:0,min:2,max:20,sum_ns:[0,52000000],offset:1,counts:[1,-2,2])'),
    ('(version:1,accuracy:0.5,count:-5,zero_count:0,min:2,max:20,sum_ns:[0,52000000],offset:1,counts:[1,2,2])'),
    ('(version:1,accuracy:0.5,count:18446744073709551616,zero_count:0,min:2,max:20,sum_ns:[0,52000000],offset:1,counts:[1,2,2])'),
    ('(version:1,accuracy:0.5,count:3,zero_count:0,min:2,max:20,sum_ns:[0,52000000],offset:1,counts:[1,18446744073709551615,3])'),
    -- bucket indexes out of range
    ('(version:1,accuracy:0.5,count:1,zero_count:0,min:2,max:2,sum_ns:[0,2000000],offset:2147483647,counts:[1])'),
    ('(version:1,accuracy:0.5,count:1,zero_count:0,min:2,max:2,sum_ns:[0,2000000],offset:-2147483648,counts:[1])'),
    ('(version:1,accuracy:0.5,count:1,zero_count:0,min:2,max:2,sum_ns:[0,2000000],offset:2147483648,counts:[1])'),
    -- trailing or missing text
    ('(version:1,accuracy:0.5,count:5,zero_count:0,min:2,max:20,sum_ns:[0,52000000],offset:1,counts:[1,2,2]) x'),
    ('(version:1,accuracy:0.5,count:5,zero_count:0,min:2,max:20,sum_ns:[0,52000000],offset:1,counts:[1,2,2]),'),
    ('(version:1,accuracy:0.5,count:5,zero_count:0,min:2,max:20,sum_ns:[0,52000000],offset:1,counts:[1,2,2]'),
    ('(version:1,accuracy:0.5,count:5,zero_count:0,min:2,max:20,sum_ns:[0,52000000],offset:1,counts:[1,2,2,])'),
    ('(version:1,accuracy:0.5,count:5,zero_count:0,min:2,max:20,sum_ns:[0,52000000],offset:1,counts:[1,2 2])')
) t(t);
\set VERBOSITY sqlstate
SELECT '(version:2,accuracy:0.5,count:5,zero_count:0,min:2,max:20,sum_ns:[0,52000000],offset:1,counts:[1,2,2])'::latency_sketch;
SELECT '(version:1,accuracy:0.5,count:4,zero_count:0,min:2,max:20,sum_ns:[0,52000000],offset:1,counts:[1,2,2])'::latency_sketch;
\set VERBOSITY default

-- At most 4096 buckets at 1% (and at every accuracy from about 0.26%): one value in each of 4096
-- consecutive buckets (bucket -3000 to 1095, each value in the middle of its bucket) is
-- accepted; one bucket more is not.
CREATE TEMP TABLE full4096 AS
SELECT latency_sketch(exp((k - 0.5) * ln((1 + 0.01) / (1 - 0.01))), 0.01) AS s FROM generate_series(-3000, 1095) k;
SELECT num_vals(s), s::text LIKE '%,offset:-3000,counts:[' || repeat('1,', 4095) || '1])' AS buckets_4096,
       s::text::latency_sketch = s AS round_trip, latency_sketch_send(s)::text LIKE '%' || repeat('0000000000000001', 4096) AS send_4096
FROM full4096;
SELECT pg_temp.try_in(replace(replace(s::text, 'offset:-3000,counts:[', 'offset:-3001,counts:[1,'),
                              'count:4096,', 'count:4097,')) AS too_many_buckets
FROM full4096;
SELECT pg_temp.try_in('(version:1,accuracy:0.5,count:4097,zero_count:0,min:1,max:1,sum_ns:[0,0],offset:0,counts:['
                      || repeat('1,', 4096) || '1])') AS too_many_buckets;
-- Finer accuracies keep the buckets that cover a ratio of 1e9 between the smallest and the largest
-- non-zero value: 103,619 at 0.01% (accepted; one more is not), which no accuracy exceeds (the
-- text scanner stops there).
CREATE TEMP TABLE full_finest AS
SELECT latency_sketch(exp((k - 0.5) * ln((1 + 0.0001) / (1 - 0.0001))), 0.0001) AS s FROM generate_series(-50000, 53618) k;
SELECT num_vals(s), s::text LIKE '%,offset:-50000,counts:[' || repeat('1,', 103618) || '1])' AS buckets_103619,
       s::text::latency_sketch = s AS round_trip, latency_sketch_send(s) = latency_sketch_send(s::text::latency_sketch) AS send_stable
FROM full_finest;
SELECT pg_temp.try_in(replace(replace(s::text, 'offset:-50000,counts:[', 'offset:-50001,counts:[1,'),
                              'count:103619,', 'count:103620,')) AS too_many_buckets
FROM full_finest;
SELECT pg_temp.try_in('(version:1,accuracy:0.5,count:103620,zero_count:0,min:1,max:1,sum_ns:[0,0],offset:0,counts:['
                      || repeat('1,', 103619) || '1])') AS too_many_buckets;
-- A value stored before the limit depended on the accuracy (format 1, folded at 4096 buckets at
-- 0.01%: min lies below the first bucket, whose count holds it) still loads, and so does its
-- rollup with larger values.
CREATE TEMP TABLE legacy AS
SELECT (regexp_replace(regexp_replace(s::text, 'count:4096,', 'count:4097,'),
                       'min:[^,]*,(.*)sum_ns:\[0,(\d+)\],offset:1,counts:\[1,',
                       'min:1e-06,\1sum_ns:[0,' || (substring(s::text FROM 'sum_ns:\[0,(\d+)\]')::numeric + 1) || '],offset:1,counts:[2,'))::latency_sketch AS s
FROM (SELECT latency_sketch(exp((k - 0.5) * ln((1 + 0.0001) / (1 - 0.0001))), 0.0001) AS s FROM generate_series(1, 4096) k) x;
SELECT num_vals(s), min_val(s), s::text LIKE '%offset:1,counts:[2,1,%' AS folded_into_first,
       approx_percentile(0, s) AS p0, s::text::latency_sketch = s AS round_trip FROM legacy;
SELECT num_vals(r), r::text LIKE '%offset:1,counts:[2,1,%' AS still_folded, r::text::latency_sketch = r AS rollup_round_trip
FROM (SELECT rollup(s) AS r FROM (SELECT s FROM legacy UNION ALL SELECT latency_sketch(5.0::float8, 0.0001)) u) x;

-- Binary: COPY BINARY out and back in gives equal values. (Sketches of zeros only, which have
-- no buckets, are tested in sketch_edge.)
\getenv abs_srcdir PG_ABS_SRCDIR
\set copy_binary :abs_srcdir '/sql/include/copy_binary.sql'
\i :copy_binary
SELECT pg_temp.copy_out($$SELECT * FROM v WHERE name <> 'zeros' UNION ALL SELECT 'full4096', s FROM full4096$$, 'round_trip');
CREATE TEMP TABLE bin_dst (name text, s latency_sketch);
SELECT pg_temp.copy_in('bin_dst', 'round_trip');
SELECT count(*) AS rows, bool_and(d.s = v.s) AS all_equal, bool_and(d.s::text = v.s::text) AS same_text
FROM bin_dst d JOIN (SELECT * FROM v UNION ALL SELECT 'full4096', s FROM full4096) v USING (name);
SELECT bool_and(latency_sketch_send(s) = latency_sketch_send(s::text::latency_sketch)) AS send_stable FROM v;
-- The binary layout: version byte, accuracy, count, zero_count, min, max, sum (high, low),
-- offset, bucket count, then each count as int8.
SELECT latency_sketch_send(latency_sketch(v, 0.5))
     = '\x01'::bytea || float8send(0.5) || int8send(3) || int8send(1) || float8send(0) || float8send(2)
       || int8send(0) || int8send(3000000) || int4send(0) || int4send(2) || int8send(1) || int8send(1) AS layout
FROM (VALUES (0.0::float8), (1), (2)) t(v);

-- Forged binary: a COPY BINARY file with one field whose bytes we choose.
CREATE TEMP TABLE forged (s latency_sketch);
CREATE FUNCTION pg_temp.load_forged(field bytea) RETURNS text LANGUAGE sql AS $$
    SELECT pg_temp.load_forged_into('forged', field)
$$;
-- header(...) is the fixed part; a well-formed field is accepted (the harness works).
CREATE FUNCTION pg_temp.header(version int, accuracy float8, count int8, zero_count int8, min float8, max float8,
                               sum_high int8, sum_low int8, "offset" int4, bucket_count int4) RETURNS bytea LANGUAGE sql AS $$
    SELECT set_byte('\x00'::bytea, 0, version) || float8send(accuracy) || int8send(count) || int8send(zero_count)
        || float8send(min) || float8send(max) || int8send(sum_high) || int8send(sum_low) || int4send("offset") || int4send(bucket_count)
$$;
SELECT pg_temp.load_forged(latency_sketch_send(s)) FROM v WHERE name = 'folded';
SELECT pg_temp.load_forged(pg_temp.header(1, 0.5, 3, 1, 0, 2, 0, 3000000, 0, 2) || int8send(1) || int8send(1)) AS valid;
SELECT name, pg_temp.load_forged(b) FROM (VALUES
    ('empty', ''::bytea),
    ('version only', '\x01'::bytea),
    ('truncated header', substr(pg_temp.header(1, 0.5, 3, 1, 0, 2, 0, 3000000, 0, 2), 1, 64)),
    ('bad version', pg_temp.header(2, 0.5, 3, 1, 0, 2, 0, 3000000, 0, 2) || int8send(1) || int8send(1)),
    ('version 0', pg_temp.header(0, 0.5, 3, 1, 0, 2, 0, 3000000, 0, 2) || int8send(1) || int8send(1)),
    ('missing count', pg_temp.header(1, 0.5, 3, 1, 0, 2, 0, 3000000, 0, 2) || int8send(1)),
    ('trailing byte', pg_temp.header(1, 0.5, 3, 1, 0, 2, 0, 3000000, 0, 2) || int8send(1) || int8send(1) || '\x00'::bytea),
    ('extra count', pg_temp.header(1, 0.5, 3, 1, 0, 2, 0, 3000000, 0, 2) || int8send(1) || int8send(1) || int8send(0)),
    ('negative bucket count', pg_temp.header(1, 0.5, 3, 1, 0, 2, 0, 3000000, 0, -1) || int8send(1) || int8send(1)),
    ('huge bucket count', pg_temp.header(1, 0.5, 3, 1, 0, 2, 0, 3000000, 0, 536870912) || int8send(1) || int8send(1)),
    ('4097 buckets', pg_temp.header(1, 0.5, 4097, 0, 1, 1, 0, 0, 0, 4097) || decode(repeat('0000000000000001', 4097), 'hex')),
    ('count mismatch', pg_temp.header(1, 0.5, 4, 1, 0, 2, 0, 3000000, 0, 2) || int8send(1) || int8send(1)),
    ('zero_count mismatch', pg_temp.header(1, 0.5, 3, 0, 0, 2, 0, 3000000, 0, 2) || int8send(1) || int8send(1)),
    ('empty first bucket', pg_temp.header(1, 0.5, 3, 1, 0, 2, 0, 3000000, -1, 3) || int8send(0) || int8send(1) || int8send(1)),
    ('empty last bucket', pg_temp.header(1, 0.5, 3, 1, 0, 2, 0, 3000000, 0, 3) || int8send(1) || int8send(1) || int8send(0)),
    ('negative count', pg_temp.header(1, 0.5, 3, 1, 0, 2, 0, 3000000, 0, 2) || int8send(-1) || int8send(3)),
    ('counts overflow', pg_temp.header(1, 0.5, 1, 0, 1, 2, 0, 3000000, 0, 2) || int8send(-1) || int8send(2)),
    ('no values', pg_temp.header(1, 0.5, 0, 0, 1, 1, 0, 0, 0, 1) || int8send(0)),
    ('accuracy 0', pg_temp.header(1, 0, 3, 1, 0, 2, 0, 3000000, 0, 2) || int8send(1) || int8send(1)),
    ('accuracy 0.6', pg_temp.header(1, 0.6, 3, 1, 0, 2, 0, 3000000, 0, 2) || int8send(1) || int8send(1)),
    ('accuracy NaN', pg_temp.header(1, 'NaN', 3, 1, 0, 2, 0, 3000000, 0, 2) || int8send(1) || int8send(1)),
    ('min > max', pg_temp.header(1, 0.5, 2, 0, 2.5, 2, 0, 3000000, 1, 1) || int8send(2)),
    ('min NaN', pg_temp.header(1, 0.5, 3, 1, 'NaN', 2, 0, 3000000, 0, 2) || int8send(1) || int8send(1)),
    ('min negative', pg_temp.header(1, 0.5, 3, 1, -1, 2, 0, 3000000, 0, 2) || int8send(1) || int8send(1)),
    ('max infinite', pg_temp.header(1, 0.5, 3, 1, 0, 'Infinity', 0, 3000000, 0, 2) || int8send(1) || int8send(1)),
    ('max over 1e12', pg_temp.header(1, 0.5, 1, 0, 2e12, 2e12, 0, 0, 26, 1) || int8send(1)),
    ('max not in last bucket', pg_temp.header(1, 0.5, 3, 1, 0, 4, 0, 3000000, 0, 2) || int8send(1) || int8send(1)),
    ('min above first bucket', pg_temp.header(1, 0.5, 2, 0, 2, 2, 0, 3000000, 0, 2) || int8send(1) || int8send(1)),
    ('zeros but min > 0', pg_temp.header(1, 0.5, 3, 1, 1, 2, 0, 3000000, 0, 2) || int8send(1) || int8send(1)),
    ('negative sum', pg_temp.header(1, 0.5, 3, 1, 0, 2, -1, 3000000, 0, 2) || int8send(1) || int8send(1)),
    ('offset out of range', pg_temp.header(1, 0.5, 1, 0, 2, 2, 0, 2000000, 2147483647, 1) || int8send(1)),
    -- found by fuzzing: one value but min < max (approx_percentile(1, s) answered the min),
    -- and a sum no values between min and max can make
    ('count 1 but min < max', pg_temp.header(1, 0.01, 1, 0, 0.99, 1, 0, 1000000, 0, 1) || int8send(1)),
    ('sum below min + max', pg_temp.header(1, 0.5, 2, 0, 1, 2.5, 0, 2000000, 0, 2) || int8send(1) || int8send(1))
) t(name, b);
-- Nothing forged was stored: the two valid loads only.
SELECT count(*) FROM forged;

-- No COPY file is left behind.
SELECT pg_temp.remove_scratch_files() AS files_left;
