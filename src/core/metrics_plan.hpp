// Planning of the dashboard functions (ops_metrics, ops_metrics_series): which parts of a
// range are answered from the daily rows, which from the hourly rows, and which straight
// from the sources, so that the counts always equal the raw counts.
// Pure C++; time as in rollup_plan.hpp (microseconds since 2000-01-01 00:00 UTC).
#pragma once

#include <vector>

#include "rollup_plan.hpp"

namespace opsagg::rollup {

// What the rollup tables hold exactly (ops_rollup_state, ops_change_log, ops_source_config).
struct Coverage {
    // The hours [rolled_from, rolled_to) were rolled up one after the other by the worker's
    // catch-up (rolled_to is its watermark); none when rolled_from >= rolled_to.
    Micros rolled_from;
    Micros rolled_to;
    // Hours before hourly_from are outside change tracking (hourly retention): their hourly
    // rows may be gone and their daily rows stand as they are. Days before daily_from may
    // have lost their daily rows.
    Micros hourly_from;
    Micros daily_from;
    // Hours whose rows are stale: pending change records, or hours a failing source owes.
    // Any order; they may overlap.
    std::vector<HourSpan> dirty;
};

// [first, end) at any microsecond.
struct TimeSpan {
    Micros first;
    Micros end;
    bool operator==(const TimeSpan& other) const {
        return first == other.first && end == other.end;
    }
};

// Raw spans are read with one range scan each per source; more than this many are joined
// across the rollup rows between them (those parts are then read from the sources too).
constexpr std::size_t kMaxRawSpans = 16;
// ops_metrics_series returns at most this many buckets.
constexpr Micros kMaxBuckets = 100000;

struct MetricsPlan {
    std::vector<Micros> days;   // day starts: their rows of ops_metrics_daily
    std::vector<Micros> hours;  // hour starts: their rows of ops_metrics_hourly
    std::vector<TimeSpan> raw;  // read from the sources; ascending, disjoint, not adjacent
};

// [from, to) cut into buckets of `bucket` microseconds aligned on `origin` (bucket 0: one
// bucket, the whole range); every piece goes to exactly one of the plan's parts, and no day
// or hour crosses a bucket boundary. A day comes from its daily row when it was rolled up
// whole and either is older than hourly_from or has no stale hour; an hour from its hourly
// row when it was rolled up, is not older than hourly_from and is not stale; the rest from
// the sources. Throws InvalidParameter for a reversed or out-of-range range or a
// non-positive bucket, ProgramLimitExceeded for more than kMaxBuckets buckets.
MetricsPlan plan_metrics(Micros from, Micros to, Micros bucket, Micros origin,
                         const Coverage& coverage);

// The start of the bucket holding t (PostgreSQL's date_bin); bucket > 0.
Micros bucket_start(Micros t, Micros bucket, Micros origin);

}  // namespace opsagg::rollup
