-- Change tracking (ops_track_row + ops_track_flush): each statement that succeeds leaves the
-- UTC hours of its rows in ops_change_log, for the watched table.
SET TimeZone = 'UTC';
SET client_min_messages = warning;
CREATE TABLE ev (occurred_at timestamptz, platform text, status_code integer CHECK (status_code < 1000),
                 latency_ms double precision, is_timeout boolean);
SELECT ops_add_source('ev');
SELECT tgname, tgtype, pg_get_triggerdef(oid) LIKE '%ops_track_row(''occurred_at'')%' AS row_arg
FROM pg_trigger WHERE tgrelid = 'ev'::regclass ORDER BY tgname;
CREATE VIEW logged AS
SELECT watch_table::regclass AS watched, hour, count(*) AS records
FROM ops_change_log GROUP BY 1, 2 ORDER BY 1::text, 2;
CREATE FUNCTION reset_log() RETURNS void LANGUAGE sql AS 'DELETE FROM ops_change_log';

-- Single row, several rows over several hours (NULL and infinite times belong to no hour), COPY.
INSERT INTO ev VALUES ('2024-03-01 10:15+00', 'a', 200, 1, false);
SELECT * FROM logged;
SELECT reset_log();
INSERT INTO ev VALUES ('2024-03-01 10:59:59.999999+00', 'a', 200, 1, false), ('2024-03-01 11:00+00', 'a', 200, 1, false),
    ('2024-03-01 11:30+00', 'b', 500, 2, false), (NULL, 'a', 200, 1, false), ('infinity', 'a', 200, 1, false),
    ('-infinity', 'a', 200, 1, false), ('1999-12-31 23:30+00', 'a', 200, 1, false);
SELECT * FROM logged;
SELECT reset_log();
COPY ev FROM stdin;
2024-03-02 00:00:00+00	c	200	3	f
2024-03-02 05:59:00+00	c	404	3	f
2024-03-02 05:01:00+00	c	200	3	t
\.
SELECT * FROM logged;
SELECT reset_log();

-- UPDATE logs the old and the new hour; an UPDATE or DELETE of no row logs nothing.
UPDATE ev SET occurred_at = '2024-03-05 17:45+00' WHERE occurred_at = '2024-03-02 00:00+00';
SELECT * FROM logged;
SELECT reset_log();
UPDATE ev SET platform = 'z' WHERE false;
DELETE FROM ev WHERE false;
SELECT * FROM logged;
DELETE FROM ev WHERE occurred_at >= '2024-03-01 11:00+00' AND occurred_at < '2024-03-01 12:00+00';
SELECT * FROM logged;
SELECT reset_log();

-- A failed statement logs nothing; its hours may be logged by the transaction's next
-- statement on the table (an extra recompute), but every successful statement is logged.
INSERT INTO ev VALUES ('2024-04-01 01:00+00', 'a', 200, 1, false), ('2024-04-01 02:00+00', 'a', 9999, 1, false);
SELECT * FROM logged;
BEGIN;
SAVEPOINT s;
INSERT INTO ev VALUES ('2024-04-01 03:00+00', 'a', 200, 1, false), ('2024-04-01 04:00+00', 'a', 9999, 1, false);
ROLLBACK TO s;
INSERT INTO ev VALUES ('2024-04-01 05:00+00', 'a', 200, 1, false);
COMMIT;
SELECT * FROM logged WHERE hour <> '2024-04-01 03:00+00';  -- 03:00 may be logged too
SELECT reset_log();

-- Savepoints: what a rolled-back savepoint wrote is gone from table and log alike; the
-- hours of the statements that stand are logged once per statement. (An hour whose log row a
-- rollback removed is pending again: a later statement on the table in the same transaction
-- would log it too, as in the failed-statement case above.)
BEGIN;
INSERT INTO ev VALUES ('2024-05-01 01:00+00', 'a', 200, 1, false);
SAVEPOINT s1;
INSERT INTO ev VALUES ('2024-05-01 02:00+00', 'a', 200, 1, false);
ROLLBACK TO s1;
COMMIT;
SELECT * FROM logged;
SELECT reset_log();
BEGIN;
INSERT INTO ev VALUES ('2024-05-01 01:00+00', 'a', 200, 1, false);
SAVEPOINT s2;
INSERT INTO ev VALUES ('2024-05-01 01:30+00', 'a', 200, 1, false), ('2024-05-01 06:00+00', 'a', 200, 1, false);
RELEASE s2;
COMMIT;
SELECT * FROM logged;
SELECT reset_log();
BEGIN;
SAVEPOINT s;
INSERT INTO ev VALUES ('2024-05-02 01:00+00', 'a', 200, 1, false);
RELEASE s;
ROLLBACK;
SELECT * FROM logged;

-- Nested statements: a trigger of ev inserts into ev itself. The nested statement's flush
-- writes the outer statement's hours too; when the nested statement runs in a block that
-- rolls back, those hours are written again by the outer statement's flush (with the hour of
-- the rolled-back inner row, an extra recompute).
CREATE FUNCTION nested_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.platform = 'nest' THEN
        INSERT INTO ev VALUES ('2024-06-01 09:00+00', 'inner', 200, 1, false);
    ELSIF NEW.platform = 'nest-fail' THEN
        BEGIN
            INSERT INTO ev VALUES ('2024-06-01 10:00+00', 'inner', 200, 1, false);
            RAISE EXCEPTION 'inner fails';
        EXCEPTION WHEN raise_exception THEN
            NULL;
        END;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER a_nested AFTER INSERT ON ev FOR EACH ROW EXECUTE FUNCTION nested_insert();
INSERT INTO ev VALUES ('2024-06-01 07:00+00', 'nest', 200, 1, false);
SELECT * FROM logged;
SELECT reset_log();
INSERT INTO ev VALUES ('2024-06-01 08:00+00', 'nest-fail', 200, 1, false);
SELECT * FROM logged;
SELECT count(*) AS inner_rows_kept FROM ev WHERE occurred_at = '2024-06-01 10:00+00';
SELECT reset_log();
DROP TRIGGER a_nested ON ev;

-- The hour logged is the one of the row as the other BEFORE triggers leave it.
CREATE FUNCTION shift_day() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.occurred_at := NEW.occurred_at + interval '1 day';
    RETURN NEW;
END $$;
CREATE TRIGGER shift BEFORE INSERT ON ev FOR EACH ROW EXECUTE FUNCTION shift_day();
INSERT INTO ev VALUES ('2024-07-01 12:00+00', 'a', 200, 1, false);
SELECT * FROM logged;
SELECT reset_log();
DROP TRIGGER shift ON ev;

-- A partitioned watched table: rows inserted or moved through the root are logged for the
-- root (the row trigger is cloned to the partitions, the statement trigger fires on the root).
CREATE TABLE evp (occurred_at timestamptz, platform text, status_code integer, latency_ms double precision,
                  is_timeout boolean) PARTITION BY RANGE (occurred_at);
CREATE TABLE evp_1 PARTITION OF evp FOR VALUES FROM ('2024-01-01+00') TO ('2024-02-01+00');
CREATE TABLE evp_2 (status_code integer, occurred_at timestamptz, platform text, latency_ms double precision,
                    is_timeout boolean);  -- other column order
ALTER TABLE evp ATTACH PARTITION evp_2 FOR VALUES FROM ('2024-02-01+00') TO ('2024-03-01+00');
SELECT ops_add_source('evp');
SELECT tgrelid::regclass, tgname FROM pg_trigger WHERE tgname LIKE '%opsagg%' AND tgrelid::regclass::text LIKE 'evp%'
ORDER BY 1::text, 2;
INSERT INTO evp VALUES ('2024-01-10 01:00+00', 'a', 200, 1, false), ('2024-02-10 02:00+00', 'a', 200, 1, false);
SELECT * FROM logged;
SELECT reset_log();
UPDATE evp SET occurred_at = '2024-02-20 03:00+00' WHERE occurred_at = '2024-01-10 01:00+00';
SELECT * FROM logged;
SELECT reset_log();
CREATE TABLE evp_3 PARTITION OF evp FOR VALUES FROM ('2024-03-01+00') TO ('2024-04-01+00');
INSERT INTO evp VALUES ('2024-03-10 04:00+00', 'a', 200, 1, false);
DELETE FROM evp WHERE occurred_at = '2024-02-10 02:00+00';
SELECT * FROM logged;
SELECT reset_log();

-- A row written directly to a partition (not through the watched root) is not logged, as
-- with statement triggers before: the root's statement trigger does not fire for it.
INSERT INTO evp_1 VALUES ('2024-01-15 05:00+00', 'a', 200, 1, false);
SELECT * FROM logged;

-- INSERT ... ON CONFLICT DO UPDATE: the proposed row's hour, and the old and new hours of
-- the row it updates.
CREATE UNIQUE INDEX ev_platform_idx ON ev (platform) WHERE platform = 'unique';
INSERT INTO ev VALUES ('2024-07-05 01:00+00', 'unique', 200, 1, false);
SELECT reset_log();
INSERT INTO ev VALUES ('2024-07-05 02:00+00', 'unique', 200, 1, false)
ON CONFLICT (platform) WHERE platform = 'unique' DO UPDATE SET occurred_at = '2024-07-05 03:00+00';
SELECT * FROM logged;
SELECT reset_log();

-- The application's role has no privilege on the extension's tables: its writes work and
-- are logged; it may add a partition to its watched table.
CREATE ROLE regress_track_app;
GRANT CREATE ON SCHEMA public TO regress_track_app;
CREATE TABLE app_ev (occurred_at timestamptz, platform text, status_code integer, latency_ms double precision,
                     is_timeout boolean) PARTITION BY RANGE (occurred_at);
ALTER TABLE app_ev OWNER TO regress_track_app;
SELECT ops_add_source('app_ev');
SET ROLE regress_track_app;
SELECT has_table_privilege('ops_change_log', 'INSERT') AS app_may_insert_log;
CREATE TABLE app_ev_1 PARTITION OF app_ev FOR VALUES FROM ('2024-01-01+00') TO ('2025-01-01+00');
INSERT INTO app_ev VALUES ('2024-08-01 08:00+00', 'a', 200, 1, false), ('2024-08-01 09:00+00', 'a', 200, 1, false);
UPDATE app_ev SET occurred_at = occurred_at + interval '2 hours' WHERE occurred_at = '2024-08-01 09:00+00';
RESET ROLE;
SELECT * FROM logged;
SELECT reset_log();

-- A generated time column has no value in BEFORE triggers: tracked with transition tables.
CREATE TABLE gen_ev (epoch_s double precision, platform text, status_code integer, latency_ms double precision,
                     is_timeout boolean, occurred_at timestamptz GENERATED ALWAYS AS (to_timestamp(epoch_s)) STORED);
SELECT ops_add_source('gen_ev');
SELECT tgname FROM pg_trigger WHERE tgrelid = 'gen_ev'::regclass ORDER BY 1;
INSERT INTO gen_ev VALUES (extract(epoch FROM timestamptz '2024-09-01 09:30+00'), 'a', 200, 1, false);
SELECT * FROM logged;
SELECT reset_log();

-- Unregistering drops every tracking trigger.
SELECT ops_remove_source('ev'), ops_remove_source('evp'), ops_remove_source('app_ev'), ops_remove_source('gen_ev');
SELECT count(*) AS tracking_triggers_left FROM pg_trigger WHERE tgname LIKE '%opsagg_track%';
INSERT INTO ev VALUES ('2024-10-01 10:00+00', 'a', 200, 1, false);
SELECT * FROM logged;

-- The trigger functions refuse other calls.
SELECT ops_track_row();
DROP TABLE app_ev;
REVOKE CREATE ON SCHEMA public FROM regress_track_app;
DROP ROLE regress_track_app;
DROP TABLE ev, evp, gen_ev CASCADE;
DROP FUNCTION nested_insert(), shift_day(), reset_log();
