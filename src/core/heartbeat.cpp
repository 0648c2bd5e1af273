#include "heartbeat.hpp"

#include "binary_form.hpp"
#include "interrupt.hpp"
#include "text_form.hpp"

#include <algorithm>
#include <charconv>
#include <cstring>
#include <string>

namespace opsagg::heartbeat {

namespace {

[[noreturn]] void invalid_value(const std::string& what) {
    throw_invalid_representation("invalid heartbeat_agg value: " + what);
}

// Appends `range` to a normalized, sorted list, merging overlapping and touching ranges.
void append_merged(ResourceVector<Range>& out, const Range& range) {
    if (!out.empty() && range.start <= out.back().end) {
        out.back().end = std::max(out.back().end, range.end);
    } else {
        out.push_back(range);
    }
}

// Copies `value`'s ranges intersected with [from, to) into out; returns the count.
std::size_t copy_clipped(const View& value, Instant from, Instant to, Range* out) {
    std::size_t n = 0;
    InterruptCountdown countdown;
    for (std::size_t i = 0; i < value.count; ++i) {
        countdown.tick();
        Range r{std::max(value.ranges[i].start, from), std::min(value.ranges[i].end, to)};
        if (r.start < r.end)
            out[n++] = r;
    }
    return n;
}

}  // namespace

void validate(const View& value) {
    const Header& h = value.header;
    if (h.interval_len <= 0)
        invalid_value("interval_len must be positive");
    if (h.interval_len > kMaxIntervalLen)
        invalid_value("interval_len is too long");
    if (h.start_time < kMinInstant || h.start_time >= kEndInstant || h.end_time < kMinInstant ||
        h.end_time >= kEndInstant) {
        invalid_value("start_time and end_time must be valid timestamps");
    }
    if (h.start_time >= h.end_time)
        invalid_value("start_time must be before end_time");
    if (!span_fits(h.start_time, h.end_time))
        invalid_value("the window is too long");
    if (value.count > kMaxRanges)
        invalid_value("too many intervals");
    Instant previous_end = h.start_time;
    InterruptCountdown countdown;
    for (std::size_t i = 0; i < value.count; ++i) {
        countdown.tick();
        const Range& r = value.ranges[i];
        if (r.start >= r.end) {
            invalid_value("interval " + std::to_string(i) + " is empty or inverted");
        }
        if (i == 0 ? r.start < h.start_time : r.start <= previous_end) {
            invalid_value(i == 0 ? "interval 0 starts before start_time"
                                 : "interval " + std::to_string(i) +
                                       " overlaps or touches the previous one");
        }
        previous_end = r.end;
    }
    if (value.count > 0 && previous_end > h.end_time) {
        invalid_value("the last interval ends after end_time");
    }
    // Every value the aggregate, trim_to, interpolate and rollup produce has last_seen at
    // most end_time (trim_to may set it to the new end) and at least kMinInstant -
    // interval_len (trim_to estimates it as a range end or the window start minus the
    // liveness). Beyond end_time, rollup would re-open the last range into the next window.
    if (h.last_seen > h.end_time)
        invalid_value("last_seen is after end_time");
    if (h.last_seen < kMinInstant - h.interval_len)
        invalid_value("last_seen is before the earliest timestamp minus interval_len");
    // A heartbeat whose liveness reaches past end_time keeps the value live to the end.
    if (saturating_add(h.last_seen, h.interval_len) > h.end_time &&
        (value.count == 0 || previous_end != h.end_time)) {
        invalid_value(
            "last_seen + interval_len passes end_time but the value is not live at the end");
    }
}

// ---- accessors -------------------------------------------------------------

Instant uptime(const View& value) {
    Instant total = 0;
    InterruptCountdown countdown;
    for (std::size_t i = 0; i < value.count; ++i) {
        countdown.tick();
        total += value.ranges[i].end - value.ranges[i].start;
    }
    return total;
}

Instant downtime(const View& value) {
    return (value.header.end_time - value.header.start_time) - uptime(value);
}

bool live_at(const View& value, Instant test) {
    const Range* end = value.ranges + value.count;
    // First range ending after `test`; live iff it has already started.
    const Range* it = std::upper_bound(value.ranges, end, test,
                                       [](Instant t, const Range& r) { return t < r.end; });
    return it != end && it->start <= test;
}

std::size_t dead_ranges(const View& value, Range* out) {
    std::size_t n = 0;
    Instant cursor = value.header.start_time;
    InterruptCountdown countdown;
    for (std::size_t i = 0; i < value.count; ++i) {
        countdown.tick();
        if (value.ranges[i].start > cursor)
            out[n++] = {cursor, value.ranges[i].start};
        cursor = value.ranges[i].end;
    }
    if (cursor < value.header.end_time)
        out[n++] = {cursor, value.header.end_time};
    return n;
}

std::size_t num_gaps(const View& value) {
    if (value.count == 0)
        return 1;
    std::size_t gaps = value.count - 1;
    if (value.ranges[0].start > value.header.start_time)
        ++gaps;
    if (value.ranges[value.count - 1].end < value.header.end_time)
        ++gaps;
    return gaps;
}

bool equal(const View& a, const View& b) {
    return a.header.start_time == b.header.start_time && a.header.end_time == b.header.end_time &&
           a.header.last_seen == b.header.last_seen &&
           a.header.interval_len == b.header.interval_len && a.count == b.count &&
           std::equal(a.ranges, a.ranges + a.count, b.ranges);
}

// ---- transforms ------------------------------------------------------------

Header trim_to(const View& value, Instant window_start, Instant window_end, Range* out,
               std::size_t* out_count) {
    const Header& in = value.header;
    // The start first: a start outside the coverage (such as 'infinity') is the error
    // to report, whatever the end (which defaults to the coverage's end) makes of it.
    if (window_start < in.start_time || window_start >= in.end_time) {
        throw_invalid_parameter("trim_to window's start must lie within the aggregate's coverage");
    }
    if (window_end > in.end_time)
        throw_invalid_parameter("trim_to window must lie within the aggregate's coverage");
    if (window_end <= window_start)
        throw_invalid_parameter("trim_to window must not be empty");

    Header result = in;
    result.start_time = window_start;
    result.end_time = window_end;
    if (window_end < in.end_time) {
        // The toolkit's rule: the last heartbeat is estimated from the end of the
        // last range that starts before the new end.
        const Range* first_after =
            std::lower_bound(value.ranges, value.ranges + value.count, window_end,
                             [](const Range& r, Instant t) { return r.start < t; });
        if (first_after == value.ranges) {
            result.last_seen = saturating_sub(window_start, in.interval_len);
        } else {
            Instant e = first_after[-1].end;
            result.last_seen = std::min(saturating_sub(e, in.interval_len), window_end);
        }
    }
    *out_count = copy_clipped(value, window_start, window_end, out);
    return result;
}

Header interpolate(const View& value, const View& pred, Range* out, std::size_t* out_count) {
    const Header& in = value.header;
    if (pred.header.end_time > in.start_time) {
        throw_invalid_parameter(
            "interpolate: the predecessor must end at or before the aggregate starts");
    }
    Instant reach = std::min(saturating_add(pred.header.last_seen, in.interval_len), in.end_time);
    std::size_t n = 0;
    std::size_t i = 0;
    InterruptCountdown countdown;
    if (reach > in.start_time) {
        // Union of [start_time, reach) with the ranges that start within it.
        Range head{in.start_time, reach};
        for (; i < value.count && value.ranges[i].start <= head.end; ++i) {
            countdown.tick();
            head.end = std::max(head.end, value.ranges[i].end);
        }
        out[n++] = head;
    }
    for (; i < value.count; ++i) {
        countdown.tick();
        out[n++] = value.ranges[i];
    }
    *out_count = n;
    return in;
}

// ---- text form -------------------------------------------------------------

namespace {

using text::kMaxNumberLength;
using text::put;

// Parses "name:[a,b,...]" with exactly `count` numbers; stores them when `into` is set.
void parse_array(text::Parser& p, const char* name, std::size_t count, Instant Range::*field,
                 Range* into) {
    p.expect_field(name);
    std::size_t seen = p.list([&](std::size_t i) {
        Instant v = p.integer<Instant>();
        if (i >= count)
            p.fail(std::string(name) + " has more than num_intervals entries");
        if (into != nullptr)
            into[i].*field = v;
    });
    if (seen != count)
        p.fail(std::string(name) + " has fewer than num_intervals entries");
}

}  // namespace

std::size_t text_capacity(const View& value) {
    // Fixed text and five header numbers, then two numbers and a comma per range.
    return 160 + 5 * kMaxNumberLength + value.count * 2 * (kMaxNumberLength + 1);
}

std::size_t format_text(const View& value, char* out) {
    const Header& h = value.header;
    char* p = out;
    p = put(p, "(version:");
    p = put(p, std::int64_t{kFormatVersion});
    p = put(p, ",start_time:");
    p = put(p, h.start_time);
    p = put(p, ",end_time:");
    p = put(p, h.end_time);
    p = put(p, ",last_seen:");
    p = put(p, h.last_seen);
    p = put(p, ",interval_len:");
    p = put(p, h.interval_len);
    p = put(p, ",num_intervals:");
    p = put(p, static_cast<std::int64_t>(value.count));
    p = put(p, ",interval_starts:[");
    InterruptCountdown countdown;
    for (std::size_t i = 0; i < value.count; ++i) {
        countdown.tick();
        if (i > 0)
            *p++ = ',';
        p = put(p, value.ranges[i].start);
    }
    p = put(p, "],interval_ends:[");
    for (std::size_t i = 0; i < value.count; ++i) {
        countdown.tick();
        if (i > 0)
            *p++ = ',';
        p = put(p, value.ranges[i].end);
    }
    p = put(p, "])");
    *p = '\0';
    return static_cast<std::size_t>(p - out);
}

namespace {

// Parses the text; stores the ranges when `ranges` is set.
ParsedText parse(const char* text, Range* ranges) {
    text::Parser p(text, "heartbeat_agg");
    ParsedText parsed;
    p.expect("(");
    p.expect_field("version");
    if (p.integer<std::int64_t>() != kFormatVersion)
        p.fail("unsupported version");
    p.expect(",");
    p.expect_field("start_time");
    parsed.header.start_time = p.integer<std::int64_t>();
    p.expect(",");
    p.expect_field("end_time");
    parsed.header.end_time = p.integer<std::int64_t>();
    p.expect(",");
    p.expect_field("last_seen");
    parsed.header.last_seen = p.integer<std::int64_t>();
    p.expect(",");
    p.expect_field("interval_len");
    parsed.header.interval_len = p.integer<std::int64_t>();
    p.expect(",");
    p.expect_field("num_intervals");
    std::int64_t count = p.integer<std::int64_t>();
    if (count < 0 || static_cast<std::uint64_t>(count) > kMaxRanges) {
        p.fail("num_intervals out of range");
    }
    parsed.count = static_cast<std::size_t>(count);
    p.expect(",");
    parse_array(p, "interval_starts", parsed.count, &Range::start, ranges);
    p.expect(",");
    parse_array(p, "interval_ends", parsed.count, &Range::end, ranges);
    p.expect(")");
    p.expect_end();
    return parsed;
}

}  // namespace

ParsedText scan_text(const char* text) {
    return parse(text, nullptr);
}

ParsedText parse_text(const char* text, Range* ranges) {
    ParsedText parsed = parse(text, ranges);
    if (ranges == nullptr && parsed.count > 0) {
        throw Error(ErrorKind::Internal, "parse_text needs storage for the ranges");
    }
    validate(View{parsed.header, ranges, parsed.count});
    return parsed;
}

// ---- binary form -------------------------------------------------------------

namespace {

constexpr std::size_t kBinaryHeaderSize = 1 + 5 * sizeof(std::int64_t);

// Reads the header and range count; reads the ranges into `ranges` when it is set.
ParsedText read_binary(const unsigned char* data, std::size_t size, Range* ranges) {
    binary::Reader in(data, size, "heartbeat_agg");
    in.require(kBinaryHeaderSize);
    int version = in.u8();
    if (version != kFormatVersion)
        in.fail("unsupported version " + std::to_string(version));
    ParsedText parsed;
    parsed.header.start_time = in.i64();
    parsed.header.end_time = in.i64();
    parsed.header.last_seen = in.i64();
    parsed.header.interval_len = in.i64();
    std::int64_t count = in.i64();
    if (count < 0 || static_cast<std::uint64_t>(count) > kMaxRanges ||
        in.remaining() != static_cast<std::size_t>(count) * sizeof(Range)) {
        in.fail("range count " + std::to_string(count) + " does not match the message length");
    }
    parsed.count = static_cast<std::size_t>(count);
    if (ranges != nullptr) {
        for (std::size_t i = 0; i < parsed.count; ++i) {
            ranges[i].start = in.i64();
            ranges[i].end = in.i64();
        }
    }
    return parsed;
}

}  // namespace

std::size_t binary_size(const View& value) {
    return kBinaryHeaderSize + value.count * sizeof(Range);
}

void format_binary(const View& value, unsigned char* out) {
    const Header& h = value.header;
    out = binary::put_u8(out, kFormatVersion);
    for (Instant field : {h.start_time, h.end_time, h.last_seen, h.interval_len,
                          static_cast<Instant>(value.count)}) {
        out = binary::put_u64(out, static_cast<std::uint64_t>(field));
    }
    for (std::size_t i = 0; i < value.count; ++i) {
        out = binary::put_u64(out, static_cast<std::uint64_t>(value.ranges[i].start));
        out = binary::put_u64(out, static_cast<std::uint64_t>(value.ranges[i].end));
    }
}

ParsedText scan_binary(const unsigned char* data, std::size_t size) {
    return read_binary(data, size, nullptr);
}

ParsedText parse_binary(const unsigned char* data, std::size_t size, Range* ranges) {
    ParsedText parsed = read_binary(data, size, ranges);
    if (ranges == nullptr && parsed.count > 0) {
        throw Error(ErrorKind::Internal, "parse_binary needs storage for the ranges");
    }
    validate(View{parsed.header, ranges, parsed.count});
    return parsed;
}

// ---- aggregation -----------------------------------------------------------

void Builder::add_value(const View& value) {
    const Header& in = value.header;
    if (in.interval_len != header_.interval_len) {
        throw_invalid_parameter(
            "rollup: all heartbeat_agg inputs must have the same liveness interval");
    }
    header_.start_time = std::min(header_.start_time, in.start_time);
    header_.end_time = std::max(header_.end_time, in.end_time);
    header_.last_seen = has_heartbeat_ ? std::max(header_.last_seen, in.last_seen) : in.last_seen;
    has_heartbeat_ = true;
    InterruptCountdown countdown;
    for (std::size_t i = 0; i < value.count; ++i) {
        countdown.tick();
        Range r = value.ranges[i];
        // A last range clipped at the input's end re-opens to its full liveness; the
        // final clip at the combined end_time bounds it (an input ending there keeps
        // its clipped range, since then min(reach, end_time) = end_time).
        Instant reach = saturating_add(in.last_seen, in.interval_len);
        if (i + 1 == value.count && reach > in.end_time)
            r.end = reach;
        add_range(r);
    }
}

void Builder::merge(const Builder& other) {
    if (other.header_.interval_len != header_.interval_len) {
        throw_invalid_parameter(
            "cannot combine heartbeat aggregates with different liveness intervals");
    }
    header_.start_time = std::min(header_.start_time, other.header_.start_time);
    header_.end_time = std::max(header_.end_time, other.header_.end_time);
    if (other.has_heartbeat_) {
        header_.last_seen = has_heartbeat_ ? std::max(header_.last_seen, other.header_.last_seen)
                                           : other.header_.last_seen;
        has_heartbeat_ = true;
    }
    InterruptCountdown countdown;
    for (const Range& r : other.ranges_) {
        countdown.tick();
        add_range(r);
    }
    for (const Range& r : other.pending_) {
        countdown.tick();
        add_range(r);
    }
}

// Doubles up to 1 kB, then jumps to just over 8 kB and grows by half from there. PostgreSQL's
// memory contexts round small requests up to a power of two and keep freed chunks of up to
// 8 kB for requests of the same size only, while larger ones are blocks of their own, freed
// at once: a state that grows past 8 kB so leaves about 1 kB of freed chunks behind instead
// of 8 kB.
std::size_t Builder::next_capacity(std::size_t capacity) {
    constexpr std::size_t kSmall = 1024 / sizeof(Range);
    constexpr std::size_t kLarge = 8192 / sizeof(Range) + 1;
    if (capacity < kSmall)
        return capacity == 0 ? 1 : 2 * capacity;
    if (capacity < kLarge)
        return kLarge;
    return capacity + capacity / 2;
}

void Builder::add_out_of_order(Range range) {
    append(pending_, range);
    // Flushing when the buffer is as large as the range list keeps the total merge
    // work proportional to the input size, and memory at most twice the ranges.
    constexpr std::size_t kMinPending = 4096;
    if (pending_.size() >= std::max(kMinPending, ranges_.size()))
        flush();
}

void Builder::flush() {
    if (pending_.empty())
        return;
    interruptible_sort(pending_.begin(), pending_.end(),
                       [](const Range& a, const Range& b) { return a.start < b.start; });
    ResourceVector<Range> merged(ranges_.get_allocator());
    merged.reserve(ranges_.size() + pending_.size());
    auto a = ranges_.begin();
    auto b = pending_.begin();
    InterruptCountdown countdown;
    while (a != ranges_.end() || b != pending_.end()) {
        countdown.tick();
        bool take_a = b == pending_.end() || (a != ranges_.end() && a->start <= b->start);
        append_merged(merged, take_a ? *a++ : *b++);
    }
    // Give back what the merge did not use, and the buffer: a state that stays in
    // memory for the rest of a hash aggregation should not keep its peak.
    if (merged.capacity() - merged.size() > merged.size() / 2)
        merged.shrink_to_fit();
    ranges_.swap(merged);
    pending_.clear();
    pending_.shrink_to_fit();
    if (ranges_.size() > kMaxRanges) {
        throw_program_limit_exceeded("heartbeat_agg: more than " + std::to_string(kMaxRanges) +
                                     " live ranges");
    }
}

std::size_t Builder::result_count() {
    flush();
    if (!span_fits(header_.start_time, header_.end_time)) {
        throw_invalid_parameter("rollup: the combined window is too long");
    }
    if (ranges_.size() > kMaxRanges) {
        throw_program_limit_exceeded("heartbeat_agg: more than " + std::to_string(kMaxRanges) +
                                     " live ranges");
    }
    return ranges_.size();
}

Header Builder::result(Range* out) const {
    std::copy(ranges_.begin(), ranges_.end(), out);
    if (!ranges_.empty() && out[ranges_.size() - 1].end > header_.end_time) {
        out[ranges_.size() - 1].end = header_.end_time;
    }
    return header_;
}

// Serialized state: 4 header instants, a flag byte, a range count, then the ranges.
namespace {
constexpr std::size_t kStateHeaderSize = 4 * sizeof(Instant) + 1 + sizeof(std::uint64_t);
}

std::size_t Builder::serialized_size() {
    return kStateHeaderSize + result_count() * sizeof(Range);
}

void Builder::serialize(unsigned char* out) {
    std::uint64_t count = result_count();
    const Instant fields[4] = {header_.start_time, header_.end_time, header_.last_seen,
                               header_.interval_len};
    std::memcpy(out, fields, sizeof fields);
    out += sizeof fields;
    *out++ = has_heartbeat_ ? 1 : 0;
    std::memcpy(out, &count, sizeof count);
    out += sizeof count;
    if (count > 0)
        std::memcpy(out, ranges_.data(), count * sizeof(Range));
}

Builder Builder::deserialize(const unsigned char* data, std::size_t size,
                             MemoryResource* resource) {
    auto corrupt = [] {
        throw Error(ErrorKind::Internal, "corrupt heartbeat_agg aggregate state");
    };
    if (size < kStateHeaderSize)
        corrupt();
    Instant fields[4];
    std::memcpy(fields, data, sizeof fields);
    data += sizeof fields;
    Builder builder(Header{fields[0], fields[1], fields[2], fields[3]}, resource);
    builder.has_heartbeat_ = *data++ != 0;
    std::uint64_t count;
    std::memcpy(&count, data, sizeof count);
    data += sizeof count;
    if (count > kMaxRanges || size != kStateHeaderSize + count * sizeof(Range))
        corrupt();
    const Header& h = builder.header_;
    if (h.interval_len <= 0 || h.start_time >= h.end_time || !span_fits(h.start_time, h.end_time) ||
        (count > 0 && !builder.has_heartbeat_)) {
        corrupt();
    }
    builder.ranges_.resize(count);
    if (count > 0)
        std::memcpy(builder.ranges_.data(), data, count * sizeof(Range));
    InterruptCountdown countdown;
    for (std::size_t i = 0; i < count; ++i) {
        countdown.tick();
        const Range& r = builder.ranges_[i];
        // Ranges are unclipped: only their starts must lie inside the window.
        if (r.start >= r.end || r.start < h.start_time || r.start >= h.end_time ||
            (i > 0 && r.start <= builder.ranges_[i - 1].end)) {
            corrupt();
        }
    }
    return builder;
}

}  // namespace opsagg::heartbeat
