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
