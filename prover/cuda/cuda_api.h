// C-linkage entry points of the CUDA backend (prover/cuda/*.cu). Only
// prover/gpu.cc calls them, and only when the build has ZKPOT_HAVE_CUDA.
#pragma once

#include <cstddef>
#include <cstdint>

extern "C" {

// Number of usable CUDA devices, or -1 with a message in err (NUL-terminated,
// at most err_len bytes) when the runtime reports an error (no driver, no GPU).
int zkpot_cuda_device_count(char* err, size_t err_len);

// out[i] = in[2i] + r * (in[2i+1] - in[2i]) over GlExt3, on the device.
// Elements are 3 canonical uint64 coefficients each. Returns 0 on success.
int zkpot_cuda_fold_ext3(uint64_t* out, const uint64_t* in, size_t n_in, const uint64_t r[3], char* err,
                         size_t err_len);
}
