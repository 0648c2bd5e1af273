// latency_sketch core: a mergeable quantile sketch with a relative-error guarantee.
//
// Pure C++ (no PostgreSQL headers). The design is DDSketch's logarithmic bucket map:
// with relative accuracy a and gamma = (1 + a) / (1 - a), a value v > 0 falls in bucket
// i = ceil(log_gamma(v)), which covers (gamma^(i-1), gamma^i]; the bucket's estimate
// 2 gamma^i / (gamma + 1) is within a relative error a of every value in it. Zero has a
// bucket of its own. A quantile's estimate is the estimate of the bucket that holds the
// value of that rank (nearest rank, as percentile_disc), clamped to [min, max], so it is
// within a of the exact nearest-rank percentile; the lowest and highest ranks return the
// exact min and max.
//
// Size is bounded: at most max_buckets(accuracy) consecutive bucket indexes are kept,
// enough for non-zero values spanning a ratio of kCoveredRatio at every accuracy (and never
// fewer than 4096). When the values span more, the lowest buckets are folded into the
// lowest kept one, so the guarantee holds for every quantile whose rank lies above the
// folded values; low quantiles then read high. Folding depends only on the highest index
// seen, so a sketch is the same whatever the order or grouping of its input.
//
// The sum is kept exactly, in integer nanoseconds (each value rounded to 1 ns), so
// merging partial sketches gives exactly the sketch of all the values.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "error.hpp"
#include "memory.hpp"

namespace opsagg::sketch {

constexpr double kDefaultAccuracy = 0.01;
constexpr double kMinAccuracy = 0.0001;
constexpr double kMaxAccuracy = 0.5;
// Every sketch keeps all buckets of non-zero values whose largest is at most kCoveredRatio
// times the smallest (e.g. 0.01 ms to 2.7 hours): the guarantee covers them all.
constexpr double kCoveredRatio = 1e9;
// The bucket limit at accuracies >= about 0.0026, where 4096 buckets cover far more than
// kCoveredRatio (10^35 at 0.01). Format-1 values written before the limit depended on the
// accuracy were folded at exactly this many buckets.
constexpr std::int32_t kMinBucketLimit = 4096;
// max_buckets(kMinAccuracy), the largest limit: bounds every text, binary and stored form
// before its accuracy is known to be valid (a unit test checks it).
constexpr std::int32_t kMaxBucketLimit = 103619;
// Largest accepted value, in milliseconds (about 31.7 years): keeps the nanosecond sum
// of any number of values far inside 128 bits.
constexpr double kMaxValue = 1e12;
constexpr std::uint8_t kFormatVersion = 1;

using Int128 = __int128;

// Throws Error(InvalidParameter) unless kMinAccuracy <= accuracy <= kMaxAccuracy.
void check_accuracy(double accuracy);

// Throws Error(InvalidParameter) unless value is finite, >= 0 and <= kMaxValue.
void check_value(double value);

// The bucket limit at this accuracy (in [kMinAccuracy, kMaxAccuracy]): the buckets that
// cover kCoveredRatio, with room for rounding in the index computation, at least
// kMinBucketLimit.
std::int32_t max_buckets(double accuracy);

// Bucket index of a value > 0 at this accuracy.
std::int32_t bucket_index(double value, double accuracy);
// The estimate of bucket `index`.
double bucket_value(std::int32_t index, double accuracy);

struct Summary {
    double accuracy = kDefaultAccuracy;
    std::uint64_t count = 0;       // all values, zeros included
    std::uint64_t zero_count = 0;  // values equal to 0
    double min = 0;
    double max = 0;
    Int128 sum_ns = 0;        // sum of the values in nanoseconds
    std::int32_t offset = 0;  // index of counts[0]
};

// A read-only sketch: counts[i] is the number of values in bucket offset + i; the first
// and last counts are non-zero (or there are none).
struct View {
    Summary summary;
    const std::uint64_t* counts = nullptr;
    std::size_t bucket_count = 0;
};

// Throws Error(InvalidRepresentation) naming the first broken invariant.
void validate(const View& sketch);

// Nearest-rank percentile estimate; q in [0, 1] (checked by the caller).
double quantile(const View& sketch, double q);
// Throws Error(InvalidParameter) unless 0 <= q <= 1.
void check_quantile(double q);
// The double nearest sum_ns / (count * 10^6), the exact mean of the values each rounded to
// 1 ns, clamped to [min, max]. Reads only the summary.
double mean(const View& sketch);

bool equal(const View& a, const View& b);

// ---- building ----------------------------------------------------------------

// Its counts live in the MemoryResource given at construction (the aggregate's memory
// context, in the server). The count array never has room for more than max_buckets(accuracy)
// counts; growing it copies into a new array, so while it grows the old one (at most
// half of that) is alive too: at most 1.5 * max_buckets(accuracy) counts for an instant.
class Builder {
  public:
    explicit Builder(double accuracy, MemoryResource* resource = default_resource());

    double accuracy() const { return summary_.accuracy; }

    void add(double value);
    // rollup / combine. Throws InvalidParameter on a different accuracy.
    void merge(const View& other);
    void merge(const Builder& other) { merge(other.view()); }

    bool empty() const { return summary_.count == 0; }
    // The sketch; valid until the next change.
    View view() const;

    // Bytes of count storage the builder holds (its container's capacity).
    std::size_t capacity_bytes() const { return counts_.capacity() * sizeof(std::uint64_t); }

  private:
    void grow_to(std::int32_t index);
    void reserve_counts(std::size_t needed, std::size_t limit);

    Summary summary_;
    double log_gamma_;
    std::int32_t bucket_limit_;
    ResourceVector<std::uint64_t> counts_;  // dense, from summary_.offset
};

// ---- stored form: bucket counts as LEB128 varints ---------------------------------

std::size_t encoded_counts_size(const View& sketch);
void encode_counts(const View& sketch, unsigned char* out);
// Decodes exactly `bucket_count` counts that fill `size` bytes; throws
// Error(InvalidRepresentation) otherwise.
void decode_counts(const unsigned char* in, std::size_t size, std::size_t bucket_count,
                   std::uint64_t* out);

// ---- text form ---------------------------------------------------------------

std::size_t text_capacity(const View& sketch);
// Writes the text form plus a NUL; returns the length without it.
std::size_t format_text(const View& sketch, char* out);

struct ParsedText {
    Summary summary;
    std::size_t bucket_count = 0;
};
ParsedText scan_text(const char* text);
// Fills `counts` (room for scan_text(text).bucket_count) and validates.
ParsedText parse_text(const char* text, std::uint64_t* counts);

// ---- binary form (latency_sketch_send / latency_sketch_recv) -----------------
// Big-endian: version byte, accuracy (float8), count, zero_count (uint64), min, max
// (float8), sum_ns high (int64) and low (uint64) halves, offset, bucket count (int32),
// then the counts (uint64 each).

std::size_t binary_size(const View& sketch);
// Writes binary_size(sketch) bytes.
void format_binary(const View& sketch, unsigned char* out);

// Checks the framing of `size` bytes and finds the summary and bucket count; the caller
// allocates the counts in between (as with scan_text / parse_text).
ParsedText scan_binary(const unsigned char* data, std::size_t size);
// Reads the counts into `counts` (room for scan_binary(...).bucket_count) and validates.
ParsedText parse_binary(const unsigned char* data, std::size_t size, std::uint64_t* counts);

}  // namespace opsagg::sketch
