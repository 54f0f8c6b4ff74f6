#include "prover/gpu.h"

#include <cstdio>
#include <mutex>
#include <stdexcept>

#include "common/multilinear.h"
#if defined(ZKPOT_HAVE_CUDA)
#include "prover/cuda/cuda_api.h"
#endif

namespace zkpot {

const GpuStatus& gpu_status() {
  static const GpuStatus status = [] {
    GpuStatus s;
#if defined(ZKPOT_HAVE_CUDA)
    char err[256] = {0};
    const int n = zkpot_cuda_device_count(err, sizeof err);
    if (n > 0) {
      s.available = true;
      s.device_count = n;
    } else if (n == 0) {
      s.reason = "no CUDA device found";
    } else {
      s.reason = std::string("CUDA unavailable (") + err + ")";
    }
#else
    s.reason = "built without CUDA";
#endif
    return s;
  }();
  return status;
}

bool use_gpu_or_announce_cpu() {
  static std::once_flag once;
  const GpuStatus& s = gpu_status();
  if (!s.available) {
    std::call_once(once, [&] { std::fprintf(stderr, "zkpot: %s; using the CPU backend\n", s.reason.c_str()); });
  }
  return s.available;
}

void fold_first_variable_ext3(std::span<const GlExt3> in, const GlExt3& r, std::span<GlExt3> out) {
  if (in.size() % 2 != 0 || out.size() != in.size() / 2) throw std::invalid_argument("fold: wrong sizes");
#if defined(ZKPOT_HAVE_CUDA)
  if (use_gpu_or_announce_cpu()) {
    uint64_t rr[3] = {r.coeff(0).value(), r.coeff(1).value(), r.coeff(2).value()};
    char err[256] = {0};
    if (zkpot_cuda_fold_ext3(reinterpret_cast<uint64_t*>(out.data()), reinterpret_cast<const uint64_t*>(in.data()),
                             in.size(), rr, err, sizeof err) == 0)
      return;
    std::fprintf(stderr, "zkpot: CUDA fold failed (%s); using the CPU backend\n", err);
  }
#else
  (void)use_gpu_or_announce_cpu();
#endif
  fold_first_variable<GlExt3, GlExt3>(in, r, out);
}

}  // namespace zkpot
