-- The range cap: a value holds at most 2^24 live ranges. Every way past it is one error,
-- 54000 (program_limit_exceeded), and interpolate of a value at the cap works when the
-- result fits. A value at the cap is 256 MB, built from 2^24 rows by each statement here.
SET TimeZone = 'UTC';
SET DateStyle = 'ISO, YMD';
SET IntervalStyle = 'postgres';

-- 2^24 live ranges [2 + 4k, 5 + 4k) us after 2000-01-01, each one alone: a heartbeat every
-- 4 us from 2 us after the window's start, liveness 3 us. Views, so each statement builds
-- the value once and no copy of it is stored.
CREATE TEMP VIEW at_cap AS
SELECT heartbeat_agg(t, '2000-01-01', '24 hours', '3 us') AS agg
FROM (SELECT generate_series(timestamptz '2000-01-01 00:00:00.000002',
                             timestamptz '2000-01-01' + interval '4 us' * (1 << 24),
                             '4 us') AS t) s;
-- Predecessors whose last heartbeat, 1 us or 2 us before the start, reaches start + 2 us
-- or start + 1 us.
CREATE TEMP VIEW pred AS
SELECT heartbeat_agg('1999-12-31 23:59:59.999999', '1999-12-31', '24 hours', '3 us') AS reaching_first_range,
       heartbeat_agg('1999-12-31 23:59:59.999998', '1999-12-31', '24 hours', '3 us') AS short_of_first_range;

-- At the cap; interpolate's carried-over range [start, start + 2 us) touches the first range
-- and merges with it: 2^24 ranges, the result fits.
SELECT num_live_ranges(agg) AS at_cap,
       num_live_ranges(interpolate(agg, reaching_first_range)) AS interpolated
FROM at_cap, pred;
-- One range more: interpolate's [start, start + 1 us) is a range of its own (2^24 + 1
-- ranges); rollup with a value of one range in the next window. Each with its SQLSTATE.
DO $$
DECLARE
    statement text;
    n bigint;
BEGIN
    FOREACH statement IN ARRAY ARRAY[
        'SELECT num_live_ranges(interpolate(agg, short_of_first_range)) FROM at_cap, pred',
        'SELECT num_live_ranges(rollup(agg)) FROM (
             SELECT agg FROM at_cap
             UNION ALL SELECT heartbeat_agg(''2000-01-02'', ''2000-01-02'', ''1 hour'', ''3 us'')) s'
        ] LOOP
        BEGIN
            EXECUTE statement INTO n;
            RAISE NOTICE 'no error: % ranges', n;
        EXCEPTION WHEN OTHERS THEN
            RAISE NOTICE '%: %', SQLSTATE, SQLERRM;
        END;
    END LOOP;
END $$;

-- trim_to with a start outside the coverage says so, whatever the end (here the default,
-- the coverage's end, which would make the window empty too).
CREATE TEMP TABLE a AS SELECT heartbeat_agg('2022-01-01 00:10', '2022-01-01', '1h', '1m') AS agg;
\set VERBOSITY sqlstate
SELECT trim_to(agg, 'infinity') FROM a;
\set VERBOSITY default
SELECT trim_to(agg, 'infinity') FROM a;
SELECT trim_to(agg, '-infinity') FROM a;
SELECT trim_to(agg, '2022-01-01 01:00') FROM a;
SELECT trim_to(agg, '2022-01-01 02:00', '-2h') FROM a;
-- A start inside, an end outside or an empty window: as before.
SELECT trim_to(agg, '2022-01-01 00:30', '31m') FROM a;
SELECT trim_to(agg, '2022-01-01 00:30', '0') FROM a;
SELECT trim_to(agg, '2022-01-01 00:59:59.999999') FROM a;
