-- latency_sketch edge cases: values exactly on a bucket boundary, sketches of zeros only, -0.
-- Every sketch the aggregates build must come back from its text and binary forms (pg_dump,
-- COPY, binary clients), and a sketch must not depend on the order of its input.
SELECT setseed(0.875);

-- Values on a bucket boundary gamma^i (gamma = (1 + a) / (1 - a)): 243 = 3^5 at accuracy 0.5,
-- 2^-14 at 1/3 (gamma = 2), and values within a few ulps of gamma^i at 0.01 and 0.001.
CREATE TEMP TABLE boundary (a float8, v float8);
INSERT INTO boundary VALUES (0.5, 243), (0.5, 59049), (1 / 3.0, 2 ^ -14), (0.01, 0.0010075536511484767),
    (0.01, 0.0011135227056091183), (0.05, 271151.31978614361), (0.001, 0.01835228236471656);
CREATE FUNCTION pg_temp.text_round_trip(s latency_sketch) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
    RETURN (s::text::latency_sketch = s)::text;
EXCEPTION WHEN OTHERS THEN
    RETURN SQLSTATE;
END $$;
-- The value alone (it is then min and max), as max above a smaller value, and as min below a larger one.
SELECT a, v, pg_temp.text_round_trip((SELECT latency_sketch(w, a) FROM (VALUES (v)) t(w))) AS alone,
       pg_temp.text_round_trip((SELECT latency_sketch(w, a) FROM (VALUES (v / 1.5), (v)) t(w))) AS as_max,
       pg_temp.text_round_trip((SELECT latency_sketch(w, a) FROM (VALUES (v), (v * 1.5)) t(w))) AS as_min
FROM boundary ORDER BY a, v;
-- COPY BINARY (send/receive) of the same sketches.
CREATE TEMP TABLE boundary_sketches AS
SELECT a, v, (SELECT latency_sketch(w, a) FROM (VALUES (v)) t(w)) AS s FROM boundary;
\getenv abs_srcdir PG_ABS_SRCDIR
\set copy_binary :abs_srcdir '/sql/include/copy_binary.sql'
\i :copy_binary
CREATE FUNCTION pg_temp.binary_round_trip(s latency_sketch) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    back latency_sketch;
BEGIN
    CREATE TEMP TABLE one_sketch ON COMMIT DROP AS SELECT s;
    PERFORM pg_temp.copy_out('SELECT * FROM one_sketch', 'edge');
    DELETE FROM one_sketch;
    PERFORM pg_temp.copy_in('one_sketch', 'edge');
    SELECT o.s INTO back FROM one_sketch o;
    DROP TABLE one_sketch;
    RETURN (back = s)::text;
EXCEPTION WHEN OTHERS THEN
    RETURN SQLSTATE;
END $$;
SELECT a, v, pg_temp.binary_round_trip(s) AS binary FROM boundary_sketches ORDER BY a, v;

-- Sketches of zeros only have no buckets: they too come back through COPY BINARY.
SELECT pg_temp.binary_round_trip(latency_sketch(0.0::float8)) AS zeros_only,
       pg_temp.binary_round_trip(latency_sketch(v, 0.5)) AS zeros_only_05
FROM (VALUES (0.0::float8), (0)) t(v);
SELECT length(latency_sketch_send(latency_sketch(0.0::float8))) AS send_bytes;
-- A forged binary sketch of zeros only is accepted; with no values, or a max above 0, it is not (22P02).
CREATE TEMP TABLE forged (s latency_sketch);
CREATE FUNCTION pg_temp.load_forged(field bytea) RETURNS text LANGUAGE sql AS $$
    SELECT split_part(pg_temp.load_forged_into('forged', field), ':', 1)
$$;
SELECT pg_temp.load_forged('\x01'::bytea || float8send(0.5) || int8send(2) || int8send(2) || float8send(0) || float8send(0)
                           || int8send(0) || int8send(0) || int4send(0) || int4send(0)) AS zeros_only,
       pg_temp.load_forged('\x01'::bytea || float8send(0.5) || int8send(0) || int8send(0) || float8send(0) || float8send(0)
                           || int8send(0) || int8send(0) || int4send(0) || int4send(0)) AS no_values,
       pg_temp.load_forged('\x01'::bytea || float8send(0.5) || int8send(2) || int8send(2) || float8send(0) || float8send(1)
                           || int8send(0) || int8send(0) || int4send(0) || int4send(0)) AS max_above_zero;
SELECT count(*) AS loaded, bool_and(s = (SELECT latency_sketch(v, 0.5) FROM (VALUES (0.0::float8), (0)) t(v))) AS equal FROM forged;

-- -0 is a zero: the sketch (and its text) does not depend on whether -0 or 0 came first.
SELECT a = b AS equal, a::text = b::text AS same_text
FROM (SELECT latency_sketch(v ORDER BY o) AS a, latency_sketch(v ORDER BY o DESC) AS b
      FROM (VALUES ('-0'::float8, 1), (0, 2)) t(v, o)) x;
SELECT a::text = b::text AS same_text
FROM (SELECT latency_sketch(v ORDER BY o) AS a, latency_sketch(v ORDER BY o DESC) AS b
      FROM (VALUES ('-0'::float8, 1), (0, 2), (5, 3)) t(v, o)) x;

-- A sketch holding 2^64 - 1 values: the top rank is still the max, and a rollup that
-- would count more values than that is an error (22003), not a wrap-around.
\set huge '(version:1,accuracy:0.01,count:18446744073709551615,zero_count:0,min:1,max:1,sum_ns:[999999,18446744073708551616],offset:0,counts:[18446744073709551615])'
SELECT approx_percentile(1.0, :'huge'::latency_sketch) AS top, approx_percentile(0.5, :'huge'::latency_sketch) AS median;
\set VERBOSITY sqlstate
SELECT rollup(s) FROM (VALUES (:'huge'::latency_sketch), (:'huge'::latency_sketch)) v(s);
-- -0 is not a stored value (the aggregate stores 0).
SELECT '(version:1,accuracy:0.01,count:1,zero_count:1,min:-0,max:-0,sum_ns:[0,0],offset:0,counts:[])'::latency_sketch;
\set VERBOSITY default
-- Values 1e-300 and 1e12 at the finest accuracy span millions of buckets: the state keeps
-- at most 103,619 of them while aggregating (1e-300 is folded into the lowest), and the value
-- is 72 bytes of header and a byte per bucket.
SELECT g, pg_column_size(latency_sketch(v, 0.0001)) AS bytes,
       approx_percentile(1, latency_sketch(v, 0.0001)) AS top
FROM (VALUES (1e-300::float8), (1e12)) t(v), generate_series(1, 3) g GROUP BY g ORDER BY g;

-- No COPY file is left behind.
SELECT pg_temp.remove_scratch_files() AS files_left;
