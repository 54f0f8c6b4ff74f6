// The prover must run where no GPU answers: the backend probe reports why, and
// GPU-capable entry points give the CPU's results.
#include <gtest/gtest.h>

#include <vector>

#include "common/multilinear.h"
#include "prover/gpu.h"
#include "prover/rng.h"

namespace zkpot {
namespace {

TEST(GpuFallback, ProbeExplainsWhyNoGpuIsUsed) {
  const GpuStatus& s = gpu_status();
  if (s.available) {
    EXPECT_GT(s.device_count, 0);
  } else {
    EXPECT_FALSE(s.reason.empty());
  }
}

TEST(GpuFallback, FoldMatchesCpuReference) {
  ProverRng rng = ProverRng::from_seed_u64(11);
  std::vector<GlExt3> in(1 << 10), out(in.size() / 2), ref(in.size() / 2);
  for (auto& x : in) x = rng.field<GlExt3>();
  const GlExt3 r = rng.field<GlExt3>();
  fold_first_variable_ext3(in, r, out);
  fold_first_variable<GlExt3, GlExt3>(std::span<const GlExt3>(in), r, std::span<GlExt3>(ref));
  EXPECT_EQ(out, ref);
}

TEST(GpuFallback, FoldRejectsBadSizes) {
  std::vector<GlExt3> in(5), out(2);
  EXPECT_THROW(fold_first_variable_ext3(in, GlExt3::one(), out), std::invalid_argument);
}

}  // namespace
}  // namespace zkpot
