// Unit tests of the rollup planning core, with a randomized comparison of whole cycles
// against a brute-force model of what a cycle must recompute.
#include "rollup_plan.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <set>

#include "error.hpp"

namespace rp = opsagg::rollup;
using rp::kMicrosPerDay;
using rp::kMicrosPerHour;
using rp::Micros;

namespace {

// 2024-03-10 17:25:00 UTC in microseconds since 2000-01-01 UTC.
constexpr Micros kNow = (INT64_C(8835) * 24 + 17) * kMicrosPerHour + 25 * INT64_C(60000000);

rp::Settings default_settings() {
    return rp::Settings{30 * kMicrosPerDay, 30 * kMicrosPerDay, 400 * kMicrosPerDay, 24};
}

Micros hours(Micros n) {
    return n * kMicrosPerHour;
}

std::set<Micros> hours_of(const std::vector<rp::HourSpan>& spans) {
    std::set<Micros> out;
    for (const rp::HourSpan& span : spans)
        for (Micros h = span.first; h < span.end; h += kMicrosPerHour)
            out.insert(h);
    return out;
}

}  // namespace

TEST(RollupPlan, FloorsAreUtcHoursAndDaysAlsoBefore2000) {
    EXPECT_EQ(rp::hour_floor(0), 0);
    EXPECT_EQ(rp::hour_floor(kMicrosPerHour - 1), 0);
    EXPECT_EQ(rp::hour_floor(-1), -kMicrosPerHour);
    EXPECT_EQ(rp::day_floor(-1), -kMicrosPerDay);
    EXPECT_EQ(rp::day_floor(kNow), INT64_C(8835) * kMicrosPerDay);
}

TEST(RollupPlan, HoursOverlappingIncludeBothPartialEdges) {
    rp::HourSpan span = rp::hours_overlapping(hours(10) + 1, hours(12) + 1);
    EXPECT_EQ(span.first, hours(10));
    EXPECT_EQ(span.end, hours(13));
    span = rp::hours_overlapping(hours(10), hours(11));
    EXPECT_EQ(span.first, hours(10));
    EXPECT_EQ(span.end, hours(11));
    span = rp::hours_overlapping(hours(10) + 5, hours(10) + 6);
    EXPECT_EQ(span.end - span.first, kMicrosPerHour);
}

TEST(RollupPlan, HoursOverlappingRefusesEmptyReversedAndInfiniteRanges) {
    EXPECT_THROW(rp::hours_overlapping(hours(1), hours(1)), opsagg::Error);
    EXPECT_THROW(rp::hours_overlapping(hours(2), hours(1)), opsagg::Error);
    EXPECT_THROW(rp::hours_overlapping(INT64_MIN, hours(1)), opsagg::Error);
    EXPECT_THROW(rp::hours_overlapping(0, INT64_MAX), opsagg::Error);
}

TEST(RollupPlan, RefreshCoversTouchedDaysAndHasALimit) {
    rp::RefreshPlan plan = rp::plan_refresh(kMicrosPerDay - 1, kMicrosPerDay + 1);
    EXPECT_EQ(plan.hours.first, hours(23));
    EXPECT_EQ(plan.hours.end, hours(25));
    EXPECT_EQ(plan.first_day, 0);
    EXPECT_EQ(plan.end_day, 2 * kMicrosPerDay);
    EXPECT_NO_THROW(rp::plan_refresh(0, hours(rp::kMaxRefreshHours)));
    try {
        rp::plan_refresh(0, hours(rp::kMaxRefreshHours) + 1);
        FAIL() << "no error";
    } catch (const opsagg::Error& e) {
        EXPECT_EQ(e.kind(), opsagg::ErrorKind::ProgramLimitExceeded);
    }
}

TEST(RollupPlan, CoalesceJoinsConsecutiveHoursOnly) {
    std::vector<rp::HourSpan> spans =
        rp::coalesce_hours({hours(1), hours(2), hours(3), hours(7), hours(9), hours(10)});
    ASSERT_EQ(spans.size(), 3u);
    EXPECT_EQ(spans[0], (rp::HourSpan{hours(1), hours(4)}));
    EXPECT_EQ(spans[1], (rp::HourSpan{hours(7), hours(8)}));
    EXPECT_EQ(spans[2], (rp::HourSpan{hours(9), hours(11)}));
    EXPECT_TRUE(rp::coalesce_hours({}).empty());
}

TEST(RollupPlan, DaysTouchedAreDistinctAndAscending) {
    std::vector<Micros> days =
        rp::days_touched({{hours(22), hours(26)}, {hours(47), hours(48)}, {hours(49), hours(50)}});
    EXPECT_EQ(days, (std::vector<Micros>{0, kMicrosPerDay, 2 * kMicrosPerDay}));
}

TEST(RollupPlan, SettingsOutOfDomainNameTheSetting) {
    rp::Settings settings = default_settings();
    settings.hourly_retention = kMicrosPerDay - 1;
    try {
        rp::check_settings(settings);
        FAIL() << "no error";
    } catch (const opsagg::Error& e) {
        EXPECT_NE(std::string(e.what()).find("opsagg.hourly_retention"), std::string::npos);
    }
    settings = default_settings();
    settings.backfill = 0;
    EXPECT_THROW(rp::check_settings(settings), opsagg::Error);
    settings = default_settings();
    settings.max_hours_per_step = 0;
    EXPECT_THROW(rp::check_settings(settings), opsagg::Error);
}

TEST(RollupPlan, RetentionCutoffsAreHourAndDayStarts) {
    rp::RetentionCutoffs cut = rp::retention_cutoffs(kNow, default_settings());
    EXPECT_EQ(cut.hourly, rp::hour_floor(kNow - 30 * kMicrosPerDay));
    EXPECT_EQ(cut.daily, rp::day_floor(kNow - 400 * kMicrosPerDay));
}

TEST(RollupPlan, FirstStepStartsAtHourlyRetentionWithinTheBackfillDay) {
    rp::StepPlan plan = rp::plan_step(rp::StepInput{std::nullopt, kNow, {}}, default_settings());
    Micros cutoff = rp::hour_floor(kNow - 30 * kMicrosPerDay);
    ASSERT_EQ(plan.spans.size(), 1u);
    EXPECT_EQ(plan.spans[0], (rp::HourSpan{cutoff, cutoff + hours(24)}));
    EXPECT_EQ(plan.catch_up_from, cutoff);
    EXPECT_EQ(plan.next_hour, cutoff + hours(24));
    EXPECT_EQ(plan.caught_up_to, cutoff + hours(24));
    EXPECT_TRUE(plan.more);
    // The first day is partly outside hourly retention: no daily row for it.
    EXPECT_EQ(plan.days, (std::vector<Micros>{rp::day_floor(cutoff) + kMicrosPerDay}));
}

TEST(RollupPlan, BackfillShorterThanRetentionStartsAtTheUtcDayOfNowMinusBackfill) {
    rp::Settings settings = default_settings();
    settings.backfill = 2 * kMicrosPerDay;
    settings.max_hours_per_step = 1000;
    rp::StepPlan plan = rp::plan_step(rp::StepInput{std::nullopt, kNow, {}}, settings);
    ASSERT_EQ(plan.spans.size(), 1u);
    EXPECT_EQ(plan.spans[0].first, rp::day_floor(kNow - 2 * kMicrosPerDay));
    EXPECT_EQ(plan.spans[0].end, rp::hour_floor(kNow) + kMicrosPerHour);
    EXPECT_EQ(plan.next_hour, rp::hour_floor(kNow));
    EXPECT_EQ(plan.caught_up_to, kNow);
    EXPECT_FALSE(plan.more);
}

TEST(RollupPlan, CaughtUpCycleRecomputesTheOpenHourOnly) {
    Micros open = rp::hour_floor(kNow);
    rp::StepPlan plan = rp::plan_step(rp::StepInput{open, kNow, {}}, default_settings());
    ASSERT_EQ(plan.spans.size(), 1u);
    EXPECT_EQ(plan.spans[0], (rp::HourSpan{open, open + kMicrosPerHour}));
    EXPECT_EQ(plan.next_hour, open);
    EXPECT_FALSE(plan.more);
    EXPECT_EQ(plan.days, (std::vector<Micros>{rp::day_floor(kNow)}));
}

TEST(RollupPlan, LateHoursAreRecomputedAndConsumedWithTheOpenHour) {
    Micros open = rp::hour_floor(kNow);
    std::vector<Micros> late;
    for (int i = 1; i <= 10; ++i)
        late.push_back(open - hours(24 * i + i));
    std::sort(late.begin(), late.end());
    rp::StepPlan plan = rp::plan_step(rp::StepInput{open, kNow, late}, default_settings());
    std::set<Micros> expected(late.begin(), late.end());
    expected.insert(open);
    EXPECT_EQ(hours_of(plan.spans), expected);
    EXPECT_EQ(plan.consumed_hours, late);
    EXPECT_FALSE(plan.more);
    EXPECT_EQ(plan.days.size(), 11u);
}

TEST(RollupPlan, ChangesOlderThanRetentionAreConsumedWithoutRecompute) {
    Micros open = rp::hour_floor(kNow);
    Micros old = open - hours(24 * 40);
    rp::StepPlan plan = rp::plan_step(rp::StepInput{open, kNow, {old}}, default_settings());
    EXPECT_EQ(hours_of(plan.spans), (std::set<Micros>{open}));
    EXPECT_EQ(plan.consumed_hours, (std::vector<Micros>{old}));
}

TEST(RollupPlan, ClockGoingBackRecomputesFromTheOpenHour) {
    Micros open = rp::hour_floor(kNow);
    rp::StepPlan plan = rp::plan_step(rp::StepInput{open + hours(5), kNow, {}}, default_settings());
    EXPECT_EQ(hours_of(plan.spans), (std::set<Micros>{open}));
    EXPECT_EQ(plan.next_hour, open);
}

TEST(RollupPlan, ChangedHoursCannotStarveTheCatchUp) {
    Micros open = rp::hour_floor(kNow);
    Micros watermark = open - hours(100);
    std::vector<Micros> late;
    for (int i = 0; i < 200; ++i)
        late.push_back(watermark - hours(200 - i));
    rp::StepPlan plan = rp::plan_step(rp::StepInput{watermark, kNow, late}, default_settings());
    EXPECT_EQ(hours_of(plan.spans).size(), 24u);
    EXPECT_EQ(plan.catch_up_from, watermark);
    EXPECT_EQ(plan.next_hour, watermark + hours(12));  // half the budget
    EXPECT_EQ(plan.consumed_hours.size(), 12u);
    EXPECT_TRUE(plan.more);
}

TEST(RollupPlan, PendingHoursMustBeSortedHourStarts) {
    Micros open = rp::hour_floor(kNow);
    EXPECT_THROW(
        rp::plan_step(rp::StepInput{open, kNow, {open, open - kMicrosPerHour}}, default_settings()),
        opsagg::Error);
    EXPECT_THROW(rp::plan_step(rp::StepInput{open, kNow, {open + 1}}, default_settings()),
                 opsagg::Error);
}

TEST(RollupPlan, RetryDelayDoublesUpToTheCap) {
    Micros minute = 60 * INT64_C(1000000);
    EXPECT_EQ(rp::retry_delay(0, minute, 60 * minute), minute);
    EXPECT_EQ(rp::retry_delay(1, minute, 60 * minute), minute);
    EXPECT_EQ(rp::retry_delay(2, minute, 60 * minute), 2 * minute);
    EXPECT_EQ(rp::retry_delay(6, minute, 60 * minute), 32 * minute);
    EXPECT_EQ(rp::retry_delay(7, minute, 60 * minute), 60 * minute);
    EXPECT_EQ(rp::retry_delay(1000000, minute, 60 * minute), 60 * minute);
    EXPECT_THROW(rp::retry_delay(1, 0, minute), opsagg::Error);
}

// A whole cycle (steps until `more` is false) against the brute-force model: it recomputes
// exactly every hour from the start of the catch-up to the open hour plus every changed hour
// within retention, consumes every pending record, ends at the open hour, never exceeds
// the budget in a step, and derives exactly the days of each step that lie within retention.
TEST(RollupPlan, RandomCyclesMatchTheBruteForceModel) {
    std::mt19937_64 random(20261202);
    for (int round = 0; round < 3000; ++round) {
        rp::Settings settings = default_settings();
        settings.backfill = hours(1 + static_cast<Micros>(random() % (24 * 40)));
        settings.hourly_retention =
            kMicrosPerDay + hours(static_cast<Micros>(random() % (24 * 40)));
        settings.max_hours_per_step = 1 + static_cast<int>(random() % 50);
        const Micros now = kNow + static_cast<Micros>(random() % (kMicrosPerDay * 3));
        const Micros open = rp::hour_floor(now);
        const Micros cutoff = rp::hour_floor(now - settings.hourly_retention);

        std::optional<Micros> watermark;
        if (random() % 4 != 0)
            watermark = open - hours(static_cast<Micros>(random() % (24 * 60))) +
                        hours(static_cast<Micros>(random() % 3));
        std::set<Micros> pending;
        const int changes = static_cast<int>(random() % 40);
        for (int i = 0; i < changes; ++i)
            pending.insert(open - hours(static_cast<Micros>(random() % (24 * 60))) +
                           hours(static_cast<Micros>(random() % 5)));

        // The model.
        Micros start = watermark ? *watermark : rp::day_floor(now - settings.backfill);
        start = std::min(std::max(start, cutoff), open);
        std::set<Micros> expected;
        for (Micros h = start; h <= open; h += kMicrosPerHour)
            expected.insert(h);
        for (Micros h : pending)
            if (h >= cutoff)
                expected.insert(h);

        std::set<Micros> recomputed;
        int steps = 0;
        const int step_limit = static_cast<int>(expected.size()) * 2 + 2;
        for (bool more = true; more; ++steps) {
            ASSERT_LT(steps, step_limit) << "round " << round << ": the cycle does not end";
            rp::StepInput input{watermark, now,
                                std::vector<Micros>(pending.begin(), pending.end())};
            rp::StepPlan plan = rp::plan_step(input, settings);
            std::set<Micros> step_hours = hours_of(plan.spans);
            ASSERT_LE(step_hours.size(), static_cast<std::size_t>(settings.max_hours_per_step));
            ASSERT_FALSE(step_hours.empty());
            for (Micros h : step_hours) {
                ASSERT_GE(h, cutoff);
                recomputed.insert(h);
            }
            for (Micros h : plan.consumed_hours) {
                ASSERT_TRUE(pending.count(h));
                ASSERT_TRUE(h < cutoff || step_hours.count(h)) << "consumed without recompute";
                pending.erase(h);
            }
            std::vector<Micros> days;
            for (Micros day : rp::days_touched(plan.spans))
                if (day >= cutoff)
                    days.push_back(day);
            ASSERT_EQ(plan.days, days);
            ASSERT_LE(plan.next_hour, open);
            ASSERT_LE(plan.caught_up_to, now);
            watermark = plan.next_hour;
            more = plan.more;
        }
        EXPECT_EQ(recomputed, expected) << "round " << round;
        EXPECT_EQ(*watermark, open);
        EXPECT_TRUE(pending.empty())
            << "round " << round << ": change records left after the cycle";
    }
}
