// Reading stored varlena values of the extension's types as C structs.
//
// The structs hold 8-byte fields, so they must be read at 8-byte-aligned addresses: a
// value inside a tuple is aligned by its type's ALIGNMENT, but an aggregate's serialized
// state travels as bytea (4-byte aligned) between parallel workers.
#pragma once

#include "pg.hpp"

extern "C" {
#include "access/detoast.h"
}

namespace opsagg::pg {

// The whole value of `datum`, detoasted, at a MAXALIGNed address: the detoasted value
// itself when it is aligned, else a copy in the current memory context.
inline struct varlena* detoast_aligned(Datum datum) {
    struct varlena* value = PG_DETOAST_DATUM(datum);
    if (reinterpret_cast<uintptr_t>(value) % MAXIMUM_ALIGNOF == 0)
        return value;
    Size size = VARSIZE(value);
    auto* copy = static_cast<struct varlena*>(palloc(size));
    memcpy(copy, value, size);
    return copy;
}

// The first `header_size` bytes of `datum` (its 4-byte varlena header included), in a fresh
// MAXALIGNed copy, fetching or decompressing only as much of a toasted value as they need.
// The copy's VARSIZE is min(header_size, the value's size); *value_size is the size of the
// whole value (as its detoasted VARSIZE would be).
inline struct varlena* detoast_header(Datum datum, Size header_size, Size* value_size) {
    *value_size = toast_raw_datum_size(datum);
    return PG_DETOAST_DATUM_SLICE(datum, 0, static_cast<int32>(header_size - VARHDRSZ));
}

}  // namespace opsagg::pg
