// Backend selection for the prover: the CUDA backend when the build has it and
// a device answers, otherwise the CPU, announced once with a one-line notice.
#pragma once

#include <span>
#include <string>

#include "common/extension.h"

namespace zkpot {

struct GpuStatus {
  bool available = false;
  int device_count = 0;
  std::string reason;  // why the GPU is not used, when it is not
};

// Probes once (cudaGetDeviceCount) and caches the answer.
const GpuStatus& gpu_status();

// Prints "zkpot: <reason>; using the CPU backend" to stderr, once per process,
// when the GPU is not available. Returns whether the GPU will be used.
bool use_gpu_or_announce_cpu();

// Binds x_0 := r on a GlExt3 table, on the GPU when available, else on the CPU.
void fold_first_variable_ext3(std::span<const GlExt3> in, const GlExt3& r, std::span<GlExt3> out);

}  // namespace zkpot
