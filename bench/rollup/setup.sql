-- bench/rollup: what run.sh installs in each of its databases (after CREATE EXTENSION opsagg).
--   bench.events(...)       deterministic events shaped like opsagg's event contract
--   public.events           the plain source table (registered by run.sh where it should be)
--   bench.base_hourly/daily the tables the user's one-statement baseline writes into
--   bench.backfill_round    one round of (a): baseline statements and ops_refresh, timed
--   bench.cycle             one worker cycle through the worker's own SQL steps, timed
--   bench.insert_round      one round of (c): batched INSERT ... SELECT into two tables, timed
-- Every timing is clock_timestamp() around the statement and its COMMIT, inside the server.
\set ON_ERROR_STOP on
SET client_min_messages = warning;

DROP SCHEMA IF EXISTS bench CASCADE;
CREATE SCHEMA bench;

-- Uniform in (0, 1) from the 53 low bits of a hash (as bench/sketch/data.sql).
CREATE FUNCTION bench.u(i bigint, seed bigint) RETURNS float8
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN ((hashint8extended(i, seed) & 9007199254740991)::float8 + 0.5) / 9007199254740992;

-- Events lo .. hi-1 of n spread evenly over [t0, t0 + span) (event i in the i-th slot, at a
-- random point of it), so any range of indexes has the same density: the most recent m events
-- of n are events n-m .. n-1. Per event:
--   platform     anthropic 50 %, openai 30 %, gemini 15 %, '' 5 % (no group, no platform)
--   outcome      success 97 % (status NULL 70 % of them, else 200); 4xx 1.5 % (400, 401, 429);
--                5xx 1 % (500, 502, 503); timeout 0.5 % (504 and is_timeout)
--   latency_ms   successes only: log-normal, median 2 s, sigma 0.8, to the microsecond;
--                NULL for errors (the contract keeps them out of the percentiles)
-- A SQL set-returning function with one SELECT: the planner inlines it.
CREATE FUNCTION bench.events(lo bigint, hi bigint, n bigint, seed bigint, t0 timestamptz, span interval)
RETURNS TABLE (occurred_at timestamptz, platform text, status_code int, latency_ms float8, is_timeout boolean)
LANGUAGE sql STABLE PARALLEL SAFE
AS $f$
SELECT t0 + ((i + bench.u(i, seed)) / n) * span,
       CASE WHEN up < 0.50 THEN 'anthropic' WHEN up < 0.80 THEN 'openai'
            WHEN up < 0.95 THEN 'gemini' ELSE '' END,
       CASE WHEN uo < 0.005 THEN 400 WHEN uo < 0.010 THEN 401 WHEN uo < 0.015 THEN 429
            WHEN uo < 0.020 THEN 502 WHEN uo < 0.023 THEN 503 WHEN uo < 0.025 THEN 500
            WHEN uo < 0.030 THEN 504 WHEN uo < 0.30 THEN 200 END,
       CASE WHEN uo >= 0.030
            THEN round(2000 * exp(0.8 * sqrt(-2 * ln(bench.u(i, seed + 3)))
                                       * cos(2 * pi() * bench.u(i, seed + 4))) * 1000) / 1000 END,
       uo >= 0.025 AND uo < 0.030
FROM generate_series(lo, hi - 1) AS i,
     LATERAL (SELECT bench.u(i, seed + 1) AS up, bench.u(i, seed + 2) AS uo) x
$f$;

-- The source: a plain table with the contract's columns and an index on the time, as a
-- logging table would have.
DROP TABLE IF EXISTS public.events;
CREATE TABLE public.events (
    occurred_at timestamptz      NOT NULL,
    platform    text             NOT NULL,
    status_code int,
    latency_ms  double precision,
    is_timeout  boolean          NOT NULL DEFAULT false
);

-- What the user's baseline writes: the gateway's hourly / daily table shape (the columns opsagg
-- fills, without the sketch), with its primary key.
CREATE TABLE bench.base_hourly (
    bucket_start         timestamptz NOT NULL,
    platform             varchar(50) NOT NULL,
    request_count        bigint NOT NULL DEFAULT 0,
    success_count        bigint NOT NULL DEFAULT 0,
    error_count          bigint NOT NULL DEFAULT 0,
    error_4xx_count      bigint NOT NULL DEFAULT 0,
    error_5xx_count      bigint NOT NULL DEFAULT 0,
    timeout_count        bigint NOT NULL DEFAULT 0,
    avg_latency_ms       double precision,
    p50_latency_ms       double precision,
    p90_latency_ms       double precision,
    p95_latency_ms       double precision,
    p99_latency_ms       double precision,
    max_latency_ms       double precision,
    latency_sample_count bigint NOT NULL DEFAULT 0,
    error_rate           double precision NOT NULL DEFAULT 0,
    computed_at          timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (bucket_start, platform)
);
CREATE TABLE bench.base_daily (LIKE bench.base_hourly INCLUDING DEFAULTS);
ALTER TABLE bench.base_daily DROP COLUMN bucket_start, ADD COLUMN bucket_date date NOT NULL,
    ADD PRIMARY KEY (bucket_date, platform);

-- The baseline: the one statement a user writes to fill the hourly table from raw rows
-- (ordered-set aggregates with the same ORDER BY share one sort per group).
CREATE FUNCTION bench.baseline_sql(target text, bucket text, from_ts timestamptz, to_ts timestamptz)
RETURNS text LANGUAGE sql IMMUTABLE
RETURN format($q$
INSERT INTO %s
SELECT %s, platform,
       count(*),
       count(*) FILTER (WHERE NOT (coalesce(status_code >= 400, false) OR is_timeout)),
       count(*) FILTER (WHERE status_code >= 400 OR is_timeout),
       count(*) FILTER (WHERE status_code BETWEEN 400 AND 499),
       count(*) FILTER (WHERE status_code BETWEEN 500 AND 599),
       count(*) FILTER (WHERE is_timeout),
       avg(latency_ms),
       percentile_cont(0.50) WITHIN GROUP (ORDER BY latency_ms),
       percentile_cont(0.90) WITHIN GROUP (ORDER BY latency_ms),
       percentile_cont(0.95) WITHIN GROUP (ORDER BY latency_ms),
       percentile_cont(0.99) WITHIN GROUP (ORDER BY latency_ms),
       max(latency_ms),
       count(latency_ms),
       100.0 * count(*) FILTER (WHERE status_code >= 400 OR is_timeout) / count(*),
       now()
FROM public.events
WHERE occurred_at >= %L AND occurred_at < %L
GROUP BY 1, 2$q$, target, bucket, from_ts, to_ts);

CREATE TABLE bench.result (part text, name text, round int, ms float8, steps int,
                           started timestamptz DEFAULT clock_timestamp());

-- Median over the timed rounds (round 0 is the warm-up).
CREATE VIEW bench.median AS
SELECT part, name, percentile_cont(0.5) WITHIN GROUP (ORDER BY ms) AS ms, count(*) AS rounds,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY steps) AS steps
FROM bench.result WHERE round > 0 GROUP BY part, name;

-- (a) One round: the hourly baseline, the daily baseline and ops_refresh over the same range,
-- each in its own transaction, in an order that rotates with the round.
CREATE PROCEDURE bench.backfill_round(r int, from_ts timestamptz, to_ts timestamptz)
LANGUAGE plpgsql AS $p$
DECLARE
    names text[] := ARRAY['base_hourly', 'base_daily', 'ops_refresh'];
    k int;
    name text;
    t0 timestamptz;
    ms float8[] := '{}';
    done text[] := '{}';
    starts timestamptz[] := '{}';
BEGIN
    FOR j IN 0 .. 2 LOOP
        k := (r + j) % 3 + 1;
        name := names[k];
        IF name = 'base_hourly' THEN
            TRUNCATE bench.base_hourly;
        ELSIF name = 'base_daily' THEN
            TRUNCATE bench.base_daily;
        END IF;
        COMMIT;
        t0 := clock_timestamp();
        IF name = 'base_hourly' THEN
            EXECUTE bench.baseline_sql('bench.base_hourly', $$date_trunc('hour', occurred_at)$$, from_ts, to_ts);
        ELSIF name = 'base_daily' THEN
            EXECUTE bench.baseline_sql('bench.base_daily (bucket_date, platform, request_count, success_count, '
                                       'error_count, error_4xx_count, error_5xx_count, timeout_count, '
                                       'avg_latency_ms, p50_latency_ms, p90_latency_ms, p95_latency_ms, '
                                       'p99_latency_ms, max_latency_ms, latency_sample_count, error_rate, '
                                       'computed_at)', $$date_trunc('day', occurred_at)::date$$, from_ts, to_ts);
        ELSE
            PERFORM * FROM public.ops_refresh(from_ts, to_ts);
        END IF;
        COMMIT;
        ms := ms || 1000 * extract(epoch FROM clock_timestamp() - t0)::float8;
        done := done || name;
        starts := starts || t0;
    END LOOP;
    INSERT INTO bench.result (part, name, round, ms, started)
    SELECT 'backfill', d, r, m, t FROM unnest(done, ms, starts) AS u(d, m, t);
    COMMIT;
END
$p$;

-- One worker cycle as the worker runs it: begin, step until it returns false, end, each call in
-- its own transaction with search_path = pg_catalog, pg_temp (design notes, "Internal SQL").
CREATE PROCEDURE bench.cycle(part text, label text, r int)
LANGUAGE plpgsql AS $p$
DECLARE
    t0 timestamptz := clock_timestamp();
    more boolean;
    steps int := 0;
BEGIN
    PERFORM pg_catalog.set_config('search_path', 'pg_catalog, pg_temp', true);
    PERFORM public.ops_worker_cycle_begin();
    COMMIT;
    LOOP
        PERFORM pg_catalog.set_config('search_path', 'pg_catalog, pg_temp', true);
        more := public.ops_worker_cycle_step();
        COMMIT;
        steps := steps + 1;
        EXIT WHEN NOT more;
    END LOOP;
    PERFORM pg_catalog.set_config('search_path', 'pg_catalog, pg_temp', true);
    PERFORM public.ops_worker_cycle_end();
    COMMIT;
    INSERT INTO bench.result (part, name, round, ms, steps, started)
    VALUES (part, label, r, 1000 * extract(epoch FROM clock_timestamp() - t0)::float8, steps, t0);
    COMMIT;
END
$p$;

-- (b) The new work before a steady-state cycle: one minute of new events (the rate of the
-- history: per_minute events) up to now, and one late event in each of `late` distinct old
-- hours, from 2 hours old to `history_hours` - 2 hours old, chosen by the round alone (the
-- same hours in every database for the same history_hours).
CREATE PROCEDURE bench.steady_inserts(r int, per_minute int, late int, history_hours int)
LANGUAGE plpgsql AS $p$
DECLARE
    now_ts timestamptz := clock_timestamp();
BEGIN
    INSERT INTO public.events
    SELECT * FROM bench.events(0, per_minute, per_minute, 1000 + r, now_ts - interval '1 minute', interval '1 minute');
    COMMIT;
    INSERT INTO public.events
    SELECT e.*
    FROM (SELECT k FROM generate_series(2, greatest(history_hours - 2, 2 + late)) AS k
          ORDER BY hashint8extended(k, 2000 + r) LIMIT late) h,
         LATERAL bench.events(0, 1, 1, 3000 + r * 100 + h.k, date_trunc('hour', now_ts) - h.k * interval '1 hour',
                              interval '1 hour') e;
    COMMIT;
END
$p$;

-- (c) One round of bulk inserts: `batches` INSERT ... SELECT of `rows` events each from
-- bench.feed into public.events_tracked (a registered source) and public.events_plain (not
-- registered), alternating which goes first, each statement in its own transaction.
CREATE PROCEDURE bench.insert_round(r int, variant text, batches int)
LANGUAGE plpgsql AS $p$
DECLARE
    t0 timestamptz;
    tracked float8 := 0;
    plain float8 := 0;
    tgt text;
BEGIN
    TRUNCATE public.events_tracked, public.events_plain;
    COMMIT;
    FOR b IN 1 .. batches LOOP
        FOR j IN 0 .. 1 LOOP
            tgt := CASE WHEN (b + j) % 2 = 0 THEN 'events_tracked' ELSE 'events_plain' END;
            t0 := clock_timestamp();
            EXECUTE format('INSERT INTO public.%I SELECT occurred_at, platform, status_code, latency_ms, is_timeout '
                           'FROM bench.feed WHERE variant = %L AND batch = %s', tgt, variant, b);
            COMMIT;
            IF tgt = 'events_tracked' THEN
                tracked := tracked + 1000 * extract(epoch FROM clock_timestamp() - t0)::float8;
            ELSE
                plain := plain + 1000 * extract(epoch FROM clock_timestamp() - t0)::float8;
            END IF;
        END LOOP;
    END LOOP;
    INSERT INTO bench.result (part, name, round, ms)
    VALUES ('insert_' || variant, 'tracked', r, tracked), ('insert_' || variant, 'plain', r, plain);
    COMMIT;
END
$p$;
