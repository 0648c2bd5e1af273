// Error messages of the cores: clipping between UTF-8 characters (the boundary's 1 kB
// buffer) and quoting user data (at most 64 characters), against a naive model that
// decodes the text into characters first.
#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "message.hpp"

namespace msgtest {
namespace {

namespace msg = opsagg::message;

// UTF-8 of a code point.
std::string utf8(std::uint32_t cp) {
    std::string s;
    if (cp < 0x80) {
        s += static_cast<char>(cp);
    } else if (cp < 0x800) {
        s += static_cast<char>(0xC0 | (cp >> 6));
        s += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        s += static_cast<char>(0xE0 | (cp >> 12));
        s += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        s += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
        s += static_cast<char>(0xF0 | (cp >> 18));
        s += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
        s += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        s += static_cast<char>(0x80 | (cp & 0x3F));
    }
    return s;
}

// Random characters of 1 to 4 bytes (no surrogates).
std::vector<std::string> random_characters(std::mt19937_64& rng, std::size_t count) {
    static const std::uint32_t kBounds[] = {0x80, 0x800, 0x10000, 0x110000};
    std::vector<std::string> characters;
    for (std::size_t i = 0; i < count; ++i) {
        std::uint32_t high = kBounds[rng() % 4];
        std::uint32_t low = high == 0x80 ? 1 : high / (high == 0x110000 ? 17 : 32);
        std::uint32_t cp = low + static_cast<std::uint32_t>(rng() % (high - low));
        if (cp >= 0xD800 && cp < 0xE000)
            cp = 0xE000;
        characters.push_back(utf8(cp));
    }
    return characters;
}

std::string join(const std::vector<std::string>& characters, std::size_t count) {
    std::string s;
    for (std::size_t i = 0; i < count && i < characters.size(); ++i)
        s += characters[i];
    return s;
}

TEST(MessageClip, ShortTextIsKept) {
    EXPECT_EQ(msg::utf8_prefix_length("abc", 3), 3u);
    EXPECT_EQ(msg::utf8_prefix_length("abc", 1023), 3u);
    EXPECT_EQ(msg::utf8_prefix_length("", 0), 0u);
}

TEST(MessageClip, NeverInsideACharacter) {
    std::string euro = utf8(0x20AC);  // 3 bytes
    std::string text = "ab" + euro + "c";
    EXPECT_EQ(msg::utf8_prefix_length(text, 2), 2u);
    EXPECT_EQ(msg::utf8_prefix_length(text, 3), 2u);
    EXPECT_EQ(msg::utf8_prefix_length(text, 4), 2u);
    EXPECT_EQ(msg::utf8_prefix_length(text, 5), 5u);
    std::string clef = utf8(0x1D11E);  // 4 bytes
    EXPECT_EQ(msg::utf8_prefix_length(clef + clef, 7), 4u);
    EXPECT_EQ(msg::utf8_prefix_length(clef + clef, 3), 0u);
}

// The boundary's case: a message of 2000 bytes of 2-byte characters cut to 1023 bytes.
TEST(MessageClip, BoundaryBufferOfTwoByteCharacters) {
    std::string text;
    for (int i = 0; i < 1000; ++i)
        text += utf8(0xE9);
    EXPECT_EQ(msg::utf8_prefix_length(text, 1023), 1022u);
    EXPECT_EQ(msg::utf8_prefix_length("x" + text, 1023), 1023u);
}

// Bytes that are not UTF-8 are cut like characters, backing off at most 3 bytes.
TEST(MessageClip, InvalidBytesBackOffAtMostThree) {
    std::string continuation(10, '\x80');
    EXPECT_EQ(msg::utf8_prefix_length(continuation, 8), 5u);
    EXPECT_EQ(msg::utf8_prefix_length("\xFF\xFE", 1), 1u);
}

TEST(MessageClip, RandomAgainstModel) {
    for (int c = 0; c < 2000; ++c) {
        std::mt19937_64 rng(20261202 + c);
        std::vector<std::string> characters = random_characters(rng, rng() % 40);
        std::string text = join(characters, characters.size());
        std::size_t max_bytes = rng() % (text.size() + 2);
        // Model: whole characters while they fit.
        std::size_t expected = 0;
        for (const std::string& ch : characters) {
            if (expected + ch.size() > max_bytes)
                break;
            expected += ch.size();
        }
        SCOPED_TRACE("case " + std::to_string(c));
        EXPECT_EQ(msg::utf8_prefix_length(text, max_bytes), expected);
    }
}

TEST(MessageQuoted, ShortAndLong) {
    EXPECT_EQ(msg::quoted("host"), "\"host\"");
    EXPECT_EQ(msg::quoted(""), "\"\"");
    EXPECT_EQ(msg::quoted(std::string(64, 'k')), "\"" + std::string(64, 'k') + "\"");
    EXPECT_EQ(msg::quoted(std::string(65, 'k')), "\"" + std::string(64, 'k') + "...\"");
    EXPECT_EQ(msg::quoted("abcdef", 3), "\"abc...\"");
}

// A 2000-byte key of 2-byte characters: 64 characters (128 bytes) and "...".
TEST(MessageQuoted, MultibyteKey) {
    std::string e_acute = utf8(0xE9);
    std::string key;
    for (int i = 0; i < 1000; ++i)
        key += e_acute;
    std::string expected;
    for (int i = 0; i < 64; ++i)
        expected += e_acute;
    EXPECT_EQ(msg::quoted(key), "\"" + expected + "...\"");
}

TEST(MessageQuoted, RandomAgainstModel) {
    for (int c = 0; c < 2000; ++c) {
        std::mt19937_64 rng(1202 + c);
        std::vector<std::string> characters = random_characters(rng, rng() % 100);
        std::size_t max_characters = 1 + rng() % 70;
        std::string text = join(characters, characters.size());
        std::string expected = "\"" + join(characters, max_characters) +
                               (characters.size() > max_characters ? "..." : "") + "\"";
        SCOPED_TRACE("case " + std::to_string(c));
        EXPECT_EQ(msg::quoted(text, max_characters), expected);
    }
}

}  // namespace
}  // namespace msgtest
