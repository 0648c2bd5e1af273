-- Boundaries: heartbeats at the window's edges and exactly L (or L + 1us) apart.
SET TimeZone = 'UTC';
SET DateStyle = 'ISO, YMD';
SET IntervalStyle = 'postgres';

-- Heartbeat exactly at start and at end - 1us.
SELECT live_ranges(heartbeat_agg(t, '2022-01-01', '1h', '1m'))
FROM unnest(ARRAY['2022-01-01 00:00:00', '2022-01-01 00:59:59.999999']::timestamptz[]) AS t;
SELECT uptime(heartbeat_agg(t, '2022-01-01', '1h', '1m')),
       num_gaps(heartbeat_agg(t, '2022-01-01', '1h', '1m'))
FROM unnest(ARRAY['2022-01-01 00:00:00', '2022-01-01 00:59:59.999999']::timestamptz[]) AS t;

-- Exactly L apart: one range. L + 1us apart: a 1us gap.
SELECT num_live_ranges(heartbeat_agg(t, '2022-01-01', '1h', '1m')) AS exactly_l,
       uptime(heartbeat_agg(t, '2022-01-01', '1h', '1m')) AS uptime_exactly_l
FROM unnest(ARRAY['2022-01-01 00:10:00', '2022-01-01 00:11:00']::timestamptz[]) AS t;
SELECT * FROM dead_ranges((SELECT heartbeat_agg(t, '2022-01-01', '1h', '1m')
    FROM unnest(ARRAY['2022-01-01 00:10:00', '2022-01-01 00:11:00.000001']::timestamptz[]) AS t));

-- The last range is clipped at end_time; earlier ones are not.
SELECT heartbeat_agg(t, '2022-01-01', '1h', '10m')
FROM unnest(ARRAY['2022-01-01 00:55', '2022-01-01 00:20']::timestamptz[]) AS t;

-- Liveness one microsecond shorter than the duration is the largest allowed.
SELECT uptime(heartbeat_agg('2022-01-01 00:00', '2022-01-01', '1h', '59 minutes 59.999999 seconds'));

-- Calendar-aware windows: a month, and a DST day in a session time zone.
SELECT heartbeat_agg('2022-02-10', '2022-02-01', '1 month', '1 day') -> downtime() AS february;
SET TimeZone = 'Europe/Berlin';
SELECT heartbeat_agg('2022-03-27 12:00', '2022-03-27 00:00', '1 day', '1 hour') -> downtime() AS dst_day;
SET TimeZone = 'UTC';
SET DateStyle = 'ISO, YMD';
SET IntervalStyle = 'postgres';

-- Fully live: no dead ranges, no gaps.
SELECT num_gaps(agg), (SELECT count(*) FROM dead_ranges(agg)) AS dead, downtime(agg)
FROM (SELECT heartbeat_agg(t, '2022-01-01', '1h', '1m') AS agg
      FROM generate_series('2022-01-01'::timestamptz, '2022-01-01 00:59', '1 minute') AS t) s;

-- Far-apart instants and a long window stay exact (billions of microseconds).
SELECT uptime(heartbeat_agg(t, '1900-01-01', '200 years', '1000 days')),
       downtime(heartbeat_agg(t, '1900-01-01', '200 years', '1000 days'))
FROM unnest(ARRAY['1900-01-01', '2099-12-31 23:59:59.999999', '2000-01-01']::timestamptz[]) AS t;

-- Shuffled input with many ranges gives the same value as sorted input.
SELECT (SELECT heartbeat_agg(t, '2022-01-01', '1 day', '1 minute' ORDER BY hashint8(i))
        FROM generate_series(0, 99999) AS i, LATERAL (SELECT '2022-01-01'::timestamptz + i * interval '0.5 second' + (i / 1000) * interval '2 minutes' AS t) x)
     = (SELECT heartbeat_agg(t, '2022-01-01', '1 day', '1 minute' ORDER BY t)
        FROM generate_series(0, 99999) AS i, LATERAL (SELECT '2022-01-01'::timestamptz + i * interval '0.5 second' + (i / 1000) * interval '2 minutes' AS t) x)
       AS shuffled_equal,
       (SELECT num_live_ranges(heartbeat_agg(t, '2022-01-01', '1 day', '1 minute'))
        FROM generate_series(0, 99999) AS i, LATERAL (SELECT '2022-01-01'::timestamptz + i * interval '0.5 second' + (i / 1000) * interval '2 minutes' AS t) x) AS ranges;
