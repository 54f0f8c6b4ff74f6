// The first CUDA kernel: binding one variable of a multilinear table over the
// cubic extension, with exactly the field code the CPU runs (common/extension.h).
#include <cuda_runtime.h>

#include <cstdio>

#include "common/extension.h"
#include "prover/cuda/cuda_api.h"

namespace {

using zkpot::GlExt3;

__global__ void fold_ext3_kernel(GlExt3* out, const GlExt3* in, size_t n_out, GlExt3 r) {
  const size_t i = blockIdx.x * static_cast<size_t>(blockDim.x) + threadIdx.x;
  if (i >= n_out) return;
  const GlExt3 lo = in[2 * i];
  out[i] = lo + r * (in[2 * i + 1] - lo);
}

int report(cudaError_t e, char* err, size_t err_len) {
  if (err && err_len) std::snprintf(err, err_len, "%s", cudaGetErrorString(e));
  return -1;
}

}  // namespace

extern "C" int zkpot_cuda_device_count(char* err, size_t err_len) {
  int n = 0;
  const cudaError_t e = cudaGetDeviceCount(&n);
  if (e != cudaSuccess) return report(e, err, err_len);
  return n;
}

extern "C" int zkpot_cuda_fold_ext3(uint64_t* out, const uint64_t* in, size_t n_in, const uint64_t r[3], char* err,
                                    size_t err_len) {
  static_assert(sizeof(GlExt3) == 3 * sizeof(uint64_t), "GlExt3 must be three packed words");
  if (n_in % 2 != 0) {
    if (err && err_len) std::snprintf(err, err_len, "fold: odd input length");
    return -1;
  }
  const size_t n_out = n_in / 2;
  zkpot::Goldilocks c[3];
  for (int k = 0; k < 3; ++k) c[k] = zkpot::Goldilocks::from_u64(r[k]);
  const GlExt3 rr = GlExt3::from_coeffs(c);
  GlExt3 *d_in = nullptr, *d_out = nullptr;
  cudaError_t e = cudaMalloc(&d_in, n_in * sizeof(GlExt3));
  if (e != cudaSuccess) return report(e, err, err_len);
  e = cudaMalloc(&d_out, (n_out ? n_out : 1) * sizeof(GlExt3));
  if (e == cudaSuccess) e = cudaMemcpy(d_in, in, n_in * sizeof(GlExt3), cudaMemcpyHostToDevice);
  if (e == cudaSuccess && n_out) {
    const unsigned threads = 256;
    const unsigned blocks = static_cast<unsigned>((n_out + threads - 1) / threads);
    fold_ext3_kernel<<<blocks, threads>>>(d_out, d_in, n_out, rr);
    e = cudaGetLastError();
  }
  if (e == cudaSuccess) e = cudaMemcpy(out, d_out, n_out * sizeof(GlExt3), cudaMemcpyDeviceToHost);
  cudaFree(d_in);
  cudaFree(d_out);
  return e == cudaSuccess ? 0 : report(e, err, err_len);
}
