-- bench/rollup: the history in public.events: events :lo .. :hi - 1 of :n spread evenly over
-- the :days days before :'anchor' (an hour boundary), in time order (bench.events in
-- setup.sql). The full history is 0 .. n-1; a shorter one at the same rate is its last part.
-- Then the index on the time and fresh statistics.
\set ON_ERROR_STOP on
SET client_min_messages = warning;

INSERT INTO public.events
SELECT * FROM bench.events(:lo, :hi, :n, 1, :'anchor'::timestamptz - :days * interval '1 day',
                           :days * interval '1 day');
CREATE INDEX events_occurred_at_idx ON public.events (occurred_at);
VACUUM ANALYZE public.events;
