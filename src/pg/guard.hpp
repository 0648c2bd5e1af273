// Calling PostgreSQL from C++ code: a PostgreSQL ERROR becomes a C++ exception.
//
// pg_call(call) runs call() inside PG_TRY. If it raises an ERROR, PG_CATCH switches back
// to the caller's memory context, copies the error (CopyErrorData), clears it
// (FlushErrorState), and after PG_END_TRY pg_call throws opsagg::pg::PgError with the
// error's SQLSTATE and message; run_guarded (pg/boundary.hpp) raises it again unchanged
// unless C++ code catches it first. FATAL and PANIC never return here.
//
// Rules (README, "Contributing"):
// - No C++ object with a destructor may be alive inside the PG_TRY: `call` captures
//   plain values or references only and its body creates no such object; its result is
//   trivially copyable.
// - Catching an ERROR without a subtransaction is only allowed around pure computations
//   (arithmetic, type conversions): no locks, buffers, catalog or SPI state may be left
//   behind by the aborted call. Anything else (SPI, catalog access, the coming
//   background worker's steps) needs a subtransaction (BeginInternalSubTransaction /
//   RollbackAndReleaseCurrentSubTransaction) around the call, or must let the ERROR
//   propagate.
#pragma once

#include <type_traits>

#include "pg/boundary.hpp"

namespace opsagg::pg {

namespace detail {

// Runs call() into *out; returns a copy of the ERROR it raised, or nullptr. Results go
// through a pointer so no local of this frame changes between setjmp and longjmp.
template <typename Call, typename Result>
ErrorData* catch_pg_error(Call& call, Result* out) {
    MemoryContext caller_context = CurrentMemoryContext;
    // errfinish resets these before it jumps; the caller may be inside a holdoff section.
    uint32 interrupt_holdoff = InterruptHoldoffCount;
    uint32 cancel_holdoff = QueryCancelHoldoffCount;
    ErrorData* volatile caught = nullptr;
    PG_TRY();
    {
        if constexpr (std::is_void_v<decltype(call())>) {
            call();
        } else {
            *out = call();
        }
    }
    PG_CATCH();
    {
        InterruptHoldoffCount = interrupt_holdoff;
        QueryCancelHoldoffCount = cancel_holdoff;
        MemoryContextSwitchTo(caller_context);
        caught = CopyErrorData();
        FlushErrorState();
    }
    PG_END_TRY();
    return caught;
}

}  // namespace detail

template <typename Call>
auto pg_call(Call call) -> decltype(call()) {
    using Result = decltype(call());
    static_assert(std::is_trivially_destructible_v<Call>,
                  "pg_call: the call may hold no C++ object with a destructor");
    static_assert(std::is_void_v<Result> || std::is_trivially_copyable_v<Result>,
                  "pg_call: the result must be a plain value");

    std::conditional_t<std::is_void_v<Result>, int, Result> result{};
    ErrorData* caught = detail::catch_pg_error(call, &result);
    if (caught != nullptr) {
        CaughtError error;
        error.sqlstate = caught->sqlerrcode;
        error.in_server_encoding = true;
        copy_message(&error, caught->message != nullptr ? caught->message : "unknown error");
        FreeErrorData(caught);
        throw PgError(error);
    }
    if constexpr (!std::is_void_v<Result>)
        return result;
}

}  // namespace opsagg::pg
