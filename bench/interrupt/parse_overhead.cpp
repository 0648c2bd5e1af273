// Cost of the interrupt polls: parse_text and format_text of a 2-million-range
// heartbeat_agg text with no poll function and with one that never cancels (a load of a
// flag, as in the server). Timings on a shared machine are noisy; `valgrind --tool=
// callgrind` with small arguments (e.g. 200000 1) counts instructions instead. Build and run (after
// a CMake build in build/):
//   g++ -std=c++17 -O2 -Isrc/core bench/interrupt/parse_overhead.cpp build/libopsagg_core.a \
//       -o /tmp/parse_overhead && /tmp/parse_overhead
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include "heartbeat.hpp"
#include "interrupt.hpp"

namespace hb = opsagg::heartbeat;

namespace {

volatile int cancel_flag = 0;
bool flag_poll() noexcept {
    return cancel_flag != 0;
}

template <typename Work>
double best_of(int runs, const Work& work) {
    double best = 1e30;
    for (int i = 0; i < runs; ++i) {
        auto start = std::chrono::steady_clock::now();
        work();
        std::chrono::duration<double, std::milli> took = std::chrono::steady_clock::now() - start;
        best = std::min(best, took.count());
    }
    return best;
}

}  // namespace

int main(int argc, char** argv) {
    // Optional arguments: number of ranges, runs per measurement (for valgrind: small ones).
    const std::size_t kRanges = argc > 1 ? std::stoul(argv[1]) : 2000000;
    const int runs = argc > 2 ? std::stoi(argv[2]) : 7;
    constexpr hb::Instant kSecond = 1000000;
    const hb::Instant start = 694224000000000;
    std::vector<hb::Range> ranges;
    for (std::size_t i = 0; i < kRanges; ++i) {
        hb::Instant s = start + 3 * kSecond * static_cast<hb::Instant>(i);
        ranges.push_back({s, s + kSecond});
    }
    hb::View view{hb::Header{start, start + 3 * kSecond * static_cast<hb::Instant>(kRanges),
                             ranges.back().start, kSecond},
                  ranges.data(), ranges.size()};
    std::string text(hb::text_capacity(view), '\0');
    text.resize(hb::format_text(view, text.data()));
    std::vector<hb::Range> parsed(kRanges);

    auto parse = [&] {
        hb::scan_text(text.c_str());
        hb::parse_text(text.c_str(), parsed.data());
    };
    std::string out(hb::text_capacity(view), '\0');
    auto format = [&] { hb::format_text(view, out.data()); };
    for (int round = 0; round < 2; ++round) {
        opsagg::set_interrupt_poll(nullptr);
        double parse_off = best_of(runs, parse);
        double format_off = best_of(runs, format);
        opsagg::set_interrupt_poll(&flag_poll);
        double parse_on = best_of(runs, parse);
        double format_on = best_of(runs, format);
        std::printf("parse  %zu ranges: no hook %.1f ms, hook %.1f ms, ratio %.3f\n", kRanges,
                    parse_off, parse_on, parse_on / parse_off);
        std::printf("format %zu ranges: no hook %.1f ms, hook %.1f ms, ratio %.3f\n", kRanges,
                    format_off, format_on, format_on / format_off);
    }
}
