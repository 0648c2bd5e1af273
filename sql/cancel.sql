-- Long calls answer a cancel soon (issue 7, item 6). Each input is built first, outside
-- the timed statement, and is big enough that the uncanceled work takes seconds, so a
-- cancel that only lands at the end of the work is reported late. Only whether the cancel
-- landed within a lenient bound (500 ms) is printed, never a time.
-- Text parse and format, rollup and dead_ranges are not timed here: PostgreSQL's own
-- copies and allocations of a value of millions of ranges (text to cstring and back, the
-- result value) cannot be interrupted and take hundreds of milliseconds on a loaded
-- machine; the unit tests (test/unit/interrupt_test.cpp) show the core work stops within
-- one poll stride.
SET TimeZone = 'UTC';

-- 2 million live ranges, as text and as a value. External storage: no compression.
CREATE TABLE cancel_hb (agg heartbeat_agg, txt text);
ALTER TABLE cancel_hb ALTER agg SET STORAGE external, ALTER txt SET STORAGE external;
INSERT INTO cancel_hb (txt)
SELECT format('(version:1,start_time:%s,end_time:%s,last_seen:%s,interval_len:1000000,'
              'num_intervals:%s,interval_starts:[%s],interval_ends:[%s])',
              start_us, start_us + 2000000 * 3000000::bigint,
              start_us + 1999999 * 3000000::bigint, 2000000,
              string_agg((start_us + g * 3000000::bigint)::text, ',' ORDER BY g),
              string_agg((start_us + g * 3000000::bigint + 1000000)::text, ',' ORDER BY g))
FROM generate_series(0, 1999999) g,
     (VALUES (694224000000000::bigint)) s(start_us)  -- 2022-01-01 in microseconds since 2000
GROUP BY start_us;
UPDATE cancel_hb SET agg = txt::heartbeat_agg;
SELECT num_live_ranges(agg), uptime(agg) FROM cancel_hb;

-- A million labels; three million percentiles of one sketch.
CREATE TABLE cancel_labels (labels jsonb);
ALTER TABLE cancel_labels ALTER labels SET STORAGE external;
INSERT INTO cancel_labels
SELECT ('{' || string_agg(format('"key%s":%s', g, g), ',') || '}')::jsonb
FROM generate_series(1, 1000000) g;
CREATE TABLE cancel_percentiles (qs float8[], sketch latency_sketch);
ALTER TABLE cancel_percentiles ALTER qs SET STORAGE external;
INSERT INTO cancel_percentiles
SELECT (SELECT array_agg((g % 1000) / 1000.0) FROM generate_series(1, 3000000) g),
       (SELECT latency_sketch(g) FROM generate_series(1, 100000) g);

-- 1. statement_timeout: big aggregations stop with 57014 (PostgreSQL checks between rows,
-- so these held also before opsagg polled). The big stored inputs below cannot serve here:
-- PostgreSQL's own reading of them (detoasting) is interruptible and takes longer than the
-- timeout, so the cancel would land there.
\set VERBOSITY sqlstate
SET statement_timeout = '50ms';
SELECT num_live_ranges(heartbeat_agg(t, '2022-01-01', '1 year', '1 s'))
FROM generate_series(0, 1999999) g,
     LATERAL (SELECT '2022-01-01'::timestamptz + ((g * 7919::bigint) % 2000000) * '3 s'::interval) s(t);
SELECT approx_percentile(0.99, latency_sketch(g % 1000)) FROM generate_series(1, 10000000) g;
RESET statement_timeout;
\set VERBOSITY default

-- 2. pg_cancel_backend from another session (dblink). The other session reads its input
-- into memory first (a procedure's PL/pgSQL variables hold detoasted copies; a
-- function's would hold TOAST pointers), says so by releasing advisory lock 7 (which it
-- holds from before), then runs the operation on it, repeatedly, until canceled. This
-- session publishes the instant it sends the cancel in its application_name; the other
-- session measures from it when the cancel lands (its own timing does not depend on this
-- session's settings), and reports by raising an error.
CREATE PROCEDURE cancel_test_run(operation text, canceler int) LANGUAGE plpgsql AS $$
DECLARE
    agg heartbeat_agg;
    labels jsonb;
    qs float8[];
    sketch latency_sketch;
    sent_at timestamptz;
BEGIN
    IF operation LIKE 'heartbeat%' THEN
        SELECT c.agg INTO agg FROM cancel_hb c;
    ELSIF operation LIKE 'labels%' THEN
        SELECT c.labels INTO labels FROM cancel_labels c;
    ELSE
        SELECT c.qs, c.sketch INTO qs, sketch FROM cancel_percentiles c;
    END IF;
    PERFORM pg_advisory_unlock(7);
    BEGIN
        FOR i IN 1..20 LOOP
            CASE operation
                WHEN 'heartbeat live_ranges' THEN PERFORM count(*) FROM live_ranges(agg);
                WHEN 'labels_canonical_text' THEN PERFORM length(labels_canonical_text(labels));
                WHEN 'labels_canonical' THEN PERFORM labels_canonical(labels) IS NULL;
                WHEN 'labels_fingerprint' THEN PERFORM labels_fingerprint(labels);
                WHEN 'approx_percentile_array' THEN
                    PERFORM cardinality(approx_percentile_array(qs, sketch));
            END CASE;
        END LOOP;
    EXCEPTION WHEN query_canceled THEN
        PERFORM pg_stat_clear_snapshot();
        sent_at := (SELECT a.application_name::timestamptz FROM pg_stat_activity a
                    WHERE a.pid = canceler);
        RAISE EXCEPTION '% canceled (%) %', operation, SQLSTATE,
            CASE WHEN clock_timestamp() - sent_at < interval '500 ms' THEN 'within 500 ms'
                 ELSE 'late' END;
    END;
    RAISE EXCEPTION '% not canceled', operation;
END $$;

CREATE EXTENSION IF NOT EXISTS dblink;
SELECT dblink_connect('canceled',
                      format('dbname=%s host=%s port=%s', current_database(),
                             split_part(current_setting('unix_socket_directories'), ',', 1),
                             current_setting('port')));
CREATE TEMP TABLE canceled_session AS
SELECT pid FROM dblink('canceled', 'SELECT pg_backend_pid()') AS r(pid int);

-- Runs `operation` in the other session and cancels it 50 ms after its input is loaded;
-- returns the other session's report.
CREATE FUNCTION pg_temp.cancel_from_outside(operation text) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
    canceled_pid int := (SELECT pid FROM canceled_session);
BEGIN
    PERFORM * FROM dblink('canceled', 'SELECT pg_advisory_lock(7)') AS r(locked text);
    PERFORM dblink_send_query('canceled', format('CALL cancel_test_run(%L, %s)', operation,
                                                 pg_backend_pid()));
    PERFORM pg_advisory_lock(7);  -- granted once the other session has loaded its input
    PERFORM pg_advisory_unlock(7);
    PERFORM pg_sleep(0.05);
    PERFORM set_config('application_name', clock_timestamp()::text, false),
            pg_cancel_backend(canceled_pid);
    WHILE dblink_is_busy('canceled') = 1 LOOP
        PERFORM pg_sleep(0.01);
    END LOOP;
    PERFORM * FROM dblink_get_result('canceled', false) AS r(result text);
    PERFORM * FROM dblink_get_result('canceled', false) AS r(result text);
    RETURN split_part(dblink_error_message('canceled'), E'\n', 1);
END $$;

SET client_min_messages = warning;  -- dblink_get_result's notice of the remote error
SELECT pg_temp.cancel_from_outside('heartbeat live_ranges');
SELECT pg_temp.cancel_from_outside('labels_canonical_text');
SELECT pg_temp.cancel_from_outside('labels_canonical');
SELECT pg_temp.cancel_from_outside('labels_fingerprint');
SELECT pg_temp.cancel_from_outside('approx_percentile_array');
RESET client_min_messages;
SELECT dblink_disconnect('canceled');

-- Without a cancel, the same work completes.
SELECT num_live_ranges(txt::heartbeat_agg) FROM cancel_hb;
SELECT num_live_ranges(rollup(agg)) FROM cancel_hb;
SELECT count(*) FROM cancel_hb, live_ranges(agg);
SELECT length(labels_canonical_text(labels)) FROM cancel_labels;
SELECT cardinality(approx_percentile_array(qs, sketch)) FROM cancel_percentiles;

DROP PROCEDURE cancel_test_run;
RESET application_name;
DROP TABLE cancel_hb, cancel_labels, cancel_percentiles;
