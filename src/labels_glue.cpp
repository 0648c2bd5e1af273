// SQL-callable functions of labels_canonical: jsonb in, core calls, jsonb/text/bigint out.
// Bodies hold only plain locals and PostgreSQL memory (see pg/boundary.hpp).
#include "core/labels.hpp"
#include "pg/boundary.hpp"

extern "C" {
#include "mb/pg_wchar.h"
#include "utils/jsonb.h"
#include "utils/numeric.h"
}

namespace lb = opsagg::labels;

static_assert(lb::kMaxTextLength == MaxAllocSize - VARHDRSZ,
              "the canonical text's limit must be PostgreSQL's for a text value");

namespace {

const char* json_type_name(JsonbValue* value) {
    switch (value->type) {
        case jbvNull:
            return "null";
        case jbvString:
            return "a string";
        case jbvNumeric:
            return "a number";
        case jbvBool:
            return "a boolean";
        case jbvArray:
            return "an array";
        case jbvObject:
            return "an object";
        case jbvBinary:
            return JsonContainerIsArray(value->val.binary.data) ? "an array" : "an object";
        default:
            return "an unknown JSON value";
    }
}

[[noreturn]] void not_an_object(Jsonb* labels) {
    const char* found = "an array";
    if (JB_ROOT_IS_SCALAR(labels)) {
        JsonbValue scalar;
        JsonbExtractScalar(&labels->root, &scalar);
        found = json_type_name(&scalar);
    }
    ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                    errmsg("labels must be a JSON object, not %s", found)));
    pg_unreachable();
}

lb::Label label_of(const JsonbValue& key, JsonbValue* value) {
    lb::Label label;
    label.key = std::string_view(key.val.string.val, key.val.string.len);
    switch (value->type) {
        case jbvString:
            label.kind = lb::ValueKind::String;
            label.value = std::string_view(value->val.string.val, value->val.string.len);
            break;
        case jbvNumeric:
            label.kind = lb::ValueKind::Number;
            label.value = DatumGetCString(
                DirectFunctionCall1(numeric_out, NumericGetDatum(value->val.numeric)));
            break;
        case jbvBool:
            label.kind = lb::ValueKind::Boolean;
            label.value = value->val.boolean ? "true" : "false";
            break;
        case jbvBinary:
            label.kind = JsonContainerIsArray(value->val.binary.data) ? lb::ValueKind::Array
                                                                      : lb::ValueKind::Object;
            break;
        default:
            label.kind = lb::ValueKind::Null;
            break;
    }
    return label;
}

// The labels of a JSON object, in a palloc'd array; *count is set.
lb::Label* collect_labels(Jsonb* labels, std::size_t* count) {
    if (!JB_ROOT_IS_OBJECT(labels))
        not_an_object(labels);
    auto* result =
        static_cast<lb::Label*>(palloc(Max(JB_ROOT_COUNT(labels), 1) * sizeof(lb::Label)));
    std::size_t n = 0;
    JsonbIterator* it = JsonbIteratorInit(&labels->root);
    JsonbValue key;
    JsonbValue value;
    JsonbIteratorToken token;
    while ((token = JsonbIteratorNext(&it, &key, true)) != WJB_DONE) {
        CHECK_FOR_INTERRUPTS();
        if (token != WJB_KEY)
            continue;
        token = JsonbIteratorNext(&it, &value, true);
        Assert(token == WJB_VALUE);
        result[n++] = label_of(key, &value);
    }
    *count = n;
    return result;
}

// The labels in UTF-8, in place: the canonical order, text and fingerprint are defined
// over UTF-8, whatever the database encoding. Nothing to do in a UTF8 database. In
// SQL_ASCII the bytes are taken as UTF-8 and refused (22021) if they are not.
void labels_to_utf8(lb::Label* labels, std::size_t count) {
    if (GetDatabaseEncoding() == PG_UTF8)
        return;
    auto to_utf8 = [](std::string_view s) {
        const char* utf8 = pg_server_to_any(s.data(), static_cast<int>(s.size()), PG_UTF8);
        return utf8 == s.data() ? s : std::string_view(utf8);  // no NUL in jsonb strings
    };
    for (std::size_t i = 0; i < count; ++i) {
        labels[i].key = to_utf8(labels[i].key);
        if (labels[i].kind == lb::ValueKind::String)  // numbers and booleans are ASCII
            labels[i].value = to_utf8(labels[i].value);
    }
}

// UTF-8 text in the database encoding: `utf8` itself in a UTF8 database, else a
// palloc'd, NUL-terminated conversion.
std::string_view utf8_to_server(std::string_view utf8) {
    if (GetDatabaseEncoding() == PG_UTF8)
        return utf8;
    const char* text = pg_any_to_server(utf8.data(), static_cast<int>(utf8.size()), PG_UTF8);
    return text == utf8.data() ? utf8 : std::string_view(text);
}

JsonbValue server_string(std::string_view utf8) {
    std::string_view text = utf8_to_server(utf8);
    JsonbValue value;
    value.type = jbvString;
    value.val.string.val = const_cast<char*>(text.data());
    value.val.string.len = static_cast<int>(text.size());
    return value;
}

// Canonical labels of the jsonb argument, in UTF-8.
lb::Label* canonical_labels(FunctionCallInfo fcinfo, std::size_t* count) {
    lb::Label* labels = collect_labels(PG_GETARG_JSONB_P(0), count);
    labels_to_utf8(labels, *count);
    *count = lb::canonicalize(labels, *count);
    return labels;
}

// The canonical text in UTF-8 in a palloc'd buffer, NUL-terminated; *length is set.
// Its size is checked before it is allocated (54000 above PostgreSQL's 1 GB limit).
char* canonical_text_utf8(FunctionCallInfo fcinfo, std::size_t* length) {
    std::size_t count = 0;
    lb::Label* labels = canonical_labels(fcinfo, &count);
    auto* text = static_cast<char*>(palloc(lb::checked_json_text_length(labels, count) + 1));
    *length = lb::write_json_text(labels, count, text);
    text[*length] = '\0';
    return text;
}

}  // namespace

OPSAGG_FUNCTION(labels_canonical) {
    Jsonb* input = PG_GETARG_JSONB_P(0);
    std::size_t count = 0;
    lb::Label* labels = collect_labels(input, &count);
    if (!lb::needs_rewrite(labels, count))
        PG_RETURN_JSONB_P(input);
    labels_to_utf8(labels, count);  // core messages and order are UTF-8
    count = lb::canonicalize(labels, count);

    JsonbParseState* state = nullptr;
    pushJsonbValue(&state, WJB_BEGIN_OBJECT, nullptr);
    for (std::size_t i = 0; i < count; ++i) {
        CHECK_FOR_INTERRUPTS();
        JsonbValue key = server_string(labels[i].key);
        pushJsonbValue(&state, WJB_KEY, &key);
        JsonbValue value = server_string(labels[i].value);
        pushJsonbValue(&state, WJB_VALUE, &value);
    }
    PG_RETURN_JSONB_P(JsonbValueToJsonb(pushJsonbValue(&state, WJB_END_OBJECT, nullptr)));
}

OPSAGG_FUNCTION(labels_canonical_text) {
    std::size_t length = 0;
    char* utf8 = canonical_text_utf8(fcinfo, &length);
    std::string_view text = utf8_to_server(std::string_view(utf8, length));
    PG_RETURN_TEXT_P(cstring_to_text_with_len(text.data(), static_cast<int>(text.size())));
}

OPSAGG_FUNCTION(labels_fingerprint) {
    std::size_t length = 0;
    char* text = canonical_text_utf8(fcinfo, &length);
    PG_RETURN_INT64(static_cast<int64>(lb::xxh64(text, length)));
}
