// labels core: canonical numbers, canonicalize, needs_rewrite, the canonical JSON text and
// XXH64.
//
// The randomized tests compare the core with small, deliberately naive reference models
// written here (a std::map with an explicit unsigned-byte order, a std::string JSON writer, a
// strict JSON parser); every case is seeded from a fixed seed and its case number.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <map>
#include <ostream>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "error.hpp"
#include "labels.hpp"

namespace opsagg::labels {

// gtest printers (found by ADL) so failures show readable labels.
inline void PrintTo(ValueKind kind, std::ostream* os) {
    static const char* const kNames[] = {"Null", "String", "Number", "Boolean", "Object", "Array"};
    *os << kNames[static_cast<int>(kind)];
}

}  // namespace opsagg::labels

namespace lbtest {
namespace {

namespace lb = opsagg::labels;
using lb::Label;
using lb::ValueKind;
using opsagg::Error;
using opsagg::ErrorKind;
using Pairs = std::vector<std::pair<std::string, std::string>>;

// ---- helpers ------------------------------------------------------------------

// Bytes made visible for failure messages: printable ASCII as it is, the rest as \xNN.
std::string show(std::string_view s) {
    std::string out = "\"";
    for (unsigned char c : s) {
        if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
            out += static_cast<char>(c);
        } else {
            char buf[8];
            std::snprintf(buf, sizeof buf, "\\x%02x", c);
            out += buf;
        }
    }
    return out + "\"";
}

std::string show(const Pairs& pairs) {
    std::string out = "{";
    for (std::size_t i = 0; i < pairs.size(); ++i)
        out += (i > 0 ? ", " : "") + show(pairs[i].first) + ": " + show(pairs[i].second);
    return out + "}";
}

struct Caught {
    bool thrown = false;
    ErrorKind kind = ErrorKind::Internal;
    std::string message;
};

template <typename F>
Caught catch_error(F&& f) {
    Caught caught;
    try {
        f();
    } catch (const Error& e) {
        caught.thrown = true;
        caught.kind = e.kind();
        caught.message = e.what();
    }
    return caught;
}

// A label that owns its bytes. Label views into a vector of these stay valid as long as the
// vector is not changed.
struct Owned {
    std::string key;
    std::string value;
    ValueKind kind;
};

std::vector<Label> views(const std::vector<Owned>& owned) {
    std::vector<Label> labels;
    for (const Owned& o : owned)
        labels.push_back(Label{o.key, o.value, o.kind});
    return labels;
}

Pairs pairs_of(const Label* labels, std::size_t count) {
    Pairs pairs;
    for (std::size_t i = 0; i < count; ++i)
        pairs.emplace_back(std::string(labels[i].key), std::string(labels[i].value));
    return pairs;
}

// canonicalize on views of `owned`; checks that every kept label has become a String.
// `storage` receives the views (the results point into `owned` and into literals).
Pairs canonical_pairs(const std::vector<Owned>& owned, std::vector<Label>* storage = nullptr) {
    std::vector<Label> labels = views(owned);
    labels.push_back(Label{"sentinel", "untouched", ValueKind::Null});  // beyond count
    std::size_t n = lb::canonicalize(labels.data(), owned.size());
    EXPECT_LE(n, owned.size());
    EXPECT_EQ(labels.back().key, "sentinel") << "canonicalize wrote beyond count";
    labels.resize(n);
    for (const Label& l : labels)
        EXPECT_EQ(l.kind, ValueKind::String) << "key " << show(l.key);
    Pairs pairs = pairs_of(labels.data(), n);
    if (storage != nullptr)
        *storage = std::move(labels);
    return pairs;
}

// The canonical text through json_text_length + write_json_text, as the glue calls them;
// checks that the two lengths agree and that nothing is written past the length.
std::string json_text(const Label* labels, std::size_t count) {
    constexpr std::size_t kGuard = 64;
    constexpr char kFill = '\xa5';
    std::size_t length = lb::json_text_length(labels, count);
    std::string buffer(length + kGuard, kFill);
    std::size_t written = lb::write_json_text(labels, count, buffer.data());
    EXPECT_EQ(written, length) << "json_text_length disagrees with write_json_text";
    std::size_t clobbered = 0;
    for (std::size_t i = length; i < buffer.size(); ++i)
        clobbered += buffer[i] != kFill ? 1 : 0;
    EXPECT_EQ(clobbered, 0u) << "write_json_text wrote past json_text_length";
    buffer.resize(std::min(written, length));
    return buffer;
}

std::string json_text(const std::vector<Label>& labels) {
    return json_text(labels.data(), labels.size());
}

std::vector<Label> string_labels(const Pairs& pairs) {
    std::vector<Label> labels;
    for (const auto& [k, v] : pairs)
        labels.push_back(Label{k, v, ValueKind::String});
    return labels;
}

// ---- reference models -----------------------------------------------------------

// Byte order as memcmp sees it, spelled out without relying on char_traits.
struct ByteLess {
    bool operator()(const std::string& a, const std::string& b) const {
        std::size_t n = std::min(a.size(), b.size());
        for (std::size_t i = 0; i < n; ++i) {
            auto x = static_cast<unsigned char>(a[i]);
            auto y = static_cast<unsigned char>(b[i]);
            if (x != y)
                return x < y;
        }
        return a.size() < b.size();
    }
};

// Canonical number of plain decimal text "-?digits[.digits]" (no leading zeros but "0", as
// numeric_out prints), by splitting it into sign, integer digits and fraction digits.
std::string reference_number(const std::string& text) {
    bool negative = text[0] == '-';
    std::string body = negative ? text.substr(1) : text;
    std::size_t point = body.find('.');
    std::string integer = body.substr(0, point);
    std::string fraction = point == std::string::npos ? "" : body.substr(point + 1);
    while (!fraction.empty() && fraction.back() == '0')
        fraction.pop_back();
    bool zero = fraction.empty() && integer.find_first_not_of('0') == std::string::npos;
    if (zero)
        return "0";
    return (negative ? "-" : "") + integer + (fraction.empty() ? "" : "." + fraction);
}

// The canonical labels as the issue states them, one rule at a time. Nested values are left
// to the callers (the core throws for them).
Pairs reference_canonical(const std::vector<Owned>& owned) {
    std::map<std::string, std::string, ByteLess> model;
    for (const Owned& o : owned) {
        std::string value;
        switch (o.kind) {
            case ValueKind::Null:
                continue;
            case ValueKind::String:
                value = o.value;
                break;
            case ValueKind::Number:
                value = reference_number(o.value);
                break;
            case ValueKind::Boolean:
                value = o.value;  // "true" / "false"
                break;
            case ValueKind::Object:
            case ValueKind::Array:
                ADD_FAILURE() << "reference_canonical called with a nested value";
                continue;
        }
        if (value.empty())
            continue;
        model[o.key] = value;
    }
    return Pairs(model.begin(), model.end());
}

std::string reference_quote(const std::string& s) {
    std::string out = "\"";
    for (unsigned char c : s) {
        if (c == '"') {
            out += "\\\"";
        } else if (c == '\\') {
            out += "\\\\";
        } else if (c == '\b') {
            out += "\\b";
        } else if (c == '\f') {
            out += "\\f";
        } else if (c == '\n') {
            out += "\\n";
        } else if (c == '\r') {
            out += "\\r";
        } else if (c == '\t') {
            out += "\\t";
        } else if (c < 0x20) {
            char buf[8];
            std::snprintf(buf, sizeof buf, "\\u%04x", c);
            out += buf;
        } else {
            out += static_cast<char>(c);
        }
    }
    return out + "\"";
}

std::string reference_json(const Pairs& pairs) {
    std::string out = "{";
    for (std::size_t i = 0; i < pairs.size(); ++i) {
        if (i > 0)
            out += ",";
        out += reference_quote(pairs[i].first) + ":" + reference_quote(pairs[i].second);
    }
    return out + "}";
}

// A strict parser of the compact JSON object the core writes: no whitespace, every value a
// string. JSON escapes (all of them, \uXXXX in either case and with surrogate pairs) are
// decoded to UTF-8; raw control characters are refused; other bytes are taken as they are.
class JsonParser {
  public:
    explicit JsonParser(std::string_view text) : text_(text) {}

    bool parse_object(Pairs* out) {
        if (!take('{'))
            return false;
        if (take('}'))
            return pos_ == text_.size();
        for (;;) {
            std::string key;
            std::string value;
            if (!parse_string(&key) || !take(':') || !parse_string(&value))
                return false;
            out->emplace_back(std::move(key), std::move(value));
            if (take('}'))
                return pos_ == text_.size();
            if (!take(','))
                return false;
        }
    }

  private:
    bool take(char c) {
        if (pos_ < text_.size() && text_[pos_] == c) {
            ++pos_;
            return true;
        }
        return false;
    }

    bool hex4(unsigned* value) {
        if (text_.size() - pos_ < 4)
            return false;
        *value = 0;
        for (int i = 0; i < 4; ++i) {
            char c = text_[pos_++];
            unsigned digit;
            if (c >= '0' && c <= '9')
                digit = c - '0';
            else if (c >= 'a' && c <= 'f')
                digit = c - 'a' + 10;
            else if (c >= 'A' && c <= 'F')
                digit = c - 'A' + 10;
            else
                return false;
            *value = *value * 16 + digit;
        }
        return true;
    }

    static void append_utf8(unsigned cp, std::string* out) {
        if (cp < 0x80) {
            *out += static_cast<char>(cp);
        } else if (cp < 0x800) {
            *out += static_cast<char>(0xc0 | (cp >> 6));
            *out += static_cast<char>(0x80 | (cp & 0x3f));
        } else if (cp < 0x10000) {
            *out += static_cast<char>(0xe0 | (cp >> 12));
            *out += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
            *out += static_cast<char>(0x80 | (cp & 0x3f));
        } else {
            *out += static_cast<char>(0xf0 | (cp >> 18));
            *out += static_cast<char>(0x80 | ((cp >> 12) & 0x3f));
            *out += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
            *out += static_cast<char>(0x80 | (cp & 0x3f));
        }
    }

    bool parse_string(std::string* out) {
        if (!take('"'))
            return false;
        while (pos_ < text_.size()) {
            auto c = static_cast<unsigned char>(text_[pos_++]);
            if (c == '"')
                return true;
            if (c < 0x20)
                return false;
            if (c != '\\') {
                *out += static_cast<char>(c);
                continue;
            }
            if (pos_ == text_.size())
                return false;
            char e = text_[pos_++];
            switch (e) {
                case '"':
                case '\\':
                case '/':
                    *out += e;
                    break;
                case 'b':
                    *out += '\b';
                    break;
                case 'f':
                    *out += '\f';
                    break;
                case 'n':
                    *out += '\n';
                    break;
                case 'r':
                    *out += '\r';
                    break;
                case 't':
                    *out += '\t';
                    break;
                case 'u': {
                    unsigned cp;
                    if (!hex4(&cp))
                        return false;
                    if (cp >= 0xdc00 && cp <= 0xdfff)
                        return false;
                    if (cp >= 0xd800 && cp <= 0xdbff) {
                        unsigned low;
                        if (!take('\\') || !take('u') || !hex4(&low) || low < 0xdc00 ||
                            low > 0xdfff)
                            return false;
                        cp = 0x10000 + ((cp - 0xd800) << 10) + (low - 0xdc00);
                    }
                    append_utf8(cp, out);
                    break;
                }
                default:
                    return false;
            }
        }
        return false;  // unterminated
    }

    std::string_view text_;
    std::size_t pos_ = 0;
};

bool parse_json(std::string_view text, Pairs* out) {
    out->clear();
    return JsonParser(text).parse_object(out);
}

// ---- random inputs ----------------------------------------------------------------

constexpr std::uint64_t kSeed = 20240612;
using Rng = std::mt19937_64;

Rng case_rng(std::uint64_t test_salt, int case_index) {
    std::seed_seq seq{kSeed, test_salt, static_cast<std::uint64_t>(case_index)};
    return Rng(seq);
}

std::string case_label(const char* test, int case_index) {
    std::ostringstream os;
    os << test << ": seed=" << kSeed << " case=" << case_index;
    return os.str();
}

int uniform(Rng& rng, int lo, int hi) {  // inclusive bounds
    return std::uniform_int_distribution<int>(lo, hi)(rng);
}

bool coin(Rng& rng, double p = 0.5) {
    return std::bernoulli_distribution(p)(rng);
}

// Pieces of keys and string values: ASCII of both cases, JSON specials, control characters,
// DEL, two-, three- and four-byte UTF-8 (also a decomposed "é"), and a byte that is no UTF-8.
const char* const kPieces[] = {
    "a",
    "b",
    "z",
    "B",
    "Z",
    "aa",
    "0",
    "9",
    "_",
    "-",
    ".",
    " ",
    "/",
    "\"",
    "\\",
    "\b",
    "\f",
    "\n",
    "\r",
    "\t",
    "\x01",
    "\x1f",
    "\x7f",
    "\xc3\xa9" /* é */,
    "e\xcc\x81" /* e + U+0301 */,
    "\xe6\x97\xa5" /* 日 */,
    "\xf0\x9f\x98\x80" /* U+1F600 */,
    "\xff",
    "host",
    "port",
    "env",
};
constexpr int kPieceCount = sizeof kPieces / sizeof kPieces[0];

std::string random_text(Rng& rng, int max_pieces) {
    std::string s;
    for (int n = uniform(rng, 0, max_pieces); n > 0; --n)
        s += kPieces[uniform(rng, 0, kPieceCount - 1)];
    if (coin(rng, 0.05))
        s += std::string(1, '\0');  // embedded NUL, a control character like any other
    return s;
}

std::string random_digits(Rng& rng, int count, double zero_bias) {
    std::string s;
    for (int i = 0; i < count; ++i)
        s += coin(rng, zero_bias) ? '0' : static_cast<char>('0' + uniform(rng, 0, 9));
    return s;
}

// Plain decimal text as numeric_out prints it (plus "-0..." forms, which it does not print
// but the rules cover): -?(0|[1-9][0-9]*)(.[0-9]+)?
std::string random_number(Rng& rng) {
    std::string s = coin(rng, 0.3) ? "-" : "";
    if (coin(rng, 0.4)) {
        s += "0";
    } else {
        s += static_cast<char>('1' + uniform(rng, 0, 8));
        s += random_digits(rng, coin(rng, 0.1) ? uniform(rng, 20, 60) : uniform(rng, 0, 5), 0.4);
    }
    if (coin(rng, 0.6)) {
        s += ".";
        s += random_digits(rng, coin(rng, 0.1) ? uniform(rng, 20, 60) : uniform(rng, 1, 6), 0.6);
    }
    return s;
}

// Up to max_count labels with unique keys (as a JSON object has) and random kinds.
std::vector<Owned> random_labels(Rng& rng, int max_count, bool allow_nested) {
    std::set<std::string> keys;
    std::vector<Owned> owned;
    int count = uniform(rng, 0, max_count);
    for (int attempt = 0; static_cast<int>(owned.size()) < count && attempt < 10 * count;
         ++attempt) {
        std::string key = random_text(rng, 3);
        if (!keys.insert(key).second)
            continue;
        Owned o{key, "", ValueKind::Null};
        int k = uniform(rng, 0, allow_nested ? 99 : 93);
        if (k < 10) {
            o.kind = ValueKind::Null;
            if (coin(rng))
                o.value = random_text(rng, 2);  // whatever it holds, a null is dropped
        } else if (k < 55) {
            o.kind = ValueKind::String;
            o.value = coin(rng, 0.1) ? "" : random_text(rng, 4);
        } else if (k < 85) {
            o.kind = ValueKind::Number;
            o.value = random_number(rng);
        } else if (k < 94) {
            o.kind = ValueKind::Boolean;
            o.value = coin(rng) ? "true" : "false";
        } else {
            o.kind = coin(rng) ? ValueKind::Object : ValueKind::Array;
        }
        owned.push_back(std::move(o));
    }
    return owned;
}

// =====================================================================================
// canonical_number
// =====================================================================================

struct NumberCase {
    std::string input;
    std::string expected;
};

void expect_canonical_number(const std::string& input, const std::string& expected) {
    SCOPED_TRACE("input " + show(input.substr(0, 80)) + (input.size() > 80 ? "..." : ""));
    std::string_view got;
    Caught caught = catch_error([&] { got = lb::canonical_number(input); });
    ASSERT_FALSE(caught.thrown) << caught.message;
    EXPECT_EQ(got, expected);
    // The result is a view into the input.
    EXPECT_TRUE(got.data() >= input.data() &&
                got.data() + got.size() <= input.data() + input.size())
        << "result is not a view into the input";
}

TEST(LabelsCanonicalNumber, Table) {
    const NumberCase kCases[] = {
        // integers are kept, zeros included
        {"0", "0"},
        {"1", "1"},
        {"-1", "-1"},
        {"7", "7"},
        {"10", "10"},
        {"100", "100"},
        {"1000", "1000"},
        {"-1000", "-1000"},
        {"8080", "8080"},
        {"9223372036854775807", "9223372036854775807"},
        {"-9223372036854775809", "-9223372036854775809"},
        // trailing zeros of the fraction, and the point with them
        {"8080.0", "8080"},
        {"8080.000", "8080"},
        {"1.50", "1.5"},
        {"1.5", "1.5"},
        {"-5.10", "-5.1"},
        {"100.00", "100"},
        {"-100.0", "-100"},
        {"10.01", "10.01"},
        {"10.010", "10.01"},
        {"3.14159", "3.14159"},
        {"2.000000000000000000001", "2.000000000000000000001"},
        {"2.0000000000000000000010", "2.000000000000000000001"},
        // zeros: every one is "0"
        {"0.0", "0"},
        {"0.000", "0"},
        {"-0", "0"},
        {"-0.0", "0"},
        {"-0.00", "0"},
        // fractions below one
        {"0.001", "0.001"},
        {"0.0010", "0.001"},
        {"-0.001", "-0.001"},
        {"0.5", "0.5"},
        {"-0.5", "-0.5"},
        {"-0.50", "-0.5"},
        {"0.10", "0.1"},
        {"123456789012345678901234567890.123456789012345678900",
         "123456789012345678901234567890.1234567890123456789"},
    };
    for (const NumberCase& c : kCases)
        expect_canonical_number(c.input, c.expected);
}

TEST(LabelsCanonicalNumber, HugeDigitStrings) {
    // numeric_out prints up to 131072 digits before the point and 16383 after it.
    const std::string big_int = "1" + std::string(131071, '0');
    const NumberCase kCases[] = {
        {std::string(1000, '9'), std::string(1000, '9')},
        {"-" + std::string(1000, '9'), "-" + std::string(1000, '9')},
        {big_int, big_int},
        {big_int + "." + std::string(16383, '0'), big_int},
        {"-" + big_int + "." + std::string(16382, '0') + "5",
         "-" + big_int + "." + std::string(16382, '0') + "5"},
        {"0." + std::string(16382, '0') + "1", "0." + std::string(16382, '0') + "1"},
        {"0." + std::string(16383, '0'), "0"},
        {"-0." + std::string(16383, '0'), "0"},
        {"7." + std::string(300, '0') + "1" + std::string(300, '0'),
         "7." + std::string(300, '0') + "1"},
        {"1" + std::string(500, '0') + "." + std::string(500, '0'), "1" + std::string(500, '0')},
    };
    for (const NumberCase& c : kCases)
        expect_canonical_number(c.input, c.expected);
}

TEST(LabelsCanonicalNumber, RejectsAnythingButPlainDecimal) {
    const std::string kRejected[] = {
        "",
        "-",
        ".5",
        "5.",
        "1e3",
        "abc",
        "1.2.3",
        " 1",
        "1 ",
        "+1",
        "--1",
        "-.5",
        "-.",
        ".",
        "1.e3",
        "1.5e3",
        "1E3",
        "NaN",
        "nan",
        "Inf",
        "-Infinity",
        "Infinity",
        "1,5",
        "0x10",
        "1.-5",
        "1-",
        "\t1",
        "1\n",
        std::string("1\0", 2),
        std::string("\0", 1),
        "\xd9\xa1" /* ١ */,
        "1.5.",
        "5..0",
        "-5.",
    };
    for (const std::string& input : kRejected) {
        SCOPED_TRACE("input " + show(input));
        Caught caught = catch_error([&] { lb::canonical_number(input); });
        EXPECT_TRUE(caught.thrown) << "accepted";
        if (caught.thrown) {
            EXPECT_EQ(caught.kind, ErrorKind::Internal) << caught.message;
        }
    }
}

TEST(LabelsCanonicalNumber, RandomAgainstModel) {
    for (int i = 0; i < 20000; ++i) {
        Rng rng = case_rng(1, i);
        std::string input = random_number(rng);
        SCOPED_TRACE(case_label("canonical_number", i));
        expect_canonical_number(input, reference_number(input));
        // The canonical text is a fixed point.
        std::string once(lb::canonical_number(input));
        EXPECT_EQ(lb::canonical_number(once), once);
    }
}

// =====================================================================================
// canonicalize
// =====================================================================================

TEST(LabelsCanonicalize, DropsNullAndEmptyValues) {
    const std::vector<Owned> owned = {
        {"a", "", ValueKind::Null},         {"b", "", ValueKind::String},
        {"c", "x", ValueKind::String},      {"d", "0", ValueKind::Number},
        {"e", "false", ValueKind::Boolean}, {"f", "ignored", ValueKind::Null},
        {"g", " ", ValueKind::String},  // a blank is not empty
    };
    EXPECT_EQ(canonical_pairs(owned), (Pairs{{"c", "x"}, {"d", "0"}, {"e", "false"}, {"g", " "}}));
}

TEST(LabelsCanonicalize, EmptyAndAllDropped) {
    Label dummy{"k", "v", ValueKind::String};
    EXPECT_EQ(lb::canonicalize(&dummy, 0), 0u);
    EXPECT_EQ(dummy.key, "k");

    const std::vector<Owned> owned = {
        {"a", "", ValueKind::Null}, {"b", "", ValueKind::String}, {"", "", ValueKind::String}};
    std::vector<Label> labels;
    EXPECT_EQ(canonical_pairs(owned, &labels), Pairs{});
    EXPECT_EQ(json_text(labels), "{}");
}

TEST(LabelsCanonicalize, ConvertsKinds) {
    const std::vector<Owned> owned = {
        {"port", "8080.0", ValueKind::Number}, {"ratio", "-0.50", ValueKind::Number},
        {"zero", "-0.0", ValueKind::Number},   {"big", "1000", ValueKind::Number},
        {"on", "true", ValueKind::Boolean},    {"off", "false", ValueKind::Boolean},
        {"name", "8080.0", ValueKind::String},  // a string stays as it is
        {"t", "TRUE", ValueKind::String},
    };
    EXPECT_EQ(canonical_pairs(owned), (Pairs{{"big", "1000"},
                                             {"name", "8080.0"},
                                             {"off", "false"},
                                             {"on", "true"},
                                             {"port", "8080"},
                                             {"ratio", "-0.5"},
                                             {"t", "TRUE"},
                                             {"zero", "0"}}));
}

TEST(LabelsCanonicalize, NumberAndStringGiveTheSameLabel) {
    const std::vector<std::vector<Owned>> inputs = {
        {{"port", "8080", ValueKind::Number}, {"host", "a", ValueKind::String}},
        {{"host", "a", ValueKind::String}, {"port", "8080.0", ValueKind::Number}},
        {{"port", "8080", ValueKind::String}, {"host", "a", ValueKind::String}},
        {{"port", "8080.000", ValueKind::Number},
         {"host", "a", ValueKind::String},
         {"dc", "", ValueKind::Null}},
    };
    for (const auto& owned : inputs) {
        std::vector<Label> labels;
        EXPECT_EQ(canonical_pairs(owned, &labels), (Pairs{{"host", "a"}, {"port", "8080"}}));
        std::string text = json_text(labels);
        EXPECT_EQ(text, R"({"host":"a","port":"8080"})");
        // The fingerprint of that text (vector from the XXH64 table below).
        EXPECT_EQ(lb::xxh64(text.data(), text.size()), 0xda4765acc5a1a651ULL);
    }
}

TEST(LabelsCanonicalize, SortsByKeyBytes) {
    // memcmp order: the empty key first, control characters, upper case before lower case,
    // a prefix before its extensions, DEL after ASCII letters, then UTF-8 by lead byte.
    const std::vector<std::string> sorted = {
        "",
        "\x01",
        " ",
        "B",
        "Z",
        "a",
        "aa",
        "b",
        "e",
        "e\xcc\x81",  // "e" + combining acute: a different key from "é"
        "z",
        "\x7f",
        "\xc3\x89",          // É
        "\xc3\xa9",          // é
        "\xe6\x97\xa5",      // 日
        "\xf0\x9f\x98\x80",  // U+1F600
        "\xff",
    };
    std::vector<std::string> shuffled = sorted;
    for (int round = 0; round < 50; ++round) {
        Rng rng = case_rng(2, round);
        std::shuffle(shuffled.begin(), shuffled.end(), rng);
        std::vector<Owned> owned;
        for (const std::string& k : shuffled)
            owned.push_back({k, "v:" + k, ValueKind::String});
        Pairs got = canonical_pairs(owned);
        ASSERT_EQ(got.size(), sorted.size());
        for (std::size_t i = 0; i < sorted.size(); ++i) {
            EXPECT_EQ(got[i].first, sorted[i]) << "position " << i << ": got " << show(got[i].first)
                                               << ", expected " << show(sorted[i]);
            EXPECT_EQ(got[i].second, "v:" + sorted[i]);
        }
    }
}

TEST(LabelsCanonicalize, KeepsKeysByteForByte) {
    // No trimming, no case folding, no Unicode normalization, NUL and quotes kept.
    const std::vector<Owned> owned = {
        {" host ", "1", ValueKind::String},
        {"Host", "2", ValueKind::String},
        {"host", "3", ValueKind::String},
        {"\xc3\xa9t\xc3\xa9", "4", ValueKind::String},
        {"e\xcc\x81t\xc3\xa9", "5", ValueKind::String},
        {std::string("a\0b", 3), "6", ValueKind::String},
        {"a\"b\\c", "7", ValueKind::String},
    };
    Pairs got = canonical_pairs(owned);
    const Pairs expected = {
        {" host ", "1"},
        {"Host", "2"},
        {std::string("a\0b", 3), "6"},
        {"a\"b\\c", "7"},
        {"e\xcc\x81t\xc3\xa9", "5"},
        {"host", "3"},
        {"\xc3\xa9t\xc3\xa9", "4"},
    };
    EXPECT_EQ(got, expected) << "got " << show(got);
}

TEST(LabelsCanonicalize, NestedObjectOrArrayIsAnError) {
    struct Case {
        std::vector<Owned> owned;
        std::string key;
    };
    const std::vector<Case> cases = {
        {{{"meta", "", ValueKind::Object}}, "meta"},
        {{{"tags", "", ValueKind::Array}}, "tags"},
        {{{"host", "a", ValueKind::String},
          {"nested.key-42", "", ValueKind::Object},
          {"port", "80", ValueKind::Number}},
         "nested.key-42"},
        {{{"a", "", ValueKind::Null},
          {"b", "", ValueKind::String},
          {"list_of_things", "", ValueKind::Array}},
         "list_of_things"},
        {{{"\xe6\x97\xa5\xe6\x9c\xac", "", ValueKind::Object}}, "\xe6\x97\xa5\xe6\x9c\xac"},
    };
    for (const Case& c : cases) {
        SCOPED_TRACE("key " + show(c.key));
        std::vector<Label> labels = views(c.owned);
        Caught caught = catch_error([&] { lb::canonicalize(labels.data(), labels.size()); });
        ASSERT_TRUE(caught.thrown);
        EXPECT_EQ(caught.kind, ErrorKind::InvalidParameter);
        EXPECT_NE(caught.message.find(c.key), std::string::npos)
            << "message does not name the key: " << caught.message;
    }
}

TEST(LabelsCanonicalize, MalformedNumberTextIsInternal) {
    for (const char* text : {"1e3", "", "abc", ".5"}) {
        SCOPED_TRACE(show(text));
        std::vector<Owned> owned = {{"n", text, ValueKind::Number}};
        std::vector<Label> labels = views(owned);
        Caught caught = catch_error([&] { lb::canonicalize(labels.data(), labels.size()); });
        ASSERT_TRUE(caught.thrown);
        EXPECT_EQ(caught.kind, ErrorKind::Internal);
    }
}

TEST(LabelsCanonicalize, Idempotent) {
    const std::vector<Owned> owned = {
        {"z", "1.50", ValueKind::Number},    {"a", "x", ValueKind::String},
        {"m", "true", ValueKind::Boolean},   {"n", "", ValueKind::Null},
        {"\xc3\xa9", "", ValueKind::String}, {"B", "-0.0", ValueKind::Number},
    };
    std::vector<Label> once;
    Pairs first = canonical_pairs(owned, &once);
    EXPECT_EQ(first, (Pairs{{"B", "0"}, {"a", "x"}, {"m", "true"}, {"z", "1.5"}}));
    EXPECT_FALSE(lb::needs_rewrite(once.data(), once.size()));

    std::vector<Label> twice = string_labels(first);
    std::size_t n = lb::canonicalize(twice.data(), twice.size());
    EXPECT_EQ(pairs_of(twice.data(), n), first);
    EXPECT_EQ(json_text(twice.data(), n), json_text(once));
}

TEST(LabelsCanonicalize, RandomAgainstModel) {
    int nested_cases = 0;
    for (int i = 0; i < 5000; ++i) {
        Rng rng = case_rng(3, i);
        SCOPED_TRACE(case_label("canonicalize", i));
        std::vector<Owned> owned = random_labels(rng, 14, /*allow_nested=*/true);

        std::vector<std::string> nested_keys;
        for (const Owned& o : owned) {
            if (o.kind == ValueKind::Object || o.kind == ValueKind::Array)
                nested_keys.push_back(o.key);
        }
        if (!nested_keys.empty()) {
            ++nested_cases;
            std::vector<Label> labels = views(owned);
            Caught caught = catch_error([&] { lb::canonicalize(labels.data(), labels.size()); });
            ASSERT_TRUE(caught.thrown);
            EXPECT_EQ(caught.kind, ErrorKind::InvalidParameter);
            // what() is a C string: a key with a NUL (which jsonb cannot hold) shows up to it.
            bool named = std::any_of(nested_keys.begin(), nested_keys.end(), [&](auto& k) {
                return caught.message.find(k.substr(0, k.find('\0'))) != std::string::npos;
            });
            EXPECT_TRUE(named) << "message names no nested key: " << caught.message;
            continue;
        }

        Pairs expected = reference_canonical(owned);
        std::vector<Label> labels;
        Pairs got = canonical_pairs(owned, &labels);
        ASSERT_EQ(got, expected) << "got " << show(got) << "\nexpected " << show(expected);
        EXPECT_FALSE(lb::needs_rewrite(labels.data(), labels.size()));

        // Idempotent, and independent of the input order.
        std::vector<Label> again = labels;
        std::shuffle(again.begin(), again.end(), rng);
        std::size_t n = lb::canonicalize(again.data(), again.size());
        ASSERT_EQ(pairs_of(again.data(), n), expected);

        std::vector<Owned> reordered = owned;
        std::shuffle(reordered.begin(), reordered.end(), rng);
        ASSERT_EQ(canonical_pairs(reordered), expected);

        // The canonical text: the reference writer's, and it parses back to the labels.
        std::string text = json_text(labels);
        EXPECT_EQ(text, reference_json(expected));
        Pairs parsed;
        EXPECT_TRUE(parse_json(text, &parsed)) << show(text);
        EXPECT_EQ(parsed, expected);
    }
    EXPECT_GT(nested_cases, 100);  // the generator does reach the error path
}

// =====================================================================================
// needs_rewrite
// =====================================================================================

TEST(LabelsNeedsRewrite, Table) {
    struct Case {
        std::vector<Owned> owned;
        bool expected;
    };
    const std::vector<Case> cases = {
        {{}, false},
        {{{"a", "x", ValueKind::String}}, false},
        {{{"a", "x", ValueKind::String}, {"b", "8080", ValueKind::String}}, false},
        // the order of the keys is not a value: unsorted string labels need no rewrite
        {{{"b", "x", ValueKind::String}, {"a", "y", ValueKind::String}}, false},
        {{{"a", "", ValueKind::Null}}, true},
        {{{"a", "", ValueKind::String}}, true},
        {{{"a", "1", ValueKind::Number}}, true},  // even a number already canonical
        {{{"a", "true", ValueKind::Boolean}}, true},
        {{{"a", "", ValueKind::Object}}, true},
        {{{"a", "", ValueKind::Array}}, true},
        {{{"a", "x", ValueKind::String},
          {"b", "y", ValueKind::String},
          {"c", "", ValueKind::String}},
         true},
        {{{"a", "x", ValueKind::String},
          {"b", "y", ValueKind::String},
          {"c", "0", ValueKind::Number}},
         true},
        {{{"a", "", ValueKind::Null}, {"b", "y", ValueKind::String}}, true},
    };
    for (std::size_t i = 0; i < cases.size(); ++i) {
        std::vector<Label> labels = views(cases[i].owned);
        EXPECT_EQ(lb::needs_rewrite(labels.data(), labels.size()), cases[i].expected)
            << "case " << i;
    }
    Label dummy{"a", "", ValueKind::Null};
    EXPECT_FALSE(lb::needs_rewrite(&dummy, 0));
}

TEST(LabelsNeedsRewrite, RandomAgainstModel) {
    int rewrites = 0;
    for (int i = 0; i < 5000; ++i) {
        Rng rng = case_rng(4, i);
        SCOPED_TRACE(case_label("needs_rewrite", i));
        std::vector<Owned> owned = random_labels(rng, 8, /*allow_nested=*/true);
        if (coin(rng)) {  // many all-string sets too
            for (Owned& o : owned) {
                o.kind = ValueKind::String;
                if (o.value.empty())
                    o.value = coin(rng, 0.9) ? "v" : "";
            }
        }
        bool expected = std::any_of(owned.begin(), owned.end(), [](const Owned& o) {
            return o.kind != ValueKind::String || o.value.empty();
        });
        rewrites += expected ? 1 : 0;
        std::vector<Label> labels = views(owned);
        EXPECT_EQ(lb::needs_rewrite(labels.data(), labels.size()), expected);
    }
    EXPECT_GT(rewrites, 1000);
    EXPECT_LT(rewrites, 4000);
}

// =====================================================================================
// write_json_text / json_text_length
// =====================================================================================

// Expected texts were checked against python3's json.dumps(..., ensure_ascii=False,
// separators=(",", ":")) where the content is valid UTF-8.
TEST(LabelsJsonText, Empty) {
    Label dummy{"k", "v", ValueKind::String};
    EXPECT_EQ(lb::json_text_length(&dummy, 0), 2u);
    EXPECT_EQ(json_text(&dummy, 0), "{}");
}

TEST(LabelsJsonText, ExactTexts) {
    struct Case {
        Pairs pairs;
        std::string expected;
    };
    const std::vector<Case> cases = {
        {{{"host", "a"}, {"port", "8080"}}, R"({"host":"a","port":"8080"})"},
        {{{"k", "v"}}, R"({"k":"v"})"},
        {{{"", "x"}}, R"({"":"x"})"},
        // order as given, not re-sorted
        {{{"b", "1"}, {"a", "2"}}, R"({"b":"1","a":"2"})"},
        // quote and backslash, in keys and values
        {{{"a\"b\\c", "d\\\"e"}}, R"({"a\"b\\c":"d\\\"e"})"},
        {{{"\\", "\""}}, R"({"\\":"\""})"},
        // the short escapes
        {{{"k", "\b\f\n\r\t"}}, R"({"k":"\b\f\n\r\t"})"},
        {{{"line\nbreak", "tab\there"}}, R"({"line\nbreak":"tab\there"})"},
        // other control characters: \u00xx with lowercase hex
        {{{"k", "\x01\x0b\x0e\x1a\x1f"}}, R"({"k":"\u0001\u000b\u000e\u001a\u001f"})"},
        // literal: solidus, space, DEL, <>&', UTF-8 of 2, 3 and 4 bytes
        {{{"path", "/a/b"}}, R"({"path":"/a/b"})"},
        {{{" ", "\x7f"}}, "{\" \":\"\x7f\"}"},
        {{{"html", "<a href='x'>&amp;</a>"}}, R"({"html":"<a href='x'>&amp;</a>"})"},
        {{{"\xc3\xa9t\xc3\xa9", "\xe6\x97\xa5\xe6\x9c\xac"}, {"emoji", "\xf0\x9f\x98\x80"}},
         "{\"\xc3\xa9t\xc3\xa9\":\"\xe6\x97\xa5\xe6\x9c\xac\",\"emoji\":\"\xf0\x9f\x98\x80\"}"},
        // bytes that are no UTF-8 are written as they are too
        {{{"k", "\xff\xfe\x80"}}, "{\"k\":\"\xff\xfe\x80\"}"},
    };
    for (const Case& c : cases) {
        SCOPED_TRACE("expected " + show(c.expected));
        std::vector<Label> labels = string_labels(c.pairs);
        EXPECT_EQ(lb::json_text_length(labels.data(), labels.size()), c.expected.size());
        EXPECT_EQ(json_text(labels), c.expected);
    }
}

TEST(LabelsJsonText, EveryControlCharacter) {
    std::string all;
    for (int c = 0; c < 0x20; ++c)
        all += static_cast<char>(c);
    all += "\x20\x7f";
    const std::string expected =
        R"({"k":"\u0000\u0001\u0002\u0003\u0004\u0005\u0006\u0007\b\t\n\u000b\f\r\u000e\u000f)"
        R"(\u0010\u0011\u0012\u0013\u0014\u0015\u0016\u0017\u0018\u0019\u001a\u001b\u001c\u001d)"
        "\\u001e\\u001f \x7f\"}";
    std::vector<Label> labels = {Label{"k", all, ValueKind::String}};
    EXPECT_EQ(json_text(labels), expected);

    // Every byte value once, as a key: escaped iff it is '"', '\\' or below 0x20.
    for (int c = 0; c < 256; ++c) {
        std::string key(1, static_cast<char>(c));
        std::vector<Label> one = {Label{key, "v", ValueKind::String}};
        std::string got = json_text(one);
        EXPECT_EQ(got, "{" + reference_quote(key) + ":\"v\"}") << "byte " << c;
        std::size_t expected_key_size =
            c == '"' || c == '\\' || c == '\b' || c == '\f' || c == '\n' || c == '\r' || c == '\t'
                ? 2
            : c < 0x20 ? 6
                       : 1;
        EXPECT_EQ(got.size(), 2 + (2 + expected_key_size) + 1 + 3) << "byte " << c;
    }
}

TEST(LabelsJsonText, RandomLengthAndRoundTrip) {
    for (int i = 0; i < 5000; ++i) {
        Rng rng = case_rng(5, i);
        SCOPED_TRACE(case_label("json_text", i));
        Pairs pairs;
        for (int n = uniform(rng, 0, 10); n > 0; --n) {
            std::string key = random_text(rng, 4);
            std::string value = random_text(rng, 6);
            if (coin(rng, 0.1)) {  // arbitrary bytes too
                for (int m = uniform(rng, 1, 40); m > 0; --m)
                    value += static_cast<char>(uniform(rng, 0, 255));
            }
            pairs.emplace_back(std::move(key), std::move(value));
        }
        std::vector<Label> labels = string_labels(pairs);
        std::string text = json_text(labels);  // checks length == written, no overrun
        EXPECT_EQ(text, reference_json(pairs));
        Pairs parsed;
        EXPECT_TRUE(parse_json(text, &parsed)) << show(text);
        EXPECT_EQ(parsed, pairs);
    }
}

TEST(LabelsJsonText, ParserSelfCheck) {
    // The test's parser decodes what a JSON writer might legally produce, and refuses the rest.
    Pairs parsed;
    EXPECT_TRUE(parse_json(R"({"a\/b":"\u00e9\u65E5\ud83d\ude00\u0001"})", &parsed));
    EXPECT_EQ(parsed, (Pairs{{"a/b", "\xc3\xa9\xe6\x97\xa5\xf0\x9f\x98\x80\x01"}}));
    EXPECT_TRUE(parse_json("{}", &parsed));
    EXPECT_TRUE(parsed.empty());
    for (const char* bad : {"", "{", "{}x", "{\"a\":1}", "{\"a\":\"\x01\"}", R"({"a":"\x"})",
                            R"({"a":"\ude00"})", R"({"a":"b",})", R"({ "a":"b"})", R"({"a":"b)"}) {
        EXPECT_FALSE(parse_json(bad, &parsed)) << show(bad);
    }
}

// =====================================================================================
// xxh64
// =====================================================================================

// Test inputs: a fixed 64-character ASCII alphabet repeated, and a binary pattern with every
// byte value (also those above 0x7f) at byte i = (31 * i + 7) mod 256.
constexpr char kAlphabet[] = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ+/";

std::string ascii_pattern(std::size_t n) {
    std::string s;
    for (std::size_t i = 0; i < n; ++i)
        s += kAlphabet[i % 64];
    return s;
}

std::string binary_pattern(std::size_t n) {
    std::string s;
    for (std::size_t i = 0; i < n; ++i)
        s += static_cast<char>((31 * i + 7) & 0xff);
    return s;
}

std::uint64_t hash(const std::string& s, std::uint64_t seed = 0) {
    return lb::xxh64(s.data(), s.size(), seed);
}

// Expected values below (seed 0) were produced by `xxhsum -H1` (xxHash 0.8.1, Debian's
// xxhash package), e.g. `printf 'abc' | xxhsum -H1`; the seeded ones by XXH64() of the same
// libxxhash 0.8.1.

TEST(LabelsXxh64, NamedInputs) {
    struct Case {
        std::string input;
        std::uint64_t hash;
    };
    const Case kCases[] = {
        {"", 0xef46db3751d8e999ULL},
        {"a", 0xd24ec4f1a98c6e5bULL},
        {"abc", 0x44bc2cf5ad770999ULL},
        {"{}", 0x2e1472b57af294d1ULL},
        {R"({"host":"a","port":"8080"})", 0xda4765acc5a1a651ULL},
    };
    for (const Case& c : kCases)
        EXPECT_EQ(hash(c.input), c.hash) << "input " << show(c.input);
}

// Prefixes of the ASCII pattern, lengths 0..70: below and above the 32-byte stripes, with
// every combination of the 8-, 4- and 1-byte tails.
TEST(LabelsXxh64, AsciiPatternLengths0To70) {
    const std::uint64_t kHashes[71] = {
        /*  0 */ 0xef46db3751d8e999ULL, /*  1 */ 0x633457081244afecULL,
        /*  2 */ 0x6ed10a79b52ef0f5ULL, /*  3 */ 0x1c2dcb4b9024d73dULL,
        /*  4 */ 0x4c33072b45647dcbULL, /*  5 */ 0x34cb4c2ee6166f65ULL,
        /*  6 */ 0x2e47ff2ef217b048ULL, /*  7 */ 0x97ee4fe4a0ff4dfaULL,
        /*  8 */ 0xe4ba22a49ad89d3fULL, /*  9 */ 0x43ecc9248bc07d20ULL,
        /* 10 */ 0x3f5fc178a81867e7ULL, /* 11 */ 0xd9dc70d959571db7ULL,
        /* 12 */ 0x862e292326b8a4fcULL, /* 13 */ 0xba453e84431e55e5ULL,
        /* 14 */ 0xba6a8d6a56c4fa6cULL, /* 15 */ 0x4bb51a30968e6a4dULL,
        /* 16 */ 0x5c5b90c34e376d0bULL, /* 17 */ 0x8036ee70cd0a1505ULL,
        /* 18 */ 0x5121ef17ffba54adULL, /* 19 */ 0x7646e33fe7ac0dbbULL,
        /* 20 */ 0x45c2c0e1eb35a0b6ULL, /* 21 */ 0x5229df86bd2b95e6ULL,
        /* 22 */ 0x7269f75c9cd8a141ULL, /* 23 */ 0x570219a6d2be5d82ULL,
        /* 24 */ 0xc511307085f8fabdULL, /* 25 */ 0x6e39518e006066c1ULL,
        /* 26 */ 0x44bbc7661748281aULL, /* 27 */ 0x14ebc41a62006e55ULL,
        /* 28 */ 0xae70d0e49b7251baULL, /* 29 */ 0x9f1cdccf73da1dcaULL,
        /* 30 */ 0xf13f3e63b74cabd9ULL, /* 31 */ 0x80adfc1d42020f39ULL,
        /* 32 */ 0xbf7c9dbe16b5c6e2ULL, /* 33 */ 0xe97423e605e2f3b4ULL,
        /* 34 */ 0x591dc13798c73051ULL, /* 35 */ 0x9ac87a62d22fa180ULL,
        /* 36 */ 0x69196c1b3af0bff9ULL, /* 37 */ 0x1c23ada37e71273bULL,
        /* 38 */ 0x8b4c3381ca3b6006ULL, /* 39 */ 0x16ad2d8a60ad5bc2ULL,
        /* 40 */ 0x1b3ce041c106b50bULL, /* 41 */ 0x43819952a08590d0ULL,
        /* 42 */ 0x0d14e2361a4fa1ffULL, /* 43 */ 0x342586e410b68501ULL,
        /* 44 */ 0x6aba4ffe350293d0ULL, /* 45 */ 0x35e383e3c2406cf2ULL,
        /* 46 */ 0xb35e125dd4555e6dULL, /* 47 */ 0xe7f6f7fe6db7ff27ULL,
        /* 48 */ 0x1b0dd2759e2a1625ULL, /* 49 */ 0x4d1cd1115a97d7caULL,
        /* 50 */ 0xd4b332e17257155bULL, /* 51 */ 0x404272f35ab03287ULL,
        /* 52 */ 0x8180c5cf8d7bc97fULL, /* 53 */ 0x0621b0b75ff4f461ULL,
        /* 54 */ 0x78dc6b2aa24a1fbaULL, /* 55 */ 0x9626693308f8b899ULL,
        /* 56 */ 0x48ec24d9ee98afadULL, /* 57 */ 0x302a58aa6cc42e83ULL,
        /* 58 */ 0xc40cb438527f95f2ULL, /* 59 */ 0x8191adb08ed354beULL,
        /* 60 */ 0xaa7f88ffc9516c15ULL, /* 61 */ 0x1421b1cae667e915ULL,
        /* 62 */ 0x7639d419de614eedULL, /* 63 */ 0x730cad12996ccb45ULL,
        /* 64 */ 0x30fdea64582c42b7ULL, /* 65 */ 0x6cfce05479f4ce41ULL,
        /* 66 */ 0x940768297fe8bf84ULL, /* 67 */ 0x8174ef0a1c3d155dULL,
        /* 68 */ 0xd080817be1055baaULL, /* 69 */ 0x388c36010b8ea338ULL,
        /* 70 */ 0x9dc320660402505cULL,
    };
    for (std::size_t n = 0; n <= 70; ++n)
        EXPECT_EQ(hash(ascii_pattern(n)), kHashes[n]) << "length " << n;
}

// Prefixes of the binary pattern (bytes above 0x7f in every position of every tail) up to
// about 1 KB.
TEST(LabelsXxh64, BinaryPattern) {
    struct Case {
        std::size_t length;
        std::uint64_t hash;
    };
    const Case kCases[] = {
        {1, 0xa96c7f0ce858bbb7ULL},    {2, 0xac378c5993cd5f9aULL},   {3, 0x56e6957632a487f9ULL},
        {4, 0xc60d15b1e3ff8f04ULL},    {5, 0x808815858624dd4eULL},   {7, 0xafbefc3d6c6f9a8eULL},
        {8, 0x3da5c7aa269683e0ULL},    {9, 0x4b17a9ba9e215c09ULL},   {11, 0x1fc070e44716bd8eULL},
        {12, 0x8fe8ab1c1fd0666eULL},   {15, 0xae2a37eb9357caa7ULL},  {16, 0xa19ad429b02bc413ULL},
        {31, 0x4a74f3a1a39ad4a1ULL},   {32, 0x8d57d6a4671cc43dULL},  {33, 0x62c9fd21ed857664ULL},
        {35, 0x85cbcf9e0d9cbecaULL},   {36, 0xa4475c606b0abc3cULL},  {39, 0x1789542489e59cc4ULL},
        {40, 0x49b45332e280f187ULL},   {63, 0x5c320a0d2707057fULL},  {64, 0x7bbabbc45729d17eULL},
        {65, 0xf3980c34bae65dc1ULL},   {96, 0x1a4b207385051b55ULL},  {100, 0xefa0ad2d3e70c151ULL},
        {255, 0x2c3db4bb567f731eULL},  {256, 0x7c1ff7b1d57c10d5ULL}, {1000, 0x99594f4828043d35ULL},
        {1024, 0x149aa44972cdae00ULL},
    };
    for (const Case& c : kCases)
        EXPECT_EQ(hash(binary_pattern(c.length)), c.hash) << "length " << c.length;
}

// The sanity vectors of xxHash's own test program (xxhsum's sanity check): a buffer from the
// generator g = 2654435761; byte i = g >> 56, g *= 11400714785074694797 (mod 2^64); seeds 0
// and 2654435761. Also confirmed with libxxhash 0.8.1's XXH64().
std::string sanity_buffer(std::size_t n) {
    std::uint64_t g = 2654435761ULL;
    std::string s;
    for (std::size_t i = 0; i < n; ++i) {
        s += static_cast<char>(g >> 56);
        g *= 11400714785074694797ULL;
    }
    return s;
}

TEST(LabelsXxh64, OfficialSanityVectorsWithSeeds) {
    struct Case {
        std::size_t length;
        std::uint64_t seed;
        std::uint64_t hash;
    };
    constexpr std::uint64_t kPrime32 = 2654435761ULL;
    const Case kCases[] = {
        {0, 0, 0xef46db3751d8e999ULL},   {0, kPrime32, 0xac75fda2929b17efULL},
        {1, 0, 0xe934a84adb052768ULL},   {1, kPrime32, 0x5014607643a9b4c3ULL},
        {14, 0, 0x8282dcc4994e35c8ULL},  {14, kPrime32, 0xc3bd6bf63deb6df0ULL},
        {222, 0, 0xb641ae8cb691c174ULL}, {222, kPrime32, 0x20cb8ab7ae10c14aULL},
    };
    for (const Case& c : kCases) {
        EXPECT_EQ(hash(sanity_buffer(c.length), c.seed), c.hash)
            << "length " << c.length << " seed " << c.seed;
    }
}

// Other seeds (1, all ones, and one whose additions wrap): XXH64() of libxxhash 0.8.1.
TEST(LabelsXxh64, Seeds) {
    struct Case {
        std::string input;
        std::uint64_t seed;
        std::uint64_t hash;
    };
    const std::uint64_t kOnes = 0xffffffffffffffffULL;
    const std::uint64_t kWrap = 0x9e3779b185ebca87ULL;
    const Case kCases[] = {
        {ascii_pattern(0), 1, 0xd5afba1336a3be4bULL},
        {ascii_pattern(0), kOnes, 0x298f4c84b24f5380ULL},
        {ascii_pattern(0), kWrap, 0x6ec6d05f61c7e7a7ULL},
        {ascii_pattern(3), 1, 0x086b67ae4f986938ULL},
        {ascii_pattern(3), kOnes, 0x0ba38ac27755d9d9ULL},
        {ascii_pattern(3), kWrap, 0x0ec35779edc852a8ULL},
        {ascii_pattern(12), 1, 0x22be213c2c073792ULL},
        {ascii_pattern(12), kOnes, 0x0e5550428f5949afULL},
        {ascii_pattern(12), kWrap, 0x2dd160e9f85c54f8ULL},
        {ascii_pattern(32), 1, 0x00ba2405452356f1ULL},
        {ascii_pattern(32), kOnes, 0x81e5374e7cedf1c5ULL},
        {ascii_pattern(32), kWrap, 0xe9e6c7f29a5bc5beULL},
        {ascii_pattern(70), 1, 0x6aba92f1d70ecac3ULL},
        {ascii_pattern(70), kOnes, 0x586ff146c6fb6b85ULL},
        {ascii_pattern(70), kWrap, 0xf00b54752be6d182ULL},
        {binary_pattern(1024), 1, 0x7dc5c1000e34279fULL},
        {binary_pattern(1024), kOnes, 0x250b78b56f58e201ULL},
        {binary_pattern(1024), kWrap, 0xeaa6894144b6d3abULL},
    };
    for (const Case& c : kCases) {
        EXPECT_EQ(hash(c.input, c.seed), c.hash)
            << "length " << c.input.size() << " seed " << std::hex << c.seed;
    }
}

TEST(LabelsXxh64, IndependentOfAlignment) {
    const std::string data = binary_pattern(300);
    const std::uint64_t expected = hash(data);
    for (std::size_t offset = 0; offset < 16; ++offset) {
        std::string buffer(offset, 'x');
        buffer += data;
        EXPECT_EQ(lb::xxh64(buffer.data() + offset, data.size()), expected) << "offset " << offset;
    }
}

}  // namespace
}  // namespace lbtest
