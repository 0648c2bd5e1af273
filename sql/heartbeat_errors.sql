-- Every error in the spec's table, each with its SQLSTATE.
SET TimeZone = 'UTC';
SET DateStyle = 'ISO, YMD';
SET IntervalStyle = 'postgres';
\set VERBOSITY sqlstate
\set ON_ERROR_STOP 0

-- Heartbeat outside [agg_start, agg_start + agg_duration), also exactly at the end.
SELECT heartbeat_agg('2021-12-31 23:59:59.999999', '2022-01-01', '1h', '1m');
SELECT heartbeat_agg('2022-01-01 01:00', '2022-01-01', '1h', '1m');
SELECT heartbeat_agg('infinity', '2022-01-01', '1h', '1m');
\set VERBOSITY default
SELECT heartbeat_agg('2022-01-01 01:00', '2022-01-01', '1h', '1m');
\set VERBOSITY sqlstate

-- Duration not longer than liveness; liveness not positive.
SELECT heartbeat_agg('2022-01-01', '2022-01-01', '1h', '1h');
SELECT heartbeat_agg('2022-01-01', '2022-01-01', '1h', '2h');
SELECT heartbeat_agg('2022-01-01', '2022-01-01', '1h', '0');
SELECT heartbeat_agg('2022-01-01', '2022-01-01', '1h', '-1 minute');
SELECT heartbeat_agg('2022-01-01', '2022-01-01', '-1h', '1m');
\set VERBOSITY default
SELECT heartbeat_agg('2022-01-01', '2022-01-01', '1h', '1h');
SELECT heartbeat_agg('2022-01-01', '2022-01-01', '1h', '0');
\set VERBOSITY sqlstate

-- A liveness longer than about 285,000 years (kMinInstant - liveness must be an int64): 22023;
-- just below it is accepted.
SELECT heartbeat_agg('4713-01-01 BC', '4713-01-01 BC', '290000 years', '285600 years');
SELECT heartbeat_agg('4713-01-01 BC', '4713-01-01 BC', '290000 years', '285500 years') IS NOT NULL AS accepted;
-- A liveness whose length overflows 64 bits (start near 4714 BC, end near 294276 AD).
SELECT heartbeat_agg('4713-01-01 BC', '4713-01-01 BC', '1 hour', '294000 years');
\set VERBOSITY default
SELECT heartbeat_agg('4713-01-01 BC', '4713-01-01 BC', '290000 years', '285600 years');
\set VERBOSITY sqlstate

-- Absurd windows overflow the timestamp range: an error, not a wrap-around.
SELECT heartbeat_agg('2022-01-01', '2022-01-01', '1000000 years', '1m');
SELECT heartbeat_agg('2022-01-01', '2022-01-01', '1h', '-1000000 years');
SELECT heartbeat_agg('2022-01-01', 'infinity', '1h', '1m');
SELECT heartbeat_agg('2022-01-01', '-infinity', '1h', '1m');

-- A window that ends past the timestamp range: the README table's first applicable row.
-- Liveness not shorter than the duration (or not positive) is 22023 before the range's 22008.
SELECT heartbeat_agg('294276-12-01', '294276-12-01', '1 year', '2 years');
SELECT heartbeat_agg('294276-12-01', '294276-12-01', '1 year', '1 year');
SELECT heartbeat_agg('294276-12-01', '294276-12-01', '1 year', '-2 years');
SELECT heartbeat_agg('2022-01-01', '2022-01-01', '1000000 years', '2000000 years');
SELECT heartbeat_agg('2022-01-01', '2022-01-01', '-1000000 years', '1m');
SELECT heartbeat_agg('2022-01-01', '2022-01-01', '1h', '1000000 years');
-- A shorter liveness: the range's 22008.
SELECT heartbeat_agg('294276-12-01', '294276-12-01', '1 year', '1 day');
\set VERBOSITY default
SELECT heartbeat_agg('294276-12-01', '294276-12-01', '1 year', '2 years');
SELECT heartbeat_agg('294276-12-01', '294276-12-01', '1 year', '1 day');
\set VERBOSITY sqlstate
-- The same window inside the range works.
SELECT num_gaps(heartbeat_agg('294276-12-01', '294276-12-01', '1 day', '1 hour'));

-- NULL window or liveness on a row with a heartbeat.
SELECT heartbeat_agg('2022-01-01', NULL, '1h', '1m');
SELECT heartbeat_agg('2022-01-01', '2022-01-01', NULL, '1m');
SELECT heartbeat_agg('2022-01-01', '2022-01-01', '1h', NULL);

-- A different window or liveness within one group.
SELECT heartbeat_agg(t, s, '1h', '1m')
FROM (VALUES ('2022-01-01 00:10'::timestamptz, '2022-01-01'::timestamptz),
             ('2022-01-01 00:20', '2022-01-01 00:05')) v(t, s);
SELECT heartbeat_agg(t, '2022-01-01', d, '1m')
FROM (VALUES ('2022-01-01 00:10'::timestamptz, '1h'::interval), ('2022-01-01 00:20', '2h')) v(t, d);
SELECT heartbeat_agg(t, '2022-01-01', '1h', l)
FROM (VALUES ('2022-01-01 00:10'::timestamptz, '1m'::interval), ('2022-01-01 00:20', '2m')) v(t, l);
\set VERBOSITY default
SELECT heartbeat_agg(t, '2022-01-01', '1h', l)
FROM (VALUES ('2022-01-01 00:10'::timestamptz, '1m'::interval), ('2022-01-01 00:20', '2m')) v(t, l);
\set VERBOSITY sqlstate

-- rollup inputs with different liveness.
SELECT rollup(agg) FROM (
    SELECT heartbeat_agg('2022-01-01 00:10', '2022-01-01', '1h', '1m') AS agg
    UNION ALL SELECT heartbeat_agg('2022-01-01 01:10', '2022-01-01 01:00', '1h', '2m')) s;

-- interpolate with a predecessor that ends after the aggregate starts.
SELECT interpolate(b, p), interpolated_uptime(b, p), interpolated_downtime(b, p)
FROM (SELECT heartbeat_agg('2022-01-01 00:10', '2022-01-01', '2h', '1m') AS p,
             heartbeat_agg('2022-01-01 01:10', '2022-01-01 01:00', '1h', '1m') AS b) s;
SELECT b -> interpolated_uptime(p)
FROM (SELECT heartbeat_agg('2022-01-01 00:10', '2022-01-01', '2h', '1m') AS p,
             heartbeat_agg('2022-01-01 01:10', '2022-01-01 01:00', '1h', '1m') AS b) s;

-- trim_to outside coverage or empty; trim_until before the start.
CREATE TEMP TABLE a AS SELECT heartbeat_agg('2022-01-01 00:10', '2022-01-01', '1h', '1m') AS agg;
SELECT trim_to(agg, '2021-12-31 23:59') FROM a;
SELECT trim_to(agg, '2022-01-01 00:30', '31m') FROM a;
SELECT trim_to(agg, '2022-01-01 00:30', '0') FROM a;
SELECT trim_to(agg, '2022-01-01 00:30', '-5m') FROM a;
SELECT trim_to(agg, '2022-01-01 01:00') FROM a;
SELECT trim_to(agg, 'infinity') FROM a;
SELECT trim_to(agg, '2022-01-01', '1000000 years') FROM a;
SELECT agg -> trim_to('2022-01-01 00:30'::timestamptz, '2h') FROM a;
SELECT trim_until(agg, '2022-01-01') FROM a;
SELECT trim_until(agg, '-infinity') FROM a;
\set VERBOSITY default
SELECT trim_to(agg, '2022-01-01 00:30', '0') FROM a;
SELECT trim_until(agg, '2021-12-31') FROM a;


-- Windows whose length does not fit in 64-bit microseconds are refused everywhere.
\set VERBOSITY default
SELECT heartbeat_agg('2000-01-01', '4713-01-01 BC', '294000 years', '1 day');
SELECT '(version:1,start_time:-211813488000000000,end_time:9223371331199999999,last_seen:0,interval_len:10,num_intervals:0,interval_starts:[],interval_ends:[])'::heartbeat_agg;
SELECT rollup(a) FROM (
    SELECT '(version:1,start_time:-211813488000000000,end_time:0,last_seen:-211813488000000000,interval_len:10,num_intervals:0,interval_starts:[],interval_ends:[])'::heartbeat_agg AS a
    UNION ALL
    SELECT '(version:1,start_time:0,end_time:9223371331199999999,last_seen:0,interval_len:10,num_intervals:0,interval_starts:[],interval_ends:[])') s;
