-- heartbeat_agg: the aggregate and its accessors on the TimescaleDB Toolkit's examples.
SET TimeZone = 'UTC';
SET DateStyle = 'ISO, YMD';
SET IntervalStyle = 'postgres';

CREATE TEMP TABLE system_health(heartbeat timestamptz);
INSERT INTO system_health VALUES
    ('2020-01-01 00:02:20 UTC'),
    ('2020-01-01 00:10:00 UTC'),
    ('2020-01-01 00:17:00 UTC'),
    ('2020-01-01 00:50:30 UTC'),
    ('2020-01-01 01:00:00 UTC');

SELECT live_ranges(heartbeat_agg(heartbeat, '2020-01-01 00:00:00 UTC', '2h', '10m'))
FROM system_health;

WITH agg AS (
    SELECT heartbeat_agg(heartbeat, '2020-01-01 00:00:00 UTC', '2h', '10m') AS hb
    FROM system_health
)
SELECT uptime(hb), downtime(hb), hb -> uptime() AS arrow_uptime, hb -> downtime() AS arrow_downtime
FROM agg;

-- The toolkit's longer example: 17 heartbeats over two hours.
CREATE TEMP TABLE liveness(heartbeat timestamptz);
INSERT INTO liveness VALUES
    ('2022-01-01 00:02:20 UTC'), ('2022-01-01 00:10:00 UTC'), ('2022-01-01 00:17:00 UTC'),
    ('2022-01-01 00:30:00 UTC'), ('2022-01-01 00:35:00 UTC'), ('2022-01-01 00:40:00 UTC'),
    ('2022-01-01 00:50:30 UTC'), ('2022-01-01 01:00:00 UTC'), ('2022-01-01 01:08:00 UTC'),
    ('2022-01-01 01:18:00 UTC'), ('2022-01-01 01:28:00 UTC'), ('2022-01-01 01:38:01 UTC'),
    ('2022-01-01 01:40:00 UTC'), ('2022-01-01 01:40:01 UTC'), ('2022-01-01 01:50:01 UTC'),
    ('2022-01-01 01:57:00 UTC'), ('2022-01-01 01:59:50 UTC');

CREATE TEMP TABLE aggs AS
SELECT heartbeat_agg(heartbeat, '2022-01-01 UTC', '2h', '10m') AS agg FROM liveness;

SELECT agg FROM aggs;
SELECT uptime(agg), downtime(agg), num_live_ranges(agg), num_gaps(agg) FROM aggs;
SELECT * FROM live_ranges((SELECT agg FROM aggs));
SELECT * FROM dead_ranges((SELECT agg FROM aggs));
SELECT live_at(agg, '2022-01-01 00:27:00 UTC') AS at_range_end,
       live_at(agg, '2022-01-01 00:26:59.999999 UTC') AS just_before_end,
       live_at(agg, '2022-01-01 00:02:20 UTC') AS at_range_start,
       live_at(agg, '2022-01-01 00:02:19.999999 UTC') AS just_before_start
FROM aggs;

-- Input order, duplicates and NULL heartbeats do not change the result.
SELECT (SELECT heartbeat_agg(heartbeat, '2022-01-01 UTC', '2h', '10m' ORDER BY heartbeat DESC) FROM liveness)
     = (SELECT agg FROM aggs) AS reversed_equal,
       (SELECT heartbeat_agg(h, '2022-01-01 UTC', '2h', '10m')
        FROM (SELECT heartbeat FROM liveness UNION ALL SELECT heartbeat FROM liveness
              UNION ALL SELECT NULL) AS t(h))
     = (SELECT agg FROM aggs) AS duplicates_equal;

-- Zero rows, or only NULL heartbeats, give NULL.
SELECT heartbeat_agg(heartbeat, '2022-01-01 UTC', '2h', '10m') IS NULL AS no_rows
FROM liveness WHERE false;
SELECT heartbeat_agg(NULL::timestamptz, '2022-01-01 UTC', '2h', '10m') IS NULL AS only_null;
-- A NULL heartbeat needs no window: the row is skipped.
SELECT heartbeat_agg(NULL::timestamptz, NULL, NULL, NULL) IS NULL AS null_row_skipped;

-- Grouped, per day, with calendar-aware windows.
CREATE TEMP TABLE beats(system text, ts timestamptz);
INSERT INTO beats
SELECT s, t
FROM unnest(ARRAY['api', 'db']) AS s,
     generate_series('2022-03-01 00:00 UTC'::timestamptz, '2022-03-02 23:59 UTC', '1 minute') AS t
WHERE NOT (s = 'api' AND t >= '2022-03-01 10:00 UTC' AND t < '2022-03-01 10:30 UTC')
  AND NOT (s = 'db' AND t >= '2022-03-02 05:00 UTC' AND t < '2022-03-02 07:00 UTC');
SELECT system, date_trunc('day', ts) AS day,
       heartbeat_agg(ts, date_trunc('day', ts), '1 day', '2 minutes') -> uptime() AS uptime,
       heartbeat_agg(ts, date_trunc('day', ts), '1 day', '2 minutes') -> num_gaps() AS gaps
FROM beats GROUP BY 1, 2 ORDER BY 1, 2;

-- The domain name used by the toolkit works in columns and casts.
CREATE TEMP TABLE toolkit_style(agg heartbeatagg);
INSERT INTO toolkit_style SELECT agg FROM aggs;
SELECT uptime(agg), agg::heartbeat_agg = (SELECT agg FROM aggs) AS same FROM toolkit_style;
SELECT pg_typeof(heartbeat_agg(heartbeat, '2022-01-01 UTC', '2h', '10m')) FROM liveness;

-- Window use: a running aggregate over the rows seen so far.
SELECT heartbeat,
       heartbeat_agg(heartbeat, '2020-01-01 UTC', '2h', '10m') OVER (ORDER BY heartbeat) -> uptime() AS running_uptime
FROM system_health ORDER BY heartbeat;

-- Every object of the extension has a comment.
SELECT count(*) AS objects_without_comment
FROM pg_depend d
WHERE d.refclassid = 'pg_extension'::regclass
  AND d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'opsagg')
  AND d.deptype = 'e'
  AND obj_description(d.objid, (SELECT relname FROM pg_class WHERE oid = d.classid)) IS NULL;
