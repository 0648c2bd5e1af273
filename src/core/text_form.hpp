// Reading and writing the cores' text forms: "(name:value,...,list:[a,b])" with
// whitespace allowed between tokens, numbers as C++'s shortest round-trip text.
// Pure C++, shared by the heartbeat_agg and latency_sketch cores.
#pragma once

#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <string>

#include "error.hpp"
#include "interrupt.hpp"

namespace opsagg::text {

// Longest text of a number written by put(): "-9223372036854775808", or a double such as
// "-2.2250738585072014e-308".
constexpr std::size_t kMaxNumberLength = 24;

inline char* put(char* out, const char* literal) {
    std::size_t n = std::strlen(literal);
    std::memcpy(out, literal, n);
    return out + n;
}

template <typename Number>
char* put(char* out, Number number) {
    return std::to_chars(out, out + kMaxNumberLength, number).ptr;
}

class Parser {
  public:
    // `type_name` names the SQL type in error messages.
    Parser(const char* text, const char* type_name)
        : text_(text), pos_(text), end_(text + std::strlen(text)), type_name_(type_name) {}

    void expect(const char* token) {
        skip_space();
        std::size_t n = std::strlen(token);
        if (std::strncmp(pos_, token, n) != 0)
            fail(std::string("expected \"") + token + "\"");
        pos_ += n;
    }

    void expect_field(const char* name) {
        expect(name);
        expect(":");
    }

    template <typename Integer>
    Integer integer() {
        skip_space();
        Integer value = 0;
        auto [end, ec] = std::from_chars(pos_, end_, value);
        if (ec == std::errc::result_out_of_range)
            fail("integer out of range");
        if (ec != std::errc() || end == pos_)
            fail("expected an integer");
        pos_ = end;
        return value;
    }

    double real() {
        skip_space();
        double value = 0;
        auto [end, ec] = std::from_chars(pos_, end_, value);
        if (ec != std::errc() || end == pos_ || !std::isfinite(value))
            fail("expected a finite number");
        pos_ = end;
        return value;
    }

    // Parses "[e,e,...]", calling each() for every element; returns the element count.
    template <typename Each>
    std::size_t list(Each&& each) {
        expect("[");
        std::size_t n = 0;
        InterruptCountdown countdown;
        if (!peek(']')) {
            do {
                countdown.tick();
                each(n);
                ++n;
            } while (peek(',') && (expect(","), true));
        }
        expect("]");
        return n;
    }

    bool peek(char c) {
        skip_space();
        return *pos_ == c;
    }

    void expect_end() {
        skip_space();
        if (*pos_ != '\0')
            fail("unexpected text after the value");
    }

    [[noreturn]] void fail(const std::string& what) const {
        throw Error(ErrorKind::InvalidRepresentation,
                    std::string("invalid input syntax for type ") + type_name_ + ": " + what +
                        " (offset " + std::to_string(pos_ - text_) + ")");
    }

  private:
    void skip_space() {
        // Whitespace is unbounded (a value padded with a gigabyte of it): poll while skipping.
        const char* start = pos_;
        while (*pos_ == ' ' || *pos_ == '\t' || *pos_ == '\n' || *pos_ == '\r') {
            ++pos_;
            if (((pos_ - start) & (kInterruptStride - 1)) == 0)
                poll_interrupt();
        }
    }

    const char* text_;
    const char* pos_;
    const char* end_;
    const char* type_name_;
};

}  // namespace opsagg::text
