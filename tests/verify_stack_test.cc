// The verifier's stack: zkpot_verify_buffer runs within ZKPOT_VERIFY_STACK_BYTES
// of thread stack (verifier/include/zkpot/verify.h), so an application may
// verify on a small worker thread. Every known-answer vector (tests/vectors/,
// real training proofs among them) is verified on a thread whose whole stack
// is that size, and must give the status it gives on the main thread; an
// overflow would crash this test. Not under AddressSanitizer, whose frames
// are several times larger.
#include <gtest/gtest.h>
#include <pthread.h>
#include <zkpot/verify.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#if defined(__SANITIZE_ADDRESS__)
#define ZKPOT_TEST_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define ZKPOT_TEST_ASAN 1
#endif
#endif

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

// Verifies on a new thread with exactly `stack_bytes` of stack (its own mapping).
zkpot_status verify_on_thread(const std::vector<unsigned char>& file, std::vector<unsigned char>& scratch,
                              size_t stack_bytes) {
  Job job{&file, &scratch, ZKPOT_MISUSE};
  pthread_attr_t attr;
  EXPECT_EQ(pthread_attr_init(&attr), 0);
  EXPECT_EQ(pthread_attr_setstacksize(&attr, stack_bytes), 0);
  pthread_t th;
  EXPECT_EQ(pthread_create(&th, &attr, verify_job, &job), 0);
  EXPECT_EQ(pthread_join(th, nullptr), 0);
  pthread_attr_destroy(&attr);
  return job.status;
}

TEST(VerifyStack, EveryVectorVerifiesWithinTheDocumentedStack) {
#if defined(ZKPOT_TEST_ASAN)
  GTEST_SKIP() << "AddressSanitizer frames are larger than the release build's";
#endif
  // ZKPOT_STACK_BYTES overrides the size, to measure what verification needs.
  size_t stack_bytes = ZKPOT_VERIFY_STACK_BYTES;
  if (const char* s = std::getenv("ZKPOT_STACK_BYTES")) stack_bytes = std::strtoull(s, nullptr, 10);
  std::vector<unsigned char> scratch(zkpot_max_scratch_size());
  size_t files = 0, real = 0;
  for (const auto& entry : fs::directory_iterator(fs::path(ZKPOT_SOURCE_DIR) / "tests" / "vectors")) {
    if (entry.path().extension() != ".zkp") continue;
    SCOPED_TRACE(entry.path().filename().string());
    const std::vector<unsigned char> file = read_all(entry.path());
    Job big{&file, &scratch, ZKPOT_MISUSE};
    verify_job(&big);  // on this thread's (main) stack
    EXPECT_NE(big.status, ZKPOT_MISUSE);
    EXPECT_EQ(verify_on_thread(file, scratch, stack_bytes), big.status);
    ++files;
    if (entry.path().filename().string().rfind("real_", 0) == 0) ++real;
  }
  EXPECT_GE(files, 20u);
  EXPECT_GE(real, 5u);  // real proofs take the deepest paths (every sub-verifier)
}

}  // namespace
