// Interrupting long core work without PostgreSQL (see README, "Contributing").
//
// The glue installs a poll function once (src/pg/interrupt.cpp); loops that can run long
// call poll_interrupt() or an InterruptCountdown, which asks the poll function every
// kInterruptStride items and throws opsagg::Interrupted when it reports a pending cancel.
// The exception unwinds the core's C++ frames normally; the boundary catches it and lets
// PostgreSQL raise its own cancel error once no C++ frame is left (pg/boundary.hpp).
//
// An interrupted operation gives the basic exception guarantee: inputs are unchanged,
// builders stay valid objects (destructible, usable), their contents unspecified.
#pragma once

#include <algorithm>
#include <cstddef>
#include <exception>

namespace opsagg {

// Thrown by a core when the poll function reports a pending interrupt. Not an
// opsagg::Error: nothing may treat it as an ordinary failure and carry on.
class Interrupted : public std::exception {
  public:
    const char* what() const noexcept override { return "opsagg: operation interrupted"; }
};

// Returns true when the current operation must stop. Must not throw nor longjmp.
using InterruptPoll = bool (*)() noexcept;

namespace detail {
inline InterruptPoll interrupt_poll = nullptr;
[[noreturn, gnu::cold, gnu::noinline]] inline void throw_interrupted() {
    throw Interrupted();
}
}  // namespace detail

// Installs (or, with nullptr, removes) the poll function. Not thread-safe: call once at
// load time, before any core work.
inline void set_interrupt_poll(InterruptPoll poll) noexcept {
    detail::interrupt_poll = poll;
}

inline InterruptPoll interrupt_poll() noexcept {
    return detail::interrupt_poll;
}

// Throws Interrupted if the poll function reports an interrupt.
inline void poll_interrupt() {
    InterruptPoll poll = detail::interrupt_poll;
    if (poll != nullptr && poll())
        detail::throw_interrupted();
}

// Items (ranges, counts, labels, bytes) of work between two polls: about a millisecond
// of the slowest loop, so polling costs nothing measurable and a cancel lands soon.
constexpr std::size_t kInterruptStride = std::size_t{1} << 16;

// Polls once every kInterruptStride items of work: tick() per item, or tick(n) for n.
class InterruptCountdown {
  public:
    void tick(std::size_t items = 1) {
        if (items < remaining_) {
            remaining_ -= items;
            return;
        }
        remaining_ = kInterruptStride;
        poll_interrupt();
    }

  private:
    std::size_t remaining_ = kInterruptStride;
};

// A comparator that polls while std::sort runs: sorting millions of items takes long
// enough to need it. std::sort copies its comparator, so the countdown is shared by
// pointer. Sorting stays exception-safe in the basic sense (the range holds valid
// objects afterwards, not necessarily the same ones).
template <typename Less>
class PollingLess {
  public:
    PollingLess(Less less, InterruptCountdown* countdown) : less_(less), countdown_(countdown) {}
    template <typename T>
    bool operator()(const T& a, const T& b) const {
        countdown_->tick();
        return less_(a, b);
    }

  private:
    Less less_;
    InterruptCountdown* countdown_;
};

// std::sort(first, last, less), interruptible.
template <typename Iterator, typename Less>
void interruptible_sort(Iterator first, Iterator last, Less less) {
    InterruptCountdown countdown;
    std::sort(first, last, PollingLess<Less>(less, &countdown));
}

}  // namespace opsagg
