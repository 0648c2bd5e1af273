// SQL-callable planning functions of the ops rollups (core/rollup_plan.hpp). The refresh
// itself is SQL in the install script ("ops rollups"); these functions only decide what it
// recomputes. Bodies hold only plain locals and PostgreSQL memory (see pg/boundary.hpp):
// the core's vectors live in helpers that make no PostgreSQL call.
#include <algorithm>
#include <cstddef>
#include <vector>

#include "core/metrics_plan.hpp"
#include "core/rollup_plan.hpp"
#include "pg/boundary.hpp"

namespace rp = opsagg::rollup;

static_assert(rp::kMicrosPerDay == USECS_PER_DAY, "the core's time unit must be PostgreSQL's");

namespace {

// An interval setting as microseconds. Months have no fixed length, so they are refused.
rp::Micros interval_micros(const Interval* span, const char* name) {
    if (span->month != 0) {
        ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                        errmsg("%s must not use months or years", name),
                        errhint("Write it in days, for example '30 days'.")));
    }
    int64 days = 0;
    int64 micros = 0;
    if (__builtin_mul_overflow(static_cast<int64>(span->day), USECS_PER_DAY, &days) ||
        __builtin_add_overflow(days, span->time, &micros)) {
        ereport(ERROR,
                (errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE), errmsg("%s is out of range", name)));
    }
    return micros;
}

void require_argument(FunctionCallInfo fcinfo, int argument, const char* name) {
    if (PG_ARGISNULL(argument)) {
        ereport(ERROR,
                (errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED), errmsg("%s must not be NULL", name)));
    }
}

rp::Settings settings_args(FunctionCallInfo fcinfo, int first, int max_hours) {
    require_argument(fcinfo, first, "backfill");
    require_argument(fcinfo, first + 1, "hourly_retention");
    require_argument(fcinfo, first + 2, "daily_retention");
    rp::Settings settings{};
    settings.backfill = interval_micros(PG_GETARG_INTERVAL_P(first), "opsagg.backfill");
    settings.hourly_retention =
        interval_micros(PG_GETARG_INTERVAL_P(first + 1), "opsagg.hourly_retention");
    settings.daily_retention =
        interval_micros(PG_GETARG_INTERVAL_P(first + 2), "opsagg.daily_retention");
    settings.max_hours_per_step = max_hours;
    return settings;
}

Datum timestamp_array(const Datum* values, int count) {
    return PointerGetDatum(construct_array(const_cast<Datum*>(values), count, TIMESTAMPTZOID,
                                           sizeof(TimestampTz), FLOAT8PASSBYVAL, TYPALIGN_DOUBLE));
}

Datum date_array(const Datum* values, int count) {
    return PointerGetDatum(construct_array(const_cast<Datum*>(values), count, DATEOID,
                                           sizeof(DateADT), true, TYPALIGN_INT));
}

Datum date_of(rp::Micros day_start) {
    return DateADTGetDatum(static_cast<DateADT>(day_start / USECS_PER_DAY));
}

Datum result_tuple(FunctionCallInfo fcinfo, Datum* values, bool* nulls) {
    TupleDesc descriptor;
    if (get_call_result_type(fcinfo, nullptr, &descriptor) != TYPEFUNC_COMPOSITE) {
        ereport(ERROR,
                (errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
                 errmsg("function returning a record called in a context that cannot accept it")));
    }
    descriptor = BlessTupleDesc(descriptor);
    return HeapTupleGetDatum(heap_form_tuple(descriptor, values, nulls));
}

// A step plan copied into arrays of Datums the caller allocated with room for every bound:
// spans and days at most max_hours_per_step + 1, consumed hours at most the pending ones.
struct StepArrays {
    Datum* span_starts;
    Datum* span_ends;
    Datum* consumed;
    Datum* days;
    int span_count;
    int consumed_count;
    int day_count;
    rp::Micros catch_up_from;
    rp::Micros next_hour;
    rp::Micros caught_up_to;
    bool more;
};

void plan_step_into(bool has_next_hour, rp::Micros next_hour, rp::Micros now, const Datum* pending,
                    int pending_count, const rp::Settings& settings, StepArrays* out) {
    rp::StepInput input;
    if (has_next_hour)
        input.next_hour = next_hour;
    input.now = now;
    input.pending_hours.reserve(static_cast<std::size_t>(pending_count));
    for (int i = 0; i < pending_count; ++i)
        input.pending_hours.push_back(DatumGetTimestampTz(pending[i]));
    std::sort(input.pending_hours.begin(), input.pending_hours.end());
    input.pending_hours.erase(std::unique(input.pending_hours.begin(), input.pending_hours.end()),
                              input.pending_hours.end());

    rp::StepPlan plan = rp::plan_step(input, settings);
    out->span_count = static_cast<int>(plan.spans.size());
    for (int i = 0; i < out->span_count; ++i) {
        out->span_starts[i] = TimestampTzGetDatum(plan.spans[i].first);
        out->span_ends[i] = TimestampTzGetDatum(plan.spans[i].end);
    }
    out->consumed_count = static_cast<int>(plan.consumed_hours.size());
    for (int i = 0; i < out->consumed_count; ++i)
        out->consumed[i] = TimestampTzGetDatum(plan.consumed_hours[i]);
    out->day_count = static_cast<int>(plan.days.size());
    for (int i = 0; i < out->day_count; ++i)
        out->days[i] = date_of(plan.days[i]);
    out->catch_up_from = plan.catch_up_from;
    out->next_hour = plan.next_hour;
    out->caught_up_to = plan.caught_up_to;
    out->more = plan.more;
}

// The timestamps of a timestamptz[] argument; NULL elements are refused.
struct TimestampArray {
    Datum* values;
    int count;
};

TimestampArray timestamps_arg(FunctionCallInfo fcinfo, int argument, const char* name) {
    require_argument(fcinfo, argument, name);
    TimestampArray out{nullptr, 0};
    bool* nulls = nullptr;
    deconstruct_array(PG_GETARG_ARRAYTYPE_P(argument), TIMESTAMPTZOID, sizeof(TimestampTz),
                      FLOAT8PASSBYVAL, TYPALIGN_DOUBLE, &out.values, &nulls, &out.count);
    for (int i = 0; i < out.count; ++i) {
        if (nulls[i])
            ereport(ERROR, (errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
                            errmsg("%s must not hold NULL", name)));
    }
    return out;
}

// A metrics plan as Datum arrays in the current memory context (allocated without a
// PostgreSQL ERROR: a failure is std::bad_alloc, which the boundary reports as 53200).
struct MetricsArrays {
    Datum* days;
    Datum* hours;
    Datum* raw_starts;
    Datum* raw_ends;
    int day_count;
    int hour_count;
    int raw_count;
};

Datum* datums(std::size_t count) {
    opsagg::pg::ContextResource memory(CurrentMemoryContext);
    return static_cast<Datum*>(memory.allocate(sizeof(Datum) * (count + 1), alignof(Datum)));
}

// rp::Coverage without its vector, so that the SQL-callable body can hold it.
struct CoverageBounds {
    rp::Micros rolled_from;
    rp::Micros rolled_to;
    rp::Micros hourly_from;
    rp::Micros daily_from;
};

void plan_metrics_into(rp::Micros from, rp::Micros to, rp::Micros bucket, rp::Micros origin,
                       CoverageBounds bounds, TimestampArray dirty_starts,
                       TimestampArray dirty_ends, MetricsArrays* out) {
    rp::Coverage coverage{
        bounds.rolled_from, bounds.rolled_to, bounds.hourly_from, bounds.daily_from, {}};
    for (int i = 0; i < dirty_starts.count; ++i)
        coverage.dirty.push_back(rp::HourSpan{DatumGetTimestampTz(dirty_starts.values[i]),
                                              DatumGetTimestampTz(dirty_ends.values[i])});
    rp::MetricsPlan plan = rp::plan_metrics(from, to, bucket, origin, coverage);
    out->days = datums(plan.days.size());
    out->hours = datums(plan.hours.size());
    out->raw_starts = datums(plan.raw.size());
    out->raw_ends = datums(plan.raw.size());
    out->day_count = static_cast<int>(plan.days.size());
    for (int i = 0; i < out->day_count; ++i)
        out->days[i] = date_of(plan.days[i]);
    out->hour_count = static_cast<int>(plan.hours.size());
    for (int i = 0; i < out->hour_count; ++i)
        out->hours[i] = TimestampTzGetDatum(plan.hours[i]);
    out->raw_count = static_cast<int>(plan.raw.size());
    for (int i = 0; i < out->raw_count; ++i) {
        out->raw_starts[i] = TimestampTzGetDatum(plan.raw[i].first);
        out->raw_ends[i] = TimestampTzGetDatum(plan.raw[i].end);
    }
}

}  // namespace

// ops_plan_metrics(from_ts, to_ts, bucket, origin, rolled_from, rolled_to, hourly_from,
// daily_from, dirty_starts, dirty_ends): the days, hours and raw spans ops_metrics reads.
// bucket NULL: the whole range is one bucket. NULL coverage bounds: nothing rolled up,
// nothing cut by retention.
OPSAGG_FUNCTION(ops_plan_metrics) {
    require_argument(fcinfo, 0, "from_ts");
    require_argument(fcinfo, 1, "to_ts");
    rp::Micros bucket = 0;
    rp::Micros origin = 0;
    if (!PG_ARGISNULL(2)) {
        require_argument(fcinfo, 3, "origin");
        bucket = interval_micros(PG_GETARG_INTERVAL_P(2), "the bucket");
        if (bucket <= 0) {
            ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                            errmsg("the bucket must be a positive interval")));
        }
        origin = PG_GETARG_TIMESTAMPTZ(3);
    }
    CoverageBounds coverage{0, 0, rp::kMinTime, rp::kMinTime};
    if (!PG_ARGISNULL(4) && !PG_ARGISNULL(5)) {
        coverage.rolled_from = PG_GETARG_TIMESTAMPTZ(4);
        coverage.rolled_to = PG_GETARG_TIMESTAMPTZ(5);
    }
    if (!PG_ARGISNULL(6))
        coverage.hourly_from = PG_GETARG_TIMESTAMPTZ(6);
    if (!PG_ARGISNULL(7)) {
        DateADT day = PG_GETARG_DATEADT(7);
        coverage.daily_from = DATE_IS_NOBEGIN(day) ? rp::kMinTime
                              : DATE_IS_NOEND(day) ? rp::kMaxTime
                                                   : static_cast<rp::Micros>(day) * USECS_PER_DAY;
    }
    TimestampArray dirty_starts = timestamps_arg(fcinfo, 8, "dirty_starts");
    TimestampArray dirty_ends = timestamps_arg(fcinfo, 9, "dirty_ends");
    if (dirty_starts.count != dirty_ends.count) {
        ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                        errmsg("dirty_starts and dirty_ends must have the same length")));
    }

    MetricsArrays out{};
    plan_metrics_into(PG_GETARG_TIMESTAMPTZ(0), PG_GETARG_TIMESTAMPTZ(1), bucket, origin, coverage,
                      dirty_starts, dirty_ends, &out);
    Datum values[4] = {date_array(out.days, out.day_count),
                       timestamp_array(out.hours, out.hour_count),
                       timestamp_array(out.raw_starts, out.raw_count),
                       timestamp_array(out.raw_ends, out.raw_count)};
    bool nulls[4] = {false, false, false, false};
    return result_tuple(fcinfo, values, nulls);
}

// ops_plan_step(next_hour, now, backfill, hourly_retention, daily_retention, max_hours,
// pending_hours): what one step of the worker's cycle recomputes. next_hour NULL = first step.
OPSAGG_FUNCTION(ops_plan_step) {
    require_argument(fcinfo, 1, "now");
    require_argument(fcinfo, 5, "max_hours");
    int max_hours = PG_GETARG_INT32(5);
    rp::Settings settings = settings_args(fcinfo, 2, max_hours);
    rp::check_settings(settings);

    TimestampArray pending = timestamps_arg(fcinfo, 6, "pending_hours");

    StepArrays out{};
    out.span_starts = static_cast<Datum*>(palloc(sizeof(Datum) * (max_hours + 1)));
    out.span_ends = static_cast<Datum*>(palloc(sizeof(Datum) * (max_hours + 1)));
    out.days = static_cast<Datum*>(palloc(sizeof(Datum) * (max_hours + 1)));
    out.consumed = static_cast<Datum*>(palloc(sizeof(Datum) * (pending.count + 1)));
    plan_step_into(!PG_ARGISNULL(0), PG_ARGISNULL(0) ? 0 : PG_GETARG_TIMESTAMPTZ(0),
                   PG_GETARG_TIMESTAMPTZ(1), pending.values, pending.count, settings, &out);

    Datum values[8];
    bool nulls[8] = {false, false, false, false, false, false, false, false};
    values[0] = timestamp_array(out.span_starts, out.span_count);
    values[1] = timestamp_array(out.span_ends, out.span_count);
    values[2] = timestamp_array(out.consumed, out.consumed_count);
    values[3] = date_array(out.days, out.day_count);
    values[4] = TimestampTzGetDatum(out.next_hour);
    values[5] = TimestampTzGetDatum(out.caught_up_to);
    values[6] = BoolGetDatum(out.more);
    values[7] = TimestampTzGetDatum(out.catch_up_from);
    return result_tuple(fcinfo, values, nulls);
}

// ops_plan_refresh(from_ts, to_ts): the hours ops_refresh recomputes and the days it derives.
OPSAGG_FUNCTION(ops_plan_refresh) {
    require_argument(fcinfo, 0, "from_ts");
    require_argument(fcinfo, 1, "to_ts");
    rp::RefreshPlan plan = rp::plan_refresh(PG_GETARG_TIMESTAMPTZ(0), PG_GETARG_TIMESTAMPTZ(1));
    Datum values[4] = {TimestampTzGetDatum(plan.hours.first), TimestampTzGetDatum(plan.hours.end),
                       date_of(plan.first_day), date_of(plan.end_day)};
    bool nulls[4] = {false, false, false, false};
    return result_tuple(fcinfo, values, nulls);
}

// ops_retention_cutoffs(now, backfill, hourly_retention, daily_retention): hourly rows before
// the first and daily rows before the second are deleted.
OPSAGG_FUNCTION(ops_retention_cutoffs) {
    require_argument(fcinfo, 0, "now");
    rp::Settings settings = settings_args(fcinfo, 1, 1);
    rp::RetentionCutoffs cutoffs = rp::retention_cutoffs(PG_GETARG_TIMESTAMPTZ(0), settings);
    Datum values[2] = {TimestampTzGetDatum(cutoffs.hourly), date_of(cutoffs.daily)};
    bool nulls[2] = {false, false};
    return result_tuple(fcinfo, values, nulls);
}

// ops_retry_delay(consecutive_failures, base, max_delay): back-off of a failing source.
OPSAGG_FUNCTION(ops_retry_delay) {
    require_argument(fcinfo, 0, "consecutive_failures");
    require_argument(fcinfo, 1, "base");
    require_argument(fcinfo, 2, "max_delay");
    rp::Micros delay =
        rp::retry_delay(PG_GETARG_INT32(0), interval_micros(PG_GETARG_INTERVAL_P(1), "base"),
                        interval_micros(PG_GETARG_INTERVAL_P(2), "max_delay"));
    Interval* result = static_cast<Interval*>(palloc0(sizeof(Interval)));
    result->time = delay;
    PG_RETURN_INTERVAL_P(result);
}
