// heartbeat_agg core: the text form (format_text / parse_text).
#include <gtest/gtest.h>

#include <signal.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <limits>
#include <string>
#include <thread>
#include <vector>

#include "heartbeat_test_util.hpp"

namespace hbtest {
namespace {

using opsagg::ErrorKind;

// parse_text the way heartbeat_agg_in calls it: once to count, once with storage. The
// storage pointer is never null, also for no ranges (the glue passes the end of the value's
// header; a null pointer would mean "count only" and skip validation).
Value parse(const std::string& text) {
    hb::ParsedText counted = hb::scan_text(text.c_str());
    std::vector<Range> storage(std::max<std::size_t>(counted.count, 1));
    hb::ParsedText parsed = hb::parse_text(text.c_str(), storage.data());
    EXPECT_EQ(parsed.count, counted.count);
    Value v;
    v.header = parsed.header;
    v.ranges.assign(storage.begin(), storage.begin() + parsed.count);
    return v;
}

std::string format(const Value& v) {
    std::string out(hb::text_capacity(v.view()), '\x7f');
    std::size_t n = hb::format_text(v.view(), out.data());
    EXPECT_LT(n, out.size()) << "text_capacity too small";
    EXPECT_EQ(out[n], '\0');
    out.resize(n);
    return out;
}

::testing::AssertionResult Rejected(const std::string& text) {
    return ThrowsKind([&] { parse(text); }, ErrorKind::InvalidRepresentation)
           << "\n  input: " << text;
}

// The text form with each field given as text, to build broken variants.
struct Fields {
    std::string version = "1";
    std::string start = "0";
    std::string end = "100";
    std::string last = "55";
    std::string len = "10";
    std::string num = "2";
    std::string starts = "10,50";
    std::string ends = "20,65";

    std::string str() const {
        return "(version:" + version + ",start_time:" + start + ",end_time:" + end +
               ",last_seen:" + last + ",interval_len:" + len + ",num_intervals:" + num +
               ",interval_starts:[" + starts + "],interval_ends:[" + ends + "])";
    }
};

const char kToolkitExample[] =
    "(version:1,start_time:631152000000000,end_time:631153800000000,last_seen:631153020000000,"
    "interval_len:300000000,num_intervals:3,interval_starts:[631152140000000,631152600000000,"
    "631153020000000],interval_ends:[631152440000000,631152900000000,631153320000000])";

TEST(HeartbeatText, ToolkitExample) {
    Value v = parse(kToolkitExample);
    Value expected{{631152000000000, 631153800000000, 631153020000000, 300000000},
                   {{631152140000000, 631152440000000},
                    {631152600000000, 631152900000000},
                    {631153020000000, 631153320000000}}};
    EXPECT_EQ(v, expected);
    EXPECT_EQ(format(v), kToolkitExample);
}

TEST(HeartbeatText, FormatExamples) {
    EXPECT_EQ(format(Value{{0, 100, 55, 10}, {{10, 20}, {50, 65}}}), Fields{}.str());
    EXPECT_EQ(format(Value{{-100, 100, -200, 10}, {}}),
              "(version:1,start_time:-100,end_time:100,last_seen:-200,interval_len:10,"
              "num_intervals:0,interval_starts:[],interval_ends:[])");
}

TEST(HeartbeatText, RandomRoundTrip) {
    for (int i = 0; i < 3000; ++i) {
        SCOPED_TRACE(case_label("HeartbeatText.RandomRoundTrip", i));
        Rng rng = case_rng(30, i);
        Value v;
        if (coin(rng)) {
            v = random_value(rng);
        } else {
            Window w = random_window(rng);
            v = build({w.start, w.end, 0, w.L}, random_heartbeats(rng, w.start, w.end, w.L));
        }
        ASSERT_TRUE(IsValid(v));
        std::string text = format(v);
        ASSERT_EQ(std::strlen(text.c_str()), text.size());
        Value back = parse(text);
        ASSERT_EQ(back, v) << text;
        ASSERT_EQ(format(back), text);
    }
}

TEST(HeartbeatText, ExtremeNumbersFitTheCapacity) {
    const Instant max = std::numeric_limits<Instant>::max();
    const Instant lo = hb::kMinInstant;
    const Instant hi = hb::kEndInstant - 1;
    // The widest windows at both ends of time, a 20-character last_seen and the longest
    // interval_len (with which last_seen may be INT64_MIN).
    for (Instant start : {lo, hi - max}) {
        Instant end = start + max;
        Value v{{start, end, std::numeric_limits<Instant>::min(), hb::kMaxIntervalLen}, {}};
        for (Instant k = 0; k < 50; ++k)
            v.ranges.push_back({start + 10 * k, start + 10 * k + 5});
        for (Instant k = 50; k > 0; --k)
            v.ranges.push_back({end - 10 * k, end - 10 * k + 5});
        SCOPED_TRACE(::testing::Message() << v);
        ASSERT_TRUE(IsValid(v));
        std::string text = format(v);
        EXPECT_EQ(parse(text), v);
        EXPECT_EQ(format(parse(text)), text);
    }
    Value one{{hi - max, hi, -1, 1}, {{9000000000000000000, 9000000000000000001}}};
    EXPECT_EQ(parse(format(one)), one);
}

// Whitespace (space, tab, newline, carriage return) is accepted between tokens.
TEST(HeartbeatText, WhitespaceBetweenTokens) {
    const char* spaces[] = {" ", "\t", "\n", "\r", "  \n\t "};
    for (int i = 0; i < 1000; ++i) {
        SCOPED_TRACE(case_label("HeartbeatText.WhitespaceBetweenTokens", i));
        Rng rng = case_rng(31, i);
        Value v = random_value(rng);
        std::string text = format(v);
        std::string spaced;
        if (coin(rng))
            spaced += spaces[uniform(rng, 0, 4)];
        for (char c : text) {
            bool punct = std::strchr("(),:[]", c) != nullptr;
            if (punct && coin(rng, 0.3))
                spaced += spaces[uniform(rng, 0, 4)];
            spaced += c;
            if (punct && coin(rng, 0.3))
                spaced += spaces[uniform(rng, 0, 4)];
        }
        if (coin(rng))
            spaced += spaces[uniform(rng, 0, 4)];
        Value back = parse(spaced);
        ASSERT_EQ(back, v) << spaced;
        ASSERT_EQ(format(back), text);
    }
    EXPECT_EQ(parse(" ( version : 1 , start_time : 0 , end_time : 100 , last_seen : 55 , "
                    "interval_len : 10 , num_intervals : 2 , interval_starts : [ 10 , 50 ] , "
                    "interval_ends : [ 20 , 65 ] ) \n"),
              parse(Fields{}.str()));
}

TEST(HeartbeatText, AcceptsBoundaries) {
    Fields f;
    EXPECT_NO_THROW(parse(f.str()));
    f.start = std::to_string(hb::kMinInstant);
    EXPECT_NO_THROW(parse(f.str()));
    f.end = std::to_string(hb::kMinInstant + std::numeric_limits<Instant>::max());
    EXPECT_NO_THROW(parse(f.str()));  // the widest window
    f.start = "0";
    f.end = std::to_string(hb::kEndInstant - 1);
    EXPECT_NO_THROW(parse(f.str()));
    Fields exact;  // last_seen + L == end_time with a range not at the end: fine
    exact.last = "90";
    EXPECT_NO_THROW(parse(exact.str()));
    Fields live_to_end;
    live_to_end.last = "99";
    live_to_end.ends = "20,100";
    EXPECT_NO_THROW(parse(live_to_end.str()));
    Fields none;
    none.num = "0";
    none.starts = none.ends = "";
    EXPECT_NO_THROW(parse(none.str()));
    Fields starts_at_start;
    starts_at_start.starts = "0,50";
    EXPECT_NO_THROW(parse(starts_at_start.str()));
}

TEST(HeartbeatText, RejectsBadSyntax) {
    const std::string good = Fields{}.str();
    EXPECT_TRUE(Rejected(""));
    EXPECT_TRUE(Rejected("   "));
    EXPECT_TRUE(Rejected("()"));
    EXPECT_TRUE(Rejected(good.substr(0, good.size() - 1)));  // missing ")"
    EXPECT_TRUE(Rejected(good.substr(1)));                   // missing "("
    EXPECT_TRUE(Rejected(good + "x"));                       // trailing garbage
    EXPECT_TRUE(Rejected(good + ")"));
    EXPECT_TRUE(Rejected(good + " ,"));
    EXPECT_TRUE(Rejected(good + good));
    EXPECT_TRUE(Rejected("[" + good + "]"));

    // Missing fields.
    for (const char* field :
         {"version:1,", ",start_time:0", ",end_time:100", ",last_seen:55", ",interval_len:10",
          ",num_intervals:2", ",interval_starts:[10,50]", ",interval_ends:[20,65]"}) {
        std::string text = good;
        text.erase(text.find(field), std::strlen(field));
        EXPECT_TRUE(Rejected(text)) << "without " << field;
    }
    // Fields out of order.
    EXPECT_TRUE(
        Rejected("(version:1,end_time:100,start_time:0,last_seen:55,interval_len:10,"
                 "num_intervals:2,interval_starts:[10,50],interval_ends:[20,65])"));
    EXPECT_TRUE(
        Rejected("(start_time:0,version:1,end_time:100,last_seen:55,interval_len:10,"
                 "num_intervals:2,interval_starts:[10,50],interval_ends:[20,65])"));
    EXPECT_TRUE(
        Rejected("(version:1,start_time:0,end_time:100,last_seen:55,interval_len:10,"
                 "num_intervals:2,interval_ends:[20,65],interval_starts:[10,50])"));
    EXPECT_TRUE(
        Rejected("(version:1,start_time:0,end_time:100,last_seen:55,num_intervals:2,"
                 "interval_len:10,interval_starts:[10,50],interval_ends:[20,65])"));
    // A field twice.
    EXPECT_TRUE(
        Rejected("(version:1,start_time:0,start_time:0,end_time:100,last_seen:55,"
                 "interval_len:10,num_intervals:2,interval_starts:[10,50],"
                 "interval_ends:[20,65])"));
    // Misspelled or other punctuation.
    EXPECT_TRUE(
        Rejected("(version:1,start_time:0,end_time:100,last_seen:55,interval_len:10,"
                 "num_intervals:2,interval_start:[10,50],interval_ends:[20,65])"));
    EXPECT_TRUE(
        Rejected("(version=1,start_time:0,end_time:100,last_seen:55,interval_len:10,"
                 "num_intervals:2,interval_starts:[10,50],interval_ends:[20,65])"));
    EXPECT_TRUE(
        Rejected("(version:1;start_time:0,end_time:100,last_seen:55,interval_len:10,"
                 "num_intervals:2,interval_starts:[10,50],interval_ends:[20,65])"));
    EXPECT_TRUE(
        Rejected("(version:1,start_time:0,end_time:100,last_seen:55,interval_len:10,"
                 "num_intervals:2,interval_starts:(10,50),interval_ends:[20,65])"));
    EXPECT_TRUE(
        Rejected("(version:1,start_time:0,end_time:100,last_seen:55,interval_len:10,"
                 "num_intervals:2,interval_starts:[10,50],interval_ends:[20,65],)"));
    EXPECT_TRUE(
        Rejected("{version:1,start_time:0,end_time:100,last_seen:55,interval_len:10,"
                 "num_intervals:2,interval_starts:[10,50],interval_ends:[20,65]}"));
}

TEST(HeartbeatText, RejectsBadNumbers) {
    auto with = [](std::string Fields::*field, const std::string& value) {
        Fields f;
        f.*field = value;
        return f.str();
    };
    // Wrong version.
    EXPECT_TRUE(Rejected(with(&Fields::version, "2")));
    EXPECT_TRUE(Rejected(with(&Fields::version, "0")));
    EXPECT_TRUE(Rejected(with(&Fields::version, "-1")));
    EXPECT_TRUE(Rejected(with(&Fields::version, "257")));  // 1 modulo 256
    EXPECT_TRUE(Rejected(with(&Fields::version, "")));
    // Not integers.
    for (const char* bad : {"", "abc", "+5", "1.5", "0x10", "1e3", "--1", "-", "1 0", "1_0"}) {
        EXPECT_TRUE(Rejected(with(&Fields::start, bad))) << "start_time " << bad;
        EXPECT_TRUE(Rejected(with(&Fields::last, bad))) << "last_seen " << bad;
    }
    // Overflow of a 64-bit integer, in each numeric field.
    const std::string too_big = "9223372036854775808";
    const std::string too_small = "-9223372036854775809";
    for (std::string Fields::*field :
         {&Fields::start, &Fields::end, &Fields::last, &Fields::len, &Fields::num}) {
        EXPECT_TRUE(Rejected(with(field, too_big)));
        EXPECT_TRUE(Rejected(with(field, too_small)));
        EXPECT_TRUE(Rejected(with(field, "99999999999999999999999999")));
    }
    EXPECT_TRUE(Rejected(with(&Fields::version, too_big)));
    EXPECT_TRUE(Rejected(with(&Fields::starts, "10," + too_big)));
    EXPECT_TRUE(Rejected(with(&Fields::ends, too_small + ",65")));
    // num_intervals negative or above the limit.
    EXPECT_TRUE(Rejected(with(&Fields::num, "-1")));
    EXPECT_TRUE(Rejected(with(&Fields::num, "-9223372036854775808")));
    EXPECT_TRUE(Rejected(with(&Fields::num, std::to_string(hb::kMaxRanges + 1))));
    EXPECT_TRUE(Rejected(with(&Fields::num, "9223372036854775807")));
}

TEST(HeartbeatText, RejectsArrayLengthMismatch) {
    auto text = [](const char* num, const char* starts, const char* ends) {
        Fields f;
        f.num = num;
        f.starts = starts;
        f.ends = ends;
        return f.str();
    };
    EXPECT_TRUE(Rejected(text("2", "10,50,70", "20,65")));      // starts has more
    EXPECT_TRUE(Rejected(text("2", "10", "20,65")));            // starts has fewer
    EXPECT_TRUE(Rejected(text("2", "10,50", "20,65,75")));      // ends has more
    EXPECT_TRUE(Rejected(text("2", "10,50", "20")));            // ends has fewer
    EXPECT_TRUE(Rejected(text("3", "10,50", "20,65")));         // both fewer
    EXPECT_TRUE(Rejected(text("1", "10,50", "20,65")));         // both more
    EXPECT_TRUE(Rejected(text("0", "10", "20")));               // more than none
    EXPECT_TRUE(Rejected(text("1", "", "")));                   // fewer than one
    EXPECT_TRUE(Rejected(text("2", "10,50,", "20,65")));        // trailing comma
    EXPECT_TRUE(Rejected(text("2", ",10,50", "20,65")));        // leading comma
    EXPECT_TRUE(Rejected(text("2", "10,,50", "20,65")));        // empty entry
    EXPECT_TRUE(Rejected(text("2", "10 50", "20,65")));         // missing comma
    EXPECT_TRUE(Rejected(text("16777216", "10,50", "20,65")));  // at the limit, but short
}

TEST(HeartbeatText, RejectsBrokenInvariants) {
    auto with = [](auto mutate) {
        Fields f;
        mutate(f);
        return f.str();
    };
    // Ranges: inverted, empty, overlapping, touching, unsorted.
    EXPECT_TRUE(Rejected(with([](Fields& f) { f.ends = "20,45"; })));
    EXPECT_TRUE(Rejected(with([](Fields& f) { f.ends = "5,65"; })));
    EXPECT_TRUE(Rejected(with([](Fields& f) { f.ends = "20,50"; })));
    EXPECT_TRUE(Rejected(with([](Fields& f) { f.ends = "10,65"; })));
    EXPECT_TRUE(Rejected(with([](Fields& f) { f.starts = "10,15"; })));
    EXPECT_TRUE(Rejected(with([](Fields& f) { f.starts = "10,20"; })));
    EXPECT_TRUE(Rejected(with([](Fields& f) { f.starts = "10,19"; })));
    EXPECT_TRUE(Rejected(with([](Fields& f) {
        f.starts = "50,10";
        f.ends = "65,20";
    })));
    // A range before start_time or after end_time.
    EXPECT_TRUE(Rejected(with([](Fields& f) { f.start = "11"; })));
    EXPECT_TRUE(Rejected(with([](Fields& f) { f.starts = "-1,50"; })));
    EXPECT_TRUE(Rejected(with([](Fields& f) { f.end = "64"; })));
    EXPECT_TRUE(Rejected(with([](Fields& f) { f.ends = "20,101"; })));
    EXPECT_TRUE(Rejected(with([](Fields& f) {
        f.starts = "10,100";
        f.ends = "20,110";
    })));
    // interval_len zero or negative.
    EXPECT_TRUE(Rejected(with([](Fields& f) { f.len = "0"; })));
    EXPECT_TRUE(Rejected(with([](Fields& f) { f.len = "-10"; })));
    EXPECT_TRUE(Rejected(with([](Fields& f) { f.len = "-9223372036854775808"; })));
    // start_time >= end_time.
    EXPECT_TRUE(Rejected(with([](Fields& f) {
        f.start = "100";
        f.num = "0";
        f.starts = f.ends = "";
    })));
    EXPECT_TRUE(Rejected(with([](Fields& f) {
        f.start = "101";
        f.num = "0";
        f.starts = f.ends = "";
    })));
    // Timestamps outside PostgreSQL's range.
    EXPECT_TRUE(Rejected(with([](Fields& f) { f.start = std::to_string(hb::kMinInstant - 1); })));
    EXPECT_TRUE(Rejected(with([](Fields& f) { f.end = std::to_string(hb::kEndInstant); })));
    EXPECT_TRUE(Rejected(with([](Fields& f) { f.end = "9223372036854775807"; })));
    EXPECT_TRUE(Rejected(with([](Fields& f) { f.start = "-9223372036854775808"; })));
    // A window longer than an int64 can count.
    EXPECT_TRUE(Rejected(with([](Fields& f) {
        f.start = std::to_string(hb::kMinInstant);
        f.end = std::to_string(hb::kEndInstant - 1);
    })));
    EXPECT_TRUE(Rejected(with([](Fields& f) {
        f.start = std::to_string(hb::kEndInstant);
        f.end = std::to_string(hb::kEndInstant + 100);
        f.num = "0";
        f.starts = f.ends = "";
    })));
    // last_seen + interval_len passes end_time but the last range does not end there.
    EXPECT_TRUE(Rejected(with([](Fields& f) { f.last = "91"; })));
    EXPECT_TRUE(Rejected(with([](Fields& f) { f.last = "9223372036854775807"; })));
    EXPECT_TRUE(Rejected(with([](Fields& f) {
        f.last = "95";
        f.num = "0";
        f.starts = f.ends = "";
    })));
}

// The count pass alone checks syntax only: a syntactically fine text with a broken invariant
// is found by the second pass, as in heartbeat_agg_in.
TEST(HeartbeatText, CountPassThenValidatingPass) {
    Fields f;
    f.ends = "20,45";  // inverted second range
    hb::ParsedText counted = hb::scan_text(f.str().c_str());
    EXPECT_EQ(counted.count, 2u);
    std::vector<Range> ranges(counted.count);
    EXPECT_TRUE(ThrowsKind([&] { hb::parse_text(f.str().c_str(), ranges.data()); },
                           ErrorKind::InvalidRepresentation));
    // Syntax errors are found by the first pass already.
    EXPECT_TRUE(ThrowsKind([] { hb::scan_text("(version:1"); }, ErrorKind::InvalidRepresentation));
}

// Runs `body` in a child process; fails if it does not exit 0 within `limit` (the child is
// then killed, so a hang costs only `limit`).
::testing::AssertionResult FinishesWithin(std::chrono::milliseconds limit,
                                          const std::function<int()>& body) {
    pid_t pid = fork();
    if (pid < 0)
        return ::testing::AssertionFailure() << "fork failed";
    if (pid == 0) {
        int code = 3;
        try {
            code = body();
        } catch (...) {
            code = 2;
        }
        _exit(code);
    }
    auto deadline = std::chrono::steady_clock::now() + limit;
    int status = 0;
    while (waitpid(pid, &status, WNOHANG) == 0) {
        if (std::chrono::steady_clock::now() > deadline) {
            kill(pid, SIGKILL);
            waitpid(pid, &status, 0);
            return ::testing::AssertionFailure()
                   << "did not finish within " << limit.count() << " ms (killed)";
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
        return ::testing::AssertionSuccess();
    return ::testing::AssertionFailure() << "child failed, status " << status;
}

// A value with many ranges (heartbeat_agg allows up to 2^24) must load in time linear in its
// size, e.g. when a dump is restored. 200,000 ranges are ~3 MB of text: well under 100 ms.
TEST(HeartbeatText, LargeValueParsesInLinearTime) {
    Value v{{0, 10'000'000, 0, 5}, {}};
    for (Instant k = 0; k < 200'000; ++k)
        v.ranges.push_back({k * 50, k * 50 + 5});
    std::string text = format(v);
    EXPECT_TRUE(FinishesWithin(std::chrono::milliseconds(2000),
                               [&] {
                                   Value back = parse(text);
                                   return back == v ? 0 : 1;
                               }))
        << text.size() << " bytes of text";
}

}  // namespace
}  // namespace hbtest
