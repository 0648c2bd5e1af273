// Limits of the cores: the canonical label text's size is checked before it is written
// (PostgreSQL's 1 GB limit of a text value), and trim_to reports a start outside the
// coverage before anything else.
#include <gtest/gtest.h>

#include <functional>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include "error.hpp"
#include "heartbeat.hpp"
#include "labels.hpp"

namespace limitstest {
namespace {

namespace lb = opsagg::labels;
namespace hb = opsagg::heartbeat;
using opsagg::Error;
using opsagg::ErrorKind;

ErrorKind kind_of(const std::function<void()>& f, std::string* message = nullptr) {
    try {
        f();
    } catch (const Error& e) {
        if (message != nullptr)
            *message = e.what();
        return e.kind();
    }
    ADD_FAILURE() << "no opsagg::Error";
    return ErrorKind::Internal;
}

// 200 labels whose values share one 1 MB buffer of control characters, each written as
// \u0001: 6 MB of text each, 1.2 GB in all, without allocating it.
TEST(LabelsTextLimit, OverOneGigabyteIsProgramLimitExceeded) {
    std::string control(1 << 20, '\x01');
    std::vector<std::string> keys;
    for (int i = 0; i < 200; ++i)
        keys.push_back("k" + std::to_string(1000 + i));
    std::vector<lb::Label> labels;
    for (const std::string& key : keys)
        labels.push_back({key, control, lb::ValueKind::String});
    std::size_t expected = 2 + 199 + 200 * ((2 + 5) + 1 + (2 + 6 * control.size()));
    EXPECT_EQ(lb::json_text_length(labels.data(), labels.size()), expected);
    std::string message;
    EXPECT_EQ(
        kind_of([&] { lb::checked_json_text_length(labels.data(), labels.size()); }, &message),
        ErrorKind::ProgramLimitExceeded);
    EXPECT_NE(message.find(std::to_string(expected) + " bytes"), std::string::npos) << message;
    // 170 labels: 1,069,548,372 bytes, under the limit.
    EXPECT_EQ(lb::checked_json_text_length(labels.data(), 170),
              lb::json_text_length(labels.data(), 170));
    EXPECT_LT(lb::json_text_length(labels.data(), 170), lb::kMaxTextLength);
}

TEST(LabelsTextLimit, ExactlyAtTheLimit) {
    std::vector<lb::Label> labels{{"a", "b\n", lb::ValueKind::String}};
    std::string text(32, '\0');
    std::size_t length = lb::write_json_text(labels.data(), labels.size(), text.data());
    EXPECT_EQ(length, 11u);  // {"a":"b\n"}
    EXPECT_EQ(lb::checked_json_text_length(labels.data(), labels.size(), length), length);
    EXPECT_EQ(kind_of([&] { lb::checked_json_text_length(labels.data(), labels.size(), 10); }),
              ErrorKind::ProgramLimitExceeded);
    EXPECT_EQ(lb::kMaxTextLength, 0x3fffffffu - 4);
}

// trim_to('infinity') defaults its end to the coverage's end: the window is outside the
// coverage and empty; the start outside the coverage is the error reported.
TEST(HeartbeatTrimToLimits, StartOutsideCoverageFirst) {
    hb::Range ranges[] = {{10, 30}, {95, 100}};
    hb::View v{hb::Header{0, 100, 95, 10}, ranges, 2};
    hb::Range out[2];
    std::size_t count = 0;
    auto message_of = [&](hb::Instant from, hb::Instant to) {
        std::string message;
        EXPECT_EQ(kind_of([&] { hb::trim_to(v, from, to, out, &count); }, &message),
                  ErrorKind::InvalidParameter);
        return message;
    };
    const std::string start_outside = "trim_to window's start must lie within";
    const hb::Instant infinity = std::numeric_limits<hb::Instant>::max();
    EXPECT_EQ(message_of(infinity, 100).find(start_outside), 0u);
    EXPECT_EQ(message_of(100, 100).find(start_outside), 0u);
    EXPECT_EQ(message_of(150, 50).find(start_outside), 0u);
    EXPECT_EQ(message_of(-1, 50).find(start_outside), 0u);
    EXPECT_EQ(message_of(std::numeric_limits<hb::Instant>::min(), 50).find(start_outside), 0u);
    EXPECT_EQ(message_of(0, 101), "trim_to window must lie within the aggregate's coverage");
    EXPECT_EQ(message_of(50, 50), "trim_to window must not be empty");
    EXPECT_EQ(message_of(60, 50), "trim_to window must not be empty");
    EXPECT_NO_THROW(hb::trim_to(v, 99, 100, out, &count));
}

}  // namespace
}  // namespace limitstest
