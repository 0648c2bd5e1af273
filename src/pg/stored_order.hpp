// Default btree and hash operator classes of opsagg's varlena types (heartbeat_agg,
// latency_sketch). Their stored forms are canonical: two values are `=` exactly when their
// stored bytes are equal (the values are built field by field into zeroed memory, -0 is
// stored as 0, offsets of empty bucket arrays as 0). So the btree order is the order of the
// stored bytes: arbitrary, but a stable total order consistent with `=`, and the hash is a
// hash of those bytes. Callers pass values already detoasted and checked for corruption.
#pragma once

#include <cstring>

#include "pg.hpp"

extern "C" {
#include "common/hashfn.h"
}

namespace opsagg::pg {

// memcmp over the common prefix of the stored bytes, then the shorter value first.
inline int32 compare_stored(const varlena* a, const varlena* b) {
    Size a_size = VARSIZE_ANY_EXHDR(a);
    Size b_size = VARSIZE_ANY_EXHDR(b);
    int order = std::memcmp(VARDATA_ANY(a), VARDATA_ANY(b), Min(a_size, b_size));
    if (order != 0)
        return order < 0 ? -1 : 1;
    if (a_size != b_size)
        return a_size < b_size ? -1 : 1;
    return 0;
}

inline Datum hash_stored(const varlena* value) {
    return hash_any(reinterpret_cast<const unsigned char*>(VARDATA_ANY(value)),
                    static_cast<int>(VARSIZE_ANY_EXHDR(value)));
}

inline Datum hash_stored_extended(const varlena* value, uint64 seed) {
    return hash_any_extended(reinterpret_cast<const unsigned char*>(VARDATA_ANY(value)),
                             static_cast<int>(VARSIZE_ANY_EXHDR(value)), seed);
}

// Frees argument n's detoasted copy (sorts and hash tables call these functions many times
// in one memory context).
inline void free_if_copy(const varlena* value, FunctionCallInfo fcinfo, int n) {
    if (reinterpret_cast<const void*>(value) != DatumGetPointer(PG_GETARG_DATUM(n)))
        pfree(const_cast<varlena*>(value));
}

}  // namespace opsagg::pg

// The comparison, <, <=, >, >=, hash and extended hash functions of a type, named
// prefix_cmp, prefix_lt, ... prefix_hash_extended. stored_arg(fcinfo, n) returns argument n
// detoasted and checked (XX001 when its bytes are inconsistent).
#define OPSAGG_STORED_ORDER_FUNCTIONS(prefix, stored_arg)                                     \
    static int32 prefix##_compare_args(FunctionCallInfo fcinfo) {                             \
        const varlena* a = stored_arg(fcinfo, 0);                                             \
        const varlena* b = stored_arg(fcinfo, 1);                                             \
        int32 order = opsagg::pg::compare_stored(a, b);                                       \
        opsagg::pg::free_if_copy(a, fcinfo, 0);                                               \
        opsagg::pg::free_if_copy(b, fcinfo, 1);                                               \
        return order;                                                                         \
    }                                                                                         \
    OPSAGG_FUNCTION(prefix##_cmp) {                                                           \
        PG_RETURN_INT32(prefix##_compare_args(fcinfo));                                       \
    }                                                                                         \
    OPSAGG_FUNCTION(prefix##_lt) {                                                            \
        PG_RETURN_BOOL(prefix##_compare_args(fcinfo) < 0);                                    \
    }                                                                                         \
    OPSAGG_FUNCTION(prefix##_le) {                                                            \
        PG_RETURN_BOOL(prefix##_compare_args(fcinfo) <= 0);                                   \
    }                                                                                         \
    OPSAGG_FUNCTION(prefix##_gt) {                                                            \
        PG_RETURN_BOOL(prefix##_compare_args(fcinfo) > 0);                                    \
    }                                                                                         \
    OPSAGG_FUNCTION(prefix##_ge) {                                                            \
        PG_RETURN_BOOL(prefix##_compare_args(fcinfo) >= 0);                                   \
    }                                                                                         \
    OPSAGG_FUNCTION(prefix##_hash) {                                                          \
        const varlena* value = stored_arg(fcinfo, 0);                                         \
        Datum hash = opsagg::pg::hash_stored(value);                                          \
        opsagg::pg::free_if_copy(value, fcinfo, 0);                                           \
        return hash;                                                                          \
    }                                                                                         \
    OPSAGG_FUNCTION(prefix##_hash_extended) {                                                 \
        const varlena* value = stored_arg(fcinfo, 0);                                         \
        Datum hash =                                                                          \
            opsagg::pg::hash_stored_extended(value, static_cast<uint64>(PG_GETARG_INT64(1))); \
        opsagg::pg::free_if_copy(value, fcinfo, 0);                                           \
        return hash;                                                                          \
    }
