#include "sketch.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

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
    if (sketch.bucket_count > static_cast<std::size_t>(kMaxBuckets)) {
        invalid_value("more than " + std::to_string(kMaxBuckets) + " buckets");
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
        // min lies in the first bucket, or below it when the lowest buckets were folded.
        std::int32_t min_index = bucket_index(s.min, s.accuracy);
        bool folded = sketch.bucket_count == static_cast<std::size_t>(kMaxBuckets);
        if (s.zero_count == 0 && (min_index > s.offset || (!folded && min_index != s.offset))) {
            invalid_value("min does not lie in the first bucket");
        }
    }
    // Each value adds llround(v * 1e6) nanoseconds, and min <= v <= max.
    Int128 n = s.count;
    if (s.sum_ns < n * to_nanoseconds(s.min) || s.sum_ns > n * to_nanoseconds(s.max)) {
        invalid_value("sum_ns is not between count * min and count * max");
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

double mean(const View& sketch) {
    return static_cast<double>(sketch.summary.sum_ns) / 1e6 /
           static_cast<double>(sketch.summary.count);
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

Builder::Builder(double accuracy) : log_gamma_(0) {
    check_accuracy(accuracy);
    summary_.accuracy = accuracy;
    log_gamma_ = log_gamma(accuracy);
}

void Builder::grow_to(std::int32_t index) {
    if (counts_.empty()) {
        summary_.offset = index;
        counts_.assign(1, 0);
        return;
    }
    std::int32_t last = summary_.offset + static_cast<std::int32_t>(counts_.size()) - 1;
    if (index > last) {
        std::int32_t lowest_kept = std::max(summary_.offset, index - kMaxBuckets + 1);
        if (lowest_kept == summary_.offset) {
            counts_.resize(static_cast<std::size_t>(index - summary_.offset) + 1, 0);
            return;
        }
        // Fold into a fresh vector, so memory never exceeds kMaxBuckets counts.
        std::vector<std::uint64_t> kept(static_cast<std::size_t>(index - lowest_kept) + 1, 0);
        for (std::size_t i = 0; i < counts_.size(); ++i) {
            std::int32_t slot =
                std::max(summary_.offset + static_cast<std::int32_t>(i), lowest_kept);
            kept[static_cast<std::size_t>(slot - lowest_kept)] += counts_[i];
        }
        counts_.swap(kept);
        summary_.offset = lowest_kept;
    } else if (index < summary_.offset) {
        // Below the kept range: a folded value goes to the lowest kept bucket.
        std::int32_t lowest_kept = last - kMaxBuckets + 1;
        std::int32_t target = std::max(index, lowest_kept);
        if (target < summary_.offset) {
            counts_.insert(counts_.begin(), static_cast<std::size_t>(summary_.offset - target), 0);
            summary_.offset = target;
        }
    }
}

void Builder::add(double value) {
    check_value(value);
    if (value == 0)
        value = 0;  // -0 is 0, so the text form does not depend on input order
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
    std::int32_t index = index_of(value, log_gamma_);
    grow_to(index);
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
    summary_.min = summary_.count == 0 ? o.min : std::min(summary_.min, o.min);
    summary_.max = summary_.count == 0 ? o.max : std::max(summary_.max, o.max);
    summary_.count = total;
    summary_.zero_count += o.zero_count;
    summary_.sum_ns += o.sum_ns;
    if (other.bucket_count == 0)
        return;
    grow_to(o.offset + static_cast<std::int32_t>(other.bucket_count) - 1);
    grow_to(o.offset);
    InterruptCountdown countdown;
    for (std::size_t i = 0; i < other.bucket_count; ++i) {
        countdown.tick();
        std::int32_t index = o.offset + static_cast<std::int32_t>(i);
        std::int32_t slot = std::max(index, summary_.offset) - summary_.offset;
        counts_[static_cast<std::size_t>(slot)] += other.counts[i];
    }
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
    return static_cast<Int128>(high) * (static_cast<Int128>(1) << 64) + low;
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
        if (i >= static_cast<std::size_t>(kMaxBuckets))
            p.fail("too many buckets");
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

}  // namespace opsagg::sketch
