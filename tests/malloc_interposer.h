// Interposes malloc, calloc and realloc so that tests/allocation_counter.h's
// counter sees them too (libsodium, libcbor and libc allocate with malloc, not
// operator new). Include it in exactly one file of a test executable. Not
// under ASan, which owns malloc; ZKPOT_COUNT_MALLOC says whether it is active.
#pragma once

#include <cstddef>

#include "allocation_counter.h"

#if !defined(__SANITIZE_ADDRESS__)
#define ZKPOT_COUNT_MALLOC 1
extern "C" {
void* __libc_malloc(size_t);
void* __libc_calloc(size_t, size_t);
void* __libc_realloc(void*, size_t);
void* malloc(size_t n) {
  zkpot::testing::g_allocations.fetch_add(1, std::memory_order_relaxed);
  return __libc_malloc(n);
}
void* calloc(size_t n, size_t m) {
  zkpot::testing::g_allocations.fetch_add(1, std::memory_order_relaxed);
  return __libc_calloc(n, m);
}
void* realloc(void* p, size_t n) {
  zkpot::testing::g_allocations.fetch_add(1, std::memory_order_relaxed);
  return __libc_realloc(p, n);
}
}
#endif
