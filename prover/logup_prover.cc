// Non-template parts of the LogUp-GKR prover (docs/PROTOCOL.md §5).
#include "prover/logup_prover.h"

#include <stdexcept>

namespace zkpot {

std::vector<std::vector<Gl>> split_into_limbs(std::span<const Gl> values, unsigned limb_bits, unsigned num_limbs) {
  if (limb_bits == 0 || limb_bits > 32 || num_limbs == 0 || uint64_t{limb_bits} * num_limbs > 64)
    throw std::invalid_argument("split_into_limbs: limb_bits * num_limbs must be in [1, 64], limb_bits <= 32");
  const unsigned total = limb_bits * num_limbs;
  const uint64_t limb_mask = (uint64_t{1} << limb_bits) - 1;
  std::vector<std::vector<Gl>> limbs(num_limbs, std::vector<Gl>(values.size()));
  for (size_t i = 0; i < values.size(); ++i) {
    const uint64_t v = values[i].value();
    if (total < 64 && (v >> total) != 0)
      throw std::invalid_argument("split_into_limbs: value " + std::to_string(i) + " is wider than " +
                                  std::to_string(total) + " bits");
    for (unsigned l = 0; l < num_limbs; ++l) limbs[l][i] = Gl::from_u64((v >> (l * limb_bits)) & limb_mask);
  }
  return limbs;
}

}  // namespace zkpot
