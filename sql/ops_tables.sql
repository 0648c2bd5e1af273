-- The two rollup tables as the catalogs describe them: the columns of the gateway's schema
-- (same names, types, defaults and NOT NULLs, so its dashboard queries work unchanged) plus
-- opsagg's extra columns, the primary keys, the (platform, bucket DESC) indexes, the comments,
-- and their registration with pg_extension_config_dump (their rows survive pg_dump).
-- Timestamps are shown in UTC, ISO style.
SET TimeZone = 'UTC';
SET DateStyle = 'ISO, YMD';

-- Columns in order: type, NOT NULL, default.
SELECT c.relname AS "table", a.attnum, a.attname, format_type(a.atttypid, a.atttypmod) AS type,
       a.attnotnull AS not_null, pg_get_expr(d.adbin, d.adrelid) AS "default"
FROM pg_class c
JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
LEFT JOIN pg_attrdef d ON d.adrelid = c.oid AND d.adnum = a.attnum
WHERE c.oid IN ('ops_metrics_hourly'::regclass, 'ops_metrics_daily'::regclass)
ORDER BY c.relname DESC, a.attnum;

-- The two tables have the same columns apart from the bucket (bucket_start / bucket_date).
SELECT count(*) AS columns_differing
FROM (SELECT attname, atttypid, atttypmod, attnotnull FROM pg_attribute
      WHERE attrelid = 'ops_metrics_hourly'::regclass AND attnum > 0 AND attname <> 'bucket_start'
      EXCEPT
      SELECT attname, atttypid, atttypmod, attnotnull FROM pg_attribute
      WHERE attrelid = 'ops_metrics_daily'::regclass AND attnum > 0 AND attname <> 'bucket_date') x;

-- Constraints: only the primary keys (no CHECK, no foreign key).
SELECT conrelid::regclass AS "table", conname, contype, pg_get_constraintdef(oid) AS definition
FROM pg_constraint
WHERE conrelid IN ('ops_metrics_hourly'::regclass, 'ops_metrics_daily'::regclass)
ORDER BY conrelid::regclass::text DESC, conname;

-- Indexes: the primary keys' and one (platform, bucket DESC) index each.
SELECT indrelid::regclass AS "table", indexrelid::regclass AS index, indisprimary AS primary_key,
       indisunique AS is_unique, pg_get_indexdef(indexrelid) AS definition
FROM pg_index
WHERE indrelid IN ('ops_metrics_hourly'::regclass, 'ops_metrics_daily'::regclass)
ORDER BY indrelid::regclass::text DESC, indexrelid::regclass::text;

-- Comments on the tables and on every column (none missing: a NULL comment would show as blank).
SELECT c.relname AS "table", obj_description(c.oid, 'pg_class') AS comment
FROM pg_class c WHERE c.oid IN ('ops_metrics_hourly'::regclass, 'ops_metrics_daily'::regclass)
ORDER BY c.relname DESC;
SELECT c.relname AS "table", a.attname, col_description(c.oid, a.attnum) AS comment
FROM pg_class c
JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
WHERE c.oid IN ('ops_metrics_hourly'::regclass, 'ops_metrics_daily'::regclass)
ORDER BY c.relname DESC, a.attnum;
SELECT count(*) AS columns_without_comment
FROM pg_attribute a
WHERE a.attrelid IN ('ops_metrics_hourly'::regclass, 'ops_metrics_daily'::regclass)
  AND a.attnum > 0 AND NOT a.attisdropped AND col_description(a.attrelid, a.attnum) IS NULL;

-- Both are members of the extension, in its schema, and registered with
-- pg_extension_config_dump without a filter (pg_dump dumps all their rows). ops_source_config
-- is registered too; the state and the change log are not (rebuilt after a restore).
SELECT c.oid::regclass AS "table", c.relnamespace = e.extnamespace AS in_extension_schema,
       EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid
               AND d.refclassid = 'pg_extension'::regclass AND d.refobjid = e.oid AND d.deptype = 'e') AS member,
       cfg.position IS NOT NULL AS config_dump,
       e.extcondition[cfg.position] AS dump_condition
FROM pg_extension e
CROSS JOIN (VALUES ('ops_metrics_hourly'::regclass), ('ops_metrics_daily'), ('ops_source_config'),
                   ('ops_change_log'), ('ops_rollup_state')) AS t(rel)
JOIN pg_class c ON c.oid = t.rel
LEFT JOIN LATERAL (SELECT array_position(e.extconfig, c.oid) AS position) cfg ON true
WHERE e.extname = 'opsagg'
ORDER BY c.relname;

-- A row inserted with only the key gets the defaults: zero counts and rate, NULL latencies,
-- computed_at = now(). (Rolled back: the tables stay empty for the suites after this one.)
BEGIN;
INSERT INTO ops_metrics_hourly (bucket_start, platform) VALUES ('2024-01-01 00:00+00', '');
INSERT INTO ops_metrics_daily (bucket_date, platform) VALUES ('2024-01-01', '');
SELECT request_count, success_count, error_count, error_4xx_count, error_5xx_count, timeout_count,
       avg_latency_ms, p50_latency_ms, p90_latency_ms, p95_latency_ms, p99_latency_ms, max_latency_ms,
       error_rate, latency_sample_count, latency, computed_at = now() AS computed_now
FROM ops_metrics_hourly WHERE bucket_start = '2024-01-01 00:00+00' AND platform = '';
SELECT request_count, error_rate, latency_sample_count, latency, computed_at = now() AS computed_now
FROM ops_metrics_daily WHERE bucket_date = '2024-01-01' AND platform = '';
-- The primary key refuses a second row of the same bucket and platform; NULL platform is refused.
\set VERBOSITY sqlstate
INSERT INTO ops_metrics_hourly (bucket_start, platform) VALUES ('2024-01-01 00:00+00', '');
\set VERBOSITY default
ROLLBACK;
BEGIN;
\set VERBOSITY sqlstate
INSERT INTO ops_metrics_daily (bucket_date, platform) VALUES ('2024-01-01', NULL);
\set VERBOSITY default
ROLLBACK;
-- A platform longer than 50 characters does not fit (varchar(50), as in the gateway's schema).
BEGIN;
\set VERBOSITY sqlstate
INSERT INTO ops_metrics_hourly (bucket_start, platform) VALUES ('2024-01-01 00:00+00', repeat('x', 51));
\set VERBOSITY default
ROLLBACK;
