// Shared helpers of the heartbeat core's unit tests: an owning value type, the brute-force
// bitmap model, random generators and small checking helpers.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <functional>
#include <ostream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "error.hpp"
#include "heartbeat.hpp"

namespace opsagg::heartbeat {

// gtest printers (found by ADL) so failures show the ranges.
inline void PrintTo(const Range& r, std::ostream* os) {
    *os << "[" << r.start << "," << r.end << ")";
}

}  // namespace opsagg::heartbeat

namespace hbtest {

namespace hb = opsagg::heartbeat;
using hb::Header;
using hb::Instant;
using hb::Range;
using hb::View;

// Fixed seed of every randomized test: a failing case prints it with its case number, and
// the case's generator is seeded from both, so a single case can be replayed.
constexpr std::uint64_t kSeed = 20240611;

using Rng = std::mt19937_64;

inline Rng case_rng(std::uint64_t test_salt, int case_index) {
    std::seed_seq seq{kSeed, test_salt, static_cast<std::uint64_t>(case_index)};
    return Rng(seq);
}

inline std::string case_label(const char* test, int case_index) {
    std::ostringstream os;
    os << test << ": seed=" << kSeed << " case=" << case_index;
    return os.str();
}

inline Instant uniform(Rng& rng, Instant lo, Instant hi) {  // inclusive bounds
    return std::uniform_int_distribution<Instant>(lo, hi)(rng);
}

inline bool coin(Rng& rng, double p = 0.5) {
    return std::bernoulli_distribution(p)(rng);
}

// ---- an owning value -------------------------------------------------------------------

struct Value {
    Header header;
    std::vector<Range> ranges;

    View view() const { return View{header, ranges.data(), ranges.size()}; }
};

inline bool operator==(const Value& a, const Value& b) {
    return hb::equal(a.view(), b.view());
}
inline bool operator!=(const Value& a, const Value& b) {
    return !(a == b);
}

inline std::ostream& operator<<(std::ostream& os, const Value& v) {
    os << "{start_time=" << v.header.start_time << " end_time=" << v.header.end_time
       << " last_seen=" << v.header.last_seen << " interval_len=" << v.header.interval_len
       << " ranges=";
    for (const Range& r : v.ranges)
        os << "[" << r.start << "," << r.end << ")";
    return os << "}";
}

inline void PrintTo(const Value& v, std::ostream* os) {
    *os << v;
}

// The finished value of a builder, the way the glue gets it.
inline Value finish(hb::Builder& builder) {
    std::size_t n = builder.result_count();
    Value v;
    v.ranges.resize(n);
    v.header = builder.result(v.ranges.data());
    return v;
}

inline Value build(const Header& header, const std::vector<Instant>& heartbeats) {
    hb::Builder builder(header);
    for (Instant h : heartbeats)
        builder.add_heartbeat(h);
    return finish(builder);
}

// interpolate and trim_to the way the glue calls them.
inline Value interpolated(const Value& agg, const Value& pred) {
    Value out;
    out.ranges.resize(hb::interpolate_capacity(agg.view()));
    std::size_t n = 0;
    out.header = hb::interpolate(agg.view(), pred.view(), out.ranges.data(), &n);
    EXPECT_LE(n, out.ranges.size());
    out.ranges.resize(n);
    return out;
}

inline Value trimmed(const Value& v, Instant from, Instant to) {
    Value out;
    out.ranges.resize(hb::trim_to_capacity(v.view()));
    std::size_t n = 0;
    out.header = hb::trim_to(v.view(), from, to, out.ranges.data(), &n);
    EXPECT_LE(n, out.ranges.size());
    out.ranges.resize(n);
    return out;
}

// validate() as a gtest predicate.
inline ::testing::AssertionResult IsValid(const Value& v) {
    try {
        hb::validate(v.view());
        return ::testing::AssertionSuccess();
    } catch (const opsagg::Error& e) {
        return ::testing::AssertionFailure() << e.what() << " in " << v;
    }
}

// Runs `f` and checks it throws opsagg::Error of `kind`.
inline ::testing::AssertionResult ThrowsKind(const std::function<void()>& f,
                                             opsagg::ErrorKind kind) {
    try {
        f();
    } catch (const opsagg::Error& e) {
        if (e.kind() == kind)
            return ::testing::AssertionSuccess() << e.what();
        return ::testing::AssertionFailure()
               << "opsagg::Error of kind " << static_cast<int>(e.kind()) << " instead of "
               << static_cast<int>(kind) << ": " << e.what();
    } catch (const std::exception& e) {
        return ::testing::AssertionFailure() << "unexpected exception: " << e.what();
    }
    return ::testing::AssertionFailure() << "no exception";
}

// ---- the brute-force model --------------------------------------------------------------

// Liveness of every instant of [start, start + live.size()).
struct Model {
    Instant start = 0;
    std::vector<bool> live;

    Instant end() const { return start + static_cast<Instant>(live.size()); }
    bool at(Instant t) const { return t >= start && t < end() && live[t - start]; }

    // Makes [from, to) live (clipped to the model's span).
    void set_live(Instant from, Instant to) {
        for (Instant t = std::max(from, start); t < std::min(to, end()); ++t)
            live[t - start] = true;
    }

    // Maximal runs of instants whose liveness is `state`.
    std::vector<Range> runs(bool state) const {
        std::vector<Range> out;
        for (std::size_t i = 0; i < live.size();) {
            if (live[i] != state) {
                ++i;
                continue;
            }
            std::size_t j = i;
            while (j < live.size() && live[j] == state)
                ++j;
            out.push_back({start + static_cast<Instant>(i), start + static_cast<Instant>(j)});
            i = j;
        }
        return out;
    }
    std::vector<Range> live_ranges() const { return runs(true); }
    std::vector<Range> dead_ranges() const { return runs(false); }
    Instant uptime() const {
        return static_cast<Instant>(std::count(live.begin(), live.end(), true));
    }
};

inline Model empty_model(Instant start, Instant end) {
    Model m;
    m.start = start;
    m.live.assign(static_cast<std::size_t>(end - start), false);
    return m;
}

// Instant t in [start, end) is live iff some heartbeat h has h <= t < h + L.
inline Model heartbeat_model(Instant start, Instant end, Instant L,
                             const std::vector<Instant>& heartbeats) {
    Model m = empty_model(start, end);
    for (Instant h : heartbeats)
        m.set_live(h, h + L);
    return m;
}

// Model of an existing value (its ranges drawn into a bitmap of its coverage).
inline Model value_model(const Value& v) {
    Model m = empty_model(v.header.start_time, v.header.end_time);
    for (const Range& r : v.ranges)
        m.set_live(r.start, r.end);
    return m;
}

// ---- random generators ------------------------------------------------------------------

struct Window {
    Instant start;
    Instant end;
    Instant L;
};

// A random origin: zero, an arbitrary instant, or one near either end of PostgreSQL's range.
inline Instant random_origin(Rng& rng, Instant span) {
    switch (uniform(rng, 0, 5)) {
        case 0:
            return 0;
        case 1:
            return hb::kMinInstant + uniform(rng, 0, 3);
        case 2:
            return hb::kEndInstant - span - 1 - uniform(rng, 0, 3);
        case 3:
            return uniform(rng, -1000, 1000);
        default:
            return uniform(rng, -1'000'000'000'000'000LL, 1'000'000'000'000'000LL);
    }
}

// Window of W instants (W in [50, 400]) with a liveness 1 <= L <= 40, L < W.
inline Window random_window(Rng& rng, Instant min_w = 50, Instant max_w = 400) {
    Instant w = uniform(rng, min_w, max_w);
    Instant L = uniform(rng, 1, std::min<Instant>(40, w - 1));
    Instant start = random_origin(rng, w);
    return {start, start + w, L};
}

// Random heartbeats in [start, end): sparse, dense, or runs spaced exactly L, L + 1 or L - 1
// apart, with duplicates; always at least one.
inline std::vector<Instant> random_heartbeats(Rng& rng, Instant start, Instant end, Instant L) {
    Instant w = end - start;
    std::vector<Instant> out;
    int mode = static_cast<int>(uniform(rng, 0, 3));
    if (mode == 0) {  // sparse
        Instant n = uniform(rng, 1, std::max<Instant>(1, w / std::max<Instant>(L, 1) + 1));
        for (Instant i = 0; i < n; ++i)
            out.push_back(uniform(rng, start, end - 1));
    } else if (mode == 1) {  // dense
        Instant n = uniform(rng, 1, w);
        for (Instant i = 0; i < n; ++i)
            out.push_back(uniform(rng, start, end - 1));
    } else {  // runs with boundary spacings
        Instant runs = uniform(rng, 1, 5);
        for (Instant r = 0; r < runs; ++r) {
            Instant t = uniform(rng, start, end - 1);
            Instant len = uniform(rng, 1, 8);
            for (Instant i = 0; i < len && t < end; ++i) {
                out.push_back(t);
                t += mode == 2 ? L + uniform(rng, -1, 1) : L + uniform(rng, 0, 2);
                if (t < start)
                    break;
            }
        }
    }
    if (coin(rng, 0.2))
        out.push_back(start);
    if (coin(rng, 0.2))
        out.push_back(end - 1);
    Instant dups = uniform(rng, 0, static_cast<Instant>(out.size()));
    for (Instant i = 0; i < dups; ++i)
        out.push_back(out[uniform(rng, 0, out.size() - 1)]);
    std::shuffle(out.begin(), out.end(), rng);
    return out;
}

inline Instant max_of(const std::vector<Instant>& v) {
    return *std::max_element(v.begin(), v.end());
}

// A random valid value over window `w` that no builder made: arbitrary ranges (possibly
// none) and a last_seen consistent with them.
inline Value random_value_in(Rng& rng, const Window& w) {
    Value v;
    v.header = {w.start, w.end, 0, w.L};
    Instant cursor = w.start + (coin(rng) ? 0 : uniform(rng, 0, 10));
    Instant n = uniform(rng, 0, 12);
    for (Instant i = 0; i < n && cursor < w.end; ++i) {
        Instant s = cursor;
        Instant e = std::min(w.end, s + uniform(rng, 1, 40));
        v.ranges.push_back({s, e});
        cursor = e + uniform(rng, 1, 30);
    }
    if (!v.ranges.empty() && coin(rng, 0.3))
        v.ranges.back().end = w.end;
    bool live_at_end = !v.ranges.empty() && v.ranges.back().end == w.end;
    if (live_at_end && coin(rng)) {
        v.header.last_seen = w.end - w.L + uniform(rng, 1, w.L);  // liveness reaches past the end
    } else {
        // Never below kMinInstant - L: no value the code makes has an earlier one.
        v.header.last_seen =
            std::max(w.end - w.L - uniform(rng, 0, 100), hb::saturating_sub(hb::kMinInstant, w.L));
    }
    return v;
}

inline Value random_value(Rng& rng, Instant min_w = 50, Instant max_w = 400) {
    return random_value_in(rng, random_window(rng, min_w, max_w));
}

}  // namespace hbtest
