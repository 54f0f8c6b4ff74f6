// Host/device annotations shared by every header that CUDA kernels include.
// Under nvcc the same inline functions compile for both processors, so the CPU
// tests exercise exactly the arithmetic the GPU runs (docs/PROTOCOL.md §1).
#pragma once

#if defined(__CUDACC__)
#define ZKPOT_HD __host__ __device__ __forceinline__
#define ZKPOT_HD_CONST __host__ __device__ constexpr
#define ZKPOT_HD_HOT __host__ __device__ __forceinline__
#else
#define ZKPOT_HD inline
#define ZKPOT_HD_CONST constexpr
// The few-instruction field operations that inner loops call: g++ -O3 left
// the extension product out of line, which cost 12% of verification time.
#define ZKPOT_HD_HOT inline __attribute__((always_inline))
#endif

#if defined(__CUDA_ARCH__)
#define ZKPOT_DEVICE_CODE 1
#else
#define ZKPOT_DEVICE_CODE 0
#endif
