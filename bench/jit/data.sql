-- jit benchmark data: :n rows in :groups groups (psql variables n, groups, base).
-- v: a positive latency-like value; ts: each group beats every 30 s with 3 missing beats in
-- every 100 (a 120 s gap, longer than the 1 minute liveness), so each group has n / groups
-- rows and about n / groups / 100 live ranges. Deterministic: every run measures the same rows.
\set ON_ERROR_STOP on
SET client_min_messages = warning;
DROP TABLE IF EXISTS t;
CREATE TABLE t (g int NOT NULL, v float8 NOT NULL, ts timestamptz NOT NULL);
INSERT INTO t
SELECT i % :groups, 0.5 + (i % 9973) * 0.137, :'base'::timestamptz + make_interval(secs => (i / :groups) * 30)
FROM generate_series(0, :n - 1) i
WHERE (i / :groups) % 100 >= 3;
VACUUM ANALYZE t;
