// The fixed instance of fuzz/training_segment_fuzzer.cc: the setup, run
// digest and chain state of a real one-step proof (model 4-2-10 at the test
// parameter set, tests/verify_vectors_test.cc's recipe), read from the
// statement bytes in fuzz/training_segment_real.h. That file and the seed
// corpus fuzz/corpus/training_segment/ are written together by
// ZKPOT_WRITE_FUZZ_CORPUS=1 build/<dir>/tests/training_segment_corpus_test.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "common/hash.h"
#include "common/training_verifier.h"
#include "formats/envelope.h"
#include "formats/statement.h"
#include "formats/training_statement_setup.h"
#include "fuzz/training_segment_real.h"

namespace zkpot {

// Personalisation of the digest that names the real segment (not a protocol hash).
inline constexpr std::string_view kTrainingSegmentFuzzDigestPersonal = "zkpot/fuzz-seg";

inline Blake2b256::Digest training_segment_fuzz_digest(std::span<const uint8_t> segment) {
  return Blake2b256::digest(kTrainingSegmentFuzzDigestPersonal, segment.data(), segment.size());
}

struct TrainingSegmentFuzzInstance {
  bool ok = false;
  TrainingStatement statement;
  TrainingSetup setup;
  StatementDigest run_digest{};
  TrainingChainState chain;
  size_t scratch_bytes = 0;

  TrainingSegmentFuzzInstance() {
    const char* unsupported = "";
    if (!decode_training_statement(kTrainingSegmentFuzzStatement, &statement).is_ok()) return;
    if (!training_setup_of(statement, &setup, &unsupported)) return;
    run_digest = training_run_digest(static_cast<uint64_t>(Suite::kGoldilocksCubic7Blake2b256Whir), statement);
    chain = TrainingChainState{setup.initial_weight_commitment, statement.t0, statement.t1};
    scratch_bytes = training_segment_scratch_bytes(setup, statement.t1 - statement.t0);
    ok = scratch_bytes > 0;
  }

  // True when `segment` is the real segment the instance was cut from.
  static bool is_real_segment(std::span<const uint8_t> segment) {
    return training_segment_fuzz_digest(segment) == kTrainingSegmentFuzzRealDigest;
  }
};

}  // namespace zkpot
