-- :n request latencies in milliseconds, as a service's access log would give them, in
-- :hours consecutive hours (n / hours requests an hour), then one stored latency_sketch and
-- one tdigest per hour (the dashboard's pre-aggregated table).
-- Deterministic (hash-based): every run measures the same data.
--   body : 96% log-normal, median 20 ms, sigma 0.5 (p90 about 38 ms)
--   slow : 3% log-normal, median 500 ms, sigma 0.25 (a slow mode: cache misses, retries);
--          10% instead of 3% in 1 hour of 20 (an incident)
--   tail : 1% Pareto from 100 ms, alpha 1.3, cut at the 30 s timeout
-- Values are rounded to the microsecond, as logs record them, so there are ties.
\set ON_ERROR_STOP on
SET client_min_messages = warning;

-- Uniform in (0, 1) from the 53 low bits of a hash.
CREATE OR REPLACE FUNCTION pg_temp.u(i bigint, seed bigint) RETURNS float8
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN ((hashint8extended(i, seed) & 9007199254740991)::float8 + 0.5) / 9007199254740992;

DROP TABLE IF EXISTS lat;
CREATE UNLOGGED TABLE lat AS
SELECT hour,
       round(CASE WHEN u3 < slow THEN 500 * exp(0.25 * z)
                  WHEN u3 < slow + 0.01 THEN least(100 / power(u4, 1 / 1.3), 30000)
                  ELSE 20 * exp(0.5 * z) END * 1000) / 1000 AS v
FROM (SELECT hour,
             sqrt(-2 * ln(pg_temp.u(i, 1))) * cos(2 * pi() * pg_temp.u(i, 2)) AS z,
             pg_temp.u(i, 3) AS u3, pg_temp.u(i, 4) AS u4,
             CASE WHEN abs(hashint8extended(hour, 5)) % 20 = 0 THEN 0.10 ELSE 0.03 END AS slow
      FROM generate_series(0::bigint, :n - 1) AS i,
           LATERAL (SELECT (i * :hours / :n)::int AS hour) h) x;
VACUUM ANALYZE lat;

-- The dashboard's table: one sketch and one t-digest (compression 100) per hour.
DROP TABLE IF EXISTS hourly;
CREATE TABLE hourly AS
SELECT hour, latency_sketch(v) AS s, tdigest(v, 100) AS td FROM lat GROUP BY hour;
VACUUM ANALYZE hourly;
