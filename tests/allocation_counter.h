// Counts heap allocations made through operator new, so a test can show that
// a code path (the CBOR reader, the envelope decoder) allocates nothing.
// Replaces the global operator new/delete: include it in exactly one
// translation unit of a test executable.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdlib>
#include <new>

namespace zkpot::testing {
inline std::atomic<size_t> g_allocations{0};

// Allocations made while f runs (on any thread; the tests run one).
template <class Fn>
size_t allocations_during(Fn&& f) {
  const size_t before = g_allocations.load();
  f();
  return g_allocations.load() - before;
}
}  // namespace zkpot::testing

// g++ inlines these pairs at call sites and then sees free() on memory from
// "operator new"; here the pairing is by construction, both go to malloc.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
#endif
void* operator new(std::size_t n) {
  zkpot::testing::g_allocations.fetch_add(1);
  if (void* p = std::malloc(n == 0 ? 1 : n)) return p;
  throw std::bad_alloc();
}
void* operator new[](std::size_t n) { return operator new(n); }
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif
