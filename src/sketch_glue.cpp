// SQL-callable functions of latency_sketch: Datums in, core calls, Datums out.
// Bodies hold only plain locals and PostgreSQL memory (see pg/boundary.hpp).
#include "pg/boundary.hpp"
#include "core/sketch.hpp"

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

// The sketch argument n, decoded into PostgreSQL memory.
sk::View view_arg(FunctionCallInfo fcinfo, int n) {
    auto* data = reinterpret_cast<SketchData*>(PG_DETOAST_DATUM(PG_GETARG_DATUM(n)));
    Size size = VARSIZE(data);
    if (size < kHeaderSize || data->version != sk::kFormatVersion ||
        data->bucket_count > static_cast<uint32>(sk::kMaxBuckets)) {
        ereport(ERROR, (errcode(ERRCODE_DATA_CORRUPTED),
                        errmsg("corrupt latency_sketch value (size %zu)", size)));
    }
    auto* counts = static_cast<uint64*>(palloc(Max(data->bucket_count, 1) * sizeof(uint64)));
    sk::decode_counts(reinterpret_cast<unsigned char*>(data) + kHeaderSize, size - kHeaderSize,
                      data->bucket_count, counts);
    return sk::View{summary_of(data), counts, data->bucket_count};
}

sk::Builder* state_arg(FunctionCallInfo fcinfo, int n) {
    return PG_ARGISNULL(n) ? nullptr : reinterpret_cast<sk::Builder*>(PG_GETARG_POINTER(n));
}

// Shared by latency_sketch(value) and latency_sketch(value, relative_accuracy).
Datum add_value(FunctionCallInfo fcinfo, double accuracy) {
    MemoryContext context = opsagg::pg::aggregate_context(fcinfo, "latency_sketch");
    sk::Builder* state = state_arg(fcinfo, 0);
    if (PG_ARGISNULL(1))
        return opsagg::pg::unchanged_state(fcinfo, state);
    if (state == nullptr) {
        state = opsagg::pg::new_in_context<sk::Builder>(context, accuracy);
    } else if (state->accuracy() != accuracy) {
        ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                        errmsg("latency_sketch: relative_accuracy must be the same on every row "
                               "of a group")));
    }
    state->add(PG_GETARG_FLOAT8(1));
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

OPSAGG_FUNCTION(latency_sketch_recv) {
    StringInfo buf = reinterpret_cast<StringInfo>(PG_GETARG_POINTER(0));
    constexpr int kFixedSize = 1 + 7 * 8 + 2 * 4;  // version, 7 fields, offset, bucket count
    if (buf->len - buf->cursor < kFixedSize) {
        ereport(ERROR, (errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
                        errmsg("invalid binary latency_sketch: message too short")));
    }
    int version = pq_getmsgbyte(buf);
    if (version != sk::kFormatVersion) {
        ereport(ERROR, (errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
                        errmsg("invalid binary latency_sketch: unsupported version %d", version)));
    }
    sk::Summary s;
    s.accuracy = pq_getmsgfloat8(buf);
    s.count = static_cast<uint64>(pq_getmsgint64(buf));
    s.zero_count = static_cast<uint64>(pq_getmsgint64(buf));
    s.min = pq_getmsgfloat8(buf);
    s.max = pq_getmsgfloat8(buf);
    int64 high = pq_getmsgint64(buf);
    uint64 low = static_cast<uint64>(pq_getmsgint64(buf));
    s.sum_ns = static_cast<sk::Int128>(high) * (static_cast<sk::Int128>(1) << 64) + low;
    s.offset = pq_getmsgint(buf, 4);
    int32 bucket_count = pq_getmsgint(buf, 4);
    if (bucket_count < 0 || bucket_count > sk::kMaxBuckets ||
        buf->len - buf->cursor != bucket_count * 8) {
        ereport(ERROR, (errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
                        errmsg("invalid binary latency_sketch: bucket count %d does not match the "
                               "message length",
                               bucket_count)));
    }
    auto* counts = static_cast<uint64*>(palloc(Max(bucket_count, 1) * sizeof(uint64)));
    for (int32 i = 0; i < bucket_count; ++i)
        counts[i] = static_cast<uint64>(pq_getmsgint64(buf));
    sk::View view{s, counts, static_cast<std::size_t>(bucket_count)};
    sk::validate(view);
    PG_RETURN_POINTER(value_of(view));
}

OPSAGG_FUNCTION(latency_sketch_send) {
    sk::View view = view_arg(fcinfo, 0);
    const sk::Summary& s = view.summary;
    StringInfoData buf;
    pq_begintypsend(&buf);
    pq_sendbyte(&buf, sk::kFormatVersion);
    pq_sendfloat8(&buf, s.accuracy);
    pq_sendint64(&buf, static_cast<int64>(s.count));
    pq_sendint64(&buf, static_cast<int64>(s.zero_count));
    pq_sendfloat8(&buf, s.min);
    pq_sendfloat8(&buf, s.max);
    pq_sendint64(&buf, static_cast<int64>(s.sum_ns >> 64));
    pq_sendint64(&buf, static_cast<int64>(static_cast<uint64>(s.sum_ns)));
    pq_sendint32(&buf, view.bucket_count == 0 ? 0 : s.offset);
    pq_sendint32(&buf, static_cast<int32>(view.bucket_count));
    for (std::size_t i = 0; i < view.bucket_count; ++i) {
        pq_sendint64(&buf, static_cast<int64>(view.counts[i]));
    }
    PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
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
    sk::Builder* state = state_arg(fcinfo, 0);
    if (PG_ARGISNULL(1))
        return opsagg::pg::unchanged_state(fcinfo, state);
    sk::View view = view_arg(fcinfo, 1);
    if (state == nullptr) {
        state = opsagg::pg::new_in_context<sk::Builder>(context, view.summary.accuracy);
    }
    state->merge(view);
    PG_RETURN_POINTER(state);
}

OPSAGG_FUNCTION(latency_sketch_final) {
    sk::Builder* state = state_arg(fcinfo, 0);
    if (state == nullptr || state->empty())
        PG_RETURN_NULL();
    PG_RETURN_POINTER(value_of(state->view()));
}

OPSAGG_FUNCTION(latency_sketch_combine) {
    MemoryContext context = opsagg::pg::aggregate_context(fcinfo, "latency_sketch_combine");
    sk::Builder* left = state_arg(fcinfo, 0);
    sk::Builder* right = state_arg(fcinfo, 1);
    if (right == nullptr)
        return opsagg::pg::unchanged_state(fcinfo, left);
    // Copy into the aggregate's context: the right state may live in a shorter one.
    if (left == nullptr)
        left = opsagg::pg::new_in_context<sk::Builder>(context, right->accuracy());
    left->merge(*right);
    PG_RETURN_POINTER(left);
}

// The serialized state is the stored value.
OPSAGG_FUNCTION(latency_sketch_serialize) {
    PG_RETURN_POINTER(value_of(state_arg(fcinfo, 0)->view()));
}

OPSAGG_FUNCTION(latency_sketch_deserialize) {
    opsagg::pg::aggregate_context(fcinfo, "latency_sketch_deserialize");
    sk::View view = view_arg(fcinfo, 0);
    sk::Builder* state =
        opsagg::pg::new_in_context<sk::Builder>(CurrentMemoryContext, view.summary.accuracy);
    state->merge(view);
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
    PG_RETURN_FLOAT8(static_cast<double>(view_arg(fcinfo, 0).summary.count));
}

OPSAGG_FUNCTION(latency_sketch_mean) {
    PG_RETURN_FLOAT8(sk::mean(view_arg(fcinfo, 0)));
}

OPSAGG_FUNCTION(latency_sketch_min_val) {
    PG_RETURN_FLOAT8(view_arg(fcinfo, 0).summary.min);
}

OPSAGG_FUNCTION(latency_sketch_max_val) {
    PG_RETURN_FLOAT8(view_arg(fcinfo, 0).summary.max);
}

OPSAGG_FUNCTION(latency_sketch_error) {
    PG_RETURN_FLOAT8(view_arg(fcinfo, 0).summary.accuracy);
}

OPSAGG_FUNCTION(latency_sketch_eq) {
    PG_RETURN_BOOL(sk::equal(view_arg(fcinfo, 0), view_arg(fcinfo, 1)));
}

OPSAGG_FUNCTION(latency_sketch_ne) {
    PG_RETURN_BOOL(!sk::equal(view_arg(fcinfo, 0), view_arg(fcinfo, 1)));
}
