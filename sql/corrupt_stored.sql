-- A stored value whose bytes are inconsistent (corruption, or bytes that never went through
-- the input functions) is refused with XX001 (data_corrupted) by every function that reads it,
-- never read past its end. The values are forged with bytea's input function declared as
-- returning the type (LANGUAGE internal: superuser only, test only), then stored in a table.
SET TimeZone = 'UTC';
\set VERBOSITY sqlstate
CREATE FUNCTION pg_temp.forge_heartbeat_agg(cstring) RETURNS heartbeat_agg
    LANGUAGE internal IMMUTABLE STRICT AS 'byteain';
CREATE FUNCTION pg_temp.forge_latency_sketch(cstring) RETURNS latency_sketch
    LANGUAGE internal IMMUTABLE STRICT AS 'byteain';
CREATE FUNCTION pg_temp.stored_bytes(heartbeat_agg) RETURNS cstring
    LANGUAGE internal IMMUTABLE STRICT AS 'byteaout';
CREATE FUNCTION pg_temp.stored_bytes(latency_sketch) RETURNS cstring
    LANGUAGE internal IMMUTABLE STRICT AS 'byteaout';
CREATE FUNCTION pg_temp.stored(v heartbeat_agg) RETURNS bytea LANGUAGE sql AS $$
    SELECT decode(substr(pg_temp.stored_bytes(v)::text, 3), 'hex') $$;
CREATE FUNCTION pg_temp.stored(v latency_sketch) RETURNS bytea LANGUAGE sql AS $$
    SELECT decode(substr(pg_temp.stored_bytes(v)::text, 3), 'hex') $$;
-- Little-endian bytes of an integer, as stored on this (x86-64, little-endian) machine.
CREATE FUNCTION pg_temp.le(v bigint, width int) RETURNS bytea LANGUAGE sql AS $$
    SELECT string_agg(set_byte('\x00'::bytea, 0, ((v >> (8 * i)) & 255)::int), ''::bytea ORDER BY i)
    FROM generate_series(0, width - 1) AS i $$;
-- SQLSTATE of a query, or 'ok'.
CREATE FUNCTION pg_temp.state_of(query text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE query;
    RETURN 'ok';
EXCEPTION WHEN OTHERS THEN
    RETURN SQLSTATE;
END $$;

-- heartbeat_agg: stored layout (after the varlena header) is the version byte, 3 reserved
-- bytes, start_time, end_time, last_seen, interval_len, the range count (int64 each, from
-- byte 4), then the ranges.
CREATE TEMP TABLE hb_good AS
SELECT '(version:1,start_time:0,end_time:100,last_seen:50,interval_len:10,num_intervals:2,interval_starts:[5,50],interval_ends:[20,60])'::heartbeat_agg AS v;
SELECT length(pg_temp.stored(v)) AS stored_bytes, uptime(v) FROM hb_good;
CREATE TEMP TABLE hb_forged (name text, v heartbeat_agg);
INSERT INTO hb_forged
SELECT name, pg_temp.forge_heartbeat_agg(('\x' || encode(bytes, 'hex'))::cstring) FROM (
    SELECT b FROM (SELECT pg_temp.stored(v) AS b FROM hb_good) g
) g, LATERAL (VALUES
    ('genuine',           b),
    ('empty',             ''::bytea),
    ('header cut',        substr(b, 1, 30)),
    ('version 0',         set_byte(b, 0, 0)),
    ('version 2',         set_byte(b, 0, 2)),
    ('last range cut',    substr(b, 1, length(b) - 8)),
    ('one byte more',     b || '\x00'::bytea),
    ('count 3',           overlay(b placing pg_temp.le(3, 8) from 37)),
    ('count 1',           overlay(b placing pg_temp.le(1, 8) from 37)),
    ('count -1',          overlay(b placing pg_temp.le(-1, 8) from 37)),
    ('count 2^31',        overlay(b placing pg_temp.le(2147483648, 8) from 37)),
    ('count 2^63 - 1',    overlay(b placing pg_temp.le(9223372036854775807, 8) from 37)),
    ('count -2^63',       overlay(b placing pg_temp.le(-9223372036854775808, 8) from 37)),
    ('count 2^60 wraps',  overlay(b placing pg_temp.le(1152921504606846978, 8) from 37))
) AS f(name, bytes);
-- The genuine bytes read back as the value: the forging works.
SELECT name, v = (SELECT v FROM hb_good) AS equal FROM hb_forged WHERE name = 'genuine';
SELECT name,
       pg_temp.state_of(format('SELECT uptime(v) FROM hb_forged WHERE name = %L', name)) AS uptime,
       pg_temp.state_of(format('SELECT num_live_ranges(v) FROM hb_forged WHERE name = %L', name)) AS num_live_ranges,
       pg_temp.state_of(format('SELECT v::text FROM hb_forged WHERE name = %L', name)) AS text_out,
       pg_temp.state_of(format('SELECT heartbeat_agg_send(v) FROM hb_forged WHERE name = %L', name)) AS send,
       pg_temp.state_of(format('SELECT count(*) FROM hb_forged f, live_ranges(f.v) WHERE name = %L', name)) AS live_ranges,
       pg_temp.state_of(format('SELECT v = v FROM hb_forged WHERE name = %L', name)) AS equal,
       pg_temp.state_of(format('SELECT heartbeat_agg_hash(v) FROM hb_forged WHERE name = %L', name)) AS hash,
       pg_temp.state_of(format('SELECT rollup(v) FROM hb_forged WHERE name = %L', name)) AS rollup,
       pg_temp.state_of(format('SELECT trim_until(v, ''2000-01-01 00:00:00.00005+00'') FROM hb_forged WHERE name = %L', name)) AS trim_until
FROM hb_forged ORDER BY name;

-- latency_sketch: stored layout is the version byte, 3 reserved bytes, the bucket offset
-- (int32, byte 4), the bucket count (uint32, byte 8), accuracy, count, zero count, min, max,
-- the sum (from byte 12), then the counts as LEB128 varints.
CREATE TEMP TABLE sk_good AS SELECT latency_sketch(x) AS v FROM generate_series(1, 3) AS x;
SELECT length(pg_temp.stored(v)) AS stored_bytes, v::text FROM sk_good;
CREATE TEMP TABLE sk_forged (name text, v latency_sketch);
INSERT INTO sk_forged
SELECT name, pg_temp.forge_latency_sketch(('\x' || encode(bytes, 'hex'))::cstring) FROM (
    SELECT b FROM (SELECT pg_temp.stored(v) AS b FROM sk_good) g
) g, LATERAL (VALUES
    ('genuine',              b),
    ('empty',                ''::bytea),
    ('header cut',           substr(b, 1, 40)),
    ('version 0',            set_byte(b, 0, 0)),
    ('version 2',            set_byte(b, 0, 2)),
    ('bucket count 4097',    overlay(b placing pg_temp.le(4097, 4) from 9)),
    ('bucket count 2^31',    overlay(b placing pg_temp.le(2147483648, 4) from 9)),
    ('bucket count 2^32-1',  overlay(b placing pg_temp.le(4294967295, 4) from 9)),
    ('bucket count 57',      overlay(b placing pg_temp.le(57, 4) from 9)),
    ('varints cut',          substr(b, 1, length(b) - 1)),
    ('varints cut to none',  substr(b, 1, 68)),
    ('unterminated varint',  overlay(b placing '\xff'::bytea from length(b)))
) AS f(name, bytes);
SELECT name, v = (SELECT v FROM sk_good) AS equal FROM sk_forged WHERE name = 'genuine';
SELECT name,
       pg_temp.state_of(format('SELECT approx_percentile(0.5, v) FROM sk_forged WHERE name = %L', name)) AS percentile,
       pg_temp.state_of(format('SELECT num_vals(v) FROM sk_forged WHERE name = %L', name)) AS num_vals,
       pg_temp.state_of(format('SELECT error(v) FROM sk_forged WHERE name = %L', name)) AS error,
       pg_temp.state_of(format('SELECT v::text FROM sk_forged WHERE name = %L', name)) AS text_out,
       pg_temp.state_of(format('SELECT latency_sketch_send(v) FROM sk_forged WHERE name = %L', name)) AS send,
       pg_temp.state_of(format('SELECT v = v FROM sk_forged WHERE name = %L', name)) AS equal,
       pg_temp.state_of(format('SELECT latency_sketch_hash(v) FROM sk_forged WHERE name = %L', name)) AS hash,
       pg_temp.state_of(format('SELECT rollup(v) FROM sk_forged WHERE name = %L', name)) AS rollup
FROM sk_forged ORDER BY name;
