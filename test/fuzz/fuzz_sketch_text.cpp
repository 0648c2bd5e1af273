// libFuzzer target: latency_sketch's text form (latency_sketch_in). An accepted text must be
// a valid sketch whose round trips, rollup and quantiles hold (fuzz_checks.hpp).
#include <string>

#include "fuzz_checks.hpp"

extern "C" int LLVMFuzzerTestOneInput(const unsigned char* data, std::size_t size) {
    std::string text(reinterpret_cast<const char*>(data), size);  // a cstring ends at a NUL
    text.resize(std::strlen(text.c_str()));
    fuzz::SketchValue value;
    try {
        value = fuzz::sketch_from_text(text);
    } catch (const opsagg::Error& e) {
        fuzz::check_refusal(e);
        return 0;
    }
    fuzz::check_sketch_round_trips(value.view());
    return 0;
}
