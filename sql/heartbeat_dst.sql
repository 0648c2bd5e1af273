-- The liveness is converted to a length once, at agg_start (as in TimescaleDB Toolkit):
-- agg_start + heartbeat_liveness - agg_start, in the session time zone. A liveness in days
-- is as long as the calendar day that begins at agg_start, for every heartbeat of the
-- window; windows that start on a DST day have another liveness than the others, and
-- rollup refuses to combine them (README, heartbeat_agg).
SET TimeZone = 'America/New_York';
SET DateStyle = 'ISO, YMD';
SET IntervalStyle = 'postgres';

-- Weekly windows from Sunday 2026-03-01; DST starts on Sunday 2026-03-08 (a 23-hour day).
-- One heartbeat each Tuesday 12:00; liveness '1 day'.
CREATE TEMP TABLE weekly AS
SELECT week, heartbeat_agg(ts, week, '1 week', '1 day') AS agg
FROM (SELECT w AS week, w + interval '2 days 12 hours' AS ts
      FROM generate_series(timestamptz '2026-03-01', '2026-03-15', '1 week') w) h
GROUP BY week;
-- The liveness of each window: 24 hours, 23 hours (the window starts on the DST day), 24 hours.
SELECT week, (live_ranges(agg)).*, uptime(agg) FROM weekly ORDER BY week;
-- In the week of 2026-03-08 a heartbeat on Tuesday 12:00 is live for 23 hours, until
-- Wednesday 11:00, not for a calendar day (until 12:00): not calendar-correct.
SELECT live_at(agg, '2026-03-11 10:59:59') AS live_at_1059,
       live_at(agg, '2026-03-11 11:00') AS live_at_1100 FROM weekly WHERE week = '2026-03-08';
-- rollup of windows with different liveness lengths fails: 22023.
\set VERBOSITY sqlstate
SELECT rollup(agg ORDER BY week) FROM weekly;
\set VERBOSITY default
SELECT rollup(agg ORDER BY week) FROM weekly;
-- Windows that do not start on the DST day roll up.
SELECT uptime(rollup(agg ORDER BY week)) FROM weekly WHERE week <> '2026-03-08';

-- A liveness in hours ('24 hours') is the same length in every window and time zone.
SELECT (live_ranges(rollup(agg ORDER BY week))).*
FROM (SELECT w AS week, heartbeat_agg(w + interval '2 days 12 hours', w, '1 week', '24 hours') AS agg
      FROM generate_series(timestamptz '2026-03-01', '2026-03-15', '1 week') w GROUP BY w) s;
-- The window itself is calendar-correct: a week from 2026-03-08 has 167 hours.
SELECT week, end_time - week AS length
FROM weekly, LATERAL (SELECT max("end") AS end_time FROM dead_ranges(agg)) d ORDER BY week;
