#include "sketch.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

#include "binary_form.hpp"
#include "interrupt.hpp"
#include "text_form.hpp"

namespace opsagg::sketch {

namespace {

[[noreturn]] void invalid_value(const std::string& what) {
    throw_invalid_representation("invalid latency_sketch value: " + what);
}

double log_gamma(double accuracy) {
    return std::log1p(2 * accuracy / (1 - accuracy));
}

// Every index a value in (0, kMaxValue] can have lies in [kLowestIndex(a), kHighestIndex(a)];
// index arithmetic on them cannot overflow 32 bits for accuracy >= kMinAccuracy.
std::int32_t lowest_index(double accuracy) {
    return bucket_index(std::numeric_limits<double>::denorm_min(), accuracy);
}
std::int32_t highest_index(double accuracy) {
    return bucket_index(kMaxValue, accuracy);
}

std::int64_t to_nanoseconds(double value) {
    return std::llround(value * 1e6);
}

// sum_ns from the two 64-bit halves the text and binary forms carry.
Int128 join_sum(std::int64_t high, std::uint64_t low) {
    return static_cast<Int128>(high) * (static_cast<Int128>(1) << 64) + low;
}

}  // namespace

void check_accuracy(double accuracy) {
    if (!(accuracy >= kMinAccuracy && accuracy <= kMaxAccuracy)) {
        throw_invalid_parameter("latency_sketch: relative_accuracy must be between 0.0001 and 0.5");
    }
}

void check_value(double value) {
    if (std::isnan(value))
        throw_invalid_parameter("latency_sketch: a latency cannot be NaN");
    if (value < 0) {
        throw Error(ErrorKind::OutOfRange, "latency_sketch: a latency cannot be negative");
    }
    if (!(value <= kMaxValue)) {
        throw Error(ErrorKind::OutOfRange,
                    "latency_sketch: a latency must be finite and at most 1e12 ms");
    }
}

namespace {

// The one bucket computation, so the aggregate and validation always agree.
std::int32_t index_of(double value, double log_gamma_value) {
    return static_cast<std::int32_t>(std::ceil(std::log(value) / log_gamma_value));
}

}  // namespace

std::int32_t max_buckets(double accuracy) {
    // Non-zero values v <= kCoveredRatio * u have bucket indexes at most
    // ceil(log_gamma(kCoveredRatio)) apart; one more bucket absorbs an index computed one
    // off by rounding at a bucket edge.
    double span = std::ceil(std::log(kCoveredRatio) / log_gamma(accuracy));
    return std::max(kMinBucketLimit, static_cast<std::int32_t>(span) + 2);
}

std::int32_t bucket_index(double value, double accuracy) {
    return index_of(value, log_gamma(accuracy));
}

double bucket_value(std::int32_t index, double accuracy) {
    double gamma = 1 + 2 * accuracy / (1 - accuracy);
    return 2 * std::exp(index * log_gamma(accuracy)) / (gamma + 1);
}

void validate(const View& sketch) {
    const Summary& s = sketch.summary;
    if (!(s.accuracy >= kMinAccuracy && s.accuracy <= kMaxAccuracy)) {
        invalid_value("accuracy must be between 0.0001 and 0.5");
    }
    if (s.count == 0)
        invalid_value("a sketch holds at least one value");
    std::int32_t limit = max_buckets(s.accuracy);
    if (sketch.bucket_count > static_cast<std::size_t>(limit)) {
        invalid_value("more than " + std::to_string(limit) + " buckets at this accuracy");
    }
    std::uint64_t total = s.zero_count;
    InterruptCountdown countdown;
    for (std::size_t i = 0; i < sketch.bucket_count; ++i) {
        countdown.tick();
        if (__builtin_add_overflow(total, sketch.counts[i], &total))
            invalid_value("counts overflow");
    }
    if (total != s.count)
        invalid_value("count is not the sum of the bucket counts");
    if (sketch.bucket_count > 0 &&
        (sketch.counts[0] == 0 || sketch.counts[sketch.bucket_count - 1] == 0)) {
        invalid_value("the first and last buckets must not be empty");
    }
    if (!(std::isfinite(s.min) && std::isfinite(s.max) && !std::signbit(s.min) &&
          !std::signbit(s.max) && s.min <= s.max && s.max <= kMaxValue)) {
        invalid_value("min and max must be finite, 0 <= min <= max <= 1e12 (and not -0)");
    }
    if ((s.zero_count > 0) != (s.min == 0))
        invalid_value("min is 0 exactly when there are zeros");
    if (sketch.bucket_count == 0) {
        if (s.max != 0)
            invalid_value("max must be 0 when every value is 0");
    } else {
        std::int64_t last = static_cast<std::int64_t>(s.offset) + sketch.bucket_count - 1;
        if (s.offset < lowest_index(s.accuracy) || last > highest_index(s.accuracy)) {
            invalid_value("bucket indexes out of range");
        }
        if (s.max == 0 || bucket_index(s.max, s.accuracy) != last) {
            invalid_value("max does not lie in the last bucket");
        }
        // min lies in the first bucket, or below it when the lowest buckets were folded:
        // at the limit, or (format-1 values from before the limit depended on the accuracy,
        // and their rollups) from kMinBucketLimit buckets on. (Only without zeros: min is
        // then > 0, and log(0) has no bucket index.)
        bool folded = sketch.bucket_count >= static_cast<std::size_t>(kMinBucketLimit);
        if (s.zero_count == 0) {
            std::int32_t min_index = bucket_index(s.min, s.accuracy);
            if (min_index > s.offset || (!folded && min_index != s.offset))
                invalid_value("min does not lie in the first bucket");
        }
    }
    // min and max are values of the sketch: one value means min == max.
    if (s.count == 1 && s.min != s.max)
        invalid_value("count is 1 but min and max differ");
    // Each value adds llround(v * 1e6) nanoseconds; one value is min, another max (the same
    // one when count is 1) and the others lie between them.
    Int128 n = s.count;
    Int128 min_ns = to_nanoseconds(s.min);
    Int128 max_ns = to_nanoseconds(s.max);
    if (s.sum_ns < (n - 1) * min_ns + max_ns || s.sum_ns > min_ns + (n - 1) * max_ns) {
        invalid_value("sum_ns is not a possible sum of count values from min to max");
    }
}

void check_quantile(double q) {
    if (!(q >= 0 && q <= 1))
        throw_invalid_parameter("approx_percentile: the percentile must be between 0 and 1");
}

double quantile(const View& sketch, double q) {
    const Summary& s = sketch.summary;
    // Nearest rank: the smallest value with at least q * count values at or below it.
    double wanted = std::ceil(q * static_cast<double>(s.count));
    std::uint64_t rank = s.count;  // also when wanted rounds to 2^64, which no cast may hold
    if (wanted < static_cast<double>(s.count))
        rank = wanted < 1 ? 1 : static_cast<std::uint64_t>(wanted);
    // The extremes are known exactly.
    if (rank == 1)
        return s.min;
    if (rank == s.count)
        return s.max;
    if (rank <= s.zero_count)
        return 0;
    std::uint64_t seen = s.zero_count;
    std::size_t i = 0;
    for (; i + 1 < sketch.bucket_count; ++i) {
        seen += sketch.counts[i];
        if (seen >= rank)
            break;
    }
    double estimate = bucket_value(s.offset + static_cast<std::int32_t>(i), s.accuracy);
    return std::clamp(estimate, s.min, s.max);
}

namespace {

using UInt128 = unsigned __int128;

// numerator / denominator (both > 0) correctly rounded to a double (to nearest, ties to
// even). Long division produces a quotient of exactly 55 significant bits (53 + a rounding
// bit + one more), the remainder is folded into its last bit as a sticky bit, and one
// integer-to-double conversion rounds it; the power-of-two scaling after it is exact.
double divide_correctly_rounded(UInt128 numerator, UInt128 denominator) {
    constexpr std::uint64_t kLow = std::uint64_t{1} << 54;  // 55 significant bits
    UInt128 quotient = numerator / denominator;
    UInt128 remainder = numerator % denominator;
    int exponent = 0;
    // Too many bits: shift the integer quotient right, keeping the dropped bits sticky.
    while (quotient >= (UInt128{kLow} << 1)) {
        remainder |= quotient & 1;  // only its being non-zero matters from here on
        quotient >>= 1;
        ++exponent;
    }
    // Too few: one more quotient bit per step (remainder < denominator < 2^127: no overflow).
    while (quotient < kLow) {
        remainder <<= 1;
        quotient <<= 1;
        if (remainder >= denominator) {
            remainder -= denominator;
            quotient |= 1;
        }
        --exponent;
    }
    auto bits = static_cast<std::uint64_t>(quotient) | (remainder != 0 ? 1 : 0);
    return std::ldexp(static_cast<double>(bits), exponent);
}

}  // namespace

double mean(const View& sketch) {
    const Summary& s = sketch.summary;
    if (s.count == 0 || s.sum_ns <= 0)
        return s.min;  // no values, or every value rounds to 0 ns (then min is the answer)
    // The exact mean of the values rounded to 1 ns is sum_ns / (count * 10^6) ms; the
    // product is below 2^84.
    double exact = divide_correctly_rounded(static_cast<UInt128>(s.sum_ns),
                                            static_cast<UInt128>(s.count) * 1000000);
    return std::clamp(exact, s.min, s.max);
}

bool equal(const View& a, const View& b) {
    const Summary& x = a.summary;
    const Summary& y = b.summary;
    return x.accuracy == y.accuracy && x.count == y.count && x.zero_count == y.zero_count &&
           x.min == y.min && x.max == y.max && x.sum_ns == y.sum_ns &&
           a.bucket_count == b.bucket_count && (a.bucket_count == 0 || x.offset == y.offset) &&
           std::equal(a.counts, a.counts + a.bucket_count, b.counts);
}

// ---- building ----------------------------------------------------------------

Builder::Builder(double accuracy, MemoryResource* resource)
    : log_gamma_(0), bucket_limit_(0),
      counts_(ResourceAllocator<std::uint64_t>(resource)) {
    check_accuracy(accuracy);
    summary_.accuracy = accuracy;
    log_gamma_ = log_gamma(accuracy);
    bucket_limit_ = max_buckets(accuracy);
}

// Makes room for `needed` (<= limit) counts without ever having room for more than
// `limit`: capacities are at most limit / 2 or exactly limit, so a reallocation holds
// at most 1.5 * limit counts at once.
void Builder::reserve_counts(std::size_t needed, std::size_t limit) {
    std::size_t capacity = counts_.capacity();
    if (needed <= capacity)
        return;
    std::size_t grown = std::max(needed, 2 * capacity);
    counts_.reserve(needed > limit / 2 ? limit : std::min(grown, limit / 2));
}

void Builder::grow_to(std::int32_t index) {
    const std::size_t limit = static_cast<std::size_t>(bucket_limit_);
    if (counts_.empty()) {
        reserve_counts(1, limit);
        summary_.offset = index;
        counts_.assign(1, 0);
        return;
    }
    std::int32_t last = summary_.offset + static_cast<std::int32_t>(counts_.size()) - 1;
    if (index > last) {
        std::int32_t lowest_kept = std::max(summary_.offset, index - bucket_limit_ + 1);
        std::size_t size = static_cast<std::size_t>(index - lowest_kept) + 1;
        reserve_counts(size, limit);  // first: if it throws, nothing has changed
        if (lowest_kept > summary_.offset) {
            // Fold in place: the buckets at or below lowest_kept add up into its slot.
            std::size_t shift = static_cast<std::size_t>(lowest_kept - summary_.offset);
            std::size_t folded_end = std::min(shift + 1, counts_.size());
            std::uint64_t folded = 0;
            for (std::size_t i = 0; i < folded_end; ++i)
                folded += counts_[i];
            counts_.erase(counts_.begin(), counts_.begin() + (folded_end - 1));
            counts_[0] = folded;
            summary_.offset = lowest_kept;
        }
        counts_.resize(size, 0);
    } else if (index < summary_.offset) {
        // Below the kept range: a folded value goes to the lowest kept bucket.
        std::int32_t lowest_kept = last - bucket_limit_ + 1;
        std::int32_t target = std::max(index, lowest_kept);
        if (target < summary_.offset) {
            std::size_t extra = static_cast<std::size_t>(summary_.offset - target);
            reserve_counts(counts_.size() + extra, limit);
            counts_.insert(counts_.begin(), extra, 0);
            summary_.offset = target;
        }
    }
}

// add and merge make room for the new buckets before changing anything, so a failed
// allocation (std::bad_alloc) leaves the builder as it was.
void Builder::add(double value) {
    check_value(value);
    if (value == 0)
        value = 0;  // -0 is 0, so the text form does not depend on input order
    std::int32_t index = 0;
    if (value != 0) {
        index = index_of(value, log_gamma_);
        grow_to(index);
    }
    if (summary_.count == 0 || value < summary_.min)
        summary_.min = value;
    if (summary_.count == 0 || value > summary_.max)
        summary_.max = value;
    ++summary_.count;
    summary_.sum_ns += to_nanoseconds(value);
    if (value == 0) {
        ++summary_.zero_count;
        return;
    }
    std::int32_t slot = std::max(index, summary_.offset) - summary_.offset;
    ++counts_[static_cast<std::size_t>(slot)];
}

void Builder::merge(const View& other) {
    const Summary& o = other.summary;
    if (o.accuracy != summary_.accuracy) {
        throw_invalid_parameter(
            "rollup: all latency_sketch inputs must have the same relative accuracy");
    }
    if (o.count == 0)
        return;
    std::uint64_t total;  // no bucket count can overflow when the total does not
    if (__builtin_add_overflow(summary_.count, o.count, &total)) {
        throw Error(ErrorKind::OutOfRange, "rollup: more than 2^64 - 1 values");
    }
    if (other.bucket_count > 0) {
        std::int64_t other_last = static_cast<std::int64_t>(o.offset) + other.bucket_count - 1;
        std::int64_t low = o.offset;
        std::int64_t high = other_last;
        if (!counts_.empty()) {
            low = std::min<std::int64_t>(low, summary_.offset);
            high = std::max<std::int64_t>(high, summary_.offset + counts_.size() - 1);
        }
        // Room for the merged span (at most the bucket limit): grow_to then allocates nothing.
        reserve_counts(
            static_cast<std::size_t>(std::min<std::int64_t>(high - low + 1, bucket_limit_)),
            static_cast<std::size_t>(bucket_limit_));
        grow_to(static_cast<std::int32_t>(other_last));
        grow_to(o.offset);
        InterruptCountdown countdown;
        for (std::size_t i = 0; i < other.bucket_count; ++i) {
            countdown.tick();
            std::int32_t index = o.offset + static_cast<std::int32_t>(i);
            std::int32_t slot = std::max(index, summary_.offset) - summary_.offset;
            counts_[static_cast<std::size_t>(slot)] += other.counts[i];
        }
    }
    summary_.min = summary_.count == 0 ? o.min : std::min(summary_.min, o.min);
    summary_.max = summary_.count == 0 ? o.max : std::max(summary_.max, o.max);
    summary_.count = total;
    summary_.zero_count += o.zero_count;
    summary_.sum_ns += o.sum_ns;
}

View Builder::view() const {
    return View{summary_, counts_.data(), counts_.size()};
}

// ---- stored form -----------------------------------------------------------------

std::size_t encoded_counts_size(const View& sketch) {
    std::size_t size = 0;
    InterruptCountdown countdown;
    for (std::size_t i = 0; i < sketch.bucket_count; ++i) {
        countdown.tick();
        std::uint64_t c = sketch.counts[i];
        do {
            ++size;
            c >>= 7;
        } while (c != 0);
    }
    return size;
}

void encode_counts(const View& sketch, unsigned char* out) {
    InterruptCountdown countdown;
    for (std::size_t i = 0; i < sketch.bucket_count; ++i) {
        countdown.tick();
        std::uint64_t c = sketch.counts[i];
        while (c >= 0x80) {
            *out++ = static_cast<unsigned char>(c | 0x80);
            c >>= 7;
        }
        *out++ = static_cast<unsigned char>(c);
    }
}

void decode_counts(const unsigned char* in, std::size_t size, std::size_t bucket_count,
                   std::uint64_t* out) {
    const unsigned char* end = in + size;
    InterruptCountdown countdown;
    for (std::size_t i = 0; i < bucket_count; ++i) {
        countdown.tick();
        std::uint64_t c = 0;
        for (int shift = 0;; shift += 7) {
            if (in == end || shift > 63)
                invalid_value("malformed bucket counts");
            unsigned char byte = *in++;
            std::uint64_t bits = byte & 0x7f;
            if ((shift == 63 && bits > 1) || (shift > 0 && byte == 0))
                invalid_value("malformed bucket counts");  // too wide, or padded
            c |= bits << shift;
            if ((byte & 0x80) == 0)
                break;
        }
        out[i] = c;
    }
    if (in != end)
        invalid_value("malformed bucket counts");
}

// ---- text form ---------------------------------------------------------------

using text::kMaxNumberLength;
using text::put;

std::size_t text_capacity(const View& sketch) {
    // Fixed text, seven numbers, a 128-bit sum, then a number and a comma per bucket.
    return 200 + 7 * kMaxNumberLength + 41 + sketch.bucket_count * (kMaxNumberLength + 1);
}

namespace {

Int128 parse_int128(text::Parser& p) {
    // The sum is written as two parts, high and low 64 bits of nanoseconds, to keep the
    // parser to 64-bit integers: sum_ns = high * 2^64 + low.
    std::int64_t high = p.integer<std::int64_t>();
    p.expect(",");
    std::uint64_t low = p.integer<std::uint64_t>();
    return join_sum(high, low);
}

}  // namespace

std::size_t format_text(const View& sketch, char* out) {
    const Summary& s = sketch.summary;
    char* p = out;
    p = put(p, "(version:");
    p = put(p, static_cast<int>(kFormatVersion));
    p = put(p, ",accuracy:");
    p = put(p, s.accuracy);
    p = put(p, ",count:");
    p = put(p, s.count);
    p = put(p, ",zero_count:");
    p = put(p, s.zero_count);
    p = put(p, ",min:");
    p = put(p, s.min);
    p = put(p, ",max:");
    p = put(p, s.max);
    p = put(p, ",sum_ns:[");
    p = put(p, static_cast<std::int64_t>(s.sum_ns >> 64));
    p = put(p, ",");
    p = put(p, static_cast<std::uint64_t>(s.sum_ns));
    p = put(p, "],offset:");
    p = put(p, sketch.bucket_count == 0 ? 0 : s.offset);
    p = put(p, ",counts:[");
    for (std::size_t i = 0; i < sketch.bucket_count; ++i) {
        if (i > 0)
            *p++ = ',';
        p = put(p, sketch.counts[i]);
    }
    p = put(p, "])");
    *p = '\0';
    return static_cast<std::size_t>(p - out);
}

namespace {

ParsedText parse(const char* source, std::uint64_t* counts) {
    text::Parser p(source, "latency_sketch");
    ParsedText parsed;
    Summary& s = parsed.summary;
    p.expect("(");
    p.expect_field("version");
    if (p.integer<std::int64_t>() != kFormatVersion)
        p.fail("unsupported version");
    p.expect(",");
    p.expect_field("accuracy");
    s.accuracy = p.real();
    p.expect(",");
    p.expect_field("count");
    s.count = p.integer<std::uint64_t>();
    p.expect(",");
    p.expect_field("zero_count");
    s.zero_count = p.integer<std::uint64_t>();
    p.expect(",");
    p.expect_field("min");
    s.min = p.real();
    p.expect(",");
    p.expect_field("max");
    s.max = p.real();
    p.expect(",");
    p.expect_field("sum_ns");
    p.expect("[");
    s.sum_ns = parse_int128(p);
    p.expect("]");
    p.expect(",");
    p.expect_field("offset");
    s.offset = p.integer<std::int32_t>();
    p.expect(",");
    p.expect_field("counts");
    parsed.bucket_count = p.list([&](std::size_t i) {
        std::uint64_t c = p.integer<std::uint64_t>();
        if (i >= static_cast<std::size_t>(kMaxBucketLimit))
            p.fail("too many buckets");  // validate() checks the limit at the accuracy
        if (counts != nullptr)
            counts[i] = c;
    });
    p.expect(")");
    p.expect_end();
    return parsed;
}

}  // namespace

ParsedText scan_text(const char* text) {
    return parse(text, nullptr);
}

ParsedText parse_text(const char* text, std::uint64_t* counts) {
    ParsedText parsed = parse(text, counts);
    if (counts == nullptr && parsed.bucket_count > 0) {
        throw Error(ErrorKind::Internal, "parse_text needs storage for the counts");
    }
    validate(View{parsed.summary, counts, parsed.bucket_count});
    return parsed;
}

// ---- binary form -------------------------------------------------------------

namespace {

constexpr std::size_t kBinaryHeaderSize = 1 + 7 * 8 + 2 * 4;

// Reads the summary and bucket count; reads the counts into `counts` when it is set.
ParsedText read_binary(const unsigned char* data, std::size_t size, std::uint64_t* counts) {
    binary::Reader in(data, size, "latency_sketch");
    in.require(kBinaryHeaderSize);
    int version = in.u8();
    if (version != kFormatVersion)
        in.fail("unsupported version " + std::to_string(version));
    ParsedText parsed;
    Summary& s = parsed.summary;
    s.accuracy = in.f64();
    s.count = in.u64();
    s.zero_count = in.u64();
    s.min = in.f64();
    s.max = in.f64();
    std::int64_t high = in.i64();
    std::uint64_t low = in.u64();
    s.sum_ns = join_sum(high, low);
    s.offset = in.i32();
    std::int32_t bucket_count = in.i32();
    if (bucket_count < 0 || bucket_count > kMaxBucketLimit ||
        in.remaining() != static_cast<std::size_t>(bucket_count) * sizeof(std::uint64_t)) {
        in.fail("bucket count " + std::to_string(bucket_count) +
                " does not match the message length");
    }
    parsed.bucket_count = static_cast<std::size_t>(bucket_count);
    if (counts != nullptr) {
        for (std::size_t i = 0; i < parsed.bucket_count; ++i)
            counts[i] = in.u64();
    }
    return parsed;
}

}  // namespace

std::size_t binary_size(const View& sketch) {
    return kBinaryHeaderSize + sketch.bucket_count * sizeof(std::uint64_t);
}

void format_binary(const View& sketch, unsigned char* out) {
    const Summary& s = sketch.summary;
    out = binary::put_u8(out, kFormatVersion);
    out = binary::put_f64(out, s.accuracy);
    out = binary::put_u64(out, s.count);
    out = binary::put_u64(out, s.zero_count);
    out = binary::put_f64(out, s.min);
    out = binary::put_f64(out, s.max);
    out = binary::put_u64(out, static_cast<std::uint64_t>(s.sum_ns >> 64));
    out = binary::put_u64(out, static_cast<std::uint64_t>(s.sum_ns));
    out = binary::put_u32(out, static_cast<std::uint32_t>(sketch.bucket_count == 0 ? 0 : s.offset));
    out = binary::put_u32(out, static_cast<std::uint32_t>(sketch.bucket_count));
    for (std::size_t i = 0; i < sketch.bucket_count; ++i)
        out = binary::put_u64(out, sketch.counts[i]);
}

ParsedText scan_binary(const unsigned char* data, std::size_t size) {
    return read_binary(data, size, nullptr);
}

ParsedText parse_binary(const unsigned char* data, std::size_t size, std::uint64_t* counts) {
    ParsedText parsed = read_binary(data, size, counts);
    if (counts == nullptr && parsed.bucket_count > 0) {
        throw Error(ErrorKind::Internal, "parse_binary needs storage for the counts");
    }
    validate(View{parsed.summary, counts, parsed.bucket_count});
    return parsed;
}

}  // namespace opsagg::sketch
