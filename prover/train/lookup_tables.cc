#include "prover/train/lookup_tables.h"

#include <cmath>

namespace zkpot::train {

std::array<int64_t, 256> normalisation_table(const Normalisation& n, unsigned act_frac_bits) {
  std::array<int64_t, 256> t{};
  const int64_t one = int64_t{1} << act_frac_bits;
  for (int64_t v = 0; v < 256; ++v) {
    if (n.kind == Normalisation::Kind::kUnitRange) {
      t[static_cast<size_t>(v)] = (2 * v * one + 255) / 510;  // round half up of v * 2^Fa / 255, exactly
    } else {
      const double x = (static_cast<double>(v) / 255.0 - n.mean) / n.std;
      t[static_cast<size_t>(v)] = std::llround(std::ldexp(x, static_cast<int>(act_frac_bits)));
    }
  }
  return t;
}

ExpTables exp_tables(unsigned act_frac_bits, unsigned exp_frac_bits) {
  ExpTables t;
  const size_t n = size_t{1} << kLimbBits;
  t.lo.resize(n);
  t.hi.resize(n);
  const double out_scale = std::ldexp(1.0, static_cast<int>(exp_frac_bits));
  const double in_scale = std::ldexp(1.0, -static_cast<int>(act_frac_bits));
  for (size_t i = 0; i < n; ++i) {
    const double d = static_cast<double>(i);
    t.lo[i] = std::llround(out_scale * std::exp(-d * in_scale));
    t.hi[i] = std::llround(out_scale * std::exp(-d * static_cast<double>(n) * in_scale));
  }
  return t;
}

}  // namespace zkpot::train
