// latency_sketch core: the relative-error guarantee against the exact nearest-rank percentile,
// exact merging in any grouping and order, folding beyond the bucket limit (sized to the accuracy),
// the exact nanosecond sum, the varint codec of the stored counts, the text form and the argument
// checks.
//
// The randomized tests draw from std::mt19937_64 with fixed seeds; every case puts its seed
// (and what it drew) in a SCOPED_TRACE, so a failure reproduces exactly.
#include <gtest/gtest.h>

#include <boost/multiprecision/cpp_int.hpp>

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <functional>
#include <iterator>
#include <limits>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "error.hpp"
#include "sketch.hpp"

namespace sktest {
namespace {

namespace sk = opsagg::sketch;
using opsagg::Error;
using opsagg::ErrorKind;
using Rng = std::mt19937_64;

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr std::uint64_t kMaxU64 = std::numeric_limits<std::uint64_t>::max();
// Floating slack on the relative-error bound.
constexpr double kSlack = 1e-12;

// ---- helpers ------------------------------------------------------------------

const char* kind_name(ErrorKind kind) {
    switch (kind) {
        case ErrorKind::InvalidParameter:
            return "InvalidParameter";
        case ErrorKind::OutOfRange:
            return "OutOfRange";
        case ErrorKind::InvalidRepresentation:
            return "InvalidRepresentation";
        case ErrorKind::ProgramLimitExceeded:
            return "ProgramLimitExceeded";
        case ErrorKind::Internal:
            return "Internal";
    }
    return "?";
}

::testing::AssertionResult ThrowsKind(const std::function<void()>& f, ErrorKind kind) {
    try {
        f();
    } catch (const Error& e) {
        if (e.kind() == kind)
            return ::testing::AssertionSuccess() << e.what();
        return ::testing::AssertionFailure()
               << "opsagg::Error of kind " << kind_name(e.kind()) << " instead of "
               << kind_name(kind) << ": " << e.what();
    } catch (const std::exception& e) {
        return ::testing::AssertionFailure() << "unexpected exception: " << e.what();
    }
    return ::testing::AssertionFailure() << "no exception (expected " << kind_name(kind) << ")";
}

// Shortest round-trip text of a double.
std::string num(double v) {
    char buf[40];
    auto r = std::to_chars(buf, buf + sizeof buf, v);
    return std::string(buf, r.ptr);
}

std::string i128(sk::Int128 v) {
    if (v == 0)
        return "0";
    bool negative = v < 0;
    unsigned __int128 u = negative ? -static_cast<unsigned __int128>(v) : v;
    std::string out;
    while (u != 0) {
        out.insert(out.begin(), static_cast<char>('0' + static_cast<int>(u % 10)));
        u /= 10;
    }
    return negative ? "-" + out : out;
}

double log_gamma(double accuracy) {
    return std::log1p(2 * accuracy / (1 - accuracy));
}

// A sketch with its own copy of the counts (a Builder's view dies with the next change).
struct Owned {
    sk::Summary summary;
    std::vector<std::uint64_t> counts;
    sk::View view() const { return sk::View{summary, counts.data(), counts.size()}; }
};

Owned own(const sk::View& v) {
    return Owned{v.summary, std::vector<std::uint64_t>(v.counts, v.counts + v.bucket_count)};
}

sk::Builder build(double accuracy, const std::vector<double>& values) {
    sk::Builder b(accuracy);
    for (double v : values)
        b.add(v);
    return b;
}

std::string text_of(const sk::View& v) {
    std::size_t capacity = sk::text_capacity(v);
    std::string out(capacity, '\x7f');
    std::size_t n = sk::format_text(v, out.data());
    EXPECT_LT(n, capacity) << "text_capacity leaves no room for the NUL";
    EXPECT_EQ(out[n], '\0');
    out.resize(n);
    return out;
}

// Parses the way latency_sketch_in does: scan_text to count, then parse_text with storage.
Owned parse(const std::string& text) {
    sk::ParsedText scanned = sk::scan_text(text.c_str());
    std::vector<std::uint64_t> storage(std::max<std::size_t>(scanned.bucket_count, 1));
    sk::ParsedText parsed = sk::parse_text(text.c_str(), storage.data());
    EXPECT_EQ(parsed.bucket_count, scanned.bucket_count);
    storage.resize(parsed.bucket_count);
    return Owned{parsed.summary, storage};
}

// The first difference of two texts, with some context.
std::string first_difference(const std::string& a, const std::string& b) {
    std::size_t i = 0;
    while (i < a.size() && i < b.size() && a[i] == b[i])
        ++i;
    std::size_t from = i < 60 ? 0 : i - 60;
    return "at offset " + std::to_string(i) + ":\n    " + a.substr(from, 140) + "\n    " +
           b.substr(from, 140);
}

::testing::AssertionResult SameSketch(const sk::View& got, const sk::View& expected) {
    if (sk::equal(got, expected))
        return ::testing::AssertionSuccess();
    return ::testing::AssertionFailure() << "sketches differ; texts (got, expected) "
                                         << first_difference(text_of(got), text_of(expected));
}

// ---- data ---------------------------------------------------------------------------

enum class Dist { Uniform, LogNormal, Bimodal, Constant, Pareto, WithZeros, Magnitudes };
constexpr Dist kDists[] = {Dist::Uniform, Dist::LogNormal, Dist::Bimodal,   Dist::Constant,
                           Dist::Pareto,  Dist::WithZeros, Dist::Magnitudes};

const char* dist_name(Dist d) {
    switch (d) {
        case Dist::Uniform:
            return "uniform[0,1000)";
        case Dist::LogNormal:
            return "lognormal(3,1.5)";
        case Dist::Bimodal:
            return "bimodal(5,800)";
        case Dist::Constant:
            return "constant 42.125";
        case Dist::Pareto:
            return "pareto(1,1.1)";
        case Dist::WithZeros:
            return "40% zeros + lognormal";
        case Dist::Magnitudes:
            return "log-uniform[1e-6,1e9]";
    }
    return "?";
}

double log_uniform(Rng& rng, double lo, double hi) {
    double v = std::exp(std::uniform_real_distribution<double>(std::log(lo), std::log(hi))(rng));
    return std::clamp(v, lo, hi);
}

double draw_one(Dist d, Rng& rng) {
    switch (d) {
        case Dist::Uniform:
            return std::uniform_real_distribution<double>(0, 1000)(rng);
        case Dist::LogNormal:
            return std::min(std::lognormal_distribution<double>(3, 1.5)(rng), 1e9);
        case Dist::Bimodal:
            return std::bernoulli_distribution(0.7)(rng)
                       ? std::lognormal_distribution<double>(std::log(5.0), 0.2)(rng)
                       : std::lognormal_distribution<double>(std::log(800.0), 0.3)(rng);
        case Dist::Constant:
            return 42.125;
        case Dist::Pareto:
            for (;;) {
                // x_m = 1, alpha = 1.1: infinite variance; redraw the rare values above 1e9.
                double u = 1 - std::uniform_real_distribution<double>(0, 1)(rng);  // (0, 1]
                double v = std::pow(u, -1 / 1.1);
                if (v <= 1e9)
                    return v;
            }
        case Dist::WithZeros:
            return std::bernoulli_distribution(0.4)(rng)
                       ? 0.0
                       : std::lognormal_distribution<double>(1, 2)(rng);
        case Dist::Magnitudes:
            return log_uniform(rng, 1e-6, 1e9);
    }
    return 0;
}

std::vector<double> draw(Dist d, Rng& rng, std::size_t n) {
    std::vector<double> values(n);
    for (double& v : values)
        v = draw_one(d, rng);
    if (d == Dist::Magnitudes && n >= 2) {
        values[0] = 1e-6;
        values[1] = 1e9;
        std::shuffle(values.begin(), values.end(), rng);
    }
    return values;
}

// How many buckets the positive values span (0 if there are none).
double span_buckets(const std::vector<double>& values, double accuracy) {
    double lo = kInf, hi = 0;
    for (double v : values) {
        if (v > 0) {
            lo = std::min(lo, v);
            hi = std::max(hi, v);
        }
    }
    return hi > 0 ? std::log(hi / lo) / log_gamma(accuracy) : 0;
}

// Whether folding may have acted (the span is near or above the bucket limit).
bool may_fold(const std::vector<double>& values, double accuracy) {
    return span_buckets(values, accuracy) + 3 >= sk::max_buckets(accuracy);
}

// ---- the guarantee ----------------------------------------------------------------

// percentile_disc's row number: ceil(q * n) in double arithmetic, at least 1 (as
// PostgreSQL's percentile_disc_final computes it), at most n.
std::size_t nearest_rank(double q, std::size_t n) {
    double wanted = std::ceil(q * static_cast<double>(n));
    if (wanted < 1)
        return 1;
    if (wanted > static_cast<double>(n))
        return n;
    return static_cast<std::size_t>(wanted);
}

// q = 0, 0.001, ..., 1, the usual named ones, and the edges of ranks r/n with their
// neighbouring doubles (all ranks when n is small, some random ones otherwise).
std::vector<double> quantile_grid(std::size_t n, Rng& rng) {
    std::vector<double> qs;
    for (int k = 0; k <= 1000; ++k)
        qs.push_back(k / 1000.0);
    for (double q : {0.5, 0.9, 0.99, 0.999, 0.9999, 1e-9, 0.0001})
        qs.push_back(q);
    auto edge = [&](std::size_t r) {
        double q = static_cast<double>(r) / static_cast<double>(n);
        qs.push_back(q);
        qs.push_back(std::nextafter(q, 0.0));
        if (q < 1)
            qs.push_back(std::nextafter(q, 1.0));
    };
    if (n <= 64) {
        for (std::size_t r = 1; r <= n; ++r)
            edge(r);
    } else {
        std::uniform_int_distribution<std::size_t> rank(1, n);
        for (int i = 0; i < 40; ++i)
            edge(rank(rng));
        edge(1);
        edge(n - 1);
    }
    return qs;
}

struct Coverage {
    std::size_t strict = 0;  // checked against the accuracy (or exactly)
    std::size_t folded = 0;  // rank within possibly folded values: checked to read high
};

// quantile(sketch, q) for every q against the exact nearest-rank value of `values`. Rank 1
// and rank n must give the exact min and max, a rank holding a zero exactly 0, any other rank
// a value within `accuracy` of the exact one -- unless folding may have moved the value of
// that rank (the value lies at or below the bucket under the lowest kept one), in which case
// the estimate must read high but no higher than max.
Coverage check_guarantee(const sk::View& sketch, std::vector<double> values, double accuracy,
                         const std::vector<double>& qs, bool folding_possible) {
    std::sort(values.begin(), values.end());
    const std::size_t n = values.size();
    Coverage coverage;
    EXPECT_EQ(sketch.summary.count, n);
    if (n == 0)
        return coverage;
    double folded_up_to = 0;
    if (folding_possible && sketch.bucket_count > 0) {
        folded_up_to = std::exp((sketch.summary.offset - 1) * log_gamma(accuracy)) * (1 + 1e-9);
    }
    int failures = 0;
    for (double q : qs) {
        std::size_t rank = nearest_rank(q, n);
        double exact = values[rank - 1];
        double est = sk::quantile(sketch, q);
        const char* why = nullptr;
        if (!(est >= values.front() && est <= values.back())) {
            why = "an estimate must lie within [min, max]";
        } else if (rank == 1 && est != values.front()) {
            why = "rank 1 must give the exact min";
        } else if (rank == n && est != values.back()) {
            why = "rank n must give the exact max";
        } else if (exact == 0) {
            ++coverage.strict;
            if (est != 0)
                why = "a rank holding a zero must give 0";
        } else if (exact > folded_up_to) {
            ++coverage.strict;
            if (!(std::fabs(est - exact) <= (accuracy + kSlack) * exact))
                why = "relative error above the accuracy";
        } else {
            ++coverage.folded;
            if (!(est >= exact * (1 - kSlack) && est <= values.back()))
                why = "a folded rank must read high, at most max";
        }
        if (why != nullptr && failures++ < 5) {
            ADD_FAILURE() << why << ": accuracy=" << num(accuracy) << " q=" << num(q)
                          << " rank=" << rank << "/" << n << " exact=" << num(exact)
                          << " got=" << num(est)
                          << " relative error=" << num(std::fabs(est - exact) / exact);
        }
    }
    if (failures > 5)
        ADD_FAILURE() << failures << " failures in all";
    return coverage;
}

constexpr double kAccuracies[] = {0.01, 0.001, 0.05};

TEST(SketchGuarantee, WithinAccuracyOfExactNearestRank) {
    for (double accuracy : kAccuracies) {
        for (Dist d : kDists) {
            for (std::uint64_t seed : {11u, 12u, 13u}) {
                SCOPED_TRACE(std::string("accuracy=") + num(accuracy) + " dist=" + dist_name(d) +
                             " seed=" + std::to_string(seed));
                Rng rng(seed * 1000 + static_cast<std::uint64_t>(d));
                std::size_t n = seed == 11 ? 3000 : seed == 12 ? 257 : 20;
                std::vector<double> values = draw(d, rng, n);
                sk::Builder b = build(accuracy, values);
                bool folding = may_fold(values, accuracy);
                Coverage c =
                    check_guarantee(b.view(), values, accuracy, quantile_grid(n, rng), folding);
                EXPECT_GT(c.strict, 0u);
                if (!folding) {
                    EXPECT_EQ(c.folded, 0u);
                }
                if (span_buckets(values, accuracy) - 3 >= sk::max_buckets(accuracy)) {
                    // Folding keeps as many buckets as it may, the last one holding max.
                    sk::View v = b.view();
                    EXPECT_EQ(v.bucket_count, static_cast<std::size_t>(sk::max_buckets(accuracy)));
                    double top = sk::bucket_value(
                        v.summary.offset + static_cast<std::int32_t>(v.bucket_count) - 1, accuracy);
                    EXPECT_LE(std::fabs(top - v.summary.max), (accuracy + kSlack) * v.summary.max);
                }
            }
        }
    }
}

TEST(SketchGuarantee, TinyInputs) {
    for (double accuracy : kAccuracies) {
        for (std::size_t n = 1; n <= 3; ++n) {
            for (int c = 0; c < 150; ++c) {
                std::uint64_t seed = 7000 + n * 1000 + static_cast<std::uint64_t>(c);
                Rng rng(seed);
                std::vector<double> values;
                for (std::size_t i = 0; i < n; ++i) {
                    int pick = std::uniform_int_distribution<int>(0, 5)(rng);
                    if (pick == 0)
                        values.push_back(0);
                    else if (pick == 1 && !values.empty())
                        values.push_back(values.back());  // a duplicate
                    else if (pick == 2)
                        values.push_back(log_uniform(rng, 1e-6, 1e9));
                    else if (pick == 3)
                        values.push_back(std::array<double, 4>{1e-6, 1e9, 1, 1e12}[c % 4]);
                    else
                        values.push_back(std::lognormal_distribution<double>(3, 1)(rng));
                }
                std::string shown;
                for (double v : values)
                    shown += " " + num(v);
                SCOPED_TRACE("accuracy=" + num(accuracy) + " seed=" + std::to_string(seed) +
                             " values:" + shown);
                sk::Builder b = build(accuracy, values);
                bool folding = may_fold(values, accuracy);
                Coverage cov =
                    check_guarantee(b.view(), values, accuracy, quantile_grid(n, rng), folding);
                if (!folding) {
                    EXPECT_EQ(cov.folded, 0u);
                }
            }
        }
    }
}

TEST(SketchGuarantee, ZerosAndSingleValues) {
    // Only zeros: every quantile is 0, there are no buckets.
    sk::Builder zeros = build(0.01, {0, 0, 0, 0});
    EXPECT_EQ(zeros.view().bucket_count, 0u);
    EXPECT_EQ(zeros.view().summary.zero_count, 4u);
    for (double q : {0.0, 0.3, 0.5, 1.0})
        EXPECT_EQ(sk::quantile(zeros.view(), q), 0.0) << "q=" << q;

    // One value: every quantile is that value exactly.
    for (double v : {1e-6, 0.5, 1.0, 42.0, 1e9, 1e12}) {
        sk::Builder one = build(0.01, {v});
        for (double q : {0.0, 0.25, 0.5, 1.0})
            EXPECT_EQ(sk::quantile(one.view(), q), v) << "v=" << v << " q=" << q;
    }

    // Zeros below positive values: the ranks holding zeros give exactly 0.
    std::vector<double> values = {0, 0, 0, 5, 6, 7, 8, 9, 10, 11};
    sk::Builder mixed = build(0.01, values);
    EXPECT_EQ(sk::quantile(mixed.view(), 0.3), 0.0);
    EXPECT_EQ(sk::quantile(mixed.view(), 0.2), 0.0);
    EXPECT_NEAR(sk::quantile(mixed.view(), 0.31), 5.0, 0.05);
    Rng rng(5);
    check_guarantee(mixed.view(), values, 0.01, quantile_grid(values.size(), rng), false);
}

// ---- merging ----------------------------------------------------------------------

// Splits `values` into `parts` random groups, each in random order.
std::vector<std::vector<double>> random_split(const std::vector<double>& values, std::size_t parts,
                                              Rng& rng) {
    std::vector<std::vector<double>> out(parts);
    std::uniform_int_distribution<std::size_t> pick(0, parts - 1);
    for (double v : values)
        out[pick(rng)].push_back(v);
    for (auto& part : out)
        std::shuffle(part.begin(), part.end(), rng);
    return out;
}

// Merges the parts' sketches in one of several ways; returns the combined sketch.
Owned merge_parts(const std::vector<std::vector<double>>& parts, double accuracy, int how,
                  Rng& rng) {
    std::vector<sk::Builder> builders;
    for (const auto& part : parts)
        builders.push_back(build(accuracy, part));
    std::vector<std::size_t> order(builders.size());
    for (std::size_t i = 0; i < order.size(); ++i)
        order[i] = i;
    std::shuffle(order.begin(), order.end(), rng);
    switch (how) {
        case 0: {  // builders into a fresh builder, in random order
            sk::Builder all(accuracy);
            for (std::size_t i : order)
                all.merge(builders[i]);
            return own(all.view());
        }
        case 1: {  // copied views into a fresh builder, in random order
            std::vector<Owned> views;
            for (std::size_t i : order)
                views.push_back(own(builders[i].view()));
            sk::Builder all(accuracy);
            for (const Owned& v : views)
                all.merge(v.view());
            return own(all.view());
        }
        case 2: {  // into the first part's own builder, in place
            sk::Builder& all = builders[order[0]];
            for (std::size_t k = 1; k < order.size(); ++k)
                all.merge(builders[order[k]].view());
            return own(all.view());
        }
        default: {  // nested: merge two random partial results until one is left
            std::vector<Owned> pool;
            for (std::size_t i : order)
                pool.push_back(own(builders[i].view()));
            while (pool.size() > 1) {
                std::uniform_int_distribution<std::size_t> pick(0, pool.size() - 1);
                std::size_t a = pick(rng);
                std::size_t b = pick(rng);
                while (b == a)
                    b = pick(rng);
                sk::Builder m(accuracy);
                if (rng() % 2 == 0) {
                    m.merge(pool[a].view());
                    m.merge(pool[b].view());
                } else {
                    // A builder merged into a builder.
                    sk::Builder other(accuracy);
                    other.merge(pool[a].view());
                    m.merge(pool[b].view());
                    m.merge(other);
                }
                Owned merged = own(m.view());
                pool.erase(pool.begin() + static_cast<std::ptrdiff_t>(std::max(a, b)));
                pool.erase(pool.begin() + static_cast<std::ptrdiff_t>(std::min(a, b)));
                pool.push_back(std::move(merged));
            }
            return pool[0];
        }
    }
}

const char* const kHow[] = {"builders", "views", "in place", "nested"};

TEST(SketchMerge, RandomSplitsEqualOneBuilder) {
    for (int c = 0; c < 200; ++c) {
        std::uint64_t seed = 20000 + static_cast<std::uint64_t>(c);
        Rng rng(seed);
        double accuracy = std::array<double, 4>{0.01, 0.001, 0.05, 0.0001}[c % 4];
        Dist d = kDists[rng() % std::size(kDists)];
        std::size_t n = rng() % 2500;
        std::size_t parts = 2 + rng() % 9;
        int how = static_cast<int>(rng() % 4);
        SCOPED_TRACE("seed=" + std::to_string(seed) + " accuracy=" + num(accuracy) +
                     " dist=" + dist_name(d) + " n=" + std::to_string(n) +
                     " parts=" + std::to_string(parts) + " merge=" + kHow[how]);
        std::vector<double> values = draw(d, rng, n);
        std::shuffle(values.begin(), values.end(), rng);
        sk::Builder single = build(accuracy, values);
        Owned merged = merge_parts(random_split(values, parts, rng), accuracy, how, rng);
        ASSERT_TRUE(SameSketch(merged.view(), single.view()));
        EXPECT_EQ(text_of(merged.view()), text_of(single.view()));
    }
}

TEST(SketchMerge, InsertionOrderDoesNotMatter) {
    for (double accuracy : {0.01, 0.001, 0.0001}) {
        for (Dist d : kDists) {
            SCOPED_TRACE("accuracy=" + num(accuracy) + " dist=" + dist_name(d));
            Rng rng(31 + static_cast<std::uint64_t>(d));
            std::vector<double> values = draw(d, rng, 1500);
            sk::Builder shuffled = build(accuracy, values);
            std::sort(values.begin(), values.end());
            sk::Builder ascending = build(accuracy, values);
            std::reverse(values.begin(), values.end());
            sk::Builder descending = build(accuracy, values);
            EXPECT_TRUE(SameSketch(ascending.view(), shuffled.view()));
            EXPECT_TRUE(SameSketch(descending.view(), shuffled.view()));
        }
    }
}

TEST(SketchMerge, EmptyAndAllZeroPartsAndRejectsOtherAccuracy) {
    std::vector<double> values = {0, 3, 0, 4.5, 1e9, 2e-6};
    sk::Builder single = build(0.01, values);

    sk::Builder merged(0.01);
    sk::Builder empty(0.01);
    merged.merge(empty);
    EXPECT_TRUE(merged.empty());
    merged.merge(build(0.01, {0, 0}));  // zeros only: no buckets
    merged.merge(empty);
    merged.merge(build(0.01, {3, 4.5}));
    merged.merge(build(0.01, {1e9, 2e-6}));
    merged.merge(empty);
    EXPECT_TRUE(SameSketch(merged.view(), single.view()));

    // A different accuracy is refused and leaves the target as it was.
    Owned before = own(merged.view());
    EXPECT_TRUE(ThrowsKind([&] { merged.merge(build(0.02, {7})); }, ErrorKind::InvalidParameter));
    EXPECT_TRUE(ThrowsKind([&] { merged.merge(sk::Builder(0.011)); }, ErrorKind::InvalidParameter));
    EXPECT_TRUE(SameSketch(merged.view(), before.view()));
}

TEST(SketchMerge, ExactWithFolding) {
    // 1e-9 .. 1e12 ms spans about 24000 buckets at 0.001 (limit 10364) and 4800 at 0.005
    // (limit 4096): every sketch folds.
    for (int c = 0; c < 40; ++c) {
        const double accuracy = c % 4 == 3 ? 0.005 : 0.001;
        std::uint64_t seed = 40000 + static_cast<std::uint64_t>(c);
        Rng rng(seed);
        std::size_t n = 500 + rng() % 4000;
        std::vector<double> values(n);
        for (double& v : values)
            v = rng() % 50 == 0 ? 0.0 : log_uniform(rng, 1e-9, 1e12);
        std::size_t parts = 2 + rng() % 9;
        int how = static_cast<int>(rng() % 4);
        bool by_magnitude = c % 2 == 1;
        SCOPED_TRACE("seed=" + std::to_string(seed) + " n=" + std::to_string(n) +
                     " parts=" + std::to_string(parts) + " merge=" + kHow[how] +
                     (by_magnitude ? " split by magnitude" : " random split"));
        sk::Builder single = build(accuracy, values);
        ASSERT_EQ(single.view().bucket_count, static_cast<std::size_t>(sk::max_buckets(accuracy)));

        std::vector<std::vector<double>> split;
        if (by_magnitude) {
            // Contiguous ranges of magnitude: each part is narrow (most do not fold), the
            // fold happens while merging.
            std::vector<double> sorted = values;
            std::sort(sorted.begin(), sorted.end());
            std::size_t from = 0;
            for (std::size_t p = 0; p < parts; ++p) {
                std::size_t to = p + 1 == parts ? n : (n * (p + 1)) / parts;
                split.emplace_back(sorted.begin() + static_cast<std::ptrdiff_t>(from),
                                   sorted.begin() + static_cast<std::ptrdiff_t>(to));
                std::shuffle(split.back().begin(), split.back().end(), rng);
                from = to;
            }
        } else {
            split = random_split(values, parts, rng);
        }
        Owned merged = merge_parts(split, accuracy, how, rng);
        ASSERT_TRUE(SameSketch(merged.view(), single.view()));
        EXPECT_EQ(text_of(merged.view()), text_of(single.view()));
    }
}

class SketchMergeFolded : public ::testing::TestWithParam<double> {};

TEST_P(SketchMergeFolded, FoldedSketchesMergeExactly) {
    // Each part folds on its own (it spans 20 buckets more than the limit); so does their
    // union.
    const double accuracy = GetParam();
    const double ratio = std::exp((sk::max_buckets(accuracy) + 20) * log_gamma(accuracy));
    Rng rng(77);
    std::vector<std::vector<double>> parts(5);
    std::vector<double> all;
    for (std::size_t p = 0; p < parts.size(); ++p) {
        double hi = std::pow(10.0, static_cast<double>(p) + 2);
        parts[p] = {hi / ratio, hi};
        for (int i = 0; i < 800; ++i)
            parts[p].push_back(log_uniform(rng, hi / ratio, hi));
        all.insert(all.end(), parts[p].begin(), parts[p].end());
    }
    std::vector<Owned> folded;
    for (const auto& part : parts) {
        sk::Builder b = build(accuracy, part);
        ASSERT_EQ(b.view().bucket_count, static_cast<std::size_t>(sk::max_buckets(accuracy)));
        folded.push_back(own(b.view()));
    }
    sk::Builder single = build(accuracy, all);
    for (int round = 0; round < 6; ++round) {
        SCOPED_TRACE("round " + std::to_string(round));
        std::shuffle(folded.begin(), folded.end(), rng);
        sk::Builder merged(accuracy);
        for (const Owned& f : folded)
            merged.merge(f.view());
        EXPECT_TRUE(SameSketch(merged.view(), single.view()));
        // And regrouped: (a + b) + (c + d + e).
        sk::Builder left(accuracy), right(accuracy), top(accuracy);
        left.merge(folded[0].view());
        left.merge(folded[1].view());
        for (std::size_t i = 2; i < folded.size(); ++i)
            right.merge(folded[i].view());
        top.merge(right);
        top.merge(left);
        EXPECT_TRUE(SameSketch(top.view(), single.view()));
    }
}

INSTANTIATE_TEST_SUITE_P(Accuracies, SketchMergeFolded,
                         ::testing::Values(0.0001, 0.0003, 0.001, 0.0025, 0.01, 0.05));

// ---- folding ----------------------------------------------------------------------

TEST(SketchFold, BucketCountNeverExceedsLimit) {
    for (double accuracy : {0.0001, 0.001, 0.003}) {
        SCOPED_TRACE("accuracy=" + num(accuracy));
        sk::Builder b(accuracy);
        const auto limit = static_cast<std::size_t>(sk::max_buckets(accuracy));
        // 12000 steps, 6000 up and 6000 down, spread over twice the limit.
        double step = static_cast<double>(limit) / 6000 * log_gamma(accuracy);
        std::uint64_t zeros = 0;
        for (int k = 0; k < 12000; ++k) {
            // Alternately further up and further down around 1 ms, with zeros and repeats.
            double v = std::exp((k % 2 == 0 ? 1 : -1) * step * (k / 2));
            if (k % 7 == 0)
                v = 0;
            if (k % 11 == 0)
                v = 1;
            zeros += v == 0;
            b.add(v);
            sk::View view = b.view();
            ASSERT_LE(view.bucket_count, limit) << "k=" << k;
            if (view.bucket_count > 0) {
                ASSERT_NE(view.counts[0], 0u) << "k=" << k;
                ASSERT_NE(view.counts[view.bucket_count - 1], 0u) << "k=" << k;
            }
            if (k % 97 == 0 || k == 11999) {
                std::uint64_t total = view.summary.zero_count;
                for (std::size_t i = 0; i < view.bucket_count; ++i)
                    total += view.counts[i];
                ASSERT_EQ(total, view.summary.count) << "k=" << k;
                ASSERT_EQ(view.summary.count, static_cast<std::uint64_t>(k) + 1);
                ASSERT_EQ(view.summary.zero_count, zeros);
            }
        }
        EXPECT_EQ(b.view().bucket_count, limit);
    }
}

TEST(SketchFold, HighQuantilesStayWithinAccuracy) {
    // Log-uniform over 1e-9 .. 1e12 at 0.001: only the top ~43% of the log range is kept
    // unfolded (a ratio of 1e9 of 1e21), so q >= 0.9 must be within accuracy and the low
    // quantiles read high.
    {
        const double accuracy = 0.001;
        Rng rng(91);
        std::vector<double> values(20000);
        for (double& v : values)
            v = log_uniform(rng, 1e-9, 1e12);
        sk::Builder b = build(accuracy, values);
        ASSERT_EQ(b.view().bucket_count, static_cast<std::size_t>(sk::max_buckets(accuracy)));
        Coverage all = check_guarantee(b.view(), values, accuracy, quantile_grid(20000, rng), true);
        EXPECT_GT(all.folded, 500u);  // the folding really acted on the low ranks
        std::vector<double> high;
        for (int k = 900; k <= 1000; ++k)
            high.push_back(k / 1000.0);
        Coverage top = check_guarantee(b.view(), values, accuracy, high, true);
        EXPECT_EQ(top.folded, 0u);
        EXPECT_EQ(top.strict, high.size());
    }
    // Accuracy 0.0001 keeps a ratio of about 1e9 below the top bucket: 90% of the values in
    // [1e-4, 2e-4) ms, 10% in [4e5, 1e6) ms (a ratio of 1e10); the slow tail stays within
    // accuracy.
    {
        const double accuracy = 0.0001;
        Rng rng(92);
        std::vector<double> values;
        for (int i = 0; i < 9000; ++i)
            values.push_back(std::uniform_real_distribution<double>(1e-4, 2e-4)(rng));
        for (int i = 0; i < 1000; ++i)
            values.push_back(std::uniform_real_distribution<double>(4e5, 1e6)(rng));
        std::shuffle(values.begin(), values.end(), rng);
        sk::Builder b = build(accuracy, values);
        ASSERT_EQ(b.view().bucket_count, static_cast<std::size_t>(sk::max_buckets(accuracy)));
        std::vector<double> qs;
        for (int k = 0; k <= 1000; ++k)
            qs.push_back(k / 1000.0);
        Coverage c = check_guarantee(b.view(), values, accuracy, qs, true);
        EXPECT_GT(c.folded, 800u);
        std::vector<double> tail;
        for (int k = 950; k <= 1000; ++k)
            tail.push_back(k / 1000.0);
        Coverage t = check_guarantee(b.view(), values, accuracy, tail, true);
        EXPECT_EQ(t.folded, 0u);
        // The median reads high: it lands in the lowest kept bucket, about 4e5 / 1e9.
        std::vector<double> sorted = values;
        std::sort(sorted.begin(), sorted.end());
        EXPECT_GT(sk::quantile(b.view(), 0.5), sorted[4999]);
        EXPECT_EQ(sk::quantile(b.view(), 0), sorted.front());
        EXPECT_EQ(sk::quantile(b.view(), 1), sorted.back());
    }
}

// ---- the bucket limit sized to the accuracy ------------------------------------------

TEST(SketchLimit, SizedToCoverTheStatedRatio) {
    EXPECT_EQ(sk::max_buckets(sk::kMinAccuracy), sk::kMaxBucketLimit);
    EXPECT_EQ(sk::max_buckets(0.01), sk::kMinBucketLimit);  // unchanged at coarse accuracies
    EXPECT_EQ(sk::max_buckets(0.0026), sk::kMinBucketLimit);
    EXPECT_EQ(sk::max_buckets(sk::kMaxAccuracy), sk::kMinBucketLimit);
    EXPECT_GT(sk::max_buckets(0.0025), sk::kMinBucketLimit);
    std::int32_t previous = sk::kMaxBucketLimit;
    for (double a = sk::kMinAccuracy; a <= sk::kMaxAccuracy; a *= 1.01) {
        std::int32_t limit = sk::max_buckets(a);
        ASSERT_LE(limit, previous) << num(a);  // finer accuracy, never fewer buckets
        // The limit covers kCoveredRatio: the bucket span of [u, u * ratio] fits.
        ASSERT_GE(limit - 1,
                  static_cast<std::int32_t>(std::ceil(std::log(sk::kCoveredRatio) / log_gamma(a))))
            << num(a);
        previous = limit;
    }
}

// Values spanning the stated ratio never fold, at any accuracy: every percentile is within
// the guarantee (the issue's case: 0.0001 over 1..1000 gave p10 = 440.85).
TEST(SketchLimit, NoFoldingWithinTheCoveredRatio) {
    for (double accuracy : {0.0001, 0.00015, 0.0003, 0.001, 0.0025, 0.01, 0.5}) {
        for (double lo : {1e-9, 0.01, 1.0, 1000.0}) {
            double hi = lo * sk::kCoveredRatio;
            SCOPED_TRACE("accuracy=" + num(accuracy) + " lo=" + num(lo));
            Rng rng(4242);
            std::vector<double> values = {lo, hi, std::nextafter(hi, 0.0),
                                          std::nextafter(lo, HUGE_VAL)};
            for (int i = 0; i < 3000; ++i)
                values.push_back(log_uniform(rng, lo, hi));
            sk::Builder b = build(accuracy, values);
            ASSERT_LE(b.view().bucket_count, static_cast<std::size_t>(sk::max_buckets(accuracy)));
            Coverage c = check_guarantee(b.view(), values, accuracy,
                                         quantile_grid(values.size(), rng), false);
            EXPECT_EQ(c.folded, 0u);
            EXPECT_GT(c.strict, 0u);
        }
    }
}

TEST(SketchLimit, IssueCasesAtFinestAccuracy) {
    const double accuracy = sk::kMinAccuracy;
    std::vector<double> values;
    for (int v = 1; v <= 1000; ++v)
        values.push_back(v);
    sk::Builder b = build(accuracy, values);
    EXPECT_LE(std::fabs(sk::quantile(b.view(), 0.1) - 100), accuracy * 100 * (1 + 1e-9));
    Rng rng(4343);
    Coverage c = check_guarantee(b.view(), values, accuracy, quantile_grid(1000, rng), false);
    EXPECT_EQ(c.folded, 0u);

    // 0.01 ms to 1 hour: a ratio of 3.6e8.
    std::vector<double> wide = {0.01, 3.6e6};
    for (int i = 0; i < 20000; ++i)
        wide.push_back(log_uniform(rng, 0.01, 3.6e6));
    sk::Builder w = build(accuracy, wide);
    Coverage cw = check_guarantee(w.view(), wide, accuracy, quantile_grid(wide.size(), rng), false);
    EXPECT_EQ(cw.folded, 0u);
    EXPECT_GT(cw.strict, 1000u);
}

// Beyond the ratio the lowest buckets fold: exactly the limit is kept, the top within the
// guarantee; the same sketch whichever way its values are merged.
TEST(SketchLimit, AtTheLimit) {
    for (double accuracy : {0.0001, 0.001, 0.0025, 0.01}) {
        SCOPED_TRACE("accuracy=" + num(accuracy));
        const std::int32_t limit = sk::max_buckets(accuracy);
        // One value per bucket from the top down, one bucket more than the limit.
        sk::Builder b(accuracy);
        const std::int32_t top = sk::bucket_index(1e6, accuracy);
        std::vector<double> values;
        for (std::int32_t i = 0; i <= limit; ++i)
            values.push_back(sk::bucket_value(top - i, accuracy));
        for (double v : values)
            b.add(v);
        sk::View v = b.view();
        ASSERT_EQ(v.bucket_count, static_cast<std::size_t>(limit));
        EXPECT_EQ(v.counts[0], 2u);  // the lowest value folded into the lowest kept bucket
        EXPECT_NO_THROW(sk::validate(v));
        sk::Builder one_fewer(accuracy);
        for (std::size_t i = 0; i + 1 < values.size(); ++i)
            one_fewer.add(values[i]);
        EXPECT_EQ(one_fewer.view().bucket_count, static_cast<std::size_t>(limit));
        EXPECT_EQ(one_fewer.view().counts[0], 1u);  // exactly the limit: nothing folded
    }
}

// A format-1 value folded at 4096 buckets before the limit depended on the accuracy (min
// below its first bucket) still validates, and so does a rollup of it with larger values.
TEST(SketchLimit, LegacyFoldedValuesStillValidate) {
    const double accuracy = 0.0001;
    std::vector<std::uint64_t> counts(sk::kMinBucketLimit, 1);
    counts[0] = 2;
    sk::Summary s;
    s.accuracy = accuracy;
    s.offset = 1000;
    s.count = sk::kMinBucketLimit + 1;
    s.min = sk::bucket_value(-5000, accuracy);  // folded into bucket 1000
    s.max = sk::bucket_value(1000 + sk::kMinBucketLimit - 1, accuracy);
    // A possible sum: one value at min, the others at max.
    s.sum_ns = std::llround(s.min * 1e6) +
               static_cast<sk::Int128>(s.count - 1) * std::llround(s.max * 1e6);
    sk::View legacy{s, counts.data(), counts.size()};
    EXPECT_NO_THROW(sk::validate(legacy));
    sk::Builder rolled(accuracy);
    rolled.merge(legacy);
    rolled.add(sk::bucket_value(1000 + sk::kMinBucketLimit + 10, accuracy));
    EXPECT_EQ(rolled.view().bucket_count, static_cast<std::size_t>(sk::kMinBucketLimit) + 11);
    Owned round_trip = parse(text_of(rolled.view()));
    EXPECT_TRUE(SameSketch(round_trip.view(), rolled.view()));
    // Fewer buckets than the old limit: min below the first bucket is refused.
    counts.resize(100);
    s.count = 101;
    s.max = sk::bucket_value(1000 + 99, accuracy);
    s.sum_ns = std::llround(s.min * 1e6) +
               static_cast<sk::Int128>(s.count - 1) * std::llround(s.max * 1e6);
    EXPECT_THROW(sk::validate(sk::View{s, counts.data(), counts.size()}), opsagg::Error);
}

// ---- mean, min, max, counts -------------------------------------------------------

TEST(SketchMean, ExactNanosecondSum) {
    for (int c = 0; c < 40; ++c) {
        std::uint64_t seed = 50000 + static_cast<std::uint64_t>(c);
        Rng rng(seed);
        Dist d = kDists[static_cast<std::size_t>(c) % std::size(kDists)];
        std::size_t n = 1 + rng() % 3000;
        std::vector<double> values = draw(d, rng, n);
        if (c % 5 == 0)
            values.push_back(1e12);
        if (c % 5 == 1)
            values.push_back(4e-7);  // rounds to 0 ns
        SCOPED_TRACE("seed=" + std::to_string(seed) + " dist=" + dist_name(d));
        sk::Builder b = build(0.01, values);
        const sk::Summary& s = b.view().summary;

        sk::Int128 sum_ns = 0;
        long double true_sum = 0;
        std::uint64_t zeros = 0;
        for (double v : values) {
            sum_ns += std::llround(v * 1e6);
            true_sum += v;
            zeros += v == 0;
        }
        EXPECT_TRUE(s.sum_ns == sum_ns)
            << "sum_ns " << i128(s.sum_ns) << ", expected " << i128(sum_ns);
        long double true_mean = true_sum / static_cast<long double>(values.size());
        double mean = sk::mean(b.view());
        EXPECT_LE(std::fabs(static_cast<long double>(mean) - true_mean),
                  1e-6L + 1e-15L * std::fabs(true_mean))
            << "mean " << num(mean) << ", exact " << num(static_cast<double>(true_mean));
        EXPECT_EQ(s.count, values.size());
        EXPECT_EQ(s.zero_count, zeros);
        EXPECT_EQ(s.min, *std::min_element(values.begin(), values.end()));
        EXPECT_EQ(s.max, *std::max_element(values.begin(), values.end()));
    }
}

TEST(SketchMean, KnownValuesAndLargeSums) {
    sk::Builder b = build(0.01, {1e-6, 2e-6, 4e-7, 6e-7});  // 1 + 2 + 0 + 1 ns
    EXPECT_TRUE(b.view().summary.sum_ns == 4) << i128(b.view().summary.sum_ns);
    EXPECT_EQ(sk::mean(b.view()), 1e-6);

    // 30 values of 1e12 ms: 3e19 ns, beyond 64 bits.
    sk::Builder big(0.01);
    for (int i = 0; i < 30; ++i)
        big.add(1e12);
    sk::Int128 expected = static_cast<sk::Int128>(30) * 1000000000000000000;
    EXPECT_TRUE(big.view().summary.sum_ns == expected) << i128(big.view().summary.sum_ns);
    EXPECT_EQ(sk::mean(big.view()), 1e12);
    // The same through merges and through the text form.
    sk::Builder merged(0.01);
    for (int i = 0; i < 3; ++i)
        merged.merge(build(0.01, std::vector<double>(10, 1e12)));
    EXPECT_TRUE(SameSketch(merged.view(), big.view()));
    Owned back = parse(text_of(big.view()));
    EXPECT_TRUE(back.summary.sum_ns == expected) << i128(back.summary.sum_ns);

    // Zeros, counted apart; -0 is a zero.
    sk::Builder z = build(0.01, {0, 5, -0.0, 0, 7});
    EXPECT_EQ(z.view().summary.count, 5u);
    EXPECT_EQ(z.view().summary.zero_count, 3u);
    EXPECT_EQ(z.view().summary.min, 0.0);
    EXPECT_EQ(z.view().summary.max, 7.0);
    EXPECT_EQ(sk::mean(z.view()), 12.0 / 5);
}

// The issue's cases: a mean below min_val, and one that was not the double nearest 0.2.
TEST(SketchMean, CorrectlyRoundedKnownCases) {
    sk::Builder big(0.01);
    for (int i = 0; i < 100000; ++i)
        big.add(1e12);
    EXPECT_EQ(sk::mean(big.view()), 1e12);
    EXPECT_EQ(sk::mean(build(0.01, {0.1, 0.2, 0.3}).view()), 0.2);
    EXPECT_EQ(sk::mean(build(0.01, {0.1, 0.2}).view()), 0.15);
    EXPECT_EQ(sk::mean(build(0.01, {1, 2}).view()), 1.5);
    // Every value rounds to 0 ns: the exact mean of the rounded values (0) is clamped to min.
    EXPECT_EQ(sk::mean(build(0.01, {4e-7, 3e-7}).view()), 3e-7);
    EXPECT_EQ(sk::mean(build(0.01, {0, 0}).view()), 0.0);
}

// Independent exact model (Boost.Multiprecision integers): r is the correctly rounded
// double of sum_ns / (count * 10^6) when no neighbour of r is nearer, and on a tie r has
// an even significand. Returns "" or what is wrong.
std::string check_correctly_rounded(double r, sk::Int128 sum_ns, std::uint64_t count) {
    using boost::multiprecision::cpp_int;
    auto big = [](sk::Int128 v) {
        cpp_int high = static_cast<std::int64_t>(v >> 64);
        return (high << 64) + cpp_int(static_cast<std::uint64_t>(v));
    };
    const cpp_int numerator = big(sum_ns);
    const cpp_int denominator = cpp_int(count) * 1000000;
    // |x - n/d| scaled by d * 2^1100, exact for every finite double x >= 2^-1074.
    auto distance = [&](double x) {
        int exp;
        double fraction = std::frexp(x, &exp);
        cpp_int significand = static_cast<std::int64_t>(std::ldexp(fraction, 53));
        cpp_int scaled_x = significand * denominator << (exp - 53 + 1100);
        cpp_int scaled_true = numerator << 1100;
        return scaled_x > scaled_true ? cpp_int(scaled_x - scaled_true)
                                      : cpp_int(scaled_true - scaled_x);
    };
    cpp_int here = distance(r);
    for (double neighbour : {std::nextafter(r, 0.0), std::nextafter(r, HUGE_VAL)}) {
        cpp_int there = distance(neighbour);
        if (there < here)
            return "neighbour " + num(neighbour) + " is nearer than " + num(r);
        if (there == here) {
            int exp;
            auto significand = static_cast<std::int64_t>(std::ldexp(std::frexp(r, &exp), 53));
            if (significand % 2 != 0)
                return "tie not rounded to even: " + num(r);
        }
    }
    return "";
}

TEST(SketchMean, CorrectlyRoundedAgainstExactModel) {
    Rng rng(77001);
    for (int c = 0; c < 20000; ++c) {
        SCOPED_TRACE("case " + std::to_string(c));
        // Summaries drawn directly, so counts up to 2^64 - 1 and sums beyond 2^64 occur.
        sk::Summary s;
        int shape = c % 4;
        s.count = shape == 0   ? 1 + rng() % 10
                  : shape == 1 ? 1 + rng() % 1000000
                  : shape == 2 ? rng() | 1
                               : std::numeric_limits<std::uint64_t>::max() - rng() % 3;
        std::uint64_t span = shape >= 2 ? rng() % 1000001 : rng();  // ns per value, at most
        sk::Int128 sum = 0;
        if (shape < 2) {
            for (std::uint64_t i = 0; i < s.count && i < 50; ++i)
                sum += static_cast<sk::Int128>(rng() % (span % 1000000000000000001 + 1));
            sum += static_cast<sk::Int128>(s.count - std::min<std::uint64_t>(s.count, 50)) *
                   static_cast<sk::Int128>(rng() % 1000000000);
        } else {
            sum = static_cast<sk::Int128>(s.count) * span + rng() % (span + 1);
        }
        s.sum_ns = sum;
        s.min = 0;
        s.max = sk::kMaxValue;
        sk::View view{s, nullptr, 0};
        double r = sk::mean(view);
        if (sum == 0) {
            EXPECT_EQ(r, 0.0);
            continue;
        }
        std::string problem = check_correctly_rounded(r, sum, s.count);
        ASSERT_EQ(problem, "") << "sum_ns " << i128(sum) << " count " << s.count;
    }
}

// The mean is clamped to [min, max]: the values' nanosecond rounding can move it outside.
TEST(SketchMean, ClampedToMinAndMax) {
    Rng rng(77002);
    for (int c = 0; c < 2000; ++c) {
        double v =
            std::ldexp(static_cast<double>(rng() % 1000000 + 1), -static_cast<int>(rng() % 40));
        std::size_t n = 1 + rng() % 50;
        sk::Builder b = build(0.01, std::vector<double>(n, v));
        double m = sk::mean(b.view());
        SCOPED_TRACE("v=" + num(v) + " n=" + std::to_string(n));
        ASSERT_EQ(m, v);  // every value equal: the mean is that value, not its ns rounding
    }
}

// ---- values and parameters ----------------------------------------------------------

TEST(SketchCheck, Values) {
    sk::Builder b = build(0.01, {1, 2});
    Owned before = own(b.view());
    struct Case {
        double value;
        ErrorKind kind;
    };
    const Case bad[] = {
        {-1, ErrorKind::OutOfRange},
        {-1e-300, ErrorKind::OutOfRange},
        {-std::numeric_limits<double>::denorm_min(), ErrorKind::OutOfRange},
        {-kInf, ErrorKind::OutOfRange},
        {kInf, ErrorKind::OutOfRange},
        {std::nextafter(sk::kMaxValue, kInf), ErrorKind::OutOfRange},
        {1e300, ErrorKind::OutOfRange},
        {kNaN, ErrorKind::InvalidParameter},
        {-kNaN, ErrorKind::InvalidParameter},
    };
    for (const Case& c : bad) {
        SCOPED_TRACE("value=" + num(c.value));
        EXPECT_TRUE(ThrowsKind([&] { sk::check_value(c.value); }, c.kind));
        EXPECT_TRUE(ThrowsKind([&] { b.add(c.value); }, c.kind));
    }
    EXPECT_TRUE(SameSketch(b.view(), before.view())) << "a refused value changed the sketch";
    for (double ok :
         {0.0, -0.0, std::numeric_limits<double>::denorm_min(), 1e-9, 1.0, sk::kMaxValue}) {
        EXPECT_NO_THROW(sk::check_value(ok)) << num(ok);
        EXPECT_NO_THROW(b.add(ok)) << num(ok);
    }
}

TEST(SketchCheck, Accuracy) {
    for (double bad : {0.0, -0.01, std::nextafter(sk::kMinAccuracy, 0.0), 0.00009,
                       std::nextafter(sk::kMaxAccuracy, 1.0), 0.6, 1.0, kInf, -kInf, kNaN}) {
        SCOPED_TRACE("accuracy=" + num(bad));
        EXPECT_TRUE(ThrowsKind([&] { sk::check_accuracy(bad); }, ErrorKind::InvalidParameter));
        EXPECT_TRUE(ThrowsKind([&] { sk::Builder b(bad); }, ErrorKind::InvalidParameter));
    }
    for (double ok : {sk::kMinAccuracy, 0.001, sk::kDefaultAccuracy, 0.05, sk::kMaxAccuracy}) {
        EXPECT_NO_THROW(sk::check_accuracy(ok)) << num(ok);
        EXPECT_EQ(sk::Builder(ok).accuracy(), ok);
    }
    EXPECT_EQ(sk::kDefaultAccuracy, 0.01);
}

TEST(SketchCheck, Quantile) {
    for (double bad : {-0.0001, -1.0, std::nextafter(0.0, -1.0), std::nextafter(1.0, 2.0), 1.5,
                       kInf, -kInf, kNaN, -kNaN}) {
        EXPECT_TRUE(ThrowsKind([&] { sk::check_quantile(bad); }, ErrorKind::InvalidParameter))
            << "q=" << num(bad);
    }
    for (double ok : {0.0, -0.0, 1e-300, 0.5, 0.999, 1.0})
        EXPECT_NO_THROW(sk::check_quantile(ok)) << "q=" << num(ok);
}

// ---- stored form: varints -----------------------------------------------------------

std::vector<unsigned char> encode(const std::vector<std::uint64_t>& counts) {
    sk::View v{sk::Summary{}, counts.data(), counts.size()};
    std::size_t size = sk::encoded_counts_size(v);
    std::vector<unsigned char> out(size + 8, 0xA5);  // guard bytes after the end
    sk::encode_counts(v, out.data());
    for (std::size_t i = size; i < out.size(); ++i)
        EXPECT_EQ(out[i], 0xA5) << "encode_counts wrote past encoded_counts_size";
    out.resize(size);
    return out;
}

std::vector<std::uint64_t> decode(const std::vector<unsigned char>& bytes, std::size_t count) {
    std::vector<std::uint64_t> out(std::max<std::size_t>(count, 1), 0);
    sk::decode_counts(bytes.data(), bytes.size(), count, out.data());
    out.resize(count);
    return out;
}

std::string hex(const std::vector<unsigned char>& bytes) {
    std::string out;
    char buf[4];
    for (unsigned char b : bytes) {
        std::snprintf(buf, sizeof buf, "%02x ", b);
        out += buf;
    }
    return out;
}

TEST(SketchVarint, KnownEncodings) {
    using Bytes = std::vector<unsigned char>;
    const std::pair<std::uint64_t, Bytes> cases[] = {
        {0, {0x00}},
        {1, {0x01}},
        {127, {0x7f}},
        {128, {0x80, 0x01}},
        {300, {0xac, 0x02}},
        {16383, {0xff, 0x7f}},
        {16384, {0x80, 0x80, 0x01}},
        {std::uint64_t{1} << 63, {0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01}},
        {kMaxU64, {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01}},
    };
    for (const auto& [value, bytes] : cases) {
        EXPECT_EQ(encode({value}), bytes) << value;
        EXPECT_EQ(decode(bytes, 1), std::vector<std::uint64_t>{value}) << value;
    }
    EXPECT_EQ(encode({}), Bytes{});
    EXPECT_EQ(decode({}, 0), std::vector<std::uint64_t>{});
}

TEST(SketchVarint, RoundTrip) {
    const std::uint64_t edges[] = {0,
                                   1,
                                   127,
                                   128,
                                   (std::uint64_t{1} << 56) - 1,
                                   std::uint64_t{1} << 56,
                                   (std::uint64_t{1} << 63) - 1,
                                   std::uint64_t{1} << 63,
                                   kMaxU64 - 1,
                                   kMaxU64};
    for (int c = 0; c < 300; ++c) {
        Rng rng(60000 + static_cast<std::uint64_t>(c));
        std::size_t n = rng() % 50;
        std::vector<std::uint64_t> counts(n);
        for (auto& v : counts) {
            if (rng() % 3 == 0)
                v = edges[rng() % std::size(edges)];
            else
                v = rng() >> (rng() % 64);  // every bit length
        }
        SCOPED_TRACE("case " + std::to_string(c));
        std::vector<unsigned char> bytes = encode(counts);
        ASSERT_EQ(decode(bytes, n), counts);
    }
}

::testing::AssertionResult DecodeRejected(const std::vector<unsigned char>& bytes,
                                          std::size_t count) {
    return ThrowsKind([&] { decode(bytes, count); }, ErrorKind::InvalidRepresentation)
           << "\n  bytes: " << hex(bytes) << "count " << count;
}

TEST(SketchVarint, DecodeRejectsTruncatedInput) {
    EXPECT_TRUE(DecodeRejected({}, 1));
    EXPECT_TRUE(DecodeRejected({0x80}, 1));
    EXPECT_TRUE(DecodeRejected({0xac}, 1));
    EXPECT_TRUE(DecodeRejected({0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff}, 1));
    EXPECT_TRUE(DecodeRejected({0x01, 0x02}, 3));  // fewer counts than asked for
    std::vector<unsigned char> bytes = encode({5, 300, kMaxU64, 7});
    for (std::size_t cut = 0; cut < bytes.size(); ++cut) {
        std::vector<unsigned char> head(bytes.begin(),
                                        bytes.begin() + static_cast<std::ptrdiff_t>(cut));
        EXPECT_TRUE(DecodeRejected(head, 4)) << "cut at " << cut;
    }
}

TEST(SketchVarint, DecodeRejectsTrailingBytes) {
    EXPECT_TRUE(DecodeRejected({0x00}, 0));
    EXPECT_TRUE(DecodeRejected({0x01, 0x00}, 1));
    EXPECT_TRUE(DecodeRejected({0xac, 0x02, 0x05}, 1));
    std::vector<unsigned char> bytes = encode({5, 300, kMaxU64});
    bytes.push_back(0x00);
    EXPECT_TRUE(DecodeRejected(bytes, 3));
}

TEST(SketchVarint, DecodeRejectsValuesWiderThan64Bits) {
    // Tenth byte carrying more than the 64th bit.
    EXPECT_TRUE(DecodeRejected({0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02}, 1));
    EXPECT_TRUE(DecodeRejected({0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x7f}, 1));
    // An eleventh byte.
    EXPECT_TRUE(
        DecodeRejected({0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x81, 0x00}, 1));
    EXPECT_TRUE(
        DecodeRejected({0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00}, 1));
}

TEST(SketchVarint, DecodeRejectsNonMinimalEncodings) {
    // The same numbers as 0x00, 0x01 and 0x7f, padded with continuation bytes: not what
    // encode_counts writes, so not a stored sketch.
    EXPECT_TRUE(DecodeRejected({0x80, 0x00}, 1));
    EXPECT_TRUE(DecodeRejected({0x81, 0x80, 0x00}, 1));
    EXPECT_TRUE(DecodeRejected({0xff, 0x80, 0x80, 0x00}, 1));
    EXPECT_TRUE(DecodeRejected({0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00}, 1));
    EXPECT_TRUE(DecodeRejected({0x05, 0x80, 0x00}, 2));
}

// ---- text form ----------------------------------------------------------------------

// A random sketch of one of several shapes.
std::vector<double> random_values(Rng& rng, int shape) {
    switch (shape) {
        case 0:
            return {};
        case 1:
            return std::vector<double>(1 + rng() % 5, 0.0);  // zeros only
        case 2:
            return {draw_one(Dist::Magnitudes, rng)};
        case 3: {  // wide: folds at small accuracies
            std::vector<double> v(2000);
            for (double& x : v)
                x = log_uniform(rng, 1e-9, 1e12);
            return v;
        }
        default:
            return draw(kDists[rng() % std::size(kDists)], rng, 1 + rng() % 2000);
    }
}

TEST(SketchText, RoundTripIsByteIdentical) {
    const double accuracies[] = {0.01, 0.001, 0.05, 0.0001, 0.5, 0.123456789, 0.0123};
    int checked = 0;
    for (int c = 0; c < 200; ++c) {
        std::uint64_t seed = 70000 + static_cast<std::uint64_t>(c);
        Rng rng(seed);
        double accuracy = accuracies[rng() % std::size(accuracies)];
        int shape = c % 8;
        std::vector<double> values = random_values(rng, shape);
        SCOPED_TRACE("seed=" + std::to_string(seed) + " accuracy=" + num(accuracy) +
                     " shape=" + std::to_string(shape) + " n=" + std::to_string(values.size()));
        if (values.empty())
            continue;  // an empty sketch has no text form (the aggregate returns NULL)
        sk::Builder b = build(accuracy, values);
        sk::View view = b.view();
        std::string text = text_of(view);
        EXPECT_EQ(std::strlen(text.c_str()), text.size());

        sk::ParsedText scanned = sk::scan_text(text.c_str());
        EXPECT_EQ(scanned.bucket_count, view.bucket_count);
        Owned back;
        ASSERT_NO_THROW(back = parse(text)) << text.substr(0, 300);
        EXPECT_TRUE(SameSketch(back.view(), view));
        EXPECT_TRUE(back.summary.sum_ns == view.summary.sum_ns);
        EXPECT_EQ(text_of(back.view()), text);
        EXPECT_NO_THROW(sk::validate(view));
        ++checked;
    }
    EXPECT_GT(checked, 150);
}

TEST(SketchText, KnownText) {
    // ln(2.5) / ln(1.01 / 0.99) = 45.81: 2.5 lies in bucket 46, 1 in bucket 0.
    sk::Builder b = build(0.01, {0, 1, 2.5});
    std::string counts = "1";
    for (int i = 1; i < 46; ++i)
        counts += ",0";
    counts += ",1";
    std::string expected =
        "(version:1,accuracy:0.01,count:3,zero_count:1,min:0,max:2.5,"
        "sum_ns:[0,3500000],offset:0,counts:[" +
        counts + "])";
    EXPECT_EQ(text_of(b.view()), expected);

    // Whitespace between tokens is accepted, and the value is the same.
    std::string spaced;
    for (char ch : expected) {
        if (std::strchr("(),:[]", ch) != nullptr) {
            spaced += " \t";
            spaced += ch;
            spaced += "\n ";
        } else {
            spaced += ch;
        }
    }
    Owned back = parse(spaced);
    EXPECT_TRUE(SameSketch(back.view(), b.view()));
    EXPECT_EQ(text_of(back.view()), expected);

    // Sums beyond 64 bits use the high part.
    sk::Builder big(0.01);
    for (int i = 0; i < 30; ++i)
        big.add(1e12);
    EXPECT_NE(text_of(big.view()).find("sum_ns:[1,11553255926290448384]"), std::string::npos)
        << text_of(big.view());
}

// The text form with each field as text, to build broken variants.
struct Fields {
    std::vector<std::pair<std::string, std::string>> items;

    std::string render() const {
        std::string out = "(";
        for (std::size_t i = 0; i < items.size(); ++i) {
            if (i > 0)
                out += ",";
            out += items[i].first + ":" + items[i].second;
        }
        return out + ")";
    }
    Fields with(const std::string& name, const std::string& value) const {
        Fields f = *this;
        for (auto& item : f.items) {
            if (item.first == name)
                item.second = value;
        }
        return f;
    }
    Fields without(const std::string& name) const {
        Fields f = *this;
        f.items.erase(std::remove_if(f.items.begin(), f.items.end(),
                                     [&](const auto& item) { return item.first == name; }),
                      f.items.end());
        return f;
    }
    Fields swapped(std::size_t i) const {
        Fields f = *this;
        std::swap(f.items[i], f.items[i + 1]);
        return f;
    }
};

std::string counts_text(const std::vector<std::uint64_t>& counts) {
    std::string out = "[";
    for (std::size_t i = 0; i < counts.size(); ++i)
        out += (i > 0 ? "," : "") + std::to_string(counts[i]);
    return out + "]";
}

Fields fields_of(const sk::View& v) {
    const sk::Summary& s = v.summary;
    Fields f;
    f.items = {
        {"version", "1"},
        {"accuracy", num(s.accuracy)},
        {"count", std::to_string(s.count)},
        {"zero_count", std::to_string(s.zero_count)},
        {"min", num(s.min)},
        {"max", num(s.max)},
        {"sum_ns", "[" + std::to_string(static_cast<std::int64_t>(s.sum_ns >> 64)) + "," +
                       std::to_string(static_cast<std::uint64_t>(s.sum_ns)) + "]"},
        {"offset", std::to_string(v.bucket_count == 0 ? 0 : s.offset)},
        {"counts", counts_text(std::vector<std::uint64_t>(v.counts, v.counts + v.bucket_count))},
    };
    return f;
}

::testing::AssertionResult Rejected(const std::string& text) {
    return ThrowsKind([&] { parse(text); }, ErrorKind::InvalidRepresentation)
           << "\n  input: " << text.substr(0, 400);
}

::testing::AssertionResult Accepted(const std::string& text) {
    try {
        parse(text);
    } catch (const std::exception& e) {
        return ::testing::AssertionFailure() << e.what() << "\n  input: " << text.substr(0, 400);
    }
    return ::testing::AssertionSuccess();
}

class SketchTextReject : public ::testing::Test {
  protected:
    // 2, 3, 7.5, 7.5, 12 ms and 0, 2, 3, 12 ms at the default accuracy.
    SketchTextReject()
        : plain_(own(build(0.01, {2, 3, 7.5, 7.5, 12}).view())),
          zeros_(own(build(0.01, {0, 2, 3, 12}).view())),
          base_(fields_of(plain_.view())),
          with_zero_(fields_of(zeros_.view())) {}

    void SetUp() override {
        ASSERT_EQ(base_.render(), text_of(plain_.view()));
        ASSERT_EQ(with_zero_.render(), text_of(zeros_.view()));
        ASSERT_TRUE(Accepted(base_.render()));
        ASSERT_TRUE(Accepted(with_zero_.render()));
    }

    std::int32_t offset() const { return plain_.summary.offset; }
    std::int32_t last() const {
        return plain_.summary.offset + static_cast<std::int32_t>(plain_.counts.size()) - 1;
    }

    Owned plain_;
    Owned zeros_;
    Fields base_;
    Fields with_zero_;
};

TEST_F(SketchTextReject, Version) {
    for (const char* v : {"2", "0", "-1", "257", "1.5", "", "x", "01x"})
        EXPECT_TRUE(Rejected(base_.with("version", v).render()));
    std::string text = base_.render();
    EXPECT_TRUE(Rejected("(versio:1" + text.substr(text.find(','))));
}

TEST_F(SketchTextReject, MissingFields) {
    for (const auto& item : base_.items) {
        SCOPED_TRACE(item.first);
        EXPECT_TRUE(Rejected(base_.without(item.first).render()));
        EXPECT_TRUE(Rejected(base_.with(item.first, "").render()));
    }
}

TEST_F(SketchTextReject, OutOfOrderFields) {
    for (std::size_t i = 0; i + 1 < base_.items.size(); ++i) {
        SCOPED_TRACE(base_.items[i].first + " <-> " + base_.items[i + 1].first);
        EXPECT_TRUE(Rejected(base_.swapped(i).render()));
    }
}

TEST_F(SketchTextReject, CountNotTheSumOfBuckets) {
    std::uint64_t count = plain_.summary.count;
    EXPECT_TRUE(Rejected(base_.with("count", std::to_string(count + 1)).render()));
    EXPECT_TRUE(Rejected(base_.with("count", std::to_string(count - 1)).render()));
    EXPECT_TRUE(Rejected(base_.with("zero_count", "1").render()));
    EXPECT_TRUE(Rejected(with_zero_.with("zero_count", "0").render()));
    EXPECT_TRUE(Rejected(with_zero_.with("zero_count", "2").render()));
    // Counts that overflow 64 bits when summed.
    EXPECT_TRUE(Rejected(base_.with("count", "1")
                             .with("counts", "[18446744073709551615,2]")
                             .with("offset", std::to_string(last() - 1))
                             .render()));
    // Numbers that are not unsigned 64-bit integers.
    for (const char* bad : {"-1", "18446744073709551616", "1e3", "5.0", "+5", "0x5"})
        EXPECT_TRUE(Rejected(base_.with("count", bad).render())) << bad;
    EXPECT_TRUE(Rejected(base_.with("counts", "[1,-1]").render()));
}

TEST_F(SketchTextReject, EmptyFirstOrLastBucket) {
    std::string counts = counts_text(plain_.counts);
    std::string inner = counts.substr(1, counts.size() - 2);
    EXPECT_TRUE(Rejected(base_.with("counts", "[0," + inner + "]")
                             .with("offset", std::to_string(offset() - 1))
                             .render()));
    EXPECT_TRUE(Rejected(base_.with("counts", "[" + inner + ",0]").render()));
    EXPECT_TRUE(Rejected(base_.with("counts", "[0]").render()));
    // With zeros, min says nothing about the first bucket: only its count can be wrong.
    std::string zcounts = counts_text(zeros_.counts);
    EXPECT_TRUE(Rejected(with_zero_.with("counts", "[0," + zcounts.substr(1))
                             .with("offset", std::to_string(zeros_.summary.offset - 1))
                             .render()));
}

// A forged, consistent sketch of `buckets` buckets of one value each from `offset`, with min
// and max the estimates of the first and last buckets.
Fields forged(double accuracy, std::int32_t offset, std::size_t buckets) {
    Fields f;
    double min = sk::bucket_value(offset, accuracy);
    double max = sk::bucket_value(offset + static_cast<std::int32_t>(buckets) - 1, accuracy);
    // One value per bucket, each the bucket's estimate: the exact nanosecond sum of those.
    sk::Int128 sum = 0;
    for (std::size_t i = 0; i < buckets; ++i) {
        sum +=
            std::llround(sk::bucket_value(offset + static_cast<std::int32_t>(i), accuracy) * 1e6);
    }
    std::string sum_text = "[" + std::to_string(static_cast<std::int64_t>(sum >> 64)) + "," +
                           std::to_string(static_cast<std::uint64_t>(sum)) + "]";
    f.items = {
        {"version", "1"},
        {"accuracy", num(accuracy)},
        {"count", std::to_string(buckets)},
        {"zero_count", "0"},
        {"min", num(min)},
        {"max", num(max)},
        {"sum_ns", sum_text},
        {"offset", std::to_string(offset)},
        {"counts", counts_text(std::vector<std::uint64_t>(buckets, 1))},
    };
    return f;
}

TEST_F(SketchTextReject, TooManyBuckets) {
    // The limit depends on the accuracy: accepted at it, refused one above.
    for (double accuracy : {0.01, 0.001, 0.0001}) {
        const std::int32_t limit = sk::max_buckets(accuracy);
        const std::int32_t offset = sk::bucket_index(1e6, accuracy) - limit;
        SCOPED_TRACE("accuracy=" + num(accuracy) + " limit=" + std::to_string(limit));
        EXPECT_TRUE(Accepted(forged(accuracy, offset, static_cast<std::size_t>(limit)).render()));
        EXPECT_TRUE(
            Rejected(forged(accuracy, offset, static_cast<std::size_t>(limit) + 1).render()));
        // validate() on a view, too.
        std::vector<std::uint64_t> counts(static_cast<std::size_t>(limit) + 1, 1);
        sk::Summary s;
        s.accuracy = accuracy;
        s.count = counts.size();
        s.offset = offset;
        s.min = sk::bucket_value(offset, accuracy);
        s.max = sk::bucket_value(offset + limit, accuracy);
        s.sum_ns = static_cast<sk::Int128>(s.count) * std::llround(s.max * 1e6);
        EXPECT_TRUE(ThrowsKind(
            [&] {
                sk::validate(sk::View{s, counts.data(), counts.size()});
            },
            ErrorKind::InvalidRepresentation));
    }
    // The text scanner refuses more than the largest limit before it stores anything.
    std::string over = forged(0.0001, -60000, sk::kMaxBucketLimit + 1).render();
    EXPECT_TRUE(ThrowsKind([&] { sk::scan_text(over.c_str()); }, ErrorKind::InvalidRepresentation));
}

TEST_F(SketchTextReject, AccuracyOutOfRange) {
    for (const char* a : {"0.00009999", "0.5000001", "0", "-0.01", "1", "0.6", "nan", "inf", "-inf",
                          "1e-5", "abc"}) {
        EXPECT_TRUE(Rejected(base_.with("accuracy", a).render())) << a;
    }
    // In range but not the accuracy the buckets were made with: max leaves the last bucket.
    EXPECT_TRUE(Rejected(base_.with("accuracy", "0.02").render()));
}

TEST_F(SketchTextReject, MinAndMax) {
    for (const char* bad : {"-1", "-1e-300", "inf", "-inf", "nan", "infinity", "1e13", "x"}) {
        EXPECT_TRUE(Rejected(base_.with("min", bad).render())) << "min " << bad;
        EXPECT_TRUE(Rejected(base_.with("max", bad).render())) << "max " << bad;
    }
    // min > max, also within one bucket (7.5 and 7.51 both lie in bucket 101).
    EXPECT_TRUE(Rejected(base_.with("min", "12.5").render()));
    Fields one_bucket = fields_of(build(0.01, {7.5, 7.51}).view());
    EXPECT_TRUE(Accepted(one_bucket.render()));
    ASSERT_EQ(one_bucket.items[7].second, "101");  // offset
    ASSERT_EQ(one_bucket.items[8].second, "[2]");  // counts
    EXPECT_TRUE(Rejected(one_bucket.with("min", "7.51").with("max", "7.5").render()));
    // max not in the last bucket: in the bucket below, in the bucket above, 0.
    EXPECT_TRUE(Rejected(base_.with("max", num(sk::bucket_value(last() - 1, 0.01))).render()));
    EXPECT_TRUE(Rejected(base_.with("max", num(sk::bucket_value(last() + 1, 0.01))).render()));
    EXPECT_TRUE(Rejected(base_.with("max", "0").render()));
    // Within the last bucket is fine.
    EXPECT_TRUE(Accepted(base_.with("max", num(sk::bucket_value(last(), 0.01))).render()));
    // min above the first bucket.
    EXPECT_TRUE(Rejected(base_.with("min", num(sk::bucket_value(offset() + 1, 0.01))).render()));
    // Zeros and min: min is 0 exactly when zero_count > 0.
    EXPECT_TRUE(Rejected(with_zero_.with("min", "2").render()));
    EXPECT_TRUE(Rejected(with_zero_.with("min", "1e-300").render()));
    EXPECT_TRUE(Rejected(base_.with("min", "0").render()));
    // Only zeros: no buckets, max must be 0.
    Fields zeros = base_.with("count", "2")
                       .with("zero_count", "2")
                       .with("min", "0")
                       .with("max", "0")
                       .with("sum_ns", "[0,0]")
                       .with("offset", "0")
                       .with("counts", "[]");
    EXPECT_TRUE(Accepted(zeros.render()));
    EXPECT_TRUE(Rejected(zeros.with("max", "1").render()));
    EXPECT_TRUE(Rejected(zeros.with("min", "1").with("max", "1").render()));
}

TEST_F(SketchTextReject, SumOutsideCountTimesMinAndMax) {
    // One value of 1 ms: the sum must be exactly 1e6 ns.
    Fields one = fields_of(build(0.01, {1.0}).view());
    EXPECT_TRUE(Accepted(one.render()));
    EXPECT_TRUE(Rejected(one.with("sum_ns", "[0,999999]").render()));
    EXPECT_TRUE(Rejected(one.with("sum_ns", "[0,5000000000]").render()));
    EXPECT_TRUE(Rejected(one.with("sum_ns", "[-1,0]").render()));
}

TEST_F(SketchTextReject, OffsetOutOfRange) {
    for (const char* o : {"-2147483648", "2147483647", "2147483648", "-2147483649", "-3000000000",
                          "99999999999999999999", "1.5", "x"}) {
        EXPECT_TRUE(Rejected(base_.with("offset", o).render())) << o;
    }
    // The index range of accuracy 0.5 ends at 26 (values up to 1e12); 3^25 / 2 lies in
    // bucket 25.
    EXPECT_TRUE(Accepted(forged(0.5, 19, 7).render()));
    EXPECT_TRUE(Rejected(forged(0.5, 19, 7).with("offset", "21").with("max", "1e12").render()));
    std::int32_t lowest = sk::bucket_index(std::numeric_limits<double>::denorm_min(), 0.5);
    Fields low = forged(0.5, lowest, 3)
                     .with("offset", std::to_string(lowest - 1))
                     .with("min", num(std::numeric_limits<double>::denorm_min()));
    EXPECT_TRUE(Rejected(low.render()));
}

TEST_F(SketchTextReject, SumAndOtherSyntax) {
    EXPECT_TRUE(Rejected(base_.with("sum_ns", "[-1,0]").render()));
    EXPECT_TRUE(Rejected(base_.with("sum_ns", "[0,18446744073709551616]").render()));
    EXPECT_TRUE(Rejected(base_.with("sum_ns", "[0]").render()));
    EXPECT_TRUE(Rejected(base_.with("sum_ns", "32000000").render()));
    EXPECT_TRUE(Rejected(base_.with("counts", "[1,2,]").render()));
    EXPECT_TRUE(Rejected(base_.with("counts", "[1 2]").render()));
    EXPECT_TRUE(Rejected(base_.with("counts", "1,2").render()));
}

TEST_F(SketchTextReject, TrailingGarbageAndEmpty) {
    std::string text = base_.render();
    for (const char* tail : {"x", ")", ",", " 1", "()", "\x01"})
        EXPECT_TRUE(Rejected(text + tail)) << tail;
    EXPECT_TRUE(Accepted(text + " \n\t"));
    EXPECT_TRUE(Accepted("  " + text));
    for (const char* bad : {"", " ", "(", "()", ")", "version:1"})
        EXPECT_TRUE(Rejected(bad)) << bad;
    EXPECT_TRUE(Rejected(text.substr(0, text.size() - 1)));
    // A truncated text is rejected at every length.
    for (std::size_t cut = 0; cut < text.size(); ++cut)
        EXPECT_TRUE(Rejected(text.substr(0, cut))) << "cut at " << cut;
}

TEST_F(SketchTextReject, CountZero) {
    EXPECT_TRUE(
        Rejected("(version:1,accuracy:0.01,count:0,zero_count:0,min:0,max:0,"
                 "sum_ns:[0,0],offset:0,counts:[])"));
    sk::Summary s;
    EXPECT_TRUE(ThrowsKind(
        [&] {
            sk::validate(sk::View{s, nullptr, 0});
        },
        ErrorKind::InvalidRepresentation));
}

// ---- sketches the Builder makes are valid ---------------------------------------------

// A value on a bucket boundary gamma^i (or a neighbouring double) can get one index from
// Builder::add and another from bucket_index(); validate() and parse_text() must still take
// every sketch the Builder makes.
TEST(SketchValid, BuilderSketchOfBoundaryValueRoundTrips) {
    struct Case {
        double accuracy;
        std::vector<double> values;
    };
    const Case cases[] = {
        // 243 = 3^5 and 59049 = 3^10 at accuracy 0.5 (gamma = 3): the max on a boundary.
        {0.5, {243}},
        {0.5, {59049}},
        {0.5, {9}},
        {0.5, {27}},
        // At the default accuracy: the min on a boundary.
        {0.01, {1.8221552453176857, 100}},
    };
    for (const Case& c : cases) {
        std::string shown;
        for (double v : c.values)
            shown += " " + num(v);
        SCOPED_TRACE("accuracy=" + num(c.accuracy) + " values:" + shown);
        sk::Builder b = build(c.accuracy, c.values);
        std::string text = text_of(b.view());
        EXPECT_NO_THROW(sk::validate(b.view())) << text.substr(0, 200);
        EXPECT_TRUE(Accepted(text));
    }
}

TEST(SketchValid, BuilderSketchesOfBoundaryValuesValidate) {
    // Each value near a bucket boundary gamma^i (1e-6 .. 1e9 ms), alone (it is the max) and
    // with 5e11 ms (it is the min).
    for (double accuracy : {0.01, 0.001, 0.05, 0.5}) {
        SCOPED_TRACE("accuracy=" + num(accuracy));
        double lg = log_gamma(accuracy);
        int probes = 0;
        int failures[2] = {0, 0};
        std::string first[2];
        for (std::int32_t i = sk::bucket_index(1e-6, accuracy);
             i <= sk::bucket_index(1e9, accuracy); ++i) {
            double edge = std::exp(i * lg);
            for (double v : {std::nextafter(edge, 0.0), edge, std::nextafter(edge, kInf)}) {
                ++probes;
                for (int as_min = 0; as_min < 2; ++as_min) {
                    sk::Builder b = as_min ? build(accuracy, {v, 5e11}) : build(accuracy, {v});
                    try {
                        sk::validate(b.view());
                    } catch (const Error& e) {
                        if (failures[as_min]++ == 0) {
                            first[as_min] = "value " + num(v) + ": " + e.what() + "; text " +
                                            text_of(b.view()).substr(0, 200);
                        }
                    }
                }
            }
        }
        EXPECT_EQ(failures[0], 0) << failures[0] << " of " << probes
                                  << " single-value sketches fail validate(); first: " << first[0];
        EXPECT_EQ(failures[1], 0) << failures[1] << " of " << probes
                                  << " sketches {value, 5e11} fail validate(); first: " << first[1];
    }
}

}  // namespace
}  // namespace sktest
