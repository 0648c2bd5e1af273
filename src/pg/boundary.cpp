// Module entry points.
#include "boundary.hpp"

extern "C" {
#include "common/string.h"
#include "mb/pg_wchar.h"
}

extern "C" {
PG_MODULE_MAGIC;
}

namespace opsagg::pg {

namespace {

// The messages of C++ exceptions are UTF-8 (their user data came from the server
// encoding, so it converts back); ereport takes the server encoding.
const char* in_server_encoding(const char* message) {
    if (GetDatabaseEncoding() == PG_UTF8 || pg_is_ascii(message))
        return message;
    int length = static_cast<int>(strlen(message));
    if (!pg_verify_mbstr(PG_UTF8, message, length, true)) {
        // Not UTF-8 after all (a bug): show its ASCII part rather than fail on it.
        char* ascii = pstrdup(message);
        for (char* c = ascii; *c != '\0'; ++c) {
            if (IS_HIGHBIT_SET(*c))
                *c = '?';
        }
        return ascii;
    }
    return pg_any_to_server(message, length, PG_UTF8);
}

}  // namespace

void raise_error(const CaughtError& error) {
    // A core stopped for a pending cancel or termination: PostgreSQL raises the proper
    // error (statement timeout, user request, FATAL on terminate). If it finds nothing
    // to do after all, the statement still stops, with the same SQLSTATE.
    if (error.sqlstate == ERRCODE_QUERY_CANCELED)
        CHECK_FOR_INTERRUPTS();
    const char* message =
        error.in_server_encoding ? error.message : in_server_encoding(error.message);
    ereport(ERROR, (errcode(error.sqlstate), errmsg("%s", message)));
    pg_unreachable();
}

}  // namespace opsagg::pg
