// Errors raised by the pure C++ cores. The glue turns each kind into a SQLSTATE
// (see pg/boundary.hpp); the cores themselves know nothing of PostgreSQL.
#pragma once

#include <stdexcept>
#include <string>

namespace opsagg {

enum class ErrorKind {
    InvalidParameter,       // 22023: an argument is out of its domain
    OutOfRange,             // 22003: a number outside the range opsagg accepts
    InvalidRepresentation,  // 22P02: malformed or inconsistent text or binary input
    ProgramLimitExceeded,   // 54000: a result larger than opsagg or PostgreSQL can hold
    Internal,               // XX000: a broken invariant inside opsagg
};

class Error : public std::runtime_error {
  public:
    Error(ErrorKind kind, const std::string& message) : std::runtime_error(message), kind_(kind) {}
    ErrorKind kind() const noexcept { return kind_; }

  private:
    ErrorKind kind_;
};

[[noreturn]] inline void throw_invalid_parameter(const std::string& message) {
    throw Error(ErrorKind::InvalidParameter, message);
}

[[noreturn]] inline void throw_program_limit_exceeded(const std::string& message) {
    throw Error(ErrorKind::ProgramLimitExceeded, message);
}

[[noreturn]] inline void throw_invalid_representation(const std::string& message) {
    throw Error(ErrorKind::InvalidRepresentation, message);
}

}  // namespace opsagg
