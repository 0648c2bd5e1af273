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
-- 'ok' or the SQLSTATE of each reader of a value. (Simple PL/pgSQL expressions where possible:
-- one query per case and reader would be JIT-compiled each when JIT is forced.)
CREATE FUNCTION pg_temp.read_heartbeat_agg(v heartbeat_agg) RETURNS text[] LANGUAGE plpgsql AS $$
DECLARE
    states text[] := '{}';
BEGIN
    FOR reader IN 1..9 LOOP
        BEGIN
            CASE reader
                WHEN 1 THEN PERFORM uptime(v);
                WHEN 2 THEN PERFORM num_live_ranges(v);
                WHEN 3 THEN PERFORM v::text;
                WHEN 4 THEN PERFORM heartbeat_agg_send(v);
                WHEN 5 THEN PERFORM count(*) FROM live_ranges(v);
                WHEN 6 THEN PERFORM v = v;
                WHEN 7 THEN PERFORM heartbeat_agg_hash(v);
                WHEN 8 THEN PERFORM rollup(x) FROM (SELECT v) AS t(x);
                WHEN 9 THEN PERFORM trim_until(v, '2000-01-01 00:00:00.00005+00');
            END CASE;
            states := states || 'ok'::text;
        EXCEPTION WHEN OTHERS THEN
            states := states || SQLSTATE::text;
        END;
    END LOOP;
    RETURN states;
END $$;
CREATE FUNCTION pg_temp.read_latency_sketch(v latency_sketch) RETURNS text[] LANGUAGE plpgsql AS $$
DECLARE
    states text[] := '{}';
BEGIN
    FOR reader IN 1..8 LOOP
        BEGIN
            CASE reader
                WHEN 1 THEN PERFORM approx_percentile(0.5, v);
                WHEN 2 THEN PERFORM num_vals(v);
                WHEN 3 THEN PERFORM error(v);
                WHEN 4 THEN PERFORM v::text;
                WHEN 5 THEN PERFORM latency_sketch_send(v);
                WHEN 6 THEN PERFORM v = v;
                WHEN 7 THEN PERFORM latency_sketch_hash(v);
                WHEN 8 THEN PERFORM rollup(x) FROM (SELECT v) AS t(x);
            END CASE;
            states := states || 'ok'::text;
        EXCEPTION WHEN OTHERS THEN
            states := states || SQLSTATE::text;
        END;
    END LOOP;
    RETURN states;
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
SELECT name, r[1] AS uptime, r[2] AS num_live_ranges, r[3] AS text_out, r[4] AS send, r[5] AS live_ranges,
       r[6] AS equal, r[7] AS hash, r[8] AS rollup, r[9] AS trim_until
FROM (SELECT name, pg_temp.read_heartbeat_agg(v) AS r FROM hb_forged) AS t ORDER BY name;

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
-- num_vals and error read only the header (a TOAST slice): they see a corrupt header, not
-- corrupt counts, which every reader of the counts reports.
SELECT name, r[1] AS percentile, r[2] AS num_vals, r[3] AS error, r[4] AS text_out, r[5] AS send,
       r[6] AS equal, r[7] AS hash, r[8] AS rollup
FROM (SELECT name, pg_temp.read_latency_sketch(v) AS r FROM sk_forged) AS t ORDER BY name;
