#include "verifier/segment_backend.h"

namespace zkpot::verify_detail {

ChainState initial_chain_state(const TrainingStatement& statement) {
  ChainState s;
  s.weight_commitment = statement.initial_weights;
  s.next_step = statement.t0;
  return s;
}

// The training segment verifier (common/training_verifier.h) has not landed
// yet: every segment is refused, loudly, so no file can verify as valid.
size_t segment_scratch_bytes(const TrainingStatement&) { return 0; }

bool segment_verifier_available() { return false; }

SegmentVerdict verify_segment(const TrainingStatement&, const StatementDigest&, const ChainState&,
                              std::span<const uint8_t>, Arena&, ChainState*) {
  SegmentVerdict v;
  v.kind = SegmentVerdict::kInvalid;
  v.check = "segment.verifier_not_built";
  return v;
}

}  // namespace zkpot::verify_detail
