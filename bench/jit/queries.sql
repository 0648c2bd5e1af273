-- jit benchmark: the timed queries and one round over the JIT modes (harness: bench/harness.sql).
-- psql variables: base, window, liveness.
\ir ../harness.sql

INSERT INTO bench.query (name, sql) VALUES
('max_v', $q$SELECT g, max(v) FROM t GROUP BY g$q$),
('sketch', $q$SELECT g, latency_sketch(v) FROM t GROUP BY g$q$),
('max_ts', $q$SELECT g, max(ts) FROM t GROUP BY g$q$),
('heartbeat', format($q$SELECT g, heartbeat_agg(ts, %L, %L, %L) FROM t GROUP BY g$q$,
                     :'base', :'window', :'liveness'));

-- The JIT modes. 'default' is the server's configuration as a user gets it (PostgreSQL 15:
-- jit = on, JIT above cost 100000, inlining and optimization above 500000), read from
-- pg_settings' reset values, so a SET earlier in the round cannot leak into it. 'inline' is
-- what a query above 500000 gets (inlining and optimization); 'no_inline' the same without
-- inlining; 'off' no JIT.
CREATE TABLE bench.jit_mode (name text PRIMARY KEY, jit text, inline_cost text, optimize_cost text, o int);
INSERT INTO bench.jit_mode
SELECT 'default', (SELECT reset_val FROM pg_settings WHERE name = 'jit'),
       (SELECT reset_val FROM pg_settings WHERE name = 'jit_inline_above_cost'),
       (SELECT reset_val FROM pg_settings WHERE name = 'jit_optimize_above_cost'), 1
UNION ALL SELECT 'inline', 'on', '0', '0', 2
UNION ALL SELECT 'no_inline', 'on', '-1', '0', 3
UNION ALL SELECT 'off', 'off', '-1', '-1', 4;

CREATE FUNCTION bench.use_jit_mode(mode text) RETURNS void
LANGUAGE sql AS $f$
    SELECT set_config('jit', jit, true) || set_config('jit_inline_above_cost', inline_cost, true)
           || set_config('jit_optimize_above_cost', optimize_cost, true)
    FROM bench.jit_mode WHERE name = mode;
$f$;

-- One round: every query once in every JIT mode, serial and with 2 workers, interleaved.
-- bench.result.mode is '<jit mode> serial' or '<jit mode> parallel'.
CREATE FUNCTION bench.jit_round(r int, queries text[], modes text[]) RETURNS void
LANGUAGE plpgsql AS $f$
DECLARE
    j record;
    w record;
    q record;
BEGIN
    FOR j IN SELECT name FROM bench.jit_mode WHERE name = ANY (modes) ORDER BY o LOOP
        PERFORM bench.use_jit_mode(j.name);
        FOR w IN SELECT * FROM (VALUES ('serial', 0), ('parallel', 2)) v(label, workers) LOOP
            FOR q IN SELECT name, sql FROM bench.query WHERE name = ANY (queries)
                     ORDER BY array_position(queries, name) LOOP
                INSERT INTO bench.result
                VALUES (q.name, j.name || ' ' || w.label, r, bench.time_once(q.sql, w.workers));
            END LOOP;
        END LOOP;
    END LOOP;
END
$f$;

-- What the JIT did for a query in a mode (serial): the plan's cost and EXPLAIN ANALYZE's JIT section.
CREATE FUNCTION bench.jit_info(q text, mode text) RETURNS text
LANGUAGE plpgsql AS $f$
DECLARE
    j    json;
    cost numeric;
BEGIN
    PERFORM bench.use_jit_mode(mode);
    PERFORM set_config('max_parallel_workers_per_gather', '0', true);
    EXECUTE 'EXPLAIN (ANALYZE, FORMAT JSON) ' || q INTO j;
    cost := round((j -> 0 -> 'Plan' ->> 'Total Cost')::numeric);
    j := j -> 0 -> 'JIT';
    IF j IS NULL THEN
        RETURN format('cost %s: no JIT', cost);
    END IF;
    RETURN format('cost %s: %s functions, inlining %s, optimization %s; JIT time %s ms (inlining %s ms)', cost,
                  j ->> 'Functions', j -> 'Options' ->> 'Inlining', j -> 'Options' ->> 'Optimization',
                  round((j -> 'Timing' ->> 'Total')::numeric), round((j -> 'Timing' ->> 'Inlining')::numeric));
END
$f$;
