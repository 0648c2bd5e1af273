// libFuzzer target: heartbeat_agg's text form (heartbeat_agg_in). An accepted text must be
// a valid value whose text and binary round trips and transforms hold (fuzz_checks.hpp).
#include <string>

#include "fuzz_checks.hpp"

extern "C" int LLVMFuzzerTestOneInput(const unsigned char* data, std::size_t size) {
    std::string text(reinterpret_cast<const char*>(data), size);  // a cstring ends at a NUL
    text.resize(std::strlen(text.c_str()));
    fuzz::HeartbeatValue value;
    try {
        value = fuzz::heartbeat_from_text(text);
    } catch (const opsagg::Error& e) {
        fuzz::check_refusal(e);
        return 0;
    }
    fuzz::check_heartbeat_round_trips(value.view());
    return 0;
}
