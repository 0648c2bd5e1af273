// The binary decoders of the cores (the *_recv forms), the validation holes found by fuzzing
// and hostile input, and the inputs the libFuzzer targets (test/fuzz) found, kept as cases.
#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <vector>

#include "heartbeat_test_util.hpp"
#include "sketch.hpp"

namespace {

using namespace hbtest;
namespace sk = opsagg::sketch;
using opsagg::ErrorKind;

using Bytes = std::vector<unsigned char>;

void put_be(Bytes& out, std::uint64_t v, int size) {
    for (int shift = 8 * (size - 1); shift >= 0; shift -= 8)
        out.push_back(static_cast<unsigned char>(v >> shift));
}

void put_double(Bytes& out, double v) {
    std::uint64_t bits;
    std::memcpy(&bits, &v, sizeof bits);
    put_be(out, bits, 8);
}

// heartbeat_agg_send's layout, written independently of the core.
Bytes heartbeat_bytes(const Value& v, int version = 1) {
    Bytes out{static_cast<unsigned char>(version)};
    const Header& h = v.header;
    for (Instant field : {h.start_time, h.end_time, h.last_seen, h.interval_len,
                          static_cast<Instant>(v.ranges.size())}) {
        put_be(out, static_cast<std::uint64_t>(field), 8);
    }
    for (const Range& r : v.ranges) {
        put_be(out, static_cast<std::uint64_t>(r.start), 8);
        put_be(out, static_cast<std::uint64_t>(r.end), 8);
    }
    return out;
}

Value heartbeat_from_bytes(const Bytes& bytes) {
    hb::ParsedText scanned = hb::scan_binary(bytes.data(), bytes.size());
    Value v;
    v.ranges.resize(scanned.count);
    v.header = hb::parse_binary(bytes.data(), bytes.size(), v.ranges.data()).header;
    return v;
}

std::string error_of(const std::function<void()>& f) {
    try {
        f();
    } catch (const opsagg::Error& e) {
        EXPECT_EQ(e.kind(), ErrorKind::InvalidRepresentation) << e.what();
        return e.what();
    }
    return "accepted";
}

// ---- heartbeat_agg binary form -----------------------------------------------------------

TEST(HeartbeatBinary, RandomRoundTrip) {
    for (int i = 0; i < 2000; ++i) {
        SCOPED_TRACE(case_label("HeartbeatBinary.RandomRoundTrip", i));
        Rng rng = case_rng(71, i);
        Value v = random_value(rng);
        ASSERT_TRUE(IsValid(v));
        Bytes expected = heartbeat_bytes(v);
        Bytes written(hb::binary_size(v.view()));
        hb::format_binary(v.view(), written.data());
        ASSERT_EQ(written, expected);
        ASSERT_EQ(heartbeat_from_bytes(written), v);
    }
}

TEST(HeartbeatBinary, Refusals) {
    Value v{{0, 100, 50, 10}, {{5, 20}}};
    Bytes good = heartbeat_bytes(v);
    auto refuse = [](Bytes bytes) { return error_of([&] { heartbeat_from_bytes(bytes); }); };
    EXPECT_EQ(refuse(good), "accepted");
    EXPECT_EQ(refuse({}), "invalid binary heartbeat_agg: message too short");
    EXPECT_EQ(refuse(Bytes(good.begin(), good.begin() + 40)),
              "invalid binary heartbeat_agg: message too short");
    EXPECT_EQ(refuse(heartbeat_bytes(v, 2)), "invalid binary heartbeat_agg: unsupported version 2");
    Bytes truncated(good.begin(), good.end() - 1);
    EXPECT_EQ(refuse(truncated),
              "invalid binary heartbeat_agg: range count 1 does not match the message length");
    Bytes longer = good;
    longer.push_back(0);
    EXPECT_EQ(refuse(longer),
              "invalid binary heartbeat_agg: range count 1 does not match the message length");
    Bytes negative = heartbeat_bytes(Value{{0, 100, 50, 10}, {}});
    std::fill(negative.end() - 8, negative.end(), 0xff);
    EXPECT_EQ(refuse(negative),
              "invalid binary heartbeat_agg: range count -1 does not match the message length");
    // Framing is fine, the value is not: validate()'s message.
    EXPECT_EQ(refuse(heartbeat_bytes(Value{{0, 100, 50, 10}, {{30, 20}}})),
              "invalid heartbeat_agg value: interval 0 is empty or inverted");
}

// ---- heartbeat_agg last_seen (found by hostile input) ---------------------------------------

TEST(HeartbeatLastSeen, ForgedValuesAreRefused) {
    // Far after end_time: rollup with the next window would count it as live.
    EXPECT_EQ(error_of([] {
                  hb::validate(Value{{0, 100, 9000, 10}, {{90, 100}}}.view());
              }),
              "invalid heartbeat_agg value: last_seen is after end_time");
    EXPECT_EQ(error_of([] {
                  hb::validate(Value{{0, 100, 101, 10}, {{90, 100}}}.view());
              }),
              "invalid heartbeat_agg value: last_seen is after end_time");
    // INT64_MIN (or anything before the earliest timestamp minus the liveness).
    const Instant int64_min = std::numeric_limits<Instant>::min();
    EXPECT_EQ(error_of([&] {
                  hb::validate(Value{{0, 100, int64_min, 10}, {{5, 20}}}.view());
              }),
              "invalid heartbeat_agg value: last_seen is before the earliest timestamp minus "
              "interval_len");
    EXPECT_EQ(error_of([] {
                  hb::validate(Value{{0, 100, hb::kMinInstant - 11, 10}, {}}.view());
              }),
              "invalid heartbeat_agg value: last_seen is before the earliest timestamp minus "
              "interval_len");
    // The bounds themselves are values the code makes.
    EXPECT_TRUE(IsValid(Value{{0, 100, 100, 10}, {{90, 100}}}));          // trim_to's new end
    EXPECT_TRUE(IsValid(Value{{0, 100, hb::kMinInstant - 10, 10}, {}}));  // start - L
}

TEST(HeartbeatLastSeen, TrimToMakesBothBounds) {
    // last_seen = the new end (the last range reaches L past it).
    Value v{{0, 100, 95, 10}, {{10, 40}, {95, 100}}};
    Value t = trimmed(v, 0, 20);
    EXPECT_EQ(t.header.last_seen, 20);
    EXPECT_TRUE(IsValid(t));
    // last_seen = start - L for an empty window: exact even for the longest liveness at the
    // earliest timestamp (a saturated INT64_MIN would read as live at the end).
    const Instant L = hb::kMaxIntervalLen;
    Value wide = build({hb::kMinInstant, hb::kMinInstant + L + 100, 0, L}, {hb::kMinInstant + 50});
    ASSERT_TRUE(IsValid(wide));
    Value empty = trimmed(wide, hb::kMinInstant + 1, hb::kMinInstant + 10);
    EXPECT_EQ(empty.header.last_seen, hb::kMinInstant + 1 - L);
    EXPECT_TRUE(IsValid(empty)) << empty;
    Value earliest = trimmed(wide, hb::kMinInstant, hb::kMinInstant + 10);
    EXPECT_EQ(earliest.header.last_seen, std::numeric_limits<Instant>::min());
    EXPECT_TRUE(IsValid(earliest)) << earliest;
    // One microsecond more liveness is refused.
    EXPECT_EQ(error_of([] {
                  hb::validate(Value{
                      {0, hb::kMaxIntervalLen + 100, 0, hb::kMaxIntervalLen + 1},
                      {{0, 10}}}.view());
              }),
              "invalid heartbeat_agg value: interval_len is too long");
}

// Every value heartbeat_agg, trim_to, interpolate and rollup make, chained at random, is
// valid (validate() checks only invariants the code keeps).
TEST(HeartbeatLastSeen, EveryProducedValueValidates) {
    for (int i = 0; i < 3000; ++i) {
        SCOPED_TRACE(case_label("HeartbeatLastSeen.EveryProducedValueValidates", i));
        Rng rng = case_rng(73, i);
        Window w = random_window(rng);
        Value v = build({w.start, w.end, 0, w.L}, random_heartbeats(rng, w.start, w.end, w.L));
        ASSERT_TRUE(IsValid(v));
        for (int step = 0; step < 6; ++step) {
            SCOPED_TRACE(::testing::Message() << "step " << step << " value " << v);
            const Header& h = v.header;
            Instant span = h.end_time - h.start_time;
            switch (uniform(rng, 0, 2)) {
                case 0: {  // trim_to a random non-empty window
                    Instant from = h.start_time + uniform(rng, 0, span - 1);
                    Instant to = uniform(rng, from + 1, h.end_time);
                    Value t = trimmed(v, from, to);
                    ASSERT_TRUE(IsValid(t));
                    if (t.header.end_time - t.header.start_time > t.header.interval_len)
                        v = t;
                    break;
                }
                case 1: {  // interpolate from a predecessor ending at or before our start
                    Instant pred_end = h.start_time - uniform(rng, 0, 5);
                    Instant pred_start = pred_end - uniform(rng, h.interval_len + 1, 200);
                    if (pred_start < hb::kMinInstant)
                        break;
                    Value pred =
                        build({pred_start, pred_end, 0, h.interval_len},
                              random_heartbeats(rng, pred_start, pred_end, h.interval_len));
                    ASSERT_TRUE(IsValid(pred));
                    v = interpolated(v, pred);
                    ASSERT_TRUE(IsValid(v));
                    break;
                }
                default: {  // rollup with the next window
                    Instant next_end = h.end_time + uniform(rng, h.interval_len + 1, 300);
                    if (next_end >= hb::kEndInstant)
                        break;
                    Value next =
                        build({h.end_time, next_end, 0, h.interval_len},
                              random_heartbeats(rng, h.end_time, next_end, h.interval_len));
                    hb::Builder builder(v.header);
                    builder.add_value(v.view());
                    builder.add_value(next.view());
                    v = finish(builder);
                    ASSERT_TRUE(IsValid(v));
                }
            }
        }
    }
}

// ---- latency_sketch binary form ------------------------------------------------------------

struct Sketch {
    sk::Summary summary;
    std::vector<std::uint64_t> counts;
    sk::View view() const { return sk::View{summary, counts.data(), counts.size()}; }
};

// latency_sketch_send's layout, written independently of the core.
Bytes sketch_bytes(const Sketch& s, int version = 1) {
    Bytes out{static_cast<unsigned char>(version)};
    put_double(out, s.summary.accuracy);
    put_be(out, s.summary.count, 8);
    put_be(out, s.summary.zero_count, 8);
    put_double(out, s.summary.min);
    put_double(out, s.summary.max);
    put_be(out, static_cast<std::uint64_t>(s.summary.sum_ns >> 64), 8);
    put_be(out, static_cast<std::uint64_t>(s.summary.sum_ns), 8);
    put_be(out, static_cast<std::uint32_t>(s.counts.empty() ? 0 : s.summary.offset), 4);
    put_be(out, s.counts.size(), 4);
    for (std::uint64_t c : s.counts)
        put_be(out, c, 8);
    return out;
}

Sketch sketch_from_bytes(const Bytes& bytes) {
    sk::ParsedText scanned = sk::scan_binary(bytes.data(), bytes.size());
    Sketch s;
    s.counts.resize(scanned.bucket_count);
    s.summary = sk::parse_binary(bytes.data(), bytes.size(), s.counts.data()).summary;
    return s;
}

Sketch sketch_of(const sk::Builder& b) {
    sk::View v = b.view();
    return Sketch{v.summary, std::vector<std::uint64_t>(v.counts, v.counts + v.bucket_count)};
}

Sketch sketch_from_text(const char* text) {
    sk::ParsedText scanned = sk::scan_text(text);
    Sketch s;
    s.counts.resize(scanned.bucket_count);
    s.summary = sk::parse_text(text, s.counts.data()).summary;
    return s;
}

TEST(SketchBinary, RandomRoundTrip) {
    for (int i = 0; i < 1000; ++i) {
        SCOPED_TRACE(case_label("SketchBinary.RandomRoundTrip", i));
        Rng rng = case_rng(75, i);
        double accuracy = std::uniform_real_distribution<double>(0.001, 0.5)(rng);
        sk::Builder b(accuracy);
        int n = static_cast<int>(uniform(rng, 1, 200));
        for (int k = 0; k < n; ++k) {
            double v =
                coin(rng, 0.1) ? 0 : std::exp(std::uniform_real_distribution<double>(-20, 27)(rng));
            b.add(std::min(v, sk::kMaxValue));
        }
        Sketch s = sketch_of(b);
        ASSERT_NO_THROW(sk::validate(s.view()));
        Bytes expected = sketch_bytes(s);
        Bytes written(sk::binary_size(s.view()));
        sk::format_binary(s.view(), written.data());
        ASSERT_EQ(written, expected);
        Sketch back = sketch_from_bytes(written);
        ASSERT_TRUE(sk::equal(back.view(), s.view()));
    }
}

TEST(SketchBinary, Refusals) {
    sk::Builder b(0.01);
    b.add(1);
    b.add(2);
    Bytes good = sketch_bytes(sketch_of(b));
    auto refuse = [](Bytes bytes) { return error_of([&] { sketch_from_bytes(bytes); }); };
    EXPECT_EQ(refuse(good), "accepted");
    EXPECT_EQ(refuse({}), "invalid binary latency_sketch: message too short");
    EXPECT_EQ(refuse(Bytes(good.begin(), good.begin() + 64)),
              "invalid binary latency_sketch: message too short");
    EXPECT_EQ(refuse(sketch_bytes(sketch_of(b), 7)),
              "invalid binary latency_sketch: unsupported version 7");
    EXPECT_EQ(refuse(Bytes(good.begin(), good.end() - 1)),
              "invalid binary latency_sketch: bucket count 36 does not match the message length");
}

// Found by fuzz_sketch_binary (its seed corpus): validating a sketch with zeros and positive
// values took the bucket index of min = 0, a float-to-int conversion of -inf (UBSan).
TEST(SketchFuzzFound, ZerosWithBucketsHaveNoMinIndex) {
    const Bytes crash = {
        0x01, 0x3f, 0x84, 0x7a, 0xe1, 0x47, 0xae, 0x14, 0x7b, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x03, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x40, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x2d, 0xc6, 0xc0, 0x00, 0x00, 0x00,
        0x23, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02};
    Sketch s = sketch_from_bytes(crash);  // UBSan aborts here before the fix
    EXPECT_EQ(s.summary.count, 3u);
    EXPECT_EQ(s.summary.zero_count, 1u);
    EXPECT_EQ(s.summary.max, 2.0);
    sk::Builder b(0.01);
    for (double v : {0.0, 2.0, 1.0})
        b.add(v);
    EXPECT_NO_THROW(sk::validate(b.view()));
}

// ---- latency_sketch header vs counts (found by hostile input) -------------------------------

TEST(SketchForged, HeaderMustAgreeWithCounts) {
    auto refuse = [](const char* text) { return error_of([&] { sketch_from_text(text); }); };
    // count 1 but min < max: approx_percentile(1, s) returned the min.
    // (Bucket 0 holds (0.980, 1] at this accuracy.)
    EXPECT_EQ(refuse("(version:1,accuracy:0.01,count:1,zero_count:0,min:0.99,max:1,"
                     "sum_ns:[0,1000000],offset:0,counts:[1])"),
              "invalid latency_sketch value: count is 1 but min and max differ");
    // min == max, but the values span two buckets: max is not in the last one.
    EXPECT_EQ(refuse("(version:1,accuracy:0.01,count:2,zero_count:0,min:1,max:1,"
                     "sum_ns:[0,2000000],offset:0,counts:[1,1])"),
              "invalid latency_sketch value: max does not lie in the last bucket");
    EXPECT_EQ(refuse("(version:1,accuracy:0.5,count:3,zero_count:0,min:2,max:2,"
                     "sum_ns:[0,6000000],offset:1,counts:[2,1])"),
              "invalid latency_sketch value: max does not lie in the last bucket");
    // Sum: one value is min, one is max, so 2 values of min 1 and max 2.5 sum to 3.5 ms.
    EXPECT_EQ(refuse("(version:1,accuracy:0.5,count:2,zero_count:0,min:1,max:2.5,"
                     "sum_ns:[0,2000000],offset:0,counts:[1,1])"),
              "invalid latency_sketch value: sum_ns is not a possible sum of count values from "
              "min to max");
    EXPECT_EQ(refuse("(version:1,accuracy:0.5,count:2,zero_count:0,min:1,max:2.5,"
                     "sum_ns:[0,3500000],offset:0,counts:[1,1])"),
              "accepted");
    EXPECT_EQ(refuse("(version:1,accuracy:0.01,count:1,zero_count:0,min:1,max:1,"
                     "sum_ns:[0,1000001],offset:0,counts:[1])"),
              "invalid latency_sketch value: sum_ns is not a possible sum of count values from "
              "min to max");
}

}  // namespace
