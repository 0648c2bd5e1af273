// libFuzzer target: labels::canonical_number on arbitrary text. It accepts exactly plain
// decimal text, agrees with a brute-force model, returns a view into its input, and is
// idempotent; anything else is an Internal error (the glue only passes numeric's output).
#include <string_view>

#include "fuzz_checks.hpp"
#include "labels.hpp"
#include "labels_model.hpp"

extern "C" int LLVMFuzzerTestOneInput(const unsigned char* data, std::size_t size) {
    std::string_view text(reinterpret_cast<const char*>(data), size);
    std::optional<std::string> expected = fuzz::model_canonical_number(text);
    std::string_view result;
    try {
        result = opsagg::labels::canonical_number(text);
    } catch (const opsagg::Error& e) {
        FUZZ_CHECK(e.kind() == opsagg::ErrorKind::Internal);
        FUZZ_CHECK(!expected.has_value());
        return 0;
    }
    FUZZ_CHECK(expected.has_value() && result == *expected);
    FUZZ_CHECK(result.data() >= text.data() && result.data() + result.size() <= text.data() + size);
    FUZZ_CHECK(opsagg::labels::canonical_number(result) == result);
    return 0;
}
