// heartbeat_agg core: accessors, interpolate and trim_to against the bitmap model.
#include <gtest/gtest.h>

#include <algorithm>
#include <limits>
#include <vector>

#include "heartbeat_test_util.hpp"

namespace hbtest {
namespace {

using opsagg::ErrorKind;

Value heartbeat_value(Rng& rng) {
    Window w = random_window(rng);
    return build({w.start, w.end, 0, w.L}, random_heartbeats(rng, w.start, w.end, w.L));
}

// trim_to's window: random, the full coverage, or ending at a range boundary.
void random_trim_window(Rng& rng, const Value& v, Instant* from, Instant* to) {
    const Header& h = v.header;
    *from = coin(rng, 0.2) ? h.start_time : uniform(rng, h.start_time, h.end_time - 1);
    *to = coin(rng, 0.2) ? h.end_time : uniform(rng, *from + 1, h.end_time);
    if (!v.ranges.empty() && coin(rng, 0.3)) {
        const Range& r = v.ranges[static_cast<std::size_t>(uniform(rng, 0, v.ranges.size() - 1))];
        Instant candidates[] = {r.start - 1, r.start, r.start + 1, r.end - 1, r.end, r.end + 1};
        Instant e = candidates[uniform(rng, 0, 5)];
        if (e > *from && e <= h.end_time)
            *to = e;
    }
}

// Values of every origin: heartbeat_agg, arbitrary valid ones, and trim_to / interpolate output.
Value any_value(Rng& rng) {
    switch (uniform(rng, 0, 3)) {
        case 0:
            return heartbeat_value(rng);
        case 1:
            return random_value(rng);
        case 2: {
            Value v = coin(rng) ? heartbeat_value(rng) : random_value(rng);
            Instant from, to;
            random_trim_window(rng, v, &from, &to);
            return trimmed(v, from, to);
        }
        default: {
            Value agg = heartbeat_value(rng);
            Instant gap = uniform(rng, 0, 50);
            Instant pred_end = agg.header.start_time - gap;
            Value pred = build({pred_end - 100, pred_end, 0, 30}, {pred_end - uniform(rng, 1, 30)});
            return interpolated(agg, pred);
        }
    }
}

// ---- accessors ----------------------------------------------------------------------------

void check_accessors(const Value& v) {
    Model m = value_model(v);
    const Header& h = v.header;
    ASSERT_EQ(v.ranges, m.live_ranges()) << "the value's ranges are not in normal form";
    ASSERT_EQ(hb::uptime(v.view()), m.uptime());
    ASSERT_EQ(hb::downtime(v.view()), (h.end_time - h.start_time) - m.uptime());
    for (Instant t = h.start_time - 3; t < h.end_time + 3; ++t) {
        ASSERT_EQ(hb::live_at(v.view(), t), m.at(t)) << "t=" << t;
    }
    for (Instant t : {std::numeric_limits<Instant>::min(), hb::kMinInstant, hb::kMinInstant - 1,
                      hb::kEndInstant - 1, hb::kEndInstant, std::numeric_limits<Instant>::max()}) {
        ASSERT_EQ(hb::live_at(v.view(), t), m.at(t)) << "t=" << t;
    }
    std::vector<Range> dead(hb::dead_ranges_capacity(v.view()));
    std::size_t n = hb::dead_ranges(v.view(), dead.data());
    ASSERT_LE(n, dead.size());
    dead.resize(n);
    ASSERT_EQ(dead, m.dead_ranges());
    ASSERT_EQ(hb::num_gaps(v.view()), m.dead_ranges().size());
}

TEST(HeartbeatAccessors, RandomAgainstModel) {
    for (int i = 0; i < 3000; ++i) {
        SCOPED_TRACE(case_label("HeartbeatAccessors.RandomAgainstModel", i));
        Rng rng = case_rng(20, i);
        Value v = any_value(rng);
        ASSERT_TRUE(IsValid(v));
        check_accessors(v);
    }
}

TEST(HeartbeatAccessors, Examples) {
    Value v{{0, 100, 55, 10}, {{10, 20}, {50, 65}}};
    EXPECT_EQ(hb::uptime(v.view()), 25);
    EXPECT_EQ(hb::downtime(v.view()), 75);
    EXPECT_EQ(hb::num_gaps(v.view()), 3u);
    EXPECT_FALSE(hb::live_at(v.view(), 9));
    EXPECT_TRUE(hb::live_at(v.view(), 10));
    EXPECT_TRUE(hb::live_at(v.view(), 19));
    EXPECT_FALSE(hb::live_at(v.view(), 20));
    EXPECT_FALSE(hb::live_at(v.view(), -1000));
    EXPECT_FALSE(hb::live_at(v.view(), 1000));

    Value full{{0, 100, 95, 10}, {{0, 100}}};
    EXPECT_EQ(hb::num_gaps(full.view()), 0u);
    EXPECT_EQ(hb::dead_ranges(full.view(), nullptr), 0u);
    EXPECT_EQ(hb::downtime(full.view()), 0);
    EXPECT_FALSE(hb::live_at(full.view(), 100));
    EXPECT_FALSE(hb::live_at(full.view(), -1));

    Value none{{0, 100, -50, 10}, {}};
    EXPECT_EQ(hb::num_gaps(none.view()), 1u);
    Range dead[1];
    ASSERT_EQ(hb::dead_ranges(none.view(), dead), 1u);
    EXPECT_EQ(dead[0], (Range{0, 100}));
    EXPECT_EQ(hb::uptime(none.view()), 0);
    EXPECT_EQ(hb::downtime(none.view()), 100);
}

TEST(HeartbeatAccessors, EqualComparesAllSevenFields) {
    Value v{{0, 100, 55, 10}, {{10, 20}, {50, 65}}};
    EXPECT_TRUE(hb::equal(v.view(), v.view()));
    Value w = v;
    EXPECT_TRUE(hb::equal(v.view(), w.view()));
    auto differs = [&](auto mutate) {
        Value x = v;
        mutate(x);
        return !hb::equal(v.view(), x.view()) && !hb::equal(x.view(), v.view());
    };
    EXPECT_TRUE(differs([](Value& x) { x.header.start_time = 1; }));
    EXPECT_TRUE(differs([](Value& x) { x.header.end_time = 99; }));
    EXPECT_TRUE(differs([](Value& x) { x.header.last_seen = 54; }));
    EXPECT_TRUE(differs([](Value& x) { x.header.interval_len = 11; }));
    EXPECT_TRUE(differs([](Value& x) { x.ranges.pop_back(); }));
    EXPECT_TRUE(differs([](Value& x) { x.ranges[1].start = 51; }));
    EXPECT_TRUE(differs([](Value& x) { x.ranges[0].end = 21; }));
}

// PostgreSQL's timestamp range spans about 2^63.03 microseconds: a window longer than an int64
// can count is refused, so uptime and downtime are always exact.
TEST(HeartbeatAccessors, WidestCoverage) {
    const Instant max = std::numeric_limits<Instant>::max();
    const Instant lo = hb::kMinInstant;
    const Instant hi = hb::kEndInstant - 1;
    // The widest windows at either end of time are valid and exact.
    for (Value v : {Value{{lo, lo + max, lo, 1}, {}},                                   // all dead
                    Value{{lo, lo + max, lo + max - 1, 1}, {{lo, lo + max}}},           // all live
                    Value{{hi - max, hi, 1, 1}, {{hi - max, 0}, {1, hi}}},              // but one
                    Value{{hi - max, hi, hi - max, 1}, {{hi - max, hi - max + 1}}}}) {  // one
        SCOPED_TRACE(::testing::Message() << v);
        ASSERT_TRUE(IsValid(v));
        __int128 up = 0;
        for (const Range& r : v.ranges)
            up += static_cast<__int128>(r.end) - r.start;
        __int128 down = static_cast<__int128>(v.header.end_time) - v.header.start_time - up;
        EXPECT_EQ(hb::uptime(v.view()), static_cast<Instant>(up));
        EXPECT_EQ(hb::downtime(v.view()), static_cast<Instant>(down));
    }
    // One microsecond more is invalid.
    EXPECT_TRUE(ThrowsKind(
        [&] {
            hb::validate(Value{{lo, lo + max + 1, lo, 1}, {}}.view());
        },
        ErrorKind::InvalidRepresentation));
    EXPECT_TRUE(ThrowsKind(
        [&] {
            hb::validate(Value{{hi - max - 1, hi, 0, 1}, {}}.view());
        },
        ErrorKind::InvalidRepresentation));
    EXPECT_TRUE(ThrowsKind(
        [&] {
            hb::validate(Value{{lo, hi, 0, 1}, {}}.view());
        },
        ErrorKind::InvalidRepresentation));
    // heartbeat_agg over such a window, and a rollup whose combined window is that long, are
    // refused when the value is made.
    hb::Builder wide({lo, hi, 0, 10});
    wide.add_heartbeat(0);
    EXPECT_TRUE(ThrowsKind([&] { wide.result_count(); }, ErrorKind::InvalidParameter));
    Value first{{lo, lo + 100, lo + 5, 10}, {{lo + 5, lo + 15}}};
    Value last{{hi - 100, hi, hi - 50, 10}, {{hi - 50, hi - 40}}};
    hb::Builder r(first.header);
    r.add_value(first.view());
    r.add_value(last.view());
    EXPECT_TRUE(ThrowsKind([&] { r.result_count(); }, ErrorKind::InvalidParameter));
}

// ---- interpolate --------------------------------------------------------------------------

TEST(HeartbeatInterpolate, RandomAgainstModel) {
    for (int i = 0; i < 4000; ++i) {
        SCOPED_TRACE(case_label("HeartbeatInterpolate.RandomAgainstModel", i));
        Rng rng = case_rng(21, i);
        Value agg = coin(rng, 0.7) ? heartbeat_value(rng) : random_value(rng);
        const Header& a = agg.header;
        // The predecessor ends at or shortly before agg starts; its own liveness may differ.
        Instant pred_end = a.start_time - (coin(rng) ? 0 : uniform(rng, 1, 50));
        Instant pred_width = uniform(rng, 50, 300);
        Instant pred_L = uniform(rng, 1, 49);
        Instant pred_start = pred_end - pred_width;
        if (pred_start < hb::kMinInstant)
            continue;  // agg at the very start of time
        std::vector<Instant> beats = random_heartbeats(rng, pred_start, pred_end, pred_L);
        if (coin(rng))
            beats.push_back(pred_end - uniform(rng, 1, std::min<Instant>(60, pred_width)));
        Value pred = build({pred_start, pred_end, 0, pred_L}, beats);
        ASSERT_TRUE(IsValid(pred));

        Model m = value_model(agg);
        m.set_live(a.start_time, std::min(pred.header.last_seen + a.interval_len, a.end_time));
        Value expected{a, m.live_ranges()};

        Value got = interpolated(agg, pred);
        ASSERT_EQ(got, expected) << "pred " << pred;
        ASSERT_TRUE(IsValid(got));
    }
}

TEST(HeartbeatInterpolate, Examples) {
    Value agg{{100, 200, 150, 10}, {{120, 130}, {150, 160}}};
    auto pred_seen = [](Instant last_seen) {
        return Value{{0, 100, last_seen, 10}, {{std::max<Instant>(0, last_seen), 100}}};
    };
    // reach = 90 + 10 = 100 = start_time: unchanged.
    EXPECT_EQ(interpolated(agg, pred_seen(90)), agg);
    // reach 105: a new first range [100, 105).
    EXPECT_EQ(interpolated(agg, pred_seen(95)),
              (Value{agg.header, {{100, 105}, {120, 130}, {150, 160}}}));
    // reach 120 touches the first range: it is extended back to 100.
    Value pred{{0, 100, 110, 10}, {}};
    pred.header.last_seen = 110;  // only the header matters
    EXPECT_EQ(interpolated(agg, pred), (Value{agg.header, {{100, 130}, {150, 160}}}));
    // reach 155 covers the first range and reaches into the second: one range.
    pred.header.last_seen = 145;
    EXPECT_EQ(interpolated(agg, pred), (Value{agg.header, {{100, 160}}}));
    // reach beyond end_time: clipped, fully live.
    pred.header.last_seen = 1000;
    EXPECT_EQ(interpolated(agg, pred), (Value{agg.header, {{100, 200}}}));
    // No ranges at all.
    Value empty{{100, 200, 50, 10}, {}};
    pred.header.last_seen = 95;
    EXPECT_EQ(interpolated(empty, pred), (Value{empty.header, {{100, 105}}}));
}

TEST(HeartbeatInterpolate, PredecessorEndingAfterStartIsAnError) {
    for (int i = 0; i < 500; ++i) {
        SCOPED_TRACE(case_label("HeartbeatInterpolate.PredecessorEndingAfterStartIsAnError", i));
        Rng rng = case_rng(22, i);
        Value agg = heartbeat_value(rng);
        Instant pred_end = agg.header.start_time + uniform(rng, 1, 500);
        Instant pred_start = pred_end - uniform(rng, 20, 600);
        Value pred = build({pred_start, pred_end, 0, 10}, {pred_start});
        ASSERT_TRUE(ThrowsKind([&] { interpolated(agg, pred); }, ErrorKind::InvalidParameter));
    }
    Value agg{{100, 200, 150, 10}, {{150, 160}}};
    EXPECT_TRUE(ThrowsKind([&] { interpolated(agg, agg); }, ErrorKind::InvalidParameter));
    Value ends_at_start{{0, 100, 95, 10}, {{95, 100}}};
    EXPECT_NO_THROW(interpolated(agg, ends_at_start));
    Value ends_one_later{{0, 101, 95, 10}, {{95, 101}}};
    EXPECT_TRUE(
        ThrowsKind([&] { interpolated(agg, ends_one_later); }, ErrorKind::InvalidParameter));
}

// ---- trim_to ----------------------------------------------------------------------------------

// The spec's last_seen rule, computed independently.
Instant expected_trim_last_seen(const Value& v, Instant from, Instant to) {
    if (to >= v.header.end_time)
        return v.header.last_seen;
    const Range* last_before = nullptr;
    for (const Range& r : v.ranges) {
        if (r.start < to)
            last_before = &r;
    }
    if (last_before == nullptr)
        return from - v.header.interval_len;
    return std::min(last_before->end - v.header.interval_len, to);
}

TEST(HeartbeatTrimTo, RandomAgainstModel) {
    for (int i = 0; i < 4000; ++i) {
        SCOPED_TRACE(case_label("HeartbeatTrimTo.RandomAgainstModel", i));
        Rng rng = case_rng(23, i);
        Value v = any_value(rng);
        ASSERT_TRUE(IsValid(v));
        Instant from, to;
        random_trim_window(rng, v, &from, &to);
        SCOPED_TRACE(::testing::Message() << "trim " << v << " to [" << from << "," << to << ")");

        Model whole = value_model(v);
        Model window = empty_model(from, to);
        for (Instant t = from; t < to; ++t)
            window.live[t - from] = whole.at(t);
        Value expected{{from, to, expected_trim_last_seen(v, from, to), v.header.interval_len},
                       window.live_ranges()};

        Value got = trimmed(v, from, to);
        ASSERT_EQ(got, expected);
        ASSERT_TRUE(IsValid(got));

        // Trimming to the value's own bounds returns an equal value.
        ASSERT_EQ(trimmed(v, v.header.start_time, v.header.end_time), v);
    }
}

TEST(HeartbeatTrimTo, LastSeenRule) {
    Value v{{0, 100, 95, 10}, {{10, 30}, {50, 60}, {95, 100}}};
    // End unchanged: last_seen unchanged, also when the start moves.
    EXPECT_EQ(trimmed(v, 40, 100).header.last_seen, 95);
    // Last range starting before 55 is [50,60): min(60 - 10, 55) = 50.
    EXPECT_EQ(trimmed(v, 0, 55), (Value{{0, 55, 50, 10}, {{10, 30}, {50, 55}}}));
    // Same last range before 51: min(50, 51) = 50.
    EXPECT_EQ(trimmed(v, 0, 51).header.last_seen, 50);
    // End at exactly a range start: that range does not start before E; [10,30) does.
    EXPECT_EQ(trimmed(v, 0, 50), (Value{{0, 50, 20, 10}, {{10, 30}}}));
    // A range longer than L, cut in its middle: min(30 - 10, 15) = 15.
    EXPECT_EQ(trimmed(v, 0, 15), (Value{{0, 15, 15, 10}, {{10, 15}}}));
    // No range starts before E: S - L.
    EXPECT_EQ(trimmed(v, 0, 10), (Value{{0, 10, -10, 10}, {}}));
    EXPECT_EQ(trimmed(v, 3, 8), (Value{{3, 8, -7, 10}, {}}));
    // A window after every range but the clipped last one's start.
    EXPECT_EQ(trimmed(v, 65, 90), (Value{{65, 90, 50, 10}, {}}));
}

TEST(HeartbeatTrimTo, Errors) {
    Value v{{0, 100, 95, 10}, {{10, 30}, {95, 100}}};
    auto fails = [&](Instant from, Instant to) {
        return ThrowsKind([&] { trimmed(v, from, to); }, ErrorKind::InvalidParameter);
    };
    EXPECT_TRUE(fails(-1, 50));    // S < start_time
    EXPECT_TRUE(fails(0, 101));    // E > end_time
    EXPECT_TRUE(fails(-5, 105));   // both
    EXPECT_TRUE(fails(50, 50));    // empty
    EXPECT_TRUE(fails(60, 50));    // inverted
    EXPECT_TRUE(fails(100, 100));  // empty at the end
    EXPECT_TRUE(fails(100, 101));  // after the coverage
    EXPECT_NO_THROW(trimmed(v, 99, 100));
    EXPECT_NO_THROW(trimmed(v, 0, 1));
}

}  // namespace
}  // namespace hbtest
