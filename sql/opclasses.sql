-- Default btree and hash operator classes of heartbeat_agg (and its domain heartbeatagg) and
-- latency_sketch: DISTINCT, UNION, GROUP BY, ORDER BY, IN and indexes, through hash plans and
-- sort plans. The order is the stored bytes' order: arbitrary, so the tests check its
-- properties (a total order consistent with =, equal values with equal bytes and hashes) and
-- compare every answer with the same query over the text form, which is exact.
SET TimeZone = 'UTC';
SET DateStyle = 'ISO, YMD';
SET IntervalStyle = 'postgres';

-- True if EXPLAIN of the query mentions the plan node.
CREATE FUNCTION pg_temp.plan_uses(query text, node text) RETURNS boolean LANGUAGE plpgsql AS $$
DECLARE
    line text;
BEGIN
    FOR line IN EXECUTE 'EXPLAIN (COSTS OFF) ' || query LOOP
        IF line LIKE '%' || node || '%' THEN
            RETURN true;
        END IF;
    END LOOP;
    RETURN false;
END $$;

-- Every property of the order over all pairs (and triples) of rows of `tab` (columns name, v
-- of type `typ`, and b, the stored bytes of v). Returns the properties that fail.
CREATE FUNCTION pg_temp.order_violations(tab text, typ text) RETURNS SETOF text
LANGUAGE plpgsql AS $$
DECLARE
    failed text;
BEGIN
    FOR failed IN EXECUTE format($q$
        SELECT p.property FROM (
            SELECT 'equal iff same text' AS property, bool_and((x.v = y.v) = (x.v::text = y.v::text)) AS ok
            FROM %1$I x, %1$I y
            UNION ALL SELECT 'equal iff same stored bytes', bool_and((x.v = y.v) = (x.b = y.b)) FROM %1$I x, %1$I y
            UNION ALL SELECT '<> is not =', bool_and((x.v <> y.v) = NOT (x.v = y.v)) FROM %1$I x, %1$I y
            UNION ALL SELECT 'cmp = 0 iff =', bool_and((%2$s_cmp(x.v, y.v) = 0) = (x.v = y.v)) FROM %1$I x, %1$I y
            UNION ALL SELECT 'cmp antisymmetric', bool_and(%2$s_cmp(x.v, y.v) = -%2$s_cmp(y.v, x.v)) FROM %1$I x, %1$I y
            UNION ALL SELECT 'cmp in -1, 0, 1', bool_and(%2$s_cmp(x.v, y.v) IN (-1, 0, 1)) FROM %1$I x, %1$I y
            UNION ALL SELECT '< <= > >= agree with cmp',
                bool_and((x.v < y.v) = (%2$s_cmp(x.v, y.v) < 0) AND (x.v <= y.v) = (%2$s_cmp(x.v, y.v) <= 0)
                     AND (x.v > y.v) = (%2$s_cmp(x.v, y.v) > 0) AND (x.v >= y.v) = (%2$s_cmp(x.v, y.v) >= 0))
            FROM %1$I x, %1$I y
            UNION ALL SELECT 'equal values hash equally',
                bool_and(NOT (x.v = y.v) OR (%2$s_hash(x.v) = %2$s_hash(y.v)
                         AND %2$s_hash_extended(x.v, 0) = %2$s_hash_extended(y.v, 0)
                         AND %2$s_hash_extended(x.v, 42) = %2$s_hash_extended(y.v, 42)))
            FROM %1$I x, %1$I y
            UNION ALL SELECT 'extended hash seed 0 extends the 32-bit hash',
                bool_and((%2$s_hash_extended(x.v, 0) & 4294967295) = (%2$s_hash(x.v)::bigint & 4294967295)) FROM %1$I x
            UNION ALL SELECT 'transitive', bool_and(NOT (x.v <= y.v AND y.v <= z.v) OR x.v <= z.v)
            FROM %1$I x, %1$I y, %1$I z
        ) p WHERE p.ok IS DISTINCT FROM true $q$, tab, typ)
    LOOP
        RETURN NEXT failed;
    END LOOP;
END $$;

-- Each query over v must give the answer of the same query over v::text, with the hash
-- plan and with the sort plan. Returns one row per query and plan.
CREATE FUNCTION pg_temp.set_operations(tab text) RETURNS TABLE(query text, plan text, uses_plan boolean, correct boolean)
LANGUAGE plpgsql AS $$
DECLARE
    q record;
    plan_name text;
    answer text;
    expected text;
BEGIN
    FOREACH plan_name IN ARRAY ARRAY['hash', 'sort'] LOOP
        PERFORM set_config('enable_hashagg', (plan_name = 'hash')::text, true);
        PERFORM set_config('enable_sort', (plan_name = 'sort')::text, true);
        FOR q IN SELECT * FROM (VALUES
            ('DISTINCT', 'SELECT count(*)::text FROM (SELECT DISTINCT v FROM %I) d',
                         'SELECT count(*)::text FROM (SELECT DISTINCT v::text FROM %I) d',
                         CASE plan_name WHEN 'hash' THEN 'HashAggregate' ELSE 'Sort Key: ' END),
            ('UNION', 'SELECT count(*)::text FROM (SELECT v FROM %1$I UNION SELECT v FROM %1$I) u',
                      'SELECT count(*)::text FROM (SELECT v::text FROM %1$I UNION SELECT v::text FROM %1$I) u',
                      CASE plan_name WHEN 'hash' THEN 'HashAggregate' ELSE 'Sort Key: ' END),
            ('GROUP BY', 'SELECT string_agg(n::text || '':'' || t, '','' ORDER BY t) FROM (SELECT v::text AS t, count(*) AS n FROM %I GROUP BY v) g',
                         'SELECT string_agg(n::text || '':'' || t, '','' ORDER BY t) FROM (SELECT v::text AS t, count(*) AS n FROM %I GROUP BY v::text) g',
                         CASE plan_name WHEN 'hash' THEN 'HashAggregate' ELSE 'GroupAggregate' END),
            -- ORDER BY always sorts (enable_sort = off only discourages it).
            ('ORDER BY', 'SELECT (count(*) FILTER (WHERE v IS DISTINCT FROM prev) || '' runs, sorted '' || bool_and(prev IS NULL OR prev <= v)) FROM (SELECT v, lag(v) OVER (ORDER BY v) AS prev FROM %I) o',
                         'SELECT (count(DISTINCT v::text) || '' runs, sorted true'') FROM %I',
                         CASE plan_name WHEN 'hash' THEN NULL ELSE 'Sort Key: ' END),
            -- IN: the planner's choice (hashed subplan, hash or merge semi join); the answer counts.
            ('IN', 'SELECT string_agg(name, '','' ORDER BY name) FROM %1$I WHERE v IN (SELECT v FROM %1$I WHERE name LIKE ''base%%'')',
                   'SELECT string_agg(name, '','' ORDER BY name) FROM %1$I WHERE v::text IN (SELECT v::text FROM %1$I WHERE name LIKE ''base%%'')',
                   NULL)
        ) AS v(query, sql, text_sql, node) LOOP
            EXECUTE format(q.sql, tab) INTO answer;
            EXECUTE format(q.text_sql, tab) INTO expected;
            query := q.query;
            plan := plan_name;
            uses_plan := q.node IS NULL OR pg_temp.plan_uses(format(q.sql, tab), q.node);
            correct := answer = expected;
            RETURN NEXT;
        END LOOP;
    END LOOP;
END $$;

-- The stored bytes of a value, in hex: bytea's output function applied to the value's
-- varlena (LANGUAGE internal: superuser only, test only).
CREATE FUNCTION pg_temp.stored_bytes(heartbeat_agg) RETURNS cstring
    LANGUAGE internal IMMUTABLE STRICT AS 'byteaout';
CREATE FUNCTION pg_temp.stored_bytes(latency_sketch) RETURNS cstring
    LANGUAGE internal IMMUTABLE STRICT AS 'byteaout';

-- heartbeat_agg: a base value, its duplicates, and values that differ in each field:
-- window start (start_time and end_time), window length (end_time), liveness
-- (interval_len), the last heartbeat (last_seen and the ranges), the number of ranges.
CREATE TEMP TABLE hb_vals AS
SELECT name, agg AS v, pg_temp.stored_bytes(agg)::text AS b FROM (
    SELECT name, heartbeat_agg(h, w_start, w_len, liveness) AS agg
    FROM (VALUES
        ('base',       '2025-01-01 00:10+00'::timestamptz, '2025-01-01 00:00+00'::timestamptz, '1 hour'::interval, '5 min'::interval),
        ('base',       '2025-01-01 00:30+00', '2025-01-01 00:00+00', '1 hour', '5 min'),
        ('base again', '2025-01-01 00:30+00', '2025-01-01 00:00+00', '1 hour', '5 min'),
        ('base again', '2025-01-01 00:10+00', '2025-01-01 00:00+00', '1 hour', '5 min'),
        ('start',      '2025-01-01 00:10+00', '2025-01-01 00:01+00', '1 hour', '5 min'),
        ('start',      '2025-01-01 00:30+00', '2025-01-01 00:01+00', '1 hour', '5 min'),
        ('length',     '2025-01-01 00:10+00', '2025-01-01 00:00+00', '2 hours', '5 min'),
        ('length',     '2025-01-01 00:30+00', '2025-01-01 00:00+00', '2 hours', '5 min'),
        ('liveness',   '2025-01-01 00:10+00', '2025-01-01 00:00+00', '1 hour', '6 min'),
        ('liveness',   '2025-01-01 00:30+00', '2025-01-01 00:00+00', '1 hour', '6 min'),
        ('last',       '2025-01-01 00:10+00', '2025-01-01 00:00+00', '1 hour', '5 min'),
        ('last',       '2025-01-01 00:31+00', '2025-01-01 00:00+00', '1 hour', '5 min'),
        ('ranges',     '2025-01-01 00:10+00', '2025-01-01 00:00+00', '1 hour', '5 min'),
        ('ranges',     '2025-01-01 00:20+00', '2025-01-01 00:00+00', '1 hour', '5 min'),
        ('ranges',     '2025-01-01 00:30+00', '2025-01-01 00:00+00', '1 hour', '5 min'),
        ('one range',  '2025-01-01 00:30+00', '2025-01-01 00:00+00', '1 hour', '5 min')
    ) AS beats(name, h, w_start, w_len, liveness)
    GROUP BY name
) a;
INSERT INTO hb_vals SELECT name || ' copy', v, b FROM hb_vals;
-- No ranges at all.
INSERT INTO hb_vals SELECT 'empty', v, pg_temp.stored_bytes(v)::text FROM (SELECT '(version:1,start_time:0,end_time:100,last_seen:-10,interval_len:10,num_intervals:0,interval_starts:[],interval_ends:[])'::heartbeat_agg AS v) e;
SELECT count(*) AS rows, count(DISTINCT v::text) AS distinct_texts FROM hb_vals;
SELECT * FROM pg_temp.order_violations('hb_vals', 'heartbeat_agg');
SELECT * FROM pg_temp.set_operations('hb_vals');
-- The domain heartbeatagg uses the same operator classes.
CREATE TEMP TABLE hb_domain AS SELECT name, v::heartbeatagg AS v FROM hb_vals;
SELECT * FROM pg_temp.set_operations('hb_domain');
SELECT count(*) FROM (SELECT v FROM hb_vals UNION SELECT v FROM hb_domain) u;

-- latency_sketch: duplicates (-0 is 0), and sketches that differ in accuracy, count, zero
-- count, min, max, sum, bucket offset and bucket counts.
CREATE TEMP TABLE sk_vals AS
SELECT name, s AS v, pg_temp.stored_bytes(s)::text AS b FROM (
    SELECT name, latency_sketch(x, accuracy) AS s
    FROM (VALUES
        ('base',          '{1,2,3}'::float8[], 0.01::float8),
        ('base again',    '{3,2,1}', 0.01),
        ('zero',          '{0,1,2,3}', 0.01),
        ('minus zero',    '{-0,1,2,3}', 0.01),
        ('accuracy',      '{1,2,3}', 0.02),
        ('count',         '{1,2,3,3}', 0.01),
        ('min',           '{1.001,2,3}', 0.01),
        ('max',           '{1,2,3.001}', 0.01),
        ('sum',           '{1,2.001,3}', 0.01),
        ('offset',        '{2,3}', 0.01),
        ('counts',        '{1,1,3}', 0.01),
        ('only zero',     '{0}', 0.01),
        ('only zeros',    '{0,-0}', 0.01)
    ) AS sets(name, xs, accuracy), unnest(xs) AS x
    GROUP BY name
) a;
INSERT INTO sk_vals SELECT name || ' copy', v, b FROM sk_vals;
SELECT count(*) AS rows, count(DISTINCT v::text) AS distinct_texts FROM sk_vals;
SELECT a.name, b.name, a.v = b.v AS equal, a.b = b.b AS same_bytes
FROM sk_vals a JOIN sk_vals b ON (a.name, b.name) IN
    (('base', 'base again'), ('zero', 'minus zero'), ('only zero', 'only zeros'), ('base', 'counts'))
ORDER BY 1, 2;
SELECT * FROM pg_temp.order_violations('sk_vals', 'latency_sketch');
SELECT * FROM pg_temp.set_operations('sk_vals');

-- Joins on = may hash or merge (HASHES, MERGES), and give the answer over the text form.
SET enable_nestloop = off;
SET enable_mergejoin = off;
SELECT pg_temp.plan_uses('SELECT * FROM sk_vals a JOIN sk_vals b ON a.v = b.v', 'Hash Join') AS hash_join,
       (SELECT count(*) FROM sk_vals a JOIN sk_vals b ON a.v = b.v)
     = (SELECT count(*) FROM sk_vals a JOIN sk_vals b ON a.v::text = b.v::text) AS correct;
SET enable_hashjoin = off;
SET enable_mergejoin = on;
SELECT pg_temp.plan_uses('SELECT * FROM hb_vals a JOIN hb_vals b ON a.v = b.v', 'Merge Join') AS merge_join,
       (SELECT count(*) FROM hb_vals a JOIN hb_vals b ON a.v = b.v)
     = (SELECT count(*) FROM hb_vals a JOIN hb_vals b ON a.v::text = b.v::text) AS correct;
RESET enable_nestloop;
RESET enable_mergejoin;
RESET enable_hashjoin;

-- Indexes: btree and hash, each finding every copy of a value.
CREATE TEMP TABLE indexed AS SELECT name, v FROM sk_vals, generate_series(1, 50);
CREATE INDEX indexed_btree ON indexed USING btree (v);
CREATE INDEX indexed_hash ON indexed USING hash (v);
ANALYZE indexed;
SET enable_seqscan = off;
SET enable_bitmapscan = off;
SELECT pg_temp.plan_uses('SELECT * FROM indexed WHERE v = (SELECT v FROM sk_vals WHERE name = ''zero'')', 'Index') AS index_used,
       (SELECT count(*) FROM indexed WHERE v = (SELECT v FROM sk_vals WHERE name = 'zero')) AS zero_rows;
DROP INDEX indexed_hash;
SELECT pg_temp.plan_uses('SELECT * FROM indexed WHERE v = (SELECT v FROM sk_vals WHERE name = ''zero'')', 'indexed_btree') AS btree_used,
       (SELECT count(*) FROM indexed WHERE v = (SELECT v FROM sk_vals WHERE name = 'zero')) AS zero_rows;
RESET enable_seqscan;
RESET enable_bitmapscan;
