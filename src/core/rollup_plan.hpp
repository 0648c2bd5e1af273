// Planning of the ops rollups: which UTC hours one refresh step recomputes, where the
// catch-up watermark moves, which days' daily rows follow, and where retention cuts.
// Pure C++: time is microseconds since 2000-01-01 00:00 UTC (PostgreSQL's timestamptz),
// so hour and day boundaries are plain floor divisions and no time zone is involved.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

namespace opsagg::rollup {

using Micros = std::int64_t;

constexpr Micros kMicrosPerHour = INT64_C(3600000000);
constexpr Micros kMicrosPerDay = 24 * kMicrosPerHour;

// PostgreSQL's timestamp range (4714-11-24 BC to 294276 AD), shrunk by a day on each side
// so that every floor and every "+ one day" below stays inside int64.
constexpr Micros kMinTime = INT64_C(-211813488000000000) + kMicrosPerDay;
constexpr Micros kMaxTime = INT64_C(9223371331200000000) - kMicrosPerDay;

Micros hour_floor(Micros t);
Micros day_floor(Micros t);

// Throws InvalidParameter naming `what` unless kMinTime <= t <= kMaxTime (so infinities
// are refused).
void check_time(Micros t, const char* what);

// Hours [first, end): both multiples of an hour, first < end.
struct HourSpan {
    Micros first;
    Micros end;
    bool operator==(const HourSpan& other) const {
        return first == other.first && end == other.end;
    }
};

// The hours that overlap [from, to). Throws InvalidParameter unless from < to, both inside
// the timestamp range.
HourSpan hours_overlapping(Micros from, Micros to);

// ops_refresh(from, to): the hours overlapping [from, to) and the UTC days they touch
// ([first_day, end_day), day starts). At most kMaxRefreshHours hours in one call, so a
// mistyped range is refused rather than run for hours (54000, ProgramLimitExceeded).
constexpr Micros kMaxRefreshHours = 100000;  // about 11 years
struct RefreshPlan {
    HourSpan hours;
    Micros first_day;
    Micros end_day;
};
RefreshPlan plan_refresh(Micros from, Micros to);

// Sorted, distinct hour starts as the fewest spans of consecutive hours.
std::vector<HourSpan> coalesce_hours(const std::vector<Micros>& sorted_hours);

// Start of every UTC day that one of the spans touches, ascending.
std::vector<Micros> days_touched(const std::vector<HourSpan>& spans);

// The domain of the interval settings, checked here and by the settings' check hooks
// (src/worker.cpp): bounded so that now minus any of them stays inside int64 and the
// timestamp range; a retention shorter than a day would never keep a whole day of hours.
constexpr Micros kMaxSettingSpan = INT64_C(100000) * 366 * kMicrosPerDay;  // 100,000 years
constexpr Micros kMinRetention = kMicrosPerDay;

struct Settings {
    Micros backfill;          // opsagg.backfill: how far back the first catch-up reaches
    Micros hourly_retention;  // opsagg.hourly_retention
    Micros daily_retention;   // opsagg.daily_retention
    int max_hours_per_step;   // hours recomputed in one transaction at most
};

// Throws InvalidParameter naming the setting that is out of its domain.
void check_settings(const Settings& settings);

// Rows older than these are deleted: hourly rows with bucket_start < hourly, daily rows with
// bucket_date < daily (a day start).
struct RetentionCutoffs {
    Micros hourly;
    Micros daily;
};
RetentionCutoffs retention_cutoffs(Micros now, const Settings& settings);

struct StepInput {
    // Catch-up watermark: every hour before it has been rolled up (changes to them are in
    // the change log). Empty before the first step ever.
    std::optional<Micros> next_hour;
    Micros now;
    // Hours with change records: distinct hour starts, ascending.
    std::vector<Micros> pending_hours;
};

struct StepPlan {
    std::vector<HourSpan> spans;  // hours to recompute now, ascending, coalesced
    // Change records of these hours are consumed by this step: the recomputed ones, and
    // those older than hourly retention (nothing to recompute: their rows are deleted).
    std::vector<Micros> consumed_hours;
    // Days whose daily rows are derived again: every day of `spans` that lies wholly inside
    // hourly retention (a day partly outside it lost hourly rows, so its daily row stays).
    std::vector<Micros> days;
    Micros catch_up_from;  // the first hour of this step's catch-up
    Micros next_hour;     // the new watermark
    Micros caught_up_to;  // events before this instant are rolled up once the step commits
    bool more;            // work remains now: the caller runs another step
};

// One bounded step of the worker's cycle. The catch-up runs from the watermark (on the
// first step, the UTC day of now - backfill) to the open hour, which every cycle
// recomputes; it never starts before hourly retention. Changed hours outside that range
// are recomputed too. A step recomputes at most max_hours_per_step hours, split between
// changed hours and the catch-up so that both progress.
StepPlan plan_step(const StepInput& input, const Settings& settings);

// Delay before a failing source is tried again: base doubled per consecutive failure,
// at most max_delay.
Micros retry_delay(int consecutive_failures, Micros base, Micros max_delay);

}  // namespace opsagg::rollup
