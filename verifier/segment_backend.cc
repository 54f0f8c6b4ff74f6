#include "verifier/segment_backend.h"

#include "common/training_verifier.h"
#include "formats/training_statement_setup.h"

namespace zkpot::verify_detail {

namespace {

// The statement as the segment verifier's setup (formats/training_statement_setup.h).
bool setup_of(const TrainingStatement& s, TrainingSetup* out, const char** unsupported) {
  return training_setup_of(s, out, unsupported);
}

}  // namespace

ChainState initial_chain_state(const TrainingStatement& statement) {
  ChainState s;
  s.weight_commitment = statement.initial_weights;
  s.next_step = statement.t0;
  return s;
}

size_t segment_scratch_bytes(const TrainingStatement& statement) {
  TrainingSetup setup;
  const char* unsupported = "";
  if (!setup_of(statement, &setup, &unsupported)) return 0;
  // No segment covers more steps than the statement (verify_segment enforces it).
  const uint64_t steps = statement.t1 > statement.t0 ? statement.t1 - statement.t0 : 1;
  return training_segment_scratch_bytes(setup, steps);
}

bool segment_verifier_available() { return true; }

const char* unsupported_statement_field(const TrainingStatement& statement) {
  TrainingSetup setup;
  const char* unsupported = "";
  return setup_of(statement, &setup, &unsupported) ? nullptr : unsupported;
}

SegmentVerdict verify_segment(const TrainingStatement& statement, const StatementDigest& statement_digest,
                              const ChainState& in, std::span<const uint8_t> segment_map, Arena& scratch,
                              ChainState* out) {
  SegmentVerdict v;
  TrainingSetup setup;
  const char* unsupported = "";
  if (!setup_of(statement, &setup, &unsupported)) {
    v.kind = SegmentVerdict::kUnsupported;
    v.check = unsupported;
    return v;
  }
  TrainingChainState chain_in;
  chain_in.weight_commitment = in.weight_commitment;
  chain_in.next_step = in.next_step;
  chain_in.end_step = statement.t1;
  TrainingChainState chain_out;
  TrainingFailure failure;
  TrainingTableDigests table_digests = in.table_digests;
  const TrainingStatus s = verify_training_segment(setup, statement_digest, chain_in, segment_map, scratch,
                                                   &chain_out, &failure, &table_digests);
  const char* name = failure.check != nullptr && failure.check[0] != '\0' ? failure.check : training_status_name(s);
  switch (s) {
    case TrainingStatus::kOk:
      out->weight_commitment = chain_out.weight_commitment;
      out->next_step = chain_out.next_step;
      out->table_digests = table_digests;
      v.kind = SegmentVerdict::kValid;
      v.check = "";
      return v;
    case TrainingStatus::kBadSetup:
      v.kind = SegmentVerdict::kUnsupported;
      v.check = "statement";
      return v;
    case TrainingStatus::kScratchTooSmall:
      v.kind = SegmentVerdict::kScratchTooSmall;
      v.check = "scratch";
      return v;
    case TrainingStatus::kMalformedSegment:
    case TrainingStatus::kProofTooShort:
    case TrainingStatus::kTrailingProofData:
      v.kind = SegmentVerdict::kMalformed;
      v.check = name;
      return v;
    default:
      v.kind = SegmentVerdict::kInvalid;
      v.check = name;
      return v;
  }
}

}  // namespace zkpot::verify_detail
