// libFuzzer target: labels::canonicalize and the canonical JSON text. The fuzz bytes make an
// array of labels (unique keys, any bytes, every value kind). The result is compared with a
// brute-force model (a std::map), must be sorted, unique, all non-empty strings and
// idempotent, and its JSON text must have the announced length and decode back to it.
#include <fuzzer/FuzzedDataProvider.h>

#include <map>
#include <set>
#include <string>
#include <vector>

#include "fuzz_checks.hpp"
#include "labels.hpp"
#include "labels_model.hpp"

namespace lb = opsagg::labels;

extern "C" int LLVMFuzzerTestOneInput(const unsigned char* data, std::size_t size) {
    FuzzedDataProvider input(data, size);
    std::vector<std::string> keys, values;  // owners of the labels' bytes
    std::vector<lb::ValueKind> kinds;
    std::set<std::string> seen;
    while (input.remaining_bytes() > 0 && keys.size() < 64) {
        std::string key = input.ConsumeRandomLengthString(32);
        auto kind = static_cast<lb::ValueKind>(input.ConsumeIntegralInRange<int>(0, 5));
        std::string value;
        switch (kind) {
            case lb::ValueKind::Number: {  // decimal text as numeric prints it
                if (input.ConsumeBool())
                    value += '-';
                value += std::to_string(input.ConsumeIntegral<std::uint32_t>());
                if (input.ConsumeBool())
                    value += "." + std::string(input.ConsumeIntegralInRange<int>(0, 3), '0') +
                             std::to_string(input.ConsumeIntegral<std::uint16_t>());
                break;
            }
            case lb::ValueKind::Boolean:
                value = input.ConsumeBool() ? "true" : "false";
                break;
            default:
                value = input.ConsumeRandomLengthString(32);
        }
        if (!seen.insert(key).second)
            continue;  // canonicalize's contract: keys are unique
        keys.push_back(std::move(key));
        values.push_back(std::move(value));
        kinds.push_back(kind);
    }
    std::vector<lb::Label> labels;
    std::map<std::string, std::string> model;
    bool nested = false;
    for (std::size_t i = 0; i < keys.size(); ++i) {
        labels.push_back(lb::Label{keys[i], values[i], kinds[i]});
        switch (kinds[i]) {
            case lb::ValueKind::Null:
                break;
            case lb::ValueKind::Object:
            case lb::ValueKind::Array:
                nested = true;
                break;
            case lb::ValueKind::Number:
                model[keys[i]] = *fuzz::model_canonical_number(values[i]);
                break;
            default:
                if (!values[i].empty())
                    model[keys[i]] = values[i];
        }
    }
    std::size_t count = 0;
    try {
        count = lb::canonicalize(labels.data(), labels.size());
    } catch (const opsagg::Error& e) {
        FUZZ_CHECK(nested && e.kind() == opsagg::ErrorKind::InvalidParameter);
        return 0;
    }
    FUZZ_CHECK(!nested);
    FUZZ_CHECK(count == model.size());
    FUZZ_CHECK(!lb::needs_rewrite(labels.data(), count));
    auto it = model.begin();
    for (std::size_t i = 0; i < count; ++i, ++it) {
        FUZZ_CHECK(labels[i].kind == lb::ValueKind::String);
        FUZZ_CHECK(labels[i].key == it->first && labels[i].value == it->second);
    }
    std::vector<lb::Label> again(labels.begin(), labels.begin() + count);
    FUZZ_CHECK(lb::canonicalize(again.data(), again.size()) == count);
    for (std::size_t i = 0; i < count; ++i)
        FUZZ_CHECK(again[i].key == labels[i].key && again[i].value == labels[i].value);

    std::size_t length = lb::json_text_length(labels.data(), count);
    std::string json(length + 1, '\x7f');  // one guard byte past the announced length
    FUZZ_CHECK(lb::write_json_text(labels.data(), count, json.data()) == length);
    FUZZ_CHECK(json[length] == '\x7f');
    json.resize(length);
    std::size_t pos = 0;
    FUZZ_CHECK(json[pos++] == '{');
    for (std::size_t i = 0; i < count; ++i) {
        if (i > 0)
            FUZZ_CHECK(json[pos++] == ',');
        std::optional<std::string> key = fuzz::decode_json_string(json, pos);
        FUZZ_CHECK(key && *key == labels[i].key && json[pos++] == ':');
        std::optional<std::string> value = fuzz::decode_json_string(json, pos);
        FUZZ_CHECK(value && *value == labels[i].value);
    }
    FUZZ_CHECK(json[pos++] == '}' && pos == json.size());
    lb::xxh64(json.data(), json.size());
    return 0;
}
