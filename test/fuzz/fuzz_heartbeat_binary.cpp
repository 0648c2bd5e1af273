// libFuzzer target: heartbeat_agg's binary form (heartbeat_agg_recv). An accepted message
// re-encodes to the same bytes, and its value passes every round trip (fuzz_checks.hpp).
#include "fuzz_checks.hpp"

extern "C" int LLVMFuzzerTestOneInput(const unsigned char* data, std::size_t size) {
    fuzz::HeartbeatValue value;
    try {
        value = fuzz::heartbeat_from_binary(data, size);
    } catch (const opsagg::Error& e) {
        fuzz::check_refusal(e);
        return 0;
    }
    FUZZ_CHECK(fuzz::heartbeat_binary(value.view()) ==
               std::vector<unsigned char>(data, data + size));
    fuzz::check_heartbeat_round_trips(value.view());
    return 0;
}
