// libFuzzer target: the stored sketch's bucket counts (LEB128 varints, sketch::decode_counts).
// Input: two bytes of bucket count (little-endian, at most 8191), then the encoded counts.
// The encoding is canonical: accepted bytes re-encode to exactly themselves.
#include "fuzz_checks.hpp"

extern "C" int LLVMFuzzerTestOneInput(const unsigned char* data, std::size_t size) {
    if (size < 2)
        return 0;
    std::size_t bucket_count = (data[0] | (data[1] << 8)) & 0x1fff;
    const unsigned char* encoded = data + 2;
    std::size_t encoded_size = size - 2;
    std::vector<std::uint64_t> counts(bucket_count);
    try {
        fuzz::sk::decode_counts(encoded, encoded_size, bucket_count, counts.data());
    } catch (const opsagg::Error& e) {
        fuzz::check_refusal(e);
        return 0;
    }
    fuzz::sk::View view{fuzz::sk::Summary{}, counts.data(), counts.size()};
    FUZZ_CHECK(fuzz::sk::encoded_counts_size(view) == encoded_size);
    std::vector<unsigned char> again(encoded_size);
    fuzz::sk::encode_counts(view, again.data());
    FUZZ_CHECK(again == std::vector<unsigned char>(encoded, encoded + encoded_size));
    return 0;
}
