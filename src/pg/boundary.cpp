// Module entry points.
#include "boundary.hpp"

extern "C" {
PG_MODULE_MAGIC;
}

namespace opsagg::pg {

void raise_error(const CaughtError& error) {
    ereport(ERROR, (errcode(error.sqlstate), errmsg("%s", error.message)));
    pg_unreachable();
}

}  // namespace opsagg::pg
