// The verifier's link to the per-step training proof (/work/notes/contract.md):
// the chain state carried from one segment to the next, the scratch one
// segment needs, and the check of one segment's map. The maths lives in
// common/training_verifier.h (engineer "steps"); this file adapts its
// statuses to the C API's verdicts.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#include "common/arena.h"
#include "common/training_setup.h"
#include "formats/statement.h"

namespace zkpot::verify_detail {

// What flows between segments: the weight commitment reached and the next
// step to prove. Starts at (initial weights, t0); must end at (final weights, t1).
struct ChainState {
  StatementDigest weight_commitment{};
  uint64_t next_step = 0;
  // Not part of the chain: the public tables' digests, computed by the first
  // segment and reused by the next ones of the same statement.
  TrainingTableDigests table_digests;
};

struct SegmentVerdict {
  enum Kind : uint8_t { kValid, kInvalid, kMalformed, kOverLimit, kUnsupported, kScratchTooSmall } kind = kInvalid;
  const char* check = "";  // stable name of the failing check or offending field
  size_t offset = 0;       // into the segment map's bytes, when known
};

ChainState initial_chain_state(const TrainingStatement& statement);

// Null when the training proof supports this (valid) statement; else the
// field it cannot express (a loss, a normalisation, a batch that is not a
// power of two: "statement").
const char* unsupported_statement_field(const TrainingStatement& statement);

// Scratch bytes verify_segment needs for this statement.
size_t segment_scratch_bytes(const TrainingStatement& statement);

// Checks one segment map (canonical CBOR, already validated under
// kSegmentLimits) continuing the chain from `in`; on kValid, *out is the
// chain state after it. Allocates only from scratch.
SegmentVerdict verify_segment(const TrainingStatement& statement, const StatementDigest& statement_digest,
                              const ChainState& in, std::span<const uint8_t> segment_map, Arena& scratch,
                              ChainState* out);

// Whether the library was built with the training segment verifier.
bool segment_verifier_available();

}  // namespace zkpot::verify_detail
