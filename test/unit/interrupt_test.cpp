// The cores' interrupt hook (core/interrupt.hpp): with a poll function that reports a
// cancel after N polls, every long core operation throws opsagg::Interrupted and leaves
// its inputs and builders valid; with no poll function, or one that never cancels, the
// results are unchanged.
#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "heartbeat.hpp"
#include "interrupt.hpp"
#include "labels.hpp"
#include "sketch.hpp"

namespace {

namespace hb = opsagg::heartbeat;
namespace sk = opsagg::sketch;
namespace lb = opsagg::labels;
using opsagg::Interrupted;

// The poll function under test: counts polls, reports a cancel at poll number
// cancel_at (counted from 1; 0 never cancels).
std::size_t polls = 0;
std::size_t cancel_at = 0;

bool counting_poll() noexcept {
    ++polls;
    return cancel_at != 0 && polls >= cancel_at;
}

// Installs counting_poll for one test; removes it afterwards.
class InterruptTest : public ::testing::Test {
  protected:
    void SetUp() override { arm(0); }
    void TearDown() override { opsagg::set_interrupt_poll(nullptr); }
    static void arm(std::size_t cancel_at_poll) {
        polls = 0;
        cancel_at = cancel_at_poll;
        opsagg::set_interrupt_poll(&counting_poll);
    }
    static void disarm() { opsagg::set_interrupt_poll(nullptr); }
};

// Several strides of work, so every long loop polls more than once.
constexpr std::size_t kRanges = 4 * opsagg::kInterruptStride + 123;
constexpr hb::Instant kSecond = 1000000;

struct Value {
    hb::Header header;
    std::vector<hb::Range> ranges;
    hb::View view() const { return hb::View{header, ranges.data(), ranges.size()}; }
};

// kRanges one-second ranges, one every three seconds, starting at `start`.
Value big_value(hb::Instant start = 0) {
    Value v;
    v.header = hb::Header{start, start + 3 * kSecond * static_cast<hb::Instant>(kRanges),
                          start + 3 * kSecond * static_cast<hb::Instant>(kRanges - 1), kSecond};
    for (std::size_t i = 0; i < kRanges; ++i) {
        hb::Instant s = start + 3 * kSecond * static_cast<hb::Instant>(i);
        v.ranges.push_back({s, s + kSecond});
    }
    return v;
}

std::string text_of(const Value& v) {
    std::string text(hb::text_capacity(v.view()), '\0');
    text.resize(hb::format_text(v.view(), text.data()));
    return text;
}

Value parse(const std::string& text) {
    hb::ParsedText counted = hb::scan_text(text.c_str());
    Value v;
    v.ranges.resize(counted.count);
    v.header = hb::parse_text(text.c_str(), v.ranges.data()).header;
    return v;
}

// Runs `op` three ways: no poll function, one that never cancels (results must match),
// and one that cancels at its first and at its second poll (op must throw Interrupted).
template <typename Op>
void check_interruptible(Op op) {
    opsagg::set_interrupt_poll(nullptr);
    auto expected = op();
    polls = 0;
    cancel_at = 0;
    opsagg::set_interrupt_poll(&counting_poll);
    EXPECT_EQ(op(), expected);
    EXPECT_GE(polls, 2u) << "the operation must poll at least once a stride";
    for (std::size_t at : {1u, 2u}) {
        polls = 0;
        cancel_at = at;
        EXPECT_THROW(op(), Interrupted) << "cancel at poll " << at;
        EXPECT_EQ(polls, at);
    }
    cancel_at = 0;
}

bool same(const Value& a, const Value& b) {
    return hb::equal(a.view(), b.view());
}

TEST_F(InterruptTest, NoPollFunctionNeverThrows) {
    disarm();
    EXPECT_NO_THROW(opsagg::poll_interrupt());
    arm(1);
    EXPECT_THROW(opsagg::poll_interrupt(), Interrupted);
}

TEST_F(InterruptTest, CountdownPollsOncePerStride) {
    opsagg::InterruptCountdown countdown;
    for (std::size_t i = 0; i < 3 * opsagg::kInterruptStride; ++i)
        countdown.tick();
    EXPECT_EQ(polls, 3u);
    countdown.tick(10 * opsagg::kInterruptStride);
    EXPECT_EQ(polls, 4u);
}

TEST_F(InterruptTest, HeartbeatTextParseAndFormat) {
    const Value value = big_value();
    const std::string text = text_of(value);
    check_interruptible([&] { return text_of(value); });
    check_interruptible([&] { return parse(text).ranges.size(); });
    disarm();
    EXPECT_TRUE(same(parse(text), value));
    // Whitespace padding is polled too.
    std::string padded = "(" + std::string(3 * opsagg::kInterruptStride, ' ') + text.substr(1);
    check_interruptible([&] { return parse(padded).ranges.size(); });
}

TEST_F(InterruptTest, HeartbeatAccessorsAndTransforms) {
    const Value value = big_value();
    check_interruptible([&] {
        hb::validate(value.view());
        return true;
    });
    check_interruptible([&] { return hb::uptime(value.view()); });
    check_interruptible([&] {
        std::vector<hb::Range> out(hb::dead_ranges_capacity(value.view()));
        return hb::dead_ranges(value.view(), out.data());
    });
    check_interruptible([&] {
        std::vector<hb::Range> out(hb::trim_to_capacity(value.view()));
        std::size_t count = 0;
        hb::trim_to(value.view(), kSecond, value.header.end_time - kSecond, out.data(), &count);
        return count;
    });
    Value pred;
    pred.header = hb::Header{-10 * kSecond, 0, -kSecond, kSecond};
    check_interruptible([&] {
        std::vector<hb::Range> out(hb::interpolate_capacity(value.view()));
        std::size_t count = 0;
        hb::interpolate(value.view(), pred.view(), out.data(), &count);
        return count;
    });
}

// A builder interrupted in any operation stays usable: it can be finished afterwards.
void expect_builder_usable(hb::Builder& builder) {
    opsagg::set_interrupt_poll(nullptr);
    std::size_t count = builder.result_count();
    std::vector<hb::Range> out(count);
    hb::Header header = builder.result(out.data());
    EXPECT_NO_THROW(hb::validate(hb::View{header, out.data(), count}));
}

TEST_F(InterruptTest, HeartbeatBuilder) {
    const Value value = big_value();
    auto rollup = [&] {
        hb::Builder builder(value.header);
        builder.add_value(value.view());
        std::size_t count = builder.result_count();
        std::vector<hb::Range> out(count);
        builder.result(out.data());
        return out.size();
    };
    check_interruptible(rollup);

    // add_value interrupted half way.
    arm(2);
    hb::Builder partial(value.header);
    EXPECT_THROW(partial.add_value(value.view()), Interrupted);
    expect_builder_usable(partial);

    // merge, and a flush that sorts millions of out-of-order ranges.
    auto reversed = [&] {
        hb::Builder builder(value.header);
        for (std::size_t i = kRanges; i-- > 0;)
            builder.add_heartbeat(value.ranges[i].start);
        return builder;
    };
    opsagg::set_interrupt_poll(nullptr);
    hb::Builder other = reversed();
    check_interruptible([&] {
        hb::Builder builder(value.header);
        builder.merge(other);
        return builder.result_count();
    });
    arm(1);
    hb::Builder merged(value.header);
    EXPECT_THROW(merged.merge(other), Interrupted);
    expect_builder_usable(merged);
    arm(3);
    EXPECT_THROW(other.result_count(), Interrupted);
    expect_builder_usable(other);
    EXPECT_EQ(other.result_count(), kRanges);

    // Parallel state read back.
    std::vector<unsigned char> state(other.serialized_size());
    other.serialize(state.data());
    check_interruptible(
        [&] { return hb::Builder::deserialize(state.data(), state.size()).result_count(); });
}

TEST_F(InterruptTest, SketchTextAndCounts) {
    sk::Builder builder(0.01);
    for (int i = 1; i <= 1000; ++i)
        builder.add(i);
    sk::View view = builder.view();
    std::string text(sk::text_capacity(view), '\0');
    text.resize(sk::format_text(view, text.data()));
    std::string padded = text;
    padded.insert(padded.find("counts:[") + 8, 3 * opsagg::kInterruptStride, ' ');
    check_interruptible([&] {
        sk::ParsedText counted = sk::scan_text(padded.c_str());
        std::vector<std::uint64_t> counts(counted.bucket_count);
        sk::parse_text(padded.c_str(), counts.data());
        return counts;
    });
    // Varint encoding and decoding of a long count list (longer than any sketch holds today).
    std::vector<std::uint64_t> counts(3 * opsagg::kInterruptStride);
    for (std::size_t i = 0; i < counts.size(); ++i)
        counts[i] = i * 977;
    sk::View long_view{view.summary, counts.data(), counts.size()};
    check_interruptible([&] { return sk::encoded_counts_size(long_view); });
    opsagg::set_interrupt_poll(nullptr);
    std::vector<unsigned char> encoded(sk::encoded_counts_size(long_view));
    check_interruptible([&] {
        sk::encode_counts(long_view, encoded.data());
        return encoded;
    });
    check_interruptible([&] {
        std::vector<std::uint64_t> decoded(counts.size());
        sk::decode_counts(encoded.data(), encoded.size(), decoded.size(), decoded.data());
        return decoded;
    });
}

TEST_F(InterruptTest, Labels) {
    constexpr std::size_t kLabels = 3 * opsagg::kInterruptStride;
    std::vector<std::string> keys;
    for (std::size_t i = 0; i < kLabels; ++i)
        keys.push_back("key" + std::to_string((i * 7919) % kLabels));
    auto labels = [&] {
        std::vector<lb::Label> out;
        for (const std::string& key : keys)
            out.push_back({key, "value", lb::ValueKind::String});
        return out;
    };
    auto canonical_text = [&] {
        std::vector<lb::Label> in = labels();
        std::size_t count = lb::canonicalize(in.data(), in.size());
        std::string text(lb::json_text_length(in.data(), count), '\0');
        lb::write_json_text(in.data(), count, text.data());
        return text;
    };
    check_interruptible(canonical_text);
    check_interruptible([&] {
        std::vector<lb::Label> in = labels();
        return lb::canonicalize(in.data(), in.size());
    });
    // An interrupted canonicalize leaves valid labels: each is still one of the inputs.
    arm(2);
    std::vector<lb::Label> in = labels();
    EXPECT_THROW(lb::canonicalize(in.data(), in.size()), Interrupted);
    for (const lb::Label& label : in)
        EXPECT_EQ(label.value, "value");
    opsagg::set_interrupt_poll(nullptr);
    const std::string text = canonical_text();
    check_interruptible([&] { return lb::xxh64(text.data(), text.size()); });
}

}  // namespace
