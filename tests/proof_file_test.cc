// Prover-side proof files (prover/proof_file.h): envelope assembly, atomic
// replacement of RUN/proof.zkp, and a writer killed at random moments never
// leaves a partial proof behind.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <random>
#include <system_error>

#include "formats/envelope.h"
#include "prover/proof_file.h"
#include "verify_test_files.h"

namespace zkpot {
namespace {

namespace fs = std::filesystem;
using testing::Bytes;

class ProofFile : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("zkpot_proof_file_test_" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path dir_;
};

TEST_F(ProofFile, AssembleMatchesTheEnvelopeEncoder) {
  const std::vector<Bytes> segs = {testing::placeholder_segment(0), testing::placeholder_segment(1)};
  const Bytes bytes = assemble_proof(testing::sample_training_statement(), segs);
  EXPECT_EQ(bytes, testing::envelope(testing::statement_bytes(), segs));
  EnvelopeView view;
  ASSERT_TRUE(decode_envelope(bytes, &view).is_ok());
  EXPECT_EQ(view.segment_count, 2u);
}

TEST_F(ProofFile, AssembleRefusesBadInput) {
  TrainingStatement bad = testing::sample_training_statement();
  bad.t1 = 0;
  EXPECT_THROW(assemble_proof(bad, std::vector<Bytes>{}), std::invalid_argument);
  const std::vector<Bytes> not_a_map = {Bytes{0x80}};
  EXPECT_THROW(assemble_proof(testing::sample_training_statement(), not_a_map), std::invalid_argument);
}

TEST_F(ProofFile, WriteReplacesAndLeavesNoTemporary) {
  const std::vector<Bytes> one = {testing::placeholder_segment(0)};
  write_proof_file(dir_, testing::sample_training_statement(), one);
  EXPECT_EQ(testing::read_file(proof_path(dir_)), testing::sample_file(1));
  write_proof_file(dir_, testing::sample_training_statement(), std::vector<Bytes>{testing::placeholder_segment(0),
                                                                                 testing::placeholder_segment(1)});
  EXPECT_EQ(testing::read_file(proof_path(dir_)), testing::sample_file(2));
  size_t entries = 0;
  for (const auto& e : fs::directory_iterator(dir_)) entries += (void(e), 1);
  EXPECT_EQ(entries, 1u);  // proof.zkp only
}

TEST_F(ProofFile, FailedWriteKeepsTheOldFile) {
  const Bytes old = {1, 2, 3};
  write_file_atomically(dir_ / "x", old);
  // The temporary's name is taken by a directory: creating it fails.
  fs::create_directories(dir_ / "x.tmp");
  EXPECT_THROW(write_file_atomically(dir_ / "x", Bytes{4, 5}), std::system_error);
  EXPECT_EQ(testing::read_file(dir_ / "x"), old);
  EXPECT_THROW(write_file_atomically(dir_ / "no_dir" / "x", old), std::system_error);
}

TEST_F(ProofFile, KilledWriterNeverLeavesAPartialProof) {
  // Two proofs of different sizes, written alternately by a child that is
  // killed at a random moment; proof.zkp is always one of them, whole.
  std::vector<Bytes> big(8, Bytes(256 * 1024, 0));
  for (size_t i = 0; i < big.size(); ++i) big[i] = testing::placeholder_segment(i, 256 * 1024);
  const Bytes a = assemble_proof(testing::sample_training_statement(), std::vector<Bytes>(big.begin(), big.begin() + 2));
  const Bytes b = assemble_proof(testing::sample_training_statement(), big);
  write_file_atomically(proof_path(dir_), a);
  std::mt19937 rng(7);
  for (int round = 0; round < 8; ++round) {
    const pid_t pid = ::fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      for (int i = 0;; ++i) write_file_atomically(proof_path(dir_), i % 2 ? a : b);
    }
    ::usleep(1000 + rng() % 20000);
    ::kill(pid, SIGKILL);
    int status = 0;
    ::waitpid(pid, &status, 0);
    const Bytes now = testing::read_file(proof_path(dir_));
    EXPECT_TRUE(now == a || now == b) << "round " << round << ": " << now.size() << " bytes";
  }
}

}  // namespace
}  // namespace zkpot
