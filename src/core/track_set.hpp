// Change tracking of the ops rollups: the set of (watched table, UTC hour) pairs that the
// row trigger (ops_track_row) records and the statement trigger (ops_track_flush) writes
// to ops_change_log. Pure C++ and plain data: the glue (src/track_glue.cpp) owns the slot
// array in PostgreSQL memory (a child of TopTransactionContext, so a set lives for one
// transaction); nothing here allocates, throws or calls PostgreSQL.
//
// Open addressing with linear probing; entries are never deleted within a transaction, so
// no tombstones: an entry is either pending (recorded since it was last written to the
// log) or written (by a flush in subtransaction `written_in`). A write in the top-level
// transaction is final; a write in a subtransaction is rolled back with it, so its entries
// turn pending again when it aborts (track_subxact_abort) and move to the parent when it
// commits (track_subxact_commit). A statement that fails leaves its entries pending: they
// are written by the next flush of their table (an extra recompute, never a lost hour).
#pragma once

#include <cstddef>
#include <cstdint>

namespace opsagg::track {

using Micros = std::int64_t;

// The UTC hour of a timestamptz value (microseconds since 2000-01-01 UTC); false for
// -infinity and infinity, which belong to no hour.
bool hour_of(Micros t, Micros* hour) noexcept;

constexpr std::uint32_t kPending = 0;  // written_in of an entry not yet in the log
constexpr std::uint32_t kTopLevel = 1; // PostgreSQL's TopSubTransactionId

struct Slot {
    Micros hour;
    std::uint32_t table;       // watched table's oid; 0 = empty slot
    std::uint32_t written_in;  // kPending, or the SubTransactionId of the flush that wrote it
};

struct Set {
    Slot* slots;           // capacity slots, a power of two
    std::size_t capacity;
    std::size_t used;      // non-empty slots
    std::size_t pending;   // entries with written_in == kPending
    std::size_t in_subxact;  // entries written in a subtransaction (written_in > kTopLevel)
};

// Starts an empty set on `slots` (capacity a power of two >= 8, zeroed by this call).
void init(Set* set, Slot* slots, std::size_t capacity) noexcept;

// True when one more entry would pass the load limit (3/4): grow before recording.
bool needs_growth(const Set& set) noexcept;

// Moves every entry of `from` into `to` (initialised, larger, empty).
void rehash(const Set& from, Set* to) noexcept;

// Records (table, hour) as pending. The caller checked needs_growth first. table != 0.
void record(Set* set, std::uint32_t table, Micros hour) noexcept;

// Number of pending entries of `table`.
std::size_t pending_of(const Set& set, std::uint32_t table) noexcept;

// Copies the hours of table's pending entries to out (room for pending_of entries) and
// marks them written by subtransaction `subxact`; returns how many.
std::size_t take_pending(Set* set, std::uint32_t table, std::uint32_t subxact, Micros* out) noexcept;

// A subtransaction ended: what it wrote now belongs to its parent (commit) or is pending
// again (abort: its log rows are gone).
void subxact_commit(Set* set, std::uint32_t subxact, std::uint32_t parent) noexcept;
void subxact_abort(Set* set, std::uint32_t subxact) noexcept;

}  // namespace opsagg::track
