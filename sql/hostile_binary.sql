-- Forged binary input through COPY ... (FORMAT binary) into heartbeat_agg_recv (also through
-- the domain heartbeatagg) and latency_sketch_recv: cut at and around every field boundary,
-- extended by a byte,
-- every version, absurd and negative counts, inconsistent fields. Every forgery is refused
-- with 22P02 and nothing forged is stored; genuine messages load and equal their source.
SET TimeZone = 'UTC';
\getenv abs_srcdir PG_ABS_SRCDIR
\set copy_binary :abs_srcdir '/sql/include/copy_binary.sql'
\i :copy_binary
CREATE TEMP TABLE hb_in (v heartbeat_agg);
CREATE TEMP TABLE hb_domain_in (v heartbeatagg);
CREATE TEMP TABLE sk_in (v latency_sketch);
-- SQLSTATE of loading one forged field into each table ('accepted' if it loaded).
CREATE FUNCTION pg_temp.load(target regclass, field bytea) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
    RETURN split_part(pg_temp.load_forged_into(target, field), ':', 1);
END $$;

-- heartbeat_agg: version byte, start_time, end_time, last_seen, interval_len, range count
-- (int8 each), then each range's start and end (int8).
-- (PL/pgSQL with simple expressions: no plan, so no JIT compilation per case when JIT is forced.)
CREATE FUNCTION pg_temp.int8s(vals int8[]) RETURNS bytea LANGUAGE plpgsql AS $$
DECLARE
    bytes bytea := '';
    v int8;
BEGIN
    FOREACH v IN ARRAY vals LOOP
        bytes := bytes || int8send(v);
    END LOOP;
    RETURN bytes;
END $$;
CREATE FUNCTION pg_temp.hb(version int, start_time int8, end_time int8, last_seen int8, interval_len int8, count int8,
                           ranges int8[]) RETURNS bytea LANGUAGE plpgsql AS $$
BEGIN
    RETURN set_byte('\x00'::bytea, 0, version) || int8send(start_time) || int8send(end_time) || int8send(last_seen)
        || int8send(interval_len) || int8send(count) || pg_temp.int8s(ranges);
END $$;
CREATE TEMP TABLE hb_genuine AS
SELECT heartbeat_agg(h, '2025-01-01', '1 hour', '5 min') AS v
FROM (VALUES ('2025-01-01 00:10'::timestamptz), ('2025-01-01 00:30')) AS t(h);
CREATE TEMP TABLE hb_msg AS SELECT heartbeat_agg_send(v) AS m FROM hb_genuine;
SELECT length(m) AS message_bytes, pg_temp.load('hb_in', m) AS genuine, pg_temp.load('hb_domain_in', m) AS genuine_via_domain FROM hb_msg;
SELECT (SELECT v FROM hb_in) = v AS loaded_equal, (SELECT v FROM hb_domain_in) = v AS domain_loaded_equal FROM hb_genuine;
-- Cut at every field boundary and one byte either side of it, and one byte more.
SELECT count(*) AS cases, string_agg(DISTINCT state, ', ') AS states
FROM hb_msg, LATERAL (SELECT pg_temp.load('hb_in', substr(m, 1, n)) AS state
                      FROM (SELECT DISTINCT b + d AS n FROM unnest('{0,1,9,17,25,33,41,49,57,65}'::int[]) AS b,
                            unnest('{-1,0,1}'::int[]) AS d) AS cut
                      WHERE n >= 0 AND n < length(m)
                      UNION ALL SELECT pg_temp.load('hb_in', m || '\x00'::bytea)) AS s;
-- Versions other than 1.
SELECT count(*) AS versions, string_agg(DISTINCT pg_temp.load('hb_in', set_byte(m, 0, ver)), ', ') AS states
FROM hb_msg, unnest('{0,2,3,127,128,255}'::int[]) AS ver;
-- Counts that do not match the ranges that follow, and fields that contradict each other.
SELECT name, pg_temp.load('hb_in', msg) AS heartbeat_agg, pg_temp.load('hb_domain_in', msg) AS heartbeatagg
FROM (VALUES
    ('count 2^24 + 1, no ranges',  pg_temp.hb(1, 0, 100, 50, 10, 16777217, '{}')),
    ('count 2^31, one range',      pg_temp.hb(1, 0, 100, 50, 10, 2147483648, '{50,60}')),
    ('count 2^63 - 1',             pg_temp.hb(1, 0, 100, 50, 10, 9223372036854775807, '{50,60}')),
    ('count -2^63',                pg_temp.hb(1, 0, 100, 50, 10, -9223372036854775808, '{50,60}')),
    ('count -1',                   pg_temp.hb(1, 0, 100, 50, 10, -1, '{}')),
    ('count 2^60 + 1 (wraps x16)', pg_temp.hb(1, 0, 100, 50, 10, 1152921504606846977, '{50,60}')),
    ('count 0, one range after',   pg_temp.hb(1, 0, 100, 50, 10, 0, '{50,60}')),
    ('window empty',               pg_temp.hb(1, 100, 100, 50, 10, 0, '{}')),
    ('window inverted',            pg_temp.hb(1, 100, 0, 50, 10, 0, '{}')),
    ('window from -2^63',          pg_temp.hb(1, -9223372036854775808, 100, 50, 10, 0, '{}')),
    ('window to 2^63 - 1',         pg_temp.hb(1, 0, 9223372036854775807, 50, 10, 0, '{}')),
    ('liveness 0',                 pg_temp.hb(1, 0, 100, 50, 0, 0, '{}')),
    ('liveness -1',                pg_temp.hb(1, 0, 100, 50, -1, 0, '{}')),
    ('liveness -2^63',             pg_temp.hb(1, 0, 100, 50, -9223372036854775808, 0, '{}')),
    ('liveness longer than window',pg_temp.hb(1, 0, 100, 50, 100, 0, '{}')),
    ('range empty',                pg_temp.hb(1, 0, 100, 50, 10, 1, '{50,50}')),
    ('range inverted',             pg_temp.hb(1, 0, 100, 50, 10, 1, '{60,50}')),
    ('range before window',        pg_temp.hb(1, 0, 100, 50, 10, 1, '{-10,5}')),
    ('range past window',          pg_temp.hb(1, 0, 100, 50, 10, 1, '{95,105}')),
    ('ranges unsorted',            pg_temp.hb(1, 0, 100, 50, 10, 2, '{50,60,5,20}')),
    ('ranges overlapping',         pg_temp.hb(1, 0, 100, 50, 10, 2, '{5,20,10,30}')),
    ('ranges touching',            pg_temp.hb(1, 0, 100, 50, 10, 2, '{5,20,20,30}')),
    ('range -2^63 to 2^63 - 1',    pg_temp.hb(1, 0, 100, 50, 10, 1, '{-9223372036854775808,9223372036854775807}'))
) AS t(name, msg)
ORDER BY name;
-- Nothing forged was stored (the genuine row only).
SELECT (SELECT count(*) FROM hb_in) AS heartbeat_agg_rows, (SELECT count(*) FROM hb_domain_in) AS heartbeatagg_rows;

-- latency_sketch: version byte, accuracy, count, zero_count, min, max (float8/int8), sum_ns
-- high and low (int8), offset and bucket count (int4), then each bucket's count (int8).
CREATE FUNCTION pg_temp.sk(version int, accuracy float8, count int8, zero_count int8, min float8, max float8,
                           sum_high int8, sum_low int8, "offset" int4, bucket_count int4, counts int8[]) RETURNS bytea
LANGUAGE plpgsql AS $$
BEGIN
    RETURN set_byte('\x00'::bytea, 0, version) || float8send(accuracy) || int8send(count) || int8send(zero_count)
        || float8send(min) || float8send(max) || int8send(sum_high) || int8send(sum_low) || int4send("offset")
        || int4send(bucket_count) || pg_temp.int8s(counts);
END $$;
CREATE TEMP TABLE sk_genuine AS SELECT latency_sketch(v, 0.5) AS v FROM (VALUES (0.0::float8), (1), (2)) AS t(v);
CREATE TEMP TABLE sk_msg AS SELECT latency_sketch_send(v) AS m FROM sk_genuine;
-- The genuine message, and the same written by pg_temp.sk (so the cases below differ from a
-- valid message only where they say).
SELECT length(m) AS message_bytes, m = pg_temp.sk(1, 0.5, 3, 1, 0, 2, 0, 3000000, 0, 2, '{1,1}') AS sk_writes_it,
       pg_temp.load('sk_in', m) AS genuine FROM sk_msg;
SELECT (SELECT v FROM sk_in) = v AS loaded_equal FROM sk_genuine;
SELECT count(*) AS cases, string_agg(DISTINCT state, ', ') AS states
FROM sk_msg, LATERAL (SELECT pg_temp.load('sk_in', substr(m, 1, n)) AS state
                      FROM (SELECT DISTINCT b + d AS n FROM unnest('{0,1,9,17,25,33,41,49,57,61,65,73}'::int[]) AS b,
                            unnest('{-1,0,1}'::int[]) AS d) AS cut
                      WHERE n >= 0 AND n < length(m)
                      UNION ALL SELECT pg_temp.load('sk_in', m || '\x00'::bytea)) AS s;
SELECT count(*) AS versions, string_agg(DISTINCT pg_temp.load('sk_in', set_byte(m, 0, ver)), ', ') AS states
FROM sk_msg, unnest('{0,2,3,127,128,255}'::int[]) AS ver;
SELECT name, pg_temp.load('sk_in', msg) AS latency_sketch
FROM (VALUES
    ('bucket count 2^31 - 1',     pg_temp.sk(1, 0.5, 3, 1, 0, 2, 0, 3000000, 0, 2147483647, '{1,1}')),
    ('bucket count -1',           pg_temp.sk(1, 0.5, 3, 1, 0, 2, 0, 3000000, 0, -1, '{1,1}')),
    ('bucket count -2^31',        pg_temp.sk(1, 0.5, 3, 1, 0, 2, 0, 3000000, 0, -2147483648, '{1,1}')),
    ('bucket count 4097',         pg_temp.sk(1, 0.5, 3, 1, 0, 2, 0, 3000000, 0, 4097, '{1,1}')),
    ('bucket count 3, 2 follow',  pg_temp.sk(1, 0.5, 3, 1, 0, 2, 0, 3000000, 0, 3, '{1,1}')),
    ('count 2^63 (negative int8)',pg_temp.sk(1, 0.5, -9223372036854775808, 1, 0, 2, 0, 3000000, 0, 2, '{1,1}')),
    ('count -1 (2^64 - 1)',       pg_temp.sk(1, 0.5, -1, 1, 0, 2, 0, 3000000, 0, 2, '{1,1}')),
    ('count 0',                   pg_temp.sk(1, 0.5, 0, 0, 0, 0, 0, 0, 0, 0, '{}')),
    ('count not the sum',         pg_temp.sk(1, 0.5, 4, 1, 0, 2, 0, 3000000, 0, 2, '{1,1}')),
    ('bucket counts wrap 2^64',   pg_temp.sk(1, 0.5, 2, 0, 1, 2, 0, 3000000, 0, 2, '{-9223372036854775808,-9223372036854775806}')),
    ('bucket count 2^63',         pg_temp.sk(1, 0.5, -9223372036854775808, 0, 1, 1, 0, 1000000, 0, 1, '{-9223372036854775808}')),
    ('zero count above count',    pg_temp.sk(1, 0.5, 3, 4, 0, 2, 0, 3000000, 0, 2, '{1,1}')),
    ('first bucket empty',        pg_temp.sk(1, 0.5, 2, 1, 0, 2, 0, 2000000, 0, 2, '{0,1}')),
    ('last bucket empty',         pg_temp.sk(1, 0.5, 2, 1, 0, 2, 0, 1000000, 0, 2, '{1,0}')),
    ('accuracy NaN',              pg_temp.sk(1, 'NaN', 3, 1, 0, 2, 0, 3000000, 0, 2, '{1,1}')),
    ('accuracy 0',                pg_temp.sk(1, 0, 3, 1, 0, 2, 0, 3000000, 0, 2, '{1,1}')),
    ('accuracy 0.50000001',       pg_temp.sk(1, 0.50000001, 3, 1, 0, 2, 0, 3000000, 0, 2, '{1,1}')),
    ('accuracy -0.5',             pg_temp.sk(1, -0.5, 3, 1, 0, 2, 0, 3000000, 0, 2, '{1,1}')),
    ('min NaN',                   pg_temp.sk(1, 0.5, 3, 1, 'NaN', 2, 0, 3000000, 0, 2, '{1,1}')),
    ('min -0',                    pg_temp.sk(1, 0.5, 3, 1, '-0', 2, 0, 3000000, 0, 2, '{1,1}')),
    ('min -1',                    pg_temp.sk(1, 0.5, 3, 1, -1, 2, 0, 3000000, 0, 2, '{1,1}')),
    ('max Infinity',              pg_temp.sk(1, 0.5, 3, 1, 0, 'Infinity', 0, 3000000, 0, 2, '{1,1}')),
    ('max NaN',                   pg_temp.sk(1, 0.5, 3, 1, 0, 'NaN', 0, 3000000, 0, 2, '{1,1}')),
    ('max 1e13',                  pg_temp.sk(1, 0.5, 3, 1, 0, 1e13, 0, 3000000, 0, 2, '{1,1}')),
    ('max below min',             pg_temp.sk(1, 0.5, 3, 0, 2, 1, 0, 3000000, 0, 2, '{1,1}')),
    ('max not in last bucket',    pg_temp.sk(1, 0.5, 3, 1, 0, 200, 0, 3000000, 0, 2, '{1,1}')),
    ('offset 2^31 - 1',           pg_temp.sk(1, 0.5, 3, 1, 0, 2, 0, 3000000, 2147483647, 2, '{1,1}')),
    ('offset -2^31',              pg_temp.sk(1, 0.5, 3, 1, 0, 2, 0, 3000000, -2147483648, 2, '{1,1}')),
    ('sum negative',              pg_temp.sk(1, 0.5, 3, 1, 0, 2, -1, 3000000, 0, 2, '{1,1}')),
    ('sum above count * max',     pg_temp.sk(1, 0.5, 3, 1, 0, 2, 0, 6000001, 0, 2, '{1,1}')),
    ('sum 2^127 - 1',             pg_temp.sk(1, 0.5, 3, 1, 0, 2, 9223372036854775807, -1, 0, 2, '{1,1}'))
) AS t(name, msg)
ORDER BY name;
SELECT count(*) AS sketch_rows FROM sk_in;

-- No COPY file is left behind.
SELECT pg_temp.remove_scratch_files() AS files_left;
