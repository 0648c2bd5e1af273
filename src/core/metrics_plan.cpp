#include "metrics_plan.hpp"

#include <algorithm>
#include <numeric>
#include <string>

#include "error.hpp"

namespace opsagg::rollup {

namespace {

// Bounds read from tables may be anything, infinities included: clamped to the timestamp
// range first, they can be rounded without overflow.
Micros ceil_to(Micros t, Micros unit) {
    t = std::clamp(t, kMinTime, kMaxTime);
    Micros floor = t / unit * unit;
    if (t % unit < 0)
        floor -= unit;
    return floor == t ? t : floor + unit;
}

enum class Part { Day, Hour, Raw };

struct Piece {
    Part part;
    Micros first;
    Micros end;
};

// The coverage with every bound rounded inwards to the hours and days it fully covers, and
// the stale hours as sorted, disjoint hour spans.
class Trust {
  public:
    explicit Trust(const Coverage& coverage)
        : rolled_from_(ceil_to(coverage.rolled_from, kMicrosPerHour)),
          rolled_to_(hour_floor(std::clamp(coverage.rolled_to, kMinTime, kMaxTime))),
          hourly_from_(ceil_to(coverage.hourly_from, kMicrosPerHour)),
          first_day_(std::max(ceil_to(rolled_from_, kMicrosPerDay),
                              ceil_to(coverage.daily_from, kMicrosPerDay))),
          first_hour_(std::max(rolled_from_, hourly_from_)) {
        for (const HourSpan& span : coverage.dirty) {
            if (span.first < span.end)
                dirty_.push_back(HourSpan{hour_floor(std::clamp(span.first, kMinTime, kMaxTime)),
                                          ceil_to(span.end, kMicrosPerHour)});
        }
        std::sort(dirty_.begin(), dirty_.end(),
                  [](const HourSpan& a, const HourSpan& b) { return a.first < b.first; });
        std::vector<HourSpan> merged;
        for (const HourSpan& span : dirty_) {
            if (!merged.empty() && span.first <= merged.back().end)
                merged.back().end = std::max(merged.back().end, span.end);
            else
                merged.push_back(span);
        }
        dirty_.swap(merged);
    }

    // The day starting at t, within `end`, from its daily row.
    bool day_from_rollup(Micros t, Micros end) const {
        const Micros day_end = t + kMicrosPerDay;
        if (t != day_floor(t) || day_end > end || t < first_day_ || day_end > rolled_to_)
            return false;
        if (day_end <= hourly_from_)
            return true;  // left change tracking whole: its daily row is the record
        return t >= hourly_from_ && !stale(t, day_end);
    }

    // The hour starting at t, within `end`, from its hourly row.
    bool hour_from_rollup(Micros t, Micros end) const {
        const Micros hour_end = t + kMicrosPerHour;
        return t == hour_floor(t) && hour_end <= end && t >= first_hour_ &&
               hour_end <= rolled_to_ && !stale(t, hour_end);
    }

    // Where a raw piece starting at t (inside [t, end)) ends: at the next hour where a rollup
    // row might serve, or at `end` outside the rolled-up hours.
    Micros raw_until(Micros t, Micros end) const {
        if (rolled_from_ >= rolled_to_ || t >= rolled_to_)
            return end;
        if (t < rolled_from_)
            return std::min(end, rolled_from_);
        return std::min(end, hour_floor(t) + kMicrosPerHour);
    }

  private:
    bool stale(Micros first, Micros end) const {
        auto it = std::upper_bound(dirty_.begin(), dirty_.end(), first,
                                   [](Micros t, const HourSpan& span) { return t < span.end; });
        return it != dirty_.end() && it->first < end;
    }

    Micros rolled_from_;
    Micros rolled_to_;
    Micros hourly_from_;
    Micros first_day_;   // first day whose daily row may serve
    Micros first_hour_;  // first hour whose hourly row may serve
    std::vector<HourSpan> dirty_;
};

void append(std::vector<Piece>& pieces, Part part, Micros first, Micros end) {
    if (!pieces.empty() && pieces.back().part == Part::Raw && part == Part::Raw &&
        pieces.back().end == first)
        pieces.back().end = end;
    else
        pieces.push_back(Piece{part, first, end});
}

void plan_piece(const Trust& trust, Micros first, Micros end, std::vector<Piece>& pieces) {
    Micros t = first;
    while (t < end) {
        if (trust.day_from_rollup(t, end)) {
            append(pieces, Part::Day, t, t + kMicrosPerDay);
            t += kMicrosPerDay;
        } else if (trust.hour_from_rollup(t, end)) {
            append(pieces, Part::Hour, t, t + kMicrosPerHour);
            t += kMicrosPerHour;
        } else {
            Micros next = trust.raw_until(t, end);
            append(pieces, Part::Raw, t, next);
            t = next;
        }
    }
}

// Joins the raw pieces separated by the shortest runs of rollup pieces until at most
// kMaxRawSpans are left: those runs are read from the sources too.
void limit_raw_spans(std::vector<Piece>& pieces) {
    std::vector<std::size_t> raw;
    for (std::size_t i = 0; i < pieces.size(); ++i) {
        if (pieces[i].part == Part::Raw)
            raw.push_back(i);
    }
    if (raw.size() <= kMaxRawSpans)
        return;
    std::vector<std::size_t> gaps(raw.size() - 1);  // gap g lies between raw[g] and raw[g + 1]
    std::iota(gaps.begin(), gaps.end(), 0);
    auto length = [&](std::size_t g) { return pieces[raw[g + 1]].first - pieces[raw[g]].end; };
    std::sort(gaps.begin(), gaps.end(), [&](std::size_t a, std::size_t b) {
        return length(a) < length(b) || (length(a) == length(b) && a < b);
    });
    for (std::size_t k = 0; k < raw.size() - kMaxRawSpans; ++k) {
        for (std::size_t i = raw[gaps[k]] + 1; i < raw[gaps[k] + 1]; ++i)
            pieces[i].part = Part::Raw;
    }
    std::vector<Piece> joined;
    for (const Piece& piece : pieces)
        append(joined, piece.part, piece.first, piece.end);
    pieces.swap(joined);
}

Micros checked_sub(Micros a, Micros b, const char* what) {
    Micros result = 0;
    if (__builtin_sub_overflow(a, b, &result))
        throw_invalid_parameter(what);
    return result;
}

}  // namespace

Micros bucket_start(Micros t, Micros bucket, Micros origin) {
    if (bucket <= 0)
        throw_invalid_parameter("the bucket must be a positive interval");
    Micros offset = checked_sub(t, origin, "the origin is too far from the range");
    Micros floor = offset / bucket * bucket;
    if (offset % bucket < 0)
        floor -= bucket;
    return origin + floor;  // lies between origin and t (or one bucket below): no overflow
}

MetricsPlan plan_metrics(Micros from, Micros to, Micros bucket, Micros origin,
                         const Coverage& coverage) {
    check_time(from, "from_ts");
    check_time(to, "to_ts");
    if (from >= to)
        throw_invalid_parameter("from_ts must be earlier than to_ts");
    if (bucket < 0)
        throw_invalid_parameter("the bucket must be a positive interval");

    const Trust trust(coverage);
    std::vector<Piece> pieces;
    if (bucket == 0) {
        plan_piece(trust, from, to, pieces);
    } else {
        check_time(origin, "origin");
        const Micros first = bucket_start(from, bucket, origin);
        const Micros span = checked_sub(to, first, "the range is too long");
        if (span / bucket + (span % bucket != 0) > kMaxBuckets)
            throw_program_limit_exceeded("a series has at most " + std::to_string(kMaxBuckets) +
                                         " buckets: choose a larger bucket or a shorter range");
        for (Micros start = first;; start += bucket) {
            const bool last = to - start <= bucket;  // start + bucket might not fit then
            plan_piece(trust, std::max(start, from), last ? to : start + bucket, pieces);
            if (last)
                break;
        }
    }
    limit_raw_spans(pieces);

    MetricsPlan plan;
    for (const Piece& piece : pieces) {
        if (piece.part == Part::Day)
            plan.days.push_back(piece.first);
        else if (piece.part == Part::Hour)
            plan.hours.push_back(piece.first);
        else
            plan.raw.push_back(TimeSpan{piece.first, piece.end});
    }
    return plan;
}

}  // namespace opsagg::rollup
