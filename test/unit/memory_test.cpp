// Aggregate states keep their containers in the MemoryResource they are given (in the server,
// the aggregate's memory context): every byte goes through it and comes back, the peak stays
// within the stated bounds, and an allocation failure (std::bad_alloc) leaves a builder valid.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <map>
#include <new>
#include <random>
#include <vector>

#include "heartbeat.hpp"
#include "heartbeat_test_util.hpp"
#include "memory.hpp"
#include "sketch.hpp"

namespace memtest {
namespace {

namespace hb = opsagg::heartbeat;
namespace sk = opsagg::sketch;
using hbtest::case_label;
using hbtest::case_rng;
using hbtest::Rng;

// Counts what it hands out; checks that every block comes back with its size and alignment.
class CountingResource final : public opsagg::MemoryResource {
  public:
    ~CountingResource() {
        EXPECT_TRUE(blocks_.empty()) << blocks_.size() << " blocks not returned";
    }

    std::size_t live_bytes() const { return live_; }
    std::size_t peak_bytes() const { return peak_; }
    std::size_t allocations() const { return allocations_; }
    void reset_peak() { peak_ = live_; }

  private:
    void* do_allocate(std::size_t bytes, std::size_t alignment) override {
        void* p = opsagg::default_resource()->allocate(bytes, alignment);
        blocks_[p] = {bytes, alignment};
        live_ += bytes;
        peak_ = std::max(peak_, live_);
        ++allocations_;
        return p;
    }
    void do_deallocate(void* p, std::size_t bytes, std::size_t alignment) noexcept override {
        auto it = blocks_.find(p);
        EXPECT_NE(it, blocks_.end()) << "deallocating a block this resource did not give";
        if (it != blocks_.end()) {
            EXPECT_EQ(it->second.bytes, bytes);
            EXPECT_EQ(it->second.alignment, alignment);
            blocks_.erase(it);
            live_ -= bytes;
        }
        opsagg::default_resource()->deallocate(p, bytes, alignment);
    }

    struct Block {
        std::size_t bytes;
        std::size_t alignment;
    };
    std::map<void*, Block> blocks_;
    std::size_t live_ = 0;
    std::size_t peak_ = 0;
    std::size_t allocations_ = 0;
};

// A counting resource that throws std::bad_alloc while `failing` is set.
class FailingResource final : public opsagg::MemoryResource {
  public:
    bool failing = false;
    std::size_t failures = 0;
    CountingResource counted;

  private:
    void* do_allocate(std::size_t bytes, std::size_t alignment) override {
        if (failing) {
            ++failures;
            throw std::bad_alloc();
        }
        return counted.allocate(bytes, alignment);
    }
    void do_deallocate(void* p, std::size_t bytes, std::size_t alignment) noexcept override {
        counted.deallocate(p, bytes, alignment);
    }
};

TEST(MemoryResource, AllocatorsCompareByResource) {
    CountingResource a, b;
    EXPECT_EQ(opsagg::ResourceAllocator<int>(&a), opsagg::ResourceAllocator<long>(&a));
    EXPECT_NE(opsagg::ResourceAllocator<int>(&a), opsagg::ResourceAllocator<int>(&b));
    opsagg::ResourceVector<int> v{opsagg::ResourceAllocator<int>(&a)};
    v.assign(1000, 7);
    EXPECT_GE(a.live_bytes(), 1000 * sizeof(int));
    opsagg::ResourceVector<int> copy(v);  // a copy keeps the resource
    EXPECT_EQ(copy.get_allocator().resource(), &a);
    EXPECT_EQ(b.allocations(), 0u);
}

// ---- heartbeat_agg ---------------------------------------------------------------

std::vector<hb::Instant> shuffled_heartbeats(Rng& rng, std::size_t count, hb::Instant spacing) {
    std::vector<hb::Instant> beats(count);
    for (std::size_t i = 0; i < count; ++i)
        beats[i] = static_cast<hb::Instant>(i) * spacing + hbtest::uniform(rng, 0, spacing / 2);
    std::shuffle(beats.begin(), beats.end(), rng);
    return beats;
}

// Every byte of a builder's ranges comes from its resource, and all of it comes back; the
// result is the one a builder on the default resource gives.
TEST(HeartbeatResource, EveryByteFromTheResourceAndReturned) {
    for (int i = 0; i < 20; ++i) {
        SCOPED_TRACE(case_label("HeartbeatResource.EveryByteFromTheResourceAndReturned", i));
        Rng rng = case_rng(60, i);
        const hb::Header header{0, 1'000'000'000'000, 0, 1000};
        // Gaps of up to 2 L: some heartbeats join a range, some start one.
        std::vector<hb::Instant> beats = shuffled_heartbeats(rng, 20'000 + 1000 * i, 2000);
        CountingResource resource;
        {
            hb::Builder b(header, &resource);
            hb::Builder reference(header);
            for (hb::Instant h : beats) {
                b.add_heartbeat(h);
                reference.add_heartbeat(h);
                ASSERT_EQ(resource.live_bytes(), b.capacity_bytes());
            }
            EXPECT_EQ(hbtest::finish(b), hbtest::finish(reference));
            EXPECT_GT(resource.allocations(), 0u);
            // Copies and serialization round trips stay on the resource they are given.
            hb::Builder copy(b);
            EXPECT_EQ(resource.live_bytes(), b.capacity_bytes() + copy.capacity_bytes());
            std::vector<unsigned char> bytes(b.serialized_size());
            b.serialize(bytes.data());
            CountingResource other;
            {
                hb::Builder restored = hb::Builder::deserialize(bytes.data(), bytes.size(), &other);
                EXPECT_EQ(other.live_bytes(), restored.capacity_bytes());
                EXPECT_EQ(hbtest::finish(restored), hbtest::finish(reference));
            }
            EXPECT_EQ(other.live_bytes(), 0u);
        }
        EXPECT_EQ(resource.live_bytes(), 0u);
    }
}

// After a flush the out-of-order buffer is given back, and the range list holds little spare
// room: a state that stays in a hash table keeps what it needs, not its peak.
TEST(HeartbeatResource, FlushGivesBackTheBuffer) {
    Rng rng = case_rng(61, 0);
    const hb::Header header{0, 1'000'000'000'000, 0, 1000};
    std::vector<hb::Instant> beats = shuffled_heartbeats(rng, 50'000, 3000);
    CountingResource resource;
    hb::Builder b(header, &resource);
    for (hb::Instant h : beats)
        b.add_heartbeat(h);
    std::size_t count = b.result_count();  // flushes
    EXPECT_EQ(count, beats.size());
    EXPECT_EQ(resource.live_bytes(), b.capacity_bytes());
    EXPECT_LE(b.capacity_bytes(), (count + count / 2) * sizeof(hb::Range));
}

// The peak follows the ranges of the rows seen so far (heartbeat.hpp: at most 8 times the
// larger of that range count and the 4096-entry buffer, in bytes of ranges).
TEST(HeartbeatResource, PeakWithinTheStatedBound) {
    for (int i = 0; i < 5; ++i) {
        SCOPED_TRACE(case_label("HeartbeatResource.PeakWithinTheStatedBound", i));
        Rng rng = case_rng(62, i);
        const hb::Header header{0, 1'000'000'000'000, 0, 1000};
        std::vector<hb::Instant> beats = shuffled_heartbeats(rng, 200'000, 1500 + 500 * i);
        CountingResource resource;
        hb::Builder b(header, &resource);
        for (hb::Instant h : beats)
            b.add_heartbeat(h);
        std::size_t count = b.result_count();
        std::size_t bound = 8 * std::max<std::size_t>(count, 4096) * sizeof(hb::Range);
        EXPECT_LE(resource.peak_bytes(), bound) << count << " ranges";
    }
}

// A failed allocation propagates as std::bad_alloc; the builder stays valid (an aggregate of
// its input with or without the failed row) and gives all its memory back.
TEST(HeartbeatResource, AllocationFailureLeavesTheBuilderValid) {
    for (int i = 0; i < 30; ++i) {
        SCOPED_TRACE(case_label("HeartbeatResource.AllocationFailureLeavesTheBuilderValid", i));
        Rng rng = case_rng(63, i);
        const hb::Header header{0, 100'000'000, 0, 1000};
        std::vector<hb::Instant> beats = shuffled_heartbeats(rng, 10'000, 2500);
        std::size_t fail_at = hbtest::uniform(rng, 0, beats.size() - 1);
        FailingResource resource;
        {
            hb::Builder b(header, &resource);
            bool threw = false;
            for (std::size_t k = 0; k < beats.size(); ++k) {
                resource.failing = k >= fail_at;
                try {
                    b.add_heartbeat(beats[k]);
                } catch (const std::bad_alloc&) {
                    threw = true;
                    std::vector<hb::Instant> with(beats.begin(), beats.begin() + k + 1);
                    std::vector<hb::Instant> without(beats.begin(), beats.begin() + k);
                    resource.failing = false;
                    hbtest::Value got = hbtest::finish(b);
                    EXPECT_TRUE(hbtest::IsValid(got));
                    if (!without.empty()) {
                        EXPECT_TRUE(got == hbtest::build(header, with) ||
                                    got == hbtest::build(header, without))
                            << "failed at row " << k;
                    }
                    break;
                }
            }
            EXPECT_TRUE(threw);
            EXPECT_GT(resource.failures, 0u);
        }
        EXPECT_EQ(resource.counted.live_bytes(), 0u);
    }
}

// ---- latency_sketch ----------------------------------------------------------------

const std::size_t kCountBytes = sizeof(std::uint64_t);

// The count array never has room for more than the maximum bucket count; while it grows the
// old array (at most half of that) is alive too (sketch.hpp).
void expect_within_bucket_bound(const CountingResource& resource, const sk::Builder& b,
                                std::size_t max_buckets) {
    ASSERT_EQ(resource.live_bytes(), b.capacity_bytes());
    ASSERT_LE(b.capacity_bytes(), max_buckets * kCountBytes);
    ASSERT_LE(resource.peak_bytes(), max_buckets * kCountBytes * 3 / 2);
}

TEST(SketchResource, CountsStayWithinTheBucketBound) {
    for (double accuracy : {0.0001, 0.001, 0.01, 0.2}) {
        const std::size_t max_buckets = static_cast<std::size_t>(sk::max_buckets(accuracy));
        for (int i = 0; i < 4; ++i) {
            SCOPED_TRACE(case_label("SketchResource.CountsStayWithinTheBucketBound", i));
            Rng rng = case_rng(70, i);
            CountingResource resource;
            {
                sk::Builder b(accuracy, &resource);
                sk::Builder reference(accuracy);
                // Log-uniform over up to 24 decades: wide enough to fold at fine accuracies.
                double decades = 3 + 7 * i;
                std::uniform_real_distribution<double> exponent(-decades / 2, decades / 2);
                for (int k = 0; k < 50'000; ++k) {
                    double v = k % 1000 == 0 ? 0 : std::pow(10.0, exponent(rng));
                    b.add(v);
                    reference.add(v);
                    if (k % 64 == 0)
                        expect_within_bucket_bound(resource, b, max_buckets);
                }
                expect_within_bucket_bound(resource, b, max_buckets);
                EXPECT_TRUE(sk::equal(b.view(), reference.view()));
                // Merging keeps the bound as well.
                sk::Builder merged(accuracy, &resource);
                merged.merge(reference);
                merged.merge(b);
                EXPECT_LE(merged.capacity_bytes(), max_buckets * kCountBytes);
                EXPECT_LE(resource.peak_bytes(),
                          b.capacity_bytes() + max_buckets * kCountBytes * 3 / 2);
            }
            EXPECT_EQ(resource.live_bytes(), 0u);
        }
    }
}

// Before this bound, growing by resize/insert doubled past the limit (48-72 kB at 4096).
TEST(SketchResource, FoldingNeverAllocatesPastTheBound) {
    const std::size_t max_buckets = static_cast<std::size_t>(sk::max_buckets(0.0001));
    CountingResource resource;
    sk::Builder b(0.0001, &resource);
    // Ever higher values: the kept span slides up, folding the lowest buckets.
    // From 2e-9 to 2.2e4: about 150,000 buckets at 0.01%, past its limit of 103,619.
    for (int k = 0; k < 20'000; ++k) {
        b.add(std::exp(-20 + k * 1.5e-3));
        ASSERT_LE(b.capacity_bytes(), max_buckets * kCountBytes) << "k=" << k;
    }
    EXPECT_EQ(b.view().bucket_count, max_buckets);
    EXPECT_LE(resource.peak_bytes(), max_buckets * kCountBytes * 3 / 2);
}

TEST(SketchResource, AllocationFailureLeavesTheBuilderValid) {
    int failed_cases = 0;
    for (int i = 0; i < 40; ++i) {
        SCOPED_TRACE(case_label("SketchResource.AllocationFailureLeavesTheBuilderValid", i));
        Rng rng = case_rng(71, i);
        std::uniform_real_distribution<double> exponent(-4, 8);
        std::vector<double> values(3000);
        for (double& v : values)
            v = std::pow(10.0, exponent(rng));
        // The count array grows a few times, within the first rows: fail among them.
        std::size_t fail_at = hbtest::uniform(rng, 0, 6);
        FailingResource resource;
        {
            sk::Builder b(0.01, &resource);
            sk::Builder reference(0.01);
            for (std::size_t k = 0; k < values.size(); ++k) {
                resource.failing = k >= fail_at;
                try {
                    if (i % 2 == 0) {
                        b.add(values[k]);
                    } else {
                        sk::Builder one(0.01);
                        one.add(values[k]);
                        b.merge(one);
                    }
                    reference.add(values[k]);
                } catch (const std::bad_alloc&) {
                    ++failed_cases;
                    break;  // the failed value is not in the sketch
                }
            }
            // What the builder holds is exactly the values before the failure.
            EXPECT_TRUE(sk::equal(b.view(), reference.view()));
            if (!reference.empty()) {
                EXPECT_NO_THROW(sk::validate(b.view()));
            }
        }
        EXPECT_EQ(resource.counted.live_bytes(), 0u);
    }
    EXPECT_GE(failed_cases, 20);  // most cases do fail (a sketch of 3000 values keeps growing)
}

}  // namespace
}  // namespace memtest
