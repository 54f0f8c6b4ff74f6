// zkpot-verify (verifier/cli/zkpot_verify.cc) run as a program: exit codes
// (2 for I/O and usage errors, else 1 for any invalid proof, else 0), one
// JSON object per proof, batch directories with --jobs, pinned fields.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "verify_test_files.h"

namespace zkpot {
namespace {

namespace fs = std::filesystem;
using testing::Bytes;

struct CliRun {
  int exit_code = -1;
  std::string output;
};

CliRun run(const std::string& args) {
  const std::string cmd = std::string(ZKPOT_VERIFY_CLI) + " " + args + " 2>&1";
  CliRun r;
  std::FILE* p = popen(cmd.c_str(), "r");
  if (p == nullptr) return r;
  char buf[4096];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) r.output.append(buf, n);
  const int status = pclose(p);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

std::string to_hex_for_test(const StatementDigest& d) {
  std::string s;
  char b[3];
  for (uint8_t x : d) {
    std::snprintf(b, sizeof b, "%02x", x);
    s += b;
  }
  return s;
}

// "file" -> the JSON line for it.
std::map<std::string, std::string> json_by_file(const std::string& out) {
  std::map<std::string, std::string> m;
  size_t pos = 0;
  while (pos < out.size()) {
    size_t end = out.find('\n', pos);
    if (end == std::string::npos) end = out.size();
    const std::string line = out.substr(pos, end - pos);
    pos = end + 1;
    const std::string key = "{\"file\":\"";
    if (line.rfind(key, 0) != 0) continue;
    const size_t q = line.find('"', key.size());
    m[fs::path(line.substr(key.size(), q - key.size())).filename().string()] = line;
  }
  return m;
}

class VerifyCli : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("zkpot_cli_test_" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path dir_;
};

TEST_F(VerifyCli, MixedDirectory) {
  Bytes placeholder = testing::sample_file(2);
  Bytes unsupported = placeholder;
  unsupported[2] = 9;  // version 9
  testing::write_file(dir_ / "a_placeholder.zkp", placeholder);
  testing::write_file(dir_ / "b_malformed.zkp", Bytes{0xa4, 0x01});
  testing::write_file(dir_ / "c_unsupported.zkp", unsupported);
  testing::write_file(dir_ / "d_empty.zkp", Bytes{});
  fs::create_symlink(dir_ / "does_not_exist", dir_ / "e_unreadable.zkp");
  fs::create_directories(dir_ / "f_subdir");  // not a file: skipped

  CliRun r = run("--json --jobs 2 --batch " + dir_.string());
  EXPECT_EQ(r.exit_code, 2) << r.output;
  auto m = json_by_file(r.output);
  ASSERT_EQ(m.size(), 5u) << r.output;
  EXPECT_NE(m["a_placeholder.zkp"].find("\"valid\":false"), std::string::npos);
  // Placeholder segments are not training segments: a malformed (hence invalid) proof.
  EXPECT_NE(m["a_placeholder.zkp"].find("\"status\":\"malformed\""), std::string::npos) << m["a_placeholder.zkp"];
  EXPECT_NE(m["a_placeholder.zkp"].find("\"statement_digest\":\""), std::string::npos);
  EXPECT_NE(m["b_malformed.zkp"].find("\"status\":\"malformed\""), std::string::npos) << m["b_malformed.zkp"];
  EXPECT_NE(m["b_malformed.zkp"].find("\"statement_digest\":null"), std::string::npos);
  EXPECT_NE(m["c_unsupported.zkp"].find("\"status\":\"unsupported\""), std::string::npos);
  EXPECT_NE(m["d_empty.zkp"].find("\"status\":\"malformed\""), std::string::npos);
  EXPECT_NE(m["e_unreadable.zkp"].find("\"status\":\"io_error\""), std::string::npos);
  for (const auto& [file, line] : m) EXPECT_NE(line.find("\"verify_ms\":"), std::string::npos) << file;

  // Without the unreadable file, invalid proofs alone give 1.
  fs::remove(dir_ / "e_unreadable.zkp");
  r = run("--batch " + dir_.string() + " --jobs 3");
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_NE(r.output.find("MALFORMED"), std::string::npos);
  EXPECT_NE(r.output.find("0 of 4 proofs valid"), std::string::npos) << r.output;
}

TEST_F(VerifyCli, HumanOutputPrintsTheStatement) {
  testing::write_file(dir_ / "p.zkp", testing::sample_file(1));
  const CliRun r = run((dir_ / "p.zkp").string());
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.output.find("784-128-10 (relu,identity), softmax cross-entropy"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("60000 rows x 784, 10 classes, public"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("steps              [0, 4) in 1 segment(s)"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("verdict"), std::string::npos);
}

TEST_F(VerifyCli, PinnedFieldsMustMatch) {
  testing::write_file(dir_ / "p.zkp", testing::sample_file(1));
  const std::string f = (dir_ / "p.zkp").string();
  CliRun r = run("--json --expect-architecture 784-256-10 " + f);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.output.find("\"status\":\"pin_mismatch\""), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("architecture is 784-128-10, expected 784-256-10"), std::string::npos) << r.output;
  r = run("--json --expect-dataset " + std::string(64, 'a') + " " + f);
  EXPECT_NE(r.output.find("dataset commitment is 101112"), std::string::npos) << r.output;
  const std::string final_hex = to_hex_for_test(testing::filled_digest(0x80));
  r = run("--json --expect-model " + std::string(64, '0') + " " + f);
  EXPECT_NE(r.output.find("final weight commitment is " + final_hex), std::string::npos) << r.output;
  // Matching pins pass on to verification (which the placeholder fails).
  r = run("--json --expect-architecture 784-128-10 --expect-model " + final_hex + " " + f);
  EXPECT_NE(r.output.find("\"status\":\"malformed\""), std::string::npos) << r.output;
}

TEST_F(VerifyCli, UsageAndIoErrorsExitTwo) {
  EXPECT_EQ(run("").exit_code, 2);
  EXPECT_EQ(run("--no-such-flag x").exit_code, 2);
  EXPECT_EQ(run("--expect-dataset 12 x").exit_code, 2);
  EXPECT_EQ(run("--jobs 0 x").exit_code, 2);
  EXPECT_EQ(run((dir_ / "missing.zkp").string()).exit_code, 2);
  EXPECT_EQ(run("--batch " + (dir_ / "no_dir").string()).exit_code, 2);
  EXPECT_EQ(run(dir_.string()).exit_code, 2);  // a directory given as a file
  EXPECT_EQ(run("--help").exit_code, 0);
}

}  // namespace
}  // namespace zkpot
