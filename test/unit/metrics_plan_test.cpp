// Unit tests of the dashboard planning core, with a randomized comparison against a
// brute-force model: every microsecond of the range lands in exactly one part, every day or
// hour read from a rollup row is one the model trusts, and nothing the model trusts is read
// from the sources unless the raw spans had to be joined.
#include "metrics_plan.hpp"

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

constexpr Micros kDay0 = INT64_C(8835) * kMicrosPerDay;  // 2024-03-10 00:00 UTC
constexpr Micros kMinute = INT64_C(60000000);

Micros hours(Micros n) {
    return kDay0 + n * kMicrosPerHour;
}

rp::Coverage steady_coverage() {
    // Rolled up from day 0 to hour 24 * 40 + 5; hourly rows kept from day 10, daily from day 0.
    return rp::Coverage{kDay0, hours(24 * 40 + 5), hours(24 * 10), kDay0, {}};
}

// The model: which hours and days a rollup row may answer for.
struct Model {
    rp::Coverage coverage;
    std::set<Micros> stale;

    explicit Model(const rp::Coverage& c) : coverage(c) {
        for (const rp::HourSpan& span : c.dirty)
            for (Micros h = rp::hour_floor(span.first); h < span.end; h += kMicrosPerHour)
                stale.insert(h);
    }
    bool rolled(Micros h) const {
        return h >= coverage.rolled_from && h + kMicrosPerHour <= coverage.rolled_to;
    }
    bool hour_trusted(Micros h) const {
        return rolled(h) && h >= coverage.hourly_from && stale.count(h) == 0;
    }
    bool day_trusted(Micros d) const {
        if (d < coverage.daily_from)
            return false;
        for (Micros h = d; h < d + kMicrosPerDay; h += kMicrosPerHour)
            if (!rolled(h))
                return false;
        if (d + kMicrosPerDay <= coverage.hourly_from)
            return true;
        for (Micros h = d; h < d + kMicrosPerDay; h += kMicrosPerHour)
            if (!hour_trusted(h))
                return false;
        return true;
    }
};

struct Labelled {
    Micros first;
    Micros end;
    char part;  // 'd', 'h', 'r'
};

std::vector<Labelled> labelled(const rp::MetricsPlan& plan) {
    std::vector<Labelled> out;
    for (Micros d : plan.days)
        out.push_back({d, d + kMicrosPerDay, 'd'});
    for (Micros h : plan.hours)
        out.push_back({h, h + kMicrosPerHour, 'h'});
    for (const rp::TimeSpan& r : plan.raw)
        out.push_back({r.first, r.end, 'r'});
    std::sort(out.begin(), out.end(),
              [](const Labelled& a, const Labelled& b) { return a.first < b.first; });
    return out;
}

// The bucket of t: its start, as date_bin computes it.
Micros model_bucket(Micros t, Micros bucket, Micros origin) {
    if (bucket == 0)
        return 0;
    Micros k = (t - origin) / bucket;
    if ((t - origin) % bucket < 0)
        --k;
    return origin + k * bucket;
}

void check_against_model(Micros from, Micros to, Micros bucket, Micros origin,
                         const rp::Coverage& coverage) {
    SCOPED_TRACE(testing::Message()
                 << "from " << from << " to " << to << " bucket " << bucket << " origin " << origin
                 << " rolled " << coverage.rolled_from << ".." << coverage.rolled_to
                 << " hourly_from " << coverage.hourly_from << " daily_from " << coverage.daily_from
                 << " dirty spans " << coverage.dirty.size());
    const Model model(coverage);
    const rp::MetricsPlan plan = rp::plan_metrics(from, to, bucket, origin, coverage);
    ASSERT_LE(plan.raw.size(), rp::kMaxRawSpans);
    for (std::size_t i = 1; i < plan.raw.size(); ++i)
        ASSERT_LT(plan.raw[i - 1].end, plan.raw[i].first) << "raw spans adjacent or unordered";

    // A partition of [from, to).
    std::vector<Labelled> parts = labelled(plan);
    ASSERT_FALSE(parts.empty());
    ASSERT_EQ(parts.front().first, from);
    ASSERT_EQ(parts.back().end, to);
    for (std::size_t i = 1; i < parts.size(); ++i)
        ASSERT_EQ(parts[i - 1].end, parts[i].first) << "gap or overlap at part " << i;

    // Rollup rows only where trusted, and inside one bucket.
    for (const Labelled& p : parts) {
        if (p.part == 'r')
            continue;
        ASSERT_EQ(model_bucket(p.first, bucket, origin), model_bucket(p.end - 1, bucket, origin));
        if (p.part == 'd')
            ASSERT_TRUE(model.day_trusted(p.first)) << "untrusted day " << p.first;
        else
            ASSERT_TRUE(model.hour_trusted(p.first)) << "untrusted hour " << p.first;
    }

    // Unless raw spans were joined, nothing trusted is read from the sources: no raw span
    // holds a whole trusted hour inside one bucket, and no hour is read whose whole day was
    // trusted and inside one bucket.
    if (plan.raw.size() < rp::kMaxRawSpans) {
        for (const rp::TimeSpan& r : plan.raw) {
            for (Micros h = std::max(rp::hour_floor(r.first), rp::hour_floor(from)); h < r.end;
                 h += kMicrosPerHour) {
                if (h >= r.first && h + kMicrosPerHour <= r.end &&
                    model_bucket(h, bucket, origin) ==
                        model_bucket(h + kMicrosPerHour - 1, bucket, origin)) {
                    const Micros d = rp::day_floor(h);
                    ASSERT_FALSE(model.hour_trusted(h) ||
                                 (model.day_trusted(d) && d >= from && d + kMicrosPerDay <= to &&
                                  model_bucket(d, bucket, origin) ==
                                      model_bucket(d + kMicrosPerDay - 1, bucket, origin)))
                        << "trusted hour " << h << " read raw";
                }
            }
        }
        for (Micros h : plan.hours) {
            Micros d = rp::day_floor(h);
            ASSERT_FALSE(d >= from && d + kMicrosPerDay <= to && model.day_trusted(d) &&
                         model_bucket(d, bucket, origin) ==
                             model_bucket(d + kMicrosPerDay - 1, bucket, origin))
                << "hour " << h << " read while its day was trusted";
        }
    }
}

}  // namespace

TEST(MetricsPlan, AlignedMonthUsesDaysThenHoursThenRawForTheOpenHour) {
    rp::Coverage c = steady_coverage();
    // Day 20 00:00 to hour 24 * 40 + 5 + 30 minutes (into the open hour).
    rp::MetricsPlan plan =
        rp::plan_metrics(hours(24 * 20), hours(24 * 40 + 5) + 30 * kMinute, 0, 0, c);
    ASSERT_EQ(plan.days.size(), 20u);
    EXPECT_EQ(plan.days.front(), hours(24 * 20));
    ASSERT_EQ(plan.hours.size(), 5u);
    EXPECT_EQ(plan.hours.front(), hours(24 * 40));
    ASSERT_EQ(plan.raw.size(), 1u);
    EXPECT_EQ(plan.raw[0], (rp::TimeSpan{hours(24 * 40 + 5), hours(24 * 40 + 5) + 30 * kMinute}));
}

TEST(MetricsPlan, PartialEdgeHoursComeFromTheSources) {
    rp::Coverage c = steady_coverage();
    rp::MetricsPlan plan =
        rp::plan_metrics(hours(24 * 20 + 3) + kMinute, hours(24 * 20 + 6) + 2 * kMinute, 0, 0, c);
    EXPECT_TRUE(plan.days.empty());
    EXPECT_EQ(plan.hours, (std::vector<Micros>{hours(24 * 20 + 4), hours(24 * 20 + 5)}));
    ASSERT_EQ(plan.raw.size(), 2u);
    EXPECT_EQ(plan.raw[0], (rp::TimeSpan{hours(24 * 20 + 3) + kMinute, hours(24 * 20 + 4)}));
    EXPECT_EQ(plan.raw[1], (rp::TimeSpan{hours(24 * 20 + 6), hours(24 * 20 + 6) + 2 * kMinute}));
}

TEST(MetricsPlan, RangeInsideOneHourIsRaw) {
    rp::MetricsPlan plan = rp::plan_metrics(hours(24 * 20) + kMinute, hours(24 * 20) + 2 * kMinute,
                                            0, 0, steady_coverage());
    EXPECT_TRUE(plan.days.empty());
    EXPECT_TRUE(plan.hours.empty());
    EXPECT_EQ(
        plan.raw,
        (std::vector<rp::TimeSpan>{{hours(24 * 20) + kMinute, hours(24 * 20) + 2 * kMinute}}));
}

TEST(MetricsPlan, StaleHourTurnsItsDayIntoHoursAndItselfRaw) {
    rp::Coverage c = steady_coverage();
    c.dirty.push_back(rp::HourSpan{hours(24 * 21 + 7), hours(24 * 21 + 8)});
    rp::MetricsPlan plan = rp::plan_metrics(hours(24 * 20), hours(24 * 23), 0, 0, c);
    EXPECT_EQ(plan.days, (std::vector<Micros>{hours(24 * 20), hours(24 * 22)}));
    EXPECT_EQ(plan.hours.size(), 23u);
    EXPECT_EQ(plan.raw, (std::vector<rp::TimeSpan>{{hours(24 * 21 + 7), hours(24 * 21 + 8)}}));
}

TEST(MetricsPlan, OldDaysComeFromDailyRowsAndTheBoundaryDayFromHoursAndSources) {
    rp::Coverage c = steady_coverage();
    c.hourly_from = hours(24 * 10 + 5);
    c.dirty.push_back(rp::HourSpan{hours(24 * 3), hours(24 * 3 + 1)});  // ignored: left tracking
    rp::MetricsPlan plan = rp::plan_metrics(hours(24 * 2), hours(24 * 11), 0, 0, c);
    EXPECT_EQ(plan.days.size(), 8u);    // days 2 to 9
    EXPECT_EQ(plan.hours.size(), 19u);  // day 10, 05:00 on
    EXPECT_EQ(plan.raw, (std::vector<rp::TimeSpan>{{hours(24 * 10), hours(24 * 10 + 5)}}));
}

TEST(MetricsPlan, NothingRolledUpMeansOneRawSpan) {
    rp::Coverage none{0, 0, 0, 0, {}};
    rp::MetricsPlan plan = rp::plan_metrics(hours(0), hours(24 * 30), 0, 0, none);
    EXPECT_TRUE(plan.days.empty());
    EXPECT_TRUE(plan.hours.empty());
    EXPECT_EQ(plan.raw, (std::vector<rp::TimeSpan>{{hours(0), hours(24 * 30)}}));
}

TEST(MetricsPlan, DailyRowsBeforeDailyRetentionAreNotUsed) {
    rp::Coverage c = steady_coverage();
    c.daily_from = hours(24 * 5);
    rp::MetricsPlan plan = rp::plan_metrics(hours(24 * 3), hours(24 * 7), 0, 0, c);
    EXPECT_EQ(plan.days, (std::vector<Micros>{hours(24 * 5), hours(24 * 6)}));
    EXPECT_EQ(plan.raw, (std::vector<rp::TimeSpan>{{hours(24 * 3), hours(24 * 5)}}));
}

TEST(MetricsPlan, HourlyBucketsNeverUseDailyRows) {
    rp::MetricsPlan plan =
        rp::plan_metrics(hours(24 * 20), hours(24 * 22), kMicrosPerHour, 0, steady_coverage());
    EXPECT_TRUE(plan.days.empty());
    EXPECT_EQ(plan.hours.size(), 48u);
    EXPECT_TRUE(plan.raw.empty());
}

TEST(MetricsPlan, SmallBucketsComeFromTheSourcesAsOneSpan) {
    rp::MetricsPlan plan =
        rp::plan_metrics(hours(24 * 20), hours(24 * 21), 15 * kMinute, 0, steady_coverage());
    EXPECT_TRUE(plan.hours.empty());
    EXPECT_EQ(plan.raw, (std::vector<rp::TimeSpan>{{hours(24 * 20), hours(24 * 21)}}));
}

TEST(MetricsPlan, ManyStaleHoursAreJoinedIntoAtMostTheLimitOfRawSpans) {
    rp::Coverage c = steady_coverage();
    for (int i = 0; i < 40; ++i)
        c.dirty.push_back(rp::HourSpan{hours(24 * 20 + 2 * i), hours(24 * 20 + 2 * i + 1)});
    rp::MetricsPlan plan = rp::plan_metrics(hours(24 * 20), hours(24 * 30), 0, 0, c);
    EXPECT_EQ(plan.raw.size(), rp::kMaxRawSpans);
    check_against_model(hours(24 * 20), hours(24 * 30), 0, 0, c);
}

TEST(MetricsPlan, RefusesBadRangesAndBuckets) {
    rp::Coverage c = steady_coverage();
    EXPECT_THROW(rp::plan_metrics(hours(5), hours(5), 0, 0, c), opsagg::Error);
    EXPECT_THROW(rp::plan_metrics(hours(6), hours(5), 0, 0, c), opsagg::Error);
    EXPECT_THROW(rp::plan_metrics(INT64_MIN, hours(5), 0, 0, c), opsagg::Error);
    EXPECT_THROW(rp::plan_metrics(hours(5), INT64_MAX, 0, 0, c), opsagg::Error);
    EXPECT_THROW(rp::plan_metrics(hours(5), hours(6), -1, 0, c), opsagg::Error);
    try {
        rp::plan_metrics(hours(0), hours(24 * 365), kMinute, 0, c);
        FAIL() << "too many buckets accepted";
    } catch (const opsagg::Error& e) {
        EXPECT_EQ(e.kind(), opsagg::ErrorKind::ProgramLimitExceeded);
    }
    // Exactly the limit is accepted.
    rp::plan_metrics(hours(0), hours(0) + rp::kMaxBuckets * kMinute, kMinute, 0, c);
    EXPECT_THROW(
        rp::plan_metrics(hours(0), hours(0) + rp::kMaxBuckets * kMinute + 1, kMinute, 0, c),
        opsagg::Error);
}

TEST(MetricsPlan, InfiniteCoverageBoundsAreClamped) {
    rp::Coverage c{INT64_MIN, INT64_MAX, INT64_MIN, INT64_MIN, {{INT64_MIN, INT64_MIN + 1}}};
    rp::MetricsPlan plan = rp::plan_metrics(hours(0), hours(24 * 2), 0, 0, c);
    EXPECT_EQ(plan.days.size(), 2u);
    c = rp::Coverage{INT64_MAX, INT64_MAX, INT64_MAX, INT64_MAX, {{INT64_MAX - 1, INT64_MAX}}};
    plan = rp::plan_metrics(hours(0), hours(24 * 2), 0, 0, c);
    EXPECT_EQ(plan.raw, (std::vector<rp::TimeSpan>{{hours(0), hours(24 * 2)}}));
}

TEST(MetricsPlan, BucketStartIsDateBin) {
    EXPECT_EQ(rp::bucket_start(hours(5) + 1, kMicrosPerHour, 0), hours(5));
    EXPECT_EQ(rp::bucket_start(-1, kMicrosPerHour, 0), -kMicrosPerHour);
    EXPECT_EQ(rp::bucket_start(hours(5), 2 * kMicrosPerHour, kMicrosPerHour), hours(5));
    EXPECT_EQ(rp::bucket_start(hours(4), 2 * kMicrosPerHour, kMicrosPerHour), hours(3));
    EXPECT_THROW(rp::bucket_start(0, 0, 0), opsagg::Error);
}

TEST(MetricsPlan, RandomRangesAgreeWithTheModel) {
    std::mt19937_64 random(20261202);
    auto pick = [&](Micros lo, Micros hi) {
        return std::uniform_int_distribution<Micros>(lo, hi)(random);
    };
    const Micros buckets[] = {0,
                              0,
                              0,
                              15 * kMinute,
                              kMicrosPerHour,
                              90 * kMinute,
                              2 * kMicrosPerHour,
                              7 * kMicrosPerHour,
                              kMicrosPerDay,
                              2 * kMicrosPerDay};
    for (int round = 0; round < 4000; ++round) {
        rp::Coverage c{};
        c.rolled_from = hours(pick(0, 24 * 8));
        c.rolled_to = c.rolled_from + pick(0, 24 * 12) * kMicrosPerHour;
        c.hourly_from = hours(pick(0, 24 * 14));
        c.daily_from = kDay0 + pick(0, 12) * kMicrosPerDay;
        for (int i = pick(0, 30); i > 0; --i) {
            Micros first = hours(pick(0, 24 * 20));
            c.dirty.push_back(rp::HourSpan{first, first + pick(1, 30) * kMicrosPerHour});
        }
        // Ranges on 15-minute steps, a fifth of them with odd microseconds.
        Micros from = kDay0 + pick(-8, 4 * 24 * 22) * 15 * kMinute;
        Micros to = from + pick(1, 4 * 24 * 16) * 15 * kMinute;
        if (pick(0, 4) == 0) {
            from += pick(0, 15 * kMinute - 1);
            to += pick(0, 15 * kMinute - 1);
        }
        Micros bucket = buckets[pick(0, 9)];
        Micros origin = pick(0, 1) == 0 ? 0 : kDay0 + pick(-48, 48) * 30 * kMinute;
        check_against_model(from, to, bucket, origin, c);
        if (HasFatalFailure())
            return;
    }
}
