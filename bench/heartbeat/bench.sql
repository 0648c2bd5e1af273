-- Benchmark harness: the timed queries and the timing/plan helpers.
-- psql variables: base, window, liveness, hour_window (coverage of the hourly table).
\set ON_ERROR_STOP on
SET client_min_messages = warning;
SET TimeZone = 'UTC';

DROP SCHEMA IF EXISTS bench CASCADE;
CREATE SCHEMA bench;

-- (name, sql, reps). Every query returns one row per system. reps: timed executions
-- per round (more for the short rollup queries, so their medians are stable).
CREATE TABLE bench.query (name text PRIMARY KEY, sql text NOT NULL, reps int NOT NULL DEFAULT 1);

INSERT INTO bench.query (name, sql) VALUES
-- (a) the extension
('a', format($q$SELECT system, heartbeat_agg(ts, %L, %L, %L) -> uptime() AS uptime
FROM beats GROUP BY system$q$, :'base', :'window', :'liveness')),
-- (b) the executor's floor: same scan, same grouping, a built-in aggregate
('b', $q$SELECT system, max(ts) AS last_ts FROM beats GROUP BY system$q$),
-- (c) gaps and islands in plain SQL, as a user would write it without opsagg:
--     an island starts where the gap to the previous beat exceeds the liveness;
--     an island is live from its first beat to min(last beat + liveness, window end).
('c', format($q$SELECT system, sum(least(last_ts + %3$L::interval, %1$L::timestamptz + %2$L::interval) - first_ts) AS uptime
FROM (SELECT system, island, min(ts) AS first_ts, max(ts) AS last_ts
      FROM (SELECT system, ts,
                   count(*) FILTER (WHERE prev IS NULL OR ts - prev > %3$L::interval)
                     OVER (PARTITION BY system ORDER BY ts) AS island
            FROM (SELECT system, ts, lag(ts) OVER (PARTITION BY system ORDER BY ts) AS prev
                  FROM beats) b) i
      GROUP BY system, island) g
GROUP BY system$q$, :'base', :'window', :'liveness')),
-- (c2) a terser plain-SQL form (for reference): each beat is live until the next beat,
--      at most the liveness, the last one at most until the window end.
('c2', format($q$SELECT system, sum(least(coalesce(next_ts, %1$L::timestamptz + %2$L::interval), ts + %3$L::interval) - ts) AS uptime
FROM (SELECT system, ts, lead(ts) OVER (PARTITION BY system ORDER BY ts) AS next_ts FROM beats) b
GROUP BY system$q$, :'base', :'window', :'liveness')),
-- (r) rollup of the hourly aggregates into one per system
('r', $q$SELECT system, rollup(agg) -> uptime() AS uptime FROM hourly GROUP BY system$q$),
-- (r0) baseline for (r): same rows, same grouping, a built-in aggregate on the same column
('r0', $q$SELECT system, count(agg) AS n FROM hourly GROUP BY system$q$);
UPDATE bench.query SET reps = 5 WHERE name IN ('r', 'r0');

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
