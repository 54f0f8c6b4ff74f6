// The verifier's stack: zkpot_verify_buffer runs within ZKPOT_VERIFY_STACK_BYTES
// of thread stack in an optimised build (verifier/include/zkpot/verify.h), so
// an application may verify on a small worker thread. Every known-answer
// vector (tests/vectors/) and real proofs that take the paths the vectors do
// not (a production-parameter segment; several steps, so both step layouts;
// three layers) are verified on a thread whose whole stack is that size, with
// a 1 MiB guard below it so that an overflow faults instead of landing in a
// neighbouring mapping; each must give the status it gives on the main
// thread. Skipped where frames are larger than the documented build's: under
// AddressSanitizer and without optimisation.
#include <gtest/gtest.h>
#include <pthread.h>
#include <unistd.h>
#include <zkpot/verify.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "verify_real_proofs.h"

#if defined(__SANITIZE_ADDRESS__)
#define ZKPOT_TEST_SKIP_STACK "AddressSanitizer frames are larger than the release build's"
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define ZKPOT_TEST_SKIP_STACK "AddressSanitizer frames are larger than the release build's"
#endif
#endif
#if !defined(ZKPOT_TEST_SKIP_STACK) && !defined(__OPTIMIZE__)
#define ZKPOT_TEST_SKIP_STACK "unoptimised frames are larger than the release build's"
#endif

namespace zkpot {
namespace {

namespace fs = std::filesystem;

std::vector<unsigned char> read_all(const fs::path& p) {
  std::ifstream f(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>()};
}

struct Job {
  const std::vector<unsigned char>* file = nullptr;
  std::vector<unsigned char>* scratch = nullptr;
  zkpot_status status = ZKPOT_MISUSE;
};

void* verify_job(void* arg) {
  Job* job = static_cast<Job*>(arg);
  alignas(16) unsigned char ctx_mem[4096];
  if (zkpot_context_size() > sizeof ctx_mem) return nullptr;
  zkpot_context* ctx = zkpot_context_create(ctx_mem, sizeof ctx_mem);
  if (ctx == nullptr) return nullptr;
  job->status = zkpot_verify_buffer(ctx, job->scratch->data(), job->scratch->size(), job->file->data(),
                                    job->file->size());
  return nullptr;
}

// The stack size under test: ZKPOT_VERIFY_STACK_BYTES, or PTHREAD_STACK_MIN
// where that is larger (as verify.h says); ZKPOT_STACK_BYTES overrides it,
// to measure what verification needs.
size_t stack_under_test() {
  size_t bytes = ZKPOT_VERIFY_STACK_BYTES;
  if (const char* s = std::getenv("ZKPOT_STACK_BYTES")) bytes = std::strtoull(s, nullptr, 10);
  const long min = sysconf(_SC_THREAD_STACK_MIN);
  if (min > 0) bytes = std::max(bytes, static_cast<size_t>(min));
  const long page = sysconf(_SC_PAGESIZE);
  if (page > 0) bytes = (bytes + static_cast<size_t>(page) - 1) / static_cast<size_t>(page) * static_cast<size_t>(page);
  return bytes;
}

// Verifies on a new thread with exactly `stack_bytes` of stack and a 1 MiB
// guard below it (glibc adds the guard to the mapping, not to the stack).
::testing::AssertionResult verify_on_thread(const std::vector<unsigned char>& file,
                                            std::vector<unsigned char>& scratch, size_t stack_bytes,
                                            zkpot_status* status) {
  Job job{&file, &scratch, ZKPOT_MISUSE};
  pthread_attr_t attr;
  if (pthread_attr_init(&attr) != 0) return ::testing::AssertionFailure() << "pthread_attr_init";
  const bool set = pthread_attr_setstacksize(&attr, stack_bytes) == 0 &&
                   pthread_attr_setguardsize(&attr, size_t{1} << 20) == 0;
  pthread_t th;
  const bool created = set && pthread_create(&th, &attr, verify_job, &job) == 0;
  pthread_attr_destroy(&attr);
  if (!set) return ::testing::AssertionFailure() << "cannot set a stack of " << stack_bytes << " bytes";
  if (!created) return ::testing::AssertionFailure() << "pthread_create";
  if (pthread_join(th, nullptr) != 0) return ::testing::AssertionFailure() << "pthread_join";
  *status = job.status;
  return ::testing::AssertionSuccess();
}

void expect_same_status_on_small_stack(const std::vector<unsigned char>& file, std::vector<unsigned char>& scratch) {
  Job big{&file, &scratch, ZKPOT_MISUSE};
  verify_job(&big);  // on this thread's (main) stack
  EXPECT_NE(big.status, ZKPOT_MISUSE);
  zkpot_status small = ZKPOT_MISUSE;
  ASSERT_TRUE(verify_on_thread(file, scratch, stack_under_test(), &small));
  EXPECT_EQ(small, big.status);
}

TEST(VerifyStack, EveryVectorVerifiesWithinTheDocumentedStack) {
#if defined(ZKPOT_TEST_SKIP_STACK)
  GTEST_SKIP() << ZKPOT_TEST_SKIP_STACK;
#endif
  std::vector<unsigned char> scratch(zkpot_max_scratch_size());
  size_t files = 0, real = 0;
  for (const auto& entry : fs::directory_iterator(fs::path(ZKPOT_SOURCE_DIR) / "tests" / "vectors")) {
    if (entry.path().extension() != ".zkp") continue;
    SCOPED_TRACE(entry.path().filename().string());
    expect_same_status_on_small_stack(read_all(entry.path()), scratch);
    ++files;
    if (entry.path().filename().string().rfind("real_", 0) == 0) ++real;
  }
  EXPECT_GE(files, 20u);
  EXPECT_GE(real, 5u);
}

// Paths the vectors (one 4-2-10 step at the test parameter set) do not take:
// the production commitment parameters (larger folds, grinding, the
// zero-knowledge helper), a segment of several steps (the first and later
// step layouts, the dataset check over steps), and a deeper network.
TEST(VerifyStack, ProductionAndMultiStepProofsVerifyWithinTheDocumentedStack) {
#if defined(ZKPOT_TEST_SKIP_STACK)
  GTEST_SKIP() << ZKPOT_TEST_SKIP_STACK;
#endif
  std::vector<unsigned char> scratch(zkpot_max_scratch_size());
  testing::RealProofSpec production;
  production.model = "4-2-10";
  production.batch = 2;
  production.rows = 8;
  production.steps = 2;
  production.segment_steps = 2;
  production.parameter_set = TrainingParameterSet::kProduction;
  testing::RealProofSpec deep;
  deep.model = "16-8-8-10";
  deep.steps = 3;
  deep.segment_steps = 3;
  for (const testing::RealProofSpec* spec : {&production, &deep}) {
    SCOPED_TRACE(spec->model);
    const testing::RealProof p = testing::make_real_proof(*spec);
    Job job{&p.file, &scratch, ZKPOT_MISUSE};
    verify_job(&job);
    ASSERT_EQ(job.status, ZKPOT_VALID);
    expect_same_status_on_small_stack(p.file, scratch);
  }
}

}  // namespace
}  // namespace zkpot
