-- What an SRE asks of three weeks of heartbeats, answered with opsagg's heartbeat_agg.
-- Run by scripts/demo.sh after scripts/demo_data.sql; needs CREATE EXTENSION opsagg.
--
-- The pattern: one heartbeat_agg per system per day (small, can be kept in a table and
-- refreshed), then accessors on it (uptime, downtime, dead_ranges, live_at), rollup() to combine
-- days into longer periods or redundant systems into "live if any is live", and trim_until()
-- so today's unfinished day does not count its future as downtime.

\set ON_ERROR_STOP 1
\set QUIET 1
SET client_min_messages = warning;
SET TimeZone = 'UTC';
SET DateStyle = 'ISO, YMD';
SET IntervalStyle = 'postgres';
\pset footer off
\pset null ''

SELECT period_start, as_of, liveness,
       to_char(period_start, 'YYYY-MM-DD HH24:MI') AS from_txt,
       to_char(as_of, 'YYYY-MM-DD HH24:MI') AS to_txt
FROM demo_period \gset

\echo
\echo '=== Daily heartbeat aggregates ==='
\echo 'One heartbeat_agg per system and UTC day, liveness 2 minutes: each heartbeat means'
\echo '"alive for the next 2 minutes". Heartbeats from' :from_txt 'to' :to_txt 'UTC.'

CREATE TEMP TABLE daily AS
SELECT system,
       date_trunc('day', ts) AS day,
       heartbeat_agg(ts, date_trunc('day', ts), '1 day', :'liveness') AS agg
FROM heartbeats
GROUP BY system, date_trunc('day', ts);

SELECT count(*) AS daily_aggregates,
       count(DISTINCT system) AS systems,
       pg_size_pretty(sum(pg_column_size(agg))) AS total_size
FROM daily;

-- "downtime" counts the unfinished day only up to now (trim_until), and lets a heartbeat just
-- before midnight keep a system alive into the next day (interpolated with the previous day).
CREATE TEMP VIEW daily_report AS
SELECT system, day,
       agg -> trim_until(:'as_of') AS agg,
       interpolate(agg, lag(agg) OVER w) -> trim_until(:'as_of') AS agg_i
FROM daily
WINDOW w AS (PARTITION BY system ORDER BY day);

\echo
\echo '=== Last 7 days: uptime and downtime per service per day ==='
SELECT system,
       day::date AS day,
       agg_i -> uptime() AS uptime,
       agg_i -> downtime() AS downtime,
       round(100 * extract(epoch FROM uptime(agg_i))
                 / extract(epoch FROM uptime(agg_i) + downtime(agg_i)), 3) AS "availability %",
       (SELECT count(*) FROM dead_ranges(agg_i)) AS outages
FROM daily_report
WHERE day >= date_trunc('day', :'as_of'::timestamptz) - interval '6 days'
  AND system NOT LIKE 'db-%'
ORDER BY system, day;

\echo
\echo '=== Downtime per day, all systems (blank: none; today counts until' :to_txt 'UTC) ==='
SELECT day::date AS day,
       nullif(max(downtime(agg_i)) FILTER (WHERE system = 'api'), '0') AS api,
       nullif(max(downtime(agg_i)) FILTER (WHERE system = 'web'), '0') AS web,
       nullif(max(downtime(agg_i)) FILTER (WHERE system = 'worker'), '0') AS worker,
       nullif(max(downtime(agg_i)) FILTER (WHERE system = 'billing'), '0') AS billing,
       nullif(max(downtime(agg_i)) FILTER (WHERE system = 'db-primary'), '0') AS "db-primary",
       nullif(max(downtime(agg_i)) FILTER (WHERE system = 'db-standby'), '0') AS "db-standby"
FROM daily_report
GROUP BY day
ORDER BY day;

\echo
\echo '=== Why interpolate: days that start with an outage ==='
\echo 'A day bucket alone cannot know that a heartbeat at 23:59:30 kept the system alive until'
\echo '00:01:30; interpolate() with the previous day (lag) can.'
SELECT system, day::date AS day,
       agg -> downtime() AS "downtime (bucket alone)",
       agg_i -> downtime() AS "downtime (interpolated)"
FROM daily_report
WHERE downtime(agg) <> downtime(agg_i)
ORDER BY system, day;

\echo
\echo '=== Today so far (until' :to_txt 'UTC) ==='
\echo 'Without trim_until the rest of today, which has not happened yet, would count as downtime.'
SELECT d.system,
       d.agg -> downtime() AS "downtime (whole day)",
       d.agg -> trim_until(:'as_of') -> downtime() AS "downtime so far",
       d.agg -> live_at(:'as_of'::timestamptz - interval '1 second') AS "live now"
FROM daily d
WHERE d.day = date_trunc('day', :'as_of'::timestamptz)
ORDER BY d.system;

\echo
\echo '=== Three-week summary per system,' :from_txt 'to' :to_txt 'UTC ==='
\echo 'rollup() of the 21 daily aggregates equals one heartbeat_agg over all the raw heartbeats.'
WITH period AS (
    SELECT system, rollup(agg) -> trim_until(:'as_of') AS agg
    FROM daily
    GROUP BY system
), direct AS (
    SELECT system,
           heartbeat_agg(ts, :'period_start', :'as_of'::timestamptz - :'period_start'::timestamptz,
                         :'liveness') AS agg
    FROM heartbeats
    GROUP BY system
)
SELECT p.system,
       p.agg -> uptime() AS uptime,
       p.agg -> downtime() AS downtime,
       round(100 * extract(epoch FROM uptime(p.agg))
                 / extract(epoch FROM uptime(p.agg) + downtime(p.agg)), 3) AS "availability %",
       p.agg -> num_gaps() AS outages,
       o.longest AS longest_outage,
       date_trunc('second', o.mean) AS mean_time_to_recover,
       p.agg = d.agg AS "rollup = direct"
FROM period p
JOIN direct d USING (system)
CROSS JOIN LATERAL (SELECT max("end" - start) AS longest, avg("end" - start) AS mean
                    FROM dead_ranges(p.agg)) AS o
ORDER BY p.system;

\echo
\echo '=== Every outage, whole period (dead_ranges), with the incident that caused it ==='
\echo 'A dead range starts one liveness (2 minutes) after the last heartbeat before the incident.'
WITH period AS (
    SELECT system,
           heartbeat_agg(ts, :'period_start', :'as_of'::timestamptz - :'period_start'::timestamptz,
                         :'liveness') AS agg
    FROM heartbeats
    GROUP BY system
)
SELECT p.system, r.start, r."end", r."end" - r.start AS duration,
       (SELECT string_agg(i.note, '; ' ORDER BY i.starts)
        FROM incidents i
        WHERE i.system = p.system AND i.starts < r."end" AND i.ends > r.start - :'liveness'::interval
       ) AS incident
FROM period p
CROSS JOIN LATERAL dead_ranges(p.agg) AS r
ORDER BY p.system, r.start;

\echo
\echo '=== Database pair: outages of db-primary and db-standby ==='
CREATE TEMP TABLE db_pair AS
SELECT system,
       heartbeat_agg(ts, :'period_start', :'as_of'::timestamptz - :'period_start'::timestamptz,
                     :'liveness') AS agg
FROM heartbeats
WHERE system IN ('db-primary', 'db-standby')
GROUP BY system;

SELECT p.system, r.start, r."end", r."end" - r.start AS duration
FROM db_pair p
CROSS JOIN LATERAL dead_ranges(p.agg) AS r
ORDER BY r.start, p.system;

\echo
\echo '=== Were primary and standby ever down together? ==='
\echo 'rollup() over redundant systems is live when either is live, so its dead ranges are the'
\echo 'windows with no database at all.'
SELECT r.start, r."end", r."end" - r.start AS "no database for"
FROM (SELECT rollup(agg) AS agg FROM db_pair) AS pair
CROSS JOIN LATERAL dead_ranges(pair.agg) AS r
ORDER BY r.start;

SELECT (SELECT agg -> downtime() FROM db_pair WHERE system = 'db-primary') AS "db-primary down",
       (SELECT agg -> downtime() FROM db_pair WHERE system = 'db-standby') AS "db-standby down",
       rollup(agg) -> downtime() AS "both down",
       round(100 * extract(epoch FROM uptime(rollup(agg)))
                 / extract(epoch FROM :'as_of'::timestamptz - :'period_start'::timestamptz), 4)
           AS "pair availability %"
FROM db_pair;

\echo
\echo '=== Point-in-time checks during the 2026-10-12 database incident (live_at) ==='
SELECT t.at::timestamptz AS at,
       (SELECT agg -> live_at(t.at::timestamptz) FROM db_pair WHERE system = 'db-primary') AS "db-primary",
       (SELECT agg -> live_at(t.at::timestamptz) FROM db_pair WHERE system = 'db-standby') AS "db-standby",
       (SELECT rollup(agg) -> live_at(t.at::timestamptz) FROM db_pair) AS "either"
FROM (VALUES ('2026-10-12 03:00+00'), ('2026-10-12 03:30+00'), ('2026-10-12 04:00+00'),
             ('2026-10-12 04:30+00'), ('2026-10-12 05:00+00')) AS t(at)
ORDER BY 1;
