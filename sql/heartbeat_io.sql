-- Text and binary forms: exact round trips, complete validation, SQLSTATE 22P02.
SET TimeZone = 'UTC';
SET DateStyle = 'ISO, YMD';
SET IntervalStyle = 'postgres';

-- The toolkit's text, byte for byte, in and out.
SELECT '(version:1,start_time:631152000000000,end_time:631153800000000,last_seen:631153020000000,interval_len:300000000,num_intervals:3,interval_starts:[631152140000000,631152600000000,631153020000000],interval_ends:[631152440000000,631152900000000,631153320000000])'::heartbeat_agg::text
     = '(version:1,start_time:631152000000000,end_time:631153800000000,last_seen:631153020000000,interval_len:300000000,num_intervals:3,interval_starts:[631152140000000,631152600000000,631153020000000],interval_ends:[631152440000000,631152900000000,631153320000000])' AS exact;
-- Whitespace between tokens is tolerated.
SELECT ' ( version : 1 , start_time : 0 , end_time : 100 , last_seen : 50 , interval_len : 10 ,
  num_intervals : 2 , interval_starts : [ 5 , 50 ] , interval_ends : [ 20 , 60 ] ) '::heartbeat_agg;
-- No ranges; negative instants.
SELECT '(version:1,start_time:-100,end_time:100,last_seen:-200,interval_len:10,num_intervals:0,interval_starts:[],interval_ends:[])'::heartbeat_agg;
-- Text output does not depend on TimeZone, DateStyle or IntervalStyle.
CREATE TEMP TABLE v AS SELECT heartbeat_agg(t, '2022-01-01', '1 day', '5 minutes') AS agg
FROM generate_series('2022-01-01'::timestamptz, '2022-01-01 20:00', '7 minutes') AS t;
SET TimeZone = 'America/New_York';
SET DateStyle = 'German';
SET IntervalStyle = 'sql_standard';
SELECT md5(agg::text) FROM v;
SELECT agg::text::heartbeat_agg = agg AS round_trip FROM v;
RESET TimeZone;
RESET DateStyle;
RESET IntervalStyle;
SET TimeZone = 'UTC';
SELECT md5(agg::text) FROM v;

-- Rejected text: each with 22P02 and a message naming the problem.
\set VERBOSITY default
\set ON_ERROR_STOP 0
SELECT ''::heartbeat_agg;
SELECT 'garbage'::heartbeat_agg;
SELECT '(version:2,start_time:0,end_time:100,last_seen:50,interval_len:10,num_intervals:0,interval_starts:[],interval_ends:[])'::heartbeat_agg;
SELECT '(version:1,end_time:100,start_time:0,last_seen:50,interval_len:10,num_intervals:0,interval_starts:[],interval_ends:[])'::heartbeat_agg;
SELECT '(version:1,start_time:0,end_time:100,last_seen:50,interval_len:10,num_intervals:1,interval_starts:[],interval_ends:[])'::heartbeat_agg;
SELECT '(version:1,start_time:0,end_time:100,last_seen:50,interval_len:10,num_intervals:1,interval_starts:[5,6],interval_ends:[20])'::heartbeat_agg;
SELECT '(version:1,start_time:0,end_time:100,last_seen:50,interval_len:10,num_intervals:1,interval_starts:[5],interval_ends:[20,30])'::heartbeat_agg;
SELECT '(version:1,start_time:0,end_time:100,last_seen:50,interval_len:10,num_intervals:-1,interval_starts:[],interval_ends:[])'::heartbeat_agg;
SELECT '(version:1,start_time:0,end_time:100,last_seen:50,interval_len:10,num_intervals:99999999999,interval_starts:[],interval_ends:[])'::heartbeat_agg;
SELECT '(version:1,start_time:9223372036854775808,end_time:100,last_seen:50,interval_len:10,num_intervals:0,interval_starts:[],interval_ends:[])'::heartbeat_agg;
SELECT '(version:1,start_time:0,end_time:100,last_seen:50,interval_len:10,num_intervals:0,interval_starts:[],interval_ends:[]) x'::heartbeat_agg;
SELECT '(version:1,start_time:0,end_time:100,last_seen:50,interval_len:10,num_intervals:0,interval_starts:[],interval_ends:[]'::heartbeat_agg;
SELECT '(version:1,start_time:0,end_time:100,last_seen:50,interval_len:0,num_intervals:0,interval_starts:[],interval_ends:[])'::heartbeat_agg;
SELECT '(version:1,start_time:0,end_time:100,last_seen:50,interval_len:-10,num_intervals:0,interval_starts:[],interval_ends:[])'::heartbeat_agg;
SELECT '(version:1,start_time:100,end_time:100,last_seen:50,interval_len:10,num_intervals:0,interval_starts:[],interval_ends:[])'::heartbeat_agg;
SELECT '(version:1,start_time:0,end_time:9223372036854775807,last_seen:50,interval_len:10,num_intervals:0,interval_starts:[],interval_ends:[])'::heartbeat_agg;
SELECT '(version:1,start_time:0,end_time:100,last_seen:50,interval_len:10,num_intervals:1,interval_starts:[20],interval_ends:[20])'::heartbeat_agg;
SELECT '(version:1,start_time:0,end_time:100,last_seen:50,interval_len:10,num_intervals:1,interval_starts:[30],interval_ends:[20])'::heartbeat_agg;
SELECT '(version:1,start_time:0,end_time:100,last_seen:50,interval_len:10,num_intervals:2,interval_starts:[5,15],interval_ends:[20,30])'::heartbeat_agg;
SELECT '(version:1,start_time:0,end_time:100,last_seen:50,interval_len:10,num_intervals:2,interval_starts:[5,20],interval_ends:[20,30])'::heartbeat_agg;
SELECT '(version:1,start_time:10,end_time:100,last_seen:50,interval_len:10,num_intervals:1,interval_starts:[5],interval_ends:[20])'::heartbeat_agg;
SELECT '(version:1,start_time:0,end_time:100,last_seen:50,interval_len:10,num_intervals:1,interval_starts:[95],interval_ends:[105])'::heartbeat_agg;
SELECT '(version:1,start_time:0,end_time:100,last_seen:95,interval_len:10,num_intervals:1,interval_starts:[5],interval_ends:[20])'::heartbeat_agg;
SELECT '(version:1,start_time:0,end_time:100,last_seen:9000,interval_len:10,num_intervals:1,interval_starts:[90],interval_ends:[100])'::heartbeat_agg;
SELECT '(version:1,start_time:0,end_time:100,last_seen:-9223372036854775808,interval_len:10,num_intervals:1,interval_starts:[5],interval_ends:[20])'::heartbeat_agg;
SELECT '(version:1,start_time:0,end_time:9100000000000000000,last_seen:0,interval_len:9011558548854775809,num_intervals:1,interval_starts:[0],interval_ends:[10])'::heartbeat_agg;
-- The bounds themselves are values trim_to makes: last_seen = end_time, kMinInstant - interval_len.
SELECT '(version:1,start_time:0,end_time:100,last_seen:100,interval_len:10,num_intervals:1,interval_starts:[90],interval_ends:[100])'::heartbeat_agg;
SELECT '(version:1,start_time:0,end_time:100,last_seen:-211813488000000010,interval_len:10,num_intervals:0,interval_starts:[],interval_ends:[])'::heartbeat_agg;
\set VERBOSITY sqlstate
SELECT '(version:1,start_time:0,end_time:100,last_seen:50,interval_len:10,num_intervals:1,interval_starts:[30],interval_ends:[20])'::heartbeat_agg;
SELECT '(version:1,start_time:0,end_time:100,last_seen:50,interval_len:10,num_intervals:1,interval_starts:[5,6],interval_ends:[20])'::heartbeat_agg;
\set VERBOSITY default
\set ON_ERROR_STOP 1

-- Binary: COPY BINARY out and back in gives equal values.
CREATE TEMP TABLE bin_src AS SELECT agg FROM v
    UNION ALL SELECT '(version:1,start_time:-100,end_time:100,last_seen:-200,interval_len:10,num_intervals:0,interval_starts:[],interval_ends:[])'::heartbeat_agg;
CREATE TEMP TABLE bin_dst (agg heartbeat_agg);
\getenv abs_srcdir PG_ABS_SRCDIR
\set copy_binary :abs_srcdir '/sql/include/copy_binary.sql'
\i :copy_binary
SELECT pg_temp.copy_out('SELECT * FROM bin_src', 'round_trip');
SELECT pg_temp.copy_in('bin_dst', 'round_trip');
SELECT count(*) AS rows, bool_and(EXISTS (SELECT 1 FROM bin_src s WHERE s.agg = d.agg)) AS all_equal FROM bin_dst d;
SELECT heartbeat_agg_send(agg) = heartbeat_agg_send(agg::text::heartbeat_agg) AS send_stable FROM v;

-- Forged binary: a COPY BINARY file with one field whose bytes we choose.
CREATE FUNCTION pg_temp.load_forged(field bytea) RETURNS text LANGUAGE sql AS $$
    SELECT pg_temp.load_forged_into('bin_dst', field)
$$;
-- A well-formed field is accepted (the harness works), then forgeries are rejected.
SELECT pg_temp.load_forged(heartbeat_agg_send(agg)) FROM v;
SELECT pg_temp.load_forged('\x01'::bytea || int8send(0) || int8send(100) || int8send(50) || int8send(10) || int8send(1) || int8send(5) || int8send(20)) AS valid;
SELECT pg_temp.load_forged(''::bytea) AS empty;
SELECT pg_temp.load_forged('\x02'::bytea || int8send(0) || int8send(100) || int8send(50) || int8send(10) || int8send(0)) AS bad_version;
SELECT pg_temp.load_forged('\x01'::bytea || int8send(0) || int8send(100) || int8send(50) || int8send(10)) AS truncated_header;
SELECT pg_temp.load_forged('\x01'::bytea || int8send(0) || int8send(100) || int8send(50) || int8send(10) || int8send(2) || int8send(5) || int8send(20)) AS count_too_large;
SELECT pg_temp.load_forged('\x01'::bytea || int8send(0) || int8send(100) || int8send(50) || int8send(10) || int8send(-1)) AS negative_count;
SELECT pg_temp.load_forged('\x01'::bytea || int8send(0) || int8send(100) || int8send(50) || int8send(10) || int8send(4611686018427387904)) AS huge_count;
SELECT pg_temp.load_forged('\x01'::bytea || int8send(0) || int8send(100) || int8send(50) || int8send(10) || int8send(0) || '\x00'::bytea) AS trailing_byte;
SELECT pg_temp.load_forged('\x01'::bytea || int8send(0) || int8send(100) || int8send(50) || int8send(10) || int8send(1) || int8send(30) || int8send(20)) AS inverted;
SELECT pg_temp.load_forged('\x01'::bytea || int8send(0) || int8send(100) || int8send(50) || int8send(10) || int8send(2) || int8send(5) || int8send(20) || int8send(10) || int8send(30)) AS overlapping;
SELECT pg_temp.load_forged('\x01'::bytea || int8send(0) || int8send(100) || int8send(50) || int8send(0) || int8send(0)) AS zero_liveness;
SELECT pg_temp.load_forged('\x01'::bytea || int8send(100) || int8send(0) || int8send(50) || int8send(10) || int8send(0)) AS inverted_window;
SELECT pg_temp.load_forged('\x01'::bytea || int8send(-9223372036854775808) || int8send(100) || int8send(50) || int8send(10) || int8send(0)) AS out_of_range;
-- last_seen far after end_time (rollup with the next window would count it live) or INT64_MIN.
SELECT pg_temp.load_forged('\x01'::bytea || int8send(0) || int8send(100) || int8send(9000) || int8send(10) || int8send(1) || int8send(90) || int8send(100)) AS last_seen_after_end;
SELECT pg_temp.load_forged('\x01'::bytea || int8send(0) || int8send(100) || int8send(-9223372036854775808) || int8send(10) || int8send(1) || int8send(5) || int8send(20)) AS last_seen_int64_min;
-- Nothing forged was stored: the two round-trip rows and the two valid loads.
SELECT count(*) FROM bin_dst;

-- No COPY file is left behind.
SELECT pg_temp.remove_scratch_files() AS files_left;
