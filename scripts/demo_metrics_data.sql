-- Sample data for the metrics part of scripts/demo.sh: metric samples with inconsistent label
-- sets, and request latencies for the heartbeat demo's services.
--
--   * metric_samples: 20 minutes (2026-10-21 14:10 to 14:29 UTC) of two metrics from 8 hosts,
--     one sample per host, metric and minute. Each sample arrives through one of four writers,
--     and each writer spells the same label set its own way:
--       prometheus      {"host":"api-1","port":8080,"service":"api"}
--       legacy-agent    {"host":"api-1","port":8080.0,"service":"api"}     (port as a float)
--       otel-collector  {"service":"api","host":"api-1","port":"8080","zone":""}  (strings, empty zone)
--       sidecar         {"port":8080,"service":"api","host":"api-1","zone":null}  (null zone)
--     The true label set is always {host, port, service}: 16 series.
--   * requests: one row per request to api, web, worker and billing over the same three weeks
--     as the heartbeats (2026-10-01 00:00 to 2026-10-21 14:30 UTC), about 300,000 rows. Traffic
--     follows the time of day; latency has a log-normal body and a slow tail (requests 5 to 30
--     times slower: 0.13 % of requests at 03:00 UTC, 3.4 % at 15:00 UTC). On 2026-10-16 from
--     23:00 to 24:00 UTC the nightly invoice batch starves billing (the hour before billing
--     stops sending heartbeats): every billing request in that hour is 20 to 60 times slower.
-- All "randomness" is a hash of a key, so every run produces exactly the same rows.
--
-- Plain SQL: it needs no extension and loads on any PostgreSQL 15.

\set ON_ERROR_STOP 1
SET client_min_messages = warning;
SET TimeZone = 'UTC';

DROP TABLE IF EXISTS metric_samples, requests;

-- A deterministic pseudo-random number in [0, 1) for a key (as in scripts/demo_data.sql).
CREATE FUNCTION pg_temp.demo_rand(key text) RETURNS double precision
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$ SELECT (hashtextextended(key, 20261001) & 9223372036854775807)::double precision
             / 9223372036854775808.0 $$;

-- ---------------------------------------------------------------------------------------------
-- metric samples

CREATE TABLE metric_samples (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,  -- arrival order
    writer      text             NOT NULL,
    ts          timestamptz      NOT NULL,
    metric_name text             NOT NULL,
    labels      jsonb            NOT NULL,
    value       double precision NOT NULL
);

INSERT INTO metric_samples (writer, ts, metric_name, labels, value)
SELECT w.writer, g.ts, m.metric_name,
       (CASE w.writer
            WHEN 'prometheus'     THEN format('{"host":%s,"port":%s,"service":%s}', h.host_j, h.port, h.service_j)
            WHEN 'legacy-agent'   THEN format('{"host":%s,"port":%s.0,"service":%s}', h.host_j, h.port, h.service_j)
            WHEN 'otel-collector' THEN format('{"service":%s,"host":%s,"port":"%s","zone":""}', h.service_j, h.host_j, h.port)
            ELSE                       format('{"port":%s,"service":%s,"host":%s,"zone":null}', h.port, h.service_j, h.host_j)
        END)::jsonb,
       CASE m.metric_name
           WHEN 'http_requests_total' THEN h.rps * 60 * (extract(epoch FROM g.ts - '2026-10-21 00:00+00') / 60)
           ELSE h.rss_mb * 1048576
       END
FROM (VALUES ('api-1',    8080, 'api',     4, 310), ('api-2',    8080, 'api',     4, 295),
             ('api-3',    8080, 'api',     3, 301), ('web-1',    8443, 'web',     3, 180),
             ('web-2',    8443, 'web',     3, 176), ('worker-1', 9100, 'worker',  2, 920),
             ('worker-2', 9100, 'worker',  2, 870), ('billing-1', 8081, 'billing', 1, 410))
         AS h0(host, port, service, rps, rss_mb)
CROSS JOIN LATERAL (SELECT h0.*, to_json(h0.host)::text AS host_j,
                           to_json(h0.service)::text AS service_j) AS h
CROSS JOIN (VALUES ('http_requests_total'), ('process_resident_memory_bytes')) AS m(metric_name)
CROSS JOIN generate_series('2026-10-21 14:10+00'::timestamptz, '2026-10-21 14:29+00', '1 minute') AS g(ts)
CROSS JOIN LATERAL (SELECT (ARRAY['prometheus', 'legacy-agent', 'otel-collector', 'sidecar'])
                               [1 + floor(4 * pg_temp.demo_rand(h.host || '/' || m.metric_name || '/writer/'
                                                                || extract(epoch FROM g.ts)::bigint))::int]
                           AS writer) AS w
ORDER BY g.ts, h.host, m.metric_name;

-- ---------------------------------------------------------------------------------------------
-- request latencies

CREATE TABLE requests (
    service text             NOT NULL,
    ts      timestamptz      NOT NULL,
    ms      double precision NOT NULL  -- latency in milliseconds, to the microsecond
);

-- Per service: requests per hour on average, and median and spread of the log-normal body.
-- The load follows the time of day, 0.5 at 03:00 UTC to 1.5 at 15:00 UTC; traffic per hour is
-- the load times 0.85 to 1.15 at random, and the slow tail grows with the cube of the load (0.13 %
-- of requests at 03:00, 3.4 % at 15:00): busy hours are the slow ones.
INSERT INTO requests (service, ts, ms)
SELECT r.service,
       r.hour + floor(r.u_ts * r.hour_ms) * interval '1 millisecond',
       round(1000 * r.body * r.slow) / 1000
FROM (SELECT s.service, hr.hour, hr.hour_ms,
             pg_temp.demo_rand(k.key || '/ts') AS u_ts,
             -- log-normal body: median * exp(sigma * z), z standard normal (Box-Muller)
             s.median_ms * exp(s.sigma * sqrt(-2 * ln(1 - pg_temp.demo_rand(k.key || '/z1')))
                                        * cos(2 * pi() * pg_temp.demo_rand(k.key || '/z2'))) AS body,
             CASE
                 WHEN s.service = 'billing' AND hr.hour = '2026-10-16 23:00+00'
                     THEN 20 + 40 * pg_temp.demo_rand(k.key || '/incident')
                 WHEN pg_temp.demo_rand(k.key || '/tail') < 0.01 * hr.load ^ 3
                     THEN 5 + 25 * pg_temp.demo_rand(k.key || '/slow')
                 ELSE 1
             END AS slow
      FROM (VALUES ('api', 240, 40.0, 0.45), ('web', 200, 90.0, 0.50),
                   ('worker', 100, 250.0, 0.60), ('billing', 60, 150.0, 0.50))
               AS s(service, per_hour, median_ms, sigma)
      CROSS JOIN generate_series('2026-10-01 00:00+00'::timestamptz, '2026-10-21 14:00+00', '1 hour')
               AS g(hour)
      CROSS JOIN LATERAL (
          -- the last hour is cut at the demo's "now", 14:30
          SELECT g.hour,
                 extract(epoch FROM least(g.hour + interval '1 hour', '2026-10-21 14:30+00') - g.hour)
                     * 1000 AS hour_ms,
                 1 + 0.5 * cos(2 * pi() * (extract(hour FROM g.hour) - 15) / 24) AS load,
                 0.85 + 0.3 * pg_temp.demo_rand(s.service || '/traffic/' || extract(epoch FROM g.hour)::bigint)
                     AS noise) AS hr0
      CROSS JOIN LATERAL (
          SELECT hr0.*, round(s.per_hour * hr0.load * hr0.noise * hr0.hour_ms / 3600000)::int AS n) AS hr
      CROSS JOIN LATERAL generate_series(1, hr.n) AS i(n)
      CROSS JOIN LATERAL (SELECT s.service || '/' || extract(epoch FROM hr.hour)::bigint || '/' || i.n
                              AS key) AS k) AS r
ORDER BY 2, 1;

ANALYZE metric_samples;
ANALYZE requests;

SELECT format('loaded %s metric samples (%s metrics, %s writers), %s to %s',
              (SELECT count(*) FROM metric_samples),
              (SELECT count(DISTINCT metric_name) FROM metric_samples),
              (SELECT count(DISTINCT writer) FROM metric_samples),
              (SELECT min(ts) FROM metric_samples),
              (SELECT max(ts) FROM metric_samples)) AS samples_loaded,
       format('loaded %s requests from %s services, %s to %s',
              (SELECT count(*) FROM requests),
              (SELECT count(DISTINCT service) FROM requests),
              (SELECT min(ts) FROM requests),
              (SELECT max(ts) FROM requests)) AS requests_loaded \gset
\echo :samples_loaded
\echo :requests_loaded
