-- bench/scale: the coordinator (after CREATE EXTENSION opsagg): one postgres_fdw server per
-- shard, and public.events, partitioned by LIST (platform), whose two partitions are foreign
-- tables on the shards' public.events. Needs enable_partitionwise_aggregate = on (run.sh puts
-- it in postgresql.conf) for aggregates to be pushed to the shards.
-- psql variables: shard1_host, shard1_port, shard2_host, shard2_port (the shards' socket
-- directories and ports), fetch_size, server_estimate (use_remote_estimate of the servers:
-- false, as PostgreSQL's default, or true), events_estimate (of the events partitions).
\set ON_ERROR_STOP on
SET client_min_messages = warning;

CREATE EXTENSION postgres_fdw;

-- extensions 'opsagg': opsagg's functions, aggregates and operators may be shipped (the
-- shards have the same opsagg); async_capable: both shards' scans run at the same time
-- (Async Append); use_remote_estimate false: the planner costs a foreign scan from the local
-- statistics (ANALYZE below) as a full scan of the remote table; true: from an EXPLAIN on the
-- shard, at planning time. The top-level README's setup ("Scaling out"): true for the events
-- partitions (large; their edge-span scans read an hour through an index), false for the
-- small rollup tables.
CREATE SERVER shard1 FOREIGN DATA WRAPPER postgres_fdw
    OPTIONS (host :'shard1_host', port :'shard1_port', dbname 'postgres', extensions 'opsagg',
             async_capable 'true', fetch_size :'fetch_size', use_remote_estimate :'server_estimate');
CREATE SERVER shard2 FOREIGN DATA WRAPPER postgres_fdw
    OPTIONS (host :'shard2_host', port :'shard2_port', dbname 'postgres', extensions 'opsagg',
             async_capable 'true', fetch_size :'fetch_size', use_remote_estimate :'server_estimate');
CREATE USER MAPPING FOR CURRENT_USER SERVER shard1 OPTIONS (user 'postgres');
CREATE USER MAPPING FOR CURRENT_USER SERVER shard2 OPTIONS (user 'postgres');

-- The event contract's columns, as bench/rollup/setup.sql's public.events; the shards hold
-- the rows (shard1: anthropic, 50 % of the events; shard2: openai, gemini and '', 50 %).
CREATE TABLE public.events (
    occurred_at timestamptz      NOT NULL,
    platform    text             NOT NULL,
    status_code int,
    latency_ms  double precision,
    is_timeout  boolean          NOT NULL DEFAULT false
) PARTITION BY LIST (platform);
CREATE FOREIGN TABLE public.events_shard1 PARTITION OF public.events
    FOR VALUES IN ('anthropic')
    SERVER shard1 OPTIONS (schema_name 'public', table_name 'events');
CREATE FOREIGN TABLE public.events_shard2 PARTITION OF public.events
    FOR VALUES IN ('openai', 'gemini', '')
    SERVER shard2 OPTIONS (schema_name 'public', table_name 'events');
ALTER FOREIGN TABLE public.events_shard1 OPTIONS (ADD use_remote_estimate :'events_estimate');
ALTER FOREIGN TABLE public.events_shard2 OPTIONS (ADD use_remote_estimate :'events_estimate');
-- Local statistics of the foreign tables (sampled from the shards): the planner's row
-- estimates without use_remote_estimate.
ANALYZE public.events;
