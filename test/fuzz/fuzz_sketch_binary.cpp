// libFuzzer target: latency_sketch's binary form (latency_sketch_recv). An accepted message
// passes every round trip (fuzz_checks.hpp); re-encoding it is stable.
#include "fuzz_checks.hpp"

extern "C" int LLVMFuzzerTestOneInput(const unsigned char* data, std::size_t size) {
    fuzz::SketchValue value;
    try {
        value = fuzz::sketch_from_binary(data, size);
    } catch (const opsagg::Error& e) {
        fuzz::check_refusal(e);
        return 0;
    }
    fuzz::check_sketch_round_trips(value.view());
    return 0;
}
