-- Heartbeat benchmark data (plain PostgreSQL, no extension needed).
-- psql variables: systems, beats (slots per system), step_s, base, window, liveness.
--
-- :systems systems, one heartbeat slot every :step_s seconds from :base.
-- Deterministic pseudo-random (hashint8extended), so every run has the same data:
--   * jitter: each beat lands 0..2 s after its slot (whole microseconds), so the
--     gap after an isolated missed beat is a few microseconds to 2 s either side
--     of 2 x step = the liveness: some are gaps, some are not (exact boundary work);
--   * isolated missed beats: ~1% of slots;
--   * outages: the slots are cut into blocks of 40 (20 minutes); 1/64 of the blocks
--     lose a run of 6..30 consecutive slots (3..15 minutes), far longer than the
--     liveness, so they are real gaps.
-- Rows are inserted in time order, systems interleaved, as a collector would.
\set ON_ERROR_STOP on
SET client_min_messages = warning;
SET TimeZone = 'UTC';

DROP TABLE IF EXISTS beats CASCADE;
CREATE UNLOGGED TABLE beats (system text NOT NULL, ts timestamptz NOT NULL);

INSERT INTO beats (system, ts)
SELECT 'sys-' || lpad(s::text, 2, '0'),
       :'base'::timestamptz
         + (n * (:step_s * 1000000)::bigint + ((hn >> 10) & 2097151) % 2000000) * interval '1 microsecond'
FROM generate_series(0::bigint, :beats - 1) AS n
CROSS JOIN LATERAL generate_series(1, :systems) AS s
CROSS JOIN LATERAL (
    SELECT hashint8extended(s * 100000000::bigint + n / 40, 11) AS hb,   -- per 40-slot block
           hashint8extended(s * 100000000::bigint + n, 12)      AS hn    -- per slot
) h
CROSS JOIN LATERAL (
    SELECT 6 + ((hb >> 6) & 1023) % 25 AS len
) l
WHERE (hn & 1023) >= 10                                                   -- isolated misses
  AND NOT ((hb & 63) = 0                                                  -- outage block
           AND n % 40 >= ((hb >> 16) & 1023) % (41 - len)
           AND n % 40 <  ((hb >> 16) & 1023) % (41 - len) + len);

-- What a real heartbeat table has; lets the plain-SQL alternative (c) read rows
-- already in (system, ts) order instead of sorting if the planner prefers that.
CREATE INDEX beats_system_ts ON beats (system, ts);
VACUUM (ANALYZE) beats;
