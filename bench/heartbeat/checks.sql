-- Correctness checks run before timing. psql variables: base, liveness.
-- Prints a per-system table, then lines "CHECK|<name>|OK or MISMATCH|<detail>".
\set ON_ERROR_STOP on
SET client_min_messages = warning;
SET TimeZone = 'UTC';

-- Uptime in seconds (numeric, exact to the microsecond) per system of a bench query.
CREATE OR REPLACE FUNCTION bench.uptimes(qname text, workers int)
RETURNS TABLE (system text, secs numeric)
LANGUAGE plpgsql AS $f$
BEGIN
    PERFORM set_config('max_parallel_workers_per_gather', workers::text, true);
    RETURN QUERY EXECUTE 'SELECT system, extract(epoch FROM uptime) FROM ('
        || (SELECT sql FROM bench.query WHERE name = qname) || ') s';
END
$f$;

CREATE TEMP TABLE up AS
SELECT q.name, m.mode, u.system, u.secs
FROM (VALUES ('a'), ('c'), ('c2'), ('r')) q(name)
CROSS JOIN (VALUES ('serial', 0), ('parallel', 2)) m(mode, workers)
CROSS JOIN LATERAL bench.uptimes(q.name, m.workers) u;

-- The raw-beats aggregate over the hourly table's combined window, to compare with rollup.
CREATE TEMP TABLE rawagg AS
SELECT system,
       heartbeat_agg(ts, :'base', (SELECT max(hour) + interval '1 hour' - :'base'::timestamptz FROM hourly),
                     :'liveness') AS agg
FROM beats GROUP BY system;

-- The aggregate of query (a), kept whole to show its shape.
CREATE TEMP TABLE fullagg AS
SELECT system, heartbeat_agg(ts, :'base', :'window', :'liveness') AS agg
FROM beats GROUP BY system;

CREATE TEMP TABLE rolled AS
SELECT system, rollup(agg) AS agg FROM hourly GROUP BY system;

CREATE TEMP TABLE per_system AS
SELECT s.system,
       (SELECT count(*) FROM beats b WHERE b.system = s.system) AS beats,
       a.secs                                               AS a_secs,
       ap.secs                                              AS ap_secs,
       c.secs                                               AS c_secs,
       cp.secs                                              AS cp_secs,
       c2.secs                                              AS c2_secs,
       r.secs                                               AS r_secs,
       rp.secs                                              AS rp_secs,
       extract(epoch FROM ra.agg -> uptime())               AS raw_secs,
       (ro.agg = ra.agg)                                    AS rollup_eq_raw,
       fa.agg -> num_live_ranges()                          AS live_ranges,
       fa.agg -> num_gaps()                                 AS gaps
FROM (SELECT DISTINCT system FROM beats) s
LEFT JOIN up a  ON a.system  = s.system AND a.name  = 'a'  AND a.mode  = 'serial'
LEFT JOIN up ap ON ap.system = s.system AND ap.name = 'a'  AND ap.mode = 'parallel'
LEFT JOIN up c  ON c.system  = s.system AND c.name  = 'c'  AND c.mode  = 'serial'
LEFT JOIN up cp ON cp.system = s.system AND cp.name = 'c'  AND cp.mode = 'parallel'
LEFT JOIN up c2 ON c2.system = s.system AND c2.name = 'c2' AND c2.mode = 'serial'
LEFT JOIN up r  ON r.system  = s.system AND r.name  = 'r'  AND r.mode  = 'serial'
LEFT JOIN up rp ON rp.system = s.system AND rp.name = 'r'  AND rp.mode = 'parallel'
LEFT JOIN rawagg ra ON ra.system = s.system
LEFT JOIN rolled ro ON ro.system = s.system
LEFT JOIN fullagg fa ON fa.system = s.system;

\pset footer off
SELECT system, beats,
       justify_hours(a_secs * interval '1 second') AS "uptime (a)",
       round(100 * a_secs / extract(epoch FROM :'window'::interval), 4) AS "up %",
       live_ranges AS "live ranges", gaps,
       CASE WHEN a_secs = c_secs AND a_secs = cp_secs AND a_secs = c2_secs THEN 'yes' ELSE 'NO' END AS "a=c=c2",
       CASE WHEN a_secs = ap_secs THEN 'yes' ELSE 'NO' END AS "a serial=parallel",
       CASE WHEN rollup_eq_raw AND r_secs = raw_secs AND rp_secs = raw_secs THEN 'yes' ELSE 'NO' END AS "rollup=raw"
FROM per_system ORDER BY system;

\pset tuples_only on
\pset format unaligned
SELECT 'CHECK|' || name || '|' || CASE WHEN ok THEN 'OK' ELSE 'MISMATCH' END || '|' || detail
FROM (
  SELECT 1 AS o, 'a = c (heartbeat_agg vs plain-SQL islands, per system, exact)' AS name,
         bool_and(coalesce(a_secs = c_secs AND a_secs = cp_secs, false)) AS ok,
         format('%s systems, total uptime a=%s s c=%s s', count(*), sum(a_secs), sum(c_secs)) AS detail
  FROM per_system
  UNION ALL
  SELECT 2, 'a = c2 (heartbeat_agg vs plain-SQL lead form)',
         bool_and(coalesce(a_secs = c2_secs, false)), format('total c2=%s s', sum(c2_secs))
  FROM per_system
  UNION ALL
  SELECT 3, 'a serial = a parallel',
         bool_and(coalesce(a_secs = ap_secs, false)), format('total parallel=%s s', sum(ap_secs))
  FROM per_system
  UNION ALL
  SELECT 4, 'rollup(hourly) = heartbeat_agg(raw beats, combined window) (value and uptime, serial+parallel)',
         bool_and(coalesce(rollup_eq_raw AND r_secs = raw_secs AND rp_secs = raw_secs, false)),
         format('%s hourly aggs, total rollup uptime=%s s raw=%s s', (SELECT count(*) FROM hourly), sum(r_secs), sum(raw_secs))
  FROM per_system
) x ORDER BY o;
