-- bench/scale: the events of one server in public.events (bench/rollup/setup.sql's table):
-- bench/rollup's generator (setup.sql's bench.events) with bench/rollup/data.sql's arguments,
-- events 0 .. :n - 1 spread evenly over the :days days before :'anchor', keeping those whose
-- platform is in :'platforms' (a text[] literal). SINGLE keeps every platform, each shard the
-- platforms of its partition. The generator is deterministic (hashint8extended), so an event
-- is the same row, to the microsecond, on every server that keeps it.
-- Then the index on the time and fresh statistics, as bench/rollup/data.sql.
\set ON_ERROR_STOP on
SET client_min_messages = warning;

INSERT INTO public.events
SELECT e.*
FROM bench.events(0, :n, :n, 1, :'anchor'::timestamptz - :days * interval '1 day',
                  :days * interval '1 day') AS e
WHERE e.platform = ANY (:'platforms'::text[]);
CREATE INDEX events_occurred_at_idx ON public.events (occurred_at);
VACUUM ANALYZE public.events;
