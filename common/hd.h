// Host/device annotations shared by every header that CUDA kernels include.
// Under nvcc the same inline functions compile for both processors, so the CPU
// tests exercise exactly the arithmetic the GPU runs (docs/PROTOCOL.md §1).
#pragma once

#if defined(__CUDACC__)
#define ZKPOT_HD __host__ __device__ __forceinline__
#define ZKPOT_HD_CONST __host__ __device__ constexpr
#else
#define ZKPOT_HD inline
#define ZKPOT_HD_CONST constexpr
#endif

#if defined(__CUDA_ARCH__)
#define ZKPOT_DEVICE_CODE 1
#else
#define ZKPOT_DEVICE_CODE 0
#endif
