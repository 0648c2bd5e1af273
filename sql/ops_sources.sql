-- Source registration (ops_add_source / ops_remove_source), the view ops_sources, and the
-- change-tracking triggers on the watched tables.
-- Timestamps are shown in UTC, ISO style.
SET TimeZone = 'UTC';
SET DateStyle = 'ISO, YMD';
\getenv abs_srcdir PG_ABS_SRCDIR
\set attempt :abs_srcdir '/sql/include/attempt.sql'
\i :attempt
-- The triggers opsagg put on a table, as pg_get_triggerdef shows them.
CREATE FUNCTION pg_temp.triggers(t regclass) RETURNS TABLE (tgname name, definition text)
LANGUAGE sql AS $$
    SELECT tgname, pg_get_triggerdef(oid) FROM pg_trigger WHERE tgrelid = t AND NOT tgisinternal ORDER BY tgname
$$;

SELECT now() AS suite_start \gset
-- A table that is the event contract itself, and a gateway's raw tables (usage_logs: one row
-- per successful request; ops_error_logs: one row per failed one) mapped by views.
CREATE TABLE events_a (
    id bigserial PRIMARY KEY,
    occurred_at timestamptz NOT NULL,
    platform text,
    status_code integer,
    latency_ms double precision,
    is_timeout boolean NOT NULL DEFAULT false
);
CREATE TABLE groups (id integer PRIMARY KEY, platform text);
CREATE TABLE accounts (id integer PRIMARY KEY, platform text);
CREATE TABLE usage_logs (
    id bigserial PRIMARY KEY,
    created_at timestamptz NOT NULL,
    finished_at timestamptz,
    group_id integer,
    account_id integer,
    duration_ms integer
);
CREATE TABLE ops_error_logs (
    id bigserial PRIMARY KEY,
    created_at timestamptz NOT NULL,
    group_id integer,
    account_id integer,
    platform varchar(50),
    status_code smallint,
    is_timeout boolean
);
CREATE VIEW usage_events AS
SELECT u.created_at AS occurred_at, COALESCE(NULLIF(g.platform, ''), a.platform, '') AS platform,
       NULL::integer AS status_code, u.duration_ms AS latency_ms, false AS is_timeout
FROM usage_logs u LEFT JOIN groups g ON g.id = u.group_id LEFT JOIN accounts a ON a.id = u.account_id;
CREATE VIEW error_events AS
SELECT e.created_at AS occurred_at, COALESCE(NULLIF(e.platform, ''), g.platform, a.platform, '') AS platform,
       e.status_code, NULL::numeric AS latency_ms, e.is_timeout
FROM ops_error_logs e LEFT JOIN groups g ON g.id = e.group_id LEFT JOIN accounts a ON a.id = e.account_id;

-- Registration succeeds for a table (it is watched itself, by occurred_at) and for views
-- naming the table to watch and its time column. The types may vary within the contract:
-- platform varchar, status_code smallint, latency_ms integer or numeric.
SELECT ops_add_source('events_a');
SELECT ops_add_source('usage_events', watch => 'usage_logs', watch_time_column => 'created_at');
SELECT ops_add_source('error_events', 'ops_error_logs', 'created_at');
SELECT source, source_name, watch, watch_time_column, added_at BETWEEN :'suite_start' AND now() AS added_during_suite FROM ops_sources ORDER BY source_name;

-- Each watched table got the three triggers (a C row trigger with the time column as
-- argument, the statement trigger that writes the hours, the TRUNCATE trigger); the sources
-- themselves (views) have none.
SELECT * FROM pg_temp.triggers('events_a');
SELECT * FROM pg_temp.triggers('usage_logs');
SELECT * FROM pg_temp.triggers('ops_error_logs');
SELECT count(*) AS triggers_on_views FROM pg_trigger WHERE tgrelid IN ('usage_events'::regclass, 'error_events'::regclass);

-- Refusals, each with its SQLSTATE: a missing column of the contract (one view per column),
-- a column of a type outside the contract (one view per column), a view without watch, a
-- watch that is not a table, a watched time column missing or not timestamptz, a source
-- registered twice, a table already watched by another column, NULL arguments, a relation
-- that cannot hold rows.
CREATE VIEW no_occurred_at AS SELECT platform, status_code, latency_ms, is_timeout FROM events_a;
CREATE VIEW no_platform AS SELECT occurred_at, status_code, latency_ms, is_timeout FROM events_a;
CREATE VIEW no_status_code AS SELECT occurred_at, platform, latency_ms, is_timeout FROM events_a;
CREATE VIEW no_latency_ms AS SELECT occurred_at, platform, status_code, is_timeout FROM events_a;
CREATE VIEW no_is_timeout AS SELECT occurred_at, platform, status_code, latency_ms FROM events_a;
CREATE VIEW bad_occurred_at AS
SELECT (occurred_at AT TIME ZONE 'UTC') AS occurred_at, platform, status_code, latency_ms, is_timeout FROM events_a;
CREATE VIEW bad_platform AS SELECT occurred_at, status_code AS platform, status_code, latency_ms, is_timeout FROM events_a;
CREATE VIEW bad_status_code AS SELECT occurred_at, platform, status_code::bigint, latency_ms, is_timeout FROM events_a;
CREATE VIEW bad_latency_ms AS SELECT occurred_at, platform, status_code, latency_ms::text, is_timeout FROM events_a;
CREATE VIEW bad_is_timeout AS SELECT occurred_at, platform, status_code, latency_ms, is_timeout::integer FROM events_a;
CREATE VIEW usage_events_2 AS SELECT * FROM usage_events;
CREATE SEQUENCE not_a_relation_with_rows;
SELECT c.n, c.what, a.result, a.message
FROM (VALUES
    (1, 'missing occurred_at', $$SELECT ops_add_source('no_occurred_at', 'events_a')$$),
    (2, 'missing platform', $$SELECT ops_add_source('no_platform', 'events_a')$$),
    (3, 'missing status_code', $$SELECT ops_add_source('no_status_code', 'events_a')$$),
    (4, 'missing latency_ms', $$SELECT ops_add_source('no_latency_ms', 'events_a')$$),
    (5, 'missing is_timeout', $$SELECT ops_add_source('no_is_timeout', 'events_a')$$),
    (6, 'occurred_at timestamp', $$SELECT ops_add_source('bad_occurred_at', 'events_a')$$),
    (7, 'platform integer', $$SELECT ops_add_source('bad_platform', 'events_a')$$),
    (8, 'status_code bigint', $$SELECT ops_add_source('bad_status_code', 'events_a')$$),
    (9, 'latency_ms text', $$SELECT ops_add_source('bad_latency_ms', 'events_a')$$),
    (10, 'is_timeout integer', $$SELECT ops_add_source('bad_is_timeout', 'events_a')$$),
    (11, 'view without watch', $$SELECT ops_add_source('usage_events_2')$$),
    (12, 'watch is a view', $$SELECT ops_add_source('usage_events_2', 'usage_events', 'occurred_at')$$),
    (13, 'watch column missing', $$SELECT ops_add_source('usage_events_2', 'usage_logs')$$),
    (14, 'watch column bigint', $$SELECT ops_add_source('usage_events_2', 'usage_logs', 'id')$$),
    (15, 'duplicate source', $$SELECT ops_add_source('events_a')$$),
    (16, 'duplicate view source', $$SELECT ops_add_source('usage_events', 'usage_logs', 'created_at')$$),
    (17, 'table watched by another column', $$SELECT ops_add_source('usage_events_2', 'usage_logs', 'finished_at')$$),
    (18, 'NULL source', $$SELECT ops_add_source(NULL)$$),
    (19, 'NULL watch_time_column', $$SELECT ops_add_source('usage_events_2', 'usage_logs', NULL)$$),
    (20, 'a sequence', $$SELECT ops_add_source('not_a_relation_with_rows')$$)
) AS c(n, what, call), LATERAL pg_temp.attempt(c.call) AS a
ORDER BY c.n;
-- The hints: the contract for a column, how to name the table to watch for a view.
SELECT DISTINCT a.hint
FROM (VALUES ($$SELECT ops_add_source('no_platform', 'events_a')$$),
             ($$SELECT ops_add_source('bad_latency_ms', 'events_a')$$),
             ($$SELECT ops_add_source('usage_events_2')$$),
             ($$SELECT ops_add_source('usage_events_2', 'usage_logs', 'id')$$)) AS c(call),
     LATERAL pg_temp.attempt(c.call) AS a
ORDER BY 1;
-- A relation that does not exist is refused by the regclass input itself.
\set VERBOSITY sqlstate
SELECT ops_add_source('no_such_relation');
\set VERBOSITY default
-- No refusal left anything behind: the same three sources, no trigger on the other tables.
SELECT source_name FROM ops_sources ORDER BY 1;
SELECT DISTINCT tgrelid::regclass AS watched FROM pg_trigger WHERE tgname LIKE 'opsagg\_%' ORDER BY 1;

-- A second source over an already watched table with the same time column is accepted;
-- the table keeps its single set of triggers.
SELECT ops_add_source('usage_events_2', 'usage_logs', 'created_at');
SELECT source_name, watch, watch_time_column FROM ops_sources ORDER BY 1;
SELECT count(*) AS triggers_on_usage_logs FROM pg_temp.triggers('usage_logs');

-- The triggers log the UTC hours each statement touches, one record per hour and statement,
-- whatever the session's TimeZone: INSERT logs the new rows' hours, UPDATE the old and the
-- new ones, DELETE the old ones; infinite times are skipped.
SET TimeZone = 'Asia/Kolkata';
INSERT INTO events_a (occurred_at, platform, status_code, latency_ms) VALUES
    ('2024-05-01 10:05:00+00', 'web', 200, 12), ('2024-05-01 10:55:00+00', 'web', 500, NULL),
    ('2024-05-01 11:00:00+00', 'api', 404, 3), ('infinity', 'api', 200, 1);
SELECT hour AT TIME ZONE 'UTC' AS utc_hour, watch_table::regclass FROM ops_change_log ORDER BY 1;
SET TimeZone = 'UTC';
UPDATE events_a SET occurred_at = '2024-05-01 14:30:00+00' WHERE occurred_at = '2024-05-01 11:00:00+00';
DELETE FROM events_a WHERE occurred_at = 'infinity';
INSERT INTO usage_logs (created_at, duration_ms) VALUES ('2024-05-01 10:10:00+00', 7);
INSERT INTO ops_error_logs (created_at, status_code) VALUES ('2024-05-01 09:59:59.999999+00', 502);
SELECT hour, watch_table::regclass, count(*) AS records FROM ops_change_log GROUP BY 1, 2 ORDER BY watch_table::regclass::text, hour;
-- ops_rollup_status counts each source's pending records (those of the table it watches).
SELECT source, watch, pending_changes FROM ops_rollup_status ORDER BY source;
-- TRUNCATE logs every hour within hourly retention (30 days back from now, both ends
-- included: 721 hours). (One transaction: the same now() for the trigger and the check.)
BEGIN;
TRUNCATE events_a;
SELECT count(*) AS hours, count(DISTINCT hour) AS distinct_hours,
       min(hour) = date_bin('1 hour', now() - interval '30 days', '2000-01-01 00:00+00') AS from_retention_cutoff,
       max(hour) = date_bin('1 hour', now(), '2000-01-01 00:00+00') AS to_open_hour
FROM ops_change_log WHERE watch_table = 'events_a'::regclass AND hour > '2024-12-31';
COMMIT;

-- The application's role needs no privilege on the extension's tables: the triggers run
-- as their owner.
CREATE ROLE regress_opsagg_app;
GRANT INSERT, UPDATE, DELETE, SELECT ON events_a TO regress_opsagg_app;
GRANT USAGE ON SEQUENCE events_a_id_seq TO regress_opsagg_app;
SET ROLE regress_opsagg_app;
SELECT has_table_privilege('ops_change_log', 'INSERT') AS app_may_insert_change_log;
INSERT INTO events_a (occurred_at, platform) VALUES ('2024-05-02 00:00:00+00', 'web');
UPDATE events_a SET platform = 'ios' WHERE occurred_at = '2024-05-02 00:00:00+00';
RESET ROLE;
SELECT count(*) AS records_of_the_app FROM ops_change_log WHERE hour = '2024-05-02 00:00:00+00';
DELETE FROM events_a;
REVOKE ALL ON events_a FROM regress_opsagg_app;
REVOKE ALL ON SEQUENCE events_a_id_seq FROM regress_opsagg_app;
DROP ROLE regress_opsagg_app;

-- Rows of a removed source stay. Refresh a day with events of every source, then remove one.
INSERT INTO events_a (occurred_at, platform, status_code, latency_ms) VALUES ('2024-05-03 08:15:00+00', 'web', 200, 20);
INSERT INTO usage_logs (created_at, duration_ms) VALUES ('2024-05-03 08:20:00+00', 40);
SELECT * FROM ops_refresh('2024-05-03 00:00:00+00', '2024-05-04 00:00:00+00');
SELECT bucket_start, platform, request_count, avg_latency_ms FROM ops_metrics_hourly ORDER BY 1, 2;

-- Removing one of the two sources of usage_logs keeps the triggers; removing the other drops
-- them and the table's pending change records. The rows stay.
SELECT ops_remove_source('usage_events_2');
SELECT count(*) AS triggers_on_usage_logs FROM pg_temp.triggers('usage_logs');
SELECT count(*) AS pending_of_usage_logs FROM ops_change_log WHERE watch_table = 'usage_logs'::regclass;
SELECT ops_remove_source('usage_events');
SELECT count(*) AS triggers_on_usage_logs FROM pg_temp.triggers('usage_logs');
SELECT count(*) AS pending_of_usage_logs FROM ops_change_log WHERE watch_table = 'usage_logs'::regclass;
SELECT source_name, watch FROM ops_sources ORDER BY 1;
SELECT bucket_start, platform, request_count, avg_latency_ms FROM ops_metrics_hourly ORDER BY 1, 2;
-- They stay until their hours are recomputed: a refresh now reads only the sources left.
SELECT * FROM ops_refresh('2024-05-03 00:00:00+00', '2024-05-04 00:00:00+00');
SELECT bucket_start, platform, request_count, avg_latency_ms FROM ops_metrics_hourly ORDER BY 1, 2;
-- A write to usage_logs is not tracked any more.
INSERT INTO usage_logs (created_at, duration_ms) VALUES ('2024-05-03 09:00:00+00', 1);
SELECT count(*) AS records_of_usage_logs FROM ops_change_log WHERE watch_table = 'usage_logs'::regclass;

-- Removing a relation that is not (or no longer) a source, or NULL: refused.
SELECT c.what, a.result, a.message
FROM (VALUES (1, 'removed twice', $$SELECT ops_remove_source('usage_events')$$),
             (2, 'never registered', $$SELECT ops_remove_source('groups')$$),
             (3, 'NULL', $$SELECT ops_remove_source(NULL)$$)) AS c(n, what, call),
     LATERAL pg_temp.attempt(c.call) AS a
ORDER BY c.n;

-- A source can be registered again after its removal.
SELECT ops_add_source('usage_events', 'usage_logs', 'created_at');
SELECT source_name FROM ops_sources ORDER BY 1;

-- Clean up: no source, no trigger, no rows, no change records.
SELECT ops_remove_source(source) FROM ops_sources ORDER BY source_name;
SELECT count(*) AS opsagg_triggers FROM pg_trigger WHERE tgname LIKE 'opsagg\_%';
DELETE FROM ops_metrics_hourly;
DELETE FROM ops_metrics_daily;
SELECT count(*) AS change_records FROM ops_change_log;
DROP VIEW usage_events_2, usage_events, error_events, no_occurred_at, no_platform, no_status_code,
    no_latency_ms, no_is_timeout, bad_occurred_at, bad_platform, bad_status_code, bad_latency_ms, bad_is_timeout;
DROP TABLE events_a, groups, accounts, usage_logs, ops_error_logs;
DROP SEQUENCE not_a_relation_with_rows;
