// zkpot-prove train's checkpoints and resume (prover/train_prover_run.h,
// docs/PROTOCOL.md §12.9) and dataset commitment files
// (prover/train_prover_dataset.h): an interrupted run resumed gives a proof
// that verifies and, with the same prover secret, the very bytes of an
// uninterrupted run; other flags, a damaged checkpoint or other data are
// refused.
#include <gtest/gtest.h>

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <set>
#include <fstream>
#include <string>
#include <vector>

#include "common/pcs_params.h"
#include "common/training_segment.h"
#include "common/training_verifier.h"
#include "formats/cbor_reader.h"
#include "formats/envelope.h"
#include "formats/idx.h"
#include "formats/training_statement_setup.h"
#include "prover/proof_file.h"
#include "prover/train_prover_checkpoint.h"
#include "prover/train_prover_dataset.h"
#include "prover/train_prover.h"
#include "prover/train_prover_memory.h"
#include "prover/train_prover_run.h"
#include "tests/train_test_data.h"

namespace zkpot {
namespace {

namespace fs = std::filesystem;
using Bytes = std::vector<uint8_t>;

fs::path scratch_root() {
  return fs::temp_directory_path() / ("zkpot_train_checkpoint_test_" + std::to_string(::getpid()));
}

// Removes every run directory the tests made.
class ScratchCleanup : public ::testing::Environment {
 public:
  void TearDown() override { fs::remove_all(scratch_root()); }
};
const auto* const kCleanup = ::testing::AddGlobalTestEnvironment(new ScratchCleanup);

fs::path scratch_dir(const std::string& name) {
  const fs::path p = scratch_root() / name;
  fs::remove_all(p);
  fs::create_directories(p);
  return p;
}

// 32 synthetic 4x4 images as a CSV file ("label,pixels...").
std::string write_csv(const fs::path& dir, uint8_t seed = 3) {
  const formats::LabelledImages d = train::testing::banded_images(32, 4, seed);
  const fs::path p = dir / "data.csv";
  std::ofstream f(p);
  for (size_t i = 0; i < d.count; ++i) {
    f << int{d.labels[i]};
    for (uint8_t px : d.image(i)) f << ',' << int{px};
    f << '\n';
  }
  return p.string();
}

TrainRunOptions small_run(const std::string& data, const fs::path& out) {
  TrainRunOptions o;
  o.data = data;
  o.model = "16-8-10";
  o.rows = 32;
  o.batch = 4;
  o.steps = 5;
  o.segment_steps = 2;  // segments [0,2) [2,4) [4,5)
  o.lr = 0.1;
  o.test_params = true;
  o.eval_every = 0;
  o.out = out.string();
  std::array<uint8_t, 32> secret{};
  secret[0] = 42;
  o.insecure_secret = secret;
  return o;
}

TrainRunResult run(const TrainRunOptions& o) {
  return run_training(o, [](const std::string&) {}, [](const TrainStepReport&) {});
}

Bytes file_bytes(const fs::path& p) { return formats::read_file_bounded(p.string(), size_t{1} << 30); }

// Verifies RUN/proof.zkp segment by segment as libzkpot_verify does, and the chain's end.
::testing::AssertionResult proof_verifies(const fs::path& run_dir) {
  const ProofFileContents pf = read_proof_file(run_dir);
  TrainingSetup setup;
  const char* unsupported = "";
  if (!training_setup_of(pf.statement, &setup, &unsupported))
    return ::testing::AssertionFailure() << "unsupported statement field " << unsupported;
  const StatementDigest digest =
      training_run_digest(static_cast<uint64_t>(Suite::kGoldilocksCubic7Blake2b256Whir), pf.statement);
  std::vector<unsigned char> scratch(training_segment_scratch_bytes(setup));
  TrainingChainState chain{setup.initial_weight_commitment, pf.statement.t0};
  for (const Bytes& seg : pf.segments) {
    Arena arena(scratch.data(), scratch.size());
    TrainingChainState next;
    TrainingFailure failure;
    const TrainingStatus s = verify_training_segment(setup, digest, chain, seg, arena, &next, &failure);
    if (s != TrainingStatus::kOk)
      return ::testing::AssertionFailure() << training_status_name(s) << " at " << failure.check;
    chain = next;
  }
  if (chain.next_step != pf.statement.t1) return ::testing::AssertionFailure() << "chain ends at the wrong step";
  if (chain.weight_commitment != pf.statement.final_weights)
    return ::testing::AssertionFailure() << "chain ends at other weights than the statement's";
  return ::testing::AssertionSuccess();
}

// One segment map's parts for the salt check: W^a's encoding (key 3) and the
// salts of each opening (key 7, each opening's key 5), 32 bytes each
// (docs/FORMAT.md "Training segment").
struct SegmentSalts {
  Bytes weights_in;
  std::vector<std::vector<std::array<uint8_t, 32>>> salts;  // per opening
};

::testing::AssertionResult read_segment_salts(std::span<const uint8_t> seg, SegmentSalts* out) {
  CborReader r(seg, kSegmentLimits);
  uint64_t pairs = 0, key = 0, n = 0;
  if (!r.read_map(&pairs).is_ok()) return ::testing::AssertionFailure() << "segment is not a map";
  for (uint64_t i = 0; i < pairs; ++i) {
    if (!r.read_uint(&key).is_ok()) return ::testing::AssertionFailure() << "segment key";
    std::span<const uint8_t> b;
    if (key == kSegKeyWeightsIn) {
      if (!r.read_bytes(&b).is_ok()) return ::testing::AssertionFailure() << "weights in";
      out->weights_in.assign(b.begin(), b.end());
    } else if (key == kSegKeyOpenings) {
      if (!r.read_array(&n).is_ok()) return ::testing::AssertionFailure() << "openings";
      for (uint64_t o = 0; o < n; ++o) {
        uint64_t op = 0;
        if (!r.read_map(&op).is_ok()) return ::testing::AssertionFailure() << "opening";
        out->salts.emplace_back();
        for (uint64_t j = 0; j < op; ++j) {
          if (!r.read_uint(&key).is_ok()) return ::testing::AssertionFailure() << "opening key";
          if (key != kOpenKeySalts) {
            if (!r.skip_item().is_ok()) return ::testing::AssertionFailure() << "opening item";
            continue;
          }
          if (!r.read_bytes(&b).is_ok() || b.size() % 32 != 0) return ::testing::AssertionFailure() << "salts";
          for (size_t k = 0; k < b.size(); k += 32) {
            std::array<uint8_t, 32> salt;
            std::copy(b.begin() + k, b.begin() + k + 32, salt.begin());
            out->salts.back().push_back(salt);
          }
        }
      }
    } else if (!r.skip_item().is_ok()) {
      return ::testing::AssertionFailure() << "segment item";
    }
  }
  return ::testing::AssertionSuccess();
}

// The salts of the round trees an opening of a commitment with this layout
// commits itself (round 0's belong to the commitment's own tree, shared by
// all its openings and counted in docs/PROTOCOL.md §9.4).
std::vector<std::array<uint8_t, 32>> round_tree_salts(const PcsLayout& L,
                                                     const std::vector<std::array<uint8_t, 32>>& salts) {
  std::vector<std::array<uint8_t, 32>> out;
  size_t pos = 0;
  for (const WhirSchedule* s : {&L.main, &L.helper})
    for (uint32_t j = 0; j < s->num_rounds; ++j) {
      const size_t q = s->rounds[j].queries;
      if (pos + q > salts.size()) {
        ADD_FAILURE() << "fewer salts than the schedule's queries";
        return {};
      }
      if (j > 0) out.insert(out.end(), salts.begin() + pos, salts.begin() + pos + q);
      pos += q;
    }
  EXPECT_EQ(pos, salts.size());
  return out;
}

TEST(TrainCheckpoint, EncodingRoundTripsAndDetectsDamage) {
  TrainCheckpoint c;
  c.flags.data = "/d";
  c.flags.model = "16-8-10";
  c.flags.rows = 32;
  c.flags.steps = 9;
  c.flags.lr = 0.1;
  c.secret[3] = 7;
  c.boundary = 2;
  c.steps_done = 3;
  c.boundary_parameters = {{{1, -2}}, {{3}}};
  c.parameters = {{{4, -5}}, {{-6}}};
  const Bytes b = encode_checkpoint(c);
  const TrainCheckpoint d = decode_checkpoint(b);
  EXPECT_EQ(d.flags, c.flags);
  EXPECT_EQ(d.secret, c.secret);
  EXPECT_EQ(d.boundary_parameters, c.boundary_parameters);
  EXPECT_EQ(d.parameters, c.parameters);
  for (size_t i = 0; i < b.size(); i += 7) {
    Bytes bad = b;
    bad[i] ^= 0x10;
    EXPECT_THROW(decode_checkpoint(bad), std::runtime_error) << "byte " << i;
  }
  for (size_t n : {size_t{0}, size_t{8}, b.size() / 2, b.size() - 1})
    EXPECT_THROW(decode_checkpoint(std::span<const uint8_t>(b).first(n)), std::runtime_error) << "cut " << n;
}

TEST(TrainCheckpoint, FlagDifferencesAreNamed) {
  TrainRunFlags a;
  a.batch = 8;
  TrainRunFlags b = a;
  EXPECT_EQ(first_flag_difference(a, b), "");
  b.batch = 16;
  EXPECT_EQ(first_flag_difference(a, b), "--batch is 16 but the interrupted run used 8");
  b = a;
  b.test_params = true;
  EXPECT_NE(first_flag_difference(a, b).find("--test-params"), std::string::npos);
}

// Stopped, then resumed: the proof verifies, and with the same secret (the
// prover's randomness, hence every commitment and the schedule) its statement
// and final weight commitment are the uninterrupted run's.
TEST(TrainResume, ResumedRunEqualsUninterruptedRun) {
  const fs::path dir = scratch_dir("equal");
  const std::string data = write_csv(dir);
  const TrainRunResult whole = run(small_run(data, dir / "whole"));
  ASSERT_TRUE(whole.finished);
  EXPECT_EQ(whole.steps_proven, 5u);
  ASSERT_TRUE(proof_verifies(dir / "whole"));
  const Bytes expect = file_bytes(proof_path(dir / "whole"));

  // Mid-segment after a close, and before any close (a stop at a segment
  // boundary is ProofAheadOfCheckpointIsCaughtUp's first half).
  for (uint64_t stop : {uint64_t{3}, uint64_t{1}}) {
    SCOPED_TRACE(stop);
    const fs::path r = dir / ("stop" + std::to_string(stop));
    TrainRunOptions o = small_run(data, r);
    o.stop_after = stop;
    const TrainRunResult part = run(o);
    EXPECT_FALSE(part.finished);
    EXPECT_EQ(part.steps_done, stop);
    EXPECT_EQ(part.steps_proven, stop / 2 * 2);
    if (part.steps_proven > 0) {
      EXPECT_TRUE(proof_verifies(r));  // the interrupted run's proof covers its closed segments
    }
    const TrainCheckpoint ck = read_checkpoint(r);
    EXPECT_EQ(ck.steps_done, stop);
    EXPECT_EQ(ck.boundary, part.steps_proven);
    o.stop_after = 0;
    o.resume = true;
    const TrainRunResult rest = run(o);
    ASSERT_TRUE(rest.finished);
    EXPECT_TRUE(proof_verifies(r));
    EXPECT_EQ(rest.final_weight_commitment, whole.final_weight_commitment);
    EXPECT_EQ(rest.model, whole.model);
    // Every opening draws its seed from (secret, segment start, its place in
    // the segment), not from a commitment's stream, so the resumed run's
    // re-opening of the rebuilt W^a (and of the rebuilt dataset commitment) is
    // the uninterrupted run's, byte for byte (docs/PROTOCOL.md §12.9).
    const ProofFileContents a = read_proof_file(dir / "whole"), b = read_proof_file(r);
    EXPECT_EQ(b.statement_bytes, a.statement_bytes);
    ASSERT_EQ(b.segments.size(), a.segments.size());
    for (size_t i = 0; i < a.segments.size(); ++i) EXPECT_EQ(b.segments[i], a.segments[i]) << "segment " << i;
    EXPECT_EQ(file_bytes(proof_path(r)), expect);
    EXPECT_THROW(run(o), std::invalid_argument);  // complete: nothing to resume
  }
}

// The bytes of the one segment of small_run's first 4 steps with
// --segment-steps 4 (0 on failure, with the failure recorded).
uint64_t four_step_segment_bytes(const std::string& data, const fs::path& out) {
  TrainRunOptions four = small_run(data, out);
  four.steps = 4;
  four.segment_steps = 4;
  EXPECT_TRUE(run(four).finished);
  const ProofFileContents pf = read_proof_file(out);
  EXPECT_EQ(pf.segments.size(), 1u);
  return pf.segments.size() == 1 ? pf.segments[0].size() : 0;
}

// A segment of K steps that comes out over the cap is proven again as
// segments of floor(K * cap / size) steps, and the run goes on with that
// number (docs/PROTOCOL.md §12.9): nothing is lost, and with the same secret
// the proof is the one a run with that many steps per segment makes from the
// start.
TEST(TrainSegmentCap, OverCapSegmentIsProvenAgainInShorterSegments) {
  const fs::path dir = scratch_dir("cap");
  const std::string data = write_csv(dir);
  const uint64_t four_step_bytes = four_step_segment_bytes(data, dir / "four");
  ASSERT_GT(four_step_bytes, 0u);

  TrainRunOptions halves = small_run(data, dir / "halves");  // 5 steps, segments of 2
  ASSERT_TRUE(run(halves).finished);
  uint64_t cap = 0;
  for (const Bytes& seg : read_proof_file(dir / "halves").segments) cap = std::max<uint64_t>(cap, seg.size());
  // The cap every 2-step segment fits, for which floor(4 * cap / size) is 2.
  ASSERT_LT(cap, four_step_bytes);
  ASSERT_LT(4 * cap, 3 * four_step_bytes);

  TrainRunOptions capped = small_run(data, dir / "capped");
  capped.segment_steps = 4;
  capped.max_segment_bytes = cap;
  std::vector<std::string> lines;
  std::vector<uint64_t> steps_reported;
  const TrainRunResult r = run_training(
      capped, [&](const std::string& line) { lines.push_back(line); },
      [&](const TrainStepReport& rep) { steps_reported.push_back(rep.step); });
  ASSERT_TRUE(r.finished);
  EXPECT_EQ(r.steps_proven, 5u);
  ASSERT_TRUE(proof_verifies(dir / "capped"));
  const ProofFileContents pf = read_proof_file(dir / "capped");
  ASSERT_EQ(pf.segments.size(), 3u);  // [0,2) [2,4) [4,5)
  for (const Bytes& seg : pf.segments) EXPECT_LE(seg.size(), capped.max_segment_bytes);
  EXPECT_EQ(file_bytes(proof_path(dir / "capped")), file_bytes(proof_path(dir / "halves")));
  // Steps 1-4 are trained and proven, then proven again; step 5 once.
  EXPECT_EQ(steps_reported, (std::vector<uint64_t>{1, 2, 3, 4, 1, 2, 3, 4, 5}));
  EXPECT_TRUE(std::any_of(lines.begin(), lines.end(), [](const std::string& l) {
    return l.find("over the cap") != std::string::npos && l.find("segments of 2 steps") != std::string::npos;
  }));
  const TrainCheckpoint ck = read_checkpoint(dir / "capped");
  EXPECT_EQ(ck.boundary, 5u);
  EXPECT_EQ(ck.steps_done, 5u);
}

// A run stopped after a split resumes with the shorter segments (the length
// of proof.zkp's last segment), not with --segment-steps again: no step is
// proven twice, and the proof is the uninterrupted run's.
TEST(TrainSegmentCap, ResumeAfterASplitKeepsTheShorterSegments) {
  const fs::path dir = scratch_dir("cap_resume");
  const std::string data = write_csv(dir);
  const uint64_t four_step_bytes = four_step_segment_bytes(data, dir / "four");
  ASSERT_GT(four_step_bytes, 0u);

  TrainRunOptions o = small_run(data, dir / "run");
  o.steps = 10;
  o.segment_steps = 4;
  o.max_segment_bytes = four_step_bytes - 1;  // floor(4 * cap / size) = 3
  TrainRunOptions whole = o;
  whole.out = (dir / "whole").string();
  ASSERT_TRUE(run(whole).finished);
  const ProofFileContents w = read_proof_file(dir / "whole");
  ASSERT_GE(w.segments.size(), 4u);  // [0,3) [3,6) [6,9) [9,10), or shorter if 3 steps do not fit either

  o.stop_after = 6;
  const TrainRunResult part = run(o);
  ASSERT_FALSE(part.finished);
  o.stop_after = 0;
  o.resume = true;
  std::vector<uint64_t> steps_reported;
  const TrainRunResult rest = run_training(o, [](const std::string&) {},
                                           [&](const TrainStepReport& rep) { steps_reported.push_back(rep.step); });
  ASSERT_TRUE(rest.finished);
  EXPECT_TRUE(proof_verifies(dir / "run"));
  EXPECT_EQ(file_bytes(proof_path(dir / "run")), file_bytes(proof_path(dir / "whole")));
  // Only the steps after the last closed segment are proven on resume, once
  // each (a resume with 4 steps per segment would prove [6,10), find it over
  // the cap and prove those steps again).
  ASSERT_EQ(part.steps_proven, 6u);
  EXPECT_EQ(steps_reported, (std::vector<uint64_t>{7, 8, 9, 10}));
}

// A cap no single step fits: a one-line error, and no proof file is written.
TEST(TrainSegmentCap, StepLargerThanTheCapIsAClearError) {
  const fs::path dir = scratch_dir("cap_one");
  const std::string data = write_csv(dir);
  TrainRunOptions o = small_run(data, dir / "run");
  o.segment_steps = 2;
  o.max_segment_bytes = 1000;
  try {
    run(o);
    ADD_FAILURE() << "a run whose steps cannot fit a segment finished";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("no segment can hold it"), std::string::npos) << e.what();
  }
  EXPECT_FALSE(fs::exists(proof_path(dir / "run")));
  // Runs a proof file cannot hold are refused before any work: more
  // segments than the envelope's cap, more steps than the statement's.
  {
    TrainRunOptions bad = small_run(data, dir / "run2");
    auto refused_because = [&](const char* why) {
      try {
        run(bad);
      } catch (const std::invalid_argument& e) {
        return std::string(e.what()).find(why) != std::string::npos;
      }
      return false;
    };
    bad.steps = kMaxSegments + 1;
    bad.segment_steps = 1;
    EXPECT_TRUE(refused_because("a proof file holds"));
    bad.steps = kStatementMaxSteps + 1;
    bad.segment_steps = 64;
    EXPECT_TRUE(refused_because("the statement's cap"));
    EXPECT_FALSE(fs::exists(dir / "run2"));
  }
  // Caps above the verifier's (or zero) are refused before any work.
  for (uint64_t cap : {uint64_t{0}, kMaxSegmentBytes + 1}) {
    TrainRunOptions bad = small_run(data, dir / "run2");
    bad.max_segment_bytes = cap;
    EXPECT_THROW(run(bad), std::invalid_argument) << cap;
    EXPECT_FALSE(fs::exists(dir / "run2"));
  }
}

// Peak RSS of zkpot-prove train measured on the 2-core, 24 GiB machine
// (bench/README.md "Prover memory"), batch 64, 1024 rows: 784-1024-1024-10 in
// one 1-step segment and 784-128-10 in a 2-step segment with the production
// set's helper at rate 2^-4; 3072-1024x8 in a 1-step segment (BM_ProveStep).
// The two large stacks recompute their codewords (docs/PROTOCOL.md §9.7).
constexpr double kMeasuredWidePeakGiB = 14.67;
constexpr double kMeasuredMidPeakGiB = 3.80;
constexpr double kMeasuredDemoPeakGiB = 0.60;

// A run whose estimated peak memory is more than the machine has available is
// refused before any work with the estimate and advice (docs/PROTOCOL.md
// §12.9, "Memory"); --skip-memory-check runs it anyway.
TEST(TrainMemory, RunThatDoesNotFitIsRefusedBeforeAnyWork) {
  const fs::path dir = scratch_dir("memory");
  const std::string data = write_csv(dir);
  TrainRunOptions o = small_run(data, dir / "run");
  o.steps = 2;
  std::vector<std::string> lines;
  auto collect = [&](const std::string& l) { lines.push_back(l); };
  auto refusal = [&](const TrainRunOptions& opts) -> std::string {
    try {
      run_training(opts, collect, [](const TrainStepReport&) {});
    } catch (const std::runtime_error& e) {
      return e.what();
    }
    return "";
  };
  o.available_memory_override = uint64_t{1} << 20;
  const std::string why = refusal(o);
  EXPECT_NE(why.find("at the peak"), std::string::npos) << why;
  EXPECT_NE(why.find("--skip-memory-check"), std::string::npos) << why;
  EXPECT_EQ(why.find('\n'), std::string::npos) << "one line: " << why;
  EXPECT_FALSE(fs::exists(dir / "run")) << "refused after writing the run directory";

  // Enough for segments of 1 step but not of 2: the advice names the length that fits.
  TrainingSetup shape = training_setup_from_config(
      train::TrainConfig::standard(train::Architecture::parse(o.model), o.batch, o.lr,
                                   train::Normalisation::fashion_mnist()),
      TrainingParameterSet::kTestOnly, TrainingDigest{}, o.rows, TrainingDigest{});
  const TrainMemoryEstimate e = estimate_training_memory(shape);
  ASSERT_GT(e.stack_vars, 0u);
  o.available_memory_override = e.peak(1);
  EXPECT_NE(refusal(o).find("use --segment-steps 1,"), std::string::npos) << refusal(o);
  EXPECT_FALSE(fs::exists(dir / "run"));

  // Exactly enough: it runs, and the log carries the estimate.
  lines.clear();
  o.available_memory_override = e.peak(2);
  EXPECT_EQ(refusal(o), "");
  EXPECT_TRUE(proof_verifies(dir / "run"));
  EXPECT_TRUE(std::any_of(lines.begin(), lines.end(),
                          [](const std::string& l) { return l.rfind("memory: about ", 0) == 0; }));

  // Not enough, but the check is off.
  TrainRunOptions skip = small_run(data, dir / "run_skip");
  skip.steps = 2;
  skip.available_memory_override = uint64_t{1} << 20;
  skip.check_memory = false;
  EXPECT_EQ(refusal(skip), "");
  EXPECT_TRUE(proof_verifies(dir / "run_skip"));
}

// The estimate's terms grow as they should: with the segment length (by the
// per-step term) and with the width; and for the three measured shapes it is
// at least the measured peak and at most 35% above it (bench/README.md
// "Prover memory").
TEST(TrainMemory, EstimateFollowsTheShape) {
  auto estimate = [](const char* model, size_t batch, size_t rows) {
    const auto arch = train::Architecture::parse(model);
    return estimate_training_memory(training_setup_from_config(
        train::TrainConfig::standard(arch, batch, 0.03, train::Normalisation::fashion_mnist()),
        TrainingParameterSet::kProduction, TrainingDigest{}, rows, TrainingDigest{}));
  };
  const TrainMemoryEstimate demo = estimate("784-128-10", 64, 1024);
  EXPECT_EQ(demo.peak(2) - demo.peak(1), demo.per_step);
  EXPECT_GT(demo.per_step, 0u);
  EXPECT_LT(demo.peak(2), estimate("784-256-10", 64, 1024).peak(2));
  // A larger batch fills more of the padded stack; the estimate follows the
  // stack's size, which at 784-128-10 stays 2^22 up to batch 256.
  EXPECT_LE(demo.peak(2), estimate("784-128-10", 256, 1024).peak(2));
  const double gib = static_cast<double>(uint64_t{1} << 30);
  const TrainMemoryEstimate wide = estimate("3072-1024-1024-1024-1024-1024-1024-1024-1024", 64, 1024);
  EXPECT_EQ(wide.stack_vars, 28u);
  auto errs_high = [&](uint64_t estimate_bytes, double measured_gib) {
    const double e = static_cast<double>(estimate_bytes) / gib;
    return e >= measured_gib && e <= 1.35 * measured_gib;
  };
  EXPECT_TRUE(errs_high(wide.peak(1), kMeasuredWidePeakGiB)) << wide.peak(1) / gib;
  EXPECT_TRUE(errs_high(estimate("784-1024-1024-10", 64, 1024).peak(1), kMeasuredMidPeakGiB));
  EXPECT_TRUE(errs_high(demo.peak(2), kMeasuredDemoPeakGiB)) << demo.peak(2) / gib;
}

// A step whose witness stack would need 2^30 entries has no layout: its
// commitment could not have 100 provable bits (docs/PROTOCOL.md §9.5, §12.2).
// Eight layers of width 2048 need 2^29 entries, the most a layout admits;
// four of width 4096, 2^30.
TEST(TrainingLayoutLimit, StackBeyond2To29IsRefused) {
  auto layout_of = [](const char* model) {
    const TrainingSetup setup = training_setup_from_config(
        train::TrainConfig::standard(train::Architecture::parse(model), 64, 0.03,
                                     train::Normalisation::fashion_mnist()),
        TrainingParameterSet::kProduction, TrainingDigest{}, 1024, TrainingDigest{});
    auto l = std::make_unique<TrainingLayout>();
    build_training_layout(setup, false, l.get());
    return l;
  };
  const auto fits = layout_of("3072-2048-2048-2048-2048-2048-2048-2048-2048");
  EXPECT_TRUE(fits->valid);
  EXPECT_EQ(fits->stack_vars, kTrainingMaxStackVars);
  const auto too_big = layout_of("3072-4096-4096-4096-4096-10");
  EXPECT_EQ(too_big->stack_vars, 30u);
  EXPECT_FALSE(too_big->valid);
  // The cap is the commitment's own limit, not a second one beside it.
  const PcsParams params = training_pcs_params(TrainingParameterSet::kProduction);
  EXPECT_TRUE(pcs_layout(params, kTrainingMaxStackVars).valid);
  EXPECT_FALSE(pcs_layout(params, kTrainingMaxStackVars + 1).valid);
}

// W^2 ends segment [0,2) and starts [2,4): it is opened once in each. The
// resumed run (stopped at step 3) rebuilt W^2 from the secret; still, the
// round trees of its two openings share no salt (the bug of a restarted
// commitment stream, docs/PROTOCOL.md §12.9).
TEST(TrainResume, BoundaryWeightsReopenedWithFreshSalts) {
  const fs::path dir = scratch_dir("salts");
  const std::string data = write_csv(dir);
  const fs::path r = dir / "run";
  TrainRunOptions o = small_run(data, r);
  o.stop_after = 3;
  run(o);
  o.stop_after = 0;
  o.resume = true;
  ASSERT_TRUE(run(o).finished);
  const ProofFileContents pf = read_proof_file(r);
  ASSERT_EQ(pf.segments.size(), 3u);
  SegmentSalts s0, s1;
  ASSERT_TRUE(read_segment_salts(pf.segments[0], &s0));
  ASSERT_TRUE(read_segment_salts(pf.segments[1], &s1));
  // Segment [0,2): stacks 0,1, then W^0, W^1, W^2; segment [2,4): stacks 2,3, then W^2.
  ASSERT_EQ(s0.salts.size(), 6u);
  ASSERT_EQ(s1.salts.size(), 6u);
  PcsCommitment<GlExt3> w2;
  ASSERT_TRUE(decode_training_commitment(s1.weights_in, &w2));
  const PcsLayout layout =
      pcs_layout(training_pcs_params(TrainingParameterSet::kTestOnly),
                 training_slots_vars(std::span<const uint8_t>(w2.slot_vars.data(), w2.num_slots)));
  ASSERT_EQ(pcs_layout_digest(layout), w2.layout_digest);
  ASSERT_GE(layout.main.num_rounds, 2u) << "no round trees to compare";
  const auto first = round_tree_salts(layout, s0.salts[4]);
  const auto second = round_tree_salts(layout, s1.salts[2]);
  ASSERT_FALSE(first.empty());
  ASSERT_EQ(first.size(), second.size());
  for (const auto& salt : second) EXPECT_EQ(std::count(first.begin(), first.end(), salt), 0);
}

// Distinct openings of a run get distinct seeds; indices out of range are refused.
TEST(TrainResume, OpeningSeedsAreDistinctPerSegmentAndPlace) {
  std::array<uint8_t, 32> secret{};
  secret[0] = 9;
  std::set<uint64_t> firsts;
  size_t n = 0;
  for (uint64_t a : {uint64_t{0}, uint64_t{1}, uint64_t{2}, uint64_t{64}, uint64_t{65}, uint64_t{256}})
    for (uint64_t k = 0; k < 2 * kTrainingMaxSegmentSteps + 2; ++k, ++n) firsts.insert(segment_opening_rng(secret, a, k).next_u64());
  EXPECT_EQ(firsts.size(), n);
  // Not the other purposes' streams either.
  EXPECT_EQ(firsts.count(derived_prover_rng(secret, "weights", 2).next_u64()), 0u);
  EXPECT_EQ(firsts.count(derived_prover_rng(secret, "segment", 0).next_u64()), 0u);
  std::array<uint8_t, 32> other = secret;
  other[1] = 1;
  EXPECT_NE(segment_opening_rng(secret, 0, 0).next_u64(), segment_opening_rng(other, 0, 0).next_u64());
  EXPECT_THROW(segment_opening_rng(secret, 0, 256), std::invalid_argument);
  EXPECT_THROW(segment_opening_rng(secret, uint64_t{1} << 56, 0), std::invalid_argument);
}

// With OS randomness (no secret given) the commitments are random, and so is
// the schedule (its seed hashes the dataset and initial weight commitments):
// the resumed run continues the interrupted one's weights and verifies.
TEST(TrainResume, FreshRandomnessResumeVerifies) {
  const fs::path dir = scratch_dir("random");
  const std::string data = write_csv(dir);
  TrainRunOptions o = small_run(data, dir / "run");
  o.insecure_secret.reset();
  o.stop_after = 3;
  const TrainRunResult part = run(o);
  EXPECT_FALSE(part.finished);
  o.stop_after = 0;
  o.resume = true;
  const TrainRunResult rest = run(o);
  ASSERT_TRUE(rest.finished);
  EXPECT_TRUE(proof_verifies(dir / "run"));
  const TrainCheckpoint ck = read_checkpoint(dir / "run");
  EXPECT_EQ(ck.steps_done, 5u);
  EXPECT_EQ(ck.boundary_weight_commitment, rest.final_weight_commitment);
  EXPECT_EQ(ck.parameters, (TrainParameters{rest.model.weights, rest.model.biases}));
  const TrainRunResult other = run(small_run(data, dir / "other"));
  EXPECT_NE(other.final_weight_commitment, rest.final_weight_commitment);
  struct stat st {};
  ASSERT_EQ(::stat(checkpoint_path(dir / "run").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
}

// A crash between writing proof.zkp and the checkpoint leaves the proof one
// segment ahead; resume catches up from the checkpoint's boundary.
TEST(TrainResume, ProofAheadOfCheckpointIsCaughtUp) {
  const fs::path dir = scratch_dir("ahead");
  const std::string data = write_csv(dir);
  const fs::path r = dir / "run";
  TrainRunOptions o = small_run(data, r);
  o.stop_after = 2;
  run(o);
  const TrainCheckpoint at2 = read_checkpoint(r);
  o.resume = true;
  o.stop_after = 4;
  run(o);
  TrainCheckpoint crashed = read_checkpoint(r);  // boundary 4, 4 steps
  ASSERT_EQ(crashed.boundary, 4u);
  crashed.boundary = at2.boundary;
  crashed.boundary_weight_commitment = at2.boundary_weight_commitment;
  crashed.boundary_parameters = at2.boundary_parameters;
  write_checkpoint(r, crashed);
  o.stop_after = 0;
  const TrainRunResult rest = run(o);
  ASSERT_TRUE(rest.finished);
  EXPECT_TRUE(proof_verifies(r));
  const TrainRunResult whole = run(small_run(data, dir / "whole"));
  EXPECT_EQ(rest.final_weight_commitment, whole.final_weight_commitment);
  EXPECT_EQ(read_proof_file(r).statement_bytes, read_proof_file(dir / "whole").statement_bytes);
  EXPECT_EQ(file_bytes(proof_path(r)), file_bytes(proof_path(dir / "whole")));
}

TEST(TrainResume, RefusesOtherFlagsMissingOrDamagedState) {
  const fs::path dir = scratch_dir("refuse");
  const std::string data = write_csv(dir);
  const fs::path r = dir / "run";
  TrainRunOptions o = small_run(data, r);
  o.resume = true;
  EXPECT_THROW(run(o), std::runtime_error);  // nothing to resume
  o.resume = false;
  o.stop_after = 3;
  run(o);
  EXPECT_THROW(run(o), std::invalid_argument);  // a fresh run into a run directory
  o.resume = true;
  o.stop_after = 0;
  for (int k = 0; k < 4; ++k) {
    TrainRunOptions bad = o;
    if (k == 0) bad.batch = 8;
    if (k == 1) bad.lr = 0.2;
    if (k == 2) bad.steps = 6;
    if (k == 3) bad.test_params = false;
    try {
      run(bad);
      ADD_FAILURE() << "resumed with other flags (" << k << ")";
    } catch (const std::invalid_argument& e) {
      EXPECT_EQ(std::string(e.what()).rfind("--resume: --", 0), 0u) << e.what();
    }
  }
  // The refused attempts changed nothing: the run still resumes.
  Bytes ck = file_bytes(checkpoint_path(r));
  ck[ck.size() / 2] ^= 1;
  {
    std::ofstream f(checkpoint_path(r), std::ios::binary | std::ios::trunc);
    f.write(reinterpret_cast<const char*>(ck.data()), static_cast<std::streamsize>(ck.size()));
  }
  EXPECT_THROW(run(o), std::runtime_error);
  ck[ck.size() / 2] ^= 1;
  {
    std::ofstream f(checkpoint_path(r), std::ios::binary | std::ios::trunc);
    f.write(reinterpret_cast<const char*>(ck.data()), static_cast<std::streamsize>(ck.size()));
  }
  EXPECT_TRUE(run(o).finished);
  EXPECT_TRUE(proof_verifies(r));
}

TEST(DatasetCommitment, PublicIsDeterministicHidingIsNot) {
  const fs::path dir = scratch_dir("dataset");
  const formats::LabelledImages d = train::testing::banded_images(32, 4, 3);
  RandomnessSeed seed{}, again_seed{};
  const DatasetCommitmentInfo info = commit_dataset(TrainingParameterSet::kTestOnly, d, nullptr, &seed);
  EXPECT_FALSE(info.hiding);
  EXPECT_EQ(info.rows, d.count);
  EXPECT_EQ(info.content, dataset_content_digest(d));
  EXPECT_EQ(seed, public_dataset_seed(info.content));
  write_dataset_commitment_file(dir / "a", info, seed);
  const DatasetCommitmentInfo again = commit_dataset(TrainingParameterSet::kTestOnly, d, nullptr, &again_seed);
  EXPECT_EQ(again_seed, seed);
  write_dataset_commitment_file(dir / "b", again, again_seed);
  EXPECT_EQ(file_bytes(dir / "a"), file_bytes(dir / "b"));
  EXPECT_FALSE(fs::exists(dir / "a.private"));
  DatasetCommitmentInfo read;
  RandomnessSeed read_seed{};
  read_dataset_commitment_file(dir / "a", &read, &read_seed);
  EXPECT_EQ(read.commitment, info.commitment);
  EXPECT_EQ(read_seed, seed);
  EXPECT_EQ(recommit_dataset(read, read_seed, TrainingParameterSet::kTestOnly, d).digest, info.commitment);
  // Other data, or the other parameter set, is refused.
  formats::LabelledImages other = d;
  other.pixels[5] ^= 1;
  EXPECT_THROW(recommit_dataset(read, read_seed, TrainingParameterSet::kTestOnly, other), std::runtime_error);
  other = d;
  other.labels[0] = static_cast<uint8_t>((other.labels[0] + 1) % 10);
  EXPECT_THROW(recommit_dataset(read, read_seed, TrainingParameterSet::kTestOnly, other), std::runtime_error);
  EXPECT_THROW(recommit_dataset(read, read_seed, TrainingParameterSet::kProduction, d), std::runtime_error);
  EXPECT_THROW(recommit_dataset(read, read_seed, TrainingParameterSet::kTestOnly, d.head(16)), std::runtime_error);

  // Hiding: fresh seeds give different commitments; the seed and the content
  // digest live only in FILE.private (0600).
  DatasetCommitmentInfo h = info;
  h.hiding = true;
  RandomnessSeed s1{}, s2{};
  s1[0] = 1;
  s2[0] = 2;
  h.commitment = commit_dataset_from_seed(h.parameter_set, d, s1).digest;
  EXPECT_NE(h.commitment, commit_dataset_from_seed(h.parameter_set, d, s2).digest);
  EXPECT_NE(h.commitment, info.commitment);
  write_dataset_commitment_file(dir / "h", h, s1);
  const Bytes pub = file_bytes(dir / "h");
  const std::string text(pub.begin(), pub.end());
  EXPECT_EQ(text.find("content"), std::string::npos);
  struct stat st {};
  ASSERT_EQ(::stat((dir / "h.private").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  read_dataset_commitment_file(dir / "h", &read, &read_seed);
  EXPECT_TRUE(read.hiding);
  EXPECT_EQ(read_seed, s1);
  EXPECT_EQ(recommit_dataset(read, read_seed, TrainingParameterSet::kTestOnly, d).digest, h.commitment);
  fs::remove(dir / "h.private");
  EXPECT_THROW(read_dataset_commitment_file(dir / "h", &read, &read_seed), std::runtime_error);
}

// train --dataset-commitment: the statement carries the file's commitment and
// its public/hiding mode; other data is refused before any step.
TEST(DatasetCommitment, TrainUsesTheFilesCommitment) {
  const fs::path dir = scratch_dir("train_with");
  const std::string data = write_csv(dir);
  const formats::LabelledImages d = load_training_dataset(data, 32);
  RandomnessSeed seed{};
  const DatasetCommitmentInfo info = commit_dataset(TrainingParameterSet::kTestOnly, d, nullptr, &seed);
  write_dataset_commitment_file(dir / "fm.commit", info, seed);
  TrainRunOptions o = small_run(data, dir / "run");
  o.steps = 2;
  o.dataset_commitment = (dir / "fm.commit").string();
  ASSERT_TRUE(run(o).finished);
  EXPECT_TRUE(proof_verifies(dir / "run"));
  const ProofFileContents pf = read_proof_file(dir / "run");
  EXPECT_EQ(pf.statement.dataset.commitment, info.commitment);
  EXPECT_FALSE(pf.statement.dataset.hiding);
  // Other data than the file commits to.
  const fs::path other_dir = scratch_dir("train_other");
  TrainRunOptions bad = small_run(write_csv(other_dir, 9), other_dir / "run");
  bad.dataset_commitment = o.dataset_commitment;
  EXPECT_THROW(run(bad), std::runtime_error);
}

}  // namespace
}  // namespace zkpot
