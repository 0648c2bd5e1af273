-- :n label sets of 5 to 10 labels, as metric writers send them: n/10 distinct series, each
-- written ten times in varying ways (a number as 8080, "8080" or 8080.0, a boolean as true or
-- "true", an empty label as null or ""). Deterministic (hash-based): every run measures the
-- same data. The instance label tells the series apart.
SET client_min_messages = warning;
DROP TABLE IF EXISTS label_sets;
CREATE UNLOGGED TABLE label_sets AS
SELECT i AS id, s AS series,
       (SELECT jsonb_object_agg(l.name, CASE l.kind
                    WHEN 0 THEN to_jsonb(l.name || '-' || CASE l.name WHEN 'instance' THEN s ELSE l.h % 97 END)
                    WHEN 1 THEN (ARRAY[to_jsonb(8000 + l.h % 100), to_jsonb((8000 + l.h % 100)::text),
                                       to_jsonb((8000 + l.h % 100)::numeric(10, 1))])[1 + l.r % 3]
                    WHEN 2 THEN (ARRAY[to_jsonb(l.h % 2 = 0), to_jsonb((l.h % 2 = 0)::text)])[1 + l.r % 2]
                    ELSE (ARRAY['null'::jsonb, to_jsonb(''::text)])[1 + l.r % 2] END)
        FROM (SELECT n.name,
                     abs(hashint8extended(s * 16 + n.pos, 7)) AS h,
                     abs(hashint8extended(i * 16 + n.pos, 5)) AS r,
                     CASE WHEN n.pos < 3 THEN 0 ELSE abs(hashint8extended(s * 16 + n.pos, 11)) % 4 END AS kind
              FROM (SELECT pos, (ARRAY['job', 'instance', 'env', 'region', 'port', 'version', 'shard',
                                       'canary', 'zone', 'team'])[pos + 1] AS name
                    FROM generate_series(0, 4 + (abs(hashint8extended(s, 3)) % 6)::int) AS pos) n) l) AS labels
FROM generate_series(1, :n) AS i, LATERAL (SELECT i % greatest(:n / 10, 1) AS s) x;
VACUUM ANALYZE label_sets;
