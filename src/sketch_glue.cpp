// SQL-callable functions of latency_sketch: Datums in, core calls, Datums out.
// Bodies hold only plain locals and PostgreSQL memory (see pg/boundary.hpp).
#include "pg/boundary.hpp"
#include "pg/varlena.hpp"
#include "core/sketch.hpp"
#include "pg/stored_order.hpp"

extern "C" {
#include "catalog/pg_type.h"
#include "utils/array.h"
#include "utils/lsyscache.h"
}

namespace sk = opsagg::sketch;

namespace {

// Stored value: 8-byte aligned varlena, version byte, zeroed reserved bytes, the summary,
// then the bucket counts as LEB128 varints.
struct SketchData {
    int32 vl_len_;
    uint8 version;
    uint8 reserved[3];
    int32 offset;
    uint32 bucket_count;
    float8 accuracy;
    uint64 count;
    uint64 zero_count;
    float8 min;
    float8 max;
    int64 sum_high;
    uint64 sum_low;
    // followed by the varint counts
};

constexpr Size kHeaderSize = sizeof(SketchData);
static_assert(kHeaderSize == 72, "stored sketch header layout");

sk::Summary summary_of(const SketchData* data) {
    sk::Summary s;
    s.accuracy = data->accuracy;
    s.count = data->count;
    s.zero_count = data->zero_count;
    s.min = data->min;
    s.max = data->max;
    s.sum_ns = static_cast<sk::Int128>(data->sum_high) * (static_cast<sk::Int128>(1) << 64) +
               data->sum_low;
    s.offset = data->offset;
    return s;
}

SketchData* value_of(const sk::View& view) {
    Size encoded = sk::encoded_counts_size(view);
    Size size = kHeaderSize + encoded;
    auto* data = static_cast<SketchData*>(palloc0(size));
    SET_VARSIZE(data, size);
    const sk::Summary& s = view.summary;
    data->version = sk::kFormatVersion;
    data->offset = view.bucket_count == 0 ? 0 : s.offset;
    data->bucket_count = static_cast<uint32>(view.bucket_count);
    data->accuracy = s.accuracy;
    data->count = s.count;
    data->zero_count = s.zero_count;
    data->min = s.min;
    data->max = s.max;
    data->sum_high = static_cast<int64>(s.sum_ns >> 64);
    data->sum_low = static_cast<uint64>(s.sum_ns);
    sk::encode_counts(view, reinterpret_cast<unsigned char*>(data) + kHeaderSize);
    return data;
}

// The checks a stored value's header must pass before it is read (`size` is the whole
// value's): the full validation ran when the value was made.
void check_header(const SketchData* data, Size size) {
    if (size < kHeaderSize || VARSIZE(data) < kHeaderSize || data->version != sk::kFormatVersion ||
        !(data->accuracy >= sk::kMinAccuracy && data->accuracy <= sk::kMaxAccuracy) ||
        data->bucket_count > static_cast<uint32>(sk::max_buckets(data->accuracy))) {
        ereport(ERROR, (errcode(ERRCODE_DATA_CORRUPTED),
                        errmsg("corrupt latency_sketch value (size %zu)", size)));
    }
}

// The header of the sketch argument n, read without detoasting the bucket counts.
sk::Summary summary_arg(FunctionCallInfo fcinfo, int n) {
    Size size;
    auto* data = reinterpret_cast<SketchData*>(
        opsagg::pg::detoast_header(PG_GETARG_DATUM(n), kHeaderSize, &size));
    check_header(data, size);
    return summary_of(data);
}

// The sketch argument n, detoasted (aligned), its header checked (XX001 when inconsistent).
SketchData* stored_arg(FunctionCallInfo fcinfo, int n) {
    auto* data = reinterpret_cast<SketchData*>(opsagg::pg::detoast_aligned(PG_GETARG_DATUM(n)));
    check_header(data, VARSIZE(data));
    return data;
}

// The stored bucket counts of data, decoded into PostgreSQL memory (XX001 when malformed).
uint64* decode_stored_counts(const SketchData* data) {
    auto* counts = static_cast<uint64*>(palloc(Max(data->bucket_count, 1) * sizeof(uint64)));
    opsagg::pg::CaughtError error;
    bool decoded = opsagg::pg::run_guarded(
        [&] {
            sk::decode_counts(reinterpret_cast<const unsigned char*>(data) + kHeaderSize,
                              VARSIZE(data) - kHeaderSize, data->bucket_count, counts);
        },
        &error);
    if (!decoded) {
        ereport(ERROR, (errcode(ERRCODE_DATA_CORRUPTED),
                        errmsg("corrupt latency_sketch value: %s", error.message)));
    }
    return counts;
}

// The sketch argument n, decoded into PostgreSQL memory.
sk::View view_arg(FunctionCallInfo fcinfo, int n) {
    SketchData* data = stored_arg(fcinfo, n);
    return sk::View{summary_of(data), decode_stored_counts(data), data->bucket_count};
}

// Lives in the aggregate's memory context with its builder's counts (construct_in_context);
// the context frees it.
struct SketchState {
    SketchState(MemoryContext context, double accuracy)
        : resource(context), builder(accuracy, &resource) {}

    opsagg::pg::ContextResource resource;
    sk::Builder builder;
};

SketchState* state_arg(FunctionCallInfo fcinfo, int n) {
    return PG_ARGISNULL(n) ? nullptr : reinterpret_cast<SketchState*>(PG_GETARG_POINTER(n));
}

SketchState* new_state(MemoryContext context, double accuracy) {
    return opsagg::pg::construct_in_context<SketchState>(context, accuracy);
}

// Shared by latency_sketch(value) and latency_sketch(value, relative_accuracy).
Datum add_value(FunctionCallInfo fcinfo, double accuracy) {
    MemoryContext context = opsagg::pg::aggregate_context(fcinfo, "latency_sketch");
    SketchState* state = state_arg(fcinfo, 0);
    if (PG_ARGISNULL(1))
        return opsagg::pg::unchanged_state(fcinfo, state);
    if (state == nullptr) {
        state = new_state(context, accuracy);
    } else if (state->builder.accuracy() != accuracy) {
        ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                        errmsg("latency_sketch: relative_accuracy must be the same on every row "
                               "of a group")));
    }
    state->builder.add(PG_GETARG_FLOAT8(1));
    PG_RETURN_POINTER(state);
}

}  // namespace

// ---- type I/O ----------------------------------------------------------------

OPSAGG_FUNCTION(latency_sketch_in) {
    const char* text = PG_GETARG_CSTRING(0);
    sk::ParsedText parsed = sk::scan_text(text);
    auto* counts = static_cast<uint64*>(palloc(Max(parsed.bucket_count, 1) * sizeof(uint64)));
    parsed = sk::parse_text(text, counts);
    PG_RETURN_POINTER(value_of(sk::View{parsed.summary, counts, parsed.bucket_count}));
}

OPSAGG_FUNCTION(latency_sketch_out) {
    sk::View view = view_arg(fcinfo, 0);
    auto* text = static_cast<char*>(palloc(sk::text_capacity(view)));
    sk::format_text(view, text);
    PG_RETURN_CSTRING(text);
}

// The binary form is decoded and encoded by the core (sk::scan_binary / parse_binary /
// format_binary), which the fuzzers exercise without a server.
OPSAGG_FUNCTION(latency_sketch_recv) {
    StringInfo buf = reinterpret_cast<StringInfo>(PG_GETARG_POINTER(0));
    const auto* data = reinterpret_cast<const unsigned char*>(buf->data + buf->cursor);
    std::size_t size = static_cast<std::size_t>(buf->len - buf->cursor);
    sk::ParsedText parsed = sk::scan_binary(data, size);
    auto* counts = static_cast<uint64*>(palloc(Max(parsed.bucket_count, 1) * sizeof(uint64)));
    parsed = sk::parse_binary(data, size, counts);
    buf->cursor = buf->len;
    PG_RETURN_POINTER(value_of(sk::View{parsed.summary, counts, parsed.bucket_count}));
}

OPSAGG_FUNCTION(latency_sketch_send) {
    sk::View view = view_arg(fcinfo, 0);
    std::size_t size = sk::binary_size(view);
    auto* result = static_cast<bytea*>(palloc(VARHDRSZ + size));
    SET_VARSIZE(result, VARHDRSZ + size);
    sk::format_binary(view, reinterpret_cast<unsigned char*>(VARDATA(result)));
    PG_RETURN_BYTEA_P(result);
}

// ---- aggregates --------------------------------------------------------------

OPSAGG_FUNCTION(latency_sketch_trans) {
    return add_value(fcinfo, sk::kDefaultAccuracy);
}

OPSAGG_FUNCTION(latency_sketch_trans_accuracy) {
    if (!PG_ARGISNULL(1) && PG_ARGISNULL(2)) {
        ereport(ERROR, (errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
                        errmsg("latency_sketch: relative_accuracy must not be NULL")));
    }
    return add_value(fcinfo, PG_ARGISNULL(2) ? sk::kDefaultAccuracy : PG_GETARG_FLOAT8(2));
}

OPSAGG_FUNCTION(latency_sketch_rollup_trans) {
    MemoryContext context = opsagg::pg::aggregate_context(fcinfo, "rollup(latency_sketch)");
    SketchState* state = state_arg(fcinfo, 0);
    if (PG_ARGISNULL(1))
        return opsagg::pg::unchanged_state(fcinfo, state);
    sk::View view = view_arg(fcinfo, 1);
    if (state == nullptr) {
        state = new_state(context, view.summary.accuracy);
    }
    state->builder.merge(view);
    PG_RETURN_POINTER(state);
}

OPSAGG_FUNCTION(latency_sketch_final) {
    SketchState* state = state_arg(fcinfo, 0);
    if (state == nullptr || state->builder.empty())
        PG_RETURN_NULL();
    PG_RETURN_POINTER(value_of(state->builder.view()));
}

OPSAGG_FUNCTION(latency_sketch_combine) {
    MemoryContext context = opsagg::pg::aggregate_context(fcinfo, "latency_sketch_combine");
    SketchState* left = state_arg(fcinfo, 0);
    SketchState* right = state_arg(fcinfo, 1);
    if (right == nullptr)
        return opsagg::pg::unchanged_state(fcinfo, left);
    // Copy into the aggregate's context: the right state may live in a shorter one.
    if (left == nullptr)
        left = new_state(context, right->builder.accuracy());
    left->builder.merge(right->builder);
    PG_RETURN_POINTER(left);
}

// The serialized state is the stored value.
OPSAGG_FUNCTION(latency_sketch_serialize) {
    PG_RETURN_POINTER(value_of(state_arg(fcinfo, 0)->builder.view()));
}

OPSAGG_FUNCTION(latency_sketch_deserialize) {
    opsagg::pg::aggregate_context(fcinfo, "latency_sketch_deserialize");
    sk::View view = view_arg(fcinfo, 0);
    SketchState* state = new_state(CurrentMemoryContext, view.summary.accuracy);
    state->builder.merge(view);
    PG_RETURN_POINTER(state);
}

// ---- accessors ---------------------------------------------------------------

OPSAGG_FUNCTION(latency_sketch_approx_percentile) {
    double q = PG_GETARG_FLOAT8(0);
    sk::check_quantile(q);
    PG_RETURN_FLOAT8(sk::quantile(view_arg(fcinfo, 1), q));
}

OPSAGG_FUNCTION(latency_sketch_approx_percentile_array) {
    ArrayType* qs = PG_GETARG_ARRAYTYPE_P(0);
    sk::View view = view_arg(fcinfo, 1);
    if (ARR_NDIM(qs) > 1) {
        ereport(ERROR,
                (errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
                 errmsg("approx_percentile_array: percentiles must be a one-dimensional array")));
    }
    Datum* elements;
    bool* nulls;
    int n;
    deconstruct_array(qs, FLOAT8OID, sizeof(float8), FLOAT8PASSBYVAL, TYPALIGN_DOUBLE, &elements,
                      &nulls, &n);
    for (int i = 0; i < n; ++i) {
        CHECK_FOR_INTERRUPTS();
        if (nulls[i])
            continue;
        double q = DatumGetFloat8(elements[i]);
        sk::check_quantile(q);
        elements[i] = Float8GetDatum(sk::quantile(view, q));
    }
    int dims[1] = {n};
    int lbs[1] = {n > 0 ? ARR_LBOUND(qs)[0] : 1};
    PG_RETURN_ARRAYTYPE_P(construct_md_array(elements, nulls, n > 0 ? 1 : 0, dims, lbs, FLOAT8OID,
                                             sizeof(float8), FLOAT8PASSBYVAL, TYPALIGN_DOUBLE));
}

OPSAGG_FUNCTION(latency_sketch_num_vals) {
    PG_RETURN_FLOAT8(static_cast<double>(summary_arg(fcinfo, 0).count));
}

OPSAGG_FUNCTION(latency_sketch_mean) {
    PG_RETURN_FLOAT8(sk::mean(sk::View{summary_arg(fcinfo, 0), nullptr, 0}));  // header only
}

OPSAGG_FUNCTION(latency_sketch_min_val) {
    PG_RETURN_FLOAT8(summary_arg(fcinfo, 0).min);
}

OPSAGG_FUNCTION(latency_sketch_max_val) {
    PG_RETURN_FLOAT8(summary_arg(fcinfo, 0).max);
}

OPSAGG_FUNCTION(latency_sketch_error) {
    PG_RETURN_FLOAT8(summary_arg(fcinfo, 0).accuracy);
}

OPSAGG_FUNCTION(latency_sketch_eq) {
    PG_RETURN_BOOL(sk::equal(view_arg(fcinfo, 0), view_arg(fcinfo, 1)));
}

OPSAGG_FUNCTION(latency_sketch_ne) {
    PG_RETURN_BOOL(!sk::equal(view_arg(fcinfo, 0), view_arg(fcinfo, 1)));
}

// ---- operator classes --------------------------------------------------------

namespace {

// Sketches are stored canonically (see pg/stored_order.hpp): -0 is added as 0, the offset
// of a sketch without buckets is stored as 0, counts are minimal varints, and the header
// has no padding. So equal sketches have equal stored bytes.
// The counts are decoded only to check them (XX001 when malformed).
const varlena* sketch_stored_arg(FunctionCallInfo fcinfo, int n) {
    SketchData* data = stored_arg(fcinfo, n);
    pfree(decode_stored_counts(data));
    return reinterpret_cast<const varlena*>(data);
}

}  // namespace

OPSAGG_STORED_ORDER_FUNCTIONS(latency_sketch, sketch_stored_arg)
