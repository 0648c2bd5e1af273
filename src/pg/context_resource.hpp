// Aggregate states in PostgreSQL memory: a MemoryResource over a MemoryContext, and
// construction of C++ objects in a context.
//
// A Builder built on a ContextResource keeps its containers in the context, so hash
// aggregation counts them against work_mem (and spills on time), pg_backend_memory_contexts
// shows them, and resetting or deleting the context frees them: no reset callback, no
// destructor call.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <new>
#include <utility>

#include "core/error.hpp"
#include "core/memory.hpp"
#include "pg.hpp"

namespace opsagg::pg {

// The resource's allocation failed: the boundary turns it into a 53200 ERROR.
class ContextOutOfMemory : public std::bad_alloc {
  public:
    explicit ContextOutOfMemory(std::size_t bytes) {
        snprintf(message_, sizeof message_,
                 "out of memory: an opsagg aggregate state could not grow by %zu bytes", bytes);
    }
    const char* what() const noexcept override { return message_; }

  private:
    char message_[128];
};

// palloc in one context, failure as std::bad_alloc. It never raises a PostgreSQL ERROR,
// so the cores may call it from any C++ frame: the size is checked before the call, and
// MCXT_ALLOC_NO_OOM makes an exhausted context return NULL.
class ContextResource final : public MemoryResource {
  public:
    explicit ContextResource(MemoryContext context) : context_(context) {}
    ContextResource(const ContextResource&) = delete;
    ContextResource& operator=(const ContextResource&) = delete;

  private:
    void* do_allocate(std::size_t bytes, std::size_t alignment) override {
        if (alignment > MAXIMUM_ALIGNOF) {
            throw Error(ErrorKind::Internal, "opsagg: over-aligned allocation in a memory context");
        }
        if (bytes > MaxAllocHugeSize)
            throw ContextOutOfMemory(bytes);
        void* memory =
            MemoryContextAllocExtended(context_, bytes, MCXT_ALLOC_HUGE | MCXT_ALLOC_NO_OOM);
        if (memory == nullptr)
            throw ContextOutOfMemory(bytes);
        return memory;
    }
    void do_deallocate(void* p, std::size_t, std::size_t) noexcept override { pfree(p); }

    MemoryContext context_;
};

// Constructs a T in `context`'s memory. T's destructor never runs: the context frees its
// memory, so T may own nothing but memory of that context (a ContextResource over it).
// The allocation may raise an ERROR: call it where no C++ object is alive.
// palloc aligns to MAXIMUM_ALIGNOF (8); a T with a wider alignment (the sketch's __int128
// sum) gets the room to be aligned up.
template <typename T, typename... Args>
T* construct_in_context(MemoryContext context, Args&&... args) {
    constexpr std::size_t slack = alignof(T) > MAXIMUM_ALIGNOF ? alignof(T) - MAXIMUM_ALIGNOF : 0;
    auto address = reinterpret_cast<std::uintptr_t>(MemoryContextAlloc(context, sizeof(T) + slack));
    address = (address + alignof(T) - 1) & ~(std::uintptr_t{alignof(T)} - 1);
    return new (reinterpret_cast<void*>(address)) T(context, std::forward<Args>(args)...);
}

}  // namespace opsagg::pg
