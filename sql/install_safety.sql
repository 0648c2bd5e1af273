-- Install-script safety: hostile functions, operators and casts in public, and a search_path
-- that puts public before pg_catalog, neither hijack CREATE EXTENSION nor any SQL-language
-- function of the extension. Runs in a database of its own (the extension goes into public,
-- next to the hostile objects), dropped at the end.
\set regress_db :DBNAME
CREATE DATABASE opsagg_install_safety;
\c opsagg_install_safety
SET client_min_messages = warning;
\set VERBOSITY sqlstate

-- Every hostile object records its call here.
CREATE TABLE public.hostile_calls (called text);
CREATE FUNCTION public.hostile(what text) RETURNS boolean LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO public.hostile_calls VALUES (what);
    RETURN true;
END $$;

-- Operators on the types the extension's functions use, same signatures as pg_catalog's:
-- chosen over them wherever a name is resolved with public first.
CREATE FUNCTION public.h_plus(a timestamptz, b interval) RETURNS timestamptz LANGUAGE sql AS
    $$ SELECT public.hostile('timestamptz + interval'); SELECT a $$;
CREATE FUNCTION public.h_minus(a timestamptz, b timestamptz) RETURNS interval LANGUAGE sql AS
    $$ SELECT public.hostile('timestamptz - timestamptz'); SELECT '0'::pg_catalog.interval $$;
CREATE FUNCTION public.h_concat(a text, b text) RETURNS text LANGUAGE sql AS
    $$ SELECT public.hostile('text || text'); SELECT a $$;
DO $$
DECLARE
    t text;
    op text;
BEGIN
    FOREACH t IN ARRAY ARRAY['float8', 'timestamptz', 'interval', 'text', 'bigint', 'integer', 'boolean', 'jsonb', 'bytea', 'numeric'] LOOP
        EXECUTE format('CREATE FUNCTION public.%I(a %s, b %s) RETURNS boolean LANGUAGE sql AS %L',
                       'h_op_' || t, t, t, format('SELECT public.hostile(%L)', 'operator on ' || t));
        FOREACH op IN ARRAY ARRAY['=', '<>', '<', '<=', '>', '>='] LOOP
            EXECUTE format('CREATE OPERATOR public.%s (LEFTARG = %s, RIGHTARG = %s, FUNCTION = public.%I)',
                           op, t, t, 'h_op_' || t);
        END LOOP;
    END LOOP;
END $$;
CREATE OPERATOR public.+ (LEFTARG = timestamptz, RIGHTARG = interval, FUNCTION = public.h_plus);
CREATE OPERATOR public.- (LEFTARG = timestamptz, RIGHTARG = timestamptz, FUNCTION = public.h_minus);
CREATE OPERATOR public.|| (LEFTARG = text, RIGHTARG = text, FUNCTION = public.h_concat);

-- Functions with pg_catalog's names and signatures: the selectivity estimators CREATE
-- OPERATOR names (internal arguments: aliases of other built-in estimators, recognisable by
-- their namespace, checked after the install), functions SQL bodies might name; and functions
-- with the extension's names and argument types that match literals or other types better
-- (text, numeric, polymorphic).
CREATE FUNCTION public.eqsel(internal, oid, internal, integer) RETURNS float8
    LANGUAGE internal STABLE AS 'scalargtsel';
CREATE FUNCTION public.neqsel(internal, oid, internal, integer) RETURNS float8
    LANGUAGE internal STABLE AS 'scalargtsel';
CREATE FUNCTION public.eqjoinsel(internal, oid, internal, smallint, internal) RETURNS float8
    LANGUAGE internal STABLE AS 'scalargtjoinsel';
CREATE FUNCTION public.neqjoinsel(internal, oid, internal, smallint, internal) RETURNS float8
    LANGUAGE internal STABLE AS 'scalargtjoinsel';
CREATE FUNCTION public.scalarltsel(internal, oid, internal, integer) RETURNS float8
    LANGUAGE internal STABLE AS 'scalargtsel';
CREATE FUNCTION public.now() RETURNS timestamptz LANGUAGE sql AS
    $$ SELECT public.hostile('now'); SELECT 'epoch'::pg_catalog.timestamptz $$;
CREATE FUNCTION public.row_to_json(anyelement) RETURNS json LANGUAGE sql AS
    $$ SELECT public.hostile('row_to_json'); SELECT 'null'::pg_catalog.json $$;
DO $$
DECLARE
    f text;
    args text;
BEGIN
    FOREACH f IN ARRAY ARRAY['uptime', 'downtime', 'live_ranges', 'dead_ranges', 'num_live_ranges',
                             'num_gaps', 'live_at', 'interpolate', 'interpolated_uptime',
                             'interpolated_downtime', 'trim_to', 'trim_until', 'approx_percentile',
                             'approx_percentile_array', 'num_vals', 'mean', 'min_val', 'max_val', 'error',
                             'labels_canonical', 'labels_canonical_text', 'labels_fingerprint'] LOOP
        FOREACH args IN ARRAY ARRAY['a text', 'a numeric', 'a anyelement', 'a numeric, b anyelement',
                                    'a anyelement, b anyelement', 'a anyelement, b text',
                                    'a anyelement, b numeric, c anyelement', 'a anyelement, b text, c text'] LOOP
            EXECUTE format('CREATE FUNCTION public.%I(%s) RETURNS boolean LANGUAGE sql AS %L',
                           f, args, format('SELECT public.hostile(%L)', f || '(' || args || ')'));
        END LOOP;
    END LOOP;
END $$;

-- Implicit casts between the types involved (superuser only; this database is thrown away).
CREATE FUNCTION public.h_cast_text(text) RETURNS float8 LANGUAGE sql AS
    $$ SELECT public.hostile('cast text to float8'); SELECT 0::pg_catalog.float8 $$;
CREATE FUNCTION public.h_cast_numeric(numeric) RETURNS timestamptz LANGUAGE sql AS
    $$ SELECT public.hostile('cast numeric to timestamptz'); SELECT 'epoch'::pg_catalog.timestamptz $$;
CREATE FUNCTION public.h_cast_varchar(varchar) RETURNS interval LANGUAGE sql AS
    $$ SELECT public.hostile('cast varchar to interval'); SELECT '0'::pg_catalog.interval $$;
CREATE CAST (text AS float8) WITH FUNCTION public.h_cast_text(text) AS IMPLICIT;
CREATE CAST (numeric AS timestamptz) WITH FUNCTION public.h_cast_numeric(numeric) AS IMPLICIT;
CREATE CAST (varchar AS interval) WITH FUNCTION public.h_cast_varchar(varchar) AS IMPLICIT;

-- The trap works: an unqualified name resolved with public first calls the hostile object.
SET search_path = public, pg_catalog;
SELECT 1::float8 = 1::float8 AS hostile_equal, 'x'::text || 'y' AS hostile_concat;
SELECT called FROM public.hostile_calls ORDER BY called;
TRUNCATE public.hostile_calls;

-- Install with public first on the search_path.
CREATE EXTENSION opsagg;
SELECT called FROM public.hostile_calls;

-- After the install, more same-named functions with the extension's domain type and
-- polymorphic types (the extension's own argument types match exactly and win).
CREATE FUNCTION public.uptime(a heartbeatagg) RETURNS interval LANGUAGE sql AS
    $$ SELECT public.hostile('uptime(heartbeatagg)'); SELECT '0'::pg_catalog.interval $$;
CREATE FUNCTION public.trim_to(a heartbeatagg, b timestamptz, c interval) RETURNS heartbeat_agg LANGUAGE sql AS
    $$ SELECT public.hostile('trim_to(heartbeatagg, ...)'); SELECT a::public.heartbeat_agg $$;
CREATE FUNCTION public.approx_percentile(a float8, b anyelement) RETURNS float8 LANGUAGE sql AS
    $$ SELECT public.hostile('approx_percentile(float8, anyelement)'); SELECT 0::pg_catalog.float8 $$;

-- Call every SQL-language function of the extension, with public first on the search_path.
-- Arguments by type: a sample value, and for the accessor types a row of samples.
CREATE TEMP TABLE samples (type regtype PRIMARY KEY, expr text);
INSERT INTO samples VALUES
    ('heartbeat_agg', $$'(version:1,start_time:0,end_time:100,last_seen:55,interval_len:10,num_intervals:2,interval_starts:[5,50],interval_ends:[20,65])'::public.heartbeat_agg$$),
    ('latency_sketch', $$'(version:1,accuracy:0.5,count:3,zero_count:1,min:0,max:2,sum_ns:[0,3000000],offset:0,counts:[1,1])'::public.latency_sketch$$),
    ('timestamptz', $$'2000-01-01 00:00:00.00003+00'::pg_catalog.timestamptz$$),
    ('interval', $$'00:00:00.00004'::pg_catalog.interval$$),
    ('float8', $$0.5::pg_catalog.float8$$),
    ('float8[]', $$'{0.25,0.5}'::pg_catalog.float8[]$$),
    ('jsonb', $${"a": 1}'::pg_catalog.jsonb$$);
INSERT INTO samples
SELECT t.oid::regtype,
       format('ROW(%s)::public.%I',
              (SELECT string_agg(s.expr, ', ' ORDER BY a.attnum) FROM pg_attribute a JOIN samples s ON s.type = a.atttypid
               WHERE a.attrelid = t.typrelid AND a.attnum > 0), t.typname)
FROM pg_type t WHERE t.typname LIKE 'accessor\_%' AND t.typnamespace = 'public'::regnamespace;
SELECT count(*) AS accessor_types, count(*) FILTER (WHERE expr IS NULL) AS without_sample
FROM samples WHERE type::text LIKE 'accessor\_%';

CREATE TEMP VIEW extension_functions AS
SELECT p.oid, p.oid::regprocedure AS signature, l.lanname AS language, p.proconfig, p.prosrc, p.prosecdef
FROM pg_depend d JOIN pg_proc p ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid
JOIN pg_language l ON l.oid = p.prolang
WHERE d.refclassid = 'pg_extension'::regclass AND d.deptype = 'e'
  AND d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'opsagg');

-- One call per SQL-language function, each argument a sample of its type.
CREATE TEMP TABLE calls AS
SELECT p.oid::regprocedure AS signature,
       format('SELECT count(*) FROM (SELECT %s.%I(%s)) AS r', p.pronamespace::regnamespace, p.proname,
              coalesce(string_agg(s.expr, ', ' ORDER BY a.ord), '')) AS call
FROM extension_functions f JOIN pg_proc p ON p.oid = f.oid
LEFT JOIN LATERAL unnest(p.proargtypes::oid[]) WITH ORDINALITY AS a(type, ord) ON true
LEFT JOIN samples s ON s.type = a.type
WHERE f.language IN ('sql', 'plpgsql')
GROUP BY p.oid, p.pronamespace, p.proname;
-- Rows the call returned, or its SQLSTATE.
CREATE FUNCTION pg_temp.run(call text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    n bigint;
BEGIN
    EXECUTE call INTO n;
    RETURN n || ' row(s)';
EXCEPTION WHEN OTHERS THEN
    RETURN SQLSTATE;
END $$;

SET search_path = public, pg_catalog;
SELECT signature, pg_temp.run(call) AS result FROM calls ORDER BY signature::text;
-- The pipeline forms as users write them (the operators and the inlined SQL functions).
SELECT v -> uptime() AS uptime, v -> num_live_ranges() AS ranges, v -> live_at('2000-01-01 00:00:00.00006+00'::timestamptz) AS live,
       v -> trim_to('2000-01-01 00:00:00.00001+00'::timestamptz, '00:00:00.00005'::interval) -> downtime() AS trimmed_downtime,
       v -> trim_until('2000-01-01 00:00:00.00003+00'::timestamptz) -> uptime() AS until_uptime,
       (SELECT count(*) FROM (SELECT v -> live_ranges()) r) AS live_ranges
FROM (SELECT expr FROM samples WHERE type = 'heartbeat_agg'::regtype) s,
     LATERAL (SELECT '(version:1,start_time:0,end_time:100,last_seen:55,interval_len:10,num_intervals:2,interval_starts:[5,50],interval_ends:[20,65])'::heartbeat_agg AS v) x;
SELECT s -> approx_percentile(0.5::float8) AS p50, s -> approx_percentile_array('{0,1}'::float8[]) AS p0_p100,
       s -> num_vals() AS n, s -> mean() AS mean, s -> min_val() AS min, s -> max_val() AS max, s -> error() AS error
FROM (SELECT '(version:1,accuracy:0.5,count:3,zero_count:1,min:0,max:2,sum_ns:[0,3000000],offset:0,counts:[1,1])'::latency_sketch AS s) x;

-- The ops rollups among the hostile objects: registration, change tracking on insert, update,
-- delete and truncate, ops_refresh, the worker's steps, retention, removal. (The test's own
-- statements qualify their operators: only the extension's code is under test.)
CREATE TABLE public.safety_events (occurred_at timestamptz, platform text, status_code integer,
                                   latency_ms double precision, is_timeout boolean);
SELECT public.ops_add_source('public.safety_events');
INSERT INTO public.safety_events
SELECT pg_catalog.date_bin('1 hour', pg_catalog.now(), '2000-01-01 00:00:00+00') - i * interval '17 minutes',
       (ARRAY['a', '', NULL])[1 + i % 3],
       CASE WHEN i % 4 OPERATOR(pg_catalog.=) 0 THEN 503 ELSE 200 END,
       CASE WHEN i % 4 OPERATOR(pg_catalog.=) 0 THEN NULL ELSE i END,
       i % 8 OPERATOR(pg_catalog.=) 0
FROM pg_catalog.generate_series(1, 20) AS i;
UPDATE public.safety_events SET platform = 'b' WHERE platform OPERATOR(pg_catalog.=) 'a';
SELECT pg_catalog.count(*) OPERATOR(pg_catalog.>) 0 AS changes_logged FROM public.ops_change_log;
SELECT hours_refreshed, hourly_rows_written OPERATOR(pg_catalog.>) 0 AS wrote
FROM public.ops_refresh(pg_catalog.date_bin('1 hour', pg_catalog.now(), '2000-01-01 00:00:00+00') - interval '8 hours',
                        pg_catalog.date_bin('1 hour', pg_catalog.now(), '2000-01-01 00:00:00+00') OPERATOR(pg_catalog.+) interval '1 hour');
SELECT platform, pg_catalog.sum(request_count) AS requests, pg_catalog.sum(error_count) AS errors,
       pg_catalog.sum(error_5xx_count) AS errors_5xx, pg_catalog.sum(timeout_count) AS timeouts,
       pg_catalog.sum(latency_sample_count) AS samples
FROM public.ops_metrics_hourly GROUP BY platform ORDER BY platform COLLATE "C";
DELETE FROM public.safety_events WHERE platform OPERATOR(pg_catalog.=) 'b';
SELECT public.ops_worker_cycle_begin();
DO $$ BEGIN WHILE public.ops_worker_cycle_step() LOOP END LOOP; END $$;
SELECT public.ops_worker_cycle_end();
SELECT platform, pg_catalog.sum(request_count) AS requests
FROM public.ops_metrics_hourly GROUP BY platform ORDER BY platform COLLATE "C";
-- The dashboards, from the rollups and the sources.
SELECT platform, platform IS NULL AS total, request_count, error_count, latency_sample_count
FROM public.ops_metrics(pg_catalog.now() OPERATOR(pg_catalog.-) interval '10 hours',
                        pg_catalog.now() OPERATOR(pg_catalog.+) interval '1 hour');
SELECT pg_catalog.count(*) AS rows, pg_catalog.sum(request_count) AS requests,
       pg_catalog.sum(request_count_prev) AS previous_requests
FROM public.ops_metrics_series(pg_catalog.now() OPERATOR(pg_catalog.-) interval '10 hours',
                               pg_catalog.now() OPERATOR(pg_catalog.+) interval '1 hour', '1 hour')
WHERE platform IS NULL;
TRUNCATE public.safety_events;
SELECT pg_catalog.count(*) OPERATOR(pg_catalog.>) 0 AS truncate_logged FROM public.ops_change_log;
SELECT last_error, source_error FROM public.ops_rollup_status;
SELECT public.ops_remove_source('public.safety_events');

-- No hostile object was ever called.
SELECT count(*) AS hostile_calls FROM public.hostile_calls;
RESET search_path;

-- Catalog check, so a future function cannot be unsafe silently. Every SQL or PL/pgSQL
-- function of the extension either pins search_path (proconfig) or has a body that names
-- nothing unqualified. Heuristic for the body: after removing string literals, names
-- qualified with the extension's schema or pg_catalog (also inside OPERATOR(...)), $n and
-- ($n).field, and the keywords SELECT, ROW, FROM, AS, nothing but punctuation ( ) , * :: may
-- remain (so any unqualified function, type, operator or cast fails it). PL/pgSQL must pin.
SELECT signature, language, prosrc
FROM extension_functions
WHERE language IN ('sql', 'plpgsql')
  AND NOT coalesce(proconfig @> ARRAY['search_path=pg_catalog, pg_temp'], false)
  AND (language <> 'sql' OR
       btrim(regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(
           prosrc,
           '''([^'']|'''')*''', ' ', 'g'),                                               -- literals
           'OPERATOR\((public|pg_catalog)\.[^)]+\)', ' ', 'g'),                          -- OPERATOR(schema.op)
           '(public|pg_catalog)\.("[^"]+"|[a-z_][a-z0-9_]*)', ' ', 'g'),                 -- schema.name
           '\(\$[0-9]+\)\.("[^"]+"|[a-z_][a-z0-9_]*)|\$[0-9]+', ' ', 'g'),               -- ($n).field, $n
           '\m(SELECT|ROW|FROM|AS)\M', ' ', 'gi'),                                       -- keywords
           '[(),*]|::|\s', '', 'g')) <> '')
ORDER BY 1;
-- Every function the extension's objects use (type I/O, operators and their estimators,
-- aggregate support, operator class support) is the extension's own or pg_catalog's, and so is
-- every type they use (arguments, results, composite fields); none is public's hostile one.
-- (Dependencies on pg_catalog's objects are not recorded: they are pinned.)
CREATE TEMP VIEW foreign_dependencies AS
SELECT DISTINCT pg_describe_object(d.refclassid, d.refobjid, d.refobjsubid) AS foreign_dependency
FROM pg_depend d
WHERE d.deptype = 'n'
  AND d.refclassid IN ('pg_proc'::regclass, 'pg_type'::regclass, 'pg_operator'::regclass)
  AND (d.objid IN (SELECT objid FROM pg_depend WHERE refclassid = 'pg_extension'::regclass AND deptype = 'e'
                   AND refobjid = (SELECT oid FROM pg_extension WHERE extname = 'opsagg'))
       OR d.classid IN ('pg_amproc'::regclass, 'pg_amop'::regclass)
       OR (d.classid = 'pg_class'::regclass AND d.objid IN (SELECT typrelid FROM pg_type WHERE typname LIKE 'accessor\_%')))
  AND d.refobjid NOT IN (SELECT objid FROM pg_depend WHERE refclassid = 'pg_extension'::regclass AND deptype = 'e'
                         AND refobjid = (SELECT oid FROM pg_extension WHERE extname = 'opsagg'))
  AND CASE d.refclassid
          WHEN 'pg_proc'::regclass THEN (SELECT pronamespace FROM pg_proc WHERE oid = d.refobjid)
          WHEN 'pg_type'::regclass THEN (SELECT typnamespace FROM pg_type WHERE oid = d.refobjid)
          ELSE (SELECT oprnamespace FROM pg_operator WHERE oid = d.refobjid)
      END <> 'pg_catalog'::regnamespace;
SELECT * FROM foreign_dependencies ORDER BY 1;
SELECT o.oid::regoperator AS operator, o.oprrest, o.oprjoin
FROM pg_operator o JOIN pg_depend d ON d.classid = 'pg_operator'::regclass AND d.objid = o.oid AND d.deptype = 'e'
WHERE d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'opsagg')
  AND ((o.oprrest <> 0 AND (SELECT pronamespace FROM pg_proc WHERE oid = o.oprrest) <> 'pg_catalog'::regnamespace)
    OR (o.oprjoin <> 0 AND (SELECT pronamespace FROM pg_proc WHERE oid = o.oprjoin) <> 'pg_catalog'::regnamespace));
-- The SECURITY DEFINER functions, the change-tracking statement triggers (ops_track_flush
-- writes what the row trigger ops_track_row recorded; ops_track_changes handles TRUNCATE):
-- pinned search_path, and only their owner may create triggers with them.
SELECT signature, proconfig, has_function_privilege('public', oid, 'EXECUTE') AS public_may_execute
FROM extension_functions WHERE prosecdef ORDER BY signature::text;
-- The heuristic catches an unsafe body (this one names an unqualified operator and cast).
SELECT btrim(regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(
           'SELECT public.uptime($1) + $2::interval',
           '''([^'']|'''')*''', ' ', 'g'),
           'OPERATOR\((public|pg_catalog)\.[^)]+\)', ' ', 'g'),
           '(public|pg_catalog)\.("[^"]+"|[a-z_][a-z0-9_]*)', ' ', 'g'),
           '\(\$[0-9]+\)\.("[^"]+"|[a-z_][a-z0-9_]*)|\$[0-9]+', ' ', 'g'),
           '\m(SELECT|ROW|FROM|AS)\M', ' ', 'gi'),
           '[(),*]|::|\s', '', 'g')) AS left_unqualified;
-- The dependency check catches a member that uses a hostile estimator.
CREATE OPERATOR public.=== (LEFTARG = heartbeat_agg, RIGHTARG = heartbeat_agg,
                            FUNCTION = heartbeat_agg_eq, RESTRICT = public.eqsel);
ALTER EXTENSION opsagg ADD OPERATOR public.=== (heartbeat_agg, heartbeat_agg);
SELECT * FROM foreign_dependencies ORDER BY 1;

\c :regress_db
DROP DATABASE opsagg_install_safety;
