-- Benchmark harness shared by bench/*/: a table of named queries, one timed execution,
-- plan shapes, and rounds that interleave every query in every mode.
\set ON_ERROR_STOP on
SET client_min_messages = warning;
SET TimeZone = 'UTC';

DROP SCHEMA IF EXISTS bench CASCADE;
CREATE SCHEMA bench;

-- (name, sql, reps): reps is the number of timed executions per round (more for short
-- queries, so their medians are stable).
CREATE TABLE bench.query (name text PRIMARY KEY, sql text NOT NULL, reps int NOT NULL DEFAULT 1);


-- One timed execution. The result is consumed inside the server; count(s.*) is a
-- whole-row reference, so the planner cannot drop the aggregate column as unused
-- (it would with count(*)).
CREATE FUNCTION bench.time_once(q text, workers int) RETURNS float8
LANGUAGE plpgsql AS $f$
DECLARE
    t0 timestamptz;
    n  bigint;
BEGIN
    PERFORM set_config('max_parallel_workers_per_gather', workers::text, true);
    t0 := clock_timestamp();
    EXECUTE 'SELECT count(s.*) FROM (' || q || ') s' INTO n;
    RETURN 1000 * extract(epoch FROM clock_timestamp() - t0)::float8;
END
$f$;

-- Plan shape: node types along the first-child chain, with workers planned.
CREATE FUNCTION bench.plan_shape(q text, workers int) RETURNS text
LANGUAGE plpgsql AS $f$
DECLARE
    j    json;
    node json;
    out  text := '';
BEGIN
    PERFORM set_config('max_parallel_workers_per_gather', workers::text, true);
    EXECUTE 'EXPLAIN (FORMAT JSON, COSTS OFF) ' || q INTO j;
    node := j -> 0 -> 'Plan';
    WHILE node IS NOT NULL LOOP
        out := out || CASE WHEN out = '' THEN '' ELSE ' < ' END
                   || CASE WHEN node ->> 'Partial Mode' IN ('Partial', 'Finalize')
                           THEN (node ->> 'Partial Mode') || ' ' ELSE '' END
                   || (node ->> 'Node Type')
                   || CASE WHEN node ->> 'Strategy' IN ('Hashed', 'Sorted')
                           THEN '(' || (node ->> 'Strategy') || ')' ELSE '' END
                   || coalesce('[' || (node ->> 'Workers Planned') || ' workers]', '');
        node := node -> 'Plans' -> 0;
    END LOOP;
    RETURN out;
END
$f$;

CREATE TABLE bench.result (query text, mode text, round int, ms float8);

-- Median time of each query in each mode over the timed rounds (round 0 is the warm-up).
CREATE VIEW bench.median AS
SELECT query, mode, percentile_cont(0.5) WITHIN GROUP (ORDER BY ms) AS ms
FROM bench.result WHERE round > 0 GROUP BY query, mode;

-- One round: every query once in every mode, interleaved, so slow drifts in machine
-- load hit all queries alike.
CREATE FUNCTION bench.round(r int, queries text[]) RETURNS void
LANGUAGE plpgsql AS $f$
DECLARE
    m record;
    q record;
BEGIN
    FOR m IN SELECT * FROM (VALUES ('serial', 0, 1), ('parallel', 2, 2)) v(mode, workers, o) ORDER BY o LOOP
        FOR q IN SELECT name, sql, reps FROM bench.query WHERE name = ANY (queries)
                 ORDER BY array_position(queries, name) LOOP
            FOR i IN 1 .. q.reps LOOP
                INSERT INTO bench.result VALUES (q.name, m.mode, r, bench.time_once(q.sql, m.workers));
            END LOOP;
        END LOOP;
    END LOOP;
END
$f$;
