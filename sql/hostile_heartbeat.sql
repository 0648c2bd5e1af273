-- Hostile timestamps and intervals in every heartbeat function that takes them, and a
-- heartbeat_agg of a million ranges. Each case is an ERROR with its SQLSTATE or the correct
-- answer (uptime and range counts are shown for the values that are built).
SET TimeZone = 'UTC';
SET DateStyle = 'ISO, YMD';
SET IntervalStyle = 'postgres';
\getenv abs_srcdir PG_ABS_SRCDIR
\set outcome :abs_srcdir '/sql/include/outcome.sql'
\i :outcome

-- heartbeat_agg(heartbeat, agg_start, agg_duration, heartbeat_liveness).
SELECT name, pg_temp.outcome(format(
           'SELECT uptime(a) || '' up, '' || num_live_ranges(a) || '' ranges, ends '' || (SELECT max("end") FROM live_ranges(a))
            FROM (SELECT heartbeat_agg(%s::timestamptz, %s::timestamptz, %s::interval, %s::interval) AS a) AS x',
           quote_nullable(hb), quote_nullable(w_start), quote_nullable(w_len), quote_nullable(liveness))) AS outcome
FROM (VALUES
    ('heartbeat infinity',          'infinity',   '2025-01-01', '1 hour', '5 min'),
    ('heartbeat -infinity',         '-infinity',  '2025-01-01', '1 hour', '5 min'),
    ('start infinity',              '2025-01-01', 'infinity',   '1 hour', '5 min'),
    ('start -infinity',             '2025-01-01', '-infinity',  '1 hour', '5 min'),
    ('beat at the end of the window', '294276-12-31 23:59:59.999999+00', '294276-12-31 23:00+00', '59 min 59.999999 s', '5 min'),
    ('window ends at the maximum',  '294276-12-31 23:59:59.999998+00', '294276-12-31 23:00+00', '59 min 59.999999 s', '5 min'),
    ('window ends past the maximum','294276-12-31 23:00+00', '294276-12-31 23:00+00', '1 hour', '5 min'),
    ('liveness past the maximum',   '294276-12-31 23:59:59+00', '294276-12-31 23:00+00', '59 min 59.999999 s', '5 min'),
    ('window starts at the minimum','4714-11-24 00:00:00+00 BC', '4714-11-24 00:00:00+00 BC', '1 hour', '5 min'),
    ('duration 2147483647 days',    '2025-01-01', '2025-01-01', '2147483647 days', '5 min'),
    ('duration 178000000 years',    '2025-01-01', '2025-01-01', '178000000 years', '5 min'),
    ('duration max microseconds',   '2025-01-01', '2025-01-01', '9223372036854775807 us', '5 min'),
    ('duration -1 hour',            '2025-01-01', '2025-01-01', '-1 hour', '5 min'),
    ('duration 0',                  '2025-01-01', '2025-01-01', '0', '5 min'),
    ('duration 1 month',            '2025-02-01', '2025-02-01', '1 mon', '1 day'),
    ('duration -1 month +40 days',  '2025-02-01', '2025-02-01', '-1 mon 40 days', '1 day'),
    ('liveness -5 min',             '2025-01-01', '2025-01-01', '1 hour', '-5 min'),
    ('liveness 0',                  '2025-01-01', '2025-01-01', '1 hour', '0'),
    ('liveness 1 microsecond',      '2025-01-01', '2025-01-01', '1 hour', '00:00:00.000001'),
    ('liveness = duration',         '2025-01-01', '2025-01-01', '1 hour', '1 hour'),
    ('liveness 1000000 days',       '2025-01-01', '2025-01-01', '1 hour', '1000000 days'),
    ('liveness 1 month',            '2025-01-01', '2025-01-01', '1 hour', '1 mon'),
    ('liveness -1 month',           '2025-01-01', '2025-01-01', '1 hour', '-1 mon'),
    ('NULL liveness',               '2025-01-01', '2025-01-01', '1 hour', NULL),
    ('NULL heartbeat',              NULL,         '2025-01-01', '1 hour', '5 min')
) AS t(name, hb, w_start, w_len, liveness)
ORDER BY name;

CREATE TEMP TABLE agg AS
SELECT heartbeat_agg(h, '2025-01-01', '1 hour', '5 min') AS v
FROM (VALUES ('2025-01-01 00:10'::timestamptz), ('2025-01-01 00:30')) AS t(h);
SELECT live_ranges(v) FROM agg;

-- trim_to(agg, start, duration), trim_until(agg, "end"), live_at(agg, test).
SELECT name, pg_temp.outcome(format(
           'SELECT uptime(t) || '' up in '' || (SELECT min(start) FROM dead_ranges(t) UNION ALL SELECT min(start) FROM live_ranges(t) ORDER BY 1 LIMIT 1) || '' ..''
            FROM (SELECT %s AS t FROM agg) AS x', call)) AS outcome
FROM (VALUES
    ('trim_to infinity',               $$trim_to(v, 'infinity')$$),
    ('trim_to -infinity',              $$trim_to(v, '-infinity')$$),
    ('trim_to -infinity, 1 hour',      $$trim_to(v, '-infinity', '1 hour')$$),
    ('trim_to duration -10 min',       $$trim_to(v, '2025-01-01 00:20', '-10 min')$$),
    ('trim_to duration 0',             $$trim_to(v, '2025-01-01 00:20', '0')$$),
    ('trim_to duration 2147483647 days', $$trim_to(v, '2025-01-01 00:20', '2147483647 days')$$),
    ('trim_to duration max us',        $$trim_to(v, '2025-01-01 00:20', '9223372036854775807 us')$$),
    ('trim_to duration 1 month',       $$trim_to(v, '2025-01-01 00:20', '1 mon')$$),
    ('trim_to default start, 20 min',  $$trim_to(v, NULL, '20 min')$$),
    ('trim_to 00:20, 10 min',          $$trim_to(v, '2025-01-01 00:20', '10 min')$$),
    ('trim_until infinity',            $$trim_until(v, 'infinity')$$),
    ('trim_until -infinity',           $$trim_until(v, '-infinity')$$),
    ('trim_until the start',           $$trim_until(v, '2025-01-01')$$),
    ('trim_until start + 1 us',        $$trim_until(v, '2025-01-01 00:00:00.000001')$$),
    ('trim_until 00:12',               $$trim_until(v, '2025-01-01 00:12')$$)
) AS t(name, call)
ORDER BY name;
SELECT live_at(v, 'infinity') AS at_infinity, live_at(v, '-infinity') AS at_minus_infinity,
       live_at(v, '2025-01-01 00:10') AS at_first_beat, live_at(v, '2025-01-01 00:15') AS at_its_end,
       live_at(v, '2025-01-01 01:00') AS at_window_end, live_at(v, '294276-12-31 23:59:59.999999+00') AS at_maximum
FROM agg;

-- interpolate(agg, pred) with predecessors at the ends of the timestamp range and with the
-- longest liveness: the liveness carried over from the last beat is the agg's own (as in the
-- toolkit), clipped to the window, never wrapped.
SELECT name, pg_temp.outcome(format(
           'SELECT uptime(interpolate(v, %s)) || '' / '' || interpolated_uptime(v, %s) FROM agg', pred, pred)) AS outcome
FROM (VALUES
    ('pred last beat 23:58, 5 min', $$(SELECT heartbeat_agg('2024-12-31 23:58', '2024-12-31 23:00', '1 hour', '5 min'))$$),
    ('pred at the minimum',         $$(SELECT heartbeat_agg('4714-11-24 00:00:00+00 BC', '4714-11-24 00:00:00+00 BC', '1 hour', '5 min'))$$),
    ('pred last beat 23:59:59, its liveness 59 min', $$(SELECT heartbeat_agg('2024-12-31 23:59:59', '2024-12-31 23:00', '1 hour', '59 min'))$$),
    ('pred overlapping agg',        $$(SELECT heartbeat_agg('2025-01-01 00:20', '2025-01-01 00:00', '1 hour', '5 min'))$$),
    ('pred NULL',                   $$NULL::heartbeat_agg$$),
    ('pred ending at the maximum',  $$(SELECT heartbeat_agg('294276-12-31 23:59:59+00', '294276-12-31 23:00+00', '59 min 59.999999 s', '5 min'))$$)
) AS t(name, pred)
ORDER BY name;
-- At the very end of the range: 59 s carried over from the predecessor's last beat, and the
-- agg's own beat live to the window's end (59.999999 s).
SELECT pg_temp.outcome($$SELECT uptime(interpolate(
           (SELECT heartbeat_agg('294276-12-31 23:59:00+00', '294276-12-31 23:30+00', '29 min 59.999999 s', '1 min')),
           (SELECT heartbeat_agg('294276-12-31 23:29:59+00', '294276-12-31 23:00+00', '30 min', '1 min'))))$$) AS interpolate_at_maximum;

-- A million live ranges (heartbeats every 2 us, each live for 1 us): exact counts and uptime,
-- and the value survives text and binary round trips and a rollup with itself.
CREATE TEMP TABLE million AS
SELECT heartbeat_agg(h, '2000-01-01', '1 hour', '00:00:00.000001') AS v
FROM generate_series('2000-01-01'::timestamptz, '2000-01-01 00:00:01.999999', '2 microseconds') AS h;
\set copy_binary :abs_srcdir '/sql/include/copy_binary.sql'
\i :copy_binary
CREATE TEMP TABLE million_back (v heartbeat_agg);
SELECT pg_temp.copy_out('SELECT v FROM million', 'million') AS copied_out;
SELECT pg_temp.copy_in('million_back', 'million') AS copied_in, pg_temp.remove_scratch_files() AS files_left;
SELECT num_live_ranges(v) AS ranges, num_gaps(v) AS gaps, uptime(v) AS up, downtime(v) AS down,
       (SELECT count(*) FROM live_ranges(v)) AS listed,
       live_at(v, '2000-01-01 00:00:01.999998') AS live_at_last, live_at(v, '2000-01-01 00:00:01.999999') AS live_after_last,
       v::text::heartbeat_agg = v AS text_round_trip,
       (SELECT b.v FROM million_back b) = v AS binary_round_trip,
       (SELECT rollup(x) FROM (VALUES (v), (v)) AS r(x)) = v AS rollup_with_itself
FROM million;
-- Over the cap of 2^24 ranges in the text form: 22P02 before anything is allocated.
SELECT pg_temp.outcome($$SELECT '(version:1,start_time:0,end_time:100,last_seen:50,interval_len:10,num_intervals:16777217,interval_starts:[],interval_ends:[])'::heartbeat_agg::text$$) AS over_cap,
       pg_temp.outcome($$SELECT '(version:1,start_time:0,end_time:100,last_seen:50,interval_len:10,num_intervals:9223372036854775807,interval_starts:[],interval_ends:[])'::heartbeat_agg::text$$) AS count_2_63;
