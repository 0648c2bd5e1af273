-- heartbeat benchmark: the timed queries (the harness is bench/harness.sql).
-- psql variables: base, window, liveness.
\ir ../harness.sql

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
