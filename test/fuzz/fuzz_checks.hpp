// Shared checks of the libFuzzer targets: a failed check aborts, so libFuzzer keeps the input.
// Besides crashes and sanitizer reports, the targets look for logic bugs: every accepted
// value must validate, survive each of its forms' round trips unchanged, and give sane
// accessor results.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "error.hpp"
#include "heartbeat.hpp"
#include "sketch.hpp"

#define FUZZ_CHECK(cond)                                                                        \
    do {                                                                                        \
        if (!(cond)) {                                                                          \
            std::fprintf(stderr, "fuzz check failed: %s (%s:%d)\n", #cond, __FILE__, __LINE__); \
            std::abort();                                                                       \
        }                                                                                       \
    } while (0)

namespace fuzz {

namespace hb = opsagg::heartbeat;
namespace sk = opsagg::sketch;

// A refusal of hostile input must be a clean InvalidRepresentation (22P02), nothing else.
inline void check_refusal(const opsagg::Error& e) {
    if (e.kind() != opsagg::ErrorKind::InvalidRepresentation) {
        std::fprintf(stderr, "unexpected error kind %d: %s\n", static_cast<int>(e.kind()),
                     e.what());
        std::abort();
    }
}

// ---- heartbeat_agg -------------------------------------------------------------------

struct HeartbeatValue {
    hb::Header header;
    std::vector<hb::Range> ranges;
    hb::View view() const { return hb::View{header, ranges.data(), ranges.size()}; }
};

inline HeartbeatValue heartbeat_from_text(const std::string& text) {
    hb::ParsedText scanned = hb::scan_text(text.c_str());
    HeartbeatValue v;
    v.ranges.resize(scanned.count);
    hb::ParsedText parsed = hb::parse_text(text.c_str(), v.ranges.data());
    FUZZ_CHECK(parsed.count == scanned.count);
    v.header = parsed.header;
    return v;
}

inline std::string heartbeat_text(const hb::View& view) {
    std::string text(hb::text_capacity(view), '\0');
    std::size_t n = hb::format_text(view, text.data());
    FUZZ_CHECK(n < text.size());
    text.resize(n);
    return text;
}

inline std::vector<unsigned char> heartbeat_binary(const hb::View& view) {
    std::vector<unsigned char> bytes(hb::binary_size(view));
    hb::format_binary(view, bytes.data());
    return bytes;
}

inline HeartbeatValue heartbeat_from_binary(const unsigned char* data, std::size_t size) {
    hb::ParsedText scanned = hb::scan_binary(data, size);
    HeartbeatValue v;
    v.ranges.resize(scanned.count);
    hb::ParsedText parsed = hb::parse_binary(data, size, v.ranges.data());
    FUZZ_CHECK(parsed.count == scanned.count);
    v.header = parsed.header;
    return v;
}

// Every transform of a valid value gives a valid value (the invariants validate() checks
// are exactly those the code maintains).
inline void check_heartbeat_transforms(const hb::View& value) {
    const hb::Header& h = value.header;
    std::vector<hb::Range> out(value.count + 1);
    std::size_t n = 0;
    hb::Instant mid = h.start_time + (h.end_time - h.start_time) / 2;
    hb::Instant windows[][2] = {{h.start_time, h.end_time}, {h.start_time, mid}, {mid, h.end_time}};
    for (auto& w : windows) {
        if (w[0] >= w[1])
            continue;
        hb::Header t = hb::trim_to(value, w[0], w[1], out.data(), &n);
        hb::validate(hb::View{t, out.data(), n});
    }
    // The value's own second half, interpolated from its first half.
    if (h.start_time < mid) {
        hb::Header first = hb::trim_to(value, h.start_time, mid, out.data(), &n);
        HeartbeatValue pred{first, std::vector<hb::Range>(out.begin(), out.begin() + n)};
        std::vector<hb::Range> second(value.count);
        hb::Header s = hb::trim_to(value, mid, h.end_time, second.data(), &n);
        second.resize(n);
        hb::View second_view{s, second.data(), second.size()};
        std::vector<hb::Range> joined(hb::interpolate_capacity(second_view));
        hb::Header j = hb::interpolate(second_view, pred.view(), joined.data(), &n);
        hb::validate(hb::View{j, joined.data(), n});
        // rollup of both halves.
        hb::Builder builder(pred.header);
        builder.add_value(pred.view());
        builder.add_value(second_view);
        std::vector<hb::Range> rolled(builder.result_count());
        hb::Header r = builder.result(rolled.data());
        hb::validate(hb::View{r, rolled.data(), rolled.size()});
    }
    // rollup of the value alone is the value.
    hb::Builder alone(h);
    alone.add_value(value);
    std::vector<hb::Range> rolled(alone.result_count());
    hb::Header r = alone.result(rolled.data());
    FUZZ_CHECK(hb::equal(hb::View{r, rolled.data(), rolled.size()}, value));
    // Accessors.
    FUZZ_CHECK(hb::uptime(value) + hb::downtime(value) == h.end_time - h.start_time);
    std::vector<hb::Range> dead(hb::dead_ranges_capacity(value));
    std::size_t dead_count = hb::dead_ranges(value, dead.data());
    FUZZ_CHECK(dead_count <= dead.size());
    FUZZ_CHECK(hb::num_gaps(value) == dead_count || (value.count == 0 && dead_count == 1));
}

// Text and binary round trips of a valid value give the same value and the same text.
inline void check_heartbeat_round_trips(const hb::View& value) {
    std::string text = heartbeat_text(value);
    HeartbeatValue again = heartbeat_from_text(text);
    FUZZ_CHECK(hb::equal(again.view(), value));
    FUZZ_CHECK(heartbeat_text(again.view()) == text);
    std::vector<unsigned char> bytes = heartbeat_binary(value);
    HeartbeatValue from_binary = heartbeat_from_binary(bytes.data(), bytes.size());
    FUZZ_CHECK(hb::equal(from_binary.view(), value));
    FUZZ_CHECK(heartbeat_binary(from_binary.view()) == bytes);
    check_heartbeat_transforms(value);
}

// ---- latency_sketch --------------------------------------------------------------------

struct SketchValue {
    sk::Summary summary;
    std::vector<std::uint64_t> counts;
    sk::View view() const { return sk::View{summary, counts.data(), counts.size()}; }
};

inline SketchValue sketch_from_text(const std::string& text) {
    sk::ParsedText scanned = sk::scan_text(text.c_str());
    SketchValue v;
    v.counts.resize(scanned.bucket_count);
    sk::ParsedText parsed = sk::parse_text(text.c_str(), v.counts.data());
    FUZZ_CHECK(parsed.bucket_count == scanned.bucket_count);
    v.summary = parsed.summary;
    return v;
}

inline std::string sketch_text(const sk::View& view) {
    std::string text(sk::text_capacity(view), '\0');
    std::size_t n = sk::format_text(view, text.data());
    FUZZ_CHECK(n < text.size());
    text.resize(n);
    return text;
}

inline std::vector<unsigned char> sketch_binary(const sk::View& view) {
    std::vector<unsigned char> bytes(sk::binary_size(view));
    sk::format_binary(view, bytes.data());
    return bytes;
}

inline SketchValue sketch_from_binary(const unsigned char* data, std::size_t size) {
    sk::ParsedText scanned = sk::scan_binary(data, size);
    SketchValue v;
    v.counts.resize(scanned.bucket_count);
    sk::ParsedText parsed = sk::parse_binary(data, size, v.counts.data());
    FUZZ_CHECK(parsed.bucket_count == scanned.bucket_count);
    v.summary = parsed.summary;
    return v;
}

inline void check_sketch_round_trips(const sk::View& value) {
    const sk::Summary& s = value.summary;
    std::string text = sketch_text(value);
    SketchValue again = sketch_from_text(text);
    FUZZ_CHECK(sk::equal(again.view(), value));
    FUZZ_CHECK(sketch_text(again.view()) == text);
    std::vector<unsigned char> bytes = sketch_binary(value);
    SketchValue from_binary = sketch_from_binary(bytes.data(), bytes.size());
    FUZZ_CHECK(sk::equal(from_binary.view(), value));
    FUZZ_CHECK(sketch_binary(from_binary.view()) == bytes);
    // Stored form: the varint counts.
    std::vector<unsigned char> stored(sk::encoded_counts_size(value));
    sk::encode_counts(value, stored.data());
    std::vector<std::uint64_t> decoded(value.bucket_count);
    sk::decode_counts(stored.data(), stored.size(), value.bucket_count, decoded.data());
    FUZZ_CHECK(decoded ==
               std::vector<std::uint64_t>(value.counts, value.counts + value.bucket_count));
    // rollup of the value alone is the value; of it twice, a valid value.
    sk::Builder builder(s.accuracy);
    builder.merge(value);
    FUZZ_CHECK(sk::equal(builder.view(), value));
    try {
        builder.merge(value);
        sk::validate(builder.view());
    } catch (const opsagg::Error& e) {
        FUZZ_CHECK(e.kind() == opsagg::ErrorKind::OutOfRange);  // more than 2^64 - 1 values
    }
    // Quantiles lie in [min, max], rise with q, and the extremes are exact.
    double previous = s.min;
    for (double q : {0.0, 0.01, 0.25, 0.5, 0.75, 0.99, 1.0}) {
        double v = sk::quantile(value, q);
        FUZZ_CHECK(v >= s.min && v <= s.max && v >= previous);
        previous = v;
    }
    FUZZ_CHECK(sk::quantile(value, 0) == s.min && sk::quantile(value, 1) == s.max);
    // The sum holds each value rounded to 1 ns (1e-6 ms).
    double mean = sk::mean(value);
    FUZZ_CHECK(mean >= s.min * (1 - 1e-9) - 1e-6 && mean <= s.max * (1 + 1e-9) + 1e-6);
}

}  // namespace fuzz
