-- opsagg 1.0 install script. Every object is schema-qualified with @extschema@.
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

CREATE AGGREGATE @extschema@.heartbeat_agg(
    heartbeat timestamptz, agg_start timestamptz, agg_duration interval, heartbeat_liveness interval
) (
    SFUNC = @extschema@.heartbeat_agg_trans,
    STYPE = internal,
    SSPACE = 256,
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
    SSPACE = 256,
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
    RESTRICT = eqsel, JOIN = eqjoinsel
);
CREATE OPERATOR @extschema@.<> (
    LEFTARG = @extschema@.heartbeat_agg, RIGHTARG = @extschema@.heartbeat_agg,
    FUNCTION = @extschema@.heartbeat_agg_ne,
    COMMUTATOR = OPERATOR(@extschema@.<>), NEGATOR = OPERATOR(@extschema@.=),
    RESTRICT = neqsel, JOIN = neqjoinsel
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
