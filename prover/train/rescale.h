// The rescale and range primitives every fixed-point relation uses
// (docs/PROTOCOL.md §10.2): z + 2^(F-1) = 2^F q + r with 0 <= r < 2^F (round
// half up), and q in [-2^(B-1), 2^(B-1)). Violating a width means the
// parameters are wrong for the data: the engine stops with FixedPointRangeError.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>

namespace zkpot::train {

class FixedPointRangeError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct Rescaled {
  int64_t quotient;
  int64_t remainder;
};

// Exact for |z| < 2^62 (the no-wrap lemma keeps every z far below).
inline Rescaled rescale_round_half_up(int64_t z, unsigned frac_bits) {
  const int64_t shifted = z + (int64_t{1} << (frac_bits - 1));
  const int64_t q = shifted >> frac_bits;  // arithmetic shift: floor division
  return {q, shifted - q * (int64_t{1} << frac_bits)};
}

inline bool in_signed_range(int64_t v, unsigned bits) {
  return v >= -(int64_t{1} << (bits - 1)) && v < (int64_t{1} << (bits - 1));
}

[[noreturn]] inline void range_violation(const char* tensor, size_t index, int64_t value, unsigned bits) {
  throw FixedPointRangeError(std::string("fixed-point range violated: ") + tensor + "[" + std::to_string(index) +
                             "] = " + std::to_string(value) + " does not fit in " + std::to_string(bits) +
                             " signed bits (the parameters are wrong for this run)");
}

inline void check_signed_range(const char* tensor, size_t index, int64_t value, unsigned bits) {
  if (!in_signed_range(value, bits)) range_violation(tensor, index, value, bits);
}

}  // namespace zkpot::train
