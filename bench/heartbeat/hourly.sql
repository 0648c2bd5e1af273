-- Hourly heartbeat_agg values per system, computed from the raw beats
-- (the usual continuous-aggregate shape). psql variables: base, liveness.
\set ON_ERROR_STOP on
SET client_min_messages = warning;
SET TimeZone = 'UTC';

DROP TABLE IF EXISTS hourly;
CREATE TABLE hourly AS
SELECT system,
       date_bin('1 hour', ts, :'base') AS hour,
       heartbeat_agg(ts, date_bin('1 hour', ts, :'base'), '1 hour', :'liveness') AS agg
FROM beats
GROUP BY 1, 2;
VACUUM (ANALYZE) hourly;
