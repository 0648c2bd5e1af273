// heartbeat_agg core: the Builder's memory grows with the number of live ranges, not with the
// number of heartbeats, and large shuffled inputs give the right result.
//
// The observable is the heap: this file replaces the global operator new/delete of the test
// binary with counting versions (each block carries its size in a 16-byte prefix), so a test
// can measure the peak number of bytes the Builder holds while it takes the input.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <new>
#include <numeric>
#include <vector>

#include "heartbeat_test_util.hpp"

namespace {

std::atomic<std::size_t> g_live_bytes{0};
std::atomic<std::size_t> g_peak_bytes{0};

constexpr std::size_t kPrefix = 16;  // keeps the returned block aligned for max_align_t

void* counted_alloc(std::size_t n) {
    void* block = std::malloc(n + kPrefix);
    if (block == nullptr)
        throw std::bad_alloc();
    *static_cast<std::size_t*>(block) = n;
    std::size_t live = g_live_bytes.fetch_add(n) + n;
    std::size_t peak = g_peak_bytes.load();
    while (live > peak && !g_peak_bytes.compare_exchange_weak(peak, live)) {
    }
    return static_cast<char*>(block) + kPrefix;
}

void counted_free(void* p) noexcept {
    if (p == nullptr)
        return;
    void* block = static_cast<char*>(p) - kPrefix;
    g_live_bytes.fetch_sub(*static_cast<std::size_t*>(block));
    std::free(block);
}

}  // namespace

void* operator new(std::size_t n) {
    return counted_alloc(n);
}
void* operator new[](std::size_t n) {
    return counted_alloc(n);
}
void operator delete(void* p) noexcept {
    counted_free(p);
}
void operator delete[](void* p) noexcept {
    counted_free(p);
}
void operator delete(void* p, std::size_t) noexcept {
    counted_free(p);
}
void operator delete[](void* p, std::size_t) noexcept {
    counted_free(p);
}
// The nothrow forms too (std::stable_sort's buffer uses them): under ASan they would otherwise
// be ASan's, and their blocks would reach counted_free without its prefix.
void* operator new(std::size_t n, const std::nothrow_t&) noexcept {
    try {
        return counted_alloc(n);
    } catch (...) {
        return nullptr;
    }
}
void* operator new[](std::size_t n, const std::nothrow_t& tag) noexcept {
    return operator new(n, tag);
}
void operator delete(void* p, const std::nothrow_t&) noexcept {
    counted_free(p);
}
void operator delete[](void* p, const std::nothrow_t&) noexcept {
    counted_free(p);
}

namespace hbtest {
namespace {

// Peak heap bytes allocated (beyond what was live at construction) during the scope.
class HeapPeak {
  public:
    HeapPeak() : base_(g_live_bytes.load()) { g_peak_bytes.store(base_); }
    std::size_t bytes() const { return g_peak_bytes.load() - base_; }

  private:
    std::size_t base_;
};

// The expected value by sorting and sweeping (the bitmap would be too large here).
Value sweep(const Header& header, std::vector<Instant> heartbeats) {
    std::sort(heartbeats.begin(), heartbeats.end());
    Value v;
    v.header = header;
    v.header.last_seen = heartbeats.back();
    for (Instant h : heartbeats) {
        Instant e = h + header.interval_len;
        if (!v.ranges.empty() && h <= v.ranges.back().end) {
            v.ranges.back().end = std::max(v.ranges.back().end, e);
        } else {
            v.ranges.push_back({h, e});
        }
    }
    v.ranges.back().end = std::min(v.ranges.back().end, header.end_time);
    return v;
}

TEST(HeartbeatMemory, CountingAllocatorWorks) {
    HeapPeak peak;
    auto* block = new std::vector<char>(1 << 20);
    EXPECT_GE(peak.bytes(), std::size_t{1} << 20);
    delete block;
}

// The sweep oracle against the bitmap model on small inputs.
TEST(HeartbeatMemory, SweepOracleAgreesWithModel) {
    for (int i = 0; i < 500; ++i) {
        SCOPED_TRACE(case_label("HeartbeatMemory.SweepOracleAgreesWithModel", i));
        Rng rng = case_rng(40, i);
        Window w = random_window(rng);
        std::vector<Instant> beats = random_heartbeats(rng, w.start, w.end, w.L);
        Value v = sweep({w.start, w.end, 0, w.L}, beats);
        ASSERT_EQ(v.ranges, heartbeat_model(w.start, w.end, w.L, beats).live_ranges());
    }
}

// `count` heartbeats (distinct or not) forming `ranges_wanted` ranges, in ascending order.
std::vector<Instant> clustered_heartbeats(Rng& rng, Instant L, std::size_t ranges_wanted,
                                          std::size_t count) {
    std::vector<Instant> out;
    out.reserve(count);
    std::size_t per_range = count / ranges_wanted;
    Instant t = 0;
    for (std::size_t r = 0; r < ranges_wanted; ++r) {
        for (std::size_t k = 0; k < per_range; ++k) {
            out.push_back(t);
            t += uniform(rng, 0, L);  // never more than L apart: one range
        }
        t += L + uniform(rng, 1, 1000);  // a gap
    }
    return out;
}

// The largest number of live ranges of any prefix of the input (the number of ranges an exact
// aggregate of the rows seen so far must hold), by deleting the rows in reverse order from a
// linked list over the sorted heartbeats.
std::size_t max_prefix_ranges(const std::vector<Instant>& beats, Instant L) {
    std::size_t n = beats.size();
    std::vector<std::size_t> order(n);
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        return beats[a] < beats[b] || (beats[a] == beats[b] && a < b);
    });
    std::vector<std::size_t> rank(n);
    std::vector<Instant> sorted(n);
    for (std::size_t r = 0; r < n; ++r) {
        rank[order[r]] = r;
        sorted[r] = beats[order[r]];
    }
    constexpr std::size_t kNone = ~std::size_t{0};
    std::vector<std::size_t> prev(n), next(n);
    for (std::size_t r = 0; r < n; ++r) {
        prev[r] = r == 0 ? kNone : r - 1;
        next[r] = r + 1 == n ? kNone : r + 1;
    }
    auto gap = [&](std::size_t a, std::size_t b) -> std::size_t {
        return a != kNone && b != kNone && sorted[b] - sorted[a] > L ? 1 : 0;
    };
    std::size_t ranges = 1;
    for (std::size_t r = 0; r + 1 < n; ++r)
        ranges += gap(r, r + 1);
    std::size_t most = ranges;
    for (std::size_t k = n - 1; k >= 1; --k) {  // remove row k: the prefix of k rows remains
        std::size_t x = rank[k], p = prev[x], q = next[x];
        ranges = ranges + gap(p, q) - gap(p, x) - gap(x, q);
        if (p != kNone)
            next[p] = q;
        if (q != kNone)
            prev[q] = p;
        most = std::max(most, ranges);
    }
    return most;
}

TEST(HeartbeatMemory, MaxPrefixRangesOracle) {
    // 0, 20, 10 with L = 10: {0} 1, {0,20} 2, {0,10,20} 1.
    EXPECT_EQ(max_prefix_ranges({0, 20, 10}, 10), 2u);
    EXPECT_EQ(max_prefix_ranges({0, 10, 20}, 10), 1u);
    EXPECT_EQ(max_prefix_ranges({40, 0, 20, 10, 30}, 10), 3u);
    EXPECT_EQ(max_prefix_ranges({5}, 10), 1u);
    EXPECT_EQ(max_prefix_ranges({5, 5, 5}, 10), 1u);
}

struct BuildRun {
    Value value;
    std::size_t peak_bytes;
    double seconds;
};

BuildRun run_builder(const Header& header, const std::vector<Instant>& heartbeats) {
    auto t0 = std::chrono::steady_clock::now();
    BuildRun run;
    {
        HeapPeak peak;
        hb::Builder b(header);
        for (Instant h : heartbeats)
            b.add_heartbeat(h);
        std::size_t n = b.result_count();
        run.peak_bytes = peak.bytes();
        run.value.ranges.resize(n);
        run.value.header = b.result(run.value.ranges.data());
    }
    run.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    return run;
}

const Header kBigWindow{0, 1'000'000'000'000, 0, 1000};

// In-order input extends the last range in place: nothing but the ranges is kept.
TEST(HeartbeatMemory, SortedTwoMillionHeartbeatsStayTiny) {
    Rng rng = case_rng(41, 0);
    std::vector<Instant> beats = clustered_heartbeats(rng, kBigWindow.interval_len, 10, 2'000'000);
    BuildRun run = run_builder(kBigWindow, beats);
    EXPECT_EQ(run.value, sweep(kBigWindow, beats));
    EXPECT_LT(run.peak_bytes, std::size_t{4} << 10) << "peak heap " << run.peak_bytes;
}

// Late rows (each at most a few hundred places out of order): the bounded buffer absorbs them.
TEST(HeartbeatMemory, JitteredTwoMillionHeartbeats) {
    Rng rng = case_rng(42, 0);
    std::vector<Instant> beats = clustered_heartbeats(rng, kBigWindow.interval_len, 100, 2'000'000);
    for (std::size_t k = 0; k < beats.size(); k += 300) {
        std::shuffle(beats.begin() + k, beats.begin() + std::min(beats.size(), k + 300), rng);
    }
    BuildRun run = run_builder(kBigWindow, beats);
    EXPECT_EQ(run.value, sweep(kBigWindow, beats));
    EXPECT_EQ(run.value.ranges.size(), 100u);
    // Storing every heartbeat would take 32 MB; the buffer holds 4096 ranges (64 KB).
    EXPECT_LT(run.peak_bytes, std::size_t{512} << 10) << "peak heap " << run.peak_bytes;
}

// Random order over few distinct instants: memory follows the ranges, not the 2 million rows.
TEST(HeartbeatMemory, ShuffledTwoMillionHeartbeatsOverFewInstants) {
    Rng rng = case_rng(43, 0);
    std::vector<Instant> distinct = clustered_heartbeats(rng, kBigWindow.interval_len, 50, 20'000);
    std::vector<Instant> beats(2'000'000);
    for (Instant& h : beats)
        h = distinct[uniform(rng, 0, distinct.size() - 1)];
    BuildRun run = run_builder(kBigWindow, beats);
    EXPECT_EQ(run.value, sweep(kBigWindow, beats));
    std::size_t prefix = max_prefix_ranges(beats, kBigWindow.interval_len);
    EXPECT_LT(run.peak_bytes, std::size_t{1} << 20)
        << "peak heap " << run.peak_bytes << ", max ranges of a prefix " << prefix;
    EXPECT_LT(run.seconds, 10.0);
}

// Fully shuffled distinct heartbeats: any exact aggregate must hold every range of the rows
// seen so far, so the bound is relative to the largest prefix's range count (measured: about
// 5.3 times its size in bytes, from vector growth and the merge copy during a flush).
void check_shuffled(std::uint64_t salt, std::size_t ranges_wanted) {
    Rng rng = case_rng(salt, 0);
    std::vector<Instant> beats =
        clustered_heartbeats(rng, kBigWindow.interval_len, ranges_wanted, 2'000'000);
    std::shuffle(beats.begin(), beats.end(), rng);
    BuildRun run = run_builder(kBigWindow, beats);
    EXPECT_EQ(run.value, sweep(kBigWindow, beats));
    EXPECT_EQ(run.value.ranges.size(), ranges_wanted);
    EXPECT_TRUE(IsValid(run.value));
    std::size_t prefix = max_prefix_ranges(beats, kBigWindow.interval_len);
    std::size_t bound = 8 * std::max<std::size_t>(prefix, 4096) * sizeof(Range);
    EXPECT_LT(run.peak_bytes, bound)
        << "peak heap " << run.peak_bytes << ", max ranges of a prefix " << prefix;
    EXPECT_LT(run.seconds, 10.0);
}

TEST(HeartbeatMemory, ShuffledTwoMillionHeartbeatsFewRanges) {
    check_shuffled(44, 100);
}

TEST(HeartbeatMemory, ShuffledTwoMillionHeartbeatsManyRanges) {
    check_shuffled(45, 200'000);
}

// Parallel workers on a large shuffled input: partial states merged, through serialization.
TEST(HeartbeatMemory, LargeShuffledInputMergedFromWorkers) {
    Rng rng = case_rng(46, 0);
    const Instant L = 50;
    std::vector<Instant> beats = clustered_heartbeats(rng, L, 5'000, 1'000'000);
    std::shuffle(beats.begin(), beats.end(), rng);
    Header header{0, 1'000'000'000'000, 0, L};
    std::vector<hb::Builder> workers(4, hb::Builder(header));
    for (std::size_t k = 0; k < beats.size(); ++k)
        workers[k % 4].add_heartbeat(beats[k]);
    hb::Builder left(header);
    for (hb::Builder& w : workers) {
        std::vector<unsigned char> bytes(w.serialized_size());
        w.serialize(bytes.data());
        left.merge(hb::Builder::deserialize(bytes.data(), bytes.size()));
    }
    EXPECT_EQ(finish(left), sweep(header, beats));
}

}  // namespace
}  // namespace hbtest
