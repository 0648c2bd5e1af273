// The change-tracking set (core/track_set.hpp): hour flooring, recording, flushing per
// table, subtransaction commit/abort, growth; and a randomized comparison with a simple model.
#include "track_set.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <limits>
#include <map>
#include <random>
#include <set>
#include <utility>
#include <vector>

namespace tr = opsagg::track;

namespace {

constexpr tr::Micros kHour = INT64_C(3600000000);

// A set that grows like the glue does, in C++ memory.
struct Grown {
    std::vector<tr::Slot> slots = std::vector<tr::Slot>(8);
    tr::Set set{};
    Grown() { tr::init(&set, slots.data(), slots.size()); }
    void record(std::uint32_t table, tr::Micros hour) {
        if (tr::needs_growth(set)) {
            std::vector<tr::Slot> bigger(slots.size() * 2);
            tr::Set grown{};
            tr::init(&grown, bigger.data(), bigger.size());
            tr::rehash(set, &grown);
            slots.swap(bigger);
            set = grown;
        }
        tr::record(&set, table, hour);
    }
    std::vector<tr::Micros> take(std::uint32_t table, std::uint32_t subxact) {
        std::vector<tr::Micros> out(tr::pending_of(set, table));
        out.resize(tr::take_pending(&set, table, subxact, out.data()));
        std::sort(out.begin(), out.end());
        return out;
    }
};

}  // namespace

TEST(TrackHour, FloorsToTheUtcHour) {
    tr::Micros h = 0;
    ASSERT_TRUE(tr::hour_of(0, &h));
    EXPECT_EQ(h, 0);
    ASSERT_TRUE(tr::hour_of(kHour - 1, &h));
    EXPECT_EQ(h, 0);
    ASSERT_TRUE(tr::hour_of(kHour, &h));
    EXPECT_EQ(h, kHour);
    ASSERT_TRUE(tr::hour_of(-1, &h));
    EXPECT_EQ(h, -kHour);
    ASSERT_TRUE(tr::hour_of(-kHour, &h));
    EXPECT_EQ(h, -kHour);
}

TEST(TrackHour, InfinitiesHaveNoHour) {
    tr::Micros h = 42;
    EXPECT_FALSE(tr::hour_of(std::numeric_limits<tr::Micros>::min(), &h));
    EXPECT_FALSE(tr::hour_of(std::numeric_limits<tr::Micros>::max(), &h));
    EXPECT_EQ(h, 42);
}

TEST(TrackSet, DistinctHoursPerTable) {
    Grown g;
    g.record(7, kHour);
    g.record(7, kHour);
    g.record(7, 2 * kHour);
    g.record(8, kHour);
    EXPECT_EQ(tr::pending_of(g.set, 7), 2u);
    EXPECT_EQ(tr::pending_of(g.set, 8), 1u);
    EXPECT_EQ(g.take(7, tr::kTopLevel), (std::vector<tr::Micros>{kHour, 2 * kHour}));
    EXPECT_EQ(tr::pending_of(g.set, 7), 0u);
    EXPECT_EQ(tr::pending_of(g.set, 8), 1u);
    EXPECT_TRUE(g.take(7, tr::kTopLevel).empty());
    // A later statement touching a written hour logs it again.
    g.record(7, kHour);
    EXPECT_EQ(g.take(7, tr::kTopLevel), (std::vector<tr::Micros>{kHour}));
}

TEST(TrackSet, SubtransactionAbortMakesItsWritesPendingAgain) {
    Grown g;
    g.record(7, kHour);      // outer statement's row
    g.take(7, 3);            // flushed by a nested statement in subtransaction 3
    EXPECT_EQ(g.set.in_subxact, 1u);
    tr::subxact_abort(&g.set, 3);  // its log row is gone
    EXPECT_EQ(g.take(7, tr::kTopLevel), (std::vector<tr::Micros>{kHour}));
    EXPECT_EQ(g.set.in_subxact, 0u);
}

TEST(TrackSet, SubtransactionCommitHandsWritesToParent) {
    Grown g;
    g.record(7, kHour);
    g.take(7, 4);
    tr::subxact_commit(&g.set, 4, 3);
    tr::subxact_abort(&g.set, 4);  // no longer 4's
    EXPECT_EQ(tr::pending_of(g.set, 7), 0u);
    tr::subxact_abort(&g.set, 3);
    EXPECT_EQ(tr::pending_of(g.set, 7), 1u);
    g.take(7, 2);
    tr::subxact_commit(&g.set, 2, tr::kTopLevel);
    EXPECT_EQ(g.set.in_subxact, 0u);
    tr::subxact_abort(&g.set, 2);
    EXPECT_EQ(tr::pending_of(g.set, 7), 0u);
}

TEST(TrackSet, GrowsAndKeepsEverything) {
    Grown g;
    for (int i = 0; i < 5000; ++i)
        g.record(static_cast<std::uint32_t>(1 + i % 3), (i - 2500) * kHour);
    EXPECT_GE(g.slots.size(), 5000u * 4 / 3);
    std::size_t total = 0;
    for (std::uint32_t t = 1; t <= 3; ++t)
        total += g.take(t, tr::kTopLevel).size();
    EXPECT_EQ(total, 5000u);
    EXPECT_EQ(g.set.pending, 0u);
}

// Random records, flushes and subtransactions against a model that keeps, per (table, hour),
// whether a live log row covers every recorded row: a flush never leaves a recorded hour
// uncovered once all subtransactions have ended.
TEST(TrackSet, RandomizedAgainstModel) {
    std::mt19937_64 rng(12345);
    for (int run = 0; run < 200; ++run) {
        Grown g;
        // Model: the log rows that exist, with the subtransaction that wrote them.
        std::multimap<std::pair<std::uint32_t, tr::Micros>, std::uint32_t> log;
        std::set<std::pair<std::uint32_t, tr::Micros>> recorded;  // rows still alive
        std::vector<std::uint32_t> stack{tr::kTopLevel};
        std::vector<std::set<std::pair<std::uint32_t, tr::Micros>>> recorded_in{{}};
        std::uint32_t next_subxact = 2;
        for (int step = 0; step < 300; ++step) {
            int op = static_cast<int>(rng() % 10);
            if (op < 5) {
                auto key = std::make_pair(static_cast<std::uint32_t>(1 + rng() % 2),
                                          static_cast<tr::Micros>(rng() % 20) * kHour);
                g.record(key.first, key.second);
                recorded_in.back().insert(key);
            } else if (op < 7) {
                std::uint32_t table = static_cast<std::uint32_t>(1 + rng() % 2);
                for (tr::Micros h : g.take(table, stack.back()))
                    log.emplace(std::make_pair(table, h), stack.back());
            } else if (op < 8) {
                stack.push_back(next_subxact++);
                recorded_in.emplace_back();
            } else if (stack.size() > 1) {
                std::uint32_t sub = stack.back();
                stack.pop_back();
                auto rows = recorded_in.back();
                recorded_in.pop_back();
                if (op == 8) {
                    tr::subxact_commit(&g.set, sub, stack.back());
                    for (auto& e : log)
                        if (e.second == sub)
                            e.second = stack.back();
                    recorded_in.back().insert(rows.begin(), rows.end());
                } else {
                    tr::subxact_abort(&g.set, sub);
                    for (auto it = log.begin(); it != log.end();)
                        it = it->second == sub ? log.erase(it) : std::next(it);
                }
            }
        }
        // End of the transaction: the last statements flush every table.
        for (std::uint32_t table = 1; table <= 2; ++table)
            for (tr::Micros h : g.take(table, stack.back()))
                log.emplace(std::make_pair(table, h), stack.back());
        for (const auto& rows : recorded_in)
            for (const auto& key : rows)
                EXPECT_TRUE(log.count(key) > 0) << "run " << run << " lost table " << key.first
                                                << " hour " << key.second / kHour;
    }
}
