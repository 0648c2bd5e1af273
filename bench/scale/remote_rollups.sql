-- bench/scale: the coordinator reads the shards' rollups (README "Ops rollups" / remote
-- rollup sources): per shard, the shard's rollup tables and its coverage view imported into a
-- schema named after the shard's foreign server, then registered with ops_add_remote_rollup,
-- its raw events being the shard's foreign partition of public.events (for the raw edge spans).
\set ON_ERROR_STOP on
SET client_min_messages = warning;

CREATE SCHEMA shard1;
IMPORT FOREIGN SCHEMA public LIMIT TO (ops_metrics_hourly, ops_metrics_daily, ops_rollup_coverage_all)
    FROM SERVER shard1 INTO shard1;
SELECT public.ops_add_remote_rollup('shard1', events => 'public.events_shard1');

CREATE SCHEMA shard2;
IMPORT FOREIGN SCHEMA public LIMIT TO (ops_metrics_hourly, ops_metrics_daily, ops_rollup_coverage_all)
    FROM SERVER shard2 INTO shard2;
SELECT public.ops_add_remote_rollup('shard2', events => 'public.events_shard2');
