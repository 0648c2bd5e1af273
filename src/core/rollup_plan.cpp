#include "rollup_plan.hpp"

#include <algorithm>
#include <string>

#include "error.hpp"

namespace opsagg::rollup {

namespace {

Micros floor_to(Micros t, Micros unit) {
    Micros q = t / unit;
    if (t % unit < 0)
        --q;
    return q * unit;
}

}  // namespace

void check_time(Micros t, const char* what) {
    if (t < kMinTime || t > kMaxTime)
        throw_invalid_parameter(std::string(what) +
                                " is outside the timestamp range opsagg accepts");
}

Micros hour_floor(Micros t) {
    return floor_to(t, kMicrosPerHour);
}
Micros day_floor(Micros t) {
    return floor_to(t, kMicrosPerDay);
}

HourSpan hours_overlapping(Micros from, Micros to) {
    check_time(from, "from_ts");
    check_time(to, "to_ts");
    if (from >= to)
        throw_invalid_parameter("from_ts must be earlier than to_ts");
    return HourSpan{hour_floor(from), hour_floor(to - 1) + kMicrosPerHour};
}

RefreshPlan plan_refresh(Micros from, Micros to) {
    HourSpan hours = hours_overlapping(from, to);
    if ((hours.end - hours.first) / kMicrosPerHour > kMaxRefreshHours)
        throw_program_limit_exceeded("ops_refresh covers at most " +
                                     std::to_string(kMaxRefreshHours) +
                                     " hours in one call: refresh the range in several calls");
    return RefreshPlan{hours, day_floor(hours.first), day_floor(hours.end - 1) + kMicrosPerDay};
}

std::vector<HourSpan> coalesce_hours(const std::vector<Micros>& sorted_hours) {
    std::vector<HourSpan> spans;
    for (Micros hour : sorted_hours) {
        if (!spans.empty() && spans.back().end == hour)
            spans.back().end += kMicrosPerHour;
        else
            spans.push_back(HourSpan{hour, hour + kMicrosPerHour});
    }
    return spans;
}

std::vector<Micros> days_touched(const std::vector<HourSpan>& spans) {
    std::vector<Micros> days;
    for (const HourSpan& span : spans) {
        for (Micros day = day_floor(span.first); day < span.end; day += kMicrosPerDay) {
            if (days.empty() || days.back() < day)
                days.push_back(day);
        }
    }
    return days;
}

void check_settings(const Settings& settings) {
    if (settings.backfill <= 0 || settings.backfill > kMaxSettingSpan)
        throw_invalid_parameter("opsagg.backfill must be a positive interval");
    if (settings.hourly_retention < kMinRetention || settings.hourly_retention > kMaxSettingSpan)
        throw_invalid_parameter("opsagg.hourly_retention must be at least 1 day");
    if (settings.daily_retention < kMinRetention || settings.daily_retention > kMaxSettingSpan)
        throw_invalid_parameter("opsagg.daily_retention must be at least 1 day");
    if (settings.max_hours_per_step < 1 || settings.max_hours_per_step > 100000)
        throw_invalid_parameter("hours per step must be between 1 and 100000");
}

RetentionCutoffs retention_cutoffs(Micros now, const Settings& settings) {
    check_settings(settings);
    check_time(now, "now");
    Micros hourly = std::max(now - settings.hourly_retention, kMinTime);
    Micros daily = std::max(now - settings.daily_retention, kMinTime);
    return RetentionCutoffs{hour_floor(hourly), day_floor(daily)};
}

StepPlan plan_step(const StepInput& input, const Settings& settings) {
    const Micros cutoff = retention_cutoffs(input.now, settings).hourly;
    const Micros open_hour = hour_floor(input.now);

    Micros start = input.next_hour ? *input.next_hour
                                   : day_floor(std::max(input.now - settings.backfill, kMinTime));
    check_time(start, "the catch-up watermark");
    // Hours before retention would be deleted again; a watermark past the open hour means
    // the clock went back, and the open hour is recomputed from there.
    start = std::min(std::max(hour_floor(start), cutoff), open_hour);
    const Micros catch_up_hours = (open_hour - start) / kMicrosPerHour + 1;

    StepPlan plan{};
    std::vector<Micros> extra;  // changed hours the catch-up does not cover
    for (std::size_t i = 0; i < input.pending_hours.size(); ++i) {
        Micros hour = input.pending_hours[i];
        if (hour % kMicrosPerHour != 0 || (i > 0 && input.pending_hours[i - 1] >= hour))
            throw Error(ErrorKind::Internal,
                        "pending hours must be distinct, ascending hour starts");
        if (hour < cutoff)
            plan.consumed_hours.push_back(hour);
        else if (hour < start || hour > open_hour)
            extra.push_back(hour);
    }

    // Half the budget is kept for the catch-up whenever changed hours compete for it (none
    // with a budget of 1: the changed hours go first, and they run out).
    const Micros budget = settings.max_hours_per_step;
    const Micros reserved = std::min(catch_up_hours, budget / 2);
    const Micros extra_taken =
        std::min<Micros>(static_cast<Micros>(extra.size()), budget - reserved);
    const Micros catch_up_taken = std::min(catch_up_hours, budget - extra_taken);
    const Micros chunk_end = start + catch_up_taken * kMicrosPerHour;

    std::vector<Micros> hours(extra.begin(), extra.begin() + extra_taken);
    for (Micros hour = start; hour < chunk_end; hour += kMicrosPerHour)
        hours.push_back(hour);
    std::sort(hours.begin(), hours.end());
    plan.spans = coalesce_hours(hours);

    for (Micros hour : input.pending_hours) {
        if (hour >= cutoff && std::binary_search(hours.begin(), hours.end(), hour))
            plan.consumed_hours.push_back(hour);
    }
    std::sort(plan.consumed_hours.begin(), plan.consumed_hours.end());

    for (Micros day : days_touched(plan.spans)) {
        if (day >= cutoff)
            plan.days.push_back(day);
    }

    const bool reached_open_hour = chunk_end > open_hour;
    plan.catch_up_from = start;
    plan.next_hour = reached_open_hour ? open_hour : chunk_end;
    plan.caught_up_to = reached_open_hour ? input.now : chunk_end;
    plan.more = !reached_open_hour || extra_taken < static_cast<Micros>(extra.size());
    return plan;
}

Micros retry_delay(int consecutive_failures, Micros base, Micros max_delay) {
    if (base <= 0 || max_delay < base)
        throw_invalid_parameter("retry delays must be positive, the largest at least the base");
    Micros delay = base;
    for (int i = 1; i < consecutive_failures && delay < max_delay; ++i)
        delay = delay > max_delay / 2 ? max_delay : delay * 2;
    return std::min(delay, max_delay);
}

}  // namespace opsagg::rollup
