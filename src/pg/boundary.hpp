// The C++ / PostgreSQL boundary (see README, "Contributing").
//
// Every function PostgreSQL calls is defined with OPSAGG_FUNCTION. Its body runs
// inside a try block; a C++ exception is caught, its message copied into a plain
// buffer, the catch block ends, and only then is ereport(ERROR) raised. An
// ereport from the body longjmps straight through: the body must therefore hold
// only plain (trivially destructible) locals and PostgreSQL memory, and leave
// every C++ object with a destructor to the pure cores it calls.
#pragma once

#include <cstddef>
#include <cstring>
#include <exception>
#include <new>
#include <utility>

#include "context_resource.hpp"
#include "core/error.hpp"
#include "core/interrupt.hpp"
#include "core/message.hpp"
#include "pg.hpp"

namespace opsagg::pg {

struct CaughtError {
    int sqlstate;
    // The cores' messages are UTF-8; a PostgreSQL error caught by pg_call is already in
    // the server encoding.
    bool in_server_encoding = false;
    char message[1024];
};

void raise_error(const CaughtError& error) pg_attribute_noreturn();

inline int sqlstate_of(ErrorKind kind) {
    switch (kind) {
        case ErrorKind::InvalidParameter:
            return ERRCODE_INVALID_PARAMETER_VALUE;
        case ErrorKind::OutOfRange:
            return ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE;
        case ErrorKind::InvalidRepresentation:
            return ERRCODE_INVALID_TEXT_REPRESENTATION;
        case ErrorKind::ProgramLimitExceeded:
            return ERRCODE_PROGRAM_LIMIT_EXCEEDED;
        case ErrorKind::Internal:
            break;
    }
    return ERRCODE_INTERNAL_ERROR;
}

// Copies a UTF-8 message, cut between characters if it is too long.
inline void copy_message(CaughtError* error, const char* message) {
    std::size_t length = opsagg::message::utf8_prefix_length(message, sizeof error->message - 1);
    std::memcpy(error->message, message, length);
    error->message[length] = '\0';
}

// A PostgreSQL ERROR caught by pg_call (pg/guard.hpp), carried through C++ frames as
// an exception; run_guarded raises it again with the same SQLSTATE and message.
class PgError : public std::exception {
  public:
    explicit PgError(const CaughtError& error) noexcept : error_(error) {}
    const CaughtError& error() const noexcept { return error_; }
    const char* what() const noexcept override { return error_.message; }

  private:
    CaughtError error_;
};

// Runs body(); returns false with *error filled if it threw. A core interrupted by a
// pending cancel (opsagg::Interrupted) is reported as 57014; raise_error then lets
// CHECK_FOR_INTERRUPTS raise PostgreSQL's own error for it.
template <typename Body>
bool run_guarded(Body&& body, CaughtError* error) noexcept {
    try {
        body();
        return true;
    } catch (const Interrupted&) {
        error->sqlstate = ERRCODE_QUERY_CANCELED;
        copy_message(error, "canceling statement due to an interrupt");
    } catch (const PgError& e) {
        *error = e.error();
    } catch (const Error& e) {
        error->sqlstate = sqlstate_of(e.kind());
        copy_message(error, e.what());
    } catch (const ContextOutOfMemory& e) {
        error->sqlstate = ERRCODE_OUT_OF_MEMORY;
        copy_message(error, e.what());
    } catch (const std::bad_alloc&) {
        error->sqlstate = ERRCODE_OUT_OF_MEMORY;
        copy_message(error, "out of memory in opsagg");
    } catch (const std::exception& e) {
        error->sqlstate = ERRCODE_INTERNAL_ERROR;
        copy_message(error, e.what());
    } catch (...) {
        error->sqlstate = ERRCODE_INTERNAL_ERROR;
        copy_message(error, "unknown C++ exception in opsagg");
    }
    return false;
}

// The aggregate's memory context; an error when not called as an aggregate.
inline MemoryContext aggregate_context(FunctionCallInfo fcinfo, const char* name) {
    MemoryContext context;
    if (!AggCheckCallContext(fcinfo, &context)) {
        ereport(ERROR, (errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
                        errmsg("%s called in non-aggregate context", name)));
    }
    return context;
}

// A transition function's result when its input row is skipped (a NULL value): the
// state as it is, or NULL if there is none yet.
inline Datum unchanged_state(FunctionCallInfo fcinfo, void* state) {
    if (state == nullptr)
        PG_RETURN_NULL();
    PG_RETURN_POINTER(state);
}

}  // namespace opsagg::pg

// Defines the SQL-callable C function `name` with an exception-tight wrapper.
#define OPSAGG_FUNCTION(name)                                                         \
    static Datum name##_body(FunctionCallInfo fcinfo);                                \
    extern "C" {                                                                      \
    PG_FUNCTION_INFO_V1(name);                                                        \
    }                                                                                 \
    extern "C" Datum name(PG_FUNCTION_ARGS) {                                         \
        opsagg::pg::CaughtError error_;                                               \
        Datum result_ = 0;                                                            \
        if (opsagg::pg::run_guarded([&] { result_ = name##_body(fcinfo); }, &error_)) \
            return result_;                                                           \
        opsagg::pg::raise_error(error_);                                              \
    }                                                                                 \
    static Datum name##_body(FunctionCallInfo fcinfo)
