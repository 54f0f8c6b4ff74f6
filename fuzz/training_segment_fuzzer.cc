// Fuzzes one training segment body through verify_training_segment
// (common/training_verifier.h, docs/PROTOCOL.md §12.5) under the fixed setup
// and chain state of a real proof (fuzz/training_segment_instance.h), in an
// arena of exactly training_segment_scratch_bytes. Oracles: no crash, no
// out-of-bounds read (ASan), and no input but the real segment verifies.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <span>
#include <vector>

#include "common/arena.h"
#include "common/training_verifier.h"
#include "fuzz/training_segment_instance.h"

namespace {

[[noreturn]] void die(const char* what) {
  std::fprintf(stderr, "training_segment_fuzzer: %s\n", what);
  std::abort();
}

struct Harness {
  zkpot::TrainingSegmentFuzzInstance inst;
  std::vector<unsigned char> scratch;
  Harness() {
    if (!inst.ok) die("the fixed instance does not decode (regenerate fuzz/training_segment_real.h)");
    scratch.resize(inst.scratch_bytes);
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static Harness* h = new Harness();
  const std::span<const uint8_t> segment(data, size);
  zkpot::Arena arena(h->scratch.data(), h->scratch.size());
  zkpot::TrainingChainState next;
  zkpot::TrainingFailure failure;
  const zkpot::TrainingStatus s =
      zkpot::verify_training_segment(h->inst.setup, h->inst.run_digest, h->inst.chain, segment, arena, &next, &failure);
  if (s == zkpot::TrainingStatus::kOk) {
    if (!zkpot::TrainingSegmentFuzzInstance::is_real_segment(segment)) die("an input other than the real segment verified");
    if (next.next_step != h->inst.statement.t1 || next.weight_commitment != h->inst.statement.final_weights)
      die("the real segment verified to another chain state");
  }
  return 0;
}
