#include "prover/train/lookup_tables.h"

#include <cmath>

#include "common/training_tables.h"

namespace zkpot::train {

std::array<int64_t, 256> normalisation_table(const Normalisation& n, unsigned act_frac_bits) {
  std::array<int64_t, 256> t{};
  const int64_t one = int64_t{1} << act_frac_bits;
  for (int64_t v = 0; v < 256; ++v) {
    if (n.kind == Normalisation::Kind::kUnitRange) {
      t[static_cast<size_t>(v)] = (2 * v * one + 255) / 510;  // round half up of v * 2^Fa / 255, exactly
    } else {
      // mean and std enter in millionths, as the statement carries them.
      t[static_cast<size_t>(v)] = training_mean_std_fixed(static_cast<uint32_t>(v), act_frac_bits,
                                                          static_cast<uint32_t>(std::llround(n.mean * 1e6)),
                                                          static_cast<uint32_t>(std::llround(n.std * 1e6)));
    }
  }
  return t;
}

ExpTables exp_tables(unsigned act_frac_bits, unsigned exp_frac_bits) {
  ExpTables t;
  const size_t n = size_t{1} << kLimbBits;
  t.lo.resize(n);
  t.hi.resize(n);
  training_exp_fill(0, act_frac_bits, exp_frac_bits, n, [&](size_t i, int64_t v) { t.lo[i] = v; });
  training_exp_fill(kLimbBits, act_frac_bits, exp_frac_bits, n, [&](size_t i, int64_t v) { t.hi[i] = v; });
  return t;
}

}  // namespace zkpot::train
