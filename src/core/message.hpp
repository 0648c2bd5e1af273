// Error messages of the cores. They are UTF-8 text (the glue converts them to the
// server encoding), kept whole: cut only between characters, with user data shortened.
//
// Pure C++ (no PostgreSQL headers).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace opsagg::message {

// Most characters of user data (a label key, a number's text) quoted in a message.
constexpr std::size_t kMaxQuotedCharacters = 64;

inline bool is_utf8_continuation(char byte) {
    return (static_cast<unsigned char>(byte) & 0xC0) == 0x80;
}

// Length of the longest prefix of `text` that has at most `max_bytes` bytes and does
// not end inside a UTF-8 character. Bytes that are not UTF-8 are cut like single
// characters, at most 3 bytes before `max_bytes`.
inline std::size_t utf8_prefix_length(std::string_view text, std::size_t max_bytes) {
    if (text.size() <= max_bytes)
        return text.size();
    std::size_t length = max_bytes;
    // text[length] is the first byte left out; if it continues a character, that
    // character starts before `length` and is left out whole.
    for (int back = 0; back < 3 && length > 0 && is_utf8_continuation(text[length]); ++back)
        --length;
    return length;
}

// User data for a message: `"text"`, or its first `max_characters` characters and
// "..." inside the quotes when it is longer.
inline std::string quoted(std::string_view text,
                          std::size_t max_characters = kMaxQuotedCharacters) {
    std::size_t end = 0;
    for (std::size_t characters = 0; end < text.size() && characters < max_characters;
         ++characters) {
        ++end;
        while (end < text.size() && is_utf8_continuation(text[end]))
            ++end;
    }
    std::string result = "\"";
    result.append(text.substr(0, end));
    if (end < text.size())
        result += "...";
    result += '"';
    return result;
}

}  // namespace opsagg::message
