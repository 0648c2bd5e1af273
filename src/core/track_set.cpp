#include "track_set.hpp"

#include <cstring>
#include <limits>

#include "rollup_plan.hpp"

namespace opsagg::track {

namespace {

std::size_t slot_of(std::uint32_t table, Micros hour, std::size_t capacity) noexcept {
    // Hours are multiples of 3600e6: drop the always-zero low bits before mixing.
    std::uint64_t x = static_cast<std::uint64_t>(hour) / UINT64_C(3600000000);
    x ^= static_cast<std::uint64_t>(table) << 32 | table;
    x ^= x >> 33;
    x *= UINT64_C(0xff51afd7ed558ccd);
    x ^= x >> 33;
    x *= UINT64_C(0xc4ceb9fe1a85ec53);
    x ^= x >> 33;
    return static_cast<std::size_t>(x) & (capacity - 1);
}

void set_written(Set* set, Slot* slot, std::uint32_t written_in) noexcept {
    if (slot->written_in == kPending)
        --set->pending;
    else if (slot->written_in > kTopLevel)
        --set->in_subxact;
    if (written_in == kPending)
        ++set->pending;
    else if (written_in > kTopLevel)
        ++set->in_subxact;
    slot->written_in = written_in;
}

}  // namespace

bool hour_of(Micros t, Micros* hour) noexcept {
    if (t == std::numeric_limits<Micros>::min() || t == std::numeric_limits<Micros>::max())
        return false;
    *hour = rollup::hour_floor(t);
    return true;
}

void init(Set* set, Slot* slots, std::size_t capacity) noexcept {
    std::memset(static_cast<void*>(slots), 0, capacity * sizeof(Slot));
    set->slots = slots;
    set->capacity = capacity;
    set->used = 0;
    set->pending = 0;
    set->in_subxact = 0;
}

bool needs_growth(const Set& set) noexcept {
    return (set.used + 1) * 4 > set.capacity * 3;
}

void rehash(const Set& from, Set* to) noexcept {
    for (std::size_t i = 0; i < from.capacity; ++i) {
        const Slot& s = from.slots[i];
        if (s.table == 0)
            continue;
        std::size_t j = slot_of(s.table, s.hour, to->capacity);
        while (to->slots[j].table != 0)
            j = (j + 1) & (to->capacity - 1);
        to->slots[j] = s;
        ++to->used;
    }
    to->pending = from.pending;
    to->in_subxact = from.in_subxact;
}

void record(Set* set, std::uint32_t table, Micros hour) noexcept {
    std::size_t i = slot_of(table, hour, set->capacity);
    for (;;) {
        Slot* s = &set->slots[i];
        if (s->table == 0) {
            s->table = table;
            s->hour = hour;
            s->written_in = kPending;
            ++set->used;
            ++set->pending;
            return;
        }
        if (s->table == table && s->hour == hour) {
            if (s->written_in != kPending)
                set_written(set, s, kPending);
            return;
        }
        i = (i + 1) & (set->capacity - 1);
    }
}

std::size_t pending_of(const Set& set, std::uint32_t table) noexcept {
    if (set.pending == 0)
        return 0;
    std::size_t n = 0;
    for (std::size_t i = 0; i < set.capacity; ++i)
        n += set.slots[i].table == table && set.slots[i].written_in == kPending;
    return n;
}

std::size_t take_pending(Set* set, std::uint32_t table, std::uint32_t subxact, Micros* out) noexcept {
    std::size_t n = 0;
    for (std::size_t i = 0; i < set->capacity && set->pending > 0; ++i) {
        Slot* s = &set->slots[i];
        if (s->table == table && s->written_in == kPending) {
            out[n++] = s->hour;
            set_written(set, s, subxact);
        }
    }
    return n;
}

void subxact_commit(Set* set, std::uint32_t subxact, std::uint32_t parent) noexcept {
    for (std::size_t i = 0; i < set->capacity && set->in_subxact > 0; ++i) {
        Slot* s = &set->slots[i];
        if (s->table != 0 && s->written_in == subxact)
            set_written(set, s, parent);
    }
}

void subxact_abort(Set* set, std::uint32_t subxact) noexcept {
    for (std::size_t i = 0; i < set->capacity && set->in_subxact > 0; ++i) {
        Slot* s = &set->slots[i];
        if (s->table != 0 && s->written_in == subxact)
            set_written(set, s, kPending);
    }
}

}  // namespace opsagg::track
