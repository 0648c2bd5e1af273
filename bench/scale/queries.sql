-- bench/scale: the timed queries, the same SQL text on every server (the harness is
-- bench/harness.sql), after the data and the rollups are in place (the harness drops
-- bench/rollup's bench schema; public.events and the rollups stay).
-- psql variables: from_ts, to_ts (the 30 days ending at the data's end), ops_reps (timed
-- executions of (B) per round and mode), with_ops (1: register (B); 0: the installed opsagg
-- cannot answer it on the coordinator, (B) is skipped everywhere).
\ir ../harness.sql

-- (A) raw: the aggregate over the events of the 30 days, grouped by the partition key. A
-- literal range, not now() - interval '30 days': postgres_fdw ships no stable function, so
-- with now() the filter would stay on the coordinator and nothing would be pushed down (run.sh
-- shows that plan); every round also reads the same rows.
INSERT INTO bench.query (name, sql, reps) VALUES
('raw', format($q$SELECT platform, count(*) AS request_count,
       count(*) FILTER (WHERE status_code >= 500) AS error_5xx_count,
       approx_percentile(0.99, latency_sketch(latency_ms)) AS p99_latency_ms
FROM public.events
WHERE occurred_at >= %L AND occurred_at < %L
GROUP BY platform$q$, :'from_ts', :'to_ts'), 1);

-- (B) ops: the dashboard function over the same range (SINGLE and the shards: their own
-- rollups; the coordinator: the shards' rollups, registered as remote rollup sources).
INSERT INTO bench.query (name, sql, reps)
SELECT 'ops', format('SELECT * FROM public.ops_metrics(%L, %L)', :'from_ts', :'to_ts'), :ops_reps
WHERE :with_ops = 1;
