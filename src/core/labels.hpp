// labels core: one canonical form for a metric's label set.
//
// Pure C++ (no PostgreSQL headers). Labels are views into memory the caller owns;
// nothing here allocates, so the glue can call in with PostgreSQL memory alone.
//
// The canonical form:
// - every value is a string: strings as they are, booleans "true"/"false", numbers
//   in plain decimal notation (see canonical_number);
// - a label whose value is null or the empty string is dropped;
// - a nested object or array is an error;
// - keys are kept byte for byte and sorted by their bytes.
// Keys and values are UTF-8 (the glue converts from the server encoding), so the
// order, the text and its fingerprint are the same on every server.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "error.hpp"

namespace opsagg::labels {

enum class ValueKind : std::uint8_t { Null, String, Number, Boolean, Object, Array };

struct Label {
    std::string_view key;
    std::string_view value;  // String: the string; Number: decimal text; Boolean: "true"/"false"
    ValueKind kind;
};

// A number's canonical text, from plain decimal text ("-?digits[.digits]", as
// PostgreSQL's numeric prints it): no trailing zeros after the point, no bare
// point, and "0" for every zero. The result is a view into `decimal`.
// Throws Error(Internal) for anything else.
std::string_view canonical_number(std::string_view decimal);

// True if canonicalize would change the labels (a value that is not a non-empty string).
bool needs_rewrite(const Label* labels, std::size_t count);

// Rewrites every value to its canonical string, drops empty labels and sorts the
// rest by key bytes. Keys must be unique. Returns the new count. Throws
// Error(InvalidParameter) naming the key of a nested object or array.
std::size_t canonicalize(Label* labels, std::size_t count);

// Compact JSON text of canonical labels: {"k":"v",...}, keys in the given order.
// Escapes '"', '\\' and control characters (\b \f \n \r \t, else \u00xx);
// every other byte is written as it is.
std::size_t json_text_length(const Label* labels, std::size_t count);

// The longest canonical text: PostgreSQL's 1 GB limit on a text value (MaxAllocSize
// less the 4-byte varlena header).
constexpr std::size_t kMaxTextLength = 0x3fffffff - 4;

// json_text_length(), computed before anything is allocated; throws
// Error(ProgramLimitExceeded) when it is more than `max_length`.
std::size_t checked_json_text_length(const Label* labels, std::size_t count,
                                     std::size_t max_length = kMaxTextLength);
// Writes json_text_length() bytes (no terminating NUL); returns that length.
std::size_t write_json_text(const Label* labels, std::size_t count, char* out);

// XXH64 (xxHash, 64-bit) of `size` bytes with `seed`; identical on every platform.
std::uint64_t xxh64(const void* data, std::size_t size, std::uint64_t seed = 0);

}  // namespace opsagg::labels
