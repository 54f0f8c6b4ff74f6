// A bounded bump allocator over memory the caller owns, for the verifier
// (DESIGN.md, "Verifier SDK rules"): a size query tells the caller how much
// scratch to provide, and verification then allocates only from it, never
// from the heap and never past the cap.
//
// A failed allocation returns an empty span with a null data pointer and sets
// a sticky error flag, so a verifier may run a sequence of allocations and
// test ok() once. Sizes are computed without wrap-around: a request for a huge
// count fails instead of returning a short buffer.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <type_traits>

namespace zkpot {

class Arena {
 public:
  // A position to roll back to with release(); taken by mark().
  struct Mark {
    size_t offset;
  };

  Arena() noexcept : Arena(nullptr, 0) {}
  // A null base gives an arena of capacity 0, whatever size says.
  Arena(void* base, size_t size) noexcept
      : base_(static_cast<unsigned char*>(base)), capacity_(base == nullptr ? 0 : size) {}

  Arena(const Arena&) = delete;
  Arena& operator=(const Arena&) = delete;

  // n value-initialised (zeroed) objects of T aligned to alignof(T), or an
  // empty span with a null pointer and ok() == false when they do not fit.
  // n == 0 succeeds with an empty span. T must be trivially destructible,
  // because release() and reset() run no destructors.
  template <class T>
  [[nodiscard]] std::span<T> allocate(size_t n) noexcept {
    return allocate_aligned<T>(n, alignof(T));
  }

  // As allocate(), with a stronger alignment (a power of two >= alignof(T)).
  template <class T>
  [[nodiscard]] std::span<T> allocate_aligned(size_t n, size_t alignment) noexcept {
    static_assert(std::is_trivially_destructible_v<T>, "the arena runs no destructors");
    static_assert(std::is_nothrow_default_constructible_v<T>, "allocate() value-initialises");
    if (n == 0) return {};
    if (alignment < alignof(T) || (alignment & (alignment - 1)) != 0) return fail<T>();
    size_t start = 0;
    if (!reserve(n, sizeof(T), alignment, &start)) return fail<T>();
    T* p = reinterpret_cast<T*>(base_ + start);
    std::uninitialized_value_construct_n(p, n);
    return std::span<T>(p, n);
  }

  // False once any allocation has failed, until reset().
  bool ok() const noexcept { return ok_; }
  size_t capacity() const noexcept { return capacity_; }
  size_t used() const noexcept { return offset_; }
  size_t remaining() const noexcept { return capacity_ - offset_; }
  // The largest used() seen since construction or reset(): what a size query
  // must ask for.
  size_t peak() const noexcept { return peak_; }

  Mark mark() const noexcept { return Mark{offset_}; }
  // Frees everything allocated after m. A mark beyond the current position
  // (taken before an earlier release) is refused and returns false.
  [[nodiscard]] bool release(Mark m) noexcept {
    if (m.offset > offset_) return false;
    offset_ = m.offset;
    return true;
  }
  // Frees everything and clears the error flag; peak() restarts too.
  void reset() noexcept {
    offset_ = 0;
    peak_ = 0;
    ok_ = true;
  }

  // Bytes an arena needs so that allocate<T>(n) succeeds at any position
  // (worst-case alignment padding included); SIZE_MAX if that overflows.
  template <class T>
  static constexpr size_t bytes_for(size_t n) noexcept {
    if (n == 0) return 0;
    if (n > (SIZE_MAX - (alignof(T) - 1)) / sizeof(T)) return SIZE_MAX;
    return n * sizeof(T) + (alignof(T) - 1);
  }
  // a + b, saturating at SIZE_MAX (for adding up size queries).
  static constexpr size_t add_sizes(size_t a, size_t b) noexcept { return a > SIZE_MAX - b ? SIZE_MAX : a + b; }

 private:
  template <class T>
  std::span<T> fail() noexcept {
    ok_ = false;
    return {};
  }

  // Finds room for n objects of elem_size bytes at the given alignment, or
  // returns false; every step is checked against the remaining bytes, so no
  // sum or product can wrap.
  bool reserve(size_t n, size_t elem_size, size_t alignment, size_t* start) noexcept {
    const size_t room = capacity_ - offset_;
    if (n > room / elem_size) return false;  // n * elem_size > room, without multiplying
    const size_t bytes = n * elem_size;
    const uintptr_t here = reinterpret_cast<uintptr_t>(base_) + offset_;
    const size_t pad = static_cast<size_t>((alignment - (here & (alignment - 1))) & (alignment - 1));
    if (pad > room || bytes > room - pad) return false;
    *start = offset_ + pad;
    offset_ += pad + bytes;
    if (offset_ > peak_) peak_ = offset_;
    return true;
  }

  unsigned char* base_;
  size_t capacity_;
  size_t offset_ = 0;
  size_t peak_ = 0;
  bool ok_ = true;
};

}  // namespace zkpot
