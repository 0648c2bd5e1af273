// heartbeat_agg core: liveness ranges over a window of instants.
//
// Pure C++ (no PostgreSQL headers). An instant is int64 microseconds since
// 2000-01-01 UTC, PostgreSQL's timestamptz representation. Semantics follow
// shared/docs/heartbeat_agg.md.
//
// Functions that produce a value write into caller-provided storage whose capacity
// the caller gets from the matching *_capacity() call: the glue allocates that
// storage in PostgreSQL memory before calling in, so no C++ object is alive while
// PostgreSQL may raise an error.
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <vector>

#include "error.hpp"
#include "memory.hpp"

namespace opsagg::heartbeat {

using Instant = std::int64_t;

// PostgreSQL's valid timestamptz range: [kMinInstant, kEndInstant).
constexpr Instant kMinInstant = -211813488000000000LL;
constexpr Instant kEndInstant = 9223371331200000000LL;

// Longest liveness: kMinInstant - interval_len, the earliest last_seen trim_to can set,
// stays an int64 (a saturated last_seen would look live at the end of the value).
constexpr Instant kMaxIntervalLen = kMinInstant - std::numeric_limits<Instant>::min();

// Largest number of ranges a value may hold: keeps every size computation far from
// overflow and the value, and its text form (at most 50 bytes a range), below
// PostgreSQL's 1 GB limit.
constexpr std::size_t kMaxRanges = std::size_t{1} << 24;

constexpr std::uint8_t kFormatVersion = 1;

struct Range {
    Instant start;  // inclusive
    Instant end;    // exclusive
};

inline bool operator==(const Range& a, const Range& b) {
    return a.start == b.start && a.end == b.end;
}

struct Header {
    Instant start_time = 0;  // coverage is [start_time, end_time)
    Instant end_time = 0;
    Instant last_seen = 0;     // latest heartbeat
    Instant interval_len = 0;  // liveness L in microseconds
};

// A read-only heartbeat_agg value.
struct View {
    Header header;
    const Range* ranges = nullptr;
    std::size_t count = 0;
};

inline Instant saturating_add(Instant a, Instant b) {
    Instant sum;
    if (__builtin_add_overflow(a, b, &sum)) {
        return b > 0 ? std::numeric_limits<Instant>::max() : std::numeric_limits<Instant>::min();
    }
    return sum;
}

inline Instant saturating_sub(Instant a, Instant b) {
    Instant diff;
    if (__builtin_sub_overflow(a, b, &diff)) {
        return b < 0 ? std::numeric_limits<Instant>::max() : std::numeric_limits<Instant>::min();
    }
    return diff;
}

// True if end - start fits in an Instant, so uptime and downtime are exact.
inline bool span_fits(Instant start, Instant end) {
    Instant span;
    return !__builtin_sub_overflow(end, start, &span);
}

// Throws Error(InvalidRepresentation) naming the first broken invariant.
void validate(const View& value);

// ---- accessors -------------------------------------------------------------

Instant uptime(const View& value);
Instant downtime(const View& value);
bool live_at(const View& value, Instant test);
std::size_t num_gaps(const View& value);
bool equal(const View& a, const View& b);

// Dead ranges (the complement of the live ranges within coverage).
inline std::size_t dead_ranges_capacity(const View& value) {
    return value.count + 1;
}
std::size_t dead_ranges(const View& value, Range* out);

// ---- transforms ------------------------------------------------------------

// Keeps [window_start, window_end) of the value. Throws InvalidParameter for a
// window outside coverage (a start outside it is reported first) or an empty one.
inline std::size_t trim_to_capacity(const View& value) {
    return value.count;
}
Header trim_to(const View& value, Instant window_start, Instant window_end, Range* out,
               std::size_t* out_count);

// Extends liveness into `value` from its predecessor's last heartbeat. The result may
// have count + 1 ranges (one more than kMaxRanges): the caller checks its count.
inline std::size_t interpolate_capacity(const View& value) {
    return value.count + 1;
}
Header interpolate(const View& value, const View& pred, Range* out, std::size_t* out_count);

// ---- text form (the toolkit's RON text, byte for byte) ----------------------

std::size_t text_capacity(const View& value);
// Writes the text form plus a terminating NUL; returns the length without it.
std::size_t format_text(const View& value, char* out);

struct ParsedText {
    Header header;
    std::size_t count = 0;
};
// Checks the syntax of `text` and finds its header and range count.
ParsedText scan_text(const char* text);
// Parses `text` into `ranges` (room for scan_text(text).count) and validates the value.
ParsedText parse_text(const char* text, Range* ranges);

// ---- binary form (heartbeat_agg_send / heartbeat_agg_recv) -------------------
// Big-endian: version byte, start_time, end_time, last_seen, interval_len, range count
// (int64 each), then each range's start and end (int64).

std::size_t binary_size(const View& value);
// Writes binary_size(value) bytes.
void format_binary(const View& value, unsigned char* out);

// Checks the framing of `size` bytes and finds the header and range count (the same
// split as scan_text / parse_text: the caller allocates the ranges in between).
ParsedText scan_binary(const unsigned char* data, std::size_t size);
// Reads the ranges into `ranges` (room for scan_binary(...).count) and validates the value.
ParsedText parse_binary(const unsigned char* data, std::size_t size, Range* ranges);

// ---- aggregation -----------------------------------------------------------

// Accumulates live ranges from heartbeats (heartbeat_agg) or from whole values
// (rollup). It keeps ranges, never individual heartbeats: in-order input extends
// the last range in place, so memory is bounded by the number of live ranges;
// out-of-order input waits in a buffer no larger than the range list (or 4096
// entries) before it is sorted and merged, so memory is bounded by the ranges the
// rows seen so far form. Its containers live in the MemoryResource given at
// construction (the aggregate's memory context, in the server).
class Builder {
  public:
    explicit Builder(const Header& header, MemoryResource* resource = default_resource())
        : header_(header),
          ranges_(ResourceAllocator<Range>(resource)),
          pending_(ResourceAllocator<Range>(resource)) {}

    const Header& header() const { return header_; }
    bool has_heartbeat() const { return has_heartbeat_; }

    // Throws std::bad_alloc when its resource does; the builder then holds a valid
    // aggregate of its input with or without this heartbeat.
    void add_heartbeat(Instant heartbeat) {
        add_range({heartbeat, saturating_add(heartbeat, header_.interval_len)});
        if (!has_heartbeat_ || heartbeat > header_.last_seen) {
            header_.last_seen = heartbeat;
        }
        has_heartbeat_ = true;
    }

    // rollup: adds a whole value. Throws InvalidParameter on a different liveness.
    void add_value(const View& value);

    // Combines another builder's input into this one (parallel aggregation).
    void merge(const Builder& other);

    // Number of ranges the result will have; normalizes the pending input.
    std::size_t result_count();
    // The finished value, last range clipped at end_time; call result_count() first.
    Header result(Range* out) const;

    // Serialized state for parallel workers (validated when read back).
    std::size_t serialized_size();
    void serialize(unsigned char* out);
    static Builder deserialize(const unsigned char* data, std::size_t size,
                               MemoryResource* resource = default_resource());

    // Bytes of range storage the builder holds (its containers' capacity).
    std::size_t capacity_bytes() const {
        return (ranges_.capacity() + pending_.capacity()) * sizeof(Range);
    }

  private:
    void add_range(Range range) {
        if (ranges_.empty()) {
            append(ranges_, range);
            return;
        }
        Range& last = ranges_.back();
        if (range.start >= last.start) {
            if (range.start <= last.end) {
                if (range.end > last.end)
                    last.end = range.end;
            } else {
                if (ranges_.size() >= kMaxRanges)
                    throw_program_limit_exceeded("heartbeat_agg: more than 2^24 live ranges");
                append(ranges_, range);
            }
            return;
        }
        add_out_of_order(range);
    }
    void add_out_of_order(Range range);
    void flush();
    static void append(ResourceVector<Range>& ranges, const Range& range) {
        if (ranges.size() == ranges.capacity())
            ranges.reserve(next_capacity(ranges.capacity()));
        ranges.push_back(range);
    }
    static std::size_t next_capacity(std::size_t capacity);

    Header header_;
    bool has_heartbeat_ = false;
    ResourceVector<Range> ranges_;   // sorted, non-overlapping, non-touching; unclipped
    ResourceVector<Range> pending_;  // out-of-order input, not yet merged
};

}  // namespace opsagg::heartbeat
