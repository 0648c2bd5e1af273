// SQL-callable functions of heartbeat_agg: Datums in, core calls, Datums out.
// Bodies hold only plain locals and PostgreSQL memory (see pg/boundary.hpp).
#include "core/heartbeat.hpp"
#include "pg/boundary.hpp"
#include "pg/varlena.hpp"
#include "pg/stored_order.hpp"
#include "pg/guard.hpp"

namespace hb = opsagg::heartbeat;

static_assert(hb::kMinInstant == MIN_TIMESTAMP && hb::kEndInstant == END_TIMESTAMP,
              "the core's timestamp range must be PostgreSQL's");
static_assert(sizeof(hb::Range) == 16, "ranges are stored as two int64");

namespace {

// On-disk value: 8-byte aligned varlena, version byte, zeroed reserved bytes.
struct HeartbeatAggData {
    int32 vl_len_;
    uint8 version;
    uint8 reserved[3];
    int64 start_time;
    int64 end_time;
    int64 last_seen;
    int64 interval_len;
    int64 num_ranges;
    // followed by num_ranges hb::Range
};

constexpr Size kValueHeaderSize = sizeof(HeartbeatAggData);
static_assert(kValueHeaderSize % 8 == 0, "ranges must be 8-byte aligned");

hb::Range* ranges_of(HeartbeatAggData* value) {
    return reinterpret_cast<hb::Range*>(reinterpret_cast<char*>(value) + kValueHeaderSize);
}

hb::View view_of(HeartbeatAggData* value) {
    return hb::View{
        hb::Header{value->start_time, value->end_time, value->last_seen, value->interval_len},
        ranges_of(value), static_cast<std::size_t>(value->num_ranges)};
}

// Room for `range_capacity` ranges: at most kMaxRanges + 1 (interpolate's count + 1
// for an input at the cap); finish_value checks the count the value ends with.
HeartbeatAggData* allocate_value(std::size_t range_capacity) {
    if (range_capacity > hb::kMaxRanges + 1)
        elog(ERROR, "heartbeat_agg: capacity %zu requested for a value", range_capacity);
    Size size = kValueHeaderSize + range_capacity * sizeof(hb::Range);
    auto* value = static_cast<HeartbeatAggData*>(palloc0(size));
    SET_VARSIZE(value, size);
    value->version = hb::kFormatVersion;
    return value;
}

// Sets the header and the final size of a value allocated with allocate_value.
HeartbeatAggData* finish_value(HeartbeatAggData* value, const hb::Header& header,
                               std::size_t count) {
    if (count > hb::kMaxRanges) {
        ereport(ERROR, (errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
                        errmsg("heartbeat_agg: more than 2^24 live ranges")));
    }
    value->start_time = header.start_time;
    value->end_time = header.end_time;
    value->last_seen = header.last_seen;
    value->interval_len = header.interval_len;
    value->num_ranges = static_cast<int64>(count);
    SET_VARSIZE(value, kValueHeaderSize + count * sizeof(hb::Range));
    return value;
}

// The checks a stored value's header must pass before it is read (`size` is the whole
// value's): the full validation ran when the value was made.
void check_header(const HeartbeatAggData* value, Size size) {
    if (size < kValueHeaderSize || VARSIZE(value) < kValueHeaderSize ||
        value->version != hb::kFormatVersion || value->num_ranges < 0 ||
        static_cast<uint64>(value->num_ranges) > hb::kMaxRanges ||
        size != kValueHeaderSize + static_cast<Size>(value->num_ranges) * sizeof(hb::Range)) {
        ereport(ERROR, (errcode(ERRCODE_DATA_CORRUPTED),
                        errmsg("corrupt heartbeat_agg value (size %zu)", size)));
    }
}

HeartbeatAggData* value_arg(FunctionCallInfo fcinfo, int n) {
    auto* value =
        reinterpret_cast<HeartbeatAggData*>(opsagg::pg::detoast_aligned(PG_GETARG_DATUM(n)));
    check_header(value, VARSIZE(value));
    return value;
}

// The header of argument n (its ranges are neither fetched nor decompressed).
HeartbeatAggData* header_arg(FunctionCallInfo fcinfo, int n) {
    Size size;
    auto* value = reinterpret_cast<HeartbeatAggData*>(
        opsagg::pg::detoast_header(PG_GETARG_DATUM(n), kValueHeaderSize, &size));
    check_header(value, size);
    return value;
}

// Microseconds as an interval of days and time, never months (justify_hours).
Datum interval_datum(int64 microseconds) {
    auto* result = static_cast<Interval*>(palloc(sizeof(Interval)));
    result->month = 0;
    result->day = static_cast<int32>(microseconds / USECS_PER_DAY);
    result->time = microseconds % USECS_PER_DAY;
    return IntervalPGetDatum(result);
}

TimestampTz add_interval(TimestampTz t, Interval* span) {
    return DatumGetTimestampTz(DirectFunctionCall2(timestamptz_pl_interval, TimestampTzGetDatum(t),
                                                   IntervalPGetDatum(span)));
}

// t + span into *sum, or false when the sum is outside the timestamp range (22008).
bool add_interval_in_range(TimestampTz t, Interval* span, TimestampTz* sum) {
    try {
        *sum = opsagg::pg::pg_call([t, span] { return add_interval(t, span); });
        return true;
    } catch (const opsagg::pg::PgError& e) {
        if (e.error().sqlstate != ERRCODE_DATETIME_VALUE_OUT_OF_RANGE)
            throw;
    }
    return false;
}

// Interval order as PostgreSQL's interval comparison (30-day months, 24-hour days).
int compare_intervals(Interval* a, Interval* b) {
    return DatumGetInt32(
        DirectFunctionCall2(interval_cmp, IntervalPGetDatum(a), IntervalPGetDatum(b)));
}

bool same_interval(const Interval* a, const Interval* b) {
    return a->time == b->time && a->day == b->day && a->month == b->month;
}

// ---- aggregate state (shared by heartbeat_agg and rollup) --------------------

// Lives in the aggregate's memory context with its builder's ranges (construct_in_context);
// the context frees it.
struct HeartbeatState {
    HeartbeatState(MemoryContext context, const hb::Header& header)
        : resource(context), builder(header, &resource) {}

    opsagg::pg::ContextResource resource;
    hb::Builder builder;
    bool has_window = false;  // heartbeat_agg: the window arguments every row must repeat
    TimestampTz agg_start = 0;
    Interval agg_duration{};
    Interval liveness{};
};

HeartbeatState* new_state(MemoryContext context, const hb::Header& header) {
    return opsagg::pg::construct_in_context<HeartbeatState>(context, header);
}

HeartbeatState* new_heartbeat_state(MemoryContext context, TimestampTz agg_start,
                                    Interval* agg_duration, Interval* liveness) {
    if (TIMESTAMP_NOT_FINITE(agg_start)) {
        ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                        errmsg("heartbeat_agg: agg_start must be finite")));
    }
    // The README's error table, its first applicable row first: a liveness that is not
    // positive or not shorter than the duration is 22023 even when a sum leaves the
    // timestamp range (22008), so those sums are computed without raising.
    TimestampTz end_time = 0;
    TimestampTz live_end = 0;
    bool end_in_range = add_interval_in_range(agg_start, agg_duration, &end_time);
    bool live_end_in_range = add_interval_in_range(agg_start, liveness, &live_end);
    Interval zero;
    memset(&zero, 0, sizeof zero);
    bool liveness_positive = live_end_in_range
                                 ? !TIMESTAMP_NOT_FINITE(live_end) && live_end > agg_start
                                 : compare_intervals(liveness, &zero) > 0;
    if (TIMESTAMP_NOT_FINITE(end_time) || !liveness_positive) {
        ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                        errmsg("heartbeat_agg: heartbeat_liveness must be positive")));
    }
    if (!end_in_range || !live_end_in_range) {
        if (compare_intervals(agg_duration, liveness) <= 0) {
            ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                            errmsg("heartbeat_agg: agg_duration must be longer than "
                                   "heartbeat_liveness")));
        }
        ereport(ERROR, (errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
                        errmsg("heartbeat_agg: the window or the liveness ends outside the "
                               "timestamp range")));
    }
    if (!hb::span_fits(agg_start, live_end) || live_end - agg_start > hb::kMaxIntervalLen) {
        ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                        errmsg("heartbeat_agg: heartbeat_liveness must be at most %lld "
                               "microseconds (about 285,000 years)",
                               static_cast<long long>(hb::kMaxIntervalLen))));
    }
    if (!hb::span_fits(agg_start, end_time)) {
        ereport(ERROR, (errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
                        errmsg("heartbeat_agg: agg_duration is too long")));
    }
    if (end_time - agg_start <= live_end - agg_start) {
        ereport(ERROR,
                (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                 errmsg("heartbeat_agg: agg_duration must be longer than heartbeat_liveness")));
    }
    hb::Header header{agg_start, end_time, 0, live_end - agg_start};
    HeartbeatState* state = new_state(context, header);
    state->has_window = true;
    state->agg_start = agg_start;
    state->agg_duration = *agg_duration;
    state->liveness = *liveness;
    return state;
}

void check_same_window(const HeartbeatState* state, TimestampTz agg_start,
                       const Interval* agg_duration, const Interval* liveness) {
    if (state->agg_start != agg_start || !same_interval(&state->agg_duration, agg_duration) ||
        !same_interval(&state->liveness, liveness)) {
        ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                        errmsg("heartbeat_agg: agg_start, agg_duration and heartbeat_liveness must "
                               "be the same on every row of a group")));
    }
}

[[noreturn]] void heartbeat_outside_window(TimestampTz heartbeat, const hb::Header& header) {
    char* beat = pstrdup(timestamptz_to_str(heartbeat));
    char* from = pstrdup(timestamptz_to_str(header.start_time));
    char* to = pstrdup(timestamptz_to_str(header.end_time));
    ereport(ERROR,
            (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
             errmsg("heartbeat_agg: heartbeat %s is outside the window [%s, %s)", beat, from, to)));
    pg_unreachable();
}

HeartbeatAggData* value_from_builder(hb::Builder* builder) {
    std::size_t count = builder->result_count();
    HeartbeatAggData* value = allocate_value(count);
    return finish_value(value, builder->result(ranges_of(value)), count);
}

// The serialized window arguments that precede the builder's state.
struct SerializedWindow {
    bool has_window;
    TimestampTz agg_start;
    Interval agg_duration;
    Interval liveness;
};

}  // namespace

// ---- type I/O ----------------------------------------------------------------

OPSAGG_FUNCTION(heartbeat_agg_in) {
    const char* text = PG_GETARG_CSTRING(0);
    hb::ParsedText parsed = hb::scan_text(text);
    HeartbeatAggData* value = allocate_value(parsed.count);
    parsed = hb::parse_text(text, ranges_of(value));
    PG_RETURN_POINTER(finish_value(value, parsed.header, parsed.count));
}

OPSAGG_FUNCTION(heartbeat_agg_out) {
    hb::View view = view_of(value_arg(fcinfo, 0));
    auto* text = static_cast<char*>(palloc(hb::text_capacity(view)));
    hb::format_text(view, text);
    PG_RETURN_CSTRING(text);
}

// The binary form is decoded and encoded by the core (hb::scan_binary / parse_binary /
// format_binary), which the fuzzers exercise without a server.
OPSAGG_FUNCTION(heartbeat_agg_recv) {
    StringInfo buf = reinterpret_cast<StringInfo>(PG_GETARG_POINTER(0));
    const auto* data = reinterpret_cast<const unsigned char*>(buf->data + buf->cursor);
    std::size_t size = static_cast<std::size_t>(buf->len - buf->cursor);
    hb::ParsedText parsed = hb::scan_binary(data, size);
    HeartbeatAggData* value = allocate_value(parsed.count);
    parsed = hb::parse_binary(data, size, ranges_of(value));
    buf->cursor = buf->len;
    PG_RETURN_POINTER(finish_value(value, parsed.header, parsed.count));
}

OPSAGG_FUNCTION(heartbeat_agg_send) {
    hb::View view = view_of(value_arg(fcinfo, 0));
    std::size_t size = hb::binary_size(view);
    auto* result = static_cast<bytea*>(palloc(VARHDRSZ + size));
    SET_VARSIZE(result, VARHDRSZ + size);
    hb::format_binary(view, reinterpret_cast<unsigned char*>(VARDATA(result)));
    PG_RETURN_BYTEA_P(result);
}

// ---- aggregates --------------------------------------------------------------

// heartbeat_agg(heartbeat, agg_start, agg_duration, heartbeat_liveness)
OPSAGG_FUNCTION(heartbeat_agg_trans) {
    MemoryContext context = opsagg::pg::aggregate_context(fcinfo, "heartbeat_agg_trans");
    auto* state =
        PG_ARGISNULL(0) ? nullptr : reinterpret_cast<HeartbeatState*>(PG_GETARG_POINTER(0));
    if (PG_ARGISNULL(1))
        return opsagg::pg::unchanged_state(fcinfo, state);
    if (PG_ARGISNULL(2) || PG_ARGISNULL(3) || PG_ARGISNULL(4)) {
        ereport(ERROR, (errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
                        errmsg("heartbeat_agg: agg_start, agg_duration and heartbeat_liveness must "
                               "not be NULL")));
    }
    TimestampTz heartbeat = PG_GETARG_TIMESTAMPTZ(1);
    TimestampTz agg_start = PG_GETARG_TIMESTAMPTZ(2);
    Interval* agg_duration = PG_GETARG_INTERVAL_P(3);
    Interval* liveness = PG_GETARG_INTERVAL_P(4);
    if (state == nullptr) {
        state = new_heartbeat_state(context, agg_start, agg_duration, liveness);
    } else {
        check_same_window(state, agg_start, agg_duration, liveness);
    }
    const hb::Header& header = state->builder.header();
    if (heartbeat < header.start_time || heartbeat >= header.end_time) {
        heartbeat_outside_window(heartbeat, header);
    }
    state->builder.add_heartbeat(heartbeat);
    PG_RETURN_POINTER(state);
}

// rollup(heartbeat_agg)
OPSAGG_FUNCTION(heartbeat_agg_rollup_trans) {
    MemoryContext context = opsagg::pg::aggregate_context(fcinfo, "heartbeat_agg_rollup_trans");
    auto* state =
        PG_ARGISNULL(0) ? nullptr : reinterpret_cast<HeartbeatState*>(PG_GETARG_POINTER(0));
    if (PG_ARGISNULL(1))
        return opsagg::pg::unchanged_state(fcinfo, state);
    hb::View view = view_of(value_arg(fcinfo, 1));
    if (state == nullptr)
        state = new_state(context, view.header);
    state->builder.add_value(view);
    PG_RETURN_POINTER(state);
}

OPSAGG_FUNCTION(heartbeat_agg_final) {
    if (PG_ARGISNULL(0))
        PG_RETURN_NULL();
    auto* state = reinterpret_cast<HeartbeatState*>(PG_GETARG_POINTER(0));
    PG_RETURN_POINTER(value_from_builder(&state->builder));
}

OPSAGG_FUNCTION(heartbeat_agg_combine) {
    MemoryContext context = opsagg::pg::aggregate_context(fcinfo, "heartbeat_agg_combine");
    auto* left =
        PG_ARGISNULL(0) ? nullptr : reinterpret_cast<HeartbeatState*>(PG_GETARG_POINTER(0));
    auto* right =
        PG_ARGISNULL(1) ? nullptr : reinterpret_cast<HeartbeatState*>(PG_GETARG_POINTER(1));
    if (right == nullptr)
        return opsagg::pg::unchanged_state(fcinfo, left);
    if (left == nullptr) {
        // Copy into the aggregate's context: the right state may live in a shorter one.
        left = new_state(context, right->builder.header());
        left->has_window = right->has_window;
        left->agg_start = right->agg_start;
        left->agg_duration = right->agg_duration;
        left->liveness = right->liveness;
    } else if (left->has_window && right->has_window) {
        check_same_window(left, right->agg_start, &right->agg_duration, &right->liveness);
    }
    left->builder.merge(right->builder);
    PG_RETURN_POINTER(left);
}

OPSAGG_FUNCTION(heartbeat_agg_serialize) {
    auto* state = reinterpret_cast<HeartbeatState*>(PG_GETARG_POINTER(0));
    SerializedWindow window;
    memset(&window, 0, sizeof window);  // no uninitialized padding in the state
    window.has_window = state->has_window;
    window.agg_start = state->agg_start;
    window.agg_duration = state->agg_duration;
    window.liveness = state->liveness;
    Size size = VARHDRSZ + sizeof window + state->builder.serialized_size();
    auto* result = static_cast<bytea*>(palloc(size));
    SET_VARSIZE(result, size);
    memcpy(VARDATA(result), &window, sizeof window);
    state->builder.serialize(reinterpret_cast<unsigned char*>(VARDATA(result)) + sizeof window);
    PG_RETURN_BYTEA_P(result);
}

OPSAGG_FUNCTION(heartbeat_agg_deserialize) {
    opsagg::pg::aggregate_context(fcinfo, "heartbeat_agg_deserialize");
    bytea* data = PG_GETARG_BYTEA_PP(0);
    Size size = VARSIZE_ANY_EXHDR(data);
    if (size < sizeof(SerializedWindow)) {
        ereport(ERROR,
                (errcode(ERRCODE_INTERNAL_ERROR), errmsg("corrupt heartbeat_agg aggregate state")));
    }
    SerializedWindow window;
    memcpy(&window, VARDATA_ANY(data), sizeof window);
    const auto* builder_data =
        reinterpret_cast<const unsigned char*>(VARDATA_ANY(data)) + sizeof window;
    HeartbeatState* state = new_state(CurrentMemoryContext, hb::Header{});
    state->builder = hb::Builder::deserialize(builder_data, size - sizeof window, &state->resource);
    state->has_window = window.has_window;
    state->agg_start = window.agg_start;
    state->agg_duration = window.agg_duration;
    state->liveness = window.liveness;
    PG_RETURN_POINTER(state);
}

// ---- accessors ---------------------------------------------------------------

OPSAGG_FUNCTION(heartbeat_agg_uptime) {
    return interval_datum(hb::uptime(view_of(value_arg(fcinfo, 0))));
}

OPSAGG_FUNCTION(heartbeat_agg_downtime) {
    return interval_datum(hb::downtime(view_of(value_arg(fcinfo, 0))));
}

OPSAGG_FUNCTION(heartbeat_agg_live_at) {
    PG_RETURN_BOOL(hb::live_at(view_of(value_arg(fcinfo, 0)), PG_GETARG_TIMESTAMPTZ(1)));
}

OPSAGG_FUNCTION(heartbeat_agg_num_live_ranges) {
    PG_RETURN_INT64(header_arg(fcinfo, 0)->num_ranges);
}

OPSAGG_FUNCTION(heartbeat_agg_num_gaps) {
    PG_RETURN_INT64(static_cast<int64>(hb::num_gaps(view_of(value_arg(fcinfo, 0)))));
}

namespace {

Datum return_ranges(FunctionCallInfo fcinfo, const hb::Range* ranges, std::size_t count) {
    InitMaterializedSRF(fcinfo, 0);
    auto* rsinfo = reinterpret_cast<ReturnSetInfo*>(fcinfo->resultinfo);
    for (std::size_t i = 0; i < count; ++i) {
        CHECK_FOR_INTERRUPTS();
        Datum values[2] = {TimestampTzGetDatum(ranges[i].start),
                           TimestampTzGetDatum(ranges[i].end)};
        bool nulls[2] = {false, false};
        tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
    }
    return static_cast<Datum>(0);
}

}  // namespace

OPSAGG_FUNCTION(heartbeat_agg_live_ranges) {
    hb::View view = view_of(value_arg(fcinfo, 0));
    return return_ranges(fcinfo, view.ranges, view.count);
}

OPSAGG_FUNCTION(heartbeat_agg_dead_ranges) {
    hb::View view = view_of(value_arg(fcinfo, 0));
    auto* dead =
        static_cast<hb::Range*>(palloc(hb::dead_ranges_capacity(view) * sizeof(hb::Range)));
    return return_ranges(fcinfo, dead, hb::dead_ranges(view, dead));
}

OPSAGG_FUNCTION(heartbeat_agg_eq) {
    PG_RETURN_BOOL(hb::equal(view_of(value_arg(fcinfo, 0)), view_of(value_arg(fcinfo, 1))));
}

OPSAGG_FUNCTION(heartbeat_agg_ne) {
    PG_RETURN_BOOL(!hb::equal(view_of(value_arg(fcinfo, 0)), view_of(value_arg(fcinfo, 1))));
}

// ---- transforms --------------------------------------------------------------

namespace {

// interpolate(agg, pred): agg unchanged when pred is NULL. Callers handle a NULL agg.
HeartbeatAggData* interpolated(FunctionCallInfo fcinfo) {
    HeartbeatAggData* value = value_arg(fcinfo, 0);
    if (PG_ARGISNULL(1))
        return value;
    hb::View view = view_of(value);
    hb::View pred = view_of(value_arg(fcinfo, 1));
    HeartbeatAggData* result = allocate_value(hb::interpolate_capacity(view));
    std::size_t count = 0;
    hb::Header header = hb::interpolate(view, pred, ranges_of(result), &count);
    return finish_value(result, header, count);
}

HeartbeatAggData* trimmed(HeartbeatAggData* value, TimestampTz window_start,
                          TimestampTz window_end) {
    hb::View view = view_of(value);
    HeartbeatAggData* result = allocate_value(hb::trim_to_capacity(view));
    std::size_t count = 0;
    hb::Header header = hb::trim_to(view, window_start, window_end, ranges_of(result), &count);
    return finish_value(result, header, count);
}

}  // namespace

OPSAGG_FUNCTION(heartbeat_agg_interpolate) {
    if (PG_ARGISNULL(0))
        PG_RETURN_NULL();
    PG_RETURN_POINTER(interpolated(fcinfo));
}

OPSAGG_FUNCTION(heartbeat_agg_interpolated_uptime) {
    if (PG_ARGISNULL(0))
        PG_RETURN_NULL();
    return interval_datum(hb::uptime(view_of(interpolated(fcinfo))));
}

OPSAGG_FUNCTION(heartbeat_agg_interpolated_downtime) {
    if (PG_ARGISNULL(0))
        PG_RETURN_NULL();
    return interval_datum(hb::downtime(view_of(interpolated(fcinfo))));
}

// trim_to(agg, start DEFAULT NULL, duration DEFAULT NULL)
OPSAGG_FUNCTION(heartbeat_agg_trim_to) {
    if (PG_ARGISNULL(0))
        PG_RETURN_NULL();
    HeartbeatAggData* value = value_arg(fcinfo, 0);
    TimestampTz window_start = PG_ARGISNULL(1) ? value->start_time : PG_GETARG_TIMESTAMPTZ(1);
    TimestampTz window_end =
        PG_ARGISNULL(2) ? value->end_time : add_interval(window_start, PG_GETARG_INTERVAL_P(2));
    PG_RETURN_POINTER(trimmed(value, window_start, window_end));
}

// trim_until(agg, "end"): coverage [start_time, least("end", end_time)), for the
// current, unfinished bucket: its future is not counted as downtime.
OPSAGG_FUNCTION(heartbeat_agg_trim_until) {
    HeartbeatAggData* value = value_arg(fcinfo, 0);
    TimestampTz until = PG_GETARG_TIMESTAMPTZ(1);
    if (until <= value->start_time) {
        ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                        errmsg("trim_until: %s is not after the aggregate's start %s",
                               pstrdup(timestamptz_to_str(until)),
                               pstrdup(timestamptz_to_str(value->start_time)))));
    }
    PG_RETURN_POINTER(trimmed(value, value->start_time, Min(until, value->end_time)));
}

// ---- operator classes --------------------------------------------------------

namespace {

// Values are built field by field into zeroed memory (allocate_value), so two equal
// aggregates have equal stored bytes (see pg/stored_order.hpp).
const varlena* heartbeat_stored_arg(FunctionCallInfo fcinfo, int n) {
    return reinterpret_cast<const varlena*>(value_arg(fcinfo, n));
}

}  // namespace

OPSAGG_STORED_ORDER_FUNCTIONS(heartbeat_agg, heartbeat_stored_arg)
