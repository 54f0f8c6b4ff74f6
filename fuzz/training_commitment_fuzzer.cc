// Fuzzes the training commitment decoder (common/training_segment.h
// decode_training_commitment), the sub-structure every segment starts with
// (docs/FORMAT.md "Training segment"). Oracles: no crash or out-of-bounds read
// (ASan); whatever decodes is exactly as long as its counts say and
// re-encodes to exactly the input bytes (one encoding per commitment).
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <span>
#include <vector>

#include "common/training_segment.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::span<const uint8_t> in(data, size);
  zkpot::PcsCommitment<zkpot::GlExt3> c;
  if (!zkpot::decode_training_commitment(in, &c)) return 0;
  const size_t n = zkpot::training_commitment_bytes(c.num_slots, c.main_ood, c.helper_ood);
  if (n != size) {
    std::fprintf(stderr, "training_commitment_fuzzer: decoded %zu bytes, counts say %zu\n", size, n);
    std::abort();
  }
  std::vector<uint8_t> again(n);
  zkpot::encode_training_commitment(c, again);
  if (std::memcmp(again.data(), data, n) != 0) {
    std::fprintf(stderr, "training_commitment_fuzzer: re-encoding differs from the input\n");
    std::abort();
  }
  return 0;
}
