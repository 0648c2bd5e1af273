// Reading and writing the cores' binary forms (the *_send / *_recv wire format):
// big-endian integers and IEEE doubles, as PostgreSQL's pq_send* functions write them.
// Pure C++, shared by the heartbeat_agg and latency_sketch cores, so the decoders can be
// fuzzed without a server.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>

#include "error.hpp"

namespace opsagg::binary {

class Reader {
  public:
    // `type_name` names the SQL type in error messages.
    Reader(const unsigned char* data, std::size_t size, const char* type_name)
        : pos_(data), end_(data + size), type_name_(type_name) {}

    std::size_t remaining() const { return static_cast<std::size_t>(end_ - pos_); }

    // Throws "message too short" unless `n` more bytes are there.
    void require(std::size_t n) const {
        if (remaining() < n)
            fail("message too short");
    }

    std::uint8_t u8() {
        require(1);
        return *pos_++;
    }

    std::uint32_t u32() {
        require(4);
        std::uint32_t v = 0;
        for (int i = 0; i < 4; ++i)
            v = (v << 8) | *pos_++;
        return v;
    }

    std::uint64_t u64() {
        require(8);
        std::uint64_t v = 0;
        for (int i = 0; i < 8; ++i)
            v = (v << 8) | *pos_++;
        return v;
    }

    std::int32_t i32() { return static_cast<std::int32_t>(u32()); }
    std::int64_t i64() { return static_cast<std::int64_t>(u64()); }

    double f64() {
        std::uint64_t bits = u64();
        double v;
        std::memcpy(&v, &bits, sizeof v);
        return v;
    }

    [[noreturn]] void fail(const std::string& what) const {
        throw Error(ErrorKind::InvalidRepresentation,
                    std::string("invalid binary ") + type_name_ + ": " + what);
    }

  private:
    const unsigned char* pos_;
    const unsigned char* end_;
    const char* type_name_;
};

inline unsigned char* put_u8(unsigned char* out, std::uint8_t v) {
    *out++ = v;
    return out;
}

inline unsigned char* put_u32(unsigned char* out, std::uint32_t v) {
    for (int shift = 24; shift >= 0; shift -= 8)
        *out++ = static_cast<unsigned char>(v >> shift);
    return out;
}

inline unsigned char* put_u64(unsigned char* out, std::uint64_t v) {
    for (int shift = 56; shift >= 0; shift -= 8)
        *out++ = static_cast<unsigned char>(v >> shift);
    return out;
}

inline unsigned char* put_f64(unsigned char* out, double v) {
    std::uint64_t bits;
    std::memcpy(&bits, &v, sizeof bits);
    return put_u64(out, bits);
}

}  // namespace opsagg::binary
