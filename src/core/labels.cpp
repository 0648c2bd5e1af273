#include "labels.hpp"

#include <algorithm>
#include <cstring>
#include <string>

#include "message.hpp"
#include "interrupt.hpp"

namespace opsagg::labels {

std::string_view canonical_number(std::string_view decimal) {
    std::size_t i = 0;
    bool negative = !decimal.empty() && decimal[0] == '-';
    if (negative)
        ++i;
    std::size_t digits_start = i;
    while (i < decimal.size() && decimal[i] >= '0' && decimal[i] <= '9')
        ++i;
    bool ok = i > digits_start;
    std::size_t end = decimal.size();
    if (ok && i < decimal.size()) {
        ok = decimal[i] == '.' && i + 1 < decimal.size();
        for (std::size_t j = i + 1; ok && j < decimal.size(); ++j) {
            ok = decimal[j] >= '0' && decimal[j] <= '9';
        }
        if (ok) {
            while (decimal[end - 1] == '0')
                --end;  // trailing zeros of the fraction
            if (decimal[end - 1] == '.')
                --end;
        }
    }
    if (!ok) {
        throw Error(ErrorKind::Internal,
                    "labels: unexpected number text " + message::quoted(decimal));
    }
    std::string_view result = decimal.substr(0, end);
    bool zero = result.find_first_not_of("-0.") == std::string_view::npos;
    if (zero)
        return decimal.substr(negative ? 1 : 0, 1);  // the "0" of "-0..." or "0..."
    return result;
}

bool needs_rewrite(const Label* labels, std::size_t count) {
    InterruptCountdown countdown;
    for (std::size_t i = 0; i < count; ++i) {
        countdown.tick();
        if (labels[i].kind != ValueKind::String || labels[i].value.empty())
            return true;
    }
    return false;
}

std::size_t canonicalize(Label* labels, std::size_t count) {
    std::size_t kept = 0;
    InterruptCountdown countdown;
    for (std::size_t i = 0; i < count; ++i) {
        countdown.tick(1 + labels[i].value.size());
        Label label = labels[i];
        switch (label.kind) {
            case ValueKind::Null:
                continue;
            case ValueKind::String:
            case ValueKind::Boolean:
                break;
            case ValueKind::Number:
                label.value = canonical_number(label.value);
                break;
            case ValueKind::Object:
            case ValueKind::Array:
                throw Error(ErrorKind::InvalidParameter,
                            "label " + message::quoted(label.key) + " has a nested " +
                                (label.kind == ValueKind::Object ? "object" : "array") +
                                "; label values must be strings, numbers or booleans");
        }
        if (label.value.empty())
            continue;
        label.kind = ValueKind::String;
        labels[kept++] = label;
    }
    interruptible_sort(labels, labels + kept,
                       [](const Label& a, const Label& b) { return a.key < b.key; });
    return kept;
}

// ---- canonical JSON text ------------------------------------------------------

namespace {

// Bytes needed to write `c` inside a JSON string.
std::size_t escaped_size(unsigned char c) {
    switch (c) {
        case '"':
        case '\\':
        case '\b':
        case '\f':
        case '\n':
        case '\r':
        case '\t':
            return 2;
        default:
            return c < 0x20 ? 6 : 1;
    }
}

char* write_string(std::string_view s, char* out) {
    static const char kHex[] = "0123456789abcdef";
    *out++ = '"';
    for (unsigned char c : s) {
        switch (c) {
            case '"':
                *out++ = '\\';
                *out++ = '"';
                break;
            case '\\':
                *out++ = '\\';
                *out++ = '\\';
                break;
            case '\b':
                *out++ = '\\';
                *out++ = 'b';
                break;
            case '\f':
                *out++ = '\\';
                *out++ = 'f';
                break;
            case '\n':
                *out++ = '\\';
                *out++ = 'n';
                break;
            case '\r':
                *out++ = '\\';
                *out++ = 'r';
                break;
            case '\t':
                *out++ = '\\';
                *out++ = 't';
                break;
            default:
                if (c < 0x20) {
                    std::memcpy(out, "\\u00", 4);
                    out[4] = kHex[c >> 4];
                    out[5] = kHex[c & 0xf];
                    out += 6;
                } else {
                    *out++ = static_cast<char>(c);
                }
        }
    }
    *out++ = '"';
    return out;
}

std::size_t string_size(std::string_view s) {
    std::size_t size = 2;
    for (unsigned char c : s)
        size += escaped_size(c);
    return size;
}

}  // namespace

std::size_t json_text_length(const Label* labels, std::size_t count) {
    std::size_t size = 2;  // braces
    InterruptCountdown countdown;
    for (std::size_t i = 0; i < count; ++i) {
        countdown.tick(1 + labels[i].key.size() + labels[i].value.size());
        size += (i > 0 ? 1 : 0) + string_size(labels[i].key) + 1 + string_size(labels[i].value);
    }
    return size;
}

std::size_t checked_json_text_length(const Label* labels, std::size_t count,
                                     std::size_t max_length) {
    std::size_t length = json_text_length(labels, count);
    if (length > max_length) {
        throw_program_limit_exceeded("labels: the canonical text would be " +
                                     std::to_string(length) + " bytes, more than the limit of " +
                                     std::to_string(max_length) + " bytes of a text value");
    }
    return length;
}

std::size_t write_json_text(const Label* labels, std::size_t count, char* out) {
    char* p = out;
    *p++ = '{';
    InterruptCountdown countdown;
    for (std::size_t i = 0; i < count; ++i) {
        countdown.tick(1 + labels[i].key.size() + labels[i].value.size());
        if (i > 0)
            *p++ = ',';
        p = write_string(labels[i].key, p);
        *p++ = ':';
        p = write_string(labels[i].value, p);
    }
    *p++ = '}';
    return static_cast<std::size_t>(p - out);
}

// ---- XXH64 --------------------------------------------------------------------

namespace {

constexpr std::uint64_t kPrime1 = 0x9E3779B185EBCA87ULL;
constexpr std::uint64_t kPrime2 = 0xC2B2AE3D27D4EB4FULL;
constexpr std::uint64_t kPrime3 = 0x165667B19E3779F9ULL;
constexpr std::uint64_t kPrime4 = 0x85EBCA77C2B2AE63ULL;
constexpr std::uint64_t kPrime5 = 0x27D4EB2F165667C5ULL;

std::uint64_t rotl(std::uint64_t x, int r) {
    return (x << r) | (x >> (64 - r));
}

// Little-endian reads, whatever the host's byte order.
std::uint64_t read64(const unsigned char* p) {
    std::uint64_t v = 0;
    for (int i = 7; i >= 0; --i)
        v = (v << 8) | p[i];
    return v;
}

std::uint64_t read32(const unsigned char* p) {
    std::uint64_t v = 0;
    for (int i = 3; i >= 0; --i)
        v = (v << 8) | p[i];
    return v;
}

std::uint64_t round(std::uint64_t acc, std::uint64_t input) {
    acc += input * kPrime2;
    return rotl(acc, 31) * kPrime1;
}

std::uint64_t merge_round(std::uint64_t acc, std::uint64_t value) {
    acc ^= round(0, value);
    return acc * kPrime1 + kPrime4;
}

}  // namespace

std::uint64_t xxh64(const void* data, std::size_t size, std::uint64_t seed) {
    const auto* p = static_cast<const unsigned char*>(data);
    const unsigned char* end = p + size;
    std::uint64_t h;
    if (size >= 32) {
        std::uint64_t v1 = seed + kPrime1 + kPrime2;
        std::uint64_t v2 = seed + kPrime2;
        std::uint64_t v3 = seed;
        std::uint64_t v4 = seed - kPrime1;
        InterruptCountdown countdown;
        for (; end - p >= 32; p += 32) {
            countdown.tick(32);
            v1 = round(v1, read64(p));
            v2 = round(v2, read64(p + 8));
            v3 = round(v3, read64(p + 16));
            v4 = round(v4, read64(p + 24));
        }
        h = rotl(v1, 1) + rotl(v2, 7) + rotl(v3, 12) + rotl(v4, 18);
        h = merge_round(h, v1);
        h = merge_round(h, v2);
        h = merge_round(h, v3);
        h = merge_round(h, v4);
    } else {
        h = seed + kPrime5;
    }
    h += static_cast<std::uint64_t>(size);
    for (; end - p >= 8; p += 8) {
        h ^= round(0, read64(p));
        h = rotl(h, 27) * kPrime1 + kPrime4;
    }
    if (end - p >= 4) {
        h ^= read32(p) * kPrime1;
        h = rotl(h, 23) * kPrime2 + kPrime3;
        p += 4;
    }
    for (; p < end; ++p) {
        h ^= *p * kPrime5;
        h = rotl(h, 11) * kPrime1;
    }
    h ^= h >> 33;
    h *= kPrime2;
    h ^= h >> 29;
    h *= kPrime3;
    h ^= h >> 32;
    return h;
}

}  // namespace opsagg::labels
