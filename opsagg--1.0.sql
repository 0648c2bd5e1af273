-- opsagg 1.0 install script. Every object is schema-qualified with @extschema@, and the
-- built-in functions it names (selectivity estimators) with pg_catalog; CREATE EXTENSION
-- searches pg_catalog first for the built-in type names. SQL-language bodies name nothing
-- unqualified (checked by sql/install_safety.sql), so no search_path and no object in another
-- schema changes what they call.
\echo Use "CREATE EXTENSION opsagg" to load this file. \quit

-------------------------------------------------------------------------------
-- heartbeat_agg: liveness of a system over a window, from its heartbeats
-------------------------------------------------------------------------------

CREATE TYPE @extschema@.heartbeat_agg;

CREATE FUNCTION @extschema@.heartbeat_agg_in(cstring) RETURNS @extschema@.heartbeat_agg
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.heartbeat_agg_out(@extschema@.heartbeat_agg) RETURNS cstring
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.heartbeat_agg_recv(internal) RETURNS @extschema@.heartbeat_agg
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.heartbeat_agg_send(@extschema@.heartbeat_agg) RETURNS bytea
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE @extschema@.heartbeat_agg (
    INPUT = @extschema@.heartbeat_agg_in,
    OUTPUT = @extschema@.heartbeat_agg_out,
    RECEIVE = @extschema@.heartbeat_agg_recv,
    SEND = @extschema@.heartbeat_agg_send,
    INTERNALLENGTH = VARIABLE,
    ALIGNMENT = double,
    STORAGE = extended
);

-- TimescaleDB Toolkit's name for the type, for migrated schemas and queries.
CREATE DOMAIN @extschema@.heartbeatagg AS @extschema@.heartbeat_agg;

COMMENT ON TYPE @extschema@.heartbeat_agg IS
    'liveness of a system over a window [start_time, end_time): its live ranges, last heartbeat and liveness interval';
COMMENT ON DOMAIN @extschema@.heartbeatagg IS
    'TimescaleDB Toolkit''s name for heartbeat_agg';
COMMENT ON FUNCTION @extschema@.heartbeat_agg_in(cstring) IS
    'text input of heartbeat_agg (TimescaleDB Toolkit''s text form, fully validated)';
COMMENT ON FUNCTION @extschema@.heartbeat_agg_out(@extschema@.heartbeat_agg) IS
    'text output of heartbeat_agg (TimescaleDB Toolkit''s text form)';
COMMENT ON FUNCTION @extschema@.heartbeat_agg_recv(internal) IS
    'binary input of heartbeat_agg (fully validated)';
COMMENT ON FUNCTION @extschema@.heartbeat_agg_send(@extschema@.heartbeat_agg) IS
    'binary output of heartbeat_agg';

-- Aggregate support. The state is internal; the same final, combine, serialize
-- and deserialize functions serve heartbeat_agg and rollup.
-- STABLE: agg_start + agg_duration is computed in the session time zone.
CREATE FUNCTION @extschema@.heartbeat_agg_trans(internal, timestamptz, timestamptz, interval, interval)
    RETURNS internal AS 'MODULE_PATHNAME' LANGUAGE C STABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.heartbeat_agg_rollup_trans(internal, @extschema@.heartbeat_agg)
    RETURNS internal AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.heartbeat_agg_final(internal) RETURNS @extschema@.heartbeat_agg
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.heartbeat_agg_combine(internal, internal) RETURNS internal
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.heartbeat_agg_serialize(internal) RETURNS bytea
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.heartbeat_agg_deserialize(bytea, internal) RETURNS internal
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION @extschema@.heartbeat_agg_trans(internal, timestamptz, timestamptz, interval, interval) IS
    'transition function of heartbeat_agg';
COMMENT ON FUNCTION @extschema@.heartbeat_agg_rollup_trans(internal, @extschema@.heartbeat_agg) IS
    'transition function of rollup(heartbeat_agg)';
COMMENT ON FUNCTION @extschema@.heartbeat_agg_final(internal) IS
    'final function of heartbeat_agg and rollup(heartbeat_agg)';
COMMENT ON FUNCTION @extschema@.heartbeat_agg_combine(internal, internal) IS
    'combine function of heartbeat_agg and rollup(heartbeat_agg) (parallel aggregation)';
COMMENT ON FUNCTION @extschema@.heartbeat_agg_serialize(internal) IS
    'serialize function of heartbeat_agg and rollup(heartbeat_agg) (parallel aggregation)';
COMMENT ON FUNCTION @extschema@.heartbeat_agg_deserialize(bytea, internal) IS
    'deserialize function of heartbeat_agg and rollup(heartbeat_agg) (parallel aggregation)';

-- SSPACE: a typical state in its memory context, measured with EXPLAIN ANALYZE over 10,000
-- groups of a day of 30-second heartbeats with 10 outages (11 ranges): 0.8 to 1.5 kB a group
-- (a 272-byte state, its ranges rounded up to a power of two, the chunks left by growing);
-- the estimate is the upper end.
-- Hash aggregation admits groups by this estimate and lets admitted ones grow, so it is
-- what a state grows to, not what it starts at (README, "Parallel aggregation").
CREATE AGGREGATE @extschema@.heartbeat_agg(
    heartbeat timestamptz, agg_start timestamptz, agg_duration interval, heartbeat_liveness interval
) (
    SFUNC = @extschema@.heartbeat_agg_trans,
    STYPE = internal,
    SSPACE = 1536,
    FINALFUNC = @extschema@.heartbeat_agg_final,
    COMBINEFUNC = @extschema@.heartbeat_agg_combine,
    SERIALFUNC = @extschema@.heartbeat_agg_serialize,
    DESERIALFUNC = @extschema@.heartbeat_agg_deserialize,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.heartbeat_agg(timestamptz, timestamptz, interval, interval) IS
    'liveness over [agg_start, agg_start + agg_duration): each heartbeat keeps the system live for heartbeat_liveness';

CREATE AGGREGATE @extschema@.rollup(@extschema@.heartbeat_agg) (
    SFUNC = @extschema@.heartbeat_agg_rollup_trans,
    STYPE = internal,
    SSPACE = 1536,
    FINALFUNC = @extschema@.heartbeat_agg_final,
    COMBINEFUNC = @extschema@.heartbeat_agg_combine,
    SERIALFUNC = @extschema@.heartbeat_agg_serialize,
    DESERIALFUNC = @extschema@.heartbeat_agg_deserialize,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.rollup(@extschema@.heartbeat_agg) IS
    'combines heartbeat aggregates: adjacent buckets into a larger one, or redundant systems into "live if any is live"';

-- Equality: all seven fields equal.
CREATE FUNCTION @extschema@.heartbeat_agg_eq(@extschema@.heartbeat_agg, @extschema@.heartbeat_agg)
    RETURNS boolean AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.heartbeat_agg_ne(@extschema@.heartbeat_agg, @extschema@.heartbeat_agg)
    RETURNS boolean AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE OPERATOR @extschema@.= (
    LEFTARG = @extschema@.heartbeat_agg, RIGHTARG = @extschema@.heartbeat_agg,
    FUNCTION = @extschema@.heartbeat_agg_eq,
    COMMUTATOR = OPERATOR(@extschema@.=), NEGATOR = OPERATOR(@extschema@.<>),
    RESTRICT = pg_catalog.eqsel, JOIN = pg_catalog.eqjoinsel, HASHES, MERGES
);
CREATE OPERATOR @extschema@.<> (
    LEFTARG = @extschema@.heartbeat_agg, RIGHTARG = @extschema@.heartbeat_agg,
    FUNCTION = @extschema@.heartbeat_agg_ne,
    COMMUTATOR = OPERATOR(@extschema@.<>), NEGATOR = OPERATOR(@extschema@.=),
    RESTRICT = pg_catalog.neqsel, JOIN = pg_catalog.neqjoinsel
);
COMMENT ON FUNCTION @extschema@.heartbeat_agg_eq(@extschema@.heartbeat_agg, @extschema@.heartbeat_agg) IS
    'true if both aggregates have the same window, last heartbeat, liveness and live ranges';
COMMENT ON FUNCTION @extschema@.heartbeat_agg_ne(@extschema@.heartbeat_agg, @extschema@.heartbeat_agg) IS
    'true if the aggregates differ in any field';
COMMENT ON OPERATOR @extschema@.=(@extschema@.heartbeat_agg, @extschema@.heartbeat_agg) IS
    'heartbeat aggregates are equal';
COMMENT ON OPERATOR @extschema@.<>(@extschema@.heartbeat_agg, @extschema@.heartbeat_agg) IS
    'heartbeat aggregates differ';

-- Accessors, function form.
CREATE FUNCTION @extschema@.uptime(agg @extschema@.heartbeat_agg) RETURNS interval
    AS 'MODULE_PATHNAME', 'heartbeat_agg_uptime' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.downtime(agg @extschema@.heartbeat_agg) RETURNS interval
    AS 'MODULE_PATHNAME', 'heartbeat_agg_downtime' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.live_ranges(agg @extschema@.heartbeat_agg)
    RETURNS TABLE(start timestamptz, "end" timestamptz)
    AS 'MODULE_PATHNAME', 'heartbeat_agg_live_ranges' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 10;
CREATE FUNCTION @extschema@.dead_ranges(agg @extschema@.heartbeat_agg)
    RETURNS TABLE(start timestamptz, "end" timestamptz)
    AS 'MODULE_PATHNAME', 'heartbeat_agg_dead_ranges' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 10;
CREATE FUNCTION @extschema@.live_at(agg @extschema@.heartbeat_agg, test timestamptz) RETURNS boolean
    AS 'MODULE_PATHNAME', 'heartbeat_agg_live_at' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.num_live_ranges(agg @extschema@.heartbeat_agg) RETURNS bigint
    AS 'MODULE_PATHNAME', 'heartbeat_agg_num_live_ranges' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.num_gaps(agg @extschema@.heartbeat_agg) RETURNS bigint
    AS 'MODULE_PATHNAME', 'heartbeat_agg_num_gaps' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.interpolate(agg @extschema@.heartbeat_agg, pred @extschema@.heartbeat_agg)
    RETURNS @extschema@.heartbeat_agg
    AS 'MODULE_PATHNAME', 'heartbeat_agg_interpolate' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.interpolated_uptime(agg @extschema@.heartbeat_agg, pred @extschema@.heartbeat_agg)
    RETURNS interval
    AS 'MODULE_PATHNAME', 'heartbeat_agg_interpolated_uptime' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.interpolated_downtime(agg @extschema@.heartbeat_agg, pred @extschema@.heartbeat_agg)
    RETURNS interval
    AS 'MODULE_PATHNAME', 'heartbeat_agg_interpolated_downtime' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.trim_to(agg @extschema@.heartbeat_agg, start timestamptz DEFAULT NULL,
                                    duration interval DEFAULT NULL)
    RETURNS @extschema@.heartbeat_agg
    AS 'MODULE_PATHNAME', 'heartbeat_agg_trim_to' LANGUAGE C STABLE PARALLEL SAFE;  -- start + duration depends on TimeZone
CREATE FUNCTION @extschema@.trim_until(agg @extschema@.heartbeat_agg, "end" timestamptz)
    RETURNS @extschema@.heartbeat_agg
    AS 'MODULE_PATHNAME', 'heartbeat_agg_trim_until' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION @extschema@.uptime(@extschema@.heartbeat_agg) IS
    'total live time in the aggregate''s window';
COMMENT ON FUNCTION @extschema@.downtime(@extschema@.heartbeat_agg) IS
    'total dead time in the aggregate''s window';
COMMENT ON FUNCTION @extschema@.live_ranges(@extschema@.heartbeat_agg) IS
    'the live ranges [start, end), in order';
COMMENT ON FUNCTION @extschema@.dead_ranges(@extschema@.heartbeat_agg) IS
    'the dead ranges [start, end) within the window, in order';
COMMENT ON FUNCTION @extschema@.live_at(@extschema@.heartbeat_agg, timestamptz) IS
    'true if the system was live at the instant (false outside the window)';
COMMENT ON FUNCTION @extschema@.num_live_ranges(@extschema@.heartbeat_agg) IS
    'number of live ranges';
COMMENT ON FUNCTION @extschema@.num_gaps(@extschema@.heartbeat_agg) IS
    'number of dead ranges within the window';
COMMENT ON FUNCTION @extschema@.interpolate(@extschema@.heartbeat_agg, @extschema@.heartbeat_agg) IS
    'the aggregate with liveness carried over from the predecessor''s last heartbeat (unchanged when pred is NULL)';
COMMENT ON FUNCTION @extschema@.interpolated_uptime(@extschema@.heartbeat_agg, @extschema@.heartbeat_agg) IS
    'uptime(interpolate(agg, pred))';
COMMENT ON FUNCTION @extschema@.interpolated_downtime(@extschema@.heartbeat_agg, @extschema@.heartbeat_agg) IS
    'downtime(interpolate(agg, pred))';
COMMENT ON FUNCTION @extschema@.trim_to(@extschema@.heartbeat_agg, timestamptz, interval) IS
    'the aggregate restricted to [start, start + duration) (defaults: its own start and end)';
COMMENT ON FUNCTION @extschema@.trim_until(@extschema@.heartbeat_agg, timestamptz) IS
    'the aggregate restricted to [start_time, least("end", end_time)): measures an unfinished bucket without counting its future as downtime';

-- Accessors, pipeline form: `agg -> uptime()`. Each accessor constructor returns
-- a small composite that carries its arguments to the `->` operator.
CREATE TYPE @extschema@.accessor_uptime AS ();
CREATE TYPE @extschema@.accessor_downtime AS ();
CREATE TYPE @extschema@.accessor_live_ranges AS ();
CREATE TYPE @extschema@.accessor_dead_ranges AS ();
CREATE TYPE @extschema@.accessor_num_live_ranges AS ();
CREATE TYPE @extschema@.accessor_num_gaps AS ();
CREATE TYPE @extschema@.accessor_live_at AS (test timestamptz);
CREATE TYPE @extschema@.accessor_interpolate AS (pred @extschema@.heartbeat_agg);
CREATE TYPE @extschema@.accessor_interpolated_uptime AS (pred @extschema@.heartbeat_agg);
CREATE TYPE @extschema@.accessor_interpolated_downtime AS (pred @extschema@.heartbeat_agg);
CREATE TYPE @extschema@.accessor_trim_to AS (start timestamptz, duration interval);
CREATE TYPE @extschema@.accessor_trim_until AS ("end" timestamptz);

CREATE FUNCTION @extschema@.uptime() RETURNS @extschema@.accessor_uptime
    AS 'SELECT ROW()::@extschema@.accessor_uptime' LANGUAGE sql IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.downtime() RETURNS @extschema@.accessor_downtime
    AS 'SELECT ROW()::@extschema@.accessor_downtime' LANGUAGE sql IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.live_ranges() RETURNS @extschema@.accessor_live_ranges
    AS 'SELECT ROW()::@extschema@.accessor_live_ranges' LANGUAGE sql IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.dead_ranges() RETURNS @extschema@.accessor_dead_ranges
    AS 'SELECT ROW()::@extschema@.accessor_dead_ranges' LANGUAGE sql IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.num_live_ranges() RETURNS @extschema@.accessor_num_live_ranges
    AS 'SELECT ROW()::@extschema@.accessor_num_live_ranges' LANGUAGE sql IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.num_gaps() RETURNS @extschema@.accessor_num_gaps
    AS 'SELECT ROW()::@extschema@.accessor_num_gaps' LANGUAGE sql IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.live_at(test timestamptz) RETURNS @extschema@.accessor_live_at
    AS 'SELECT ROW($1)::@extschema@.accessor_live_at' LANGUAGE sql IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.interpolate(pred @extschema@.heartbeat_agg)
    RETURNS @extschema@.accessor_interpolate
    AS 'SELECT ROW($1)::@extschema@.accessor_interpolate' LANGUAGE sql IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.interpolated_uptime(pred @extschema@.heartbeat_agg)
    RETURNS @extschema@.accessor_interpolated_uptime
    AS 'SELECT ROW($1)::@extschema@.accessor_interpolated_uptime' LANGUAGE sql IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.interpolated_downtime(pred @extschema@.heartbeat_agg)
    RETURNS @extschema@.accessor_interpolated_downtime
    AS 'SELECT ROW($1)::@extschema@.accessor_interpolated_downtime' LANGUAGE sql IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.trim_to(start timestamptz, duration interval DEFAULT NULL)
    RETURNS @extschema@.accessor_trim_to
    AS 'SELECT ROW($1, $2)::@extschema@.accessor_trim_to' LANGUAGE sql IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.trim_until("end" timestamptz) RETURNS @extschema@.accessor_trim_until
    AS 'SELECT ROW($1)::@extschema@.accessor_trim_until' LANGUAGE sql IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION @extschema@.arrow_heartbeat_agg_uptime(@extschema@.heartbeat_agg, @extschema@.accessor_uptime)
    RETURNS interval AS 'SELECT @extschema@.uptime($1)' LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.arrow_heartbeat_agg_downtime(@extschema@.heartbeat_agg, @extschema@.accessor_downtime)
    RETURNS interval AS 'SELECT @extschema@.downtime($1)' LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.arrow_heartbeat_agg_live_ranges(@extschema@.heartbeat_agg, @extschema@.accessor_live_ranges)
    RETURNS TABLE(start timestamptz, "end" timestamptz)
    AS 'SELECT * FROM @extschema@.live_ranges($1)' LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE ROWS 10;
CREATE FUNCTION @extschema@.arrow_heartbeat_agg_dead_ranges(@extschema@.heartbeat_agg, @extschema@.accessor_dead_ranges)
    RETURNS TABLE(start timestamptz, "end" timestamptz)
    AS 'SELECT * FROM @extschema@.dead_ranges($1)' LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE ROWS 10;
CREATE FUNCTION @extschema@.arrow_heartbeat_agg_num_live_ranges(@extschema@.heartbeat_agg, @extschema@.accessor_num_live_ranges)
    RETURNS bigint AS 'SELECT @extschema@.num_live_ranges($1)' LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.arrow_heartbeat_agg_num_gaps(@extschema@.heartbeat_agg, @extschema@.accessor_num_gaps)
    RETURNS bigint AS 'SELECT @extschema@.num_gaps($1)' LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.arrow_heartbeat_agg_live_at(@extschema@.heartbeat_agg, @extschema@.accessor_live_at)
    RETURNS boolean AS 'SELECT @extschema@.live_at($1, ($2).test)' LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.arrow_heartbeat_agg_interpolate(@extschema@.heartbeat_agg, @extschema@.accessor_interpolate)
    RETURNS @extschema@.heartbeat_agg
    AS 'SELECT @extschema@.interpolate($1, ($2).pred)' LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.arrow_heartbeat_agg_interpolated_uptime(@extschema@.heartbeat_agg, @extschema@.accessor_interpolated_uptime)
    RETURNS interval
    AS 'SELECT @extschema@.interpolated_uptime($1, ($2).pred)' LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.arrow_heartbeat_agg_interpolated_downtime(@extschema@.heartbeat_agg, @extschema@.accessor_interpolated_downtime)
    RETURNS interval
    AS 'SELECT @extschema@.interpolated_downtime($1, ($2).pred)' LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.arrow_heartbeat_agg_trim_to(@extschema@.heartbeat_agg, @extschema@.accessor_trim_to)
    RETURNS @extschema@.heartbeat_agg
    AS 'SELECT @extschema@.trim_to($1, ($2).start, ($2).duration)' LANGUAGE sql STABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.arrow_heartbeat_agg_trim_until(@extschema@.heartbeat_agg, @extschema@.accessor_trim_until)
    RETURNS @extschema@.heartbeat_agg
    AS 'SELECT @extschema@.trim_until($1, ($2)."end")' LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE;

CREATE OPERATOR @extschema@.-> (LEFTARG = @extschema@.heartbeat_agg, RIGHTARG = @extschema@.accessor_uptime, FUNCTION = @extschema@.arrow_heartbeat_agg_uptime);
CREATE OPERATOR @extschema@.-> (LEFTARG = @extschema@.heartbeat_agg, RIGHTARG = @extschema@.accessor_downtime, FUNCTION = @extschema@.arrow_heartbeat_agg_downtime);
CREATE OPERATOR @extschema@.-> (LEFTARG = @extschema@.heartbeat_agg, RIGHTARG = @extschema@.accessor_live_ranges, FUNCTION = @extschema@.arrow_heartbeat_agg_live_ranges);
CREATE OPERATOR @extschema@.-> (LEFTARG = @extschema@.heartbeat_agg, RIGHTARG = @extschema@.accessor_dead_ranges, FUNCTION = @extschema@.arrow_heartbeat_agg_dead_ranges);
CREATE OPERATOR @extschema@.-> (LEFTARG = @extschema@.heartbeat_agg, RIGHTARG = @extschema@.accessor_num_live_ranges, FUNCTION = @extschema@.arrow_heartbeat_agg_num_live_ranges);
CREATE OPERATOR @extschema@.-> (LEFTARG = @extschema@.heartbeat_agg, RIGHTARG = @extschema@.accessor_num_gaps, FUNCTION = @extschema@.arrow_heartbeat_agg_num_gaps);
CREATE OPERATOR @extschema@.-> (LEFTARG = @extschema@.heartbeat_agg, RIGHTARG = @extschema@.accessor_live_at, FUNCTION = @extschema@.arrow_heartbeat_agg_live_at);
CREATE OPERATOR @extschema@.-> (LEFTARG = @extschema@.heartbeat_agg, RIGHTARG = @extschema@.accessor_interpolate, FUNCTION = @extschema@.arrow_heartbeat_agg_interpolate);
CREATE OPERATOR @extschema@.-> (LEFTARG = @extschema@.heartbeat_agg, RIGHTARG = @extschema@.accessor_interpolated_uptime, FUNCTION = @extschema@.arrow_heartbeat_agg_interpolated_uptime);
CREATE OPERATOR @extschema@.-> (LEFTARG = @extschema@.heartbeat_agg, RIGHTARG = @extschema@.accessor_interpolated_downtime, FUNCTION = @extschema@.arrow_heartbeat_agg_interpolated_downtime);
CREATE OPERATOR @extschema@.-> (LEFTARG = @extschema@.heartbeat_agg, RIGHTARG = @extschema@.accessor_trim_to, FUNCTION = @extschema@.arrow_heartbeat_agg_trim_to);
CREATE OPERATOR @extschema@.-> (LEFTARG = @extschema@.heartbeat_agg, RIGHTARG = @extschema@.accessor_trim_until, FUNCTION = @extschema@.arrow_heartbeat_agg_trim_until);

COMMENT ON TYPE @extschema@.accessor_uptime IS 'pipeline accessor: agg -> uptime()';
COMMENT ON TYPE @extschema@.accessor_downtime IS 'pipeline accessor: agg -> downtime()';
COMMENT ON TYPE @extschema@.accessor_live_ranges IS 'pipeline accessor: agg -> live_ranges()';
COMMENT ON TYPE @extschema@.accessor_dead_ranges IS 'pipeline accessor: agg -> dead_ranges()';
COMMENT ON TYPE @extschema@.accessor_num_live_ranges IS 'pipeline accessor: agg -> num_live_ranges()';
COMMENT ON TYPE @extschema@.accessor_num_gaps IS 'pipeline accessor: agg -> num_gaps()';
COMMENT ON TYPE @extschema@.accessor_live_at IS 'pipeline accessor: agg -> live_at(test)';
COMMENT ON TYPE @extschema@.accessor_interpolate IS 'pipeline accessor: agg -> interpolate(pred)';
COMMENT ON TYPE @extschema@.accessor_interpolated_uptime IS 'pipeline accessor: agg -> interpolated_uptime(pred)';
COMMENT ON TYPE @extschema@.accessor_interpolated_downtime IS 'pipeline accessor: agg -> interpolated_downtime(pred)';
COMMENT ON TYPE @extschema@.accessor_trim_to IS 'pipeline accessor: agg -> trim_to(start [, duration])';
COMMENT ON TYPE @extschema@.accessor_trim_until IS 'pipeline accessor: agg -> trim_until("end")';
COMMENT ON FUNCTION @extschema@.uptime() IS 'pipeline form: agg -> uptime()';
COMMENT ON FUNCTION @extschema@.downtime() IS 'pipeline form: agg -> downtime()';
COMMENT ON FUNCTION @extschema@.live_ranges() IS 'pipeline form: agg -> live_ranges()';
COMMENT ON FUNCTION @extschema@.dead_ranges() IS 'pipeline form: agg -> dead_ranges()';
COMMENT ON FUNCTION @extschema@.num_live_ranges() IS 'pipeline form: agg -> num_live_ranges()';
COMMENT ON FUNCTION @extschema@.num_gaps() IS 'pipeline form: agg -> num_gaps()';
COMMENT ON FUNCTION @extschema@.live_at(timestamptz) IS 'pipeline form: agg -> live_at(test)';
COMMENT ON FUNCTION @extschema@.interpolate(@extschema@.heartbeat_agg) IS 'pipeline form: agg -> interpolate(pred); pred may be NULL';
COMMENT ON FUNCTION @extschema@.interpolated_uptime(@extschema@.heartbeat_agg) IS 'pipeline form: agg -> interpolated_uptime(pred); pred may be NULL';
COMMENT ON FUNCTION @extschema@.interpolated_downtime(@extschema@.heartbeat_agg) IS 'pipeline form: agg -> interpolated_downtime(pred); pred may be NULL';
COMMENT ON FUNCTION @extschema@.trim_to(timestamptz, interval) IS 'pipeline form: agg -> trim_to(start [, duration])';
COMMENT ON FUNCTION @extschema@.trim_until(timestamptz) IS 'pipeline form: agg -> trim_until("end")';
COMMENT ON FUNCTION @extschema@.arrow_heartbeat_agg_uptime(@extschema@.heartbeat_agg, @extschema@.accessor_uptime) IS 'implements agg -> uptime()';
COMMENT ON FUNCTION @extschema@.arrow_heartbeat_agg_downtime(@extschema@.heartbeat_agg, @extschema@.accessor_downtime) IS 'implements agg -> downtime()';
COMMENT ON FUNCTION @extschema@.arrow_heartbeat_agg_live_ranges(@extschema@.heartbeat_agg, @extschema@.accessor_live_ranges) IS 'implements agg -> live_ranges()';
COMMENT ON FUNCTION @extschema@.arrow_heartbeat_agg_dead_ranges(@extschema@.heartbeat_agg, @extschema@.accessor_dead_ranges) IS 'implements agg -> dead_ranges()';
COMMENT ON FUNCTION @extschema@.arrow_heartbeat_agg_num_live_ranges(@extschema@.heartbeat_agg, @extschema@.accessor_num_live_ranges) IS 'implements agg -> num_live_ranges()';
COMMENT ON FUNCTION @extschema@.arrow_heartbeat_agg_num_gaps(@extschema@.heartbeat_agg, @extschema@.accessor_num_gaps) IS 'implements agg -> num_gaps()';
COMMENT ON FUNCTION @extschema@.arrow_heartbeat_agg_live_at(@extschema@.heartbeat_agg, @extschema@.accessor_live_at) IS 'implements agg -> live_at(test)';
COMMENT ON FUNCTION @extschema@.arrow_heartbeat_agg_interpolate(@extschema@.heartbeat_agg, @extschema@.accessor_interpolate) IS 'implements agg -> interpolate(pred)';
COMMENT ON FUNCTION @extschema@.arrow_heartbeat_agg_interpolated_uptime(@extschema@.heartbeat_agg, @extschema@.accessor_interpolated_uptime) IS 'implements agg -> interpolated_uptime(pred)';
COMMENT ON FUNCTION @extschema@.arrow_heartbeat_agg_interpolated_downtime(@extschema@.heartbeat_agg, @extschema@.accessor_interpolated_downtime) IS 'implements agg -> interpolated_downtime(pred)';
COMMENT ON FUNCTION @extschema@.arrow_heartbeat_agg_trim_to(@extschema@.heartbeat_agg, @extschema@.accessor_trim_to) IS 'implements agg -> trim_to(start [, duration])';
COMMENT ON FUNCTION @extschema@.arrow_heartbeat_agg_trim_until(@extschema@.heartbeat_agg, @extschema@.accessor_trim_until) IS 'implements agg -> trim_until("end")';
COMMENT ON OPERATOR @extschema@.->(@extschema@.heartbeat_agg, @extschema@.accessor_uptime) IS 'agg -> uptime()';
COMMENT ON OPERATOR @extschema@.->(@extschema@.heartbeat_agg, @extschema@.accessor_downtime) IS 'agg -> downtime()';
COMMENT ON OPERATOR @extschema@.->(@extschema@.heartbeat_agg, @extschema@.accessor_live_ranges) IS 'agg -> live_ranges()';
COMMENT ON OPERATOR @extschema@.->(@extschema@.heartbeat_agg, @extschema@.accessor_dead_ranges) IS 'agg -> dead_ranges()';
COMMENT ON OPERATOR @extschema@.->(@extschema@.heartbeat_agg, @extschema@.accessor_num_live_ranges) IS 'agg -> num_live_ranges()';
COMMENT ON OPERATOR @extschema@.->(@extschema@.heartbeat_agg, @extschema@.accessor_num_gaps) IS 'agg -> num_gaps()';
COMMENT ON OPERATOR @extschema@.->(@extschema@.heartbeat_agg, @extschema@.accessor_live_at) IS 'agg -> live_at(test)';
COMMENT ON OPERATOR @extschema@.->(@extschema@.heartbeat_agg, @extschema@.accessor_interpolate) IS 'agg -> interpolate(pred)';
COMMENT ON OPERATOR @extschema@.->(@extschema@.heartbeat_agg, @extschema@.accessor_interpolated_uptime) IS 'agg -> interpolated_uptime(pred)';
COMMENT ON OPERATOR @extschema@.->(@extschema@.heartbeat_agg, @extschema@.accessor_interpolated_downtime) IS 'agg -> interpolated_downtime(pred)';
COMMENT ON OPERATOR @extschema@.->(@extschema@.heartbeat_agg, @extschema@.accessor_trim_to) IS 'agg -> trim_to(start [, duration])';
COMMENT ON OPERATOR @extschema@.->(@extschema@.heartbeat_agg, @extschema@.accessor_trim_until) IS 'agg -> trim_until("end")';

-------------------------------------------------------------------------------
-- labels: one canonical form for a metric's label set
-------------------------------------------------------------------------------

CREATE FUNCTION @extschema@.labels_canonical(labels jsonb) RETURNS jsonb
    AS 'MODULE_PATHNAME', 'labels_canonical' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.labels_canonical_text(labels jsonb) RETURNS text
    AS 'MODULE_PATHNAME', 'labels_canonical_text' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.labels_fingerprint(labels jsonb) RETURNS bigint
    AS 'MODULE_PATHNAME', 'labels_fingerprint' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

COMMENT ON FUNCTION @extschema@.labels_canonical(jsonb) IS
    'canonical label set: every value a string (numbers in plain decimal, booleans "true"/"false"), null and empty values dropped';
COMMENT ON FUNCTION @extschema@.labels_canonical_text(jsonb) IS
    'canonical label set as compact JSON text with keys sorted by their bytes (stable across versions and platforms)';
COMMENT ON FUNCTION @extschema@.labels_fingerprint(jsonb) IS
    'XXH64 (seed 0) of the UTF-8 bytes of labels_canonical_text, as a signed bigint';

-------------------------------------------------------------------------------
-- latency_sketch: mergeable latency percentiles with a relative-error guarantee
-------------------------------------------------------------------------------

CREATE TYPE @extschema@.latency_sketch;

CREATE FUNCTION @extschema@.latency_sketch_in(cstring) RETURNS @extschema@.latency_sketch
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.latency_sketch_out(@extschema@.latency_sketch) RETURNS cstring
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.latency_sketch_recv(internal) RETURNS @extschema@.latency_sketch
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.latency_sketch_send(@extschema@.latency_sketch) RETURNS bytea
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE @extschema@.latency_sketch (
    INPUT = @extschema@.latency_sketch_in,
    OUTPUT = @extschema@.latency_sketch_out,
    RECEIVE = @extschema@.latency_sketch_recv,
    SEND = @extschema@.latency_sketch_send,
    INTERNALLENGTH = VARIABLE,
    ALIGNMENT = double,
    STORAGE = extended
);
COMMENT ON TYPE @extschema@.latency_sketch IS
    'mergeable quantile sketch of non-negative latencies (ms) with a relative-error guarantee';
COMMENT ON FUNCTION @extschema@.latency_sketch_in(cstring) IS 'text input of latency_sketch (fully validated)';
COMMENT ON FUNCTION @extschema@.latency_sketch_out(@extschema@.latency_sketch) IS 'text output of latency_sketch';
COMMENT ON FUNCTION @extschema@.latency_sketch_recv(internal) IS 'binary input of latency_sketch (fully validated)';
COMMENT ON FUNCTION @extschema@.latency_sketch_send(@extschema@.latency_sketch) IS 'binary output of latency_sketch';

CREATE FUNCTION @extschema@.latency_sketch_trans(internal, float8) RETURNS internal
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.latency_sketch_trans_accuracy(internal, float8, float8) RETURNS internal
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.latency_sketch_rollup_trans(internal, @extschema@.latency_sketch) RETURNS internal
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.latency_sketch_final(internal) RETURNS @extschema@.latency_sketch
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.latency_sketch_combine(internal, internal) RETURNS internal
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.latency_sketch_serialize(internal) RETURNS bytea
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.latency_sketch_deserialize(bytea, internal) RETURNS internal
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.latency_sketch_trans(internal, float8) IS 'transition function of latency_sketch(value)';
COMMENT ON FUNCTION @extschema@.latency_sketch_trans_accuracy(internal, float8, float8) IS 'transition function of latency_sketch(value, relative_accuracy)';
COMMENT ON FUNCTION @extschema@.latency_sketch_rollup_trans(internal, @extschema@.latency_sketch) IS 'transition function of rollup(latency_sketch)';
COMMENT ON FUNCTION @extschema@.latency_sketch_final(internal) IS 'final function of latency_sketch and rollup(latency_sketch)';
COMMENT ON FUNCTION @extschema@.latency_sketch_combine(internal, internal) IS 'combine function of latency_sketch and rollup(latency_sketch) (parallel aggregation)';
COMMENT ON FUNCTION @extschema@.latency_sketch_serialize(internal) IS 'serialize function of latency_sketch and rollup(latency_sketch) (parallel aggregation)';
COMMENT ON FUNCTION @extschema@.latency_sketch_deserialize(bytea, internal) IS 'deserialize function of latency_sketch and rollup(latency_sketch) (parallel aggregation)';

-- SSPACE: a typical state in its memory context, measured with EXPLAIN ANALYZE over 10,000
-- groups of 1000 latencies (log-normal, median 20 ms, a 3% slow mode) at 1%: 6.4 kB a group
-- (a few hundred counts in an array rounded up to a power of two, and the chunks left by growing).
CREATE AGGREGATE @extschema@.latency_sketch(value float8) (
    SFUNC = @extschema@.latency_sketch_trans, STYPE = internal, SSPACE = 6144,
    FINALFUNC = @extschema@.latency_sketch_final, COMBINEFUNC = @extschema@.latency_sketch_combine,
    SERIALFUNC = @extschema@.latency_sketch_serialize, DESERIALFUNC = @extschema@.latency_sketch_deserialize,
    PARALLEL = SAFE
);
CREATE AGGREGATE @extschema@.latency_sketch(value float8, relative_accuracy float8) (
    SFUNC = @extschema@.latency_sketch_trans_accuracy, STYPE = internal, SSPACE = 6144,
    FINALFUNC = @extschema@.latency_sketch_final, COMBINEFUNC = @extschema@.latency_sketch_combine,
    SERIALFUNC = @extschema@.latency_sketch_serialize, DESERIALFUNC = @extschema@.latency_sketch_deserialize,
    PARALLEL = SAFE
);
CREATE AGGREGATE @extschema@.rollup(@extschema@.latency_sketch) (
    SFUNC = @extschema@.latency_sketch_rollup_trans, STYPE = internal, SSPACE = 6144,
    FINALFUNC = @extschema@.latency_sketch_final, COMBINEFUNC = @extschema@.latency_sketch_combine,
    SERIALFUNC = @extschema@.latency_sketch_serialize, DESERIALFUNC = @extschema@.latency_sketch_deserialize,
    PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.latency_sketch(float8) IS
    'sketch of the latencies (ms) with 1% relative accuracy; NULLs skipped';
COMMENT ON AGGREGATE @extschema@.latency_sketch(float8, float8) IS
    'sketch of the latencies (ms) with the given relative accuracy (0.0001 to 0.5); NULLs skipped';
COMMENT ON AGGREGATE @extschema@.rollup(@extschema@.latency_sketch) IS
    'merges sketches of the same accuracy: exactly the sketch of all their values';

CREATE FUNCTION @extschema@.latency_sketch_eq(@extschema@.latency_sketch, @extschema@.latency_sketch)
    RETURNS boolean AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.latency_sketch_ne(@extschema@.latency_sketch, @extschema@.latency_sketch)
    RETURNS boolean AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE OPERATOR @extschema@.= (
    LEFTARG = @extschema@.latency_sketch, RIGHTARG = @extschema@.latency_sketch,
    FUNCTION = @extschema@.latency_sketch_eq,
    COMMUTATOR = OPERATOR(@extschema@.=), NEGATOR = OPERATOR(@extschema@.<>),
    RESTRICT = pg_catalog.eqsel, JOIN = pg_catalog.eqjoinsel, HASHES, MERGES
);
CREATE OPERATOR @extschema@.<> (
    LEFTARG = @extschema@.latency_sketch, RIGHTARG = @extschema@.latency_sketch,
    FUNCTION = @extschema@.latency_sketch_ne,
    COMMUTATOR = OPERATOR(@extschema@.<>), NEGATOR = OPERATOR(@extschema@.=),
    RESTRICT = pg_catalog.neqsel, JOIN = pg_catalog.neqjoinsel
);
COMMENT ON FUNCTION @extschema@.latency_sketch_eq(@extschema@.latency_sketch, @extschema@.latency_sketch) IS 'true if the sketches are identical';
COMMENT ON FUNCTION @extschema@.latency_sketch_ne(@extschema@.latency_sketch, @extschema@.latency_sketch) IS 'true if the sketches differ';
COMMENT ON OPERATOR @extschema@.=(@extschema@.latency_sketch, @extschema@.latency_sketch) IS 'sketches are identical';
COMMENT ON OPERATOR @extschema@.<>(@extschema@.latency_sketch, @extschema@.latency_sketch) IS 'sketches differ';

CREATE FUNCTION @extschema@.approx_percentile(percentile float8, sketch @extschema@.latency_sketch) RETURNS float8
    AS 'MODULE_PATHNAME', 'latency_sketch_approx_percentile' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.approx_percentile_array(percentiles float8[], sketch @extschema@.latency_sketch) RETURNS float8[]
    AS 'MODULE_PATHNAME', 'latency_sketch_approx_percentile_array' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.num_vals(sketch @extschema@.latency_sketch) RETURNS float8
    AS 'MODULE_PATHNAME', 'latency_sketch_num_vals' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.mean(sketch @extschema@.latency_sketch) RETURNS float8
    AS 'MODULE_PATHNAME', 'latency_sketch_mean' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.min_val(sketch @extschema@.latency_sketch) RETURNS float8
    AS 'MODULE_PATHNAME', 'latency_sketch_min_val' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.max_val(sketch @extschema@.latency_sketch) RETURNS float8
    AS 'MODULE_PATHNAME', 'latency_sketch_max_val' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.error(sketch @extschema@.latency_sketch) RETURNS float8
    AS 'MODULE_PATHNAME', 'latency_sketch_error' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.approx_percentile(float8, @extschema@.latency_sketch) IS
    'estimate of the nearest-rank percentile (0 to 1), within the sketch''s relative accuracy';
COMMENT ON FUNCTION @extschema@.approx_percentile_array(float8[], @extschema@.latency_sketch) IS
    'approx_percentile for each percentile of the array';
COMMENT ON FUNCTION @extschema@.num_vals(@extschema@.latency_sketch) IS 'number of values in the sketch';
COMMENT ON FUNCTION @extschema@.mean(@extschema@.latency_sketch) IS 'exact mean of the values (to 1 ns)';
COMMENT ON FUNCTION @extschema@.min_val(@extschema@.latency_sketch) IS 'smallest value';
COMMENT ON FUNCTION @extschema@.max_val(@extschema@.latency_sketch) IS 'largest value';
COMMENT ON FUNCTION @extschema@.error(@extschema@.latency_sketch) IS 'the relative accuracy of the sketch';

-- Pipeline forms: sketch -> approx_percentile(0.99).
CREATE TYPE @extschema@.accessor_approx_percentile AS (percentile float8);
CREATE TYPE @extschema@.accessor_approx_percentile_array AS (percentiles float8[]);
CREATE TYPE @extschema@.accessor_num_vals AS ();
CREATE TYPE @extschema@.accessor_mean AS ();
CREATE TYPE @extschema@.accessor_min_val AS ();
CREATE TYPE @extschema@.accessor_max_val AS ();
CREATE TYPE @extschema@.accessor_error AS ();
CREATE FUNCTION @extschema@.approx_percentile(percentile float8) RETURNS @extschema@.accessor_approx_percentile
    AS 'SELECT ROW($1)::@extschema@.accessor_approx_percentile' LANGUAGE sql IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.approx_percentile_array(percentiles float8[]) RETURNS @extschema@.accessor_approx_percentile_array
    AS 'SELECT ROW($1)::@extschema@.accessor_approx_percentile_array' LANGUAGE sql IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.num_vals() RETURNS @extschema@.accessor_num_vals
    AS 'SELECT ROW()::@extschema@.accessor_num_vals' LANGUAGE sql IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.mean() RETURNS @extschema@.accessor_mean
    AS 'SELECT ROW()::@extschema@.accessor_mean' LANGUAGE sql IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.min_val() RETURNS @extschema@.accessor_min_val
    AS 'SELECT ROW()::@extschema@.accessor_min_val' LANGUAGE sql IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.max_val() RETURNS @extschema@.accessor_max_val
    AS 'SELECT ROW()::@extschema@.accessor_max_val' LANGUAGE sql IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.error() RETURNS @extschema@.accessor_error
    AS 'SELECT ROW()::@extschema@.accessor_error' LANGUAGE sql IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.arrow_latency_sketch_approx_percentile(@extschema@.latency_sketch, @extschema@.accessor_approx_percentile)
    RETURNS float8 AS 'SELECT @extschema@.approx_percentile(($2).percentile, $1)' LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.arrow_latency_sketch_approx_percentile_array(@extschema@.latency_sketch, @extschema@.accessor_approx_percentile_array)
    RETURNS float8[] AS 'SELECT @extschema@.approx_percentile_array(($2).percentiles, $1)' LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.arrow_latency_sketch_num_vals(@extschema@.latency_sketch, @extschema@.accessor_num_vals)
    RETURNS float8 AS 'SELECT @extschema@.num_vals($1)' LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.arrow_latency_sketch_mean(@extschema@.latency_sketch, @extschema@.accessor_mean)
    RETURNS float8 AS 'SELECT @extschema@.mean($1)' LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.arrow_latency_sketch_min_val(@extschema@.latency_sketch, @extschema@.accessor_min_val)
    RETURNS float8 AS 'SELECT @extschema@.min_val($1)' LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.arrow_latency_sketch_max_val(@extschema@.latency_sketch, @extschema@.accessor_max_val)
    RETURNS float8 AS 'SELECT @extschema@.max_val($1)' LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.arrow_latency_sketch_error(@extschema@.latency_sketch, @extschema@.accessor_error)
    RETURNS float8 AS 'SELECT @extschema@.error($1)' LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE;
CREATE OPERATOR @extschema@.-> (LEFTARG = @extschema@.latency_sketch, RIGHTARG = @extschema@.accessor_approx_percentile, FUNCTION = @extschema@.arrow_latency_sketch_approx_percentile);
CREATE OPERATOR @extschema@.-> (LEFTARG = @extschema@.latency_sketch, RIGHTARG = @extschema@.accessor_approx_percentile_array, FUNCTION = @extschema@.arrow_latency_sketch_approx_percentile_array);
CREATE OPERATOR @extschema@.-> (LEFTARG = @extschema@.latency_sketch, RIGHTARG = @extschema@.accessor_num_vals, FUNCTION = @extschema@.arrow_latency_sketch_num_vals);
CREATE OPERATOR @extschema@.-> (LEFTARG = @extschema@.latency_sketch, RIGHTARG = @extschema@.accessor_mean, FUNCTION = @extschema@.arrow_latency_sketch_mean);
CREATE OPERATOR @extschema@.-> (LEFTARG = @extschema@.latency_sketch, RIGHTARG = @extschema@.accessor_min_val, FUNCTION = @extschema@.arrow_latency_sketch_min_val);
CREATE OPERATOR @extschema@.-> (LEFTARG = @extschema@.latency_sketch, RIGHTARG = @extschema@.accessor_max_val, FUNCTION = @extschema@.arrow_latency_sketch_max_val);
CREATE OPERATOR @extschema@.-> (LEFTARG = @extschema@.latency_sketch, RIGHTARG = @extschema@.accessor_error, FUNCTION = @extschema@.arrow_latency_sketch_error);
COMMENT ON TYPE @extschema@.accessor_approx_percentile IS 'pipeline accessor: sketch -> approx_percentile(q)';
COMMENT ON TYPE @extschema@.accessor_approx_percentile_array IS 'pipeline accessor: sketch -> approx_percentile_array(qs)';
COMMENT ON TYPE @extschema@.accessor_num_vals IS 'pipeline accessor: sketch -> num_vals()';
COMMENT ON TYPE @extschema@.accessor_mean IS 'pipeline accessor: sketch -> mean()';
COMMENT ON TYPE @extschema@.accessor_min_val IS 'pipeline accessor: sketch -> min_val()';
COMMENT ON TYPE @extschema@.accessor_max_val IS 'pipeline accessor: sketch -> max_val()';
COMMENT ON TYPE @extschema@.accessor_error IS 'pipeline accessor: sketch -> error()';
COMMENT ON FUNCTION @extschema@.approx_percentile(float8) IS 'pipeline form: sketch -> approx_percentile(q)';
COMMENT ON FUNCTION @extschema@.approx_percentile_array(float8[]) IS 'pipeline form: sketch -> approx_percentile_array(qs)';
COMMENT ON FUNCTION @extschema@.num_vals() IS 'pipeline form: sketch -> num_vals()';
COMMENT ON FUNCTION @extschema@.mean() IS 'pipeline form: sketch -> mean()';
COMMENT ON FUNCTION @extschema@.min_val() IS 'pipeline form: sketch -> min_val()';
COMMENT ON FUNCTION @extschema@.max_val() IS 'pipeline form: sketch -> max_val()';
COMMENT ON FUNCTION @extschema@.error() IS 'pipeline form: sketch -> error()';
COMMENT ON FUNCTION @extschema@.arrow_latency_sketch_approx_percentile(@extschema@.latency_sketch, @extschema@.accessor_approx_percentile) IS 'implements sketch -> approx_percentile(q)';
COMMENT ON FUNCTION @extschema@.arrow_latency_sketch_approx_percentile_array(@extschema@.latency_sketch, @extschema@.accessor_approx_percentile_array) IS 'implements sketch -> approx_percentile_array(qs)';
COMMENT ON FUNCTION @extschema@.arrow_latency_sketch_num_vals(@extschema@.latency_sketch, @extschema@.accessor_num_vals) IS 'implements sketch -> num_vals()';
COMMENT ON FUNCTION @extschema@.arrow_latency_sketch_mean(@extschema@.latency_sketch, @extschema@.accessor_mean) IS 'implements sketch -> mean()';
COMMENT ON FUNCTION @extschema@.arrow_latency_sketch_min_val(@extschema@.latency_sketch, @extschema@.accessor_min_val) IS 'implements sketch -> min_val()';
COMMENT ON FUNCTION @extschema@.arrow_latency_sketch_max_val(@extschema@.latency_sketch, @extschema@.accessor_max_val) IS 'implements sketch -> max_val()';
COMMENT ON FUNCTION @extschema@.arrow_latency_sketch_error(@extschema@.latency_sketch, @extschema@.accessor_error) IS 'implements sketch -> error()';
COMMENT ON OPERATOR @extschema@.->(@extschema@.latency_sketch, @extschema@.accessor_approx_percentile) IS 'sketch -> approx_percentile(q)';
COMMENT ON OPERATOR @extschema@.->(@extschema@.latency_sketch, @extschema@.accessor_approx_percentile_array) IS 'sketch -> approx_percentile_array(qs)';
COMMENT ON OPERATOR @extschema@.->(@extschema@.latency_sketch, @extschema@.accessor_num_vals) IS 'sketch -> num_vals()';
COMMENT ON OPERATOR @extschema@.->(@extschema@.latency_sketch, @extschema@.accessor_mean) IS 'sketch -> mean()';
COMMENT ON OPERATOR @extschema@.->(@extschema@.latency_sketch, @extschema@.accessor_min_val) IS 'sketch -> min_val()';
COMMENT ON OPERATOR @extschema@.->(@extschema@.latency_sketch, @extschema@.accessor_max_val) IS 'sketch -> max_val()';
COMMENT ON OPERATOR @extschema@.->(@extschema@.latency_sketch, @extschema@.accessor_error) IS 'sketch -> error()';

-------------------------------------------------------------------------------
-- Default btree and hash operator classes: DISTINCT, UNION, GROUP BY, ORDER BY, IN,
-- indexes. Equal values have equal stored bytes, so the order is the order of the stored
-- bytes (arbitrary, stable, consistent with =) and the hash is a hash of those bytes.
-------------------------------------------------------------------------------

CREATE FUNCTION @extschema@.heartbeat_agg_cmp(@extschema@.heartbeat_agg, @extschema@.heartbeat_agg) RETURNS integer
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.heartbeat_agg_lt(@extschema@.heartbeat_agg, @extschema@.heartbeat_agg) RETURNS boolean
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.heartbeat_agg_le(@extschema@.heartbeat_agg, @extschema@.heartbeat_agg) RETURNS boolean
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.heartbeat_agg_gt(@extschema@.heartbeat_agg, @extschema@.heartbeat_agg) RETURNS boolean
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.heartbeat_agg_ge(@extschema@.heartbeat_agg, @extschema@.heartbeat_agg) RETURNS boolean
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.heartbeat_agg_hash(@extschema@.heartbeat_agg) RETURNS integer
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.heartbeat_agg_hash_extended(@extschema@.heartbeat_agg, bigint) RETURNS bigint
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE OPERATOR @extschema@.< (
    LEFTARG = @extschema@.heartbeat_agg, RIGHTARG = @extschema@.heartbeat_agg, FUNCTION = @extschema@.heartbeat_agg_lt,
    COMMUTATOR = OPERATOR(@extschema@.>), NEGATOR = OPERATOR(@extschema@.>=),
    RESTRICT = pg_catalog.scalarltsel, JOIN = pg_catalog.scalarltjoinsel
);
CREATE OPERATOR @extschema@.<= (
    LEFTARG = @extschema@.heartbeat_agg, RIGHTARG = @extschema@.heartbeat_agg, FUNCTION = @extschema@.heartbeat_agg_le,
    COMMUTATOR = OPERATOR(@extschema@.>=), NEGATOR = OPERATOR(@extschema@.>),
    RESTRICT = pg_catalog.scalarlesel, JOIN = pg_catalog.scalarlejoinsel
);
CREATE OPERATOR @extschema@.> (
    LEFTARG = @extschema@.heartbeat_agg, RIGHTARG = @extschema@.heartbeat_agg, FUNCTION = @extschema@.heartbeat_agg_gt,
    COMMUTATOR = OPERATOR(@extschema@.<), NEGATOR = OPERATOR(@extschema@.<=),
    RESTRICT = pg_catalog.scalargtsel, JOIN = pg_catalog.scalargtjoinsel
);
CREATE OPERATOR @extschema@.>= (
    LEFTARG = @extschema@.heartbeat_agg, RIGHTARG = @extschema@.heartbeat_agg, FUNCTION = @extschema@.heartbeat_agg_ge,
    COMMUTATOR = OPERATOR(@extschema@.<=), NEGATOR = OPERATOR(@extschema@.<),
    RESTRICT = pg_catalog.scalargesel, JOIN = pg_catalog.scalargejoinsel
);
CREATE OPERATOR CLASS @extschema@.heartbeat_agg_btree_ops DEFAULT FOR TYPE @extschema@.heartbeat_agg USING btree AS
    OPERATOR 1 @extschema@.<,
    OPERATOR 2 @extschema@.<=,
    OPERATOR 3 @extschema@.=,
    OPERATOR 4 @extschema@.>=,
    OPERATOR 5 @extschema@.>,
    FUNCTION 1 @extschema@.heartbeat_agg_cmp(@extschema@.heartbeat_agg, @extschema@.heartbeat_agg);
CREATE OPERATOR CLASS @extschema@.heartbeat_agg_hash_ops DEFAULT FOR TYPE @extschema@.heartbeat_agg USING hash AS
    OPERATOR 1 @extschema@.=,
    FUNCTION 1 @extschema@.heartbeat_agg_hash(@extschema@.heartbeat_agg),
    FUNCTION 2 @extschema@.heartbeat_agg_hash_extended(@extschema@.heartbeat_agg, bigint);
COMMENT ON FUNCTION @extschema@.heartbeat_agg_cmp(@extschema@.heartbeat_agg, @extschema@.heartbeat_agg) IS
    'btree comparison: the order of the stored bytes (arbitrary but stable, consistent with =)';
COMMENT ON FUNCTION @extschema@.heartbeat_agg_lt(@extschema@.heartbeat_agg, @extschema@.heartbeat_agg) IS 'stored-byte order: less than';
COMMENT ON FUNCTION @extschema@.heartbeat_agg_le(@extschema@.heartbeat_agg, @extschema@.heartbeat_agg) IS 'stored-byte order: less than or equal';
COMMENT ON FUNCTION @extschema@.heartbeat_agg_gt(@extschema@.heartbeat_agg, @extschema@.heartbeat_agg) IS 'stored-byte order: greater than';
COMMENT ON FUNCTION @extschema@.heartbeat_agg_ge(@extschema@.heartbeat_agg, @extschema@.heartbeat_agg) IS 'stored-byte order: greater than or equal';
COMMENT ON FUNCTION @extschema@.heartbeat_agg_hash(@extschema@.heartbeat_agg) IS 'hash of the stored bytes (hash operator class)';
COMMENT ON FUNCTION @extschema@.heartbeat_agg_hash_extended(@extschema@.heartbeat_agg, bigint) IS
    'seeded 64-bit hash of the stored bytes (hash operator class)';
COMMENT ON OPERATOR @extschema@.<(@extschema@.heartbeat_agg, @extschema@.heartbeat_agg) IS 'stored-byte order: less than (no meaning beyond sorting and indexing)';
COMMENT ON OPERATOR @extschema@.<=(@extschema@.heartbeat_agg, @extschema@.heartbeat_agg) IS 'stored-byte order: less than or equal';
COMMENT ON OPERATOR @extschema@.>(@extschema@.heartbeat_agg, @extschema@.heartbeat_agg) IS 'stored-byte order: greater than';
COMMENT ON OPERATOR @extschema@.>=(@extschema@.heartbeat_agg, @extschema@.heartbeat_agg) IS 'stored-byte order: greater than or equal';
COMMENT ON OPERATOR CLASS @extschema@.heartbeat_agg_btree_ops USING btree IS
    'default btree operator class of heartbeat_agg: the stored-byte order';
COMMENT ON OPERATOR FAMILY @extschema@.heartbeat_agg_btree_ops USING btree IS
    'default btree operator family of heartbeat_agg';
COMMENT ON OPERATOR CLASS @extschema@.heartbeat_agg_hash_ops USING hash IS
    'default hash operator class of heartbeat_agg: a hash of the stored bytes';
COMMENT ON OPERATOR FAMILY @extschema@.heartbeat_agg_hash_ops USING hash IS
    'default hash operator family of heartbeat_agg';

CREATE FUNCTION @extschema@.latency_sketch_cmp(@extschema@.latency_sketch, @extschema@.latency_sketch) RETURNS integer
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.latency_sketch_lt(@extschema@.latency_sketch, @extschema@.latency_sketch) RETURNS boolean
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.latency_sketch_le(@extschema@.latency_sketch, @extschema@.latency_sketch) RETURNS boolean
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.latency_sketch_gt(@extschema@.latency_sketch, @extschema@.latency_sketch) RETURNS boolean
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.latency_sketch_ge(@extschema@.latency_sketch, @extschema@.latency_sketch) RETURNS boolean
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.latency_sketch_hash(@extschema@.latency_sketch) RETURNS integer
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.latency_sketch_hash_extended(@extschema@.latency_sketch, bigint) RETURNS bigint
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE OPERATOR @extschema@.< (
    LEFTARG = @extschema@.latency_sketch, RIGHTARG = @extschema@.latency_sketch, FUNCTION = @extschema@.latency_sketch_lt,
    COMMUTATOR = OPERATOR(@extschema@.>), NEGATOR = OPERATOR(@extschema@.>=),
    RESTRICT = pg_catalog.scalarltsel, JOIN = pg_catalog.scalarltjoinsel
);
CREATE OPERATOR @extschema@.<= (
    LEFTARG = @extschema@.latency_sketch, RIGHTARG = @extschema@.latency_sketch, FUNCTION = @extschema@.latency_sketch_le,
    COMMUTATOR = OPERATOR(@extschema@.>=), NEGATOR = OPERATOR(@extschema@.>),
    RESTRICT = pg_catalog.scalarlesel, JOIN = pg_catalog.scalarlejoinsel
);
CREATE OPERATOR @extschema@.> (
    LEFTARG = @extschema@.latency_sketch, RIGHTARG = @extschema@.latency_sketch, FUNCTION = @extschema@.latency_sketch_gt,
    COMMUTATOR = OPERATOR(@extschema@.<), NEGATOR = OPERATOR(@extschema@.<=),
    RESTRICT = pg_catalog.scalargtsel, JOIN = pg_catalog.scalargtjoinsel
);
CREATE OPERATOR @extschema@.>= (
    LEFTARG = @extschema@.latency_sketch, RIGHTARG = @extschema@.latency_sketch, FUNCTION = @extschema@.latency_sketch_ge,
    COMMUTATOR = OPERATOR(@extschema@.<=), NEGATOR = OPERATOR(@extschema@.<),
    RESTRICT = pg_catalog.scalargesel, JOIN = pg_catalog.scalargejoinsel
);
CREATE OPERATOR CLASS @extschema@.latency_sketch_btree_ops DEFAULT FOR TYPE @extschema@.latency_sketch USING btree AS
    OPERATOR 1 @extschema@.<,
    OPERATOR 2 @extschema@.<=,
    OPERATOR 3 @extschema@.=,
    OPERATOR 4 @extschema@.>=,
    OPERATOR 5 @extschema@.>,
    FUNCTION 1 @extschema@.latency_sketch_cmp(@extschema@.latency_sketch, @extschema@.latency_sketch);
CREATE OPERATOR CLASS @extschema@.latency_sketch_hash_ops DEFAULT FOR TYPE @extschema@.latency_sketch USING hash AS
    OPERATOR 1 @extschema@.=,
    FUNCTION 1 @extschema@.latency_sketch_hash(@extschema@.latency_sketch),
    FUNCTION 2 @extschema@.latency_sketch_hash_extended(@extschema@.latency_sketch, bigint);
COMMENT ON FUNCTION @extschema@.latency_sketch_cmp(@extschema@.latency_sketch, @extschema@.latency_sketch) IS
    'btree comparison: the order of the stored bytes (arbitrary but stable, consistent with =)';
COMMENT ON FUNCTION @extschema@.latency_sketch_lt(@extschema@.latency_sketch, @extschema@.latency_sketch) IS 'stored-byte order: less than';
COMMENT ON FUNCTION @extschema@.latency_sketch_le(@extschema@.latency_sketch, @extschema@.latency_sketch) IS 'stored-byte order: less than or equal';
COMMENT ON FUNCTION @extschema@.latency_sketch_gt(@extschema@.latency_sketch, @extschema@.latency_sketch) IS 'stored-byte order: greater than';
COMMENT ON FUNCTION @extschema@.latency_sketch_ge(@extschema@.latency_sketch, @extschema@.latency_sketch) IS 'stored-byte order: greater than or equal';
COMMENT ON FUNCTION @extschema@.latency_sketch_hash(@extschema@.latency_sketch) IS 'hash of the stored bytes (hash operator class)';
COMMENT ON FUNCTION @extschema@.latency_sketch_hash_extended(@extschema@.latency_sketch, bigint) IS
    'seeded 64-bit hash of the stored bytes (hash operator class)';
COMMENT ON OPERATOR @extschema@.<(@extschema@.latency_sketch, @extschema@.latency_sketch) IS 'stored-byte order: less than (no meaning beyond sorting and indexing)';
COMMENT ON OPERATOR @extschema@.<=(@extschema@.latency_sketch, @extschema@.latency_sketch) IS 'stored-byte order: less than or equal';
COMMENT ON OPERATOR @extschema@.>(@extschema@.latency_sketch, @extschema@.latency_sketch) IS 'stored-byte order: greater than';
COMMENT ON OPERATOR @extschema@.>=(@extschema@.latency_sketch, @extschema@.latency_sketch) IS 'stored-byte order: greater than or equal';
COMMENT ON OPERATOR CLASS @extschema@.latency_sketch_btree_ops USING btree IS
    'default btree operator class of latency_sketch: the stored-byte order';
COMMENT ON OPERATOR FAMILY @extschema@.latency_sketch_btree_ops USING btree IS
    'default btree operator family of latency_sketch';
COMMENT ON OPERATOR CLASS @extschema@.latency_sketch_hash_ops USING hash IS
    'default hash operator class of latency_sketch: a hash of the stored bytes';
COMMENT ON OPERATOR FAMILY @extschema@.latency_sketch_hash_ops USING hash IS
    'default hash operator family of latency_sketch';

-------------------------------------------------------------------------------
-- ops rollups: ops_metrics_hourly and ops_metrics_daily, kept current from raw request logs
-------------------------------------------------------------------------------
-- README, "Ops rollups". A source is a table or view that exposes the event contract
-- (occurred_at, platform, status_code, latency_ms, is_timeout). Triggers on the table each
-- source watches log the UTC hours every statement touches (ops_change_log).
-- A refresh recomputes whole hours from all sources and overwrites their rows (never
-- increments), then derives the touched days from the hourly rows. Which hours a step
-- recomputes is decided in C++ (src/core/rollup_plan.cpp, ops_plan_step); the SQL a refresh
-- runs is in ops_refresh_hours and ops_derive_days. Refreshers take the row lock of
-- ops_rollup_state, so the worker and ops_refresh never overlap; the triggers only insert
-- into ops_change_log, so the application's writes never wait for a refresh.

CREATE TABLE @extschema@.ops_metrics_hourly (
    bucket_start timestamptz NOT NULL,
    platform varchar(50) NOT NULL,
    request_count bigint NOT NULL DEFAULT 0,
    success_count bigint NOT NULL DEFAULT 0,
    error_count bigint NOT NULL DEFAULT 0,
    error_4xx_count bigint NOT NULL DEFAULT 0,
    error_5xx_count bigint NOT NULL DEFAULT 0,
    timeout_count bigint NOT NULL DEFAULT 0,
    avg_latency_ms double precision,
    p99_latency_ms double precision,
    error_rate double precision NOT NULL DEFAULT 0,
    computed_at timestamptz NOT NULL DEFAULT pg_catalog.now(),
    p50_latency_ms double precision,
    p90_latency_ms double precision,
    p95_latency_ms double precision,
    max_latency_ms double precision,
    latency_sample_count bigint NOT NULL DEFAULT 0,
    latency @extschema@.latency_sketch,
    PRIMARY KEY (bucket_start, platform)
);
CREATE INDEX ops_metrics_hourly_platform_bucket_start_idx
    ON @extschema@.ops_metrics_hourly (platform, bucket_start DESC);

CREATE TABLE @extschema@.ops_metrics_daily (
    bucket_date date NOT NULL,
    platform varchar(50) NOT NULL,
    request_count bigint NOT NULL DEFAULT 0,
    success_count bigint NOT NULL DEFAULT 0,
    error_count bigint NOT NULL DEFAULT 0,
    error_4xx_count bigint NOT NULL DEFAULT 0,
    error_5xx_count bigint NOT NULL DEFAULT 0,
    timeout_count bigint NOT NULL DEFAULT 0,
    avg_latency_ms double precision,
    p99_latency_ms double precision,
    error_rate double precision NOT NULL DEFAULT 0,
    computed_at timestamptz NOT NULL DEFAULT pg_catalog.now(),
    p50_latency_ms double precision,
    p90_latency_ms double precision,
    p95_latency_ms double precision,
    max_latency_ms double precision,
    latency_sample_count bigint NOT NULL DEFAULT 0,
    latency @extschema@.latency_sketch,
    PRIMARY KEY (bucket_date, platform)
);
CREATE INDEX ops_metrics_daily_platform_bucket_date_idx
    ON @extschema@.ops_metrics_daily (platform, bucket_date DESC);

DO $comments$
DECLARE
    t text;
    unit text;
BEGIN
    FOREACH t IN ARRAY ARRAY['ops_metrics_hourly', 'ops_metrics_daily'] LOOP
        unit := CASE t WHEN 'ops_metrics_hourly' THEN 'UTC hour' ELSE 'UTC day' END;
        EXECUTE pg_catalog.format('COMMENT ON TABLE @extschema@.%I IS %L', t,
            'ops metrics per ' || unit || ' and platform, kept by the opsagg worker and ops_refresh '
            '(recomputed from the registered sources, never incremented)');
        EXECUTE pg_catalog.format('COMMENT ON COLUMN @extschema@.%I.platform IS %L', t,
            'platform of the events; events without one are counted under ''''');
        EXECUTE pg_catalog.format('COMMENT ON COLUMN @extschema@.%I.request_count IS %L', t, 'events');
        EXECUTE pg_catalog.format('COMMENT ON COLUMN @extschema@.%I.success_count IS %L', t,
            'events that are not errors');
        EXECUTE pg_catalog.format('COMMENT ON COLUMN @extschema@.%I.error_count IS %L', t,
            'events with status_code >= 400 or is_timeout');
        EXECUTE pg_catalog.format('COMMENT ON COLUMN @extschema@.%I.error_4xx_count IS %L', t,
            'events with status_code 400 to 499');
        EXECUTE pg_catalog.format('COMMENT ON COLUMN @extschema@.%I.error_5xx_count IS %L', t,
            'events with status_code 500 to 599');
        EXECUTE pg_catalog.format('COMMENT ON COLUMN @extschema@.%I.timeout_count IS %L', t,
            'events with is_timeout');
        EXECUTE pg_catalog.format('COMMENT ON COLUMN @extschema@.%I.avg_latency_ms IS %L', t,
            'mean latency (ms) of the events with a latency');
        EXECUTE pg_catalog.format('COMMENT ON COLUMN @extschema@.%I.p50_latency_ms IS %L', t,
            'median latency (ms), from the latency sketch (1% relative accuracy)');
        EXECUTE pg_catalog.format('COMMENT ON COLUMN @extschema@.%I.p90_latency_ms IS %L', t,
            '90th percentile latency (ms), from the latency sketch');
        EXECUTE pg_catalog.format('COMMENT ON COLUMN @extschema@.%I.p95_latency_ms IS %L', t,
            '95th percentile latency (ms), from the latency sketch');
        EXECUTE pg_catalog.format('COMMENT ON COLUMN @extschema@.%I.p99_latency_ms IS %L', t,
            '99th percentile latency (ms), from the latency sketch');
        EXECUTE pg_catalog.format('COMMENT ON COLUMN @extschema@.%I.max_latency_ms IS %L', t,
            'largest latency (ms)');
        EXECUTE pg_catalog.format('COMMENT ON COLUMN @extschema@.%I.latency_sample_count IS %L', t,
            'events with a latency (the weight of avg_latency_ms)');
        EXECUTE pg_catalog.format('COMMENT ON COLUMN @extschema@.%I.latency IS %L', t,
            'latency_sketch of the latencies: merge with rollup() for any longer range');
        EXECUTE pg_catalog.format('COMMENT ON COLUMN @extschema@.%I.error_rate IS %L', t,
            '100 * error_count / request_count (percent; 0 without requests)');
        EXECUTE pg_catalog.format('COMMENT ON COLUMN @extschema@.%I.computed_at IS %L', t,
            'when the row last changed');
    END LOOP;
END
$comments$;
COMMENT ON COLUMN @extschema@.ops_metrics_hourly.bucket_start IS 'start of the UTC hour';
COMMENT ON COLUMN @extschema@.ops_metrics_daily.bucket_date IS 'the UTC date';

CREATE TABLE @extschema@.ops_source_config (
    source regclass PRIMARY KEY,
    source_name text NOT NULL,
    watch regclass NOT NULL,
    watch_time_column name NOT NULL,
    added_at timestamptz NOT NULL DEFAULT pg_catalog.now(),
    consecutive_failures integer NOT NULL DEFAULT 0,
    last_error text,
    last_error_at timestamptz,
    retry_at timestamptz,
    owed_from timestamptz,
    owed_to timestamptz
);
COMMENT ON TABLE @extschema@.ops_source_config IS
    'sources registered with ops_add_source (read the view ops_sources); owed_from/owed_to: hours '
    'refreshed while the source was failing, refreshed again once it works';

CREATE TABLE @extschema@.ops_change_log (
    hour timestamptz NOT NULL,
    watch_table oid NOT NULL
);
CREATE INDEX ops_change_log_hour_idx ON @extschema@.ops_change_log (hour);
COMMENT ON TABLE @extschema@.ops_change_log IS
    'UTC hours touched by writes to watched tables since they were last refreshed';

CREATE TABLE @extschema@.ops_rollup_state (
    singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    next_hour timestamptz,
    caught_up_to timestamptz,
    cycle_started_at timestamptz,
    cycle_ended_at timestamptz,
    cycle_hours_refreshed bigint NOT NULL DEFAULT 0,
    cycle_rows_written bigint NOT NULL DEFAULT 0,
    last_error text,
    last_error_at timestamptz,
    rolled_from timestamptz,
    hourly_from timestamptz,
    daily_from date
);
INSERT INTO @extschema@.ops_rollup_state DEFAULT VALUES;
COMMENT ON COLUMN @extschema@.ops_rollup_state.rolled_from IS
    'the hours from rolled_from to next_hour were rolled up one after the other (ops_metrics reads them)';
COMMENT ON COLUMN @extschema@.ops_rollup_state.hourly_from IS
    'hours before it are past hourly retention: their changes are not rolled up any more';
COMMENT ON COLUMN @extschema@.ops_rollup_state.daily_from IS 'daily rows before it were deleted by retention';
COMMENT ON TABLE @extschema@.ops_rollup_state IS
    'progress of the worker (read the view ops_rollup_status); its row lock admits one refresher at a time';

-- Rows survive pg_dump / restore. The state and the change log do not need to: after a
-- restore the first cycle catches up from opsagg.backfill again.
SELECT pg_catalog.pg_extension_config_dump('@extschema@.ops_metrics_hourly', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.ops_metrics_daily', '');
SELECT pg_catalog.pg_extension_config_dump('@extschema@.ops_source_config', '');

-- Planning (C++, src/core/rollup_plan.cpp).
CREATE FUNCTION @extschema@.ops_plan_step(
    next_hour timestamptz, now timestamptz, backfill interval, hourly_retention interval,
    daily_retention interval, max_hours integer, pending_hours timestamptz[],
    OUT span_starts timestamptz[], OUT span_ends timestamptz[], OUT consumed_hours timestamptz[],
    OUT days date[], OUT next_hour timestamptz, OUT caught_up_to timestamptz, OUT more boolean,
    OUT catch_up_from timestamptz)
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.ops_plan_refresh(from_ts timestamptz, to_ts timestamptz,
    OUT first_hour timestamptz, OUT end_hour timestamptz, OUT first_day date, OUT end_day date)
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.ops_retention_cutoffs(now timestamptz, backfill interval,
    hourly_retention interval, daily_retention interval,
    OUT hourly_cutoff timestamptz, OUT daily_cutoff date)
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.ops_retry_delay(consecutive_failures integer, base interval, max_delay interval)
    RETURNS interval AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.ops_plan_step(timestamptz, timestamptz, interval, interval, interval, integer, timestamptz[]) IS
    'internal: the hours one step of the worker''s cycle recomputes, the days it derives, the new watermark';
COMMENT ON FUNCTION @extschema@.ops_plan_refresh(timestamptz, timestamptz) IS
    'internal: the hours and days ops_refresh(from_ts, to_ts) recomputes';
COMMENT ON FUNCTION @extschema@.ops_retention_cutoffs(timestamptz, interval, interval, interval) IS
    'internal: hourly rows before hourly_cutoff and daily rows before daily_cutoff are deleted';
COMMENT ON FUNCTION @extschema@.ops_retry_delay(integer, interval, interval) IS
    'internal: back-off before a failing source is tried again';

-- The interval settings, read as text so that they work whether or not the library is loaded.
CREATE FUNCTION @extschema@.ops_setting(name text) RETURNS interval
    LANGUAGE sql STABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
    AS $$
    SELECT COALESCE(NULLIF(pg_catalog.current_setting(name, true), ''),
                    CASE name WHEN 'opsagg.daily_retention' THEN '400 days' ELSE '30 days' END)::pg_catalog.interval
$$;
COMMENT ON FUNCTION @extschema@.ops_setting(text) IS
    'internal: opsagg.backfill, opsagg.hourly_retention or opsagg.daily_retention as an interval';

-- The hourly retention cutoff now. Changes to hours before it are no longer rolled up:
-- every refresher that acts on that moves ops_rollup_state.hourly_from up to it, so that
-- ops_metrics never takes those hours' rows for exact. Call it holding the state row.
CREATE FUNCTION @extschema@.ops_hourly_cutoff() RETURNS timestamptz
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
    AS $fn$
DECLARE
    cutoff timestamptz;
BEGIN
    SELECT cut.hourly_cutoff INTO cutoff
    FROM @extschema@.ops_retention_cutoffs(pg_catalog.now(), @extschema@.ops_setting('opsagg.backfill'),
             @extschema@.ops_setting('opsagg.hourly_retention'),
             @extschema@.ops_setting('opsagg.daily_retention')) AS cut;
    UPDATE @extschema@.ops_rollup_state SET hourly_from = GREATEST(hourly_from, cutoff);
    RETURN cutoff;
END
$fn$;
COMMENT ON FUNCTION @extschema@.ops_hourly_cutoff() IS
    'internal: the hourly retention cutoff now, recorded as the start of the hours ops_metrics may read';

-- The events of the given sources in the given spans of hours, as one UNION ALL of one range
-- scan per source and span; the spans are $1[first_span ...] (starts) and $2[first_span ...]
-- (ends) of the statement that embeds it. With one_scan, one scan per source selects every
-- span: for a foreign table, postgres_fdw can then send the aggregate over it to the remote
-- server (it cannot send one over a UNION ALL). One range per scan, not an OR of ranges: a single range is costed with the time
-- column's correlation (an index scan over the few pages of those hours), whereas an OR makes
-- a bitmap scan whose page estimate grows with the table, so that the server's JIT would
-- compile every refresh of a large source.
CREATE FUNCTION @extschema@.ops_events_sql(sources regclass[], span_count integer, first_span integer DEFAULT 1,
    one_scan boolean DEFAULT false) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
    AS $$
    SELECT COALESCE(
        pg_catalog.string_agg(pg_catalog.format(
            'SELECT occurred_at, platform::pg_catalog.text AS platform, status_code::pg_catalog.int4 AS status_code, '
            'latency_ms::pg_catalog.float8 AS latency_ms, is_timeout FROM %s WHERE %s',
            scan.source, scan.spans), ' UNION ALL ' ORDER BY scan.n, scan.i),
        'SELECT NULL::pg_catalog.timestamptz AS occurred_at, NULL::pg_catalog.text AS platform, '
        'NULL::pg_catalog.int4 AS status_code, NULL::pg_catalog.float8 AS latency_ms, '
        'NULL::pg_catalog.bool AS is_timeout WHERE false')
    FROM (SELECT s.source, s.n, CASE WHEN one_scan THEN 0 ELSE i END AS i,
                 pg_catalog.string_agg(pg_catalog.format('(occurred_at >= $1[%1$s] AND occurred_at < $2[%1$s])',
                                                         first_span + i - 1), ' OR ' ORDER BY i) AS spans
          FROM pg_catalog.unnest(sources) WITH ORDINALITY AS s(source, n),
               pg_catalog.generate_series(1, span_count) AS i
          GROUP BY 1, 2, 3) AS scan
$$;
COMMENT ON FUNCTION @extschema@.ops_events_sql(regclass[], integer, integer, boolean) IS
    'internal: SQL of the events of the sources within the spans of hours';

-- The statement that overwrites the rows of one rollup table (ops_metrics_hourly, key
-- bucket_start, or ops_metrics_daily, key bucket_date) with `fresh`, a query of their new
-- figures per key and platform (request_count ... latency); in_scope selects the table's rows
-- `fresh` stands for. Rows that did not change are left alone (a rerun writes nothing): counts,
-- max and sketches do not depend on the order of the rows, the float mean may differ in its
-- last bits between a serial and a parallel plan, so it counts as changed only beyond 1e-12
-- relative. Rows of a key and platform without events any more are deleted. Returns one row:
-- rows written, rows deleted.
CREATE FUNCTION @extschema@.ops_overwrite_sql(rollup text, key text, fresh text, in_scope text)
    RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
    AS $fn$
    SELECT pg_catalog.format($sql$
        WITH fresh AS (%3$s),
        written AS (
            INSERT INTO @extschema@.%1$I AS t
                (%2$I, platform, request_count, success_count, error_count, error_4xx_count,
                 error_5xx_count, timeout_count, avg_latency_ms, p99_latency_ms, error_rate,
                 computed_at, p50_latency_ms, p90_latency_ms, p95_latency_ms, max_latency_ms,
                 latency_sample_count, latency)
            SELECT f.%2$I, f.platform, f.request_count, f.success_count, f.error_count,
                   f.error_4xx_count, f.error_5xx_count, f.timeout_count, f.avg_latency_ms,
                   @extschema@.approx_percentile(0.99, f.latency),
                   COALESCE((100.0 * f.error_count / NULLIF(f.request_count, 0))::pg_catalog.float8, 0),
                   pg_catalog.now(),
                   @extschema@.approx_percentile(0.5, f.latency),
                   @extschema@.approx_percentile(0.9, f.latency),
                   @extschema@.approx_percentile(0.95, f.latency),
                   f.max_latency_ms, f.latency_sample_count, f.latency
            FROM fresh AS f
            ON CONFLICT (%2$I, platform) DO UPDATE SET
                request_count = EXCLUDED.request_count, success_count = EXCLUDED.success_count,
                error_count = EXCLUDED.error_count, error_4xx_count = EXCLUDED.error_4xx_count,
                error_5xx_count = EXCLUDED.error_5xx_count, timeout_count = EXCLUDED.timeout_count,
                avg_latency_ms = EXCLUDED.avg_latency_ms, p99_latency_ms = EXCLUDED.p99_latency_ms,
                error_rate = EXCLUDED.error_rate, computed_at = EXCLUDED.computed_at,
                p50_latency_ms = EXCLUDED.p50_latency_ms, p90_latency_ms = EXCLUDED.p90_latency_ms,
                p95_latency_ms = EXCLUDED.p95_latency_ms, max_latency_ms = EXCLUDED.max_latency_ms,
                latency_sample_count = EXCLUDED.latency_sample_count, latency = EXCLUDED.latency
            WHERE (t.request_count, t.success_count, t.error_count, t.error_4xx_count,
                   t.error_5xx_count, t.timeout_count, t.max_latency_ms, t.latency_sample_count)
                  IS DISTINCT FROM
                  (EXCLUDED.request_count, EXCLUDED.success_count, EXCLUDED.error_count,
                   EXCLUDED.error_4xx_count, EXCLUDED.error_5xx_count, EXCLUDED.timeout_count,
                   EXCLUDED.max_latency_ms, EXCLUDED.latency_sample_count)
               OR NOT COALESCE(pg_catalog.abs(t.avg_latency_ms - EXCLUDED.avg_latency_ms)
                               <= 1e-12 * pg_catalog.abs(EXCLUDED.avg_latency_ms),
                               t.avg_latency_ms IS NULL AND EXCLUDED.avg_latency_ms IS NULL)
               OR NOT COALESCE(t.latency OPERATOR(@extschema@.=) EXCLUDED.latency,
                               t.latency IS NULL AND EXCLUDED.latency IS NULL)
            RETURNING 1
        ),
        deleted AS (
            DELETE FROM @extschema@.%1$I AS t
            WHERE (%4$s)
              AND NOT EXISTS (SELECT 1 FROM fresh AS f WHERE f.%2$I = t.%2$I AND f.platform = t.platform)
            RETURNING 1
        )
        SELECT (SELECT pg_catalog.count(*) FROM written), (SELECT pg_catalog.count(*) FROM deleted)
    $sql$, rollup, key, fresh, in_scope)
$fn$;
COMMENT ON FUNCTION @extschema@.ops_overwrite_sql(text, text, text, text) IS
    'internal: SQL that overwrites the rows of ops_metrics_hourly or ops_metrics_daily with new figures';

-- The figures of events (ops_events_sql) per key and platform: key_expr over e.occurred_at
-- names the key; `condition` filters the events. Columns: key_name, platform, request_count
-- ... timeout_count, avg_latency_ms, max_latency_ms, latency_sample_count, latency.
-- CASE and IS NOT NULL rather than COALESCE: postgres_fdw 15 sends those to a remote server,
-- so that over a foreign table the whole aggregate runs there.
CREATE FUNCTION @extschema@.ops_event_figures_sql(key_name text, key_expr text, events text,
    condition text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
    AS $fn$
    SELECT pg_catalog.format($sql$
        SELECT %2$s AS %1$I,
               CASE WHEN e.platform IS NULL THEN '' ELSE e.platform END AS platform,
               pg_catalog.count(*) AS request_count,
               pg_catalog.count(*) FILTER (WHERE NOT e.is_error) AS success_count,
               pg_catalog.count(*) FILTER (WHERE e.is_error) AS error_count,
               pg_catalog.count(*) FILTER (WHERE e.status_code BETWEEN 400 AND 499) AS error_4xx_count,
               pg_catalog.count(*) FILTER (WHERE e.status_code BETWEEN 500 AND 599) AS error_5xx_count,
               pg_catalog.count(*) FILTER (WHERE e.is_timeout) AS timeout_count,
               pg_catalog.avg(e.latency_ms) AS avg_latency_ms,
               pg_catalog.max(e.latency_ms) AS max_latency_ms,
               pg_catalog.count(e.latency_ms) AS latency_sample_count,
               @extschema@.latency_sketch(e.latency_ms) AS latency
        FROM (SELECT ev.*,
                     (ev.status_code IS NOT NULL AND ev.status_code >= 400)
                     OR (ev.is_timeout IS NOT NULL AND ev.is_timeout) AS is_error
              FROM (%3$s) AS ev) AS e
        WHERE %4$s
        GROUP BY 1, 2
    $sql$, key_name, key_expr, events, condition)
$fn$;
COMMENT ON FUNCTION @extschema@.ops_event_figures_sql(text, text, text, text) IS
    'internal: SQL of the figures of events per key and platform';

-- Rows of figures (the columns of ops_event_figures_sql, as in the rollup tables) merged by
-- `group_by` over key_name and platform: counts summed, the mean weighted by samples,
-- sketches merged.
CREATE FUNCTION @extschema@.ops_merged_figures_sql(key_name text, figures text, group_by text)
    RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    SET search_path = pg_catalog, pg_temp
    AS $fn$
    SELECT pg_catalog.format($sql$
        SELECT f.%1$I, f.platform,
               pg_catalog.sum(f.request_count)::pg_catalog.int8 AS request_count,
               pg_catalog.sum(f.success_count)::pg_catalog.int8 AS success_count,
               pg_catalog.sum(f.error_count)::pg_catalog.int8 AS error_count,
               pg_catalog.sum(f.error_4xx_count)::pg_catalog.int8 AS error_4xx_count,
               pg_catalog.sum(f.error_5xx_count)::pg_catalog.int8 AS error_5xx_count,
               pg_catalog.sum(f.timeout_count)::pg_catalog.int8 AS timeout_count,
               (pg_catalog.sum(f.avg_latency_ms::pg_catalog.numeric * f.latency_sample_count)
                / NULLIF(pg_catalog.sum(f.latency_sample_count), 0))::pg_catalog.float8 AS avg_latency_ms,
               pg_catalog.max(f.max_latency_ms) AS max_latency_ms,
               pg_catalog.sum(f.latency_sample_count)::pg_catalog.int8 AS latency_sample_count,
               @extschema@.rollup(f.latency) AS latency
        FROM (%2$s) AS f
        GROUP BY %3$s
    $sql$, key_name, figures, group_by)
$fn$;
COMMENT ON FUNCTION @extschema@.ops_merged_figures_sql(text, text, text) IS
    'internal: SQL that merges rows of figures per key and platform';

-- Recomputes the hourly rows of the spans of hours [span_starts[i], span_ends[i]) from the
-- sources and overwrites them.
CREATE FUNCTION @extschema@.ops_refresh_hours(span_starts timestamptz[], span_ends timestamptz[],
    sources regclass[], OUT rows_written bigint, OUT rows_deleted bigint)
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
    AS $fn$
DECLARE
    span_count integer := COALESCE(pg_catalog.array_length(span_starts, 1), 0);
    in_spans text;
BEGIN
    IF span_count = 0 THEN
        rows_written := 0;
        rows_deleted := 0;
        RETURN;
    END IF;
    SELECT pg_catalog.string_agg(
               pg_catalog.format('(t.bucket_start >= $1[%1$s] AND t.bucket_start < $2[%1$s])', i), ' OR ')
    INTO in_spans FROM pg_catalog.generate_series(1, span_count) AS i;

    EXECUTE @extschema@.ops_overwrite_sql('ops_metrics_hourly', 'bucket_start',
        @extschema@.ops_event_figures_sql('bucket_start',
            $$pg_catalog.date_bin('1 hour', e.occurred_at, '2000-01-01 00:00:00+00')$$,
            @extschema@.ops_events_sql(sources, span_count), 'true'),
        in_spans)
    INTO rows_written, rows_deleted
    USING span_starts, span_ends;
END
$fn$;
COMMENT ON FUNCTION @extschema@.ops_refresh_hours(timestamptz[], timestamptz[], regclass[]) IS
    'internal: recomputes and overwrites the hourly rows of the spans of hours from the sources';

-- Derives the daily rows of the given UTC days from the hourly rows: counts summed, the mean
-- weighted by samples, sketches merged and percentiles taken from the merged sketch.
CREATE FUNCTION @extschema@.ops_derive_days(days date[], OUT rows_written bigint, OUT rows_deleted bigint)
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
    AS $fn$
BEGIN
    EXECUTE @extschema@.ops_overwrite_sql('ops_metrics_daily', 'bucket_date',
        @extschema@.ops_merged_figures_sql('bucket_date', $sql$
            SELECT d AS bucket_date, h.*
            FROM pg_catalog.unnest($1) AS d
            JOIN @extschema@.ops_metrics_hourly AS h
              ON h.bucket_start >= (d::pg_catalog.timestamp AT TIME ZONE 'UTC')
             AND h.bucket_start < ((d + 1)::pg_catalog.timestamp AT TIME ZONE 'UTC')
        $sql$, '1, 2'),
        't.bucket_date = ANY ($1)')
    INTO rows_written, rows_deleted
    USING days;
END
$fn$;
COMMENT ON FUNCTION @extschema@.ops_derive_days(date[]) IS
    'internal: derives the daily rows of the UTC days from the hourly rows';

-- A source failed (dropped, no permission, a bad value): record it, back off, and remember
-- the hours refreshed without it. The server log gets it once: when it starts failing or
-- its message changes.
CREATE FUNCTION @extschema@.ops_source_failed(failed regclass, message text, first_hour timestamptz,
    end_hour timestamptz) RETURNS void
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
    AS $fn$
DECLARE
    previous @extschema@.ops_source_config;
BEGIN
    SELECT * INTO previous FROM @extschema@.ops_source_config WHERE source = failed FOR UPDATE;
    UPDATE @extschema@.ops_source_config
    SET consecutive_failures = consecutive_failures + 1,
        last_error = message,
        last_error_at = pg_catalog.now(),
        retry_at = pg_catalog.now()
                   + @extschema@.ops_retry_delay(consecutive_failures + 1, '1 minute', '1 hour'),
        owed_from = LEAST(owed_from, first_hour),
        owed_to = GREATEST(owed_to, end_hour)
    WHERE source = failed;
    IF previous.consecutive_failures = 0 OR previous.last_error IS DISTINCT FROM message THEN
        RAISE WARNING 'opsagg: source % failed: %', previous.source_name, message
            USING HINT = 'It is retried with back-off; the other sources are refreshed without it. See ops_rollup_status.';
    END IF;
END
$fn$;
COMMENT ON FUNCTION @extschema@.ops_source_failed(regclass, text, timestamptz, timestamptz) IS
    'internal: records a failing source';

-- Recomputes the spans of hours from every usable source. A failing source is found by
-- trying each alone (in a subtransaction that is always rolled back), recorded, and left
-- out; the others are refreshed. Sources that work again refresh the hours they missed.
CREATE FUNCTION @extschema@.ops_recompute(span_starts timestamptz[], span_ends timestamptz[],
    respect_backoff boolean, OUT rows_written bigint, OUT rows_deleted bigint)
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
    AS $fn$
DECLARE
    first_hour timestamptz := span_starts[1];
    end_hour timestamptz := span_ends[pg_catalog.array_length(span_ends, 1)];
    usable regclass[];
    candidate record;
    tried regclass;
    any_failed boolean;
    state text;
    message text;
BEGIN
    FOR candidate IN
        SELECT c.source, c.source_name,
               EXISTS (SELECT 1 FROM pg_catalog.pg_class AS r WHERE r.oid = c.source) AS present
        FROM @extschema@.ops_source_config AS c
        WHERE NOT respect_backoff OR c.retry_at IS NULL OR c.retry_at <= pg_catalog.now()
        ORDER BY c.source_name
    LOOP
        IF candidate.present THEN
            usable := usable || candidate.source;
        ELSE
            PERFORM @extschema@.ops_source_failed(candidate.source,
                pg_catalog.format('relation %s does not exist any more (remove it with ops_remove_source(%s))',
                                  candidate.source_name, candidate.source::pg_catalog.oid),
                first_hour, end_hour);
        END IF;
    END LOOP;

    rows_written := 0;
    rows_deleted := 0;
    -- With no source to read (none registered, or all failing) the rows stay as they are.
    WHILE usable IS NOT NULL AND pg_catalog.cardinality(usable) > 0 LOOP
        BEGIN
            SELECT r.rows_written, r.rows_deleted INTO rows_written, rows_deleted
            FROM @extschema@.ops_refresh_hours(span_starts, span_ends, usable) AS r;
            EXIT;
        EXCEPTION WHEN OTHERS THEN
            GET STACKED DIAGNOSTICS state = RETURNED_SQLSTATE, message = MESSAGE_TEXT;
            IF state IN ('57014', '57P01', '40001', '40P01', '53100', '53200', '53300') THEN
                RAISE;  -- cancel, shutdown, serialization, resources: not the source's fault
            END IF;
            any_failed := false;
            FOREACH tried IN ARRAY COALESCE(usable, '{}') LOOP
                BEGIN
                    PERFORM @extschema@.ops_refresh_hours(span_starts, span_ends, ARRAY[tried]);
                    RAISE SQLSTATE 'OPSOK';
                EXCEPTION
                    WHEN SQLSTATE 'OPSOK' THEN
                        NULL;
                    WHEN OTHERS THEN
                        GET STACKED DIAGNOSTICS message = MESSAGE_TEXT;
                        PERFORM @extschema@.ops_source_failed(tried, message, first_hour, end_hour);
                        usable := pg_catalog.array_remove(usable, tried);
                        any_failed := true;
                END;
            END LOOP;
            IF NOT any_failed THEN
                RAISE SQLSTATE 'XX000' USING MESSAGE = pg_catalog.format('opsagg refresh failed: %s', message),
                    DETAIL = pg_catalog.format('Each source alone works; the error (SQLSTATE %s) is not a source''s.', state);
            END IF;
        END;
    END LOOP;

    -- Sources left out (backing off or failed) owe these hours.
    UPDATE @extschema@.ops_source_config
    SET owed_from = LEAST(owed_from, first_hour), owed_to = GREATEST(owed_to, end_hour)
    WHERE source <> ALL (COALESCE(usable, '{}')) AND consecutive_failures > 0;

    -- Sources that work again: the hours refreshed without them (within hourly retention)
    -- are queued for the next steps, once per back-off (retry_at cleared). The source counts
    -- as failing until none of those hours is pending: working on other hours (the open
    -- hour) does not make it recovered, so a source that fails on some hours only keeps its
    -- back-off and reaches the server log once instead of at every retry.
    INSERT INTO @extschema@.ops_change_log (hour, watch_table)
    SELECT h, c.watch
    FROM @extschema@.ops_source_config AS c,
         (SELECT @extschema@.ops_hourly_cutoff() AS hourly_cutoff) AS cut,
         pg_catalog.generate_series(GREATEST(c.owed_from, cut.hourly_cutoff), c.owed_to - interval '1 hour',
                                    interval '1 hour') AS h
    WHERE c.source = ANY (usable) AND c.consecutive_failures > 0 AND c.owed_from IS NOT NULL
      AND c.retry_at IS NOT NULL;
    UPDATE @extschema@.ops_source_config
    SET retry_at = NULL
    WHERE source = ANY (usable) AND consecutive_failures > 0;
    UPDATE @extschema@.ops_source_config AS c
    SET consecutive_failures = 0, owed_from = NULL, owed_to = NULL
    WHERE c.source = ANY (usable) AND c.consecutive_failures > 0
      AND NOT EXISTS (SELECT 1 FROM @extschema@.ops_change_log AS l
                      WHERE l.watch_table = c.watch::pg_catalog.oid
                        AND l.hour >= c.owed_from AND l.hour < c.owed_to);
END
$fn$;
COMMENT ON FUNCTION @extschema@.ops_recompute(timestamptz[], timestamptz[], boolean) IS
    'internal: recomputes the spans of hours from every source that works, recording the ones that fail';

CREATE FUNCTION @extschema@.ops_refresh(from_ts timestamptz, to_ts timestamptz,
    OUT hours_refreshed bigint, OUT hourly_rows_written bigint, OUT hourly_rows_deleted bigint,
    OUT daily_rows_written bigint)
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
    AS $fn$
DECLARE
    plan record;
    hourly record;
    daily record;
    days date[];
BEGIN
    IF from_ts IS NULL OR to_ts IS NULL THEN
        RAISE SQLSTATE '22004' USING MESSAGE = 'ops_refresh: from_ts and to_ts must not be NULL';
    END IF;
    SELECT * INTO plan FROM @extschema@.ops_plan_refresh(from_ts, to_ts);
    -- One refresher at a time: waits for the worker's step or another ops_refresh.
    PERFORM 1 FROM @extschema@.ops_rollup_state FOR UPDATE;
    -- The days derived again: those wholly inside the range, and those partly inside it whose
    -- daily rows still agree with their hourly rows. A day that lost hourly rows to retention
    -- (its daily rows count more requests than its hourly rows) keeps its daily rows:
    -- deriving them from the few hours refreshed would shrink them.
    SELECT ARRAY(
        SELECT d.day
        FROM pg_catalog.generate_series(plan.first_day::pg_catalog.timestamp,
                                        (plan.end_day - 1)::pg_catalog.timestamp, interval '1 day') AS g(t),
             LATERAL (SELECT g.t::pg_catalog.date AS day, g.t AT TIME ZONE 'UTC' AS first_hour,
                             (g.t + interval '1 day') AT TIME ZONE 'UTC' AS end_hour) AS d
        WHERE (d.first_hour >= plan.first_hour AND d.end_hour <= plan.end_hour)
           OR (SELECT COALESCE(pg_catalog.sum(t.request_count), 0) FROM @extschema@.ops_metrics_daily AS t
               WHERE t.bucket_date = d.day)
            = (SELECT COALESCE(pg_catalog.sum(h.request_count), 0) FROM @extschema@.ops_metrics_hourly AS h
               WHERE h.bucket_start >= d.first_hour AND h.bucket_start < d.end_hour))
    INTO days;
    -- Change records of these hours are consumed: the events they stand for committed before
    -- this DELETE, so the recompute below sees them.
    DELETE FROM @extschema@.ops_change_log WHERE hour >= plan.first_hour AND hour < plan.end_hour;
    SELECT * INTO hourly
    FROM @extschema@.ops_recompute(ARRAY[plan.first_hour], ARRAY[plan.end_hour], false);
    SELECT * INTO daily FROM @extschema@.ops_derive_days(days);
    hours_refreshed := (pg_catalog.date_part('epoch', plan.end_hour - plan.first_hour) / 3600)::pg_catalog.int8;
    hourly_rows_written := hourly.rows_written;
    hourly_rows_deleted := hourly.rows_deleted;
    daily_rows_written := daily.rows_written;
END
$fn$;
COMMENT ON FUNCTION @extschema@.ops_refresh(timestamptz, timestamptz) IS
    'recomputes the hourly rows of every UTC hour overlapping [from_ts, to_ts) from all sources, '
    'then the daily rows of the days touched (of a day only partly in the range, unless it lost '
    'hourly rows to retention); returns what it did';

CREATE FUNCTION @extschema@.ops_apply_retention(as_of timestamptz DEFAULT pg_catalog.now(),
    OUT hourly_rows_deleted bigint, OUT daily_rows_deleted bigint)
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
    AS $fn$
DECLARE
    cut record;
BEGIN
    IF as_of IS NULL THEN
        RAISE SQLSTATE '22004' USING MESSAGE = 'ops_apply_retention: as_of must not be NULL';
    END IF;
    SELECT * INTO cut FROM @extschema@.ops_retention_cutoffs(as_of,
        @extschema@.ops_setting('opsagg.backfill'), @extschema@.ops_setting('opsagg.hourly_retention'),
        @extschema@.ops_setting('opsagg.daily_retention'));
    DELETE FROM @extschema@.ops_metrics_hourly WHERE bucket_start < cut.hourly_cutoff;
    GET DIAGNOSTICS hourly_rows_deleted = ROW_COUNT;
    DELETE FROM @extschema@.ops_metrics_daily WHERE bucket_date < cut.daily_cutoff;
    GET DIAGNOSTICS daily_rows_deleted = ROW_COUNT;
    DELETE FROM @extschema@.ops_change_log WHERE hour < cut.hourly_cutoff;
    UPDATE @extschema@.ops_rollup_state
    SET hourly_from = GREATEST(hourly_from, cut.hourly_cutoff),
        daily_from = GREATEST(daily_from, cut.daily_cutoff);
END
$fn$;
COMMENT ON FUNCTION @extschema@.ops_apply_retention(timestamptz) IS
    'deletes hourly rows older than opsagg.hourly_retention and daily rows older than '
    'opsagg.daily_retention (before as_of); raw data is never touched';

-- The worker's cycle (src/worker.cpp): begin, steps until one returns false, end; each call
-- in a transaction of its own. A refresher that holds the state row makes them skip.
CREATE FUNCTION @extschema@.ops_worker_cycle_begin() RETURNS void
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
    AS $fn$
BEGIN
    PERFORM 1 FROM @extschema@.ops_rollup_state FOR UPDATE SKIP LOCKED;
    IF NOT FOUND THEN
        RETURN;
    END IF;
    UPDATE @extschema@.ops_rollup_state
    SET cycle_started_at = pg_catalog.now(), cycle_ended_at = NULL,
        cycle_hours_refreshed = 0, cycle_rows_written = 0;
    -- One record per hour and table: a statement per request leaves many duplicates.
    WITH old AS (DELETE FROM @extschema@.ops_change_log RETURNING hour, watch_table)
    INSERT INTO @extschema@.ops_change_log (hour, watch_table)
    SELECT DISTINCT hour, watch_table FROM old;
END
$fn$;

CREATE FUNCTION @extschema@.ops_worker_cycle_step() RETURNS boolean
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
    AS $fn$
DECLARE
    state @extschema@.ops_rollup_state;
    plan record;
    hourly record;
    daily record;
BEGIN
    SELECT * INTO state FROM @extschema@.ops_rollup_state FOR UPDATE SKIP LOCKED;
    IF NOT FOUND THEN
        RETURN false;
    END IF;
    SELECT * INTO plan FROM @extschema@.ops_plan_step(state.next_hour, pg_catalog.now(),
        @extschema@.ops_setting('opsagg.backfill'), @extschema@.ops_setting('opsagg.hourly_retention'),
        @extschema@.ops_setting('opsagg.daily_retention'), 24,
        ARRAY(SELECT DISTINCT hour FROM @extschema@.ops_change_log));
    DELETE FROM @extschema@.ops_change_log WHERE hour = ANY (plan.consumed_hours);
    SELECT * INTO hourly FROM @extschema@.ops_recompute(plan.span_starts, plan.span_ends, true);
    SELECT * INTO daily FROM @extschema@.ops_derive_days(plan.days);
    PERFORM @extschema@.ops_hourly_cutoff();  -- the plan left the hours before it alone
    UPDATE @extschema@.ops_rollup_state
    SET next_hour = plan.next_hour,
        caught_up_to = plan.caught_up_to,
        -- Coverage starts again where a catch-up starts afresh: the first one, or one that
        -- jumped over hours lost to retention.
        rolled_from = CASE WHEN state.next_hour IS NULL OR state.rolled_from IS NULL
                                OR plan.catch_up_from > state.next_hour
                           THEN plan.catch_up_from ELSE state.rolled_from END,
        cycle_hours_refreshed = cycle_hours_refreshed
            + (SELECT COALESCE(pg_catalog.sum(pg_catalog.date_part('epoch', e - s) / 3600), 0)::pg_catalog.int8
               FROM ROWS FROM (pg_catalog.unnest(plan.span_starts), pg_catalog.unnest(plan.span_ends)) AS u(s, e)),
        cycle_rows_written = cycle_rows_written + hourly.rows_written + daily.rows_written;
    RETURN plan.more;
END
$fn$;

CREATE FUNCTION @extschema@.ops_worker_cycle_end() RETURNS void
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
    AS $fn$
BEGIN
    PERFORM 1 FROM @extschema@.ops_rollup_state FOR UPDATE SKIP LOCKED;
    IF NOT FOUND THEN
        RETURN;
    END IF;
    PERFORM @extschema@.ops_apply_retention(pg_catalog.now());
    UPDATE @extschema@.ops_rollup_state SET cycle_ended_at = pg_catalog.clock_timestamp();
END
$fn$;

-- Records an error of the worker's cycle; true when it is new (the worker then logs it:
-- an error that repeats cycle after cycle reaches the server log once).
CREATE FUNCTION @extschema@.ops_worker_record_error(message text) RETURNS boolean
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
    AS $fn$
DECLARE
    previous @extschema@.ops_rollup_state;
BEGIN
    SELECT * INTO previous FROM @extschema@.ops_rollup_state FOR UPDATE;
    UPDATE @extschema@.ops_rollup_state SET last_error = message, last_error_at = pg_catalog.now();
    -- New: another message, or the same one again after a cycle that succeeded.
    RETURN previous.last_error IS DISTINCT FROM message
        OR previous.cycle_ended_at > previous.last_error_at;
END
$fn$;
COMMENT ON FUNCTION @extschema@.ops_worker_cycle_begin() IS 'internal: starts a cycle of the worker';
COMMENT ON FUNCTION @extschema@.ops_worker_cycle_step() IS
    'internal: one bounded step of the worker''s cycle (at most 24 hours); true if more work remains';
COMMENT ON FUNCTION @extschema@.ops_worker_cycle_end() IS
    'internal: ends a cycle of the worker: retention, cycle end time';
COMMENT ON FUNCTION @extschema@.ops_worker_record_error(text) IS
    'internal: records an error of the worker; true if it is new';

-- Change tracking: triggers on each watched table log the UTC hours every statement touched.
--   zz_opsagg_track_row     BEFORE INSERT OR UPDATE OR DELETE ... FOR EACH ROW, ops_track_row (C):
--                           records the hour of each row (old and new of an UPDATE) in a
--                           backend-local set for the transaction (src/track_glue.cpp). Named to
--                           sort last, so it sees the row other BEFORE triggers produced; cloned
--                           to partitions, where it records for the watched (partitioned) table.
--   opsagg_track_flush      AFTER INSERT OR UPDATE OR DELETE ... FOR EACH STATEMENT,
--                           ops_track_flush (C): writes the set's pending hours of the table to
--                           ops_change_log in one INSERT. A statement that fails leaves its hours
--                           pending (an extra recompute later); hours written in a subtransaction
--                           that rolls back turn pending again.
--   opsagg_track_truncate   AFTER TRUNCATE, ops_track_changes: every hour within hourly retention.
-- A generated time column has no value yet in BEFORE triggers: such a table is tracked by
-- ops_track_changes with transition tables instead (opsagg_track_insert, _update, _delete).
-- The statement triggers are SECURITY DEFINER with a pinned search_path: the application's
-- role needs no privilege on ops_change_log.
CREATE FUNCTION @extschema@.ops_track_changes() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
    AS $fn$
DECLARE
    time_column text := TG_ARGV[0];
    rows_of text;
BEGIN
    IF TG_OP = 'TRUNCATE' THEN
        INSERT INTO @extschema@.ops_change_log (hour, watch_table)
        SELECT h, TG_RELID
        FROM pg_catalog.generate_series(
                 pg_catalog.date_bin('1 hour', pg_catalog.now() - @extschema@.ops_setting('opsagg.hourly_retention'),
                                     '2000-01-01 00:00:00+00'),
                 pg_catalog.date_bin('1 hour', pg_catalog.now(), '2000-01-01 00:00:00+00'),
                 interval '1 hour') AS h;
        RETURN NULL;
    END IF;
    rows_of := CASE TG_OP
        WHEN 'INSERT' THEN pg_catalog.format('SELECT %I AS t FROM ops_new_rows', time_column)
        WHEN 'DELETE' THEN pg_catalog.format('SELECT %I AS t FROM ops_old_rows', time_column)
        ELSE pg_catalog.format('SELECT %1$I AS t FROM ops_old_rows UNION ALL SELECT %1$I FROM ops_new_rows',
                               time_column)
    END;
    EXECUTE pg_catalog.format(
        'INSERT INTO @extschema@.ops_change_log (hour, watch_table) '
        'SELECT DISTINCT pg_catalog.date_bin(''1 hour'', r.t, ''2000-01-01 00:00:00+00''), $1 '
        'FROM (%s) AS r WHERE pg_catalog.isfinite(r.t)', rows_of)
    USING TG_RELID;
    RETURN NULL;
END
$fn$;
REVOKE ALL ON FUNCTION @extschema@.ops_track_changes() FROM PUBLIC;
COMMENT ON FUNCTION @extschema@.ops_track_changes() IS
    'trigger of the tables sources watch: logs the hours within retention on TRUNCATE, and the UTC '
    'hours each statement touched on tables whose time column is generated';

CREATE FUNCTION @extschema@.ops_track_row() RETURNS trigger
    AS 'MODULE_PATHNAME' LANGUAGE C;
COMMENT ON FUNCTION @extschema@.ops_track_row() IS
    'row trigger of the tables sources watch: records the UTC hour of each row for ops_track_flush';
-- Executable by PUBLIC: creating a partition of a watched table clones the row trigger as
-- the partition's creator. It writes nothing but the backend's own set.

CREATE FUNCTION @extschema@.ops_track_flush() RETURNS trigger
    AS 'MODULE_PATHNAME' LANGUAGE C SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp;
REVOKE ALL ON FUNCTION @extschema@.ops_track_flush() FROM PUBLIC;
COMMENT ON FUNCTION @extschema@.ops_track_flush() IS
    'statement trigger of the tables sources watch: logs the UTC hours ops_track_row recorded';

-- The triggers on one watched table.
CREATE FUNCTION @extschema@.ops_watch(watched regclass, time_column name) RETURNS void
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
    AS $fn$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_catalog.pg_attribute AS a
               WHERE a.attrelid = watched AND a.attname = time_column AND a.attgenerated <> '') THEN
        EXECUTE pg_catalog.format(
            'CREATE TRIGGER opsagg_track_insert AFTER INSERT ON %1$s REFERENCING NEW TABLE AS ops_new_rows '
            'FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.ops_track_changes(%2$L);'
            'CREATE TRIGGER opsagg_track_update AFTER UPDATE ON %1$s '
            'REFERENCING OLD TABLE AS ops_old_rows NEW TABLE AS ops_new_rows '
            'FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.ops_track_changes(%2$L);'
            'CREATE TRIGGER opsagg_track_delete AFTER DELETE ON %1$s REFERENCING OLD TABLE AS ops_old_rows '
            'FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.ops_track_changes(%2$L)',
            watched, time_column);
    ELSE
        EXECUTE pg_catalog.format(
            'CREATE TRIGGER zz_opsagg_track_row BEFORE INSERT OR UPDATE OR DELETE ON %1$s '
            'FOR EACH ROW EXECUTE FUNCTION @extschema@.ops_track_row(%2$L);'
            'CREATE TRIGGER opsagg_track_flush AFTER INSERT OR UPDATE OR DELETE ON %1$s '
            'FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.ops_track_flush()',
            watched, time_column);
    END IF;
    EXECUTE pg_catalog.format(
        'CREATE TRIGGER opsagg_track_truncate AFTER TRUNCATE ON %1$s '
        'FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.ops_track_changes(%2$L)',
        watched, time_column);
END
$fn$;

CREATE FUNCTION @extschema@.ops_unwatch(watched regclass) RETURNS void
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
    AS $fn$
DECLARE
    trigger_name name;
BEGIN
    -- Only the triggers this table has (row and flush triggers, or the transition-table ones
    -- of a generated time column): DROP TRIGGER IF EXISTS would notice about the others.
    FOR trigger_name IN
        SELECT t.tgname FROM pg_catalog.pg_trigger AS t
        WHERE t.tgrelid = watched AND NOT t.tgisinternal AND t.tgparentid = 0
          AND t.tgname = ANY ('{zz_opsagg_track_row,opsagg_track_flush,opsagg_track_insert,'
                              'opsagg_track_update,opsagg_track_delete,opsagg_track_truncate}'::pg_catalog.name[])
    LOOP
        EXECUTE pg_catalog.format('DROP TRIGGER %I ON %s', trigger_name, watched);
    END LOOP;
    DELETE FROM @extschema@.ops_change_log WHERE watch_table = watched::pg_catalog.oid;
END
$fn$;
COMMENT ON FUNCTION @extschema@.ops_watch(regclass, name) IS 'internal: creates the change-tracking triggers on a table';
COMMENT ON FUNCTION @extschema@.ops_unwatch(regclass) IS 'internal: drops the change-tracking triggers of a table';

-- The event contract: a column and the types it may have (the refresh casts to the first).
CREATE FUNCTION @extschema@.ops_check_column(rel regclass, what text, col name, allowed regtype[],
    contract text) RETURNS void
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
    AS $fn$
DECLARE
    actual_type regtype;
BEGIN
    SELECT a.atttypid::pg_catalog.regtype INTO actual_type
    FROM pg_catalog.pg_attribute AS a
    WHERE a.attrelid = rel AND a.attname = col AND a.attnum > 0 AND NOT a.attisdropped;
    IF NOT FOUND THEN
        RAISE SQLSTATE '42703' USING
            MESSAGE = pg_catalog.format('%s %s has no column "%s"', what, rel, col),
            HINT = contract;
    END IF;
    IF actual_type <> ALL (allowed) THEN
        RAISE SQLSTATE '42804' USING
            MESSAGE = pg_catalog.format('column "%s" of %s %s has type %s, not %s', col, what, rel, actual_type,
                                        pg_catalog.array_to_string(allowed, ' or ')),
            HINT = contract;
    END IF;
END
$fn$;
COMMENT ON FUNCTION @extschema@.ops_check_column(regclass, text, name, regtype[], text) IS
    'internal: refuses a missing column or a column of another type';

-- A relation ops_metrics can read rows from: a table, view, materialized view or foreign
-- table with the given columns, each of one of its allowed types. Returns its relkind.
CREATE FUNCTION @extschema@.ops_check_relation(rel regclass, what text, columns name[], allowed text[],
    contract text) RETURNS "char"
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
    AS $fn$
DECLARE
    kind "char";
BEGIN
    SELECT relkind INTO kind FROM pg_catalog.pg_class WHERE oid = rel;
    IF kind IS NULL OR kind NOT IN ('r', 'p', 'v', 'm', 'f') THEN
        RAISE SQLSTATE '42809' USING MESSAGE = pg_catalog.format(
            '%s %s is not a table, view, materialized view or foreign table', what, rel);
    END IF;
    FOR i IN 1 .. pg_catalog.cardinality(columns) LOOP
        PERFORM @extschema@.ops_check_column(rel, what, columns[i], allowed[i]::pg_catalog.regtype[], contract);
    END LOOP;
    RETURN kind;
END
$fn$;
COMMENT ON FUNCTION @extschema@.ops_check_relation(regclass, text, name[], text[], text) IS
    'internal: refuses a relation of another kind or without the columns of its contract';

-- The event contract every source (and every remote rollup's events) exposes.
CREATE FUNCTION @extschema@.ops_check_events(source regclass, what text) RETURNS "char"
    LANGUAGE sql
    SET search_path = pg_catalog, pg_temp
    AS $$
    SELECT @extschema@.ops_check_relation(source, what,
        '{occurred_at,platform,status_code,latency_ms,is_timeout}',
        '{"{timestamptz}","{text,varchar}","{int4,int2}","{float8,float4,numeric,int4,int8}","{bool}"}',
        'A source exposes occurred_at timestamptz, platform text, status_code integer, '
        'latency_ms double precision and is_timeout boolean.')
$$;
COMMENT ON FUNCTION @extschema@.ops_check_events(regclass, text) IS
    'internal: refuses a relation that does not expose the event contract';

CREATE FUNCTION @extschema@.ops_add_source(source regclass, watch regclass DEFAULT NULL,
    watch_time_column name DEFAULT 'occurred_at') RETURNS void
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
    AS $fn$
DECLARE
    source_kind "char";
    watch_kind "char";
    other @extschema@.ops_source_config;
    state @extschema@.ops_rollup_state;
    remote name;
BEGIN
    IF source IS NULL OR watch_time_column IS NULL THEN
        RAISE SQLSTATE '22004' USING MESSAGE = 'ops_add_source: source and watch_time_column must not be NULL';
    END IF;
    source_kind := @extschema@.ops_check_events(source, 'source');
    -- Its events would be counted twice: once here, once from the remote's rollups.
    SELECT r.remote INTO remote FROM @extschema@.ops_remote_rollups AS r
    WHERE r.events = source OR source IN (SELECT pg_catalog.pg_partition_ancestors(r.events)) LIMIT 1;
    IF FOUND THEN
        RAISE SQLSTATE '42710' USING MESSAGE = pg_catalog.format(
            '%s holds the events of remote rollup %I: ops_metrics already reads them from there', source, remote);
    END IF;

    IF watch IS NULL THEN
        IF source_kind NOT IN ('r', 'p') THEN
            RAISE SQLSTATE '42809' USING
                MESSAGE = pg_catalog.format('source %s is not a table: name the table whose changes to track', source),
                HINT = 'ops_add_source(source, watch => ''the_table'', watch_time_column => ''its_time_column'')';
        END IF;
        watch := source;
    END IF;
    SELECT relkind INTO watch_kind FROM pg_catalog.pg_class WHERE oid = watch;
    IF watch_kind NOT IN ('r', 'p') THEN
        RAISE SQLSTATE '42809' USING MESSAGE = pg_catalog.format(
            'watch %s is not a table: changes are tracked on a table or partitioned table', watch);
    END IF;
    PERFORM @extschema@.ops_check_column(watch, 'watched table', watch_time_column, '{timestamptz}',
        'The watched column holds the time of the event, as timestamptz: its UTC hour is the hour refreshed.');

    -- Serialised with refreshes: a step never sees half a registration.
    SELECT * INTO state FROM @extschema@.ops_rollup_state FOR UPDATE;
    IF EXISTS (SELECT 1 FROM @extschema@.ops_source_config AS c WHERE c.source = ops_add_source.source) THEN
        RAISE SQLSTATE '42710' USING MESSAGE = pg_catalog.format('source %s is already registered', source);
    END IF;
    SELECT * INTO other FROM @extschema@.ops_source_config AS c WHERE c.watch = ops_add_source.watch LIMIT 1;
    IF FOUND AND other.watch_time_column <> watch_time_column THEN
        RAISE SQLSTATE '42710' USING MESSAGE = pg_catalog.format(
            'table %s is already watched by its column "%s" (for source %s)', watch, other.watch_time_column,
            other.source_name);
    END IF;

    INSERT INTO @extschema@.ops_source_config (source, source_name, watch, watch_time_column)
    VALUES (source, source::pg_catalog.text, watch, watch_time_column);
    IF other.source_name IS NULL THEN
        PERFORM @extschema@.ops_watch(watch, watch_time_column);
    END IF;

    -- Hours the worker already rolled up get this source's events at its next cycle.
    IF state.next_hour IS NOT NULL THEN
        INSERT INTO @extschema@.ops_change_log (hour, watch_table)
        SELECT h, watch
        FROM pg_catalog.generate_series(@extschema@.ops_hourly_cutoff(), state.next_hour - interval '1 hour',
                                        interval '1 hour') AS h;
    END IF;
END
$fn$;
COMMENT ON FUNCTION @extschema@.ops_add_source(regclass, regclass, name) IS
    'registers a table or view exposing the event contract as a source of the ops rollups; '
    'changes are tracked on watch (default: the source, which must then be a table) by its watch_time_column';

CREATE FUNCTION @extschema@.ops_remove_source(source regclass) RETURNS void
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
    AS $fn$
DECLARE
    removed @extschema@.ops_source_config;
BEGIN
    IF source IS NULL THEN
        RAISE SQLSTATE '22004' USING MESSAGE = 'ops_remove_source: source must not be NULL';
    END IF;
    PERFORM 1 FROM @extschema@.ops_rollup_state FOR UPDATE;
    DELETE FROM @extschema@.ops_source_config AS c WHERE c.source = ops_remove_source.source RETURNING * INTO removed;
    IF NOT FOUND THEN
        RAISE SQLSTATE '42704' USING MESSAGE = pg_catalog.format('%s is not a registered source', source);
    END IF;
    IF NOT EXISTS (SELECT 1 FROM @extschema@.ops_source_config AS c WHERE c.watch = removed.watch) THEN
        PERFORM @extschema@.ops_unwatch(removed.watch);
    END IF;
END
$fn$;
COMMENT ON FUNCTION @extschema@.ops_remove_source(regclass) IS
    'unregisters a source and removes its change tracking; its rollup rows stay';

CREATE VIEW @extschema@.ops_sources AS
SELECT c.source, c.source_name, c.watch, c.watch_time_column, c.added_at
FROM @extschema@.ops_source_config AS c;
COMMENT ON VIEW @extschema@.ops_sources IS 'registered sources: what each watches, when it was added';

CREATE VIEW @extschema@.ops_rollup_status AS
SELECT c.source_name AS source,
       c.watch,
       (SELECT pg_catalog.count(*) FROM @extschema@.ops_change_log AS l
        WHERE c.source IS NULL OR l.watch_table = c.watch::pg_catalog.oid) AS pending_changes,
       s.cycle_started_at AS last_cycle_start,
       s.cycle_ended_at AS last_cycle_end,
       s.cycle_hours_refreshed AS hours_refreshed,
       s.cycle_rows_written AS rows_written,
       pg_catalog.date_bin('1 hour', s.caught_up_to - interval '1 microsecond', '2000-01-01 00:00:00+00')
           AS newest_hour,
       pg_catalog.now() - s.caught_up_to AS lag,
       c.consecutive_failures > 0 AS source_failing,
       c.last_error AS source_error,
       c.last_error_at AS source_error_at,
       c.retry_at AS source_retry_at,
       s.last_error,
       s.last_error_at
FROM @extschema@.ops_rollup_state AS s
LEFT JOIN @extschema@.ops_source_config AS c ON true;
COMMENT ON VIEW @extschema@.ops_rollup_status IS
    'state of the ops rollups, one row per source: last cycle, pending change records, newest hour '
    'rolled up and lag, errors (the source''s, and the last error of a whole cycle)';

-------------------------------------------------------------------------------
-- dashboards: ops_metrics and ops_metrics_series over any range, exact counts
-------------------------------------------------------------------------------
-- README, "Dashboards". A range is answered from three parts, decided in C++
-- (src/core/metrics_plan.cpp, ops_plan_metrics): whole UTC days from ops_metrics_daily, whole
-- hours from ops_metrics_hourly, and everything else (partial hours at the edges, hours not
-- rolled up yet, hours with pending change records or owed by a failing source) straight
-- from the sources. Counts are therefore the raw counts; percentiles come from the merged
-- sketches. The functions are STABLE: the state, the rollup rows and the sources are read
-- in one snapshot, so a refresh committing meanwhile cannot make a part count twice.

CREATE FUNCTION @extschema@.ops_plan_metrics(from_ts timestamptz, to_ts timestamptz, bucket interval,
    origin timestamptz, rolled_from timestamptz, rolled_to timestamptz, hourly_from timestamptz,
    daily_from date, dirty_starts timestamptz[], dirty_ends timestamptz[],
    OUT days date[], OUT hours timestamptz[], OUT raw_starts timestamptz[], OUT raw_ends timestamptz[])
    AS 'MODULE_PATHNAME' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.ops_plan_metrics(timestamptz, timestamptz, interval, timestamptz, timestamptz,
    timestamptz, timestamptz, date, timestamptz[], timestamptz[]) IS
    'internal: the days, hours and raw spans ops_metrics reads for a range';

-- What the rollups hold exactly, for the range [from_ts, to_ts). SECURITY DEFINER: a
-- dashboard's role needs SELECT on the rollup tables and the sources only, not on the
-- worker's bookkeeping.
CREATE FUNCTION @extschema@.ops_rollup_coverage(from_ts timestamptz, to_ts timestamptz,
    OUT rolled_from timestamptz, OUT rolled_to timestamptz, OUT hourly_from timestamptz,
    OUT daily_from date, OUT dirty_starts timestamptz[], OUT dirty_ends timestamptz[],
    OUT sources regclass[])
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
    AS $$
    WITH dirty AS (
        SELECT DISTINCT l.hour AS first_hour, l.hour + interval '1 hour' AS end_hour
        FROM @extschema@.ops_change_log AS l
        WHERE l.hour >= from_ts - interval '1 hour' AND l.hour < to_ts
        UNION ALL
        SELECT c.owed_from, c.owed_to
        FROM @extschema@.ops_source_config AS c
        WHERE c.consecutive_failures > 0 AND c.owed_from < to_ts AND c.owed_to > from_ts
    )
    SELECT s.rolled_from, s.next_hour, s.hourly_from, s.daily_from,
           ARRAY(SELECT d.first_hour FROM dirty AS d ORDER BY 1),
           ARRAY(SELECT d.end_hour FROM dirty AS d ORDER BY d.first_hour),
           -- A dropped source is left out: the hours refreshed since are owed without it.
           ARRAY(SELECT c.source FROM @extschema@.ops_source_config AS c
                 WHERE EXISTS (SELECT 1 FROM pg_catalog.pg_class AS r WHERE r.oid = c.source)
                 ORDER BY c.source_name)
    FROM @extschema@.ops_rollup_state AS s
$$;
COMMENT ON FUNCTION @extschema@.ops_rollup_coverage(timestamptz, timestamptz) IS
    'internal: the rolled-up hours, retention bounds, stale hours and sources ops_metrics plans with';

-- The figures of [from_ts, to_ts) per bucket (date_bin(bucket, t, origin); bucket NULL: one
-- bucket, bucket_start = from_ts) and platform, plus a total row per bucket with platform
-- NULL; with only_platform, that platform's row of every bucket. Every bucket has a row,
-- zero without events. The rollups read are this server's and those of every registered
-- remote rollup (ops_add_remote_rollup): each is planned with its own coverage.
CREATE FUNCTION @extschema@.ops_metrics_rows(from_ts timestamptz, to_ts timestamptz, bucket interval,
    origin timestamptz, only_platform text, series boolean)
    RETURNS TABLE (bucket_start timestamptz, platform text, request_count bigint, success_count bigint,
        error_count bigint, error_4xx_count bigint, error_5xx_count bigint, timeout_count bigint,
        error_rate double precision, avg_latency_ms double precision, p50_latency_ms double precision,
        p90_latency_ms double precision, p95_latency_ms double precision, p99_latency_ms double precision,
        max_latency_ms double precision, latency_sample_count bigint, latency @extschema@.latency_sketch)
    LANGUAGE plpgsql STABLE
    SET search_path = pg_catalog, pg_temp
    -- postgres_fdw writes the constants of an aggregate it sends to a remote server in these
    -- styles; ISO dates read the same in any DateStyle's field order.
    SET DateStyle = 'ISO, YMD'
    SET IntervalStyle = 'postgres'
    AS $fn$
DECLARE
    remotes text;
    place record;
    plan record;
    -- What every place's plan asks for, concatenated; each place's parts read their slices.
    days date[] := '{}';
    hours timestamptz[] := '{}';
    raw_starts timestamptz[] := '{}';
    raw_ends timestamptz[] := '{}';
    parts text[] := '{}';
    -- The columns of a rollup row that ops_merged_figures_sql merges.
    figures constant text := 'platform::pg_catalog.text AS platform, request_count, success_count, error_count, '
        'error_4xx_count, error_5xx_count, timeout_count, avg_latency_ms, max_latency_ms, '
        'latency_sample_count, latency';
    key_of constant text := 'CASE WHEN $5 IS NULL THEN $8 ELSE pg_catalog.date_bin($5, %s, $6) END';
BEGIN
    IF from_ts IS NULL OR to_ts IS NULL OR (series AND bucket IS NULL) THEN
        RAISE SQLSTATE '22004' USING MESSAGE = pg_catalog.format('%s: from_ts, to_ts%s must not be NULL',
            CASE WHEN series THEN 'ops_metrics_series' ELSE 'ops_metrics' END,
            CASE WHEN series THEN ' and bucket' ELSE '' END);
    END IF;
    -- The places: this server and every remote rollup, each with its coverage, read in one
    -- statement (the remotes' at the same time: postgres_fdw's asynchronous scans). A
    -- remote's coverage, rollup rows and events are read over one connection, in one remote
    -- transaction (REPEATABLE READ), so they agree.
    SELECT pg_catalog.string_agg(pg_catalog.format(
               'SELECT %L::pg_catalog.regclass, %L::pg_catalog.regclass, ARRAY[%L::pg_catalog.regclass], true, '
               'c.rolled_from, c.rolled_to, c.hourly_from, c.daily_from, c.dirty_starts, c.dirty_ends FROM %s AS c',
               r.daily, r.hourly, r.events, r.coverage), ' UNION ALL ' ORDER BY r.remote)
    INTO remotes FROM @extschema@.ops_remote_rollups AS r;
    FOR place IN EXECUTE
        $sql$SELECT '@extschema@.ops_metrics_daily'::pg_catalog.regclass AS daily,
                    '@extschema@.ops_metrics_hourly'::pg_catalog.regclass AS hourly, c.sources, false AS remote,
                    c.rolled_from, c.rolled_to, c.hourly_from, c.daily_from, c.dirty_starts, c.dirty_ends
             FROM @extschema@.ops_rollup_coverage($1, $2) AS c$sql$ || COALESCE(' UNION ALL ' || remotes, '')
        USING from_ts, to_ts
    LOOP
        SELECT * INTO plan FROM @extschema@.ops_plan_metrics(from_ts, to_ts, bucket, origin,
            place.rolled_from, place.rolled_to, place.hourly_from, place.daily_from,
            place.dirty_starts, place.dirty_ends);
        IF pg_catalog.cardinality(plan.days) > 0 THEN
            parts := parts || pg_catalog.format($sql$
                SELECT %2$s AS bucket_start, %1$s FROM %3$s AS d
                WHERE d.bucket_date = ANY ($3[%4$s:%5$s]) AND ($7 IS NULL OR d.platform = $7)$sql$,
                figures, pg_catalog.format(key_of, $$(d.bucket_date::pg_catalog.timestamp AT TIME ZONE 'UTC')$$),
                place.daily, pg_catalog.cardinality(days) + 1, pg_catalog.cardinality(days || plan.days));
            days := days || plan.days;
        END IF;
        IF pg_catalog.cardinality(plan.hours) > 0 THEN
            parts := parts || pg_catalog.format($sql$
                SELECT %2$s AS bucket_start, %1$s FROM %3$s AS h
                WHERE h.bucket_start = ANY ($4[%4$s:%5$s]) AND ($7 IS NULL OR h.platform = $7)$sql$,
                figures, pg_catalog.format(key_of, 'h.bucket_start'),
                place.hourly, pg_catalog.cardinality(hours) + 1, pg_catalog.cardinality(hours || plan.hours));
            hours := hours || plan.hours;
        END IF;
        IF pg_catalog.cardinality(plan.raw_starts) > 0 AND pg_catalog.cardinality(place.sources) > 0 THEN
            parts := parts || @extschema@.ops_event_figures_sql('bucket_start',
                pg_catalog.format(key_of, 'e.occurred_at'),
                @extschema@.ops_events_sql(place.sources, pg_catalog.cardinality(plan.raw_starts),
                                           pg_catalog.cardinality(raw_starts) + 1, place.remote),
                $$$7 IS NULL OR e.platform = $7 OR ($7 = '' AND e.platform IS NULL)$$);
            raw_starts := raw_starts || plan.raw_starts;
            raw_ends := raw_ends || plan.raw_ends;
        END IF;
    END LOOP;
    IF pg_catalog.cardinality(parts) = 0 THEN -- no rollup rows, no sources: the figures of no events
        parts := ARRAY[@extschema@.ops_event_figures_sql('bucket_start', '$8',
                                                         @extschema@.ops_events_sql('{}', 0), 'true')];
    END IF;
    -- $1, $2: raw spans (ops_events_sql); $3 days; $4 hours; $5 bucket; $6 origin;
    -- $7 only_platform; $8 from_ts; $9 to_ts.
    RETURN QUERY EXECUTE pg_catalog.format($sql$
        WITH merged AS (%1$s),
        buckets AS (
            -- In UTC: a day is 24 hours, as for date_bin, whatever the session's TimeZone.
            SELECT b AT TIME ZONE 'UTC' AS bucket_start
            FROM pg_catalog.generate_series(
                (CASE WHEN $5 IS NULL THEN $8 ELSE pg_catalog.date_bin($5, $8, $6) END) AT TIME ZONE 'UTC',
                ($9 - interval '1 microsecond') AT TIME ZONE 'UTC', COALESCE($5, $9 - $8)) AS b
        )
        SELECT b.bucket_start, COALESCE(m.platform, $7),
               COALESCE(m.request_count, 0), COALESCE(m.success_count, 0), COALESCE(m.error_count, 0),
               COALESCE(m.error_4xx_count, 0), COALESCE(m.error_5xx_count, 0), COALESCE(m.timeout_count, 0),
               COALESCE((100.0 * m.error_count / NULLIF(m.request_count, 0))::pg_catalog.float8, 0),
               m.avg_latency_ms, q.p[1], q.p[2], q.p[3], q.p[4],
               m.max_latency_ms, COALESCE(m.latency_sample_count, 0), m.latency
        FROM buckets AS b
        LEFT JOIN merged AS m ON m.bucket_start = b.bucket_start
                             AND ($7 IS NULL OR m.platform IS NOT NULL)
        LEFT JOIN LATERAL (SELECT @extschema@.approx_percentile_array('{0.5,0.9,0.95,0.99}', m.latency) AS p) AS q
               ON true
        ORDER BY b.bucket_start, m.platform NULLS LAST
    $sql$,
    @extschema@.ops_merged_figures_sql('bucket_start',
        -- Sorted, the groups are merged one after the other; hashed, every group's sketch
        -- (kilobytes each) would be held at once.
        pg_catalog.array_to_string(parts, ' UNION ALL ') || ' ORDER BY 1, 2',
        'GROUPING SETS ((f.bucket_start, f.platform), (f.bucket_start))'))
    USING raw_starts, raw_ends, days, hours, bucket, origin, only_platform, from_ts, to_ts;
END
$fn$;
COMMENT ON FUNCTION @extschema@.ops_metrics_rows(timestamptz, timestamptz, interval, timestamptz, text, boolean) IS
    'internal: the figures of a range per bucket and platform, from the rollups and the sources';

CREATE FUNCTION @extschema@.ops_metrics(from_ts timestamptz, to_ts timestamptz, platform text DEFAULT NULL)
    RETURNS TABLE (platform text, request_count bigint, success_count bigint, error_count bigint,
        error_4xx_count bigint, error_5xx_count bigint, timeout_count bigint, error_rate double precision,
        avg_latency_ms double precision, p50_latency_ms double precision, p90_latency_ms double precision,
        p95_latency_ms double precision, p99_latency_ms double precision, max_latency_ms double precision,
        latency_sample_count bigint)
    LANGUAGE sql STABLE
    SET search_path = pg_catalog, pg_temp
    AS $$
    SELECT r.platform, r.request_count, r.success_count, r.error_count, r.error_4xx_count, r.error_5xx_count,
           r.timeout_count, r.error_rate, r.avg_latency_ms, r.p50_latency_ms, r.p90_latency_ms,
           r.p95_latency_ms, r.p99_latency_ms, r.max_latency_ms, r.latency_sample_count
    FROM @extschema@.ops_metrics_rows(from_ts, to_ts, NULL, NULL, ops_metrics.platform, false) AS r
$$;
COMMENT ON FUNCTION @extschema@.ops_metrics(timestamptz, timestamptz, text) IS
    'ops figures of [from_ts, to_ts): one row per platform and a total row (platform NULL), or the '
    'given platform''s row; counts equal the raw counts, percentiles from the merged sketches';

-- Buckets are aligned like date_bin(bucket, t, '2000-01-01 00:00 UTC'), the first and last
-- clipped to the range. The previous period is [from_ts - length, from_ts): each row's
-- *_prev figures are those of its bucket moved back by the range's length.
CREATE FUNCTION @extschema@.ops_metrics_series(from_ts timestamptz, to_ts timestamptz, bucket interval,
    platform text DEFAULT NULL)
    RETURNS TABLE (bucket_start timestamptz, platform text, request_count bigint, success_count bigint,
        error_count bigint, error_4xx_count bigint, error_5xx_count bigint, timeout_count bigint,
        error_rate double precision, avg_latency_ms double precision, p50_latency_ms double precision,
        p90_latency_ms double precision, p95_latency_ms double precision, p99_latency_ms double precision,
        max_latency_ms double precision, latency_sample_count bigint, request_count_prev bigint,
        error_rate_prev double precision, p99_latency_ms_prev double precision,
        request_count_change_pct double precision, error_rate_change_pct double precision,
        p99_latency_ms_change_pct double precision)
    LANGUAGE sql STABLE
    SET search_path = pg_catalog, pg_temp
    AS $$
    -- Moving back by the length in UTC keeps every day 24 hours long, as date_bin counts.
    SELECT c.bucket_start, c.platform, c.request_count, c.success_count, c.error_count, c.error_4xx_count,
           c.error_5xx_count, c.timeout_count, c.error_rate, c.avg_latency_ms, c.p50_latency_ms,
           c.p90_latency_ms, c.p95_latency_ms, c.p99_latency_ms, c.max_latency_ms, c.latency_sample_count,
           COALESCE(p.request_count, 0), COALESCE(p.error_rate, 0), p.p99_latency_ms,
           -- changes in percent: 100 * (now - before) / before, NULL when before is 0 or NULL
           100 * (c.request_count - p.request_count)::pg_catalog.float8 / NULLIF(p.request_count, 0),
           100 * (c.error_rate - p.error_rate) / NULLIF(p.error_rate, 0),
           100 * (c.p99_latency_ms - p.p99_latency_ms) / NULLIF(p.p99_latency_ms, 0)
    FROM @extschema@.ops_metrics_rows(from_ts, to_ts, bucket, '2000-01-01 00:00:00+00',
                                      ops_metrics_series.platform, true) AS c
    LEFT JOIN @extschema@.ops_metrics_rows(
                  ((from_ts AT TIME ZONE 'UTC') - (to_ts - from_ts)) AT TIME ZONE 'UTC', from_ts, bucket,
                  ('2000-01-01 00:00:00'::pg_catalog.timestamp - (to_ts - from_ts)) AT TIME ZONE 'UTC',
                  ops_metrics_series.platform, true) AS p
           ON p.bucket_start = ((c.bucket_start AT TIME ZONE 'UTC') - (to_ts - from_ts)) AT TIME ZONE 'UTC'
          AND p.platform IS NOT DISTINCT FROM c.platform
    ORDER BY c.bucket_start, c.platform NULLS LAST
$$;
COMMENT ON FUNCTION @extschema@.ops_metrics_series(timestamptz, timestamptz, interval, text) IS
    'ops figures of [from_ts, to_ts) per bucket (aligned on 2000-01-01 UTC) and platform, with a total '
    'row per bucket (platform NULL), and the figures of the same bucket in the previous period';

-------------------------------------------------------------------------------
-- scale-out: the rollups of other servers (shards), read over postgres_fdw
-------------------------------------------------------------------------------
-- README, "Scaling out". Each shard runs the worker over its own events. The coordinator
-- imports three relations of each shard into a schema named after it (IMPORT FOREIGN SCHEMA
-- ... LIMIT TO (ops_metrics_hourly, ops_metrics_daily, ops_rollup_coverage_all)) and
-- registers that schema with the shard's events; ops_metrics then plans each shard's part of
-- a range with the shard's own coverage and merges the parts (counts summed, sketches merged).

-- What this server's rollups hold exactly (ops_rollup_coverage over all time), for a
-- coordinator to read through a foreign table. Readable by every role, like the function.
CREATE VIEW @extschema@.ops_rollup_coverage_all AS
SELECT c.rolled_from, c.rolled_to, c.hourly_from, c.daily_from, c.dirty_starts, c.dirty_ends
FROM @extschema@.ops_rollup_coverage('-infinity', 'infinity') AS c;
COMMENT ON VIEW @extschema@.ops_rollup_coverage_all IS
    'what this server''s rollups hold exactly: import it on a coordinator (ops_add_remote_rollup)';
GRANT SELECT ON @extschema@.ops_rollup_coverage_all TO PUBLIC;

CREATE TABLE @extschema@.ops_remote_rollups (
    remote name PRIMARY KEY,
    hourly regclass NOT NULL,
    daily regclass NOT NULL,
    coverage regclass NOT NULL,
    events regclass NOT NULL,
    added_at timestamptz NOT NULL DEFAULT pg_catalog.now()
);
COMMENT ON TABLE @extschema@.ops_remote_rollups IS
    'remote rollups registered with ops_add_remote_rollup: ops_metrics reads each remote''s '
    'ops_metrics_hourly, ops_metrics_daily and ops_rollup_coverage_all from the schema `remote`, '
    'and its raw events from `events`';
-- ops_metrics reads it as the caller; reading a remote still needs SELECT on its relations.
GRANT SELECT ON @extschema@.ops_remote_rollups TO PUBLIC;
SELECT pg_catalog.pg_extension_config_dump('@extschema@.ops_remote_rollups', '');

CREATE FUNCTION @extschema@.ops_add_remote_rollup(remote name, events regclass) RETURNS void
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
    AS $fn$
DECLARE
    rollup_contract constant text := 'Import the remote''s rollup tables and coverage: IMPORT FOREIGN SCHEMA '
        '<its opsagg schema> LIMIT TO (ops_metrics_hourly, ops_metrics_daily, ops_rollup_coverage_all) '
        'FROM SERVER <server> INTO <remote>';
    figure_columns constant name[] := '{platform,request_count,success_count,error_count,error_4xx_count,'
        'error_5xx_count,timeout_count,avg_latency_ms,max_latency_ms,latency_sample_count,latency}';
    figure_types constant text[] := ARRAY['{text,varchar}', '{int8}', '{int8}', '{int8}', '{int8}', '{int8}',
        '{int8}', '{float8}', '{float8}', '{int8}', '{@extschema@.latency_sketch}'];
    rels regclass[];
    servers oid[];
    relation text;
    local_source regclass;
BEGIN
    IF remote IS NULL OR events IS NULL THEN
        RAISE SQLSTATE '22004' USING MESSAGE = 'ops_add_remote_rollup: remote and events must not be NULL';
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_namespace WHERE nspname = remote) THEN
        RAISE SQLSTATE '3F000' USING MESSAGE = pg_catalog.format('schema "%s" does not exist', remote),
            HINT = rollup_contract;
    END IF;
    FOREACH relation IN ARRAY ARRAY['ops_metrics_hourly', 'ops_metrics_daily', 'ops_rollup_coverage_all'] LOOP
        rels := rels || pg_catalog.to_regclass(pg_catalog.format('%I.%I', remote, relation));
        IF rels[pg_catalog.cardinality(rels)] IS NULL THEN
            RAISE SQLSTATE '42P01' USING
                MESSAGE = pg_catalog.format('relation "%s.%s" does not exist', remote, relation),
                HINT = rollup_contract;
        END IF;
    END LOOP;
    PERFORM @extschema@.ops_check_relation(rels[1], 'remote rollup', '{bucket_start}'::name[] || figure_columns,
        '{"{timestamptz}"}'::text[] || figure_types, rollup_contract);
    PERFORM @extschema@.ops_check_relation(rels[2], 'remote rollup', '{bucket_date}'::name[] || figure_columns,
        '{"{date}"}'::text[] || figure_types, rollup_contract);
    PERFORM @extschema@.ops_check_relation(rels[3], 'remote coverage',
        '{rolled_from,rolled_to,hourly_from,daily_from,dirty_starts,dirty_ends}',
        '{"{timestamptz}","{timestamptz}","{timestamptz}","{date}","{timestamptz[]}","{timestamptz[]}"}',
        rollup_contract);
    PERFORM @extschema@.ops_check_events(events, 'remote events');
    rels := rels || events;

    -- One server for all four: one connection, one remote snapshot, so they agree.
    SELECT pg_catalog.array_agg(DISTINCT f.ftserver) INTO servers
    FROM pg_catalog.unnest(rels) AS r(rel)
    LEFT JOIN pg_catalog.pg_foreign_table AS f ON f.ftrelid = r.rel;
    IF pg_catalog.cardinality(servers) > 1 THEN
        RAISE SQLSTATE '42P17' USING
            MESSAGE = pg_catalog.format('the relations of remote rollup %I are not all foreign tables of one server',
                                        remote),
            DETAIL = pg_catalog.format('%s, %s, %s and %s must be read in one remote transaction.',
                                       rels[1], rels[2], rels[3], rels[4]);
    END IF;

    -- Its events would be counted twice: from the local rollups and from the remote's.
    SELECT c.source INTO local_source FROM @extschema@.ops_source_config AS c
    WHERE c.source = events OR c.source IN (SELECT pg_catalog.pg_partition_ancestors(events)) LIMIT 1;
    IF FOUND THEN
        RAISE SQLSTATE '42710' USING MESSAGE = pg_catalog.format(
            'the events %s are already rolled up here, by source %s', events, local_source);
    END IF;
    IF EXISTS (SELECT 1 FROM @extschema@.ops_remote_rollups AS r WHERE r.remote = ops_add_remote_rollup.remote) THEN
        RAISE SQLSTATE '42710' USING MESSAGE = pg_catalog.format('remote rollup %I is already registered', remote);
    END IF;
    INSERT INTO @extschema@.ops_remote_rollups (remote, hourly, daily, coverage, events)
    VALUES (remote, rels[1], rels[2], rels[3], rels[4]);
END
$fn$;
COMMENT ON FUNCTION @extschema@.ops_add_remote_rollup(name, regclass) IS
    'registers the rollups of another server, imported into schema `remote`, with its raw events: '
    'ops_metrics and ops_metrics_series then include them';

CREATE FUNCTION @extschema@.ops_remove_remote_rollup(remote name) RETURNS void
    LANGUAGE plpgsql
    SET search_path = pg_catalog, pg_temp
    AS $fn$
BEGIN
    IF remote IS NULL THEN
        RAISE SQLSTATE '22004' USING MESSAGE = 'ops_remove_remote_rollup: remote must not be NULL';
    END IF;
    DELETE FROM @extschema@.ops_remote_rollups AS r WHERE r.remote = ops_remove_remote_rollup.remote;
    IF NOT FOUND THEN
        RAISE SQLSTATE '42704' USING MESSAGE = pg_catalog.format('%I is not a registered remote rollup', remote);
    END IF;
END
$fn$;
COMMENT ON FUNCTION @extschema@.ops_remove_remote_rollup(name) IS
    'unregisters a remote rollup; its foreign tables stay';
