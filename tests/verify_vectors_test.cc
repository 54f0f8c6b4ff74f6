// Known-answer vectors (tests/vectors/, listed in tests/vectors/EXPECTED and
// docs/FORMAT.md §8): proof files with the status and field (or check) any
// implementation must report. Each file is rebuilt here from its recipe and
// must match byte for byte; ZKPOT_WRITE_VECTORS=1 rewrites them. The real_*
// files are real training proofs made through the prover API from a fixed
// seed (tests/verify_real_proofs.h): a change to the proof protocol changes
// their bytes, and ZKPOT_WRITE_VECTORS=1 regenerates them too.
#include <gtest/gtest.h>
#include <zkpot/verify.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "verify_real_proofs.h"
#include "verify_test_files.h"

namespace zkpot {
namespace {

namespace fs = std::filesystem;
using testing::Bytes;
using testing::replace_bytes;
using testing::with_segments_header;

struct Vector {
  std::string file;
  Bytes bytes;
  std::string status;
  std::string where;  // field, or check for "invalid"
};

// Real proofs: the smallest network the caps allow at the test parameter
// set, 4-2-10 (2x2-pixel images, ten classes), batch 2, 8 rows, two steps
// proven in two one-step segments. The run digest leaves out t1 and the
// final weights (docs/PROTOCOL.md §12.1), so the first segment alone proves
// the one-step statement: most vectors use it, to keep the files small.
std::vector<Vector> real_recipes() {
  testing::RealProofSpec spec;
  spec.model = "4-2-10";
  spec.batch = 2;
  spec.rows = 8;
  spec.steps = 2;
  spec.segment_steps = 1;
  spec.seed = 5;
  static const testing::RealProof p = testing::make_real_proof(spec);
  const TrainingStatement one_step = training_statement_of(p.setup, p.weights_after[0], 0, 1);
  std::vector<Vector> v;
  v.push_back({"real_valid.zkp", testing::real_proof_file(one_step, {p.segments[0]}), "valid", "-"});
  auto seg = p.segments[0];
  const size_t at = testing::first_opening_digests_offset(seg);
  if (at < seg.size()) seg[at] ^= 0x01;
  v.push_back({"real_opening_byte_flipped.zkp", testing::real_proof_file(one_step, {seg}), "invalid", "opening.step"});
  TrainingStatement wrong = one_step;
  wrong.final_weights[0] ^= 0x01;
  v.push_back({"real_wrong_final_weights.zkp", testing::real_proof_file(wrong, {p.segments[0]}), "invalid",
               "chain.final_weights"});
  v.push_back({"real_segment_dropped.zkp", testing::real_proof_file(p.statement, {p.segments[0]}), "invalid",
               "chain.step_range"});
  v.push_back({"real_segments_swapped.zkp", testing::real_proof_file(p.statement, {p.segments[1], p.segments[0]}),
               "invalid", "segment.begin"});
  return v;
}

std::vector<Vector> recipes() {
  const Bytes empty_run = testing::envelope(testing::statement_bytes(), {});
  std::vector<Vector> v;
  v.push_back({"no_segments.zkp", empty_run, "invalid", "chain.step_range"});
  Bytes b = empty_run;
  b[2] = 2;
  v.push_back({"version_2.zkp", b, "unsupported", "envelope.version"});
  b = empty_run;
  b[4] = 9;
  v.push_back({"suite_9.zkp", b, "unsupported", "envelope.suite"});
  b = empty_run;
  b[8] = 3;
  v.push_back({"parameter_set_3.zkp", b, "unsupported", "parameter_set"});
  v.push_back({"step_range_over_cap.zkp",
               replace_bytes(empty_run, {0x07, 0x00, 0x08, 0x04}, {0x07, 0x00, 0x08, 0x1a, 0x00, 0x10, 0x00, 0x05}),
               "over_limit", "t1"});
  v.push_back({"too_many_segments.zkp", with_segments_header({0x99, 0x10, 0x01}), "over_limit", "envelope.segments"});
  v.push_back({"segment_over_2mib.zkp", with_segments_header({0x81, 0x5a, 0x00, 0x20, 0x00, 0x01}), "over_limit",
               "segment"});
  v.push_back({"segment_not_map.zkp", with_segments_header({0x81, 0x41, 0x80}), "malformed", "segment"});
  v.push_back({"dataset_commitment_31_bytes.zkp", replace_bytes(empty_run, {0x58, 0x20, 0x10, 0x11}, {0x58, 0x1f, 0x11}),
               "malformed", "dataset.commitment"});
  // Classes 11 where the last layer has 10 outputs: dataset map key 4.
  v.push_back({"classes_mismatch.zkp", replace_bytes(empty_run, {0x03, 0x19, 0x03, 0x10, 0x04, 0x0a}, {0x03, 0x19, 0x03, 0x10, 0x04, 0x0b}),
               "malformed", "dataset.classes"});
  b = empty_run;
  b.push_back(0x00);
  v.push_back({"trailing_byte.zkp", b, "malformed", "envelope"});
  b = empty_run;
  b.pop_back();
  v.push_back({"truncated.zkp", b, "malformed", "envelope"});
  b = empty_run;
  b.insert(b.begin() + 2, 0x18);  // version 1 as 0x18 0x01
  v.push_back({"non_shortest_version.zkp", b, "malformed", "envelope"});
  b = empty_run;
  b[0] = 0xbf;  // indefinite-length map
  v.push_back({"indefinite_map.zkp", b, "malformed", "envelope"});
  v.push_back({"empty.zkp", {}, "malformed", "envelope"});
  for (Vector& r : real_recipes()) v.push_back(std::move(r));
  return v;
}

const fs::path kDir = fs::path(ZKPOT_SOURCE_DIR) / "tests" / "vectors";

TEST(VerifyVectors, FilesMatchTheirRecipesAndExpectedList) {
  const bool write = std::getenv("ZKPOT_WRITE_VECTORS") != nullptr;
  std::ostringstream expected;
  expected << "# file status field-or-check (docs/FORMAT.md §8); generated by tests/verify_vectors_test.cc\n";
  for (const Vector& v : recipes()) {
    if (write) testing::write_file(kDir / v.file, v.bytes);
    EXPECT_EQ(testing::read_file(kDir / v.file), v.bytes)
        << v.file << " differs from its recipe; if the proof protocol changed on purpose, regenerate with "
        << "ZKPOT_WRITE_VECTORS=1 build/<dir>/tests/verify_vectors_test (docs/FORMAT.md §8.3)";
    expected << v.file << " " << v.status << " " << v.where << "\n";
  }
  if (write) {
    std::ofstream(kDir / "EXPECTED") << expected.str();
  }
  std::ifstream in(kDir / "EXPECTED");
  std::stringstream have;
  have << in.rdbuf();
  EXPECT_EQ(have.str(), expected.str());
}

TEST(VerifyVectors, EachGivesItsStatusAndField) {
  std::vector<unsigned char> mem(zkpot_context_size());
  zkpot_context* ctx = zkpot_context_create(mem.data(), mem.size());
  ASSERT_NE(ctx, nullptr);
  std::vector<unsigned char> scratch(std::max<size_t>(zkpot_max_scratch_size(), 1));
  for (const Vector& v : recipes()) {
    const Bytes file = testing::read_file(kDir / v.file);
    const zkpot_status s = zkpot_verify_buffer(ctx, scratch.data(), scratch.size(), file.data(), file.size());
    EXPECT_EQ(zkpot_status_name(s), v.status) << v.file << ": " << zkpot_result_reason(ctx);
    std::string where = s == ZKPOT_INVALID ? zkpot_result_check(ctx) : zkpot_result_field(ctx);
    if (where.empty()) where = "-";
    EXPECT_EQ(where, v.where) << v.file << ": " << zkpot_result_reason(ctx);
  }
}

}  // namespace
}  // namespace zkpot
