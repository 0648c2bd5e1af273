// Module entry points.
#include "boundary.hpp"

extern "C" {
PG_MODULE_MAGIC;
}

namespace opsagg::pg {

void raise_error(const CaughtError& error) {
    // A core stopped for a pending cancel or termination: PostgreSQL raises the proper
    // error (statement timeout, user request, FATAL on terminate). If it finds nothing
    // to do after all, the statement still stops, with the same SQLSTATE.
    if (error.sqlstate == ERRCODE_QUERY_CANCELED)
        CHECK_FOR_INTERRUPTS();
    ereport(ERROR, (errcode(error.sqlstate), errmsg("%s", error.message)));
    pg_unreachable();
}

}  // namespace opsagg::pg
