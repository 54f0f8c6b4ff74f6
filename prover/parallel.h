// A minimal fork-join helper for the prover's data-parallel loops. The verifier
// never uses threads. The thread count comes from set_num_threads() or the
// ZKPOT_THREADS environment variable, defaulting to the hardware concurrency.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdlib>
#include <thread>
#include <vector>

namespace zkpot {

namespace detail {
inline unsigned& thread_count_setting() {
  static unsigned n = [] {
    if (const char* env = std::getenv("ZKPOT_THREADS")) {
      const long v = std::strtol(env, nullptr, 10);
      if (v > 0 && v <= 1024) return static_cast<unsigned>(v);
    }
    const unsigned hw = std::thread::hardware_concurrency();
    return hw == 0 ? 1u : hw;
  }();
  return n;
}
}  // namespace detail

inline unsigned num_threads() { return detail::thread_count_setting(); }
inline void set_num_threads(unsigned n) { detail::thread_count_setting() = n == 0 ? 1 : n; }

// Calls body(begin, end, chunk_index) on contiguous chunks of [0, n), one chunk
// per thread, the calling thread taking the first. Small ranges run inline.
template <class Body>
void parallel_chunks(size_t n, Body&& body, size_t min_chunk = 4096) {
  const size_t t = std::min<size_t>(num_threads(), std::max<size_t>(1, n / std::max<size_t>(1, min_chunk)));
  if (t <= 1) {
    body(size_t{0}, n, size_t{0});
    return;
  }
  const size_t step = (n + t - 1) / t;
  std::vector<std::thread> workers;
  workers.reserve(t - 1);
  for (size_t c = 1; c < t; ++c) {
    const size_t b = c * step, e = std::min(n, b + step);
    if (b >= e) break;
    workers.emplace_back([&body, b, e, c] { body(b, e, c); });
  }
  body(size_t{0}, std::min(n, step), size_t{0});
  for (auto& w : workers) w.join();
}

// Number of chunks parallel_chunks will use for n items.
inline size_t parallel_chunk_count(size_t n, size_t min_chunk = 4096) {
  return std::min<size_t>(num_threads(), std::max<size_t>(1, n / std::max<size_t>(1, min_chunk)));
}

}  // namespace zkpot
