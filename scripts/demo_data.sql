-- Sample data for scripts/demo.sh: three weeks of heartbeats from a small fleet.
--
-- Every system sends a heartbeat every 30 seconds from 2026-10-01 00:00 UTC until the demo's
-- "now", 2026-10-21 14:30 UTC. Heartbeats are missing while a system is down:
--   * scripted incidents (a bad deploy, a full disk, a failed database failover, ...);
--   * random short dropouts of the application services (3 to 12 minutes);
--   * random single lost heartbeats (0.5 %), which a 2-minute liveness rides out.
-- The database pair db-primary / db-standby has outages of its own and two windows in which both
-- were down at once. All "randomness" is a hash of the system name and the time, so every run
-- produces exactly the same rows.
--
-- Plain SQL: it needs no extension and loads on any PostgreSQL 15.

\set ON_ERROR_STOP 1
SET client_min_messages = warning;
SET TimeZone = 'UTC';

DROP TABLE IF EXISTS heartbeats, incidents, demo_period;

-- The reporting period and the liveness the queries use.
CREATE TABLE demo_period (
    period_start timestamptz NOT NULL,
    as_of        timestamptz NOT NULL,  -- the demo's "now": data ends here
    liveness     interval    NOT NULL   -- a heartbeat means "alive" for this long
);
INSERT INTO demo_period VALUES ('2026-10-01 00:00:00+00', '2026-10-21 14:30:00+00', '2 minutes');

-- Ground truth: when each system really stopped sending heartbeats.
CREATE TABLE incidents (
    system text        NOT NULL,
    starts timestamptz NOT NULL,
    ends   timestamptz NOT NULL,
    note   text        NOT NULL,
    CHECK (starts < ends)
);

-- A deterministic pseudo-random number in [0, 1) for a key.
CREATE FUNCTION pg_temp.demo_rand(key text) RETURNS double precision
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$ SELECT (hashtextextended(key, 20261001) & 9223372036854775807)::double precision
             / 9223372036854775808.0 $$;

INSERT INTO incidents (system, starts, ends, note) VALUES
    ('api',        '2026-10-04 14:05+00', '2026-10-04 14:17+00', 'bad deploy, rolled back'),
    ('api',        '2026-10-15 09:30+00', '2026-10-15 10:15+00', 'connection pool exhausted'),
    ('web',        '2026-10-07 22:00+00', '2026-10-07 22:08+00', 'TLS certificate expired'),
    ('web',        '2026-10-18 16:40+00', '2026-10-18 18:55+00', 'CDN origin misconfiguration'),
    ('worker',     '2026-10-09 01:00+00', '2026-10-09 03:00+00', 'queue broker disk full'),
    ('worker',     '2026-10-19 23:50+00', '2026-10-20 00:35+00', 'OOM crash loop'),
    ('billing',    '2026-10-06 11:00+00', '2026-10-06 11:04:30+00', 'pod evicted'),
    ('billing',    '2026-10-17 00:00+00', '2026-10-17 00:25+00', 'nightly invoice batch starves the process'),
    ('billing',    '2026-10-21 13:50+00', '2026-10-21 14:10+00', 'payment provider timeout storm'),
    ('db-primary', '2026-10-05 03:00+00', '2026-10-05 03:20+00', 'planned minor version upgrade'),
    ('db-primary', '2026-10-12 03:10+00', '2026-10-12 04:25+00', 'storage controller failure'),
    ('db-primary', '2026-10-19 21:30+00', '2026-10-19 21:45+00', 'network partition of the db rack'),
    ('db-standby', '2026-10-08 02:00+00', '2026-10-08 02:40+00', 'replica rebuild'),
    ('db-standby', '2026-10-12 03:55+00', '2026-10-12 04:40+00', 'crashed while being promoted'),
    ('db-standby', '2026-10-19 21:40+00', '2026-10-19 21:52+00', 'network partition of the db rack');

-- Random dropouts: in any hour an application service has a 1.2 % chance of going silent for
-- 3 to 12 minutes (whole heartbeats, starting on the 30-second grid).
INSERT INTO incidents (system, starts, ends, note)
SELECT system, starts, starts + beats * interval '30 seconds', 'random dropout'
FROM (SELECT s.system,
             h.hour + floor(pg_temp.demo_rand(s.system || '/offset/' || h.epoch) * 120)
                      * interval '30 seconds' AS starts,
             6 + floor(pg_temp.demo_rand(s.system || '/length/' || h.epoch) * 19) AS beats,
             pg_temp.demo_rand(s.system || '/dropout/' || h.epoch) AS dice
      FROM unnest(ARRAY['api', 'web', 'worker', 'billing']) AS s(system)
      CROSS JOIN generate_series((SELECT period_start FROM demo_period),
                                 (SELECT as_of FROM demo_period) - interval '1 hour',
                                 interval '1 hour') AS g(hour)
      CROSS JOIN LATERAL (SELECT g.hour, extract(epoch FROM g.hour)::bigint AS epoch) AS h) AS d
WHERE dice < 0.012;

CREATE TABLE heartbeats (
    system text        NOT NULL,
    ts     timestamptz NOT NULL
);

-- One heartbeat per system every 30 seconds, in arrival order, except while the system is down
-- and for the odd lost packet.
INSERT INTO heartbeats (system, ts)
SELECT s.system, g.ts
FROM generate_series((SELECT period_start FROM demo_period),
                     (SELECT as_of FROM demo_period) - interval '30 seconds',
                     interval '30 seconds') AS g(ts)
CROSS JOIN unnest(ARRAY['api', 'web', 'worker', 'billing', 'db-primary', 'db-standby']) AS s(system)
WHERE NOT EXISTS (SELECT FROM incidents i
                  WHERE i.system = s.system AND g.ts >= i.starts AND g.ts < i.ends)
  AND pg_temp.demo_rand(s.system || '/lost/' || extract(epoch FROM g.ts)::bigint) >= 0.005
ORDER BY g.ts, s.system;

CREATE INDEX heartbeats_system_ts ON heartbeats (system, ts);
ANALYZE heartbeats;
ANALYZE incidents;

SELECT format('loaded %s heartbeats from %s systems, %s to %s; %s incidents (%s random dropouts)',
              (SELECT count(*) FROM heartbeats),
              (SELECT count(DISTINCT system) FROM heartbeats),
              (SELECT min(ts) FROM heartbeats),
              (SELECT max(ts) FROM heartbeats),
              (SELECT count(*) FROM incidents),
              (SELECT count(*) FROM incidents WHERE note = 'random dropout')) AS demo_data \gset
\echo :demo_data
